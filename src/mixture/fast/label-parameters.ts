/**
 * ../m-step's `estimateGaussianParameters` for hard labels (γᵢₖ = 1 for k = labels[i], 0
 * otherwise), as the initialisations give them: the same sums in the same order, so the same
 * parameters bit for bit (tested), in tight loops instead of a visitor per (point, component),
 * and with each scatter matrix's upper triangle computed once and mirrored (xᵢxⱼ = xⱼxᵢ exactly).
 * On 100k × 16-D points, 8 components: about 4× faster than the reference.
 */
import { Matrix } from '../../matrix';
import { COVARIANCES_FROM_SCATTER, fullScatter } from '../m-step';
import { MixtureParams, NK_EPS } from '../params';

export function labelParameters(X: Matrix, labels: Int32Array, regCovar: number, p: MixtureParams): void {
  const { type, K, d, weights: nk, means } = p;
  const x = X.data;
  const N = X.rows;
  nk.fill(0);
  means.fill(0);
  for (let i = 0; i < N; i++) {
    const k = labels[i];
    if (k < 0) continue;
    nk[k] += 1;
    for (let j = 0; j < d; j++) means[k * d + j] += x[i * d + j];
  }
  for (let k = 0; k < K; k++) {
    nk[k] += NK_EPS;
    for (let j = 0; j < d; j++) means[k * d + j] /= nk[k];
  }
  const scatter = fullScatter(type) ? scatterMatrices(x, N, d, labels, means, K) : scatterDiagonals(x, N, d, labels, means, K);
  COVARIANCES_FROM_SCATTER[type](scatter, nk, d, regCovar, p.covariances);
}

function scatterMatrices(x: Float64Array, N: number, d: number, labels: Int32Array, means: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * d * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < N; i++) {
    const k = labels[i];
    if (k < 0) continue;
    for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
    const o = k * d * d;
    for (let j = 0; j < d; j++) {
      const a = diff[j];
      for (let t = j; t < d; t++) out[o + j * d + t] += a * diff[t];
    }
  }
  for (let k = 0; k < K; k++) {
    const o = k * d * d;
    for (let j = 0; j < d; j++) for (let t = 0; t < j; t++) out[o + j * d + t] = out[o + t * d + j];
  }
  return out;
}

function scatterDiagonals(x: Float64Array, N: number, d: number, labels: Int32Array, means: Float64Array, K: number): Float64Array {
  const out = new Float64Array(K * d);
  for (let i = 0; i < N; i++) {
    const k = labels[i];
    if (k < 0) continue;
    for (let j = 0; j < d; j++) {
      const diff = x[i * d + j] - means[k * d + j];
      out[k * d + j] += diff * diff;
    }
  }
  return out;
}
