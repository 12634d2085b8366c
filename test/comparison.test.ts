import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { GaussianMixture } from '../src/mixture';
import { makeAnisotropicBlobs, makeBlobs } from '../src/datasets';
import { adjustedRandIndex } from '../src/metrics';

// The tutorial's central claim, checked: K-Means assumes round clusters, a full-covariance
// GMM does not. Centres as in scikit-learn's "Demonstration of k-means assumptions".
describe('K-Means versus a Gaussian mixture', () => {
  const centers = [[-8.947, -5.463], [-4.589, 0.089], [1.939, 0.505]];

  for (const seed of [170, 1, 2]) {
    it(`the GMM scores a clearly higher adjusted Rand index on stretched blobs (seed ${seed})`, () => {
      const { X, y } = makeAnisotropicBlobs({ nSamples: 1500, centers, randomState: seed });
      const kmeans = adjustedRandIndex(y, new KMeans({ nClusters: 3, randomState: 0 }).fit(X).labels);
      const gmm = adjustedRandIndex(y, new GaussianMixture({ nComponents: 3, randomState: 0 }).fit(X).predict(X));
      expect(gmm).to.be.greaterThan(0.95);
      expect(kmeans).to.be.lessThan(0.8);
    });
  }

  it('both do well on round, well-separated blobs', () => {
    const { X, y } = makeBlobs({ nSamples: 600, centers: [[-6, 0], [0, 6], [6, 0]], randomState: 3 });
    expect(adjustedRandIndex(y, new KMeans({ nClusters: 3 }).fit(X).labels)).to.be.greaterThan(0.95);
    expect(adjustedRandIndex(y, new GaussianMixture({ nComponents: 3 }).fit(X).predict(X))).to.be.greaterThan(0.95);
  });
});
