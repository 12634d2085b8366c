import { expect } from 'chai';
import {
  labelledScatter, softAssignments, densityContours, criterionCurves, emAnimation, gmmEllipses,
  panels, groupedBars, plotRound, plotDecimals, colorOf, mixtureLogDensity, gmm2d, Figure, Trace,
} from '../src/plot';
import { Random } from '../src/random';

type Obj = Record<string, any>;
const traces = (fig: Figure): Obj[] => fig.data as Obj[];

/** n points of three blobs, with full-precision coordinates. */
function blobs(n: number, seed = 1): { X: number[][]; y: number[] } {
  const rng = new Random(seed);
  const centres = [[-3, 0], [2, 2], [1, -3]];
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    X.push([centres[k][0] + rng.normal(0, 0.8), centres[k][1] + rng.normal(0, 0.8)]);
    y.push(k);
  }
  return { X, y };
}

const spanOf = (v: number[]): number => Math.max(...v) - Math.min(...v);
/** Longest decimal expansion among the numbers, as JSON writes them. */
const maxDigits = (v: number[]): number => Math.max(...v.map((x) => (String(x).split('.')[1] ?? '').length));

describe('plot: coordinates rounded for plotting', () => {
  it('plotDecimals keeps 5 significant digits of the span', () => {
    expect(plotDecimals(10)).to.equal(3);
    expect(plotDecimals(9.99)).to.equal(4);
    expect(plotDecimals(0.01)).to.equal(6);
    expect(plotDecimals(2e5)).to.equal(0);
    expect(plotDecimals(0)).to.equal(12); // a constant column keeps its digits
  });

  it('plotRound changes no value by more than 1/20000 of the span, and shortens the JSON', () => {
    const rng = new Random(3);
    for (const scale of [1e-3, 1, 37, 1e4]) {
      const v = Array.from({ length: 500 }, () => scale * rng.normal(0, 1));
      const r = plotRound(v);
      const tol = spanOf(v) / 2e4;
      r.forEach((x, i) => expect(Math.abs(x - v[i])).to.be.at.most(tol * (1 + 1e-9)));
      expect(JSON.stringify(r).length).to.be.lessThan(0.6 * JSON.stringify(v).length);
    }
    expect(plotRound([1.23456789])).to.deep.equal([1.2346]); // a single value: its own magnitude
  });

  it('scatter, soft-assignment, density and EM point traces carry rounded, still-correct coordinates', () => {
    const { X, y } = blobs(600);
    const xs = X.map((p) => p[0]), ys = X.map((p) => p[1]);
    const tolX = spanOf(xs) / 2e4, tolY = spanOf(ys) / 2e4;
    const check = (t: Obj, idx: number[]): void => {
      expect(t.x).to.have.length(idx.length);
      idx.forEach((i, j) => {
        expect(Math.abs(t.x[j] - xs[i])).to.be.at.most(tolX);
        expect(Math.abs(t.y[j] - ys[i])).to.be.at.most(tolY);
      });
      expect(maxDigits(t.x)).to.be.at.most(plotDecimals(spanOf(xs)));
    };
    const all = X.map((_, i) => i);
    const byLabel = (k: number): number[] => all.filter((i) => y[i] === k);
    traces(labelledScatter(X, y)).forEach((t, k) => check(t, byLabel(k)));
    const params = {
      weights: [1 / 3, 1 / 3, 1 / 3], means: [[-3, 0], [2, 2], [1, -3]], covariances: [0.64, 0.64, 0.64], covarianceType: 'spherical' as const,
    };
    const f = [0, 1, 2].map((k) => mixtureLogDensity(gmm2d({ ...params, weights: [1], means: [params.means[k]], covariances: [params.covariances[k]] })));
    const best = X.map(([a, b]) => [0, 1, 2].reduce((m, k) => (f[k](a, b) > f[m](a, b) ? k : m), 0));
    const proba = X.map(([a, b]) => {
      const l = f.map((g) => Math.exp(g(a, b)));
      const s = l[0] + l[1] + l[2];
      return l.map((v) => v / s);
    });
    traces(softAssignments(X, proba)).forEach((t, k) => check(t, all.filter((i) => best[i] === k)));
    check(traces(densityContours(params, { points: X, gridSize: 20 })).find((t) => t.name === 'data')!, all);
    check(traces(gmmEllipses(X, params))[0], all.filter((i) => best[i] === 0));
    check(traces(emAnimation(X, [params, params]))[0], all);
  });
});

