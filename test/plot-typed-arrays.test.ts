import { expect } from 'chai';
import { Random } from '../src/random';
import {
  Figure, Frame, packFigure, encodeArray, encodeMatrix, decodeArray, dtypeFor, isTypedArraySpec,
  renderPng, renderSvg, figureToHtml, labelledScatter, chromiumAvailable, chromiumPath, figureBundle, PLOTLY_MIME,
} from '../src/plot';
import { withPlotlyPage } from '../src/plot/browser';
import { requirePiece } from './support/setup-pieces';

function requireChromium(ctx: Mocha.Context): void {
  requirePiece(ctx, 'chromium', chromiumAvailable(), `Chromium is missing at ${chromiumPath()}`);
}

const rng = new Random(7);
const floats = (n: number, scale = 1): number[] => Array.from({ length: n }, () => rng.normal(0, scale));
const ints = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, (_, i) => (i === 0 ? lo : i === 1 ? hi : lo + rng.int(hi - lo + 1)));

/** A scatter, a heatmap and an animation, all with arrays long enough to be packed. */
function testFigure(): Figure {
  const n = 300;
  return {
    data: [
      { type: 'scatter', mode: 'markers', x: floats(n), y: floats(n, 3), marker: { color: ints(n, 0, 9), size: floats(n).map((v) => 4 + Math.abs(v) * 3), colorscale: 'Viridis' } },
      { type: 'heatmap', z: Array.from({ length: 20 }, () => floats(30)), xaxis: 'x2', yaxis: 'y2', showscale: false },
    ],
    layout: { width: 700, height: 400, xaxis: { domain: [0, 0.45] }, xaxis2: { domain: [0.55, 1] }, yaxis2: { anchor: 'x2' }, showlegend: false },
    frames: [{ name: 'last', data: [{ x: floats(n), y: floats(n) }], traces: [0] }],
  };
}

describe('plot: typed arrays (bdata)', () => {
  it('picks the narrowest exact dtype and decodes every one back to the same numbers', () => {
    const cases: [number[], string][] = [
      [ints(100, 0, 255), 'u1'], [ints(100, -128, 127), 'i1'], [ints(100, 0, 65535), 'u2'], [ints(100, -32768, 32767), 'i2'],
      [ints(100, 0, 2 ** 32 - 1), 'u4'], [ints(100, -(2 ** 31), 2 ** 31 - 1), 'i4'], [[...ints(99, 0, 9), 2 ** 40 + 1], 'f8'],
      [Array.from(new Float32Array(floats(100))), 'f4'], [floats(100), 'f8'], [[...floats(99), 5e-324, 1.7976931348623157e308, -0.5], 'f8'],
    ];
    for (const [values, dtype] of cases) {
      expect(dtypeFor(values), dtype).to.equal(dtype);
      const spec = encodeArray(values)!;
      expect(spec.dtype).to.equal(dtype);
      expect(decodeArray(spec)).to.deep.equal(values);
    }
  });

  it('round-trips a rectangular matrix with its shape, and refuses ragged or gappy arrays', () => {
    const z = Array.from({ length: 7 }, () => floats(11));
    const spec = encodeMatrix(z)!;
    expect(spec.shape).to.equal('7,11');
    expect(decodeArray(spec)).to.deep.equal(z);
    expect(encodeMatrix([[1, 2], [3]])).to.equal(null);
    expect(encodeArray([1, null as unknown as number, 3])).to.equal(null); // null is Plotly's gap: stays plain
    expect(encodeArray([1, Number.NaN])).to.equal(null);
    expect(encodeArray(['a', 'b'] as unknown as number[])).to.equal(null);
    expect(() => decodeArray({ dtype: 'f8', bdata: 'AAAA' })).to.throw(/3 bytes is not a whole number of f8 values/);
    expect(() => decodeArray({ dtype: 'x9' as 'f8', bdata: '' })).to.throw(/unknown dtype "x9"/);
  });

  it('packs long arrays in traces and frames only, keeps short ones readable and leaves the input alone', () => {
    const fig = testFigure();
    fig.data.push({ type: 'scatter', x: [1, 2, 3], y: [4, 5, 6], text: Array.from({ length: 100 }, (_, i) => `p${i}`) });
    fig.layout.xaxis3 = { tickvals: ints(100, 0, 99) };
    const before = JSON.stringify(fig);
    const packed = packFigure(fig);
    expect(JSON.stringify(fig)).to.equal(before);
    const [s, h, small] = packed.data as Record<string, any>[];
    for (const v of [s.x, s.y, s.marker.color, s.marker.size, h.z, packed.frames![0].data[0].x]) expect(isTypedArraySpec(v)).to.equal(true);
    expect(s.marker.color.dtype).to.equal('u1');
    expect(h.z.shape).to.equal('20,30');
    expect(small.x).to.deep.equal([1, 2, 3]);
    expect(small.text).to.deep.equal(fig.data[2].text);
    expect(packed.layout).to.deep.equal(fig.layout);
    expect(decodeArray(s.x)).to.deep.equal(fig.data[0].x);
    expect(decodeArray(h.z)).to.deep.equal(fig.data[1].z);
    // A layout-only frame passes through.
    const layoutFrame = { name: 'zoom', layout: { xaxis: { range: [0, 1] } } } as unknown as Frame;
    expect(packFigure({ ...fig, frames: [layoutFrame] }).frames).to.deep.equal([layoutFrame]);
    // About a third of the pretty-printed bytes a notebook would store.
    expect(JSON.stringify(packed, null, 1).length).to.be.below(JSON.stringify(fig, null, 1).length / 2);
  });

  it('show() bundles packed JSON; the HTML export embeds it too', async () => {
    const fig = testFigure();
    const b = await figureBundle(fig, { png: false });
    expect(isTypedArraySpec((b.data[PLOTLY_MIME] as Figure).data[0].x)).to.equal(true);
    expect(figureToHtml(fig)).to.contain('"bdata":');
  });
});

