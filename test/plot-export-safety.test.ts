/**
 * Figure export fails in bounded time on paths that cannot be made, keeps the
 * export browser off the network, and checks figureToHtml's options.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Figure, figureToHtml, labelledScatter, renderPng, renderSvg } from '../src/plot';
import { chromiumAvailable, chromiumPath } from '../src/plot/browser';
import { runIsolated } from './support/isolated';

const fig: Figure = labelledScatter([[0, 0], [1, 2], [2, 1], [3, 3]], [0, 0, 1, 1], { title: 'Safety' });

describe('plot: export to a path that cannot be made', function () {
  this.timeout(60000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'plot-safety-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tryExport = (path: string) => `
    const { exportFigure } = require('../src/plot/export');
    const fig = { data: [{ type: 'scatter', x: [0, 1], y: [0, 1] }], layout: {} };
    exportFigure(fig, ${JSON.stringify(path)}).then(
      () => console.log('WROTE'),
      (e) => console.log('ERROR ' + e.message));`;

  it("fails promptly under /proc instead of spinning in Node's recursive mkdir", async () => {
    const { stdout, timedOut } = await runIsolated(tryExport('/proc/x/f.html'));
    expect(timedOut, 'export still running after 20 s').to.equal(false);
    expect(stdout).to.match(/ERROR exportFigure: cannot create folder \/proc\/x \(E[A-Z]+\); choose a path in a folder you can write to/);
  });

  it('names a parent that is a file', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const { stdout, timedOut } = await runIsolated(tryExport(join(file, 'sub', 'f.html')));
    expect(timedOut).to.equal(false);
    expect(stdout).to.contain(`ERROR exportFigure: cannot create ${join(file, 'sub')}: ${file} exists and is not a folder.`);
  });
});

describe('plot: the export browser stays off the network', function () {
  this.timeout(120000);
  let server: Server;
  let hits: string[];
  let base: string;
  before(async function () {
    if (process.env.NO_CHROMIUM === '1') this.skip();
    if (!chromiumAvailable()) throw new Error(`Chromium is missing at ${chromiumPath()}.`);
    hits = [];
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from('89504e470d0a1a0a', 'hex'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  it('a figure whose layout.images names a local server makes no request to it (PNG and SVG)', async () => {
    const withImage: Figure = {
      ...fig,
      layout: {
        ...fig.layout,
        images: [{ source: `${base}/tracker.png`, xref: 'paper', yref: 'paper', x: 0, y: 1, sizex: 0.5, sizey: 0.5 }],
      },
    };
    await renderPng(withImage, { width: 200, height: 150 });
    await renderSvg(withImage, { width: 200, height: 150 });
    // Give a late request the time to arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(hits).to.deep.equal([]);
  });
});

describe('plot: figureToHtml options are checked', () => {
  const cases: [string, object, RegExp][] = [
    ['title: 5', { title: 5 }, /figureToHtml: title must be a string; got 5/],
    ['width: 0', { width: 0 }, /figureToHtml: width must be a number of pixels in \[10, 10000\]; got 0/],
    ['width: NaN', { width: NaN }, /figureToHtml: width must be a number of pixels in \[10, 10000\]; got NaN/],
    ['height: -5', { height: -5 }, /figureToHtml: height must be a number of pixels in \[10, 10000\]; got -5/],
    ["height: '300'", { height: '300' }, /figureToHtml: height must be a number of pixels in \[10, 10000\]; got '300'/],
    ['a misspelt option', { widht: 300 }, /Unknown figureToHtml option 'widht'/],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what}`, () => expect(() => figureToHtml(fig, options as never)).to.throw(message));
  }
});
