import { expect } from 'chai';
import { PCA as MlPca } from 'ml-pca';
import { PcaModel, rowCovariance } from '../src/decomposition';
import { denseRows } from '../src/dense-rows';
import { kNeighbours, knnPredict } from '../src/neighbors';
import { alignClusters, clusterMajorities, reorderByAlignment, reorderMixture } from '../src/relabel';
import { formatTable } from '../src/table';
import { Random } from '../src/random';

/** n rows of d values, about `zeroShare` of them exactly 0 (as in digit images), the rest in (0, 1). */
function sparseRows(rng: Random, n: number, d: number, zeroShare: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => (rng.uniform() < zeroShare ? 0 : rng.uniform())));
}

describe('formatTable', () => {
  it('left-aligns the first column, right-aligns the rest, rules the header', () => {
    expect(formatTable(['name', 'n'], [['a', 1], ['bbb', 22]])).to.equal('name   n\n----  --\na      1\nbbb   22');
  });
  it('names a row of the wrong length', () => {
    expect(() => formatTable(['a', 'b'], [[1, 2], [3]])).to.throw(/row 1 has 1 cells; the header has 2/);
  });
});

describe('denseRows', () => {
  it('keeps flat typed input without copying and copies nested rows', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    expect(denseRows({ data, rows: 2, cols: 2 }).data).to.equal(data);
    expect(Array.from(denseRows([[1, 2], [3, 4]]).data)).to.deep.equal([1, 2, 3, 4]);
  });
  it('rejects ragged rows, wrong shapes and NaN with the place named', () => {
    expect(() => denseRows([[1, 2], [3]])).to.throw(/X\[1\] has 1 values; row 0 has 2/);
    expect(() => denseRows({ data: new Float64Array(5), rows: 2, cols: 2 })).to.throw(/5 values, but rows × cols = 2 × 2/);
    expect(() => denseRows([[1, 2], [NaN, 4]], 'Z')).to.throw(/Z has a non-finite value \(NaN\) at row 1, column 0/);
  });
});