describe('plot: typed arrays in Chromium', function () {
  this.timeout(120000);

  it('draws the same PNG and the same SVG paths from packed and plain figures', async function () {
    requireChromium(this);
    const fig = testFigure();
    const packed = packFigure(fig);
    expect((await renderPng(packed)).equals(await renderPng(fig))).to.equal(true);
    // SVG ids are random per render; the drawn geometry (paths, point positions, heatmap image) is not.
    const geometry = (svg: string): string[] => svg.match(/ (d|transform|href)="[^"]*"/g) ?? [];
    const [a, b] = [geometry(await renderSvg(fig)), geometry(await renderSvg(packed))];
    expect(a.length).to.be.above(300);
    expect(b).to.deep.equal(a);
  });

  it('gives hover and animation the exact values (f8), in a live plot as the notebook extension draws it', async function () {
    requireChromium(this);
    const fig = testFigure();
    const packed = packFigure(fig);
    const got = await withPlotlyPage((page) => page.evaluate(async (json) => {
      const f = JSON.parse(json);
      const P = (globalThis as any).Plotly;
      const div = (globalThis as any).document.createElement('div');
      (globalThis as any).document.body.appendChild(div);
      try {
        await P.newPlot(div, f.data, f.layout);
        await P.addFrames(div, f.frames);
        const before = { x: Array.from(div._fullData[0].x), z: div._fullData[1].z.map((r: ArrayLike<number>) => Array.from(r)), color: Array.from(div._fullData[0].marker.color) };
        await P.animate(div, ['last'], { frame: { duration: 0, redraw: true }, transition: { duration: 0 } });
        return { ...before, after: Array.from(div._fullData[0].x) };
      } finally {
        P.purge(div);
        div.remove();
      }
    }, JSON.stringify(packed)));
    expect(got.x).to.deep.equal(fig.data[0].x);
    expect(got.z).to.deep.equal(fig.data[1].z);
    expect(got.color).to.deep.equal((fig.data[0].marker as { color: number[] }).color);
    expect(got.after).to.deep.equal(fig.frames![0].data[0].x);
  });
});
