// Browser test of the techties web UI. Plain node ES module, no test runner:
//   TECHTIES_URL=http://127.0.0.1:8765/ SCREENSHOT_DIR=shots node ui.mjs
// Needs a running `techties` server with some data (at least 3 partnerships, some between RU
// and CN, with geocoded sites) and a Chromium at $CHROMIUM or /usr/bin/chromium.
// Exits 0 when every step passes, 1 on the first failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BASE_URL = process.env.TECHTIES_URL || 'http://127.0.0.1:8765/';
const SHOT_DIR = resolve(process.env.SCREENSHOT_DIR || 'screenshots');
const TIMEOUT_MS = Number(process.env.UI_TIMEOUT_MS || 30000);
const origin = new URL(BASE_URL).origin;

class Failure extends Error {}

const problems = [];
let stepName = 'start';

function log(line) {
  console.log(line);
}

function ok(name, detail) {
  log(`ok   ${name}${detail ? ' — ' + detail : ''}`);
}

function fail(message) {
  throw new Failure(message);
}

function norm(text) {
  return String(text || '').replace(/\s+/g, ' ').trim();
}

function checkProblems(where) {
  if (problems.length) {
    fail(`${where}: ${problems.length} browser error(s):\n  - ${problems.join('\n  - ')}`);
  }
}

