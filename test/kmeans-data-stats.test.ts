/**
 * The one pass over X before Lloyd's loop (src/cluster/data-stats.ts, and the same gathered
 * while the fast path copies X): finiteness, the largest magnitude and the mean variance.
 */
import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { dataStats } from '../src/cluster/data-stats';
import { planLloyd } from '../src/cluster/fast/chunks';
import { Random } from '../src/random';

function sample(n: number, d: number, offset: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n * d }, (_, i) => offset + (i % d) + rng.normal(0, 1 + (i % d)));
}

/** Mean per-feature variance, two-pass (the textbook way). */
function twoPass(X: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[i * d + j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j] - mean) ** 2;
    total += v / n;
  }
  return total / d;
}

describe('K-Means: the pass over X before Lloyd', () => {
  for (const [d, offset] of [[1, 0], [2, 1e6], [5, -3e4], [16, 0]]) {
    it(`${d}-D${offset ? `, offset ${offset}` : ''}: the copy's statistics are the plain pass's, and the variance the two-pass one`, () => {
      const n = 4001;
      const X = sample(n, d, offset, d);
      const fast = planLloyd(X, n, d, 3, 1).stats;
      const plain = dataStats(X, n, d);
      expect(fast.finite).to.equal(true);
      const max = X.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (const s of [fast, plain]) {
        expect(s.maxAbsBound).to.be.at.least(max);
        // √(n·d)·(spread) + |x₀| at most, far below anything near overflow
        expect(s.maxAbsBound).to.be.below(Math.abs(offset) + 10 + Math.sqrt(n) * 40);
      }
      expect(Math.abs(fast.maxAbsBound - plain.maxAbsBound) / plain.maxAbsBound).to.be.below(1e-13);
      expect(Math.abs(fast.meanVariance - plain.meanVariance) / plain.meanVariance).to.be.below(1e-13);
      expect(Math.abs(fast.meanVariance - twoPass(X, n, d)) / plain.meanVariance).to.be.below(1e-9);
    });
  }

  for (const d of [1, 2, 3, 8]) {
    it(`${d}-D: a NaN or ±Infinity in a { rows, cols, data } matrix is reported at its row and column`, () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const data = sample(50, d, 0, 1);
        data[7 * d + (d - 1)] = bad;
        const what = Number.isNaN(bad) ? 'NaN' : String(bad);
        expect(() => new KMeans({ nClusters: 2 }).fit({ rows: 50, cols: d, data }), what).to.throw(`X contains ${what} at row 7, column ${d - 1}; all values must be finite.`);
        expect(dataStats(data, 50, d).finite).to.equal(false);
      }
    });
  }

  it('finds the exact largest value when the bound cannot rule out overflow, in X or only in the centres', () => {
    const X = [[0, 0], [1, 1], [1e120, 1e120], [1e120 + 1e105, 1e120]];
    const km = new KMeans({ init: [[0, 0], [1e120, 1e120]] }).fit(X);
    expect(km.labels).to.deep.equal([0, 0, 1, 1]);
    expect(km.clusterCenters[1][0]).to.be.closeTo(1e120 + 5e104, 1e106);
    const far = new KMeans({ init: [[0, 0], [3e150, 0]] }).fit([[0, 0], [1, 0], [2e150, 0], [4e150, 0]]);
    expect(far.labels).to.deep.equal([0, 0, 1, 1]);
    expect(far.inertia).to.be.closeTo(2e300, 1e286);
  });

  it('fits values whose squares overflow the sums (finite, so not rejected)', () => {
    const data = Float64Array.from({ length: 200 }, (_, i) => (i % 2 ? 1e200 : -1e200) * (1 + (i % 7) / 10));
    const km = new KMeans({ nClusters: 2 }).fit({ rows: 100, cols: 2, data });
    expect(Number.isFinite(km.clusterCenters[0][0])).to.equal(true);
  });
});
