/**
 * One headless Chromium (through playwright-core) with plotly.js loaded, started
 * on first use and shared by every render: starting it costs seconds, a render
 * a fraction of one. While idle its process and pipes are unref'd, so a script
 * or a test run exits on its own; Playwright kills the browser when Node exits.
 */
import type { Browser, Page } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';

export const DEFAULT_CHROMIUM = '/usr/lib/chromium/chromium';

/**
 * Flags that keep Chromium headless and quiet, and its own services off the network (page requests are
 * routed in start()). WebGL traces (scattergl) are drawn by the software renderer, SwiftShader: newer
 * Chromium releases use it without a GPU only when asked.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-swiftshader',
];

/** The Chromium binary: `$CHROMIUM_PATH` or Debian's, launched directly (the /usr/bin wrapper prints a warning). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** plotly.js on disk: the minified bundle when one is installed, otherwise plotly.js-dist's full one. */
export function plotlySourcePath(): string {
  for (const candidate of ['plotly.js-dist-min/plotly.min.js', 'plotly.js-dist/plotly.min.js', 'plotly.js-dist/plotly.js']) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next one
    }
  }
  throw new Error('plotly.js not found: install the plotly.js-dist package (npm install).');
}

interface RefHandle { ref(): unknown; unref(): unknown }

interface Session {
  browser: Browser;
  page: Page;
  /** Chromium's process and pipes: ref'd while rendering, unref'd while idle. */
  handles: RefHandle[];
  /** Renders running on this browser: its handles are ref'd exactly while this is > 0. */
  busy: number;
  launchMs: number;
  plotlyMs: number;
}

let session: Promise<Session> | null = null;
let idleTimer: NodeJS.Timeout | null = null;

/** Timings of the current browser (for measurements), or null if none is running. */
export async function browserTimings(): Promise<{ launchMs: number; plotlyMs: number } | null> {
  const s = session && (await session.catch(() => null));
  return s ? { launchMs: s.launchMs, plotlyMs: s.plotlyMs } : null;
}

/**
 * Run `fn` with the shared page (plotly.js loaded), starting the browser if needed.
 * Keeps the process alive exactly while some render is running.
 */
export async function withPlotlyPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
  const mine = (session ??= launch());
  const s = await mine.catch((e: unknown) => {
    if (session === mine) session = null;
    throw e;
  });
  // Counted per browser: with one global count, a render still failing on a browser being
  // closed could keep its replacement's handles ref'd while idle, and Node would never exit.
  if (s.busy++ === 0) s.handles.forEach((h) => h.ref());
  try {
    return await fn(s.page);
  } finally {
    if (--s.busy === 0) idle(s);
  }
}

function idle(s: Session): void {
  if (s.handles.length > 0) s.handles.forEach((h) => h.unref());
  // Without handles to unref (an unknown Node/Playwright internals change), close the idle browser instead.
  else idleTimer = setTimeout(() => void closeBrowser(), 2000);
}

/** Close the shared browser (the next render starts a new one). */
export async function closeBrowser(): Promise<void> {
  if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
  const pending = session;
  session = null;
  const s = pending && (await pending.catch(() => null));
  if (s) await s.browser.close().catch(() => undefined);
}

function launch(): Promise<Session> {
  // Forget only this browser: a late 'disconnected' from a browser closed without awaiting must
  // not drop the session that replaced it (closeBrowser would then leave that one running).
  const p: Promise<Session> = start(() => {
    if (session === p) session = null;
  });
  return p;
}

async function start(forget: () => void): Promise<Session> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH to a Chromium binary).`);
  }
  const { chromium } = await import('playwright-core');
  const t0 = Date.now();
  const before = new Set(activeHandles());
  // Playwright adds its own fresh temporary --user-data-dir and deletes it on close.
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS] });
  const handles = chromiumHandles(before, executablePath);
  const launchMs = Date.now() - t0;
  try {
    const page = await browser.newPage();
    // The flags stop Chromium's own traffic, not the page's: a figure's layout.images can name
    // any URL. Only the page and plotly.js (files named here) load; every other request fails.
    const own = new Set<string>();
    await page.route(() => true, (route) => (own.has(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    await page.routeWebSocket(() => true, (ws) => ws.close());
    const t1 = Date.now();
    await loadPlotly(page, own);
    const ok = await page.evaluate(() => typeof (globalThis as unknown as { Plotly?: unknown }).Plotly === 'object');
    if (!ok) throw new Error('plotly.js did not define window.Plotly in the page.');
    browser.on('disconnected', forget);
    return { browser, page, handles, busy: 0, launchMs, plotlyMs: Date.now() - t1 };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Put plotly.js into the page from disk, never the network. From a file:// page Chromium
 * streams and compiles the 11 MB script itself, about twice as fast as pushing its text
 * through the DevTools protocol (addScriptTag({ path })), which remains the fallback.
 */
async function loadPlotly(page: Page, own: Set<string>): Promise<void> {
  const source = plotlySourcePath();
  const dir = mkdtempSync(join(tmpdir(), 'plot-page-'));
  try {
    const blank = join(dir, 'blank.html');
    writeFileSync(blank, '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    own.add(pathToFileURL(blank).href).add(pathToFileURL(source).href);
    await page.goto(pathToFileURL(blank).href);
    await page.addScriptTag({ url: pathToFileURL(source).href });
  } catch {
    await page.addScriptTag({ path: source });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function activeHandles(): unknown[] {
  const get = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  return typeof get === 'function' ? get.call(process) : [];
}

/** Chromium's ChildProcess (matched by binary path) and its stdio pipes, among handles created by the launch. */
function chromiumHandles(before: Set<unknown>, executablePath: string): RefHandle[] {
  const isRefHandle = (h: unknown): h is RefHandle =>
    typeof h === 'object' && h !== null && typeof (h as RefHandle).ref === 'function' && typeof (h as RefHandle).unref === 'function';
  for (const h of activeHandles()) {
    if (before.has(h)) continue;
    const child = h as { spawnfile?: string; stdio?: unknown[] };
    if (child.spawnfile === executablePath && Array.isArray(child.stdio) && isRefHandle(h)) {
      return [h, ...child.stdio.filter(isRefHandle)];
    }
  }
  return [];
}
