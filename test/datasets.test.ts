import { expect } from 'chai';
import { makeAnisotropicBlobs, makeBlobs, makeMoons, makeUnevenBlobs, makeVariedBlobs } from '../src/datasets';

function countLabels(y: number[]): number[] {
  const counts: number[] = [];
  for (const l of y) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

/** Per-feature mean and standard deviation of the rows with label `c`. */
function stats(X: number[][], y: number[], c: number): { mean: number[]; std: number[]; n: number } {
  const rows = X.filter((_, i) => y[i] === c);
  const d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / rows.length));
  return { mean, std, n: rows.length };
}

function sortedRows(X: number[][]): string[] {
  return X.map((r) => r.join(',')).sort();
}

describe('makeBlobs', () => {
  it('has scikit-learn-like shapes, defaults and an even split', () => {
    const { X, y, centers } = makeBlobs({ randomState: 1 });
    expect(X).to.have.length(100);
    X.forEach((r) => expect(r).to.have.length(2));
    expect(countLabels(y)).to.deep.equal([34, 33, 33]);
    expect(centers).to.have.length(3);
    centers.flat().forEach((v) => expect(v).to.be.within(-10, 10));
    const wide = makeBlobs({ nSamples: 10, nFeatures: 5, centers: 4, randomState: 1 });
    expect(wide.X[0]).to.have.length(5);
    expect(countLabels(wide.y)).to.deep.equal([3, 3, 2, 2]);
  });

  it('gives the same data for the same seed and different data for another', () => {
    expect(makeBlobs({ randomState: 7 })).to.deep.equal(makeBlobs({ randomState: 7 }));
    expect(makeBlobs({ randomState: 7 }).X).to.not.deep.equal(makeBlobs({ randomState: 8 }).X);
  });

  it('shuffles by permuting rows together with their labels', () => {
    const a = makeBlobs({ nSamples: 60, shuffle: false, randomState: 2 });
    const b = makeBlobs({ nSamples: 60, shuffle: true, randomState: 2 });
    expect(a.y).to.deep.equal([...Array(20).fill(0), ...Array(20).fill(1), ...Array(20).fill(2)]);
    expect(b.y).to.not.deep.equal(a.y);
    expect(sortedRows(b.X)).to.deep.equal(sortedRows(a.X));
    const labelOf = new Map(a.X.map((r, i) => [r.join(','), a.y[i]]));
    b.X.forEach((r, i) => expect(labelOf.get(r.join(','))).to.equal(b.y[i]));
  });

  it('puts each blob around its centre with the requested spread', () => {
    const centers = [[0, 0], [10, -5], [-6, 8]];
    const clusterStd = [0.5, 1.5, 3];
    const n = 4000;
    const { X, y } = makeBlobs({ nSamples: [n, n, n], centers, clusterStd, randomState: 3 });
    centers.forEach((c, k) => {
      const s = stats(X, y, k);
      expect(s.n).to.equal(n);
      for (let j = 0; j < 2; j++) {
        // 5 standard errors: fails only if the generator is wrong
        expect(s.mean[j]).to.be.closeTo(c[j], (5 * clusterStd[k]) / Math.sqrt(n));
        expect(s.std[j]).to.be.closeTo(clusterStd[k], (5 * clusterStd[k]) / Math.sqrt(2 * n));
      }
    });
  });

  it('rejects inconsistent options with clear messages', () => {
    expect(() => makeBlobs({ nSamples: [10, 10], centers: 3 })).to.throw(/nSamples has 2 entries but centers is 3/);
    expect(() => makeBlobs({ nSamples: [10, 10], centers: [[0, 0]] })).to.throw(/2 entries but there are 1 centers/);
    expect(() => makeBlobs({ clusterStd: [1, 2] })).to.throw(/clusterStd has 2 entries but there are 3 blobs/);
    expect(() => makeBlobs({ clusterStd: -1 })).to.throw(/clusterStd values must be finite and ≥ 0/);
    expect(() => makeBlobs({ nSamples: 0 })).to.throw(/nSamples must be an integer ≥ 1; got 0/);
    expect(() => makeBlobs({ nSamples: 2.5 })).to.throw(/nSamples must be an integer/);
    expect(() => makeBlobs({ centers: [[0, 0], [1]] })).to.throw(/rows of equal length/);
    expect(() => makeBlobs({ centers: 0 })).to.throw(/centers must be an integer ≥ 1/);
    expect(() => makeBlobs({ centerBox: [5, -5] })).to.throw(/centerBox/);
  });
});

