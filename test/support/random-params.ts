/**
 * Random full/tied Gaussian-mixture parameters for the kernel tests: uneven weights,
 * means scattered around `offset`, and a random positive-definite covariance
 * A·Aᵀ + 0.8·I per component (or one, tied), with its precision Cholesky factors.
 */
import { Random } from '../../src/random';
import { MixtureParams, allocParams } from '../../src/mixture/params';
import { computePrecisionCholesky } from '../../src/mixture/precision-cholesky';

export function randomParams(rng: Random, type: 'full' | 'tied', K: number, d: number, offset = 0, spread = 1.5): MixtureParams {
  const p = allocParams(type, K, d);
  let total = 0;
  for (let k = 0; k < K; k++) total += p.weights[k] = 0.5 + rng.random();
  for (let k = 0; k < K; k++) p.weights[k] /= total;
  for (let i = 0; i < K * d; i++) p.means[i] = offset + rng.normal(0, spread);
  for (let k = 0; k < (type === 'full' ? K : 1); k++) {
    const A = Array.from({ length: d * d }, () => rng.normal(0, 0.5));
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let v = i === j ? 0.8 : 0;
        for (let t = 0; t < d; t++) v += A[i * d + t] * A[j * d + t];
        p.covariances[k * d * d + i * d + j] = v;
      }
    }
  }
  computePrecisionCholesky(p, new Float64Array(2 * d * d));
  return p;
}
