import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { compactLabels } from '../src/cluster/compact-labels';
import { kmeansPlusPlus } from '../src/cluster/init';
import { makeBlobs } from '../src/datasets';
import { Random } from '../src/random';

const col = (xs: number[]): number[][] => xs.map((x) => [x]);

/** Sum of squared distances of rows to the mean of their group. */
function partitionInertia(X: number[][], labels: number[]): number {
  const groups = new Map<number, number[][]>();
  X.forEach((r, i) => groups.set(labels[i], [...(groups.get(labels[i]) ?? []), r]));
  let total = 0;
  for (const rows of groups.values()) {
    const mean = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    for (const r of rows) total += r.reduce((s, v, j) => s + (v - mean[j]) ** 2, 0);
  }
  return total;
}

/** Textbook Lloyd iterations (first centre wins ties) until the labels stop changing. */
function naiveLloyd(X: number[][], init: number[][]): { centers: number[][]; labels: number[] } {
  let centers = init.map((c) => c.slice());
  let labels: number[] = [];
  for (let it = 0; it < 1000; it++) {
    const next = X.map((x) => {
      let best = 0;
      let bestD = Infinity;
      centers.forEach((c, k) => {
        const d = c.reduce((s, v, j) => s + (x[j] - v) ** 2, 0);
        if (d < bestD) [best, bestD] = [k, d];
      });
      return best;
    });
    const same = next.every((l, i) => l === labels[i]);
    labels = next;
    centers = centers.map((c, k) => {
      const rows = X.filter((_, i) => labels[i] === k);
      if (rows.length === 0) throw new Error('reference met an empty cluster; pick another test seed');
      return c.map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    });
    if (same) return { centers, labels };
  }
  throw new Error('reference did not converge');
}

describe('KMeans: hand-worked cases', () => {
  it('finds two obvious groups', () => {
    const X = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]];
    const km = new KMeans({ nClusters: 2, randomState: 0 }).fit(X);
    const a = km.labels[0];
    const b = km.labels[3];
    expect(km.labels).to.deep.equal([a, a, a, b, b, b]);
    expect(a).to.not.equal(b);
    const centers = km.clusterCenters.slice().sort((p, q) => p[0] - q[0]);
    expect(centers[0][0]).to.be.closeTo(1 / 3, 1e-12);
    expect(centers[0][1]).to.be.closeTo(1 / 3, 1e-12);
    expect(centers[1][0]).to.be.closeTo(31 / 3, 1e-12);
    // each group: 2/9 + 5/9 + 5/9
    expect(km.inertia).to.be.closeTo(8 / 3, 1e-12);
    expect(km.nFeaturesIn).to.equal(2);
  });

  it('follows Lloyd step by step from explicit centres', () => {
    // X = 0, 2, 4, 7 from centres 0 and 1:
    //  it 1: {0} {2,4,7} -> centres 0, 13/3;  it 2: {0,2} {4,7} -> 1, 5.5;  it 3: labels unchanged, stop.
    const km = new KMeans({ init: col([0, 1]) }).fit(col([0, 2, 4, 7]));
    expect(km.nClusters).to.equal(2);
    expect(km.nInit).to.equal(1);
    expect(km.clusterCenters).to.deep.equal([[1], [5.5]]);
    expect(km.labels).to.deep.equal([0, 0, 1, 1]);
    expect(km.inertia).to.equal(1 + 1 + 2.25 + 2.25);
    expect(km.nIter).to.equal(3);
  });

  it('stopped by maxIter, relabels against the final centres (as scikit-learn)', () => {
    // After one step the centres are 0 and 13/3, and 2 is nearer to 0.
    const km = new KMeans({ init: col([0, 1]), maxIter: 1 }).fit(col([0, 2, 4, 7]));
    expect(km.nIter).to.equal(1);
    expect(km.clusterCenters[1][0]).to.be.closeTo(13 / 3, 1e-12);
    expect(km.labels).to.deep.equal([0, 0, 1, 1]);
    expect(km.inertia).to.be.closeTo(4 + 1 / 9 + 64 / 9, 1e-12);
  });

  it('gives an empty cluster the point farthest from its centre', () => {
    // Centre 1000 attracts nothing; the farthest point from its centre is 2 (distance 2 to 0),
    // so it moves there: centres become 0.5, 2, 10.
    const km = new KMeans({ init: col([0, 1000, 10]) }).fit(col([0, 1, 2, 10]));
    expect(km.clusterCenters).to.deep.equal([[0.5], [2], [10]]);
    expect(km.labels).to.deep.equal([0, 0, 1, 2]);
    expect(km.inertia).to.equal(0.5);
    expect(km.nIter).to.equal(2);
  });

  it('copes with fewer distinct points than clusters', () => {
    const X = [[0, 0], [0, 0], [5, 5], [5, 5], [5, 5]];
    for (const init of ['k-means++', 'random'] as const) {
      const km = new KMeans({ nClusters: 3, init, randomState: 1 }).fit(X);
      km.clusterCenters.flat().forEach((v) => expect(Number.isFinite(v)).to.equal(true));
      expect(km.inertia).to.equal(0);
      expect(new Set(km.labels.slice(0, 2)).size).to.equal(1);
      expect(new Set(km.labels.slice(2)).size).to.equal(1);
    }
  });
});

