/**
 * The mixture's parameters in flat typed arrays, and their conversion to the
 * nested arrays that the public attributes show (scikit-learn's shapes).
 *
 * Layout per covariance type (row-major):
 *   full K×d×d, tied d×d, diag K×d, spherical K — for covariances and precChol alike.
 * precChol follows scikit-learn: for full and tied it is the upper-triangular U
 * with precision = U Uᵀ (U = L⁻ᵀ for covariance = L Lᵀ); for diag and spherical
 * it is 1/σ.
 */
import { CovarianceType } from './types';
import { multiplyByTranspose } from './linalg';

/** scikit-learn adds 10·eps to every Nₖ so that an empty component does not divide by zero. */
export const NK_EPS = 10 * 2.220446049250313e-16;

export interface MixtureParams {
  type: CovarianceType;
  K: number;
  d: number;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  precChol: Float64Array;
}

/** Number of values in a covariance array of this type. */
export function covarianceSize(type: CovarianceType, K: number, d: number): number {
  switch (type) {
    case 'full': return K * d * d;
    case 'tied': return d * d;
    case 'diag': return K * d;
    case 'spherical': return K;
  }
}

export function allocParams(type: CovarianceType, K: number, d: number): MixtureParams {
  const n = covarianceSize(type, K, d);
  return {
    type, K, d,
    weights: new Float64Array(K),
    means: new Float64Array(K * d),
    covariances: new Float64Array(n),
    precChol: new Float64Array(n),
  };
}

export function copyParams(p: MixtureParams): MixtureParams {
  return {
    type: p.type, K: p.K, d: p.d,
    weights: p.weights.slice(),
    means: p.means.slice(),
    covariances: p.covariances.slice(),
    precChol: p.precChol.slice(),
  };
}

/** Precisions from their Cholesky factors (P = U Uᵀ, or (1/σ)²), in the same layout. */
export function precisionsFromCholesky(p: MixtureParams): Float64Array {
  const { type, K, d, precChol } = p;
  const out = new Float64Array(precChol.length);
  if (type === 'full') for (let k = 0; k < K; k++) multiplyByTranspose(precChol, k * d * d, d, out, k * d * d);
  else if (type === 'tied') multiplyByTranspose(precChol, 0, d, out, 0);
  else for (let i = 0; i < out.length; i++) out[i] = precChol[i] * precChol[i];
  return out;
}

/** A covariance-shaped flat array as scikit-learn-shaped nested arrays. */
export function covarianceToNested(type: CovarianceType, K: number, d: number, a: Float64Array): number[][][] | number[][] | number[] {
  switch (type) {
    case 'full': return Array.from({ length: K }, (_, k) => reshape(a, k * d * d, d, d));
    case 'tied': return reshape(a, 0, d, d);
    case 'diag': return reshape(a, 0, K, d);
    case 'spherical': return Array.from(a);
  }
}

export function reshape(a: Float64Array, off: number, rows: number, cols: number): number[][] {
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Array.from(a.subarray(off + i * cols, off + (i + 1) * cols));
  return out;
}

/** Free parameters of the model, as counted by scikit-learn for BIC/AIC. */
export function nParameters(type: CovarianceType, K: number, d: number): number {
  const cov = type === 'full' ? (K * d * (d + 1)) / 2 : type === 'diag' ? K * d : type === 'tied' ? (d * (d + 1)) / 2 : K;
  return cov + K * d + K - 1;
}