// Poll `probe` (run in the page) until `done(value)` holds; fail with `describe(value)`.
async function waitUntil(page, what, probe, arg, done, describe) {
  const deadline = Date.now() + TIMEOUT_MS;
  let value;
  for (;;) {
    value = await page.evaluate(probe, arg);
    if (done(value)) return value;
    if (problems.length) checkProblems(`while waiting for ${what}`);
    if (Date.now() > deadline) {
      fail(`timed out after ${TIMEOUT_MS} ms waiting for ${what}; last state: ${describe ? describe(value) : JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function pageSnapshot() {
  const q = (s) => document.querySelectorAll(s);
  const countEl = document.querySelector('#count');
  const errorEl = document.querySelector('#error');
  return {
    countries: q('#map path.country').length,
    sites: q('#map circle.site').length,
    siteTitles: Array.from(q('#map circle.site'), (c) => {
      const t = c.querySelector('title');
      return `${c.getAttribute('cx')},${c.getAttribute('cy')}|${t ? t.textContent : ''}`;
    }).sort(),
    items: q('#list .partnership-item').length,
    nodes: q('#graph circle.node').length,
    bars: q('#timeline rect').length,
    countText: countEl ? countEl.textContent : null,
    total: countEl && countEl.dataset.total !== undefined ? Number(countEl.dataset.total) : null,
    state: document.body.dataset.state || '',
    error: errorEl && !errorEl.hidden ? errorEl.textContent : '',
  };
}

function brief(s) {
  return `countries=${s.countries} sites=${s.sites} items=${s.items} nodes=${s.nodes} bars=${s.bars} count="${s.countText}" state=${s.state}${s.error ? ' error="' + s.error + '"' : ''}`;
}

async function run() {
  mkdirSync(SHOT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();

    // Report CSP violations from inside the page too (init scripts are not subject to the CSP).
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber || '?'}`);
      });
    });
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error') problems.push(`[${stepName}] console error: ${text}`);
      else if (/Content Security Policy|Refused to (load|execute|apply|evaluate|connect|frame)/i.test(text)) {
        problems.push(`[${stepName}] CSP: ${text}`);
      }
    });
    page.on('pageerror', (err) => problems.push(`[${stepName}] page error: ${err && err.message ? err.message : err}`));
    page.on('requestfailed', (req) => {
      const why = req.failure() ? req.failure().errorText : 'failed';
      if (/ERR_ABORTED/.test(why)) return; // superseded loads are aborted on purpose
      problems.push(`[${stepName}] request failed: ${req.method()} ${req.url()} (${why})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`[${stepName}] HTTP ${res.status()} for ${res.url()}`);
    });
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('about:')) {
        problems.push(`[${stepName}] request to another origin: ${url}`);
      }
    });

    // 1. overview
    stepName = 'overview';
    const res = await page.goto(BASE_URL, { waitUntil: 'load', timeout: TIMEOUT_MS });
    if (!res || !res.ok()) fail(`loading ${BASE_URL} gave HTTP ${res ? res.status() : 'no response'}`);
    const csp = (res.headers()['content-security-policy'] || '').trim();
    if (!csp) fail('the page was served without a Content-Security-Policy header');
    const initial = await waitUntil(
      page,
      'the map, sites, list, graph and timeline',
      pageSnapshot,
      null,
      (s) => s.countries > 100 && s.sites >= 1 && s.items >= 3 && s.nodes >= 2 && s.bars >= 1 && s.state === 'ready',
      brief
    );
    checkProblems('overview');
    await page.screenshot({ path: join(SHOT_DIR, 'overview.png'), fullPage: true });
    ok('overview', brief(initial));

    // 2. RU–CN filter
    stepName = 'ru-cn';
    await page.fill('#filter-pair', 'RU,CN');
    await page.click('#apply');
    const filtered = await waitUntil(
      page,
      'the RU,CN results',
      pageSnapshot,
      null,
      (s) => s.state === 'ready' && s.countText !== initial.countText,
      brief
    );
    if (filtered.error) fail(`ru-cn: the page shows an error: ${filtered.error}`);
    if (!(filtered.items > 0)) fail(`ru-cn: no partnerships listed for RU,CN (${brief(filtered)})`);
    if (initial.total !== null && filtered.total !== null) {
      if (!(filtered.total < initial.total)) {
        fail(`ru-cn: the total did not shrink (${initial.total} before, ${filtered.total} after)`);
      }
    } else if (!(filtered.items < initial.items)) {
      fail(`ru-cn: the list did not shrink (${initial.items} before, ${filtered.items} after)`);
    }
    const offItems = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#list .partnership-item'))
        .filter((li) => {
          const cs = (li.dataset.countries || '').split(',');
          const text = li.textContent || '';
          const hasRU = cs.includes('RU') || /\(RU\)|Russia/.test(text);
          const hasCN = cs.includes('CN') || /\(CN\)|China/.test(text);
          return !(hasRU && hasCN);
        })
        .map((li) => `#${li.dataset.id}: ${(li.textContent || '').replace(/\s+/g, ' ').slice(0, 120)}`)
    );
    if (offItems.length) fail(`ru-cn: ${offItems.length} listed item(s) do not involve both RU and CN:\n  ${offItems.join('\n  ')}`);
    const sameSites =
      filtered.sites === initial.sites && filtered.siteTitles.join('\n') === initial.siteTitles.join('\n');
    if (sameSites) fail(`ru-cn: the map sites did not change (${filtered.sites} sites before and after)`);
    const briefLink = await page.evaluate(() => {
      const a = document.querySelector('#brief-link');
      return a && !a.hidden ? a.getAttribute('href') : null;
    });
    if (!briefLink || !/\/api\/v1\/brief\/RU\/CN$/.test(briefLink)) fail(`ru-cn: #brief-link is not shown for RU,CN (href ${briefLink})`);
    checkProblems('ru-cn');
    await page.screenshot({ path: join(SHOT_DIR, 'ru-cn.png'), fullPage: true });
    ok('ru-cn', `${brief(filtered)}; sites ${initial.sites} -> ${filtered.sites}`);

    // 3. evidence
    stepName = 'evidence';
    const firstId = await page.evaluate(() => {
      const li = document.querySelector('#list .partnership-item');
      return li ? li.dataset.id : null;
    });
    if (!firstId) fail('evidence: no list item to click');
    await page.click('#list .partnership-item >> nth=0');
    const ev = await waitUntil(
      page,
      `the highlighted evidence of partnership ${firstId}`,
      (id) => {
        const panel = document.querySelector('#evidence');
        const mark = document.querySelector('#article mark.evidence');
        const article = document.querySelector('#article');
        const active = document.querySelector('#reports .report.active .report-sentence') ||
          document.querySelector('#reports .report-sentence');
        return {
          panelId: panel ? panel.dataset.id || null : null,
          wanted: id,
          mark: mark ? mark.textContent : null,
          match: mark ? mark.dataset.match || '' : null,
          sentence: active ? active.textContent : null,
          article: article ? article.textContent : '',
          reports: document.querySelectorAll('#reports .report').length,
          error: (() => {
            const e = document.querySelector('#error');
            return e && !e.hidden ? e.textContent : '';
          })(),
        };
      },
      firstId,
      (v) => v.panelId === v.wanted && v.mark !== null,
      (v) => `panel=${v.panelId} reports=${v.reports} mark=${JSON.stringify(v.mark)}${v.error ? ' error=' + JSON.stringify(v.error) : ''}`
    );
    const markText = norm(ev.mark);
    if (!markText) fail('evidence: the highlighted <mark class="evidence"> is empty');
    if (!norm(ev.article).includes(markText)) fail('evidence: the highlighted text is not part of #article');
    if (ev.sentence !== null) {
      const sentence = norm(ev.sentence);
      if (markText !== sentence) {
        fail(`evidence: the highlight differs from the report sentence\n  mark:     ${markText}\n  sentence: ${sentence}`);
      }
    }
    if (ev.match && ev.match !== 'exact') {
      fail(`evidence: the report's start/end offsets do not select its sentence in the document text (the page had to fall back to "${ev.match}"); offsets must be in code points`);
    }
    const markVisible = await page.evaluate(() => {
      const mark = document.querySelector('#article mark.evidence');
      const box = document.querySelector('#article');
      if (!mark || !box) return false;
      const m = mark.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return m.bottom > b.top && m.top < b.bottom;
    });
    if (!markVisible) fail('evidence: the highlighted sentence is not scrolled into view inside #article');
    checkProblems('evidence');
    await page.screenshot({ path: join(SHOT_DIR, 'evidence.png'), fullPage: true });
    ok('evidence', `partnership ${firstId}, ${ev.reports} report(s), mark "${markText.slice(0, 80)}${markText.length > 80 ? '…' : ''}"`);

    stepName = 'end';
    checkProblems('end');
  } finally {
    await browser.close().catch(() => {});
  }
}

run().then(
  () => {
    log(`PASS ui: overview, ru-cn and evidence steps passed; screenshots in ${SHOT_DIR}`);
    process.exit(0);
  },
  (err) => {
    const message = err instanceof Failure ? err.message : `unexpected error in step "${stepName}": ${err && err.stack ? err.stack : err}`;
    console.error(`FAIL ui: ${message}`);
    process.exit(1);
  }
);