describe('KMeans: agrees with a textbook Lloyd', () => {
  // 2-D, narrow and wide rows take different code paths; 301 rows and 5 centres exercise the tile remainders.
  for (const [d, k] of [[1, 4], [2, 4], [3, 4], [5, 4], [20, 5], [33, 6]]) {
    it(`on ${d}-D blobs, ${k} clusters, an odd number of rows`, () => {
      const { X } = makeBlobs({ nSamples: 301, nFeatures: d, centers: k, clusterStd: 2.5 * Math.sqrt(d), randomState: 10 + d });
      const init = X.slice(0, k);
      const ref = naiveLloyd(X, init);
      const km = new KMeans({ init, tol: 0 }).fit(X);
      expect(km.labels).to.deep.equal(ref.labels);
      km.clusterCenters.forEach((c, k) => c.forEach((v, j) => expect(v).to.be.closeTo(ref.centers[k][j], 1e-9)));
      expect(km.inertia).to.be.closeTo(partitionInertia(X, ref.labels), 1e-8);
    });
  }
});

describe('KMeans: far from the origin', () => {
  for (const d of [2, 20]) {
    it(`gives the same clustering of ${d}-D data shifted by 1e7`, () => {
      const { X } = makeBlobs({ nSamples: 203, nFeatures: d, centers: 3, clusterStd: 3 * Math.sqrt(d), randomState: 30 + d });
      const shifted = X.map((r) => r.map((v) => v + 1e7));
      const init = X.slice(0, 3);
      const a = new KMeans({ init, tol: 0 }).fit(X);
      const b = new KMeans({ init: init.map((r) => r.map((v) => v + 1e7)), tol: 0 }).fit(shifted);
      expect(b.labels).to.deep.equal(a.labels);
      expect(b.inertia).to.be.closeTo(a.inertia, 1e-6 * a.inertia);
    });
  }
});

