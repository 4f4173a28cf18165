// techties — partnership map. Vanilla ES2020, no dependencies, no network beyond this origin.
// Everything that comes from documents is inserted as text (textContent / text nodes /
// setAttribute), never as HTML.
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const API = '/api/v1';
  const LIST_LIMIT = 100;
  const GRAPH_MAX_NODES = 300;
  const GRAPH_ITERATIONS = 200;
  const GRAPH_LABELS = 24;
  const MAP_W = 960;
  const MAP_H = 480;
  const MAP_HOME = { x: 0, y: 16, w: 960, h: 380 };

  const FILTER_KEYS = ['pair', 'domain', 'type', 'status', 'q', 'since', 'until'];

  const TYPE_LABELS = {
    rd_center: 'R&D centre',
    joint_lab: 'joint lab',
    joint_venture: 'joint venture',
    investment: 'investment',
    agreement: 'agreement',
    academic: 'academic',
    talent: 'talent',
    technology_transfer: 'technology transfer',
    arms_sale: 'arms sale',
    joint_project: 'joint project',
    technopark: 'technology park',
    standards: 'standards',
    other: 'other',
  };

  const DOMAIN_LABELS = {
    ai: 'AI',
    big_data: 'big data',
    new_media: 'new media',
    digital_economy: 'digital economy',
    smart_city: 'smart city',
  };

  // A fixed, distinct colour for every known domain; unknown domains get a hashed hue.
  const DOMAIN_COLORS = {
    telecom: '#1f77b4',
    ai: '#ff7f0e',
    big_data: '#2ca02c',
    robotics: '#d62728',
    biotech: '#9467bd',
    semiconductors: '#8c564b',
    space: '#e377c2',
    cyber: '#393b79',
    new_media: '#bcbd22',
    digital_economy: '#17becf',
    smart_city: '#6b6ecf',
    surveillance: '#ad494a',
    quantum: '#637939',
    energy: '#e7ba52',
    aerospace: '#3182bd',
    defense: '#843c39',
    nuclear: '#7b4173',
    fintech: '#31a354',
    other: '#9a9a9a',
  };

  const COUNTRY_COLORS = {
    CN: '#c8102e',
    RU: '#1d4f9c',
    US: '#2e7d32',
    IN: '#ef6c00',
    IR: '#00897b',
    KP: '#6a1b9a',
    BY: '#8d6e63',
    KZ: '#0097a7',
  };

  // ISO 3166 numeric (as used by world-atlas ids) -> alpha-2, for the 1:110m countries.
  const NUM_TO_ISO2 = (function () {
    const table =
      '242FJ834TZ732EH124CA840US398KZ860UZ598PG360ID032AR152CL180CD706SO404KE729SD148TD332HT214DO' +
      '643RU044BS238FK578NO304GL260TF626TL710ZA426LS484MX858UY076BR068BO604PE170CO591PA188CR558NI' +
      '340HN222SV320GT084BZ862VE328GY740SR250FR218EC630PR388JM192CU716ZW072BW516NA686SN466ML478MR' +
      '204BJ562NE566NG120CM768TG288GH384CI324GN624GW430LR694SL854BF140CF178CG266GA226GQ894ZM454MW' +
      '508MZ748SZ024AO108BI376IL422LB450MG275PS270GM788TN012DZ400JO784AE634QA414KW368IQ512OM548VU' +
      '116KH764TH418LA104MM704VN408KP410KR496MN356IN050BD064BT524NP586PK004AF762TJ417KG795TM364IR' +
      '760SY051AM752SE112BY804UA616PL040AT348HU498MD642RO440LT428LV233EE276DE100BG300GR792TR008AL' +
      '191HR756CH442LU056BE528NL620PT724ES372IE540NC090SB554NZ036AU144LK156CN158TW380IT208DK826GB' +
      '352IS031AZ268GE608PH458MY096BN705SI246FI703SK203CZ232ER392JP600PY887YE682SA010AQ196CY504MA' +
      '818EG434LY231ET262DJ800UG646RW070BA807MK688RS499ME780TT728SS';
    const out = Object.create(null);
    const re = /(\d{3})([A-Z]{2})/g;
    let m;
    while ((m = re.exec(table)) !== null) out[m[1]] = m[2];
    return out;
  })();
  const NAME_TO_ISO2 = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

  // ---------------------------------------------------------------- state

  const state = {
    filters: { pair: '', domain: '', type: '', status: '', q: '', since: '', until: '' },
    entity: null,
    entityName: '',
    selected: null,
    loadGen: 0,
    loadCtl: null,
    selGen: 0,
    docGen: 0,
    detail: null,
    reportIndex: 0,
    countryPaths: new Map(), // ISO-2 -> [path]
    countryCounts: new Map(), // ISO-2 -> number of partnerships with a site mentioning it
    selectedCountries: [],
    view: Object.assign({}, MAP_HOME),
    docCache: new Map(),
  };

  // ---------------------------------------------------------------- DOM helpers

  const $ = (sel) => document.querySelector(sel);

  function appendKids(node, kids) {
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }

  function setProps(node, props) {
    if (!props) return;
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? '' : String(value));
    }
  }

  // HTML element; children are nodes or strings (strings become text nodes).
  function h(tag, props, ...kids) {
    const node = document.createElement(tag);
    setProps(node, props);
    return appendKids(node, kids);
  }

  // SVG element.
  function s(tag, props, ...kids) {
    const node = document.createElementNS(SVG_NS, tag);
    setProps(node, props);
    return appendKids(node, kids);
  }

  function str(v) {
    return v === null || v === undefined ? '' : String(v);
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many || one + 's'}`;
  }

  function typeLabel(t) {
    if (!t) return 'partnership';
    return TYPE_LABELS[t] || String(t).replace(/_/g, ' ');
  }

  function domainLabel(d) {
    if (!d) return 'unspecified';
    return DOMAIN_LABELS[d] || String(d).replace(/_/g, ' ');
  }

  function safeClass(v) {
    const c = String(v || '').toLowerCase();
    return /^[a-z][a-z0-9_-]{0,40}$/.test(c) ? c : 'other';
  }

  function safeHref(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  function hashHue(text) {
    let x = 2166136261;
    for (const ch of String(text)) {
      x ^= ch.codePointAt(0);
      x = Math.imul(x, 16777619);
    }
    return (x >>> 0) % 360;
  }

  function domainColor(d) {
    const key = d || 'other';
    return DOMAIN_COLORS[key] || `hsl(${hashHue(key)}, 55%, 48%)`;
  }

  function countryColor(c) {
    if (!c) return '#8a8f98';
    return COUNTRY_COLORS[c] || `hsl(${hashHue(c)}, 52%, 44%)`;
  }

  // Code-point aware truncation.
  function truncate(text, max) {
    const chars = Array.from(str(text));
    if (chars.length <= max) return chars.join('');
    return chars.slice(0, max - 1).join('').replace(/\s+\S*$/, '') + '…';
  }

  function normalizeSpace(t) {
    return str(t).replace(/\s+/g, ' ').trim();
  }

  function partyText(p) {
    if (p === null || p === undefined) return '';
    if (typeof p === 'string') return p;
    const name = str(p.name) || 'unnamed party';
    return p.country ? `${name} (${p.country})` : name;
  }

  // ---------------------------------------------------------------- errors and fetching

  function showError(message) {
    const box = $('#error');
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    const box = $('#error');
    box.textContent = '';
    box.hidden = true;
  }

  // The one fetch helper: same origin, JSON, GET. Shows failures in #error and rethrows.
  async function api(path, params, signal) {
    const query = params ? params.toString() : '';
    const url = query ? `${path}?${query}` : path;
    let res;
    try {
      res = await fetch(url, {
        method: 'GET',
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal,
      });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      const e = new Error(`Could not reach the server for ${path}: ${err && err.message ? err.message : err}`);
      e.fromApi = true;
      showError(e.message);
      throw e;
    }
    if (!res.ok) {
      let detail = '';
      try {
        const body = await res.json();
        if (body && body.error) detail = typeof body.error === 'string' ? body.error : JSON.stringify(body.error);
        else if (body && body.message) detail = String(body.message);
      } catch (_) {
        /* not JSON */
      }
      const e = new Error(`${path}: ${res.status} ${res.statusText}${detail ? ' — ' + detail : ''}`);
      e.fromApi = true;
      showError(e.message);
      throw e;
    }
    try {
      return await res.json();
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      const e = new Error(`${path}: the server sent a response that is not JSON`);
      e.fromApi = true;
      showError(e.message);
      throw e;
    }
  }

  function isAbort(err) {
    return err && err.name === 'AbortError';
  }

  // ---------------------------------------------------------------- filters

  class InputError extends Error {}

  function parsePair(text) {
    const raw = str(text).trim();
    if (!raw) return [];
    const tokens = raw.split(/[\s,;/|+–—-]+/).filter(Boolean).map((t) => t.toUpperCase());
    for (const t of tokens) {
      if (!/^[A-Z]{2}$/.test(t)) throw new InputError(`“${t}” is not a two-letter country code (use e.g. RU,CN).`);
    }
    const uniq = Array.from(new Set(tokens));
    if (uniq.length > 2) throw new InputError('Enter one or two country codes, e.g. RU or RU,CN.');
    return uniq;
  }

  function checkDate(label, v) {
    if (v && !/^\d{4}(-\d{2}-\d{2})?$/.test(v)) {
      throw new InputError(`${label} must be a year (YYYY) or a date (YYYY-MM-DD).`);
    }
  }

  function readInputs() {
    const f = {};
    for (const key of FILTER_KEYS) {
      const input = $(`#filter-${key}`);
      f[key] = input ? input.value.trim() : '';
    }
    const codes = parsePair(f.pair);
    f.pair = codes.join(',');
    checkDate('“Since”', f.since);
    checkDate('“Until”', f.until);
    return f;
  }

  function writeInputs() {
    for (const key of FILTER_KEYS) {
      const input = $(`#filter-${key}`);
      if (input) input.value = state.filters[key] || '';
    }
  }

  function pairCodes() {
    try {
      return parsePair(state.filters.pair);
    } catch (_) {
      return [];
    }
  }

  function filterParams() {
    const p = new URLSearchParams();
    const f = state.filters;
    const codes = pairCodes();
    if (codes.length === 2) p.set('pair', codes.join(','));
    else if (codes.length === 1) p.append('country', codes[0]);
    for (const key of ['domain', 'type', 'status', 'since', 'until', 'q']) {
      if (f[key]) p.set(key, f[key]);
    }
    if (state.entity !== null) p.set('entity', String(state.entity));
    return p;
  }

  function syncHash() {
    const p = new URLSearchParams();
    for (const key of FILTER_KEYS) if (state.filters[key]) p.set(key, state.filters[key]);
    if (state.entity !== null) {
      p.set('entity', String(state.entity));
      if (state.entityName) p.set('entity_name', state.entityName);
    }
    if (state.selected !== null) p.set('p', String(state.selected));
    const qs = p.toString();
    const target = location.pathname + location.search + (qs ? '#' + qs : '');
    if (target !== location.pathname + location.search + location.hash) {
      try {
        history.replaceState(null, '', target);
      } catch (_) {
        /* ignore */
      }
    }
  }

  function readHash() {
    const hash = location.hash.replace(/^#/, '');
    if (!hash) return null;
    const p = new URLSearchParams(hash);
    const f = {};
    for (const key of FILTER_KEYS) f[key] = (p.get(key) || '').trim();
    for (const key of ['domain', 'type', 'status']) {
      const select = $(`#filter-${key}`);
      if (f[key] && select && !Array.from(select.options).some((o) => o.value === f[key])) f[key] = '';
    }
    try {
      f.pair = parsePair(f.pair).join(',');
    } catch (_) {
      f.pair = '';
    }
    if (f.since && !/^\d{4}(-\d{2}-\d{2})?$/.test(f.since)) f.since = '';
    if (f.until && !/^\d{4}(-\d{2}-\d{2})?$/.test(f.until)) f.until = '';
    const entity = /^\d+$/.test(p.get('entity') || '') ? Number(p.get('entity')) : null;
    const selected = /^\d+$/.test(p.get('p') || '') ? Number(p.get('p')) : null;
    return { filters: f, entity, entityName: p.get('entity_name') || '', selected };
  }

  function applyFromInputs() {
    let f;
    try {
      f = readInputs();
    } catch (err) {
      if (err instanceof InputError) {
        showError(err.message);
        return;
      }
      throw err;
    }
    state.filters = f;
    writeInputs();
    loadData();
  }

  function setEntity(id, name) {
    state.entity = id;
    state.entityName = name || '';
    loadData();
  }

  // Clicking a country (on the map, or a country node in the graph) fills the pair filter:
  // first click sets one country, second adds the partner, a third starts over.
  function addCountryToPair(code) {
    if (!/^[A-Z]{2}$/.test(code || '')) return;
    const codes = pairCodes();
    let next;
    if (codes.length === 1 && codes[0] !== code) next = [codes[0], code];
    else next = [code];
    $('#filter-pair').value = next.join(',');
    applyFromInputs();
  }

  function updateFilterChrome() {
    const codes = pairCodes();
    const link = $('#brief-link');
    if (codes.length === 2) {
      link.href = `${API}/brief/${encodeURIComponent(codes[0])}/${encodeURIComponent(codes[1])}`;
      link.textContent = `Open the ${codes[0]}–${codes[1]} brief ↗`;
      link.hidden = false;
    } else {
      link.hidden = true;
      link.href = '#';
    }
    const chip = $('#entity-filter');
    if (state.entity !== null) {
      $('#entity-name').textContent = `Organisation: ${state.entityName || '#' + state.entity}`;
      chip.hidden = false;
    } else {
      chip.hidden = true;
      $('#entity-name').textContent = '';
    }
    if (codes.length !== 2) {
      const box = $('#pair-summary');
      box.hidden = true;
      box.textContent = '';
    }
    applyCountryClasses();
  }

  // ---------------------------------------------------------------- loading

  async function loadData() {
    if (state.loadCtl) state.loadCtl.abort();
    const ctl = new AbortController();
    state.loadCtl = ctl;
    const gen = ++state.loadGen;
    const current = () => gen === state.loadGen;

    clearError();
    document.body.dataset.state = 'loading';
    $('#main').setAttribute('aria-busy', 'true');
    updateFilterChrome();
    syncHash();

    const params = filterParams();
    const listParams = new URLSearchParams(params);
    listParams.set('limit', String(LIST_LIMIT));
    const codes = pairCodes();

    const tasks = [
      api(`${API}/partnerships`, listParams, ctl.signal).then((d) => current() && renderList(d)),
      api(`${API}/geojson`, params, ctl.signal).then((d) => current() && renderSites(d)),
      api(`${API}/graph`, params, ctl.signal).then((d) => current() && renderGraph(d)),
      api(`${API}/timeline`, params, ctl.signal).then((d) => current() && renderTimeline(d)),
    ];
    if (codes.length === 2) {
      const path = `${API}/pairs/${encodeURIComponent(codes[0])}/${encodeURIComponent(codes[1])}`;
      tasks.push(api(path, null, ctl.signal).then((d) => current() && renderPairSummary(d)));
    }

    const results = await Promise.allSettled(tasks);
    if (!current()) return;
    state.loadCtl = null;
    const failed = results.filter((r) => r.status === 'rejected' && !isAbort(r.reason));
    for (const r of failed) {
      const reason = r.reason;
      if (reason && reason.fromApi) continue; // already shown by api()
      // A rendering bug: make it visible on the page and in the console.
      console.error(reason);
      showError(`Could not display the data: ${reason && reason.message ? reason.message : reason}`);
    }
    $('#main').setAttribute('aria-busy', 'false');
    document.body.dataset.state = failed.length ? 'error' : 'ready';
  }

  async function loadWorld() {
    try {
      const topo = await api('/world-110m.json');
      renderWorld(topo);
    } catch (err) {
      if (!isAbort(err)) {
        const note = $('#map-note');
        note.textContent = 'The world map could not be loaded; sites are still shown.';
      }
    }
  }

  // ---------------------------------------------------------------- list

  function renderList(data) {
    const items = Array.isArray(data && data.partnerships) ? data.partnerships : [];
    const total = Number.isFinite(Number(data && data.total)) ? Number(data.total) : items.length;
    const count = $('#count');
    let text = plural(total, 'partnership');
    if (items.length < total) text += ` (showing the ${items.length} most corroborated)`;
    count.textContent = text;
    count.dataset.total = String(total);
    count.dataset.shown = String(items.length);

    const list = $('#list');
    if (!items.length) {
      list.replaceChildren(h('li', { class: 'empty' }, 'No partnerships match these filters.'));
      return;
    }
    list.replaceChildren(...items.map(listItem));
    markSelected();
  }

  function listItem(p) {
    const parties = Array.isArray(p.parties) ? p.parties : [];
    const countries = Array.isArray(p.countries) ? p.countries : [];
    const domains = Array.isArray(p.domains) ? p.domains : [];
    const sources = Number(p.sources) || 0;
    const docs = Number(p.documents) || 0;

    const li = h(
      'li',
      {
        class: 'partnership-item',
        tabindex: '0',
        dataset: { id: str(p.id), countries: countries.join(','), type: str(p.type) },
        'aria-label': `${typeLabel(p.type)}: ${parties.map(partyText).join(', ')}`,
      },
      h(
        'div',
        { class: 'item-head' },
        h('span', { class: 'ptype' }, typeLabel(p.type)),
        h('span', { class: 'pdate' }, p.date ? str(p.date) : 'undated'),
        h('span', { class: `badge status-${safeClass(p.status)}` }, p.status ? str(p.status) : 'status unknown'),
        h(
          'span',
          { class: 'psources', title: `${plural(docs, 'report')} in ${plural(sources, 'independent source')}` },
          plural(sources, 'source')
        )
      ),
      h(
        'div',
        { class: 'parties' },
        parties.map((party, i) => [i ? h('span', { class: 'sep' }, ' · ') : null, h('span', { class: 'party' }, partyText(party))])
      ),
      domains.length
        ? h(
            'div',
            { class: 'domains' },
            domains.map((d) => {
              const chip = h('span', { class: 'domain' }, domainLabel(d));
              chip.style.setProperty('--domain-color', domainColor(d));
              return chip;
            })
          )
        : null,
      p.evidence ? h('p', { class: 'snippet' }, truncate(p.evidence, 200)) : null
    );
    const select = () => selectPartnership(Number(p.id));
    li.addEventListener('click', select);
    li.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        select();
      }
    });
    return li;
  }

  function markSelected() {
    const id = state.selected === null ? null : String(state.selected);
    for (const li of document.querySelectorAll('#list .partnership-item')) {
      const on = li.dataset.id === id;
      li.classList.toggle('selected', on);
      if (on) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    const sitesLayer = $('#map-sites');
    const raise = [];
    for (const c of sitesLayer.querySelectorAll('circle.site')) {
      const on = c.dataset.partnership === id;
      c.classList.toggle('selected', on);
      if (on) raise.push(c);
    }
    for (const c of raise) sitesLayer.appendChild(c);
  }

  // Scroll the list box (not the page) so the selected item is visible.
  function revealListItem(id) {
    const list = $('#list');
    const li = Array.from(list.querySelectorAll('.partnership-item')).find((x) => x.dataset.id === String(id));
    if (!li) return;
    const top = li.offsetTop;
    const bottom = top + li.offsetHeight;
    if (top < list.scrollTop || bottom > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - 8);
    }
  }

  function renderPairSummary(d) {
    const box = $('#pair-summary');
    if (!d || typeof d !== 'object') {
      box.hidden = true;
      return;
    }
    const top = (obj, label) => {
      const entries = Object.entries(obj || {})
        .filter(([, n]) => Number(n) > 0)
        .sort((a, b) => Number(b[1]) - Number(a[1]) || a[0].localeCompare(b[0]))
        .slice(0, 4);
      if (!entries.length) return null;
      return `${entries.map(([k, n]) => `${label(k)} ${n}`).join(', ')}`;
    };
    const parts = [`${str(d.a)}–${str(d.b)}: ${plural(Number(d.total) || 0, 'partnership')}`];
    const dom = top(d.by_domain, domainLabel);
    const typ = top(d.by_type, typeLabel);
    if (dom) parts.push(`domains: ${dom}`);
    if (typ) parts.push(`types: ${typ}`);
    box.textContent = parts.join(' · ');
    box.hidden = false;
  }

  // ---------------------------------------------------------------- map

  function project(lon, lat) {
    return [((lon + 180) / 360) * MAP_W, ((90 - lat) / 180) * MAP_H];
  }

  function decodeArcs(topo) {
    const tf = topo.transform;
    const sx = tf ? tf.scale[0] : 1;
    const sy = tf ? tf.scale[1] : 1;
    const tx = tf ? tf.translate[0] : 0;
    const ty = tf ? tf.translate[1] : 0;
    return (topo.arcs || []).map((arc) => {
      const out = new Array(arc.length);
      let x = 0;
      let y = 0;
      for (let i = 0; i < arc.length; i++) {
        if (tf) {
          x += arc[i][0];
          y += arc[i][1];
          out[i] = project(x * sx + tx, y * sy + ty);
        } else {
          out[i] = project(arc[i][0], arc[i][1]);
        }
      }
      return out;
    });
  }

  function subpath(xs, ys, shift) {
    const parts = new Array(xs.length);
    for (let i = 0; i < xs.length; i++) parts[i] = `${(xs[i] + shift).toFixed(1)},${ys[i].toFixed(1)}`;
    return `M${parts.join('L')}Z`;
  }

  // One ring (a list of arc indexes; ~i is arc i reversed) as SVG path data. A few rings
  // (Russia's Chukotka, Fiji) cross the antimeridian: they are unwrapped into one continuous
  // ring and drawn twice, once shifted by a world width, so both halves show without a sliver
  // across the whole map.
  function ringPath(ring, arcs) {
    const xs = [];
    const ys = [];
    let first = true;
    for (const index of ring) {
      const arc = index >= 0 ? arcs[index] : arcs[~index];
      if (!arc) continue;
      const pts = index >= 0 ? arc : arc.slice().reverse();
      for (let i = first ? 0 : 1; i < pts.length; i++) {
        xs.push(pts[i][0]);
        ys.push(pts[i][1]);
      }
      first = false;
    }
    if (xs.length < 3) return '';
    let offset = 0;
    let minX = xs[0];
    let maxX = xs[0];
    for (let i = 1; i < xs.length; i++) {
      const raw = xs[i];
      const prevRaw = xs[i - 1] - offset;
      const d = raw - prevRaw;
      if (d > MAP_W / 2) offset -= MAP_W;
      else if (d < -MAP_W / 2) offset += MAP_W;
      xs[i] = raw + offset;
      if (xs[i] < minX) minX = xs[i];
      if (xs[i] > maxX) maxX = xs[i];
    }
    let d = subpath(xs, ys, 0);
    if (maxX > MAP_W + 0.5) d += subpath(xs, ys, -MAP_W);
    if (minX < -0.5) d += subpath(xs, ys, MAP_W);
    return d;
  }

  function geometryPath(geom, arcs) {
    if (!geom || !geom.arcs) return '';
    let polygons;
    if (geom.type === 'Polygon') polygons = [geom.arcs];
    else if (geom.type === 'MultiPolygon') polygons = geom.arcs;
    else return '';
    let d = '';
    for (const polygon of polygons) for (const ring of polygon) d += ringPath(ring, arcs);
    return d;
  }

  function renderWorld(topo) {
    if (!topo || !topo.objects) throw new Error('world-110m.json is not TopoJSON');
    const object = topo.objects.countries || Object.values(topo.objects)[0];
    const arcs = decodeArcs(topo);
    const layer = $('#map-countries');
    const frag = document.createDocumentFragment();
    state.countryPaths = new Map();
    for (const geom of (object && object.geometries) || []) {
      if (str(geom.id) === '010') continue; // Antarctica: outside the view, no partnerships
      const d = geometryPath(geom, arcs);
      if (!d) continue;
      const name = str(geom.properties && geom.properties.name);
      const iso = NUM_TO_ISO2[str(geom.id)] || NAME_TO_ISO2[name] || '';
      const path = s(
        'path',
        { class: 'country', d, 'fill-rule': 'evenodd', dataset: { iso, name } },
        s('title', null, iso ? `${name} (${iso}) — click to filter` : name)
      );
      if (iso) {
        if (!state.countryPaths.has(iso)) state.countryPaths.set(iso, []);
        state.countryPaths.get(iso).push(path);
        path.addEventListener('click', () => {
          if (map.dragged) return;
          addCountryToPair(iso);
        });
      }
      frag.appendChild(path);
    }
    layer.replaceChildren(frag);
    applyCountryClasses();
  }

  function applyCountryClasses() {
    const focus = new Set(pairCodes());
    const selected = new Set(state.selectedCountries);
    let max = 0;
    for (const n of state.countryCounts.values()) max = Math.max(max, n);
    for (const [iso, paths] of state.countryPaths) {
      const n = state.countryCounts.get(iso) || 0;
      const level = n && max ? Math.max(1, Math.min(4, Math.ceil((4 * Math.sqrt(n)) / Math.sqrt(max)))) : 0;
      for (const path of paths) {
        path.classList.toggle('focus', focus.has(iso));
        path.classList.toggle('selected-country', selected.has(iso));
        path.classList.toggle('involved', level > 0);
        if (level) path.dataset.level = String(level);
        else delete path.dataset.level;
      }
    }
  }

  function siteRadius(sources) {
    return 3 + 2.4 * Math.sqrt(Math.max(1, Number(sources) || 1));
  }

  function renderSites(fc) {
    const features = ((fc && fc.features) || []).filter((f) => {
      const c = f && f.geometry && f.geometry.type === 'Point' ? f.geometry.coordinates : null;
      return Array.isArray(c) && Number.isFinite(Number(c[0])) && Number.isFinite(Number(c[1]));
    });
    features.sort((a, b) => (Number(b.properties && b.properties.sources) || 0) - (Number(a.properties && a.properties.sources) || 0));

    const layer = $('#map-sites');
    const frag = document.createDocumentFragment();
    const perCountry = new Map();
    const partnerships = new Set();
    const zoom = MAP_HOME.w / state.view.w;

    for (const f of features) {
      const p = f.properties || {};
      const [x, y] = project(Number(f.geometry.coordinates[0]), Number(f.geometry.coordinates[1]));
      const precision = ['city', 'region', 'country'].includes(p.precision) ? p.precision : 'region';
      const domains = Array.isArray(p.domains) ? p.domains : [];
      const color = domainColor(domains[0]);
      const base = siteRadius(p.sources);
      const parties = Array.isArray(p.parties) ? p.parties.map(partyText) : p.parties ? [str(p.parties)] : [];
      const title = `${str(p.place) || 'unknown place'} — ${typeLabel(p.type)} — ${parties.join(', ')}`;
      const circle = s(
        'circle',
        {
          class: `site ${precision}`,
          cx: x.toFixed(2),
          cy: y.toFixed(2),
          r: (base / Math.pow(zoom, 0.75)).toFixed(2),
          fill: color,
          stroke: color,
          dataset: { partnership: str(p.partnership), r: String(base), precision },
        },
        s('title', null, title)
      );
      circle.addEventListener('click', (ev) => {
        ev.stopPropagation();
        if (p.partnership !== null && p.partnership !== undefined) selectPartnership(Number(p.partnership));
      });
      frag.appendChild(circle);

      if (p.partnership !== null && p.partnership !== undefined) {
        partnerships.add(p.partnership);
        const countries = Array.isArray(p.countries) ? p.countries : [];
        for (const c of countries) {
          if (!perCountry.has(c)) perCountry.set(c, new Set());
          perCountry.get(c).add(p.partnership);
        }
      }
    }
    layer.replaceChildren(frag);

    state.countryCounts = new Map(Array.from(perCountry, ([c, set]) => [c, set.size]));
    applyCountryClasses();
    markSelected();

    $('#map-note').textContent = features.length
      ? `${plural(features.length, 'site')} of ${plural(partnerships.size, 'partnership')}.`
      : 'No geocoded sites for these filters.';
  }

  // Pan (drag) and zoom (buttons) by moving the viewBox.
  const map = { dragging: false, dragged: false, start: null };

  function setView(v) {
    const w = Math.max(60, Math.min(MAP_HOME.w, v.w));
    const hgt = (w * MAP_HOME.h) / MAP_HOME.w;
    const x = Math.max(0, Math.min(MAP_W - w, v.x));
    const y = Math.max(0, Math.min(MAP_H - hgt, v.y));
    state.view = { x, y, w, h: hgt };
    $('#map').setAttribute('viewBox', `${x.toFixed(2)} ${y.toFixed(2)} ${w.toFixed(2)} ${hgt.toFixed(2)}`);
    const zoom = MAP_HOME.w / w;
    for (const c of document.querySelectorAll('#map-sites circle.site')) {
      const base = Number(c.dataset.r) || 4;
      c.setAttribute('r', (base / Math.pow(zoom, 0.75)).toFixed(2));
    }
  }

  function zoomBy(factor) {
    const v = state.view;
    const w = v.w / factor;
    const hgt = (w * MAP_HOME.h) / MAP_HOME.w;
    setView({ x: v.x + (v.w - w) / 2, y: v.y + (v.h - hgt) / 2, w });
  }

  function initMapInteraction() {
    const svg = $('#map');
    $('#map-zoom-in').addEventListener('click', () => zoomBy(1.6));
    $('#map-zoom-out').addEventListener('click', () => zoomBy(1 / 1.6));
    $('#map-zoom-reset').addEventListener('click', () => setView(MAP_HOME));
    svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      if (ev.target && ev.target.classList && ev.target.classList.contains('site')) return;
      map.dragging = true;
      map.dragged = false;
      map.start = { px: ev.clientX, py: ev.clientY, view: Object.assign({}, state.view) };
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!map.dragging) return;
      const dx = ev.clientX - map.start.px;
      const dy = ev.clientY - map.start.py;
      if (!map.dragged && Math.hypot(dx, dy) < 4) return;
      if (!map.dragged) {
        map.dragged = true;
        try {
          svg.setPointerCapture(ev.pointerId);
        } catch (_) {
          /* ignore */
        }
        svg.classList.add('dragging');
      }
      const scale = map.start.view.w / Math.max(1, svg.clientWidth);
      setView({ x: map.start.view.x - dx * scale, y: map.start.view.y - dy * scale, w: map.start.view.w });
    });
    const end = (ev) => {
      if (!map.dragging) return;
      map.dragging = false;
      svg.classList.remove('dragging');
      try {
        svg.releasePointerCapture(ev.pointerId);
      } catch (_) {
        /* ignore */
      }
      // keep `dragged` set through the click that follows this pointerup
      setTimeout(() => {
        map.dragged = false;
      }, 0);
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  // ---------------------------------------------------------------- graph

  function layoutGraph(n, links, width, height) {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    if (n === 0) return { xs, ys };
    const cx = width / 2;
    const cy = height / 2;
    const k = Math.sqrt((width * height) / Math.max(1, n)) * 0.55;
    // Deterministic start: golden-angle spiral, so the same data gives the same picture.
    const golden = Math.PI * (3 - Math.sqrt(5));
    for (let i = 0; i < n; i++) {
      const r = k * 0.6 * Math.sqrt(i + 0.5);
      xs[i] = cx + r * Math.cos(i * golden);
      ys[i] = cy + r * Math.sin(i * golden);
    }
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    const k2 = k * k;
    const gravity = 0.06;
    const aspect = width / height;
    let temp = width / 6;
    const cool = temp / (GRAPH_ITERATIONS + 1);
    for (let it = 0; it < GRAPH_ITERATIONS; it++) {
      dx.fill(0);
      dy.fill(0);
      // repulsion between every pair
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ddx = xs[i] - xs[j];
          let ddy = ys[i] - ys[j];
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 < 0.01) {
            ddx = 0.1 * (((i * 7 + j * 13) % 11) - 5);
            ddy = 0.1 * (((i * 11 + j * 5) % 13) - 6);
            d2 = ddx * ddx + ddy * ddy + 0.01;
          }
          const f = k2 / d2;
          dx[i] += ddx * f;
          dy[i] += ddy * f;
          dx[j] -= ddx * f;
          dy[j] -= ddy * f;
        }
      }
      // springs along edges
      for (const l of links) {
        const ddx = xs[l.a] - xs[l.b];
        const ddy = ys[l.a] - ys[l.b];
        const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
        const f = (d / k) * (1 + Math.log(l.w));
        dx[l.a] -= ddx * f;
        dy[l.a] -= ddy * f;
        dx[l.b] += ddx * f;
        dy[l.b] += ddy * f;
      }
      // centering, a little stronger vertically so the layout fills a wide box
      for (let i = 0; i < n; i++) {
        dx[i] -= (xs[i] - cx) * gravity * k * 0.5;
        dy[i] -= (ys[i] - cy) * gravity * k * 0.5 * aspect;
      }
      for (let i = 0; i < n; i++) {
        const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) {
          const step = Math.min(len, temp);
          xs[i] += (dx[i] / len) * step;
          ys[i] += (dy[i] / len) * step;
        }
      }
      temp = Math.max(temp - cool, 0.5);
    }
    return { xs, ys };
  }

  function fitToBox(xs, ys, width, height, pad) {
    const n = xs.length;
    if (!n) return;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xs[i]);
      maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    const spanX = Math.max(maxX - minX, 1);
    const spanY = Math.max(maxY - minY, 1);
    const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY, 3);
    const offX = (width - spanX * scale) / 2;
    const offY = (height - spanY * scale) / 2;
    for (let i = 0; i < n; i++) {
      xs[i] = offX + (xs[i] - minX) * scale;
      ys[i] = offY + (ys[i] - minY) * scale;
    }
  }

  function entityIdOf(node) {
    const m = /^e(\d+)$/.exec(str(node.id));
    return m ? Number(m[1]) : null;
  }

  function renderGraph(data) {
    const svg = $('#graph');
    const W = 800;
    const H = 480;
    let nodes = Array.isArray(data && data.nodes) ? data.nodes.filter((n) => n && n.id !== null && n.id !== undefined) : [];
    const edgesIn = Array.isArray(data && data.edges) ? data.edges : [];
    const truncated = nodes.length > GRAPH_MAX_NODES;
    if (truncated) {
      nodes = nodes
        .slice()
        .sort((a, b) => (Number(b.degree) || 0) - (Number(a.degree) || 0) || str(a.id).localeCompare(str(b.id)))
        .slice(0, GRAPH_MAX_NODES);
    }
    const index = new Map(nodes.map((n, i) => [str(n.id), i]));

    // Merge parallel edges (several partnerships between the same two nodes).
    const linkMap = new Map();
    for (const e of edgesIn) {
      const a = index.get(str(e.source));
      const b = index.get(str(e.target));
      if (a === undefined || b === undefined || a === b) continue;
      const key = a < b ? `${a}:${b}` : `${b}:${a}`;
      if (!linkMap.has(key)) linkMap.set(key, { a, b, w: 0, edges: [] });
      const l = linkMap.get(key);
      l.w += 1;
      l.edges.push(e);
    }
    const links = Array.from(linkMap.values());

    const { xs, ys } = layoutGraph(nodes.length, links, W, H);
    fitToBox(xs, ys, W, H, 28);

    const gEdges = s('g', { class: 'edges' });
    const gNodes = s('g', { class: 'nodes' });
    const gLabels = s('g', { class: 'labels', 'aria-hidden': 'true' });
    const incident = nodes.map(() => []);

    for (const l of links) {
      const na = nodes[l.a];
      const nb = nodes[l.b];
      const types = Array.from(new Set(l.edges.map((e) => typeLabel(e.type))));
      const line = s(
        'line',
        {
          class: 'edge',
          x1: xs[l.a].toFixed(1),
          y1: ys[l.a].toFixed(1),
          x2: xs[l.b].toFixed(1),
          y2: ys[l.b].toFixed(1),
          'stroke-width': (1 + Math.log2(l.w)).toFixed(2),
          dataset: { partnership: str(l.edges[0].partnership) },
        },
        s('title', null, `${str(na.name)} — ${str(nb.name)}: ${types.join(', ')} (${plural(l.w, 'partnership')})`)
      );
      line.addEventListener('click', () => {
        const pid = l.edges[0].partnership;
        if (pid !== null && pid !== undefined) selectPartnership(Number(pid));
      });
      incident[l.a].push(line);
      incident[l.b].push(line);
      gEdges.appendChild(line);
    }

    const byDegree = nodes
      .map((n, i) => i)
      .sort((a, b) => (Number(nodes[b].degree) || 0) - (Number(nodes[a].degree) || 0));
    const labelled = new Set(byDegree.slice(0, GRAPH_LABELS));
    const countryTally = new Map();

    nodes.forEach((n, i) => {
      const degree = Number(n.degree) || 0;
      const r = 4 + 2 * Math.sqrt(degree);
      const eid = entityIdOf(n);
      const country = /^[A-Z]{2}$/.test(str(n.country)) ? n.country : '';
      if (country) countryTally.set(country, (countryTally.get(country) || 0) + 1);
      const circle = s(
        'circle',
        {
          class: 'node' + (eid !== null && eid === state.entity ? ' active' : '') + (eid === null ? ' country-node' : ''),
          cx: xs[i].toFixed(1),
          cy: ys[i].toFixed(1),
          r: r.toFixed(1),
          fill: countryColor(country),
          dataset: { id: str(n.id), country },
        },
        s('title', null, `${str(n.name)}${country ? ' (' + country + ')' : ''} — ${plural(degree, 'link')}`)
      );
      circle.addEventListener('click', () => {
        if (eid !== null) setEntity(eid, str(n.name));
        else if (country) addCountryToPair(country);
      });
      circle.addEventListener('mouseenter', () => {
        for (const line of incident[i]) line.classList.add('hl');
      });
      circle.addEventListener('mouseleave', () => {
        for (const line of incident[i]) line.classList.remove('hl');
      });
      gNodes.appendChild(circle);
      if (labelled.has(i)) {
        const right = xs[i] < W - 120;
        gLabels.appendChild(
          s(
            'text',
            {
              class: 'node-label',
              x: (xs[i] + (right ? r + 3 : -(r + 3))).toFixed(1),
              y: (ys[i] + 3.5).toFixed(1),
              'text-anchor': right ? 'start' : 'end',
            },
            truncate(n.name, 28)
          )
        );
      }
    });

    svg.replaceChildren(gEdges, gNodes, gLabels);

    const legend = $('#graph-legend');
    const topCountries = Array.from(countryTally.entries())
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10);
    legend.replaceChildren(
      ...topCountries.map(([c]) => {
        const sw = h('span', { class: 'swatch round' });
        sw.style.backgroundColor = countryColor(c);
        return h('li', null, sw, c);
      })
    );
    $('#graph-note').textContent = nodes.length
      ? `${plural(nodes.length, 'node')}, ${plural(edgesIn.length, 'link')}` +
        (truncated ? ` (the ${GRAPH_MAX_NODES} best connected are shown)` : '') +
        '.'
      : 'No organisations for these filters.';
  }

  // ---------------------------------------------------------------- timeline

  function niceMax(v) {
    if (v <= 5) return Math.max(1, Math.ceil(v));
    const mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= v) return m * mag;
    return 10 * mag;
  }

  function renderTimeline(data) {
    const svg = $('#timeline');
    const W = 640;
    const H = 220;
    const m = { l: 34, r: 8, t: 10, b: 24 };
    const buckets = (Array.isArray(data && data.buckets) ? data.buckets : []).filter(
      (b) => b && Number.isInteger(Number(b.year)) && Number(b.count) > 0
    );
    const legend = $('#timeline-legend');
    if (!buckets.length) {
      svg.replaceChildren();
      legend.replaceChildren();
      $('#timeline-note').textContent = 'No dated partnerships for these filters.';
      return;
    }
    let minYear = Infinity;
    let maxYear = -Infinity;
    const byYear = new Map();
    const domainTotals = new Map();
    for (const b of buckets) {
      const year = Number(b.year);
      const domain = b.domain ? String(b.domain) : 'other';
      const n = Number(b.count);
      minYear = Math.min(minYear, year);
      maxYear = Math.max(maxYear, year);
      if (!byYear.has(year)) byYear.set(year, new Map());
      const row = byYear.get(year);
      row.set(domain, (row.get(domain) || 0) + n);
      domainTotals.set(domain, (domainTotals.get(domain) || 0) + n);
    }
    if (maxYear - minYear > 79) minYear = maxYear - 79;
    const years = [];
    for (let y = minYear; y <= maxYear; y++) years.push(y);
    const domains = Array.from(domainTotals.keys()).sort(
      (a, b) => domainTotals.get(b) - domainTotals.get(a) || a.localeCompare(b)
    );
    let maxTotal = 0;
    for (const y of years) {
      const row = byYear.get(y);
      if (!row) continue;
      let t = 0;
      for (const n of row.values()) t += n;
      maxTotal = Math.max(maxTotal, t);
    }
    const yMax = niceMax(maxTotal);
    const iw = W - m.l - m.r;
    const ih = H - m.t - m.b;
    const band = iw / years.length;
    const bw = Math.max(1, Math.min(48, band * 0.78));
    const yScale = (v) => (v / yMax) * ih;

    const gAxis = s('g', { class: 'axis' });
    const ticks = yMax <= 1 ? [0, 1] : [0, yMax / 2, yMax].filter((t) => Number.isInteger(t));
    for (const t of ticks) {
      const y = m.t + ih - yScale(t);
      gAxis.appendChild(s('line', { class: 'grid', x1: m.l, x2: W - m.r, y1: y.toFixed(1), y2: y.toFixed(1) }));
      gAxis.appendChild(s('text', { class: 'tick', x: m.l - 6, y: (y + 4).toFixed(1), 'text-anchor': 'end' }, String(t)));
    }
    const labelEvery = Math.max(1, Math.ceil(years.length / 12));
    const gBars = s('g', { class: 'bars' });
    years.forEach((year, i) => {
      const x = m.l + i * band + (band - bw) / 2;
      if (i % labelEvery === 0 || i === years.length - 1) {
        gAxis.appendChild(
          s('text', { class: 'tick', x: (x + bw / 2).toFixed(1), y: H - 6, 'text-anchor': 'middle' }, String(year))
        );
      }
      const row = byYear.get(year);
      if (!row) return;
      let acc = 0;
      let total = 0;
      for (const n of row.values()) total += n;
      for (const d of domains) {
        const n = row.get(d);
        if (!n) continue;
        const y1 = m.t + ih - yScale(acc + n);
        const hgt = yScale(n);
        const rect = s(
          'rect',
          {
            class: 'bar',
            x: x.toFixed(1),
            y: y1.toFixed(1),
            width: bw.toFixed(1),
            height: Math.max(0.5, hgt).toFixed(1),
            fill: domainColor(d),
            dataset: { year: String(year), domain: d },
          },
          s('title', null, `${year} — ${domainLabel(d)}: ${n} (year total ${total})`)
        );
        rect.addEventListener('click', () => {
          $('#filter-since').value = String(year);
          $('#filter-until').value = String(year);
          applyFromInputs();
        });
        gBars.appendChild(rect);
        acc += n;
      }
    });
    gAxis.appendChild(s('line', { class: 'baseline', x1: m.l, x2: W - m.r, y1: m.t + ih, y2: m.t + ih }));
    svg.replaceChildren(gAxis, gBars);

    const domainSelect = $('#filter-domain');
    legend.replaceChildren(
      ...domains.map((d) => {
        const sw = h('span', { class: 'swatch' });
        sw.style.backgroundColor = domainColor(d);
        const known = Array.from(domainSelect.options).some((o) => o.value === d);
        if (!known) return h('li', null, sw, `${domainLabel(d)} (${domainTotals.get(d)})`);
        const btn = h(
          'button',
          { type: 'button', class: 'legend-btn', title: `Filter by ${domainLabel(d)}` },
          sw,
          `${domainLabel(d)} (${domainTotals.get(d)})`
        );
        btn.addEventListener('click', () => {
          domainSelect.value = d;
          applyFromInputs();
        });
        return h('li', null, btn);
      })
    );
    const total = buckets.reduce((a, b) => a + Number(b.count), 0);
    $('#timeline-note').textContent = `${years[0]}–${years[years.length - 1]}; counts are partnership–domain pairs (${total} in all).`;
  }

  // ---------------------------------------------------------------- evidence

  function field(label, ...value) {
    return [h('dt', null, label), h('dd', null, ...value)];
  }

  async function selectPartnership(id) {
    if (!Number.isFinite(id)) return;
    state.selected = id;
    state.reportIndex = 0;
    markSelected();
    revealListItem(id);
    syncHash();
    const gen = ++state.selGen;
    const panel = $('#evidence');
    panel.setAttribute('aria-busy', 'true');
    $('#evidence-empty').hidden = true;
    const summary = $('#evidence-summary');
    summary.replaceChildren(h('p', { class: 'note' }, 'Loading the evidence…'));
    $('#reports').replaceChildren();
    $('#article-meta').replaceChildren();
    const article = $('#article');
    article.replaceChildren();
    article.hidden = true;

    let detail;
    try {
      detail = await api(`${API}/partnerships/${encodeURIComponent(String(id))}`);
    } catch (err) {
      if (gen === state.selGen) {
        summary.replaceChildren(h('p', { class: 'note' }, 'The evidence could not be loaded.'));
        panel.setAttribute('aria-busy', 'false');
      }
      return;
    }
    if (gen !== state.selGen) return;
    state.detail = detail;
    renderEvidence(detail);
    panel.dataset.id = String(id);
    panel.setAttribute('aria-busy', 'false');
    const reports = Array.isArray(detail.reports) ? detail.reports : [];
    if (reports.length) showReport(0);
  }

  function renderEvidence(p) {
    const parties = Array.isArray(p.parties) ? p.parties : [];
    const domains = Array.isArray(p.domains) ? p.domains : [];
    const countries = Array.isArray(p.countries) ? p.countries : [];
    state.selectedCountries = countries.filter((c) => /^[A-Z]{2}$/.test(str(c)));
    applyCountryClasses();

    const conf = Number(p.confidence);
    const partyList = h(
      'ul',
      { class: 'party-list' },
      parties.map((party) => {
        const li = h('li', null, partyText(party));
        if (party && typeof party === 'object' && Number.isInteger(Number(party.entity)) && party.entity !== null) {
          const btn = h(
            'button',
            { type: 'button', class: 'link-btn', title: `Show only partnerships of ${str(party.name)}` },
            'filter'
          );
          btn.addEventListener('click', () => setEntity(Number(party.entity), str(party.name)));
          li.appendChild(document.createTextNode(' '));
          li.appendChild(btn);
        }
        return li;
      })
    );
    const summary = $('#evidence-summary');
    summary.replaceChildren(
      h(
        'h3',
        { class: 'evidence-title' },
        h('span', { class: 'ptype' }, typeLabel(p.type)),
        ' ',
        h('span', { class: `badge status-${safeClass(p.status)}` }, p.status ? str(p.status) : 'status unknown')
      ),
      h(
        'dl',
        { class: 'facts' },
        field('Parties', partyList),
        field('Countries', countries.length ? countries.join(', ') : '—'),
        field('Domains', domains.length ? domains.map(domainLabel).join(', ') : '—'),
        field('Date', p.date ? str(p.date) : 'undated'),
        field('Status', p.status ? str(p.status) : 'unknown'),
        field('Confidence', Number.isFinite(conf) ? `${Math.round(conf * 100)}%` : '—'),
        field(
          'Sources',
          `${plural(Number(p.sources) || 0, 'independent source')}, ${plural(Number(p.documents) || 0, 'document')}`
        ),
        p.first_seen ? field('First seen', str(p.first_seen)) : null
      )
    );

    const reports = Array.isArray(p.reports) ? p.reports : [];
    const list = $('#reports');
    list.setAttribute('aria-label', `Reports (${reports.length})`);
    list.replaceChildren(...reports.map(reportItem));
    if (!reports.length) list.replaceChildren(h('li', { class: 'note' }, 'No reports are stored for this partnership.'));
  }

  function reportItem(r, i) {
    const href = safeHref(r.source);
    const places = Array.isArray(r.places) ? r.places : [];
    const meta = [r.publisher, r.published].filter(Boolean).map(str).join(' · ');
    const conf = Number(r.confidence);
    const extra = [];
    if (r.trigger) extra.push(`trigger “${str(r.trigger)}”`);
    if (r.status) extra.push(`status ${str(r.status)}`);
    if (Number.isFinite(conf) && r.confidence !== null) extra.push(`confidence ${Math.round(conf * 100)}%`);
    const li = h(
      'li',
      { class: 'report', tabindex: '0', dataset: { index: String(i), document: str(r.document) } },
      h(
        'div',
        { class: 'report-head' },
        h('span', { class: 'report-title' }, str(r.title) || 'Untitled document'),
        meta ? h('span', { class: 'report-meta' }, meta) : null,
        href
          ? h('a', { class: 'source-link', href, target: '_blank', rel: 'noopener noreferrer' }, 'source ↗')
          : r.source
          ? h('span', { class: 'report-meta' }, str(r.source))
          : null
      ),
      r.sentence ? h('blockquote', { class: 'report-sentence' }, str(r.sentence)) : null,
      extra.length ? h('div', { class: 'report-extra' }, extra.join(' · ')) : null,
      places.length
        ? h(
            'div',
            { class: 'report-places' },
            'Places: ',
            places
              .map((pl) => {
                const bits = [pl.role, pl.country].filter(Boolean).map(str).join(', ');
                return `${str(pl.name) || 'unnamed'}${bits ? ' (' + bits + ')' : ''}`;
              })
              .join('; ')
          )
        : null
    );
    const link = li.querySelector('a.source-link');
    if (link) link.addEventListener('click', (ev) => ev.stopPropagation());
    li.addEventListener('click', () => showReport(i));
    li.addEventListener('keydown', (ev) => {
      if (ev.target !== li) return;
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        showReport(i);
      }
    });
    return li;
  }

  async function showReport(i) {
    const detail = state.detail;
    const reports = detail && Array.isArray(detail.reports) ? detail.reports : [];
    const report = reports[i];
    if (!report) return;
    state.reportIndex = i;
    for (const li of document.querySelectorAll('#reports .report')) {
      const on = li.dataset.index === String(i);
      li.classList.toggle('active', on);
      if (on) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    const docId = report.document;
    const meta = $('#article-meta');
    const article = $('#article');
    if (docId === null || docId === undefined) {
      meta.replaceChildren(h('p', { class: 'note' }, 'The article for this report is not stored.'));
      article.hidden = true;
      return;
    }
    const gen = ++state.docGen;
    let doc = state.docCache.get(String(docId));
    if (!doc) {
      meta.replaceChildren(h('p', { class: 'note' }, 'Loading the article…'));
      try {
        doc = await api(`${API}/documents/${encodeURIComponent(String(docId))}`);
      } catch (err) {
        if (gen === state.docGen) meta.replaceChildren(h('p', { class: 'note' }, 'The article could not be loaded.'));
        return;
      }
      state.docCache.set(String(docId), doc);
      if (state.docCache.size > 50) state.docCache.delete(state.docCache.keys().next().value);
    }
    if (gen !== state.docGen || state.detail !== detail) return;
    renderArticle(doc, report);
  }

  // Locate the evidence span in code points. Offsets come first; if the slice they give does
  // not read as the sentence, fall back to searching for the sentence in the text.
  function locateSpan(text, chars, report) {
    const start = Number(report.start);
    const end = Number(report.end);
    const sentence = normalizeSpace(report.sentence);
    const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= chars.length;
    if (valid) {
      const slice = normalizeSpace(chars.slice(start, end).join(''));
      if (!sentence || slice === sentence) return { start, end, match: 'exact' };
    }
    if (report.sentence) {
      const at = text.indexOf(String(report.sentence));
      if (at >= 0) {
        const s0 = Array.from(text.slice(0, at)).length;
        return { start: s0, end: s0 + Array.from(String(report.sentence)).length, match: 'search' };
      }
    }
    if (valid) return { start, end, match: 'mismatch' };
    return null;
  }

  function renderArticle(doc, report) {
    const meta = $('#article-meta');
    const article = $('#article');
    const text = str(doc.text);
    const chars = Array.from(text);
    const href = safeHref(doc.url) || safeHref(doc.source);
    const bits = [doc.publisher, doc.published, doc.author ? `by ${str(doc.author)}` : null, doc.lang]
      .filter(Boolean)
      .map(str);
    meta.replaceChildren();
    appendKids(meta, [
      h(
        'h4',
        { class: 'article-title' },
        href
          ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, str(doc.title) || 'Untitled document')
          : str(doc.title) || 'Untitled document'
      ),
      bits.length ? h('p', { class: 'report-meta' }, bits.join(' · ')) : null,
    ]);

    const span = locateSpan(text, chars, report);
    article.dataset.document = str(doc.id);
    if (!span) {
      article.replaceChildren(document.createTextNode(text));
      article.hidden = false;
      meta.appendChild(h('p', { class: 'note' }, 'The evidence sentence could not be located in this text.'));
      article.scrollTop = 0;
      return;
    }
    const mark = h('mark', { class: 'evidence', dataset: { match: span.match } }, chars.slice(span.start, span.end).join(''));
    article.replaceChildren(
      document.createTextNode(chars.slice(0, span.start).join('')),
      mark,
      document.createTextNode(chars.slice(span.end).join(''))
    );
    article.hidden = false;
    if (span.match === 'search') {
      meta.appendChild(
        h('p', { class: 'note' }, 'The stored character offsets do not match the sentence; the highlight was placed by searching the text.')
      );
    } else if (span.match === 'mismatch') {
      meta.appendChild(
        h('p', { class: 'note' }, 'The text at the stored character offsets differs from the reported sentence.')
      );
    }
    // Scroll the article box (not the page) so the mark sits in its upper third.
    article.scrollTop = Math.max(0, mark.offsetTop - article.clientHeight / 3);
    const rect = article.getBoundingClientRect();
    if (rect.bottom < 0 || rect.top > window.innerHeight) article.scrollIntoView({ block: 'nearest' });
  }

  // ---------------------------------------------------------------- start

  function init() {
    const form = $('#filters');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      applyFromInputs();
    });
    for (const key of ['domain', 'type', 'status']) {
      $(`#filter-${key}`).addEventListener('change', applyFromInputs);
    }
    $('#reset').addEventListener('click', () => {
      state.filters = { pair: '', domain: '', type: '', status: '', q: '', since: '', until: '' };
      state.entity = null;
      state.entityName = '';
      writeInputs();
      loadData();
    });
    $('#clear-entity').addEventListener('click', () => {
      state.entity = null;
      state.entityName = '';
      loadData();
    });
    initMapInteraction();

    const fromHash = readHash();
    if (fromHash) {
      state.filters = fromHash.filters;
      state.entity = fromHash.entity;
      state.entityName = fromHash.entityName;
      writeInputs();
    }
    loadWorld();
    loadData();
    if (fromHash && fromHash.selected !== null) selectPartnership(fromHash.selected);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
