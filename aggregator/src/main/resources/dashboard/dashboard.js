// Trapline dashboard: the sites' live counts arrive as server-sent events (every change, pushed by the
// aggregator); the selected site's activity, individuals, estimates, demography and recent sightings are read
// from the JSON API whenever its counts change. Should the event stream fail, the page polls instead.
'use strict';

const { fmt, cell, json, link, profile, proportion } = trapline;
const state = { selected: null, sites: [], chart: null, polling: null, lastSightings: null, seasons: [] };

function status(text, mode) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.dataset.state = mode;
}

function renderSites(sites) {
  state.sites = sites;
  const body = document.querySelector('#site-table tbody');
  body.replaceChildren();
  document.getElementById('no-sites').hidden = sites.length > 0;
  for (const s of sites) {
    const row = document.createElement('tr');
    row.dataset.site = s.siteId;
    if (s.siteId === state.selected) row.classList.add('selected');
    cell(row, s.siteName || s.siteId, 'name');
    cell(row, fmt(s.sightings), 'n sightings');
    cell(row, fmt(s.independentEvents), 'n events');
    cell(row, fmt(s.distinctIndividuals), 'n individuals');
    cell(row, fmt(s.trapNights, 1), 'n trap-nights');
    cell(row, fmt(s.eventsPer100TrapNights, 2), 'n rate');
    row.addEventListener('click', () => select(s.siteId));
    body.appendChild(row);
  }
  if (!state.selected && sites.length > 0) {
    select(sites[0].siteId);
  } else if (state.selected) {
    const current = sites.find(s => s.siteId === state.selected);
    if (current && current.sightings !== state.lastSightings) details(state.selected);
  }
}

/**
 * The site's species in two tables: the marked (individuals; their estimates are the table below) and the
 * unmarked, each with its survey: occupancy over weekly occasions, and density where a day range is configured.
 */
async function speciesTables(base, species) {
  const marked = species.filter(s => !s.unmarked);
  const unmarked = species.filter(s => s.unmarked);
  const surveys = await Promise.all(unmarked.map(s =>
    json(base + '/survey?species=' + encodeURIComponent(s.species) + '&occasion=P7D').catch(() => null)));
  document.querySelector('#marked-species tbody').replaceChildren(...marked.map(s => {
    const row = document.createElement('tr');
    row.dataset.species = s.species;
    cell(row, s.species, 'name');
    cell(row, fmt(s.sightings), 'n sightings');
    cell(row, fmt(s.independentEvents), 'n events');
    cell(row, fmt(s.distinctIndividuals), 'n individuals');
    return row;
  }));
  document.querySelector('#unmarked-species tbody').replaceChildren(...unmarked.map((s, i) => {
    const survey = surveys[i];
    const occupancy = survey ? survey.occupancy : null;
    const density = survey ? survey.density : null;
    const row = document.createElement('tr');
    row.dataset.species = s.species;
    cell(row, s.species, 'name');
    cell(row, fmt(s.independentEvents), 'n events');
    cell(row, fmt(s.animals), 'n animals');
    cell(row, fmt(s.eventsPer100TrapNights, 2), 'n rate');
    cell(row, occupancy ? fmt(occupancy.naiveOccupancy, 2) : '–', 'n naive');
    cell(row, estimate(occupancy, 'psi'), 'n psi').title = occupancy ? occupancy.note || '' : '';
    cell(row, estimate(occupancy, 'p'), 'n p');
    cell(row, density && density.density !== null
      ? fmt(density.density, 2) + ' (' + fmt(density.lower95, 2) + '–' + fmt(density.upper95, 2) + ')'
      : '–', 'n density').title = density ? density.note || '' : (survey ? survey.densityNote || '' : '');
    return row;
  }));
}

/** An occupancy model's estimate with its interval, or why there is none (its status, in words). */
function estimate(occupancy, name) {
  if (!occupancy) return '–';
  const e = occupancy[name];
  if (!e) return '– (' + String(occupancy.status).toLowerCase().replaceAll('_', ' ') + ')';
  return e.lower95 === null || e.lower95 === undefined
    ? fmt(e.estimate, 3) + ' (' + String(occupancy.status).toLowerCase().replaceAll('_', ' ') + ')'
    : fmt(e.estimate, 3) + ' (' + fmt(e.lower95, 3) + '–' + fmt(e.upper95, 3) + ')';
}

/** A share with its Wilson interval as a percentage: "3.1% (1.2–7.5%)". */
function percent(w) {
  return fmt(100 * w.estimate, 1) + '% (' + fmt(100 * w.lower95, 1) + '–' + fmt(100 * w.upper95, 1) + '%)';
}

/** The blank audit and the classifier's accuracy, as the reviewers' answers give them. */
async function reviews(base, site) {
  const [audit, accuracy] = await Promise.all([json(base + '/blank-audit'), json(base + '/species-accuracy')]);
  if (site !== state.selected) return;
  document.getElementById('blank-audit').textContent = audit.checked === 0
    ? 'No frame called empty at ' + site + ' has been checked yet (' + fmt(audit.audited) + ' of ' + fmt(audit.calledEmpty)
      + ' drawn for the blank audit).'
    : 'Of frames called empty at ' + site + ', an estimated ' + percent(audit.missRate) + ' hold an animal; '
      + fmt(audit.checked) + ' checked.';
  document.getElementById('blank-audit').title = audit.note;
  document.querySelector('#species-accuracy tbody').replaceChildren(...accuracy.map(a => {
    const row = document.createElement('tr');
    row.dataset.species = a.species;
    cell(row, a.species);
    cell(row, fmt(a.reviewed), 'n');
    cell(row, fmt(a.falseBoxes), 'n');
    for (const rank of ['species', 'genus', 'family']) {
      const w = a.rightAtRank[rank];
      cell(row, w ? fmt(w.count) + ' of ' + fmt(w.of) + ' · ' + percent(w) : '–', 'n ' + rank);
    }
    return row;
  }));
}

