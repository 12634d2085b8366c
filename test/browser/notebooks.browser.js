// @ts-check
// End-to-end: the notebooks in a real browser, against the server `npm start` runs.
// `npm run test:browser` (mocha, no config). Needs Jupyter Notebook 6 and Debian's Chromium.
//
// For every notebook: each committed Plotly figure is live on open (the notebook is untrusted, as a fresh
// clone's is) with its typed arrays ({ dtype, bdata }) decoded into drawn traces, Run All in quick mode ends
// with no error and no stderr, and every figure is live afterwards.
// 01: the EM animation plays on ▶ and its slider scrubs. 03: training progress updates ONE output in place
// and ends as a live figure. Screenshots go to artifacts/browser/ (git-ignored). The notebooks are never
// saved: saving is switched off in the page, and the files' hashes are compared at the end.
'use strict';
const { expect } = require('chai');
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const notebookDir = path.join(root, 'notebooks');
const shotDir = path.join(root, 'artifacts', 'browser');
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';
/** As src/plot/browser.ts, plus software WebGL (SwiftShader) for scattergl traces without a GPU. */
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];
const SERVER_READY_MS = 180_000; // start.js builds the library first
const PAGE_LOAD_MS = 180_000;
const FIGURES_LIVE_MS = 120_000;
const RUN_ALL_MS = 20 * 60_000;

const notebooks = fs.readdirSync(notebookDir).filter((n) => n.endsWith('.ipynb') && !n.endsWith('.failed.ipynb')).sort();

/** Plotly bundles in a saved notebook: the figures that must be live. */
function plotlyBundles(file) {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data && o.data[PLOTLY_MIME] !== undefined).length;
}

