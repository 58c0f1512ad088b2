// The distribution map: each site on the offline base map, coloured by the chosen species' independent events per
// 100 trap-nights in the chosen period (all time or a season), from /api/distribution; beside it the species'
// naive occupancy in every period and the sites' figures.
'use strict';

const { fmt, proportion, cell, json, param, baseMap, fitSites } = trapline;

const RAMP = ['#fdd49e', '#fc8d59', '#d7301f', '#7f0000'];
const NOT_DETECTED = '#f4f1e4';
const RATE_UNKNOWN = '#b8b8b8';
const EPOCH = Date.parse('1970-01-01T00:00:00Z');
const state = { map: null, layer: null, fitted: false, merged: new Set() };

/**
 * The classes of the rates the sites have, for their colours and the legend: the distinct rates, in order, split
 * into as many classes as there are colours (fewer when there are fewer distinct rates: one when every site has the
 * same), at their quantiles, so that each class holds whole rates and reads as the lowest and highest rate in it.
 * Classes of the data rather than equal slices of 0 to the highest: a few detections make rates small and alike
 * (0.3, 0.3, 0.6), which equal slices would give classes without a site and bounds that read the same.
 */
function rateClasses(rates) {
  const distinct = [...new Set(rates.filter(r => Number.isFinite(r)))].sort((a, b) => a - b);
  const k = Math.min(RAMP.length, distinct.length);
  const classes = [];
  for (let j = 0; j < k; j++) {
    const part = distinct.slice(Math.floor(j * distinct.length / k), Math.floor((j + 1) * distinct.length / k));
    // the colours spread over the ramp, the highest class the darkest whatever their number
    const colour = RAMP[k === 1 ? RAMP.length - 1 : Math.round(j * (RAMP.length - 1) / (k - 1))];
    classes.push({ min: part[0], max: part.at(-1), colour });
  }
  const digits = rateDigits(classes.flatMap(c => [c.min, c.max]));
  for (const c of classes) {
    c.label = (c.min === c.max ? fmt(c.min, digits) : fmt(c.min, digits) + '–' + fmt(c.max, digits)) + ' per 100 trap-nights';
  }
  return classes;
}

/** Decimals for the bounds: two significant digits of the smallest, more until different bounds read differently. */
function rateDigits(bounds) {
  const smallest = Math.min(...bounds.filter(b => b > 0));
  let digits = Number.isFinite(smallest) ? Math.max(0, 1 - Math.floor(Math.log10(smallest))) : 0;
  const different = new Set(bounds).size;
  while (digits < 8 && new Set(bounds.map(b => fmt(b, digits))).size < different) digits++;
  return digits;
}

/** The colour of a site: not surveyed, surveyed without detection, detected without known effort, or its rate's class. */
function colour(site, classes) {
  if (!site.surveyed) return null;
  if (!site.detected) return NOT_DETECTED;
  if (site.eventsPer100TrapNights === null) return RATE_UNKNOWN;
  return classes.find(c => c.min <= site.eventsPer100TrapNights && site.eventsPer100TrapNights <= c.max).colour;
}

/** The legend, under the map: the kinds of site, and the rates' classes. */
function legend(classes) {
  const div = document.getElementById('legend');
  div.replaceChildren();
  const line = (label, c, cls) => {
    const row = document.createElement('div');
    const swatch = document.createElement('span');
    swatch.className = 'swatch' + (cls ? ' ' + cls : '');
    if (c) swatch.style.backgroundColor = c;
    row.append(swatch, label);
    div.appendChild(row);
    return row;
  };
  line('not detected', NOT_DETECTED);
  line('detected, effort unknown', RATE_UNKNOWN);
  for (const c of classes) {
    const row = line(c.label, c.colour);
    row.className = 'rate-class';
    Object.assign(row.dataset, { min: String(c.min), max: String(c.max), colour: c.colour });
  }
  line('not surveyed', null, 'unsurveyed');
}

/**
 * Whether a configured season is all time over again: at every site, from before any camera trap's picture to
 * now and on (the demo configures one, 'all-time', 1970–2100, for its demography). The page offers all time
 * itself, the API's own window, so such a season is not listed a second time.
 */
const allTimeOver = season => season.sites.length === 0 && Date.parse(season.start) <= EPOCH
    && Date.parse(season.end) >= Date.now();

async function draw() {
  const species = document.getElementById('species').value;
  const season = document.getElementById('season').value;
  history.replaceState(null, '', '?species=' + encodeURIComponent(species) + (season ? '&season=' + encodeURIComponent(season) : ''));
  const d = await json('/api/distribution?species=' + encodeURIComponent(species)
      + (season ? '&season=' + encodeURIComponent(season) : ''));
  const classes = rateClasses(d.sites.filter(s => s.surveyed && s.detected).map(s => s.eventsPer100TrapNights));

  if (state.layer) state.layer.remove();
  state.layer = L.featureGroup().addTo(state.map);
  const placed = d.sites.filter(s => s.latitude !== null && s.longitude !== null);
  for (const s of placed) {
    const fill = colour(s, classes);
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
  if (!state.fitted && placed.length > 0) {
    fitSites(state.map, placed.map(s => [s.latitude, s.longitude]));
    state.fitted = true;
  }
  legend(classes);
  const unplaced = d.sites.filter(s => !placed.includes(s)).map(s => s.name);
  const notice = document.getElementById('unplaced');
  notice.textContent = 'Not on the map, the catalog gives no coordinates: ' + unplaced.join(', ') + '.';
  notice.hidden = unplaced.length === 0;

  document.querySelector('#distribution tbody').replaceChildren(...d.sites.map(s => {
    const row = document.createElement('tr');
    row.dataset.site = s.siteId;
    cell(row, s.name);
    cell(row, fmt(s.trapNights, 1), 'n');
    cell(row, fmt(s.independentEvents), 'n');
    cell(row, fmt(s.eventsPer100TrapNights, 2), 'n rate');
    return row;
  }));
  document.querySelector('#occupancy tbody').replaceChildren(...d.occupancy.filter(o => !state.merged.has(o.season)).map(o => {
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
  const [list, seasons] = await Promise.all([json('/api/species'), json('/api/seasons')]);
  const speciesSelect = document.getElementById('species');
  speciesSelect.replaceChildren(...list.species.map(s => new Option(
      s.scientificName && s.scientificName !== s.species ? s.species + ' (' + s.scientificName + ')' : s.species, s.species)));
  // the species asked for, else the one the API puts first: seen most among those named to species, not "animal"
  const asked = list.species.some(s => s.species === param('species')) ? param('species') : list.preferred;
  if (asked !== null) speciesSelect.value = asked;
  const seasonSelect = document.getElementById('season');
  for (const s of seasons) {
    if (allTimeOver(s)) state.merged.add(s.name);
    else seasonSelect.appendChild(new Option(s.name, s.name));
  }
  if (seasons.some(s => s.name === param('season') && !state.merged.has(s.name))) seasonSelect.value = param('season');
  state.map = await baseMap(document.getElementById('map'));
  speciesSelect.addEventListener('change', draw);
  seasonSelect.addEventListener('change', draw);
  if (list.species.length === 0) {
    document.body.dataset.state = 'empty';
    return;
  }
  await draw();
}

// for the browser test: the legend's classes, to try on rates of its own, and the map, to zoom
window.traplineMap = { rateClasses, map: () => state.map };

init();