describe('plot: criterionCurves ticks', () => {
  it('ticks every K when there are few, leaves many to Plotly', () => {
    const sparse = [5, 10, 15, 20, 30, 40, 60];
    const few = criterionCurves(sparse, { BIC: sparse.map((k) => (k - 20) ** 2) });
    expect(few.layout.xaxis).to.include({ tickmode: 'array' });
    expect((few.layout.xaxis as Obj).tickvals).to.deep.equal(sparse);
    expect((few.layout.xaxis as Obj).dtick).to.equal(undefined);
    const ks = Array.from({ length: 56 }, (_, i) => i + 5);
    const many = criterionCurves(ks, { BIC: ks.map((k) => Math.abs(k - 30)) });
    const axis = many.layout.xaxis as Obj;
    expect(axis.dtick).to.equal(undefined);
    expect(axis.tickvals).to.equal(undefined);
    expect(axis.tickmode).to.equal(undefined);
    // Unsorted, repeated K values still give sorted, distinct ticks.
    expect((criterionCurves([3, 1, 2, 1], { a: [1, 2, 3, 4] }).layout.xaxis as Obj).tickvals).to.deep.equal([1, 2, 3]);
  });
});

describe('plot: emAnimation frames', () => {
  /** Colour of value v on a Plotly colorscale whose bands are constant (as emAnimation's are). */
  const colourAt = (scale: [number, string][], cmin: number, cmax: number, v: number): string => {
    const u = (v - cmin) / (cmax - cmin);
    const i = scale.findIndex(([p], j) => j % 2 === 0 && u >= p && u <= scale[j + 1][0]);
    expect(scale[i][1]).to.equal(scale[i + 1][1]);
    return scale[i][1];
  };

  it('colours points by component index through a stepped colorscale: right colours, small frames', () => {
    const { X } = blobs(1500, 2);
    const history = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => ({
      weights: [0.3, 0.3, 0.4],
      means: [[-3 + t * 0.1, 0], [2, 2 - t * 0.2], [1, -3]],
      covariances: [[1, 0.2 + t / 10], [0.5, 0.5], [1, 2]],
      covarianceType: 'diag' as const,
      lowerBound: -3 + t / 10,
    }));
    const fig = emAnimation(X, history);
    expect(fig.frames).to.have.length(11);
    fig.frames!.forEach((frame, s) => {
      const m = (frame.data[0] as Obj).marker;
      // The most likely component of each point, computed here independently of the library.
      const g = gmm2d(history[s]);
      const comp = g.weights.map((w, k) => mixtureLogDensity({ weights: [w], means: [g.means[k]], covariances: [g.covariances[k]] }));
      const expected = X.map(([a, b]) => [0, 1, 2].reduce((best, k) => (comp[k](a, b) > comp[best](a, b) ? k : best), 0));
      expect(m.color).to.deep.equal(expected);
      for (const k of [0, 1, 2]) expect(colourAt(m.colorscale, m.cmin, m.cmax, k)).to.equal(colorOf(k));
      expect(m.showscale).to.equal(false);
    });
    // One digit and a comma per point per frame, where a colour string took 10 bytes.
    const frameBytes = JSON.stringify(fig.frames!.map((f) => f.data[0])).length;
    expect(frameBytes).to.be.lessThan(11 * 1500 * 2 + 11 * 1000);
    const colourStrings = JSON.stringify(fig.frames!.map((f) => ({ ...(f.data[0] as Obj), marker: { color: (f.data[0] as Obj).marker.color.map(colorOf) } }))).length;
    expect(frameBytes).to.be.lessThan(colourStrings / 4);
    // The static picture shows the last frame's colours.
    expect((fig.data[0] as Obj).marker.color).to.deep.equal((fig.frames![10].data[0] as Obj).marker.color);
    // Without colouring, one grey for all points.
    expect((emAnimation(X, history, { colorPoints: false }).frames![0].data[0] as Obj).marker.color).to.equal('#9aa0a6');
  });
});