function hashes() {
  return Object.fromEntries(notebooks.map((n) => [n, crypto.createHash('sha256').update(fs.readFileSync(path.join(notebookDir, n))).digest('hex')]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = /** @type {net.AddressInfo} */ (srv.address()).port;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Waits until `pid` is gone; false after `ms`. */
async function waitGone(pid, ms) {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Stops a process group we started (its leader's pid): SIGTERM, then SIGKILL if it lingers. */
async function stopGroup(pid, graceMs) {
  if (!pid || !alive(pid)) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
  if (!(await waitGone(pid, graceMs))) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    await waitGone(pid, 5000);
  }
}

/** The direct children of `pid` (Linux /proc), to find the Jupyter server start.js spawned. */
function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Reads `read()` until `done(value)`; returns the last value (the caller's assertion then says what was wrong). */
async function pollUntil(read, done, ms) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

// ---- in-page helpers (run by page.evaluate; `Jupyter` is the classic notebook's global) ----

/** Counts in the page: live plots, cells, stderr outputs, figure overflow. */
function pageState() {
  const J = /** @type {any} */ (window).Jupyter;
  const cells = J.notebook.get_cells().filter((c) => c.cell_type === 'code');
  const outputs = cells.flatMap((c) => c.output_area.outputs);
  const plots = [...document.querySelectorAll('#notebook .js-plotly-plot')];
  // Typed arrays ({ dtype, bdata }, as show() saves long arrays): each must reach the drawn trace as data.
  let packed = 0, undecoded = 0;
  /** @param {any} input @param {any} full */
  const visit = (input, full) => {
    for (const [k, v] of Object.entries(input ?? {})) {
      if (k.startsWith('_') || !v || typeof v !== 'object' || Array.isArray(v)) continue;
      if (typeof v.bdata === 'string') {
        packed++;
        const f = full?.[k];
        if (!(f && (ArrayBuffer.isView(f) || Array.isArray(f)) && f.length > 0)) undecoded++;
      } else visit(v, full?.[k]);
    }
  };
  for (const p of /** @type {any[]} */ (plots)) (p.data ?? []).forEach((/** @type {any} */ t, /** @type {number} */ i) => visit(t, p._fullData?.[i]));
  return {
    packed,
    undecoded,
    live: plots.length,
    drawn: plots.filter((p) => p.querySelector('.main-svg')).length,
    plotlyOutputs: outputs.filter((o) => o.data && o.data['application/vnd.plotly.v1+json'] !== undefined).length,
    // A plot wider than its output column would scroll sideways.
    overflowing: plots.filter((p) => {
      const area = /** @type {HTMLElement} */ (p.closest('.output_subarea'));
      return area && (p.getBoundingClientRect().right > area.getBoundingClientRect().right + 1 || area.scrollWidth > area.clientWidth + 1);
    }).length,
    stderr: outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => o.text).join(''),
    errors: outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
    prompts: cells.filter((c) => c.get_text().trim() !== '').map((c) => c.input_prompt_number),
    trusted: J.notebook.trusted,
  };
}

/** Run after load: no saving from this page (the committed outputs stay as they are), and the kernel's state. */
function installGuards() {
  const w = /** @type {any} */ (window);
  const nb = w.Jupyter.notebook;
  nb.set_autosave_interval(0);
  w.__saveAttempts = 0;
  nb.save_notebook = function () { w.__saveAttempts++; return Promise.reject(new Error('saving is off in the browser test')); };
  nb.save_checkpoint = nb.save_notebook;
  w.__kernelState = 'unknown';
  nb.events.on('kernel_idle.Kernel', () => (w.__kernelState = 'idle'));
  nb.events.on('kernel_busy.Kernel', () => (w.__kernelState = 'busy'));
}

/** Samples the output of the cell that calls trainingProgress while it runs (every 50 ms). */
function watchProgressCell() {
  const w = /** @type {any} */ (window);
  const cell = w.Jupyter.notebook.get_cells().find((c) => c.cell_type === 'code' && /trainingProgress\(/.test(c.get_text()));
  const log = (w.__progress = { found: !!cell, maxDisplays: 0, maxAreas: 0, states: /** @type {string[]} */ ([]) });
  if (!cell) return false;
  w.__progressTimer = setInterval(() => {
    const displays = cell.output_area.outputs.filter((o) => o.output_type === 'display_data');
    log.maxDisplays = Math.max(log.maxDisplays, displays.length);
    log.maxAreas = Math.max(log.maxAreas, cell.output_area.element.find('.output_area').has('.output_html, .plotly-renderer-output').length);
    const text = displays.length ? String(displays[0].data['text/plain']) : '';
    if (text && log.states[log.states.length - 1] !== text) log.states.push(text);
  }, 50);
  return true;
}

/** Lets a full-page screenshot see the whole notebook (Notebook 6 scrolls inside #site). */
function unclipPage() {
  const site = document.getElementById('site');
  if (site) { site.style.height = 'auto'; site.style.overflow = 'visible'; }
  document.body.style.overflow = 'visible';
  document.body.style.height = 'auto';
  document.documentElement.style.height = 'auto';
}

// ---- the test ----

describe('notebooks in the browser (npm start, Notebook 6, Chromium)', function () {
  this.timeout(RUN_ALL_MS + 5 * 60_000);
  /** @type {import('child_process').ChildProcess | undefined} */
  let server;
  let jupyterPid = 0;
  /** @type {import('playwright-core').BrowserServer | undefined} */
  let browserServer;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  let baseUrl = '';
  let token = '';
  let serverLog = '';
  let hashesBefore = {};
  /** @type {Record<string, Record<string, unknown>>} */
  const report = {};

  before(async function () {
    this.timeout(SERVER_READY_MS + 60_000);
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
    fs.mkdirSync(shotDir, { recursive: true });
    hashesBefore = hashes();
    // Exactly as `npm start` does (its script), on a free port, with quick notebooks. Extra Jupyter option: an
    // in-memory trust database, so every notebook opens untrusted whatever this machine signed before.
    const port = await freePort();
    server = spawn(process.execPath, [path.join(root, 'scripts', 'start.js'), '--port', String(port), '--NotebookNotary.db_file=:memory:'], {
      cwd: root, env: { ...process.env, NB_QUICK: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within ${SERVER_READY_MS / 1000} s:\n${serverLog}`)), SERVER_READY_MS);
      const onData = (chunk) => {
        serverLog += chunk;
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)tree\?token=(\w+)/.exec(serverLog);
        if (m) { clearTimeout(timer); resolve(m); }
      };
      server?.stdout?.on('data', onData);
      server?.stderr?.on('data', onData);
      server?.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited (${code}) before printing its URL:\n${serverLog}`)); });
    });
    [, baseUrl, token] = url;
    jupyterPid = childrenOf(/** @type {number} */ (server.pid))[0] ?? 0;
    expect(jupyterPid, 'the Jupyter server started by start.js').to.be.above(0);
    // The renderer is installed project-locally and served by this Jupyter.
    const ext = await get(`${baseUrl}nbextensions/plotly-renderer/main.js?token=${token}`);
    expect(ext.status, 'nbextensions/plotly-renderer/main.js').to.equal(200);
    browserServer = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    browser = await chromium.connect(browserServer.wsEndpoint());
  });

  after(async function () {
    this.timeout(120_000);
    await browser?.close().catch(() => undefined);
    const browserPid = browserServer?.process().pid;
    await browserServer?.close().catch(() => undefined);
    // Playwright starts Chromium as the leader of its own process group.
    if (browserPid) await stopGroup(browserPid, 5000);
    // start.js stops Jupyter on SIGTERM, and Jupyter shuts its kernels down.
    if (server?.pid) await stopGroup(server.pid, 30_000);
    if (jupyterPid) await stopGroup(jupyterPid, 15_000);
    for (const [what, pid] of [['start.js', server?.pid], ['Jupyter', jupyterPid], ['Chromium', browserPid]]) {
      if (pid && alive(/** @type {number} */ (pid))) console.error(`browser test: ${what} (pid ${pid}) is still running`);
    }
    fs.writeFileSync(path.join(shotDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report, null, 2));
  });

  for (const name of notebooks) {
    describe(name, () => {
      /** @type {import('playwright-core').Page} */
      let page;
      const stem = name.replace(/\.ipynb$/, '');
      const committed = plotlyBundles(path.join(notebookDir, name));
      const r = (report[name] = { committedFigures: committed });

      before(async () => {
        page = await /** @type {import('playwright-core').Browser} */ (browser).newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (err) => { r.pageErrors = [...(/** @type {string[]} */ (r.pageErrors) ?? []), err.message]; });
        // Plots Plotly has drawn (a plot has several .main-svg layers, so count plots, not layers).
        await page.addInitScript(() => {
          /** @type {any} */ (window).drawnPlots = () => [...document.querySelectorAll('#notebook .js-plotly-plot')].filter((p) => p.querySelector('.main-svg')).length;
        });
        const t0 = Date.now();
        // Generous timeouts: on a loaded machine (CI, or other jobs sharing the cores) a 2 MB notebook takes a while.
        await page.goto(`${baseUrl}notebooks/${encodeURIComponent(name)}?token=${token}`, { timeout: PAGE_LOAD_MS, waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => /** @type {any} */ (window).Jupyter?.notebook?._fully_loaded === true, null, { timeout: PAGE_LOAD_MS });
        await page.evaluate(installGuards);
        r.loadSeconds = (Date.now() - t0) / 1000;
      });

      after(async () => {
        if (!page) return;
        // Shut this notebook's kernel down (not the page's business to keep it), then close without saving.
        await page.evaluate(() => /** @type {any} */ (window).Jupyter.notebook.session?.delete()).catch(() => undefined);
        await page.close({ runBeforeUnload: false });
      });

      it(`shows all ${committed} committed Plotly figures live on open, untrusted, within the column`, async () => {
        const t0 = Date.now();
        await page.waitForFunction((n) => drawnPlots() >= n, committed,
          { timeout: FIGURES_LIVE_MS }).catch(() => undefined);
        const s = await page.evaluate(pageState);
        r.liveOnOpen = s.live;
        r.figuresLiveSeconds = (Date.now() - t0) / 1000;
        await page.evaluate(unclipPage);
        await page.screenshot({ path: path.join(shotDir, `${stem}-open.jpg`), fullPage: true, type: 'jpeg', quality: 70 });
        expect(s.trusted, 'the notebook opens untrusted').to.equal(false);
        expect(s.plotlyOutputs, 'Plotly outputs in the page model').to.equal(committed);
        expect(s.live, 'live .js-plotly-plot elements').to.equal(committed);
        expect(s.drawn, 'plots that Plotly drew').to.equal(committed);
        r.packedArraysOnOpen = s.packed;
        expect(s.undecoded, `typed arrays (of ${s.packed}) that did not reach a drawn trace`).to.equal(0);
        expect(s.overflowing, 'plots wider than their output column').to.equal(0);
      });

      if (name.startsWith('01')) {
        it('plays the EM animation on ▶ and scrubs it with the slider', async () => {
          // Plotly 3 names the slider's current-value text .slider-label, like its step labels (inside .slider-labels).
          const current = '.slider-label:not(.slider-labels .slider-label)';
          const anim = page.locator('.js-plotly-plot', { has: page.locator(current) });
          expect(await anim.count(), 'figures with a slider').to.equal(1);
          await anim.scrollIntoViewIfNeeded();
          const label = anim.locator(current);
          const first = await label.textContent();
          await anim.screenshot({ path: path.join(shotDir, `${stem}-em-animation-before.png`) });
          const steps = await anim.evaluate((gd) => /** @type {any} */ (gd).layout.sliders[0].steps.map((s) => String(s.label)));
          const atFrame = (text, i) => text?.trim().endsWith(` ${steps[i]}`);
          await anim.locator('.updatemenu-button').first().click(); // ▶
          const playing = await pollUntil(() => label.textContent(), (t) => t !== first, 30_000);
          // Let it run to the last frame, then picture it.
          const end = await pollUntil(() => label.textContent(), (t) => atFrame(t, steps.length - 1), 120_000);
          const note = await anim.locator('.annotation-text').first().textContent();
          await anim.screenshot({ path: path.join(shotDir, `${stem}-em-animation-played.png`) });
          // Scrub: drag the slider's grip to the left end of its rail.
          const grip = await anim.locator('.slider-grip-rect').boundingBox();
          const rail = await anim.locator('.slider-rail-rect').boundingBox();
          if (!grip || !rail) throw new Error('the slider has no grip or rail on screen');
          await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
          await page.mouse.down();
          await page.mouse.move(rail.x + 2, grip.y + grip.height / 2, { steps: 10 });
          await page.mouse.up();
          const scrubbed = await label.textContent();
          await anim.screenshot({ path: path.join(shotDir, `${stem}-em-animation-scrubbed.png`) });
          r.animation = { first, playing, end, note, scrubbed, frames: steps.length };
          expect(playing, 'slider label after ▶').to.not.equal(first);
          expect(atFrame(end, steps.length - 1), 'played to the last frame').to.equal(true);
          expect(atFrame(scrubbed, 0), 'dragged to the first frame').to.equal(true);
          expect(note, "the last frame's annotation").to.match(/^lower bound -?\d/);
        });
      }

      it('runs all cells in quick mode with no error and no stderr output', async () => {
        const progress = name.startsWith('03') ? await page.evaluate(watchProgressCell) : false;
        // The kernel must be up before Run All, or the first cells' requests wait on it.
        await page.waitForFunction(() => /** @type {any} */ (window).Jupyter.notebook.kernel?.is_connected(), null, { timeout: PAGE_LOAD_MS });
        const t0 = Date.now();
        await page.evaluate(() => /** @type {any} */ (window).Jupyter.notebook.execute_all_cells());
        await page.waitForFunction(() => {
          const w = /** @type {any} */ (window);
          const cells = w.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code' && c.get_text().trim() !== '');
          return w.__kernelState === 'idle' && cells.every((c) => typeof c.input_prompt_number === 'number');
        }, null, { timeout: RUN_ALL_MS, polling: 250 }).catch(async (err) => {
          const s = await page.evaluate(pageState);
          throw new Error(`Run All did not finish (${err.message}); prompts ${JSON.stringify(s.prompts)}, stderr:\n${s.stderr.slice(0, 3000)}`);
        });
        r.runAllSeconds = (Date.now() - t0) / 1000;
        if (progress) {
          await page.evaluate(() => clearInterval(/** @type {any} */ (window).__progressTimer));
          r.progress = await page.evaluate(() => /** @type {any} */ (window).__progress);
        }
        const s = await page.evaluate(pageState);
        expect(s.errors, 'error outputs').to.deep.equal([]);
        expect(s.stderr, 'stderr output').to.equal('');
        expect(s.prompts.every((p) => typeof p === 'number'), `every cell ran: prompts ${JSON.stringify(s.prompts)}`).to.equal(true);
      });

      if (name.startsWith('03')) {
        it('updates the training progress in ONE output, in place, ending as a live figure', async () => {
          const p = /** @type {{ found: boolean, maxDisplays: number, maxAreas: number, states: string[] }} */ (r.progress);
          expect(p?.found, 'a cell that calls trainingProgress').to.equal(true);
          expect(p.maxDisplays, 'display outputs of the training cell at any time').to.equal(1);
          expect(p.maxAreas, 'progress output areas on the page at any time').to.equal(1);
          expect(p.states.length, `distinct progress states seen (${JSON.stringify(p.states)})`).to.be.at.least(2);
          expect(p.states[p.states.length - 1]).to.match(/done, \d+ epochs? in /);
          const live = await page.evaluate(() => {
            const cell = /** @type {any} */ (window).Jupyter.notebook.get_cells().find((c) => /trainingProgress\(/.test(c.get_text()));
            return cell.output_area.element.find('.js-plotly-plot').has('.main-svg').length;
          });
          expect(live, 'live figures in the training cell').to.equal(1);
          r.progressStates = p.states.length;
        });
      }

      it('shows every figure live after the run', async () => {
        await page.waitForFunction(() => {
          const n = /** @type {any} */ (window).Jupyter.notebook.get_cells().flatMap((c) => c.output_area?.outputs ?? [])
            .filter((o) => o.data && o.data['application/vnd.plotly.v1+json'] !== undefined).length;
          return drawnPlots() >= n;
        }, null, { timeout: FIGURES_LIVE_MS }).catch(() => undefined);
        const s = await page.evaluate(pageState);
        r.liveAfterRun = s.live;
        r.plotlyOutputsAfterRun = s.plotlyOutputs;
        await page.evaluate(unclipPage);
        await page.screenshot({ path: path.join(shotDir, `${stem}-after-run.jpg`), fullPage: true, type: 'jpeg', quality: 70 });
        // Each figure on its own too: the full page is too tall for most image viewers.
        const plots = page.locator('#notebook .js-plotly-plot');
        for (let i = 0; i < s.live; i++) {
          await plots.nth(i).screenshot({ path: path.join(shotDir, `${stem}-after-run-figure-${i + 1}.png`) });
        }
        expect(s.plotlyOutputs, 'Plotly outputs after the run').to.be.at.least(committed);
        expect(s.live, 'live .js-plotly-plot elements').to.equal(s.plotlyOutputs);
        expect(s.drawn, 'plots that Plotly drew').to.equal(s.plotlyOutputs);
        r.packedArraysAfterRun = s.packed;
        expect(s.undecoded, `typed arrays (of ${s.packed}) that did not reach a drawn trace`).to.equal(0);
        expect(s.overflowing, 'plots wider than their output column').to.equal(0);
        expect(r.pageErrors ?? [], 'errors thrown in the page').to.deep.equal([]);
        expect(await page.evaluate(() => /** @type {any} */ (window).__saveAttempts), 'save attempts from the page').to.equal(0);
      });
    });
  }

  // A describe of its own: mocha runs a suite's own tests before its nested suites, and this must come last.
  describe('afterwards', () => {
    it('left the committed notebooks untouched', () => {
      expect(hashes()).to.deep.equal(hashesBefore);
    });
  });
});
