// The reviewers' workbench: a queue of frames, one frame at a time with its boxes and the networks' answers, and
// keys to accept, empty, rename, recount, remove and move on, as Timelapse does. Each decision is a correction,
// POSTed to /api/corrections; the frame is read again until the aggregator has applied it. The session is a cookie
// the page never sees (HttpOnly). Frames are the detector's redacted copies; one that may show a person is withheld.
'use strict';

(() => {
  const $ = id => document.getElementById(id);
  const SCIENTIFIC = /^[A-Z][a-z]+(-[a-z]+)?( [a-z]+(-[a-z]+)?){0,2}$/;
  const state = { me: null, frames: [], at: -1, frame: null, box: null, eventView: false };

  async function call(method, path, body) {
    const response = await fetch(path, { method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = new Error(json && json.error ? json.error : path + ': ' + response.status);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  function say(text, bad) {
    $('message').textContent = text;
    $('message').dataset.state = bad ? 'error' : 'ok';
  }

  async function start() {
    try {
      state.me = await call('GET', '/api/session');
      signedIn();
    } catch (e) {
      $('sign-in').hidden = false;
      $('key').focus();
    }
  }

  $('sign-in').addEventListener('submit', async event => {
    event.preventDefault();
    try {
      state.me = await call('POST', '/api/session', { key: $('key').value });
      $('key').value = '';
      $('sign-in').hidden = true;
      signedIn();
    } catch (e) {
      $('sign-in-error').textContent = e.message;
      $('sign-in-error').hidden = false;
    }
  });

  async function signedIn() {
    $('who').textContent = state.me.name + ' (' + state.me.role + ')';
    $('bench').hidden = false;
    const sites = await trapline.json('/api/sites');
    const mine = sites.map(s => s.siteId).filter(id => state.me.sites.includes('*') || state.me.sites.includes(id));
    for (const id of mine) {
      const option = document.createElement('option');
      option.value = option.textContent = id;
      $('f-site').appendChild(option);
    }
    const wanted = trapline.param('site');
    if (wanted && mine.includes(wanted)) $('f-site').value = wanted;
    await load();
  }

  $('filters').addEventListener('submit', event => {
    event.preventDefault();
    load();
  });

  async function load() {
    const q = new URLSearchParams({ site: $('f-site').value, limit: '200' });
    for (const [name, field] of [['camera', 'f-camera'], ['species', 'f-species'], ['decision', 'f-decision'],
      ['confidence', 'f-confidence'], ['from', 'f-from'], ['to', 'f-to']]) {
      if ($(field).value) q.set(name, $(field).value);
    }
    if ($('f-audit').checked) q.set('audit', 'true');
    if ($('f-unreviewed').checked) q.set('unreviewed', 'true');
    state.frames = await call('GET', '/api/review/queue?' + q);
    const list = $('queue');
    list.replaceChildren();
    state.frames.forEach((f, i) => {
      const item = document.createElement('li');
      item.dataset.frame = f.frameId;
      item.textContent = trapline.time(f.captureTime) + ' · ' + f.cameraId + ' · ' + summary(f);
      if (f.audited) item.classList.add('audit');
      item.addEventListener('click', () => show(i));
      list.appendChild(item);
    });
    $('empty-queue').hidden = state.frames.length > 0;
    $('frame-view').hidden = state.frames.length === 0;
    if (state.frames.length) show(0);
  }

  function summary(f) {
    if (f.verdict) return 'reviewed: ' + f.verdict.toLowerCase();
    if (!f.sightings.length) return f.calledEmpty ? 'called empty' + (f.audited ? ' (audit)' : '') : 'no animal counted';
    return f.sightings.map(s => s.scientificName || s.species).join(', ');
  }

  function show(i) {
    if (i < 0 || i >= state.frames.length) return;
    state.at = i;
    state.frame = state.frames[i];
    state.box = state.frame.sightings.length ? 0 : null;
    [...$('queue').children].forEach((li, j) => li.classList.toggle('current', j === i));
    $('queue').children[i].scrollIntoView({ block: 'nearest' });
    say('');
    draw();
  }

  function draw() {
    const f = state.frame;
    $('frame-title').textContent = f.cameraId + ', ' + trapline.time(f.captureTime) + (f.calledEmpty ? ' · called empty' : '')
        + (f.audited ? ' · blank audit' : '') + (f.reviewer ? ' · reviewed by ' + f.reviewer : '');
    const image = $('image');
    if (f.imageShown) {
      image.hidden = false;
      image.src = '/api/review/frames/' + encodeURIComponent(f.frameId) + '/image';
      $('withheld').hidden = true;
      $('boxes').hidden = false;
    } else {
      // never an image that may show a person: not even its address is put on the page
      image.hidden = true;
      image.removeAttribute('src');
      $('withheld').textContent = 'Image withheld: ' + f.imageWithheld;
      $('withheld').hidden = false;
      $('boxes').hidden = true;
    }
    const svg = $('boxes');
    svg.replaceChildren();
    const boxes = f.boxes.map(b => ({ bbox: b.bbox, kind: b.category.toLowerCase(), sightingId: b.sightingId }));
    f.sightings.filter(s => !f.boxes.some(b => b.sightingId === s.sightingId))
        .forEach(s => boxes.push({ bbox: s.bbox, kind: 'reviewer', sightingId: s.sightingId }));
    boxes.forEach(b => {
      const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      r.setAttribute('x', b.bbox[0]); r.setAttribute('y', b.bbox[1]);
      r.setAttribute('width', b.bbox[2]); r.setAttribute('height', b.bbox[3]);
      r.setAttribute('class', 'box ' + b.kind + (selected() && selected().sightingId === b.sightingId ? ' selected' : ''));
      svg.appendChild(r);
    });
    const body = $('answers').querySelector('tbody');
    body.replaceChildren();
    const counted = new Map(f.sightings.map(s => [s.sightingId, s]));
    f.boxes.forEach(b => row(body, b.index + 1, b, counted.get(b.sightingId)));
    f.sightings.filter(s => !f.boxes.some(b => b.sightingId === s.sightingId)).forEach(s => row(body, '+', null, s));
    if (state.eventView) drawEvent();
  }

  function row(body, n, box, sighting) {
    const tr = document.createElement('tr');
    if (sighting) tr.dataset.sighting = sighting.sightingId;
    if (sighting && selected() && selected().sightingId === sighting.sightingId) tr.classList.add('selected');
    trapline.cell(tr, String(n));
    trapline.cell(tr, box ? box.category.toLowerCase() + (box.category === 'ANIMAL' ? '' : ' (never counted)') : 'reviewer');
    trapline.cell(tr, box ? trapline.fmt(box.confidence, 2) : '–', 'n');
    trapline.cell(tr, box && box.speciesLabel ? box.speciesLabel + (box.species ? ' (' + box.species + ')' : '') : '–');
    trapline.cell(tr, box && box.speciesScore !== null && box.speciesScore !== undefined ? trapline.fmt(box.speciesScore, 2) : '–', 'n');
    trapline.cell(tr, sighting ? (sighting.scientificName || sighting.species) : box && box.category === 'ANIMAL' ? 'removed' : '–',
        'counted');
    trapline.cell(tr, sighting ? String(sighting.animals) : '–', 'n');
    trapline.cell(tr, sighting ? sighting.decision : '–');
    trapline.cell(tr, sighting ? (sighting.classifiedBy || 'networks') + (sighting.accepted ? ' ✓' : '') : '–');
    body.appendChild(tr);
  }

  function selected() {
    return state.box === null ? null : state.frame.sightings[state.box] || null;
  }

  /** The camera's frames in the queue within an hour of this one: the event, to look at together. */
  function drawEvent() {
    const around = eventFrames().map(i => state.frames[i]);
    const strip = $('event-frames');
    strip.replaceChildren();
    for (const o of around) {
      const figure = document.createElement('figure');
      if (o.imageShown) {
        const img = document.createElement('img');
        img.src = '/api/review/frames/' + encodeURIComponent(o.frameId) + '/image';
        img.alt = o.frameId;
        figure.appendChild(img);
      }
      const caption = document.createElement('figcaption');
      caption.textContent = trapline.time(o.captureTime) + ' · ' + summary(o) + (o.imageShown ? '' : ' · image withheld');
      figure.appendChild(caption);
      figure.addEventListener('click', () => show(state.frames.indexOf(o)));
      strip.appendChild(figure);
    }
    $('event').hidden = false;
  }

  /** Sends a decision about the frame (or the selected sighting), then reads the frame until it shows. */
  async function decide(kind, extra = {}) {
    const ok = await decideOn(state.at, kind, extra);
    if (ok) {
      say(kind.toLowerCase().replace('_', ' ') + ': saved');
      draw();
    }
    return ok;
  }

  /** A decision about the queue's frame {@code i}; the frame is read again until the aggregator has applied it. */
  async function decideOn(i, kind, extra = {}) {
    const f = state.frames[i];
    const body = Object.assign({ correctionId: crypto.randomUUID(), frameId: f.frameId, siteId: f.siteId,
      cameraId: f.cameraId, deploymentId: f.deploymentId, captureTime: f.captureTime, kind }, extra);
    try {
      say('sending…');
      await call('POST', '/api/corrections', body);
      const before = f.reviewedAt;
      let fresh = f;
      for (let tries = 0; tries < 60 && fresh.reviewedAt === before; tries++) {
        await new Promise(done => setTimeout(done, 250));
        fresh = await call('GET', '/api/review/frames/' + encodeURIComponent(f.frameId));
      }
      state.frames[i] = fresh;
      if (i === state.at) state.frame = fresh;
      $('queue').children[i].textContent = trapline.time(fresh.captureTime) + ' · ' + fresh.cameraId + ' · ' + summary(fresh);
      return true;
    } catch (e) {
      say(e.message, true);
      return false;
    }
  }

  /** The queue's frames of this frame's event: the camera's frames within an hour of it. */
  function eventFrames() {
    const f = state.frame;
    return state.frames.map((o, i) => ({ o, i })).filter(({ o }) => o.cameraId === f.cameraId
        && Math.abs(new Date(o.captureTime) - new Date(f.captureTime)) <= 3600 * 1000).map(({ i }) => i);
  }

  /**
   * One decision for the whole event: accepted, empty, or every animal of it renamed (a sequence is one species more
   * often than not; a frame that is not is corrected on its own afterwards).
   */
  async function decideEvent(kind, extra = {}) {
    const frames = eventFrames();
    let done = 0;
    for (const i of frames) {
      const targets = kind === 'SPECIES' ? state.frames[i].sightings.map(s => s.sightingId) : [null];
      for (const sightingId of targets) {
        if (await decideOn(i, kind, sightingId ? Object.assign({ sightingId }, extra) : extra)) done++;
      }
    }
    say(kind.toLowerCase().replace('_', ' ') + ' for the event (' + frames.length + ' frames): saved');
    draw();
    return done > 0;
  }

  async function sendSpecies() {
    const name = $('species').value.trim();
    const chosen = [...$('taxa').options].find(o => o.value === name);
    if (!SCIENTIFIC.test(name)) {
      say("'" + name + "' is not a scientific name: a binomial such as 'Leopardus pardalis' or one word such as 'Felidae'", true);
      return;
    }
    const common = chosen ? chosen.dataset.common : undefined;
    const count = $('count').value ? Number($('count').value) : undefined;
    const target = selected();
    if (state.wholeEvent) {
      await decideEvent('SPECIES', { scientificName: name, commonName: common });
    } else if (target && !state.pendingPresence) {
      await decide('SPECIES', { sightingId: target.sightingId, scientificName: name, commonName: common });
    } else {
      await decide('ANIMAL_PRESENT', { scientificName: name, commonName: common, count });
    }
    state.pendingPresence = false;
    state.wholeEvent = false;
    $('species').value = '';
    $('count').value = '';
    $('species').blur();
  }

  async function sendCount() {
    const target = selected();
    const n = Number($('count').value);
    if (!target) {
      say('pick a box first (1–9), or mark the animal present (n)', true);
      return;
    }
    await decide('COUNT', { sightingId: target.sightingId, count: n });
    $('count').value = '';
    $('count').blur();
  }

  let typing = null;
  $('species').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const found = await call('GET', '/api/review/taxonomy?q=' + encodeURIComponent($('species').value));
      $('taxa').replaceChildren(...found.map(t => {
        const o = document.createElement('option');
        o.value = t.scientificName;
        o.textContent = (t.commonName || '') + ' (' + t.rank + ')';
        o.dataset.common = t.commonName || '';
        return o;
      }));
    }, 150);
  });
  $('species').addEventListener('keydown', event => {
    if (event.key === 'Enter') { event.preventDefault(); sendSpecies(); }
    if (event.key === 'Escape') { state.pendingPresence = false; state.wholeEvent = false; $('species').blur(); }
  });
  $('count').addEventListener('keydown', event => {
    if (event.key === 'Enter') { event.preventDefault(); state.pendingPresence ? sendSpecies() : sendCount(); }
    if (event.key === 'Escape') $('count').blur();
  });

  document.addEventListener('keydown', event => {
    if (!state.frame || event.target.tagName === 'INPUT' || event.target.tagName === 'SELECT' || event.ctrlKey || event.metaKey) return;
    const key = event.key;
    if (/^[1-9]$/.test(key)) {
      const i = Number(key) - 1;
      if (i < state.frame.sightings.length) { state.box = i; draw(); }
    } else if (key === 'j' || key === 'ArrowDown') {
      show(state.at + 1);
    } else if (key === 'k' || key === 'ArrowUp') {
      show(state.at - 1);
    } else if (key === 'A') {
      decideEvent('ACCEPTED');
    } else if (key === 'E') {
      decideEvent('EMPTY');
    } else if (key === 'S') {
      state.pendingPresence = false;
      state.wholeEvent = true;
      say('the whole event (' + eventFrames().length + ' frames): type the scientific name, then Enter');
      $('species').value = '';
      $('species').focus();
    } else if (key === 'a') {
      decide('ACCEPTED').then(ok => ok && show(state.at + 1));
    } else if (key === 'e') {
      decide('EMPTY').then(ok => ok && show(state.at + 1));
    } else if (key === 'n') {
      state.pendingPresence = true;
      say('animal present: type its scientific name (and a count), then Enter');
      $('species').value = '';
      $('species').focus();
    } else if (key === 's') {
      if (!selected()) { say('no box to rename here: mark the animal present (n)', true); return; }
      state.pendingPresence = false;
      $('species').value = '';
      $('species').focus();
    } else if (key === 'c') {
      $('count').focus();
    } else if (key === 'x') {
      if (selected()) decide('BOX_REMOVED', { sightingId: selected().sightingId });
    } else if (key === 'p') {
      decide('PERSON_PRESENT', selected() ? { sightingId: selected().sightingId } : {});
    } else if (key === 'v') {
      state.eventView = !state.eventView;
      $('event').hidden = !state.eventView;
      if (state.eventView) drawEvent();
    } else {
      return;
    }
    event.preventDefault();
  });

  start();
})();