describe('makeMoons', () => {
  it('puts noiseless points on two half circles, split outer/inner as scikit-learn', () => {
    const { X, y } = makeMoons({ nSamples: 101, randomState: 0 });
    expect(countLabels(y)).to.deep.equal([50, 51]);
    X.forEach((p, i) => {
      if (y[i] === 0) {
        expect(Math.hypot(p[0], p[1])).to.be.closeTo(1, 1e-12);
        expect(p[1]).to.be.at.least(-1e-12);
      } else {
        expect(Math.hypot(p[0] - 1, p[1] - 0.5)).to.be.closeTo(1, 1e-12);
        expect(p[1]).to.be.at.most(0.5 + 1e-12);
      }
    });
    expect(countLabels(makeMoons({ nSamples: [3, 7] }).y)).to.deep.equal([3, 7]);
  });

  it('adds Gaussian noise of the requested size, reproducibly', () => {
    const clean = makeMoons({ nSamples: 4000, randomState: 4 });
    const noisy = makeMoons({ nSamples: 4000, noise: 0.1, randomState: 4 });
    expect(noisy).to.deep.equal(makeMoons({ nSamples: 4000, noise: 0.1, randomState: 4 }));
    // Noise is added after the shuffle with the same generator, so rows line up.
    expect(noisy.y).to.deep.equal(clean.y);
    const diffs = noisy.X.flatMap((r, i) => [r[0] - clean.X[i][0], r[1] - clean.X[i][1]]);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const std = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / diffs.length);
    expect(mean).to.be.closeTo(0, 0.005);
    expect(std).to.be.closeTo(0.1, 0.005);
  });

  it('rejects bad options', () => {
    expect(() => makeMoons({ noise: -0.1 })).to.throw(/noise must be a finite number ≥ 0/);
    expect(() => makeMoons({ nSamples: 0 })).to.throw(/makeMoons: nSamples must be an integer ≥ 1/);
    expect(() => makeMoons({ nSamples: [0, 0] })).to.throw(/adds up to 0/);
  });
});

describe('blob variants from the k-means assumptions example', () => {
  it('makeAnisotropicBlobs maps the same blobs through x ↦ x·T', () => {
    const T = [[0.6, -0.6], [-0.4, 0.8]];
    const base = makeBlobs({ nSamples: 30, randomState: 5 });
    const aniso = makeAnisotropicBlobs({ nSamples: 30, randomState: 5 });
    expect(aniso.y).to.deep.equal(base.y);
    aniso.X.forEach((r, i) => {
      const [a, b] = base.X[i];
      expect(r[0]).to.be.closeTo(a * T[0][0] + b * T[1][0], 1e-12);
      expect(r[1]).to.be.closeTo(a * T[0][1] + b * T[1][1], 1e-12);
    });
    const [c0, c1] = base.centers[0];
    expect(aniso.centers[0][0]).to.be.closeTo(c0 * 0.6 - c1 * 0.4, 1e-12);
  });

  it('makeAnisotropicBlobs has the stretched covariance σ²·TᵀT', () => {
    const T = [[1, 0.5], [0, 2]];
    const { X, y } = makeAnisotropicBlobs({ nSamples: 20000, centers: [[0, 0]], transformation: T, randomState: 6 });
    const s = stats(X, y, 0);
    // TᵀT = [[1, 0.5], [0.5, 4.25]]
    expect(s.std[0]).to.be.closeTo(1, 0.03);
    expect(s.std[1]).to.be.closeTo(Math.sqrt(4.25), 0.05);
    const cov = X.reduce((a, r) => a + (r[0] - s.mean[0]) * (r[1] - s.mean[1]), 0) / X.length;
    expect(cov).to.be.closeTo(0.5, 0.06);
    expect(() => makeAnisotropicBlobs({ transformation: [[1, 0, 0]] })).to.throw(/transformation must be a 2 × m matrix/);
  });

  it('makeVariedBlobs defaults to stds 1, 2.5 and 0.5', () => {
    const { X, y } = makeVariedBlobs({ nSamples: 6000, randomState: 7 });
    [1, 2.5, 0.5].forEach((sd, k) => {
      const s = stats(X, y, k);
      s.std.forEach((v) => expect(v).to.be.closeTo(sd, (5 * sd) / Math.sqrt(2 * s.n)));
    });
  });

  it('makeUnevenBlobs defaults to 500, 100 and 10 samples', () => {
    const { X, y } = makeUnevenBlobs({ randomState: 8 });
    expect(X).to.have.length(610);
    expect(countLabels(y)).to.deep.equal([500, 100, 10]);
    expect(makeUnevenBlobs({ randomState: 8 })).to.deep.equal({ X, y, centers: makeUnevenBlobs({ randomState: 8 }).centers });
  });
});
