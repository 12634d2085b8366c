import { expect } from 'chai';
import { Figure, latentGrid, manifoldGrid } from '../src/plot';
import { gridTicks } from '../src/plot/grid-ticks';
import { VAE, initBackend, latentGridPoints, latentGridValues, normalQuantile } from '../src/vae';

type Obj = Record<string, any>;
const axes = (fig: Figure): { x: Obj; y: Obj } => ({ x: (fig.layout as Obj).xaxis, y: (fig.layout as Obj).yaxis });
const diffs = (v: number[]): number[] => v.slice(1).map((x, i) => x - v[i]);

describe('latent grid: normalQuantile', () => {
  it('matches known values of Φ⁻¹ (scipy.stats.norm.ppf) in the centre and both tails', () => {
    const known: [number, number][] = [
      [0.975, 1.959963984540054], [0.8413447460685429, 1], [0.3, -0.5244005127080409],
      [0.02425, -1.972961051311885], [0.001, -3.090232306167813], [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of known) expect(normalQuantile(p)).to.be.closeTo(z, 2e-9 * Math.max(1, Math.abs(z)));
    expect(normalQuantile(0.5)).to.equal(0);
  });

  it('is exactly antisymmetric, increasing, and refuses p outside (0, 1)', () => {
    // For q ≥ ½, 1 − q is exact in floating point, so the mirror must be exact too.
    for (const q of [1 - 1e-12, 0.99, 1 - 0.02425, 0.9, 0.75, 0.5001]) expect(normalQuantile(q)).to.equal(-normalQuantile(1 - q));
    const ps = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    expect(diffs(ps.map(normalQuantile)).every((d) => d > 0)).to.equal(true);
    for (const bad of [0, 1, -0.1, 1.5, NaN]) expect(() => normalQuantile(bad)).to.throw(/p must be a probability strictly between 0 and 1/);
  });
});

describe('latent grid: values and points', () => {
  it('spaces linear grids evenly over the range, both ends included (the default is [-3, 3])', () => {
    expect(latentGridValues(4, [-3, 3])).to.deep.equal([-3, -1, 1, 3]);
    expect(latentGridValues(4)).to.deep.equal(latentGridValues(4, { spacing: 'linear', range: [-3, 3] }));
    expect(latentGridValues(1, [0, 2])).to.deep.equal([1]);
  });

  it('spaces quantile grids at Φ⁻¹((i + ½)/n), symmetric, or over given probabilities', () => {
    const v = latentGridValues(12, { spacing: 'quantile' });
    // scipy.stats.norm.ppf((np.arange(12) + 0.5) / 12)
    const expected = [-1.7316644, -1.15034938, -0.8122178, -0.54852228, -0.31863936, -0.10463346];
    expected.forEach((z, i) => {
      expect(v[i]).to.be.closeTo(z, 1e-7);
      expect(v[11 - i]).to.equal(-v[i]);
    });
    expect(latentGridValues(5, { spacing: 'quantile' })[2]).to.equal(0);
    // Each cell holds the same prior mass: consecutive values are farther apart in the tails.
    const gaps = diffs(v);
    expect(gaps[0]).to.be.greaterThan(gaps[5]);
    const ends = latentGridValues(3, { spacing: 'quantile', probabilities: [0.025, 0.975] });
    expect(ends[0]).to.be.closeTo(-1.959963984540054, 1e-8);
    expect(ends[1]).to.equal(0);
    expect(ends[2]).to.be.closeTo(1.959963984540054, 1e-8);
  });

  it('orders points row by row from the top (largest z₂), z₁ growing left to right', () => {
    const g = latentGrid(3, { spacing: 'quantile', probabilities: [0.025, 0.975] }, [-1, 1]);
    const [a, , c] = g.xValues;
    expect(g.yValues).to.deep.equal([-1, 0, 1]);
    expect(g.points).to.deep.equal([[a, 1], [0, 1], [c, 1], [a, 0], [0, 0], [c, 0], [a, -1], [0, -1], [c, -1]]);
    // VAE.latentGrid's points are the same grid with one spacing for both axes.
    const q = { spacing: 'quantile' } as const;
    expect(latentGridPoints(4, q)).to.deep.equal(latentGrid(4, q, q).points);
    expect(latentGridPoints(3, [-2, 2])).to.deep.equal([[-2, 2], [0, 2], [2, 2], [-2, 0], [0, 0], [2, 0], [-2, -2], [0, -2], [2, -2]]);
  });

  it('names the problem with bad n, ranges, probabilities or spacing', () => {
    for (const n of [0, -1, 2.5, NaN]) expect(() => latentGridValues(n)).to.throw(/n must be a positive integer/);
    expect(() => latentGridValues(3, [1, -1])).to.throw(/range must be \[low, high\] with low < high; got \[1, -1\]/);
    expect(() => latentGridValues(3, [0, Infinity])).to.throw(/range must be \[low, high\]/);
    expect(() => latentGridValues(3, { range: [2, 2] })).to.throw(/range must be \[low, high\]/);
    expect(() => latentGridValues(3, { spacing: 'quantile', probabilities: [0, 0.9] })).to.throw(/0 < pLow < pHigh < 1; got \[0, 0.9\]/);
    expect(() => latentGridValues(3, { spacing: 'quantile', range: [-2, 2] })).to.throw(/range applies to spacing 'linear'/);
    expect(() => latentGridValues(3, { probabilities: [0.1, 0.9] })).to.throw(/probabilities apply to spacing 'quantile'/);
    expect(() => latentGridValues(3, { spacing: 'log' } as never)).to.throw(/spacing must be 'linear' or 'quantile'; got "log"/);
  });

  it('VAE.latentGrid decodes the same points, for either spacing', async () => {
    await initBackend();
    const vae = await VAE.create({ hiddenUnits: [16], seed: 1 });
    try {
      const spec = { spacing: 'quantile' } as const;
      expect(vae.latentGrid(3, spec)).to.deep.equal(vae.decode(latentGridPoints(3, spec)));
      expect(vae.latentGrid(2)).to.deep.equal(vae.decode([[-3, 3], [3, 3], [-3, -3], [3, -3]]));
      expect(() => vae.latentGrid(0, spec)).to.throw(/n must be a positive integer/);
    } finally {
      vae.dispose();
    }
  });
});

describe('latent grid: manifoldGrid ticks', () => {
  it('puts ticks on round z values, evenly spaced, ends included, on a linear grid', () => {
    // n = 12 over [-3, 3]: no cell sits on an integer between the ends, so ticks go between cells.
    const t = gridTicks(latentGridValues(12), 7);
    expect(t.label).to.deep.equal(['-3', '-2', '-1', '0', '1', '2', '3']);
    expect(t.index[0]).to.equal(0);
    expect(t.index[6]).to.equal(11);
    diffs(t.index).forEach((d) => expect(d).to.be.closeTo(11 / 6, 1e-12));
    // Fewer allowed: a coarser round step that still lands on both ends.
    expect(gridTicks(latentGridValues(20), 5).label).to.deep.equal(['-3', '-1.5', '0', '1.5', '3']);
    expect(gridTicks(latentGridValues(3, [-1, 1]), 7).label).to.deep.equal(['-1', '0', '1']);
  });

  it('puts ticks on evenly spaced cells of a quantile grid, symmetric, both ends when the step divides', () => {
    const idx = (n: number, max: number): number[] => gridTicks(latentGridValues(n, { spacing: 'quantile' }), max).index;
    expect(idx(21, 7)).to.deep.equal([0, 4, 8, 12, 16, 20]);
    expect(idx(12, 7)).to.deep.equal([1, 4, 7, 10]);
    expect(idx(20, 5)).to.deep.equal([2, 7, 12, 17]);
    for (const [n, max] of [[12, 7], [20, 5], [15, 7], [9, 4], [2, 7]]) {
      const k = idx(n, max);
      expect(k.length).to.be.within(2, max);
      expect(new Set(diffs(k)).size).to.equal(1);
      expect(k[0]).to.equal(n - 1 - k[k.length - 1]);
    }
    const v = latentGridValues(12, { spacing: 'quantile' });
    expect(gridTicks(v, 7).label).to.deep.equal([v[1], v[4], v[7], v[10]].map((z) => String(Number(z.toFixed(2)))));
    expect(() => gridTicks(v, 1)).to.throw(/maxTicks must be an integer ≥ 2/);
  });

  it('maps the ticks onto the mosaic: x from the left, y from the top', () => {
    const n = 12, side = 2;
    const grid = latentGrid(n);
    const images = grid.points.map(() => new Array(side * side).fill(0.5));
    const { x, y } = axes(manifoldGrid(images, { grid, imageShape: [side, side], maxTicks: 7 }));
    // Cell j spans pixels [side·j, side·j + side − 1] (no gaps): its centre is side·j + ½.
    const centre = (k: number): number => side * k + (side - 1) / 2;
    expect(x.ticktext).to.deep.equal(['-3', '-2', '-1', '0', '1', '2', '3']);
    expect(x.tickvals[0]).to.equal(centre(0));
    expect(x.tickvals[6]).to.be.closeTo(centre(11), 1e-9);
    expect(x.tickvals[3]).to.be.closeTo((centre(5) + centre(6)) / 2, 1e-9); // z₁ = 0 halfway between the middle cells
    diffs(x.tickvals).forEach((d) => expect(d).to.be.closeTo((side * 11) / 6, 1e-9));
    expect(y.ticktext).to.deep.equal(['3', '2', '1', '0', '-1', '-2', '-3']); // top row first
    expect(y.tickvals[0]).to.equal(centre(0));
  });
});