describe('KMeans: quality and reproducibility', () => {
  const { X, y } = makeBlobs({ nSamples: 600, centers: 4, clusterStd: 1.2, randomState: 42 });

  it('beats a random partition by far, and recovers well-separated blobs', () => {
    const km = new KMeans({ nClusters: 4, randomState: 0 }).fit(X);
    const rng = new Random(1);
    const randomInertia = partitionInertia(X, X.map(() => rng.int(4)));
    expect(km.inertia).to.be.lessThan(randomInertia / 5);
    expect(km.inertia).to.be.closeTo(partitionInertia(X, km.labels), 1e-6 * km.inertia);
    expect(partitionInertia(X, y)).to.be.at.least(km.inertia - 1e-6);
  });

  it('repeats itself for the same seed, for both initialisations', () => {
    for (const init of ['k-means++', 'random'] as const) {
      const a = new KMeans({ nClusters: 5, init, nInit: 2, randomState: 9 }).fit(X);
      const b = new KMeans({ nClusters: 5, init, nInit: 2, randomState: 9 }).fit(X);
      expect(a.clusterCenters).to.deep.equal(b.clusterCenters);
      expect(a.labels).to.deep.equal(b.labels);
      expect(a.inertia).to.equal(b.inertia);
    }
  });

  it('is never worse with more initialisations from the same seed', () => {
    // The first run of nInit = 5 is the run of nInit = 1 (same generator), so the best of five cannot lose.
    for (let seed = 0; seed < 8; seed++) {
      for (const init of ['k-means++', 'random'] as const) {
        const one = new KMeans({ nClusters: 6, init, nInit: 1, randomState: seed }).fit(X);
        const five = new KMeans({ nClusters: 6, init, nInit: 5, randomState: seed }).fit(X);
        expect(five.inertia).to.be.at.most(one.inertia);
      }
    }
  });

  it('measures tol relative to the spread of the data', () => {
    const scaled = X.map((r) => r.map((v) => v * 1000));
    const a = new KMeans({ nClusters: 4, init: 'random', nInit: 1, tol: 1e-2, randomState: 3 }).fit(X);
    const b = new KMeans({ nClusters: 4, init: 'random', nInit: 1, tol: 1e-2, randomState: 3 }).fit(scaled);
    expect(b.nIter).to.equal(a.nIter);
    expect(b.labels).to.deep.equal(a.labels);
  });

  it('k-means++ seeds one centre in each of several far-apart blobs', () => {
    const centers = [[0, 0], [100, 0], [0, 100], [100, 100], [50, 50]];
    const { X: Xb, y: yb } = makeBlobs({ nSamples: 500, centers, clusterStd: 1, randomState: 4 });
    const data = Float64Array.from(Xb.flat());
    const blobOf = (p: number[]): number => centers.findIndex((c) => Math.hypot(c[0] - p[0], c[1] - p[1]) < 10);
    for (let seed = 0; seed < 20; seed++) {
      const init = kmeansPlusPlus({ rows: Xb.length, cols: 2, data }, 5, new Random(seed));
      const seeded = new Set([0, 1, 2, 3, 4].map((c) => blobOf([init[2 * c], init[2 * c + 1]])));
      expect(seeded.size).to.equal(5);
      // every seed is a data row
      for (let c = 0; c < 5; c++) expect(Xb.some((r) => r[0] === init[2 * c] && r[1] === init[2 * c + 1])).to.equal(true);
    }
    expect(yb).to.have.length(500);
  });
});

describe('KMeans: predict, transform, score', () => {
  const { X } = makeBlobs({ nSamples: 200, centers: 3, randomState: 5 });
  const km = new KMeans({ nClusters: 3, randomState: 0 }).fit(X);

  it('predicts the training labels and the nearest centre of new points', () => {
    expect(km.predict(X)).to.deep.equal(km.labels);
    const c = km.clusterCenters;
    expect(km.predict([c[2], c[0]])).to.deep.equal([2, 0]);
    expect(new KMeans({ nClusters: 3, randomState: 0 }).fitPredict(X)).to.deep.equal(km.labels);
  });

  it('gives the labels as an Int32Array too, the same, made once; beyond 256 clusters as well', () => {
    expect(Array.from(km.labelsInt32)).to.deep.equal(km.labels);
    expect(km.labelsInt32).to.be.an.instanceOf(Int32Array);
    expect(km.labelsInt32, 'made once').to.equal(km.labelsInt32);
    // Labels kept in fewer bytes must not wrap: 300 clusters (2 bytes each), from explicit centres.
    for (const k of [300]) {
      // k points on a grid, then 50 repeats of some of them: each cluster is its own point.
      const grid = Array.from({ length: k }, (_, i) => [(i % 300) * 10, Math.floor(i / 300) * 10]);
      const rows = [...grid, ...Array.from({ length: 50 }, (_, i) => grid[(i * 7919) % k])];
      const many = new KMeans({ nClusters: k, init: grid }).fit(rows);
      expect(many.labels.slice(0, k), `k = ${k}: each centre's own row`).to.deep.equal([...Array(k).keys()]);
      expect(Array.from(many.labelsInt32)).to.deep.equal(many.predict(rows));
      expect(Math.max(...many.labels)).to.equal(k - 1);
    }
  });

  it('keeps labels in 1, 2 or 4 bytes each by the number of clusters, without changing them', () => {
    for (const [k, kind] of [[256, Uint8Array], [257, Uint16Array], [65_536, Uint16Array], [65_537, Int32Array]] as const) {
      const labels = Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % k);
      labels[999] = k - 1;
      const kept = compactLabels(labels, k);
      expect(kept, `k = ${k}`).to.be.an.instanceOf(kind);
      expect(Array.from(kept)).to.deep.equal(Array.from(labels));
    }
  });

  it('transforms to Euclidean distances whose argmin is the label', () => {
    const D = km.transform(X.slice(0, 20));
    D.forEach((row, i) => {
      expect(row).to.have.length(3);
      row.forEach((v, k) => expect(v).to.be.closeTo(Math.hypot(X[i][0] - km.clusterCenters[k][0], X[i][1] - km.clusterCenters[k][1]), 1e-12));
      expect(row.indexOf(Math.min(...row))).to.equal(km.labels[i]);
    });
    expect(new KMeans({ nClusters: 3, randomState: 0 }).fitTransform(X)).to.deep.equal(km.transform(X));
  });

  it('scores minus the inertia', () => {
    expect(km.score(X)).to.be.closeTo(-km.inertia, 1e-9 * km.inertia);
    expect(km.score([km.clusterCenters[1]])).to.equal(0);
  });

  it('accepts a { rows, cols, data } matrix as well as nested arrays', () => {
    const m = { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) };
    expect(new KMeans({ nClusters: 3, randomState: 0 }).fit(m).labels).to.deep.equal(km.labels);
  });
});

