/**
 * The initial M-step from hard labels (src/mixture/fast/label-parameters.ts) against the
 * reference M-step it stands for (src/mixture/m-step.ts, estimateGaussianParameters): the
 * same parameters, bit for bit, for every covariance type.
 */
import { expect } from 'chai';
import { labelParameters } from '../src/mixture/fast/label-parameters';
import { estimateGaussianParameters } from '../src/mixture/m-step';
import { allocParams } from '../src/mixture/params';
import { Random } from '../src/random';

describe('GaussianMixture: parameters from hard labels', () => {
  for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
    for (const [N, d, K] of [[1001, 16, 8], [500, 3, 4], [64, 1, 3]]) {
      it(`${type}, ${N} × ${d}-D, K = ${K}: the reference's parameters bit for bit (unlabelled rows, an empty component)`, () => {
        const rng = new Random(N + d + K);
        const X = { rows: N, cols: d, data: Float64Array.from({ length: N * d }, () => 1e3 + rng.normal(0, 2)) };
        // Component K − 1 gets no row; some rows have no label (−1), as 'k-means++' leaves them.
        const labels = Int32Array.from({ length: N }, () => (rng.random() < 0.1 ? -1 : rng.int(K - 1)));
        const fast = allocParams(type, K, d);
        const reference = allocParams(type, K, d);
        labelParameters(X, labels, 1e-6, fast);
        estimateGaussianParameters(X, labels, 1e-6, reference);
        expect(Array.from(fast.weights)).to.deep.equal(Array.from(reference.weights));
        expect(Array.from(fast.means)).to.deep.equal(Array.from(reference.means));
        expect(Array.from(fast.covariances)).to.deep.equal(Array.from(reference.covariances));
        expect(fast.covariances.some((v) => v !== 0)).to.equal(true);
      });
    }
  }
});
