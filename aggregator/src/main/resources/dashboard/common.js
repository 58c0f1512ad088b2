// Trapline's pages: what they share. Numbers and times written alike, JSON read alike, and the maps' base: an
// offline world outline (Natural Earth's countries, shipped in a WebJar) drawn by Leaflet, never tiles from the
// internet, so the pages work where the reserve's network reaches nothing else.
'use strict';

const trapline = (() => {
  const fmt = (n, digits = 0) => n === null || n === undefined ? '–'
      : Number(n).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

  const time = iso => iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–';

  /** A proportion with its 95% interval: "0.60 (0.23–0.88)". */
  const proportion = p => p && p.estimate !== null && p.estimate !== undefined
      ? fmt(p.estimate, 2) + ' (' + fmt(p.lower95, 2) + '–' + fmt(p.upper95, 2) + ')' : '–';

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function link(href, text) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  async function json(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      const error = new Error(path + ': ' + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  const param = name => new URLSearchParams(location.search).get(name);

  const profile = id => '/individual.html?id=' + encodeURIComponent(id);

  /** A Leaflet map in {@code element} on the world outline its data-outline attribute names; no tile layer. */
  async function baseMap(element) {
    const map = L.map(element, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Country outlines: Natural Earth');
    const outline = await json(element.dataset.outline);
    L.geoJSON(outline, { interactive: false,
      style: { color: '#98a69e', weight: 1, fillColor: '#eef2ea', fillOpacity: 1 } }).addTo(map);
    map.setView([0, 20], 2);
    return map;
  }

  return { fmt, time, proportion, cell, link, json, param, profile, baseMap };
})();