describe('kNeighbours and knnPredict', () => {
  const rng = new Random(3);
  const ref = Array.from({ length: 200 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const queries = Array.from({ length: 20 }, () => [rng.normal(), rng.normal(), rng.normal()]);

  it('finds the same neighbours as sorting every distance (the early exit loses nothing)', () => {
    const found = kNeighbours(ref, queries, 7);
    queries.forEach((q, i) => {
      const all = ref.map((r, j) => ({ j, d: Math.hypot(r[0] - q[0], r[1] - q[1], r[2] - q[2]) })).sort((a, b) => a.d - b.d || a.j - b.j);
      expect(found[i].indices).to.deep.equal(all.slice(0, 7).map((e) => e.j));
      found[i].distances.forEach((d, k) => expect(d).to.be.closeTo(all[k].d, 1e-12));
    });
  });

  it('takes Float32 images flat, as the digits come', () => {
    const flat = { data: Float32Array.from(ref.flat()), rows: 200, cols: 3 };
    expect(kNeighbours(flat, queries, 3).map((n) => n.indices)).to.deep.equal(kNeighbours(ref, queries, 3).map((n) => n.indices));
  });

  it('votes by majority, and breaks a tie by the nearest tied label (not by label value)', () => {
    const pts = [[0], [1], [2], [10], [11]];
    expect(knnPredict(pts, [7, 7, 3, 3, 3], [[0.2]], 3)).to.deep.equal([7]);     // two 7s against one 3
    expect(knnPredict(pts, [9, 2, 2, 9, 5], [[0.4]], 4)).to.deep.equal([9]);     // 9 and 2 tie 2:2; the nearest point is a 9
    expect(knnPredict(pts, [2, 9, 9, 2, 5], [[0.4]], 4)).to.deep.equal([2]);
  });

  it('rejects k out of range, mismatched widths and a label count that differs from the rows', () => {
    expect(() => kNeighbours(ref, queries, 0)).to.throw(/k must be an integer in \[1, 200\]/);
    expect(() => kNeighbours(ref, [[1, 2]], 1)).to.throw(/queries have 2 columns but reference has 3/);
    expect(() => knnPredict(ref, [1, 2], queries)).to.throw(/labels has 2 entries but reference has 200 rows/);
  });
});

describe('rowCovariance and PcaModel', () => {
  const rng = new Random(11);
  const X = sparseRows(rng, 60, 8, 0.6);

  it('matches the two-pass sample covariance although it skips zeros', () => {
    const { mean, covariance, zeroFraction } = rowCovariance(X);
    const n = X.length, d = 8;
    const m = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
    for (let a = 0; a < d; a++) {
      expect(mean[a]).to.be.closeTo(m[a], 1e-14);
      for (let b = 0; b < d; b++) {
        const c = X.reduce((s, r) => s + (r[a] - m[a]) * (r[b] - m[b]), 0) / (n - 1);
        expect(covariance[a][b]).to.be.closeTo(c, 1e-13);
      }
    }
    expect(zeroFraction).to.equal(X.flat().filter((v) => v === 0).length / (n * d));
  });

  it('gives ml-pca\'s variances from the raw rows, orthonormal components, and an exact round trip with every component', () => {
    const pca = new PcaModel(X);
    const ref = new MlPca(X);
    pca.explainedVariance.forEach((v, k) => expect(v).to.be.closeTo(ref.getEigenvalues()[k], 1e-12));
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) {
      const dot = pca.components[a].reduce((s, v, j) => s + v * pca.components[b][j], 0);
      expect(dot).to.be.closeTo(a === b ? 1 : 0, 1e-12);
    }
    const back = pca.inverseTransform(pca.transform(X, 8));
    X.flat().forEach((v, i) => expect(back[i]).to.be.closeTo(v, 1e-12));
  });

  it('projects onto coordinates whose variance is the component\'s eigenvalue, and clips on the way back', () => {
    const pca = new PcaModel(X);
    const Z = pca.transform(X, 3);
    for (let k = 0; k < 3; k++) {
      const v = Z.reduce((s, z) => s + z[k] * z[k], 0) / (X.length - 1);  // the coordinates have mean 0
      expect(v).to.be.closeTo(pca.explainedVariance[k], 1e-12);
    }
    const clipped = pca.inverseTransform([[100, 0, 0]], { clip: [0, 1] });
    expect(Math.min(...clipped)).to.be.at.least(0);
    expect(Math.max(...clipped)).to.be.at.most(1);
    expect(pca.componentsFor(1)).to.be.at.most(8);
    expect(pca.componentsFor(pca.cumulativeVarianceRatio[2])).to.equal(3);
  });

  it('names what is wrong: too few rows, wrong width, a bad number of components', () => {
    expect(() => new PcaModel([[1, 2]])).to.throw(/at least 2 rows; got 1/);
    const pca = new PcaModel(X);
    expect(() => pca.transform([[1, 2]], 2)).to.throw(/X has 2 columns; this PCA was fitted on 8/);
    expect(() => pca.transform(X, 9)).to.throw(/integer in \[1, 8\]; got 9/);
  });
});

describe('alignClusters and clusterMajorities', () => {
  it('renumbers clusters after their matched classes and reorders per-cluster items and mixtures with them', () => {
    const truth = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const pred = [5, 5, 5, 9, 9, 2, 2, 2, 2];
    const a = alignClusters(truth, pred);
    expect(pred.map(a.relabel)).to.deep.equal([0, 0, 0, 1, 1, 2, 2, 2, 2]);
    expect(a.order).to.deep.equal([5, 9, 2]);
    expect(a.classAt(2)).to.equal(2);
    const items = Array.from({ length: 10 }, (_, c) => `c${c}`);
    expect(reorderByAlignment(items, a)).to.deep.equal(['c5', 'c9', 'c2']);
    expect(() => a.relabel(4)).to.throw(/cluster 4 does not occur/);
  });

  it('puts unmatched clusters after the matched ones, and keeps a tied covariance', () => {
    const truth = [0, 0, 1, 1, 1];
    const pred = [2, 0, 1, 1, 1];  // three clusters, two classes: cluster 0 or 2 stays unmatched
    const a = alignClusters(truth, pred);
    expect(a.order.slice(0, 2).map((c) => a.classAt(a.relabel(c)))).to.deep.equal([0, 1]);
    expect(a.classAt(2)).to.equal(undefined);
    const tied = reorderMixture({ weights: [0.2, 0.3, 0.5], means: [[0], [1], [2]], covariances: [[1]], covarianceType: 'tied' as const }, a);
    expect(tied.covariances).to.deep.equal([[1]]);
    expect(tied.weights).to.deep.equal(a.order.map((c) => [0.2, 0.3, 0.5][c]));
  });

  it('reports what each cluster contains, even when two clusters share a majority class', () => {
    const truth = [4, 4, 4, 9, 4, 4, 9, 9, 1];
    const pred = [0, 0, 0, 0, 1, 1, 1, 2, 2];
    expect(clusterMajorities(truth, pred)).to.deep.equal([
      { cluster: 0, size: 4, majority: 4, share: 0.75 },
      { cluster: 1, size: 3, majority: 4, share: 2 / 3 },
      { cluster: 2, size: 2, majority: 1, share: 0.5 },
    ]);
  });
});