describe('plot: panels', () => {
  const pts = [[0, 0], [1, 0], [0, 1], [10, 10], [12, 10], [10, 13]];
  const labels = [0, 0, 0, 1, 1, 1];

  it('puts each figure on its own axes, keeps equal scaling where the source had it', () => {
    const a = labelledScatter(pts, labels, { xTitle: 'x₁' });
    const b = criterionCurves([1, 2, 3], { BIC: [3, 1, 2] });
    const c = labelledScatter(pts, labels);
    const fig = panels([a, b, c], { columns: 2, titles: ['left', 'right', 'below'], title: 'all' });
    const t = traces(fig);
    expect(t.length).to.equal(a.data.length + b.data.length + c.data.length);
    expect(t.slice(0, 2).map((x) => [x.xaxis, x.yaxis])).to.deep.equal([['x', 'y'], ['x', 'y']]);
    expect(t[2]).to.include({ xaxis: 'x2', yaxis: 'y2' });
    expect(t[t.length - 1]).to.include({ xaxis: 'x3', yaxis: 'y3' });
    expect(t[0].x).to.deep.equal(traces(a)[0].x);
    const L = fig.layout as Obj;
    expect(L.yaxis.scaleanchor).to.equal('x');
    expect(L.yaxis2.scaleanchor).to.equal(undefined);
    expect(L.yaxis3.scaleanchor).to.equal('x3');
    expect(L.xaxis.title.text).to.equal('x₁');
    expect(L.xaxis3.anchor).to.equal('y3');
    expect(L.xaxis2.tickvals).to.deep.equal([1, 2, 3]);
    // 2 columns × 2 rows: domains side by side and stacked, never overlapping.
    expect(L.xaxis.domain[1]).to.be.lessThan(L.xaxis2.domain[0]);
    expect(L.xaxis3.domain).to.deep.equal(L.xaxis.domain);
    expect(L.yaxis3.domain[1]).to.be.lessThan(L.yaxis.domain[0]);
    const titles = L.annotations.filter((x: Obj) => x.xref === 'paper');  // the panel titles; the rest are the curve's minimum label
    expect(titles.map((x: Obj) => x.text)).to.deep.equal(['left', 'right', 'below']);
    expect(L.annotations.find((x: Obj) => x.text === 'BIC: K = 2').xref).to.equal('x2');
    expect(titles[1].x).to.be.closeTo((L.xaxis2.domain[0] + L.xaxis2.domain[1]) / 2, 1e-12);
    expect(L.title.text).to.equal('all');
  });

  it('shows one shared legend without duplicates, and none for figures that had none', () => {
    const d = densityContours({ weights: [1], means: [[0, 0]], covariances: [1] }, { points: pts, gridSize: 10 });
    const fig = panels([labelledScatter(pts, labels), labelledScatter(pts, labels), d]);
    const shown = traces(fig).filter((t) => t.showlegend !== false).map((t) => t.name);
    expect(shown).to.deep.equal(['cluster 0', 'cluster 1']);
    expect(fig.layout.showlegend).to.equal(true);
    expect(traces(fig).find((t) => t.type === 'contour')!.showscale).to.equal(false);
    const none = panels([labelledScatter(pts, labels)], { legend: false });
    expect(traces(none).every((t) => t.showlegend === false)).to.equal(true);
    expect(none.layout.showlegend).to.equal(false);
  });

  it('moves annotations into their panel and uses figure titles when no titles are given', () => {
    const noted: Figure = {
      ...labelledScatter(pts, labels, { title: 'own title' }),
      layout: { ...labelledScatter(pts, labels).layout, title: { text: 'own title' }, annotations: [{ xref: 'paper', yref: 'paper', x: 0, y: 1, text: 'note' }, { x: 1, y: 2, text: 'at data' }] },
    };
    const fig = panels([labelledScatter(pts, labels), noted]);
    const L = fig.layout as Obj;
    const note = L.annotations.find((a: Obj) => a.text === 'note');
    expect(note.x).to.be.closeTo(L.xaxis2.domain[0], 1e-12);
    expect(note.y).to.be.closeTo(L.yaxis2.domain[1], 1e-12);
    expect(L.annotations.find((a: Obj) => a.text === 'at data')).to.include({ xref: 'x2', yref: 'y2' });
    expect(L.annotations.map((a: Obj) => a.text)).to.include('own title');
  });

  it('refuses animations, empty input and bad columns with clear messages', () => {
    const anim = emAnimation(pts, [{ weights: [1], means: [[0, 0]], covariances: [1] }]);
    expect(() => panels([anim])).to.throw(/figures\[0\] is an animation/);
    expect(() => panels([])).to.throw(/non-empty array/);
    expect(() => panels([labelledScatter(pts)], { columns: 0 })).to.throw(/columns must be a positive integer; got 0/);
    const multi: Figure = { data: [{ type: 'scatter', x: [1], y: [1], xaxis: 'x2' } as Trace], layout: {} };
    expect(() => panels([multi])).to.throw(/single-axis figures/);
  });
});

