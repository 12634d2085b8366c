/**
 * The M-step: new parameters from the responsibilities γᵢₖ of the E-step, after
 * scikit-learn's _estimate_gaussian_parameters and _estimate_gaussian_covariances_*:
 *
 *   Nₖ = Σᵢ γᵢₖ (+ 10ε, so that an empty component does not divide by zero)
 *   wₖ = Nₖ / Σⱼ Nⱼ,   μₖ = Σᵢ γᵢₖ xᵢ / Nₖ,
 *   Σₖ = Σᵢ γᵢₖ (xᵢ − μₖ)(xᵢ − μₖ)ᵀ / Nₖ + regCovar·I     ('full'; the others below).
 *
 * The covariances are always computed about the new means (two passes), never as
 * E[x xᵀ] − μ μᵀ, which loses every digit when the data sit far from the origin.
 * A point with γᵢₖ = 0 adds nothing to component k, so it is skipped.
 */
import { Matrix } from '../matrix';
import { computePrecisionCholesky } from './precision-cholesky';
import { MixtureParams, NK_EPS } from './params';

/**
 * Responsibilities γ: a dense N×K matrix (row-major), as the E-step gives them, or one label
 * per row (γᵢₖ = 1 for k = labels[i] and 0 otherwise; −1 for none), as initialisations do.
 */
export type Responsibilities = Float64Array | Int32Array;

/** Call `visit(i, k, γᵢₖ)` for every point i and component k with γᵢₖ ≠ 0, i ascending. */
function forEachResponsibility(resp: Responsibilities, N: number, K: number, visit: (i: number, k: number, r: number) => void): void {
  if (resp instanceof Int32Array) {
    for (let i = 0; i < N; i++) if (resp[i] >= 0) visit(i, resp[i], 1);
    return;
  }
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) if (resp[i * K + k] !== 0) visit(i, k, resp[i * K + k]);
  }
}

/** Σᵢ γᵢₖ (xᵢ − μₖ)(xᵢ − μₖ)ᵀ for every component k: K×d×d (the 'full' and 'tied' scatter). */
function scatterMatrices(X: Matrix, resp: Responsibilities, means: Float64Array, K: number): Float64Array {
  const d = X.cols;
  const x = X.data;
  const out = new Float64Array(K * d * d);
  const diff = new Float64Array(d);
  forEachResponsibility(resp, X.rows, K, (i, k, r) => {
    for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
    for (let j = 0; j < d; j++) for (let t = 0; t < d; t++) out[k * d * d + j * d + t] += r * diff[j] * diff[t];
  });
  return out;
}

/** Σᵢ γᵢₖ (xᵢⱼ − μₖⱼ)² for every component k and feature j: K×d (the 'diag' and 'spherical' scatter). */
function scatterDiagonals(X: Matrix, resp: Responsibilities, means: Float64Array, K: number): Float64Array {
  const d = X.cols;
  const x = X.data;
  const out = new Float64Array(K * d);
  forEachResponsibility(resp, X.rows, K, (i, k, r) => {
    for (let j = 0; j < d; j++) {
      const diff = x[i * d + j] - means[k * d + j];
      out[k * d + j] += r * diff * diff;
    }
  });
  return out;
}

/**
 * The covariances from the scatter about the new means (K×d×d for 'full' and 'tied', K×d for
 * 'diag' and 'spherical'), one function per covariance type:
 *   'full': Σₖ = scatterₖ / Nₖ + regCovar·I, one d×d matrix per component (K×d×d);
 *   'tied': one Σ = Σₖ scatterₖ / Σₖ Nₖ + regCovar·I shared by all components (d×d);
 *   'diag': σ²ₖⱼ = scatterₖⱼ / Nₖ + regCovar, one variance per component and feature (K×d);
 *   'spherical': σ²ₖ = the mean over features of the 'diag' variances (K values).
 */
export const COVARIANCES_FROM_SCATTER: Record<MixtureParams['type'], (scatter: Float64Array, nk: Float64Array, d: number, regCovar: number, cov: Float64Array) => void> = {
  full(scatter, nk, d, regCovar, cov) {
    for (let k = 0; k < nk.length; k++) {
      for (let q = 0; q < d * d; q++) cov[k * d * d + q] = scatter[k * d * d + q] / nk[k];
      for (let j = 0; j < d; j++) cov[k * d * d + j * d + j] += regCovar;
    }
  },
  tied(scatter, nk, d, regCovar, cov) {
    const total = nk.reduce((a, b) => a + b, 0);
    cov.fill(0);
    for (let k = 0; k < nk.length; k++) for (let q = 0; q < d * d; q++) cov[q] += scatter[k * d * d + q] / total;
    for (let j = 0; j < d; j++) cov[j * d + j] += regCovar;
  },
  diag(scatter, nk, d, regCovar, cov) {
    for (let k = 0; k < nk.length; k++) for (let j = 0; j < d; j++) cov[k * d + j] = scatter[k * d + j] / nk[k] + regCovar;
  },
  spherical(scatter, nk, d, regCovar, cov) {
    for (let k = 0; k < nk.length; k++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += scatter[k * d + j] / nk[k];
      cov[k] = v / d + regCovar;
    }
  },
};

/** Whether a covariance type's scatter is the full matrices (else the diagonals). */
export function fullScatter(type: MixtureParams['type']): boolean {
  return type === 'full' || type === 'tied';
}

/**
 * Nₖ (into p.weights, not yet normalised), μₖ and Σₖ (into p) from responsibilities (rows
 * need not sum to 1, e.g. labels on only K rows at initialisation).
 */
export function estimateGaussianParameters(X: Matrix, resp: Responsibilities, regCovar: number, p: MixtureParams): void {
  const { type, K, d, weights: nk, means } = p;
  const x = X.data;
  nk.fill(0);
  means.fill(0);
  forEachResponsibility(resp, X.rows, K, (i, k, r) => {
    nk[k] += r;
    for (let j = 0; j < d; j++) means[k * d + j] += r * x[i * d + j];
  });
  for (let k = 0; k < K; k++) {
    nk[k] += NK_EPS;
    for (let j = 0; j < d; j++) means[k * d + j] /= nk[k];
  }
  const scatter = fullScatter(type) ? scatterMatrices(X, resp, means, K) : scatterDiagonals(X, resp, means, K);
  COVARIANCES_FROM_SCATTER[type](scatter, nk, d, regCovar, p.covariances);
}

/** The M-step on `p` in place: weights, means, covariances, and the precisions' Cholesky factors. */
export function mStep(X: Matrix, resp: Float64Array, regCovar: number, p: MixtureParams): void {
  estimateGaussianParameters(X, resp, regCovar, p);
  const total = p.weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < p.K; k++) p.weights[k] /= total;
  computePrecisionCholesky(p, new Float64Array(2 * p.d * p.d));
}
