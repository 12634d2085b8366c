/**
 * Data whose squares overflow double precision: K-Means computes stably (scaled by a
 * power of two, which is exact), GaussianMixture names the overflow instead of
 * returning NaN or blaming regCovar.
 */
import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { makeBlobs } from '../src/datasets';
import { adjustedRandIndex } from '../src/metrics';
import { GaussianMixture } from '../src/mixture';
import { errorOf } from './support/errors';

const blobs = makeBlobs({ nSamples: 300, centers: [[-10, 0], [0, 10], [10, 0]], clusterStd: 0.1, randomState: 5 });
const scaled = (X: number[][], s: number) => X.map((r) => r.map((v) => v * s));


describe('K-Means on values whose squares overflow', () => {
  it('data near 1e153: finite inertia and the right clusters', () => {
    const plain = new KMeans({ nClusters: 3, randomState: 0 }).fit(blobs.X);
    const huge = new KMeans({ nClusters: 3, randomState: 0 }).fit(scaled(blobs.X, 1e153));
    expect(Number.isFinite(huge.inertia), `inertia ${huge.inertia}`).to.equal(true);
    expect(huge.inertia / 1e306).to.be.closeTo(plain.inertia, plain.inertia * 1e-9);
    expect(adjustedRandIndex(blobs.y, huge.labels)).to.equal(1);
    huge.clusterCenters.flat().forEach((v) => expect(Number.isFinite(v)).to.equal(true));
  });

  it('predict, transform and score far from every centre (1e161) pick the nearest centre', () => {
    const km = new KMeans({ nClusters: 3, randomState: 0 }).fit(scaled(blobs.X, 1e159)); // centres near ±1e160
    const centres = km.clusterCenters;
    const right = centres.findIndex((c) => c[0] > 5e159);
    const left = centres.findIndex((c) => c[0] < -5e159);
    expect(km.predict([[1e161, 0], [-1e161, 0]])).to.deep.equal([right, left]);
    const t = km.transform([[1e161, 0]])[0];
    t.forEach((v) => expect(Number.isNaN(v)).to.equal(false));
    expect(t[right]).to.be.closeTo(1e161 - centres[right][0], 1e155);
    const score = km.score([[1e161, 0]]);
    expect(Number.isNaN(score), 'score is NaN').to.equal(false);
    // The true value, about −(9e160)², lies beyond the double range: it rounds to −Infinity.
    expect(score).to.equal(-Infinity);
    // 1e153 from a centre: an inertia of 1e306, in range although each coordinate squared is not.
    expect(km.score([[centres[right][0] + 1e153, centres[right][1]]]) / 1e306).to.be.closeTo(-1, 1e-6);
  });
});

describe('GaussianMixture names an overflow', () => {
  it('fit on data near 1e160 says the squared distances overflow, not that regCovar is too small', () => {
    const err = errorOf(() => new GaussianMixture({ nComponents: 3, randomState: 0 }).fit(scaled(blobs.X, 1e160)));
    expect(err.message).to.match(/X spans up to [0-9.e+]+ .*squared distances .* overflow double precision .*rescale X/);
    expect(err.message).to.not.match(/regCovar/);
  });

  it('predict and predictProba far from every component (1e160) name the row instead of NaN or a quiet 0', () => {
    const gm = new GaussianMixture({ nComponents: 3, randomState: 0 }).fit(blobs.X);
    const far = [[0, 0], [1e160, 1e160]];
    for (const method of ['predict', 'predictProba'] as const) {
      expect(() => gm[method](far), method).to.throw(/X row 1 is so far from every component that its log-densities overflow .*rescale/);
    }
    expect(gm.predictProba([[0, 0]])[0].every(Number.isFinite)).to.equal(true);
  });
});
