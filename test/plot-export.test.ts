import { expect } from 'chai';
import { execFile, execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { exportFigure, renderPng, figureToHtml, labelledScatter, closeBrowser, emAnimation, colorOf, Figure } from '../src/plot';
import { chromiumAvailable, chromiumPath, withPlotlyPage } from '../src/plot/browser';
import { plotlyJs } from '../src/plot/html';
import { requirePiece, settingUpWithout } from './support/setup-pieces';

function requireChromium(ctx: Mocha.Context): void {
  requirePiece(ctx, 'chromium', chromiumAvailable(), `Chromium is missing at ${chromiumPath()}`);
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).to.equal('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const fig: Figure = labelledScatter([[0, 0], [1, 2], [2, 1], [3, 3]], [0, 0, 1, 1], { title: 'Export check ω' });

describe('plot: exportFigure', function () {
  this.timeout(120000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'plot-export-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a PNG whose IHDR size is width·scale × height·scale, into new folders', async function () {
    requireChromium(this);
    const path = await exportFigure(fig, join(dir, 'a', 'b', 'scatter.png'), { width: 300, height: 200, scale: 2 });
    expect(pngSize(readFileSync(path))).to.deep.equal({ width: 600, height: 400 });
    // Without options the layout's size is used, then 800×600.
    expect(pngSize(await renderPng({ ...fig, layout: { ...fig.layout, width: 320, height: 240 } }))).to.deep.equal({ width: 320, height: 240 });
    expect(pngSize(await renderPng(fig))).to.deep.equal({ width: 800, height: 600 });
  });

  it('writes an SVG document of the requested size containing the title', async function () {
    requireChromium(this);
    const path = await exportFigure(fig, join(dir, 'scatter.svg'), { width: 400, height: 300 });
    const svg = readFileSync(path, 'utf8');
    expect(svg).to.match(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).to.match(/<svg [^>]*width="400"[^>]*height="300"/);
    expect(svg.trimEnd().endsWith('</svg>')).to.equal(true);
    expect(svg).to.contain('Export check ω');
  });

  it('writes self-contained HTML (no browser needed) that draws the figure offline', async function () {
    const path = await exportFigure({ ...fig, layout: { ...fig.layout, width: 500, height: 400 } }, join(dir, 'scatter.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).to.contain(plotlyJs().slice(0, 2000)); // plotly.js inlined
    expect(html).to.contain('"name":"cluster 1"');
    expect(html).to.contain('"x":[2,3]');
    expect(html).to.not.match(/<script[^>]*\bsrc\s*=\s*["']?https?:/i);
    if (!chromiumAvailable() && settingUpWithout('chromium')) return; // the checks above still count
    requireChromium(this);
    // Open it with every network request blocked: the plot must still appear with both traces.
    const requests: string[] = [];
    const drawn = await withPlotlyPage(async (page) => {
      const p = await page.context().browser()!.newPage();
      try {
        await p.route(/^https?:/, (route) => { requests.push(route.request().url()); return route.abort(); });
        await p.setContent(html, { waitUntil: 'load' });
        await p.waitForSelector('#figure .main-svg');
        return await p.evaluate(() => (globalThis as unknown as { document: { getElementById(id: string): { data: unknown[] } } }).document.getElementById('figure').data.length);
      } finally {
        await p.close();
      }
    });
    expect(drawn).to.equal(2);
    expect(requests).to.deep.equal([]);
  });

  it('escapes "</script>" in figure text so the HTML page stays intact', () => {
    const html = figureToHtml(labelledScatter([[0, 0]], undefined, { title: '</script><b>x</b>' }));
    const tail = html.slice(html.lastIndexOf('<div id="figure"'));
    expect(tail.match(/<\/script>/g)).to.have.length(1);
    expect(html).to.contain('\\u003c/script>');
  });

  it('infers the format from the extension and rejects unknown ones clearly', async () => {
    await exportFigure(fig, join(dir, 'x.htm'));
    expect(existsSync(join(dir, 'x.htm'))).to.equal(true);
    let err: unknown;
    try { await exportFigure(fig, join(dir, 'x.jpg')); } catch (e) { err = e; }
    expect(String(err)).to.match(/cannot tell the format of .*x\.jpg.*\.png, \.svg or \.html/);
    err = undefined;
    try { await exportFigure(fig, join(dir, 'x.png'), { format: 'gif' as 'png' }); } catch (e) { err = e; }
    expect(String(err)).to.match(/format must be 'png', 'svg' or 'html'; got "gif"/);
    err = undefined;
    try { await exportFigure({ data: 'nope' } as unknown as Figure, join(dir, 'bad.html')); } catch (e) { err = e; }
    expect(String(err)).to.match(/fig.data must be an array of traces/);
    err = undefined;
    try { await renderPng(fig, { width: 0 }); } catch (e) { err = e; }
    expect(String(err)).to.match(/width must be a number of pixels/);
  });

  it('says how to install Chromium when it is missing', async () => {
    await closeBrowser(); // otherwise the running browser would be reused
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(dir, 'no-such-chromium');
    try {
      let err: unknown;
      try { await exportFigure(fig, join(dir, 'y.png')); } catch (e) { err = e; }
      expect(String(err)).to.match(/Chromium not found at .*no-such-chromium: install it with `apt-get install chromium`/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('closes every browser: a late "disconnected" from an un-awaited close does not orphan its replacement', async function () {
    requireChromium(this);
    // Chromium processes started by this Node process (Playwright spawns the browser directly).
    const chromiumChildren = (): number => execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n').filter((c) => /chrom/i.test(c)).length;
    await renderPng(fig, { width: 60, height: 40 });
    const closing = closeBrowser(); // not awaited before the next render starts a new browser
    await renderPng(fig, { width: 60, height: 40 });
    await closing;
    await new Promise((r) => setTimeout(r, 300)); // the old browser's 'disconnected' has surely fired by now
    await closeBrowser();
    expect(chromiumChildren()).to.equal(0);
  });

  it('draws WebGL scatters (scattergl) in the PNG as it draws SVG ones: headless, --disable-gpu, software WebGL', async function () {
    requireChromium(this);
    // 20,000 red points on a diagonal band: count the red pixels of each PNG in the page's canvas.
    const n = 20000;
    const x = Array.from({ length: n }, (_, i) => i / n);
    const y = x.map((v, i) => v + ((i * 7919) % 1000) / 10000);
    const figureOf = (type: string): Figure => ({
      data: [{ type, mode: 'markers', x, y, marker: { color: '#ff0000', size: 3 } }],
      layout: { width: 400, height: 300, margin: { l: 10, r: 10, t: 10, b: 10 }, xaxis: { visible: false }, yaxis: { visible: false } },
    });
    const redPixels = async (type: string): Promise<number> => {
      const png = (await renderPng(figureOf(type))).toString('base64');
      return withPlotlyPage((page) => page.evaluate(async (b64) => {
        const g = globalThis as unknown as { document: any; Image: any };
        const img = new g.Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = g.document.createElement('canvas');
        canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        let red = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] > 200 && px[i + 1] < 90 && px[i + 2] < 90) red++;
        return red;
      }, png));
    };
    const svg = await redPixels('scatter');
    const gl = await redPixels('scattergl');
    expect(svg, 'red pixels of the SVG scatter').to.be.above(5000);
    expect(gl / svg, `red pixels, scattergl ${gl} vs scatter ${svg}`).to.be.within(0.5, 2);
  });

  it('draws EM animation points in their component colours (index + stepped colorscale)', async function () {
    requireChromium(this);
    const pts = [[0, 0], [0.5, 0.2], [10, 10], [10.3, 9.5], [20, 0]];
    const history = [{ weights: [0.4, 0.4, 0.2], means: [[0, 0], [10, 10], [20, 0]], covariances: [1, 1, 1] }];
    const anim = emAnimation(pts, history);
    const fills = await withPlotlyPage(async (page) => page.evaluate(async (figure) => {
      const g = globalThis as unknown as { document: any; Plotly: any };
      const div = g.document.createElement('div');
      g.document.body.appendChild(div);
      const f = JSON.parse(figure);
      await g.Plotly.newPlot(div, f.data, { ...f.layout, width: 300, height: 300 });
      const points = div.querySelectorAll('.scatterlayer .trace')[0].querySelectorAll('path.point');
      const out = Array.from(points, (p: any) => p.style.fill as string);
      g.Plotly.purge(div);
      div.remove();
      return out;
    }, JSON.stringify({ data: anim.data, layout: anim.layout })));
    const rgb = (hex: string): string => {
      const v = parseInt(hex.slice(1), 16);
      return `rgb(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255})`;
    };
    expect(fills).to.deep.equal([0, 0, 1, 1, 2].map((k) => rgb(colorOf(k))));
  });

  it('lets a script exit on its own after rendering (idle browser does not hold Node)', async function () {
    requireChromium(this);
    const exportJs = require.resolve('../src/plot/export');
    const code = `require(${JSON.stringify(exportJs)}).renderPng({ data: [{ y: [1, 2] }], layout: {} }, { width: 50, height: 40 })` +
      `.then((b) => console.log('png', b.readUInt32BE(16), b.readUInt32BE(20)))`;
    const { code: exitCode, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      // The 90 s kill only turns a hang into a failure; a healthy run exits as soon as the render is done.
      const child = execFile(process.execPath, ['-e', code], { timeout: 90000 }, (error, out) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out });
      });
      child.stdin?.end();
    });
    expect(stdout.trim()).to.equal('png 50 40');
    expect(exitCode).to.equal(0);
  });
});
