/**
 * Pure helpers per covariance type, after scikit-learn's _gaussian_mixture.py:
 * precision Cholesky factors from covariances, log-determinants from their
 * diagonals, and log-densities by triangular products: the Mahalanobis distance
 * (x−μ)ᵀ Σ⁻¹ (x−μ) is ‖Uᵀ(x−μ)‖² with U = L⁻ᵀ for Σ = L Lᵀ; Σ⁻¹ is never formed.
 */
import { Matrix } from '../matrix';
import { GmmParams } from './params';
import { choleskyLower, invertLower, transpose } from './linalg';
import { CovarianceType } from './types';

export const ILL_DEFINED_COVARIANCE =
  'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
  '(for instance caused by singleton or collapsed samples). Try to decrease the number of components, ' +
  'or increase regCovar.';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Fill `p.precChol` from `p.covariances`: U = L⁻ᵀ for covariance = L Lᵀ (full, tied),
 * 1/√σ² otherwise. Throws scikit-learn's "ill-defined empirical covariance" error when a
 * covariance is not positive definite. `work` holds at least 2·d·d values.
 */
export function computePrecisionCholesky(p: GmmParams, work: Float64Array): void {
  const { type, K, d, covariances, precChol } = p;
  if (type === 'full' || type === 'tied') {
    const n = type === 'full' ? K : 1;
    const dd = d * d;
    for (let k = 0; k < n; k++) {
      if (!choleskyLower(covariances, k * dd, d, work, 0)) throw new Error(ILL_DEFINED_COVARIANCE);
      invertLower(work, 0, d, work, dd);
      transpose(work, dd, d, precChol, k * dd);
    }
  } else {
    for (let i = 0; i < covariances.length; i++) {
      const c = covariances[i];
      if (!(c > 0) || c === Infinity) throw new Error(ILL_DEFINED_COVARIANCE);
      precChol[i] = 1 / Math.sqrt(c);
    }
  }
  for (let i = 0; i < precChol.length; i++) {
    // A covariance can pass Cholesky yet be so small that its inverse overflows.
    if (!Number.isFinite(precChol[i])) throw new Error(ILL_DEFINED_COVARIANCE);
  }
}

/**
 * What the density kernels read: the means, the precision factors in a layout
 * that makes the Mahalanobis product walk rows (lower L⁻¹ = Uᵀ for full/tied;
 * 1/σ per feature for diag and spherical), and per component the constant
 * log wₖ + log det Uₖ − d/2·log 2π.
 */
export interface Kernel {
  type: CovarianceType;
  K: number;
  d: number;
  means: Float64Array;
  chol: Float64Array;
  /** Offset between components in `chol`: d·d (full), 0 (tied: shared), d (diag, spherical). */
  cholStride: number;
  logC: Float64Array;
}

export function allocKernel(type: CovarianceType, K: number, d: number): Kernel {
  const triangular = type === 'full' || type === 'tied';
  return {
    type, K, d,
    means: new Float64Array(K * d),
    chol: new Float64Array(type === 'tied' ? d * d : triangular ? K * d * d : K * d),
    cholStride: type === 'full' ? d * d : type === 'tied' ? 0 : d,
    logC: new Float64Array(K),
  };
}

/** Fill `kern` from `p` (copies: `p` may then change without affecting `kern`). */
export function prepareKernel(p: GmmParams, kern: Kernel): void {
  const { type, K, d, precChol } = p;
  kern.means.set(p.means);
  const logDet = kern.logC; // first the log-determinants, then the full constants, in place
  if (type === 'full' || type === 'tied') {
    const n = type === 'full' ? K : 1;
    for (let k = 0; k < n; k++) {
      transpose(precChol, k * d * d, d, kern.chol, k * d * d);
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precChol[k * d * d + j * d + j]);
      if (type === 'full') logDet[k] = s;
      else logDet.fill(s);
    }
  } else if (type === 'diag') {
    kern.chol.set(precChol);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precChol[k * d + j]);
      logDet[k] = s;
    }
  } else {
    for (let k = 0; k < K; k++) {
      kern.chol.fill(precChol[k], k * d, (k + 1) * d);
      logDet[k] = d * Math.log(precChol[k]);
    }
  }
  for (let k = 0; k < K; k++) logDet[k] += Math.log(p.weights[k]) - 0.5 * d * LOG_2PI;
}

/**
 * Weighted log-densities log wₖ + log N(xᵢ | μₖ, Σₖ) for every row of X, N×K row-major.
 * The unfused reference path, used outside the EM loop (predict, scoreSamples, ...).
 */
export function weightedLogProb(X: Matrix, kern: Kernel): Float64Array {
  const { K, d, means, chol, cholStride, logC } = kern;
  const N = X.rows;
  const x = X.data;
  const out = new Float64Array(N * K);
  const diff = new Float64Array(d);
  const triangular = kern.type === 'full' || kern.type === 'tied';
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
      out[i * K + k] = logC[k] - 0.5 * mahalanobis(diff, chol, k * cholStride, d, triangular);
    }
  }
  return out;
}

/** ‖L diff‖² for the lower-triangular L at chol[off..] (or diagonal, one value per feature). */
export function mahalanobis(diff: Float64Array, chol: Float64Array, off: number, d: number, triangular: boolean): number {
  let m = 0;
  for (let j = 0; j < d; j++) {
    let y: number;
    if (triangular) {
      y = 0;
      for (let i = 0; i <= j; i++) y += chol[off + j * d + i] * diff[i];
    } else {
      y = chol[off + j] * diff[j];
    }
    m += y * y;
  }
  return m;
}

/** Row-wise log Σₖ exp(a[i,k]), shifted by the row maximum so nothing overflows. */
export function logSumExpRows(a: Float64Array, N: number, K: number): Float64Array {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (a[i * K + k] > max) max = a[i * K + k];
    if (max === -Infinity) {
      out[i] = -Infinity;
      continue;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(a[i * K + k] - max);
    out[i] = max + Math.log(s);
  }
  return out;
}
