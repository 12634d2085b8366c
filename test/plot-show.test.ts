import { expect } from 'chai';
import { readFileSync } from 'fs';
import { join, dirname } from 'path';
import { show, figureBundle, liveDisplay, trainingProgress, labelledScatter, toPlotlyJson, PLOTLY_MIME, Figure } from '../src/plot';
import { chromiumAvailable, chromiumPath } from '../src/plot/browser';
import { DisplayContent, TSLAB_VERSION, insideTslab, tslabJupyterModules } from '../src/plot/tslab';
import { requirePiece, settingUpWithout } from './support/setup-pieces';

type Call = { content: DisplayContent; update: boolean };

/** tslab's own jupyter module, the one the kernel sets `lastWriteDisplayData` on. */
const jupyterPath = require.resolve('tslab/dist/jupyter.js');
const jupyter = require(jupyterPath) as { lastWriteDisplayData: ((c: DisplayContent, u: boolean) => void) | null };

/** Act as the kernel does while a cell runs: install a writer that records each display message. */
function kernelCell(): Call[] {
  const calls: Call[] = [];
  jupyter.lastWriteDisplayData = (content, update) => calls.push({ content: JSON.parse(JSON.stringify(content)), update });
  return calls;
}

const fig: Figure = labelledScatter([[0, 0], [1, 1], [2, 0.5]], [0, 1, 1], { title: 'Show check', width: 400, height: 300 });

describe('plot: tslab internals (pinned tslab)', () => {
  it(`is tslab ${TSLAB_VERSION} with lastWriteDisplayData in dist/jupyter.js`, () => {
    const pkg = JSON.parse(readFileSync(join(dirname(jupyterPath), '..', 'package.json'), 'utf8'));
    expect(pkg.version, 'tslab was upgraded: re-check src/plot/tslab.ts against its dist/jupyter.js and public.js').to.equal(TSLAB_VERSION);
    expect(jupyter).to.have.property('lastWriteDisplayData');
    // The kernel assigns the writer per cell in handleExecuteImpl and sends display_data / update_display_data.
    const src = readFileSync(jupyterPath, 'utf8');
    expect(src).to.contain('exports.lastWriteDisplayData = writeDisplayData;');
    expect(src).to.match(/msg_type = update \? "update_display_data" : "display_data"/);
  });

  it('finds the writer through require.cache only while a cell runs', () => {
    expect(tslabJupyterModules().map((m) => m.path)).to.include(jupyterPath);
    jupyter.lastWriteDisplayData = null;
    expect(insideTslab()).to.equal(false);
    kernelCell();
    expect(insideTslab()).to.equal(true);
    jupyter.lastWriteDisplayData = null;
  });
});