function select(site) {
  state.selected = site;
  document.querySelectorAll('#site-table tbody tr').forEach(tr => tr.classList.toggle('selected', tr.dataset.site === site));
  details(site);
}

async function details(site) {
  const base = '/api/sites/' + encodeURIComponent(site);
  const [counts, activity, individuals, estimates, recent, species] = await Promise.all([
    json(base), json(base + '/activity'), json(base + '/individuals'), json(base + '/estimates'), json(base + '/sightings?limit=15'),
    json(base + '/species')]);
  if (site !== state.selected) return;
  state.lastSightings = counts.sightings;
  document.getElementById('detail').hidden = false;
  document.getElementById('site-name').textContent = counts.siteName + ' · ' + fmt(counts.sightings) + ' sightings';
  await speciesTables(base, species);
  if (site !== state.selected) return;
  drawActivity(activity);
  document.getElementById('individual-count').textContent = '(' + individuals.distinctIndividuals + ')';
  document.getElementById('individuals').replaceChildren(...individuals.individuals.map(i => {
    const li = document.createElement('li');
    li.append(link(profile(i.individualId), i.individualId), ' · ' + i.sightings);
    return li;
  }));
  const estimateRows = document.querySelector('#estimates tbody');
  estimateRows.replaceChildren(...estimates.map(e => {
    const row = document.createElement('tr');
    [e.session, e.species, e.n1, e.n2, e.m2].forEach(v => cell(row, String(v)));
    cell(row, fmt(e.estimate, 1), 'n');
    cell(row, fmt(e.lower95, 1) + ' – ' + fmt(e.upper95, 1), 'n');
    return row;
  }));
  await demography(site);
  await reviews(base, site);
  const recentRows = document.querySelector('#recent tbody');
  recentRows.replaceChildren(...recent.map(s => {
    const row = document.createElement('tr');
    row.dataset.sighting = s.sightingId;
    cell(row, new Date(s.time).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
    cell(row, s.cameraId);
    cell(row, s.species);
    if (s.individualId) cell(row, '').appendChild(link(profile(s.individualId), s.individualId));
    else cell(row, '—');
    cell(row, s.decision);
    return row;
  }));
}

/** The site's demography in the chosen season, and the return rate from the season before it (if one ends before). */
async function demography(site) {
  const chosen = state.seasons.find(s => s.name === document.getElementById('demography-season').value);
  document.getElementById('demography-section').hidden = !chosen;
  if (!chosen) return;
  const base = '/api/sites/' + encodeURIComponent(site);
  const before = state.seasons.filter(s => s.end <= chosen.start).at(-1);
  const [d, returned] = await Promise.all([json(base + '/demography?season=' + encodeURIComponent(chosen.name)),
    before ? json(base + '/return-rate?from=' + encodeURIComponent(before.name) + '&to=' + encodeURIComponent(chosen.name))
        : Promise.resolve({ species: [] })]);
  if (site !== state.selected) return;
  document.querySelector('#demography tbody').replaceChildren(...d.species.map(sp => {
    const row = document.createElement('tr');
    row.dataset.species = sp.species;
    cell(row, sp.species);
    cell(row, fmt(sp.knownAlive), 'n alive');
    cell(row, [sp.sex.female, sp.sex.male, sp.sex.unknown].join(' / '), 'n');
    cell(row, proportion(sp.sexRatio), 'n sex-ratio');
    cell(row, [sp.ageClass.juvenile, sp.ageClass.subadult, sp.ageClass.adult, sp.ageClass.unknown].join(' / '), 'n');
    cell(row, fmt(sp.births), 'n');
    cell(row, fmt(sp.recruits), 'n');
    cell(row, fmt(sp.disappearances), 'n');
    const back = returned.species.find(r => r.species === sp.species);
    cell(row, back ? back.returnRate.count + ' of ' + back.returnRate.of + ': ' + proportion(back.returnRate) : '–', 'n returned');
    return row;
  }));
}

function drawActivity(activity) {
  const hours = [...Array(24).keys()].map(h => String(h).padStart(2, '0') + 'h');
  if (!state.chart) {
    state.chart = new Chart(document.getElementById('activity'), {
      type: 'bar',
      data: { labels: hours, datasets: [
        { label: 'sightings', data: activity.sightings, backgroundColor: '#8fbfa4' },
        { label: 'independent events', data: activity.independentEvents, backgroundColor: '#2f6b4f' }] },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    window.traplineChart = state.chart;
  } else {
    state.chart.data.datasets[0].data = activity.sightings;
    state.chart.data.datasets[1].data = activity.independentEvents;
    state.chart.update();
  }
}

function poll() {
  if (state.polling) return;
  status('polling', 'polling');
  state.polling = setInterval(() => json('/api/sites').then(renderSites).catch(() => status('unreachable', 'error')), 3000);
}

function live() {
  if (!window.EventSource) return poll();
  const events = new EventSource('/api/live');
  events.addEventListener('sites', message => {
    if (state.polling) { clearInterval(state.polling); state.polling = null; }
    status('live · ' + new Date().toLocaleTimeString('en-GB'), 'live');
    renderSites(JSON.parse(message.data));
  });
  events.onerror = () => poll();
}

async function start() {
  state.seasons = await json('/api/seasons').catch(() => []);
  const select = document.getElementById('demography-season');
  select.replaceChildren(...state.seasons.map(s => new Option(s.name, s.name)));
  if (state.seasons.length > 0) select.value = state.seasons.at(-1).name;
  select.addEventListener('change', () => state.selected && demography(state.selected));
  live();
}

start();
