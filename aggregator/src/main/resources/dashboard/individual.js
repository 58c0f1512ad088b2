// An individual's profile: /api/individuals/{id} (the id from ?id=), shown as it is. Reference crops are images the
// identifier serves for this animal's own sightings; the aggregator shows nothing else that is a picture.
'use strict';

const { fmt, time, cell, link, json, param, profile, baseMap, fitSites } = trapline;

const words = value => value ? value.toLowerCase().replaceAll('_', ' ') : '–';

function text(id, value) {
  document.getElementById(id).textContent = value ?? '–';
}

function facts(list, entries) {
  list.replaceChildren();
  for (const [term, value, key] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.dataset.fact = key;
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value ?? '–';
    list.append(dt, dd);
  }
}

function lifeHistory(p) {
  const h = p.lifeHistory || {};
  const assessed = h.ageClass ? words(h.ageClass) + (h.ageAssessedOn ? ' (assessed ' + h.ageAssessedOn + ')' : '') : '–';
  const birth = h.birthDate ? h.birthDate + (h.birthDateKind === 'FIRST_SEEN_YOUNG' ? ' (first seen young)'
      : h.birthDateKind === 'BORN' ? ' (born)' : '') : '–';
  facts(document.getElementById('life'), [
    ['sex', words(h.sex), 'sex'],
    ['age class today', words(p.ageClassToday) + ' (' + p.today + ')', 'age-today'],
    ['age class as assessed', assessed, 'age-assessed'],
    ['birth', birth, 'birth'],
    ['mother', h.motherId ? link(profile(h.motherId), h.motherId) : '–', 'mother'],
    ['status', h.status ? words(h.status) + (h.statusDate ? ' since ' + h.statusDate : '') : '–', 'life-status'],
    ['marks', h.marks, 'marks']]);
}

function encounters(e) {
  facts(document.getElementById('encounters'), [
    ['first seen', time(e.firstSeen), 'first-seen'],
    ['last seen', time(e.lastSeen) + (e.daysSinceLastSeen === null ? '' : ' (' + fmt(e.daysSinceLastSeen) + ' days ago)'), 'last-seen'],
    ['sightings', fmt(e.sightings), 'sightings'],
    ['independent events', fmt(e.independentEvents), 'events'],
    ['sites', fmt(e.sites), 'sites'],
    ['presumed gone', e.presumedGone ? 'yes: not seen for longer than the set time' : 'no', 'gone']]);
}

function seasons(list) {
  document.querySelector('#seasons tbody').replaceChildren(...list.map(s => {
    const row = document.createElement('tr');
    row.dataset.season = s.season;
    cell(row, s.season);
    cell(row, time(s.start));
    cell(row, time(s.end));
    cell(row, fmt(s.sightings), 'n');
    cell(row, s.seen ? 'seen' : '–', s.seen ? 'seen' : 'unseen');
    return row;
  }));
}

function sites(list) {
  document.querySelector('#sites tbody').replaceChildren(...list.map(s => {
    const row = document.createElement('tr');
    row.dataset.site = s.siteId;
    cell(row, s.name);
    cell(row, s.latitude === null ? 'not in the catalog' : fmt(s.latitude, 4) + ', ' + fmt(s.longitude, 4));
    cell(row, fmt(s.sightings), 'n');
    cell(row, fmt(s.independentEvents), 'n');
    cell(row, time(s.firstSeen));
    cell(row, time(s.lastSeen));
    cell(row, s.cameras.map(c => c.cameraId + ' (' + c.sightings + ')').join(', '));
    return row;
  }));
}

async function sitesMap(list) {
  const map = await baseMap(document.getElementById('sites-map'));
  const placed = list.filter(s => s.latitude !== null && s.longitude !== null);
  const markers = placed.map(s => L.circleMarker([s.latitude, s.longitude], { radius: 8, color: '#1d2a24', weight: 1,
    fillColor: '#2f6b4f', fillOpacity: 0.9, className: 'site-marker' })
      .bindTooltip(s.name + ': ' + s.sightings + ' sightings').addTo(map));
  fitSites(map, markers.map(m => m.getLatLng()));
}

function crops(list) {
  document.getElementById('crops').replaceChildren(...list.map(c => {
    const figure = document.createElement('figure');
    figure.dataset.sighting = c.sightingId;
    const a = link(c.url, '');
    const img = document.createElement('img');
    img.alt = 'crop of sighting ' + c.sightingId + ' (the identifier does not answer)';
    img.loading = 'lazy';
    img.addEventListener('error', () => figure.classList.add('unavailable'));
    img.src = c.url;
    a.appendChild(img);
    const caption = document.createElement('figcaption');
    caption.textContent = 'sighting ' + c.sightingId;
    figure.append(a, caption);
    return figure;
  }));
  if (list.length === 0) document.getElementById('crops').textContent = 'No reference crop yet.';
}

async function show() {
  const id = param('id');
  let p;
  try {
    if (!id) throw new Error('no id');
    p = await json('/api/individuals/' + encodeURIComponent(id));
  } catch (e) {
    const missing = document.getElementById('missing');
    missing.textContent = id ? 'No individual ' + id + ' is known here.' : 'No individual given: /individual.html?id=ID';
    missing.hidden = false;
    document.body.dataset.state = 'missing';
    return;
  }
  document.title = 'Trapline · ' + (p.name || p.individualId);
  text('name', p.name || p.individualId);
  text('individual-id', p.name ? p.individualId : '');
  text('species', p.species);
  text('gallery-status', words(p.status));
  if (p.mergedInto) {
    const to = document.getElementById('merged-into');
    to.href = profile(p.mergedInto);
    to.textContent = p.mergedInto;
    document.getElementById('merged').hidden = false;
  }
  lifeHistory(p);
  encounters(p.encounters);
  seasons(p.seasons);
  sites(p.sites);
  crops(p.referenceCrops);
  document.getElementById('profile').hidden = false;
  await sitesMap(p.sites);
  document.body.dataset.state = 'shown';
}

show();
