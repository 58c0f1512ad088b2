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

  /** Each map's world outline (GeoJSON), for its first view to find the countries its sites lie in. */
  const outlines = new WeakMap();

  /**
   * A Leaflet map in {@code element} on the world outline its data-outline attribute names; no tile layer.
   * Each country's path says which it is (data-country: Natural Earth's ISO 3166-1 alpha-3 code).
   */
  async function baseMap(element) {
    const map = L.map(element, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('Country outlines: Natural Earth');
    const outline = await json(element.dataset.outline);
    outlines.set(map, outline);
    L.geoJSON(outline, { interactive: false,
      style: { color: '#8a9a91', weight: 1, fillColor: '#eef2ea', fillOpacity: 1 },
      onEachFeature: (feature, layer) => layer.on('add', () => { layer.getElement().dataset.country = feature.id; }) })
        .addTo(map);
    map.setView([0, 20], 2);
    return map;
  }

  /** The polygons of a GeoJSON geometry, each its rings ([longitude, latitude] points), the outer ring first. */
  const polygons = geometry => geometry.type === 'Polygon' ? [geometry.coordinates]
      : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];

  /** Whether a [longitude, latitude] point lies inside a ring (even–odd rule, in plain degrees: enough at 1:110m). */
  function inRing([x, y], ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  /**
   * The bounds of the outline's polygon that holds a point: a country, or the part of it the point is on
   * (the contiguous United States, not Alaska as well, which would span the world); null at sea.
   */
  function countryAround(map, latlng) {
    const point = [latlng.lng, latlng.lat];
    for (const feature of outlines.get(map)?.features ?? []) {
      for (const [outer, ...holes] of polygons(feature.geometry)) {
        if (inRing(point, outer) && !holes.some(hole => inRing(point, hole))) {
          return L.latLngBounds(outer.map(([lng, lat]) => [lat, lng]));
        }
      }
    }
    return null;
  }

  /**
   * The first view of sites: every site, and all of each country they lie in. A closer fit of the sites
   * alone would, for one site or a reserve's few, zoom to where the 1:110m outline has no border in sight
   * (a view filled by one country) and say nothing of where the sites are; the outline shows nothing
   * finer than a country anyway. Never closer than zoom 6 (some 1,500 km across), so that a small
   * country keeps its neighbours and a site at sea its coast; zooming in is the reader's.
   */
  function fitSites(map, latlngs) {
    if (latlngs.length === 0) return;
    const bounds = L.latLngBounds(latlngs);
    for (const latlng of latlngs) {
      const country = countryAround(map, L.latLng(latlng));
      if (country) bounds.extend(country);
    }
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 6, animate: false });
  }

  return { fmt, time, proportion, cell, link, json, param, profile, baseMap, fitSites };
})();