describe('plot: show', function () {
  this.timeout(120000);
  afterEach(() => { jupyter.lastWriteDisplayData = null; });

  it('sends ONE display_data with Plotly JSON, a PNG and text/plain', async function () {
    // Without Chromium (SETUP_WITHOUT=chromium) the bundle has no PNG, which is checked below.
    if (!settingUpWithout('chromium')) requirePiece(this, 'chromium', chromiumAvailable(), `Chromium is missing at ${chromiumPath()}`);
    const calls = kernelCell();
    await show(fig);
    expect(calls).to.have.length(1);
    const { content, update } = calls[0];
    expect(update).to.equal(false);
    expect(content.data[PLOTLY_MIME]).to.deep.equal(JSON.parse(JSON.stringify(toPlotlyJson(fig))));
    expect(content.data['text/plain']).to.be.a('string').and.contain('Show check');
    if (chromiumAvailable()) {
      expect(Object.keys(content.data).sort()).to.deep.equal([PLOTLY_MIME, 'image/png', 'text/plain'].sort());
      const png = Buffer.from(content.data['image/png'] as string, 'base64');
      expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([400, 300]); // the layout's size
    }
  });

  it('writes to the cell that called it, even when a later cell runs before the PNG is ready', async () => {
    const first = kernelCell();
    const pending = show(fig, { png: false });
    const second = kernelCell();
    await pending;
    expect(first).to.have.length(1);
    expect(second).to.have.length(0);
  });

  it('sends Plotly JSON and text without a PNG when Chromium is missing, with one note', async () => {
    const saved = process.env.CHROMIUM_PATH;
    const stderr = process.stderr.write;
    let notes = '';
    // A path of its own: the note is printed once per message, and an earlier test may have used another missing path.
    const missing = `/nonexistent/chromium-${process.pid}-${Date.now()}`;
    process.env.CHROMIUM_PATH = missing;
    process.stderr.write = ((chunk: string | Uint8Array): boolean => { notes += String(chunk); return true; }) as typeof process.stderr.write;
    try {
      const calls = kernelCell();
      await show(fig);
      await show(fig);
      expect(calls.map((c) => Object.keys(c.content.data).sort())).to.deep.equal([[PLOTLY_MIME, 'text/plain'].sort(), [PLOTLY_MIME, 'text/plain'].sort()]);
      expect(notes.split(`no Chromium at ${missing}`)).to.have.length(2);
      expect(notes).to.contain('apt-get install chromium');
    } finally {
      process.stderr.write = stderr;
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it('prints one text line outside a notebook instead of failing', async () => {
    jupyter.lastWriteDisplayData = null;
    const log = console.log;
    const lines: string[] = [];
    console.log = (...args: unknown[]) => { lines.push(args.join(' ')); };
    try {
      await show(fig);
    } finally {
      console.log = log;
    }
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^\[figure\] Plotly figure "Show check" \(2 traces: 2×scatter\)$/);
  });

  it('leaves the Plotly JSON out when asked (interactive: false)', async () => {
    const b = await figureBundle(fig, { png: false, interactive: false });
    expect(Object.keys(b.data)).to.deep.equal(['text/plain']);
  });

  it('keeps animation frames in the bundle and rejects non-figures', async () => {
    const anim: Figure = { ...fig, frames: [{ name: 'a', data: [{ x: [1] }] }] };
    const b = await figureBundle(anim, { png: false });
    expect((b.data[PLOTLY_MIME] as Figure).frames).to.deep.equal([{ name: 'a', data: [{ x: [1] }] }]);
    let err: unknown;
    try { await show({ layout: {} } as unknown as Figure); } catch (e) { err = e; }
    expect(String(err)).to.match(/fig.data must be an array of traces/);
  });
});

describe('plot: live displays', () => {
  afterEach(() => { jupyter.lastWriteDisplayData = null; });

  it('liveDisplay sends display_data once, then update_display_data with the same display_id', () => {
    const calls = kernelCell();
    const d = liveDisplay();
    d.update({ text: 'one', html: '<b>one</b>' });
    d.update({ text: 'two' });
    expect(d.inNotebook).to.equal(true);
    expect(calls.map((c) => c.update)).to.deep.equal([false, true]);
    expect(calls.map((c) => c.content.transient?.display_id)).to.deep.equal([d.id, d.id]);
    expect(calls[0].content.data).to.deep.equal({ 'text/plain': 'one', 'text/html': '<b>one</b>' });
    expect(calls[1].content.data).to.deep.equal({ 'text/plain': 'two' });
    expect(liveDisplay().id).to.not.equal(d.id);
  });

  it('trainingProgress redraws a bar and an SVG loss curve in place, ends as a Plotly figure, and records the history', async function () {
    this.timeout(120000);
    if (!settingUpWithout('chromium')) requirePiece(this, 'chromium', chromiumAvailable(), `Chromium is missing at ${chromiumPath()}`);
    const calls = kernelCell();
    const p = trainingProgress({ epochs: 4, title: 'VAE', minIntervalMs: 0 });
    p.batchEnd(1, 5, 10, { loss: 200 });
    p.epochEnd(1, { loss: 190, valLoss: 195 });
    p.epochEnd(2, { loss: 170, valLoss: 180 });
    const finished = p.done();
    // The figure is sent at once (live without waiting for its PNG)...
    expect(calls.map((c) => c.update)).to.deep.equal([false, true, true, true]);
    await finished;
    expect(p.done()).to.equal(finished);
    // ...and sent again with its PNG, in the same output.
    expect(calls.map((c) => c.update)).to.deep.equal([false, true, true, true, true]);
    const ids = new Set(calls.map((c) => c.content.transient?.display_id));
    expect(ids.size).to.equal(1);
    const html = (i: number): string => calls[i].content.data['text/html'] as string;
    expect(html(0)).to.contain('width:12.5%'); // half of epoch 1 of 4
    expect(html(2)).to.contain('width:50%');
    expect(html(2)).to.match(/<svg[^>]*>.*<polyline[^>]*points="[^"]+ [^"]+"/); // two points per curve
    expect(html(2).match(/<polyline/g)).to.have.length(2); // loss and valLoss
    for (const final of [calls[3], calls[4]]) {
      expect(final.content.data['text/plain']).to.match(/^VAE: done, 2 epochs in .* · loss 170\.0 · valLoss 180\.0$/);
      expect(final.content.data).to.not.have.property('text/html');
      const figure = final.content.data[PLOTLY_MIME] as Figure;
      expect(figure.data.map((t) => [t.name, t.y])).to.deep.equal([['train', [190, 170]], ['validation', [195, 180]]]);
    }
    expect(Object.keys(calls[4].content.data).sort()).to.deep.equal(
      (chromiumAvailable() ? [PLOTLY_MIME, 'image/png', 'text/plain'] : [PLOTLY_MIME, 'text/plain']).sort());
    expect(p.history).to.deep.equal({ loss: [190, 170], valLoss: [195, 180] });
    expect(() => p.epochEnd(5, { loss: 1 })).to.throw(/epoch must be an integer in 1..4/);
    expect(() => p.epochEnd(3, { loss: NaN })).to.throw(/metrics.loss must be a finite number/);
  });

  it('fitCallbacks turns VAE.fit callback objects into progress and history', () => {
    const calls = kernelCell();
    const p = trainingProgress({ epochs: 2, minIntervalMs: 0 });
    const cb = p.fitCallbacks();
    const info = { epoch: 1, epochs: 2, batch: 3, batches: 3, loss: 5, reconstruction: 4, kl: 1, batchLoss: 5, imagesPerSecond: 9 };
    cb.onBatchEnd(info);
    cb.onEpochEnd({ ...info, valLoss: 6, seconds: 1, learningRate: 1e-3, klWeight: 1 } as typeof info);
    expect(p.history).to.deep.equal({ loss: [5], reconstruction: [4], kl: [1], valLoss: [6] });
    expect(calls).to.have.length(2);
  });

  it('falls back to text lines outside a notebook', () => {
    jupyter.lastWriteDisplayData = null;
    const isTTY = process.stdout.isTTY;
    (process.stdout as { isTTY?: boolean }).isTTY = false;
    try {
      const { out } = (() => {
        let text = '';
        const write = process.stdout.write;
        process.stdout.write = ((chunk: string | Uint8Array): boolean => { text += String(chunk); return true; }) as typeof process.stdout.write;
        try {
          const p = trainingProgress({ epochs: 2, minIntervalMs: 0 });
          p.batchEnd(1, 1, 4); // not printed: no terminal to redraw on
          p.epochEnd(1, { loss: 3.5 });
          p.epochEnd(2, { loss: 2.25 });
          p.done();
        } finally {
          process.stdout.write = write;
        }
        return { out: text };
      })();
      const lines = out.trimEnd().split('\n');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(/^epoch 1\/2 \[#{10}-{10}\] .* loss 3\.500$/);
      expect(lines[2]).to.match(/^done, 2 epochs \[#{20}\]/);
    } finally {
      (process.stdout as { isTTY?: boolean }).isTTY = isTTY;
    }
  });
});

