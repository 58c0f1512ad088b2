// The distribution map: each site on the offline base map, coloured by the chosen species' independent events per
// 100 trap-nights in the chosen period (all time or a season), from /api/distribution; beside it the species'
// naive occupancy in every period and the sites' figures.
'use strict';

const { fmt, proportion, cell, json, param, baseMap } = trapline;

const RAMP = ['#fdd49e', '#fc8d59', '#d7301f', '#7f0000'];
const NOT_DETECTED = '#f4f1e4';
const RATE_UNKNOWN = '#b8b8b8';
const state = { map: null, layer: null, legend: null, fitted: false };

/** The colour of a site: not surveyed, surveyed without detection, detected without known effort, or its rate's class. */
function colour(site, max) {
  if (!site.surveyed) return null;
  if (!site.detected) return NOT_DETECTED;
  if (site.eventsPer100TrapNights === null) return RATE_UNKNOWN;
  const k = max > 0 ? Math.min(RAMP.length - 1, Math.floor(site.eventsPer100TrapNights / max * RAMP.length)) : 0;
  return RAMP[k];
}

function legend(max) {
  const rows = [['not detected', NOT_DETECTED], ['detected, effort unknown', RATE_UNKNOWN]];
  RAMP.forEach((c, k) => rows.push([fmt(max * k / RAMP.length, 1) + '–' + fmt(max * (k + 1) / RAMP.length, 1)
      + ' per 100 trap-nights', c]));
  const div = document.createElement('div');
  div.className = 'legend';
  for (const [label, c] of rows) {
    const line = document.createElement('div');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = c;
    line.append(swatch, label);
    div.appendChild(line);
  }
  const unsurveyed = document.createElement('div');
  unsurveyed.innerHTML = '<span class="swatch unsurveyed"></span>not surveyed';
  div.appendChild(unsurveyed);
  return div;
}

async function draw() {
  const species = document.getElementById('species').value;
  const season = document.getElementById('season').value;
  history.replaceState(null, '', '?species=' + encodeURIComponent(species) + (season ? '&season=' + encodeURIComponent(season) : ''));
  const d = await json('/api/distribution?species=' + encodeURIComponent(species)
      + (season ? '&season=' + encodeURIComponent(season) : ''));
  const max = Math.max(0, ...d.sites.map(s => s.eventsPer100TrapNights ?? 0));

  if (state.layer) state.layer.remove();
  state.layer = L.featureGroup().addTo(state.map);
  for (const s of d.sites.filter(s => s.latitude !== null && s.longitude !== null)) {
    const fill = colour(s, max);
    const marker = L.circleMarker([s.latitude, s.longitude], { radius: 10, color: '#1d2a24', weight: 1.5,
      dashArray: fill ? null : '3 3', fillColor: fill || '#ffffff', fillOpacity: fill ? 0.95 : 0.4, className: 'site-marker' })
        .bindTooltip(s.name + ': ' + (s.eventsPer100TrapNights === null ? 'no rate' : fmt(s.eventsPer100TrapNights, 2)
            + ' per 100 trap-nights') + ' (' + s.independentEvents + ' events)')
        .addTo(state.layer);
    const element = marker.getElement();
    element.dataset.site = s.siteId;
    element.dataset.rate = s.eventsPer100TrapNights === null ? '' : String(s.eventsPer100TrapNights);
    element.dataset.fill = fill || 'none';
  }
  if (!state.fitted && state.layer.getLayers().length > 0) {
    state.map.fitBounds(state.layer.getBounds(), { padding: [50, 50], maxZoom: 9 });
    state.fitted = true;
  }
  if (state.legend) state.legend.remove();
  state.legend = L.control({ position: 'bottomleft' });
  state.legend.onAdd = () => legend(max);
  state.legend.addTo(state.map);

  document.querySelector('#distribution tbody').replaceChildren(...d.sites.map(s => {
    const row = document.createElement('tr');
    row.dataset.site = s.siteId;
    cell(row, s.name);
    cell(row, fmt(s.trapNights, 1), 'n');
    cell(row, fmt(s.independentEvents), 'n');
    cell(row, fmt(s.eventsPer100TrapNights, 2), 'n rate');
    return row;
  }));
  document.querySelector('#occupancy tbody').replaceChildren(...d.occupancy.map(o => {
    const row = document.createElement('tr');
    row.dataset.window = o.window;
    cell(row, o.season || 'all time');
    cell(row, fmt(o.naiveOccupancy.count), 'n');
    cell(row, fmt(o.naiveOccupancy.of), 'n');
    cell(row, proportion(o.naiveOccupancy), 'n occupancy');
    return row;
  }));
  document.body.dataset.state = 'shown';
  document.body.dataset.shown = species + '|' + season;
}

async function init() {
  const [sites, seasons] = await Promise.all([json('/api/sites'), json('/api/seasons')]);
  const species = [...new Set(sites.flatMap(s => s.species.map(sp => sp.species)))].sort();
  const speciesSelect = document.getElementById('species');
  speciesSelect.replaceChildren(...species.map(name => new Option(name, name)));
  if (species.includes(param('species'))) speciesSelect.value = param('species');
  const seasonSelect = document.getElementById('season');
  seasons.forEach(s => seasonSelect.appendChild(new Option(s.name, s.name)));
  if (seasons.some(s => s.name === param('season'))) seasonSelect.value = param('season');
  state.map = await baseMap(document.getElementById('map'));
  speciesSelect.addEventListener('change', draw);
  seasonSelect.addEventListener('change', draw);
  if (species.length === 0) {
    document.body.dataset.state = 'empty';
    return;
  }
  await draw();
}

init();