describe('plot: groupedBars', () => {
  it('one bar trace per series over the categories, values written above, grouped', () => {
    const fig = groupedBars(['round', 'stretched'], [{ name: 'K-Means', values: [0.98, 0.612] }, { name: 'GMM', values: [0.97, 0.99] }], {
      yTitle: 'ARI', yRange: [0, 1.12],
    });
    const t = traces(fig);
    expect(t.map((x) => [x.type, x.name])).to.deep.equal([['bar', 'K-Means'], ['bar', 'GMM']]);
    expect(t[0].x).to.deep.equal(['round', 'stretched']);
    expect(t[0].y).to.deep.equal([0.98, 0.612]);
    expect(t[0].text).to.deep.equal(['0.98', '0.61']);
    expect(t[0].marker.color).to.not.equal(t[1].marker.color);
    expect(fig.layout).to.include({ barmode: 'group' });
    expect((fig.layout.yaxis as Obj).range).to.deep.equal([0, 1.12]);
    expect((fig.layout.yaxis as Obj).title.text).to.equal('ARI');
    // Series as a record, no value labels.
    const rec = traces(groupedBars(['a'], { one: [1], two: [2] }, { valueLabels: false }));
    expect(rec.map((x) => x.name)).to.deep.equal(['one', 'two']);
    expect(rec[0].text).to.equal(undefined);
    // Panels of bar charts stay grouped.
    expect(panels([groupedBars(['a'], { s: [1] }), groupedBars(['a'], { s: [2] })]).layout.barmode).to.equal('group');
  });

  it('names the series and the problem when values do not fit', () => {
    expect(() => groupedBars(['a', 'b'], [{ name: 'K-Means', values: [1] }])).to.throw(/series\[0\] \(K-Means\).values has 1 entries; expected 2/);
    expect(() => groupedBars([], { s: [] })).to.throw(/categories must be a non-empty array/);
    expect(() => groupedBars(['a'], [])).to.throw(/at least one series/);
    expect(() => groupedBars(['a'], { s: [NaN] })).to.throw(/must be a finite number/);
    expect(() => groupedBars(['a'], { s: [1] }, { yRange: [1, 0] })).to.throw(/yRange must be \[min, max\]/);
  });
});