describe('KMeans: bad input', () => {
  it('rejects bad options when constructed', () => {
    expect(() => new KMeans({ nClusters: 0 })).to.throw(/nClusters must be an integer ≥ 1; got 0/);
    expect(() => new KMeans({ nClusters: 2.5 })).to.throw(/nClusters must be an integer ≥ 1; got 2.5/);
    expect(() => new KMeans({ nInit: 0 })).to.throw(/nInit must be an integer ≥ 1/);
    expect(() => new KMeans({ maxIter: -1 })).to.throw(/maxIter must be an integer ≥ 1/);
    expect(() => new KMeans({ tol: -1 })).to.throw(/tol must be a finite number ≥ 0/);
    expect(() => new KMeans({ init: 'kmeans++' as any })).to.throw(/unknown init 'kmeans\+\+'/);
    expect(() => new KMeans({ init: [[0, 0], [1, 1]], nClusters: 3 })).to.throw(/init has 2 centres but nClusters is 3/);
    expect(() => new KMeans({ init: [[0, 0], [1]] })).to.throw(/init is ragged/);
    expect(() => new KMeans({ init: [[0, 0]], nInit: 10 })).to.throw(/nInit must be 1 when init is an array/);
    expect(() => new KMeans({ randomState: NaN })).to.throw(/randomState/);
  });

  it('rejects bad data when fitting', () => {
    const km = new KMeans({ nClusters: 3 });
    expect(() => km.fit([[0, 0], [1, 1]])).to.throw(/X has 2 samples, fewer than nClusters = 3/);
    expect(() => km.fit([])).to.throw(/X is empty/);
    expect(() => km.fit([1, 2, 3] as any)).to.throw(/1-D/);
    expect(() => km.fit([[0, 0], [1], [2, 2]])).to.throw(/ragged/);
    expect(() => km.fit([[0, 0], [NaN, 1], [2, 2]])).to.throw(/NaN at row 1, column 0/);
    expect(() => new KMeans({ init: [[0, 0], [1, 1]] }).fit(col([0, 1, 2]))).to.throw(/init centres have 2 features but X has 1/);
  });

  it('refuses to predict before fitting, or on the wrong number of features', () => {
    const km = new KMeans({ nClusters: 2 });
    expect(() => km.predict([[0, 0]])).to.throw(/not fitted yet: call fit\(X\) before reading predict\(\)/);
    expect(() => km.labels).to.throw(/not fitted yet.*labels/);
    expect(() => km.clusterCenters).to.throw(/not fitted yet/);
    km.fit([[0, 0], [1, 1], [5, 5]]);
    expect(() => km.predict([[0, 0, 0]])).to.throw(/X has 3 features, but the model was fitted on 2/);
    expect(() => km.transform([[0]])).to.throw(/KMeans.transform: X has 1 features/);
  });
});
