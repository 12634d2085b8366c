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

/** Σᵢ γᵢₖ (xᵢ − μₖ)(xᵢ − μₖ)ᵀ of component k, d×d (the 'full' and 'tied' scatter). */
function scatter(X: Matrix, resp: Float64Array, K: number, means: Float64Array, k: number, out: Float64Array, oOff: number): void {
  const d = X.cols;
  const x = X.data;
  const diff = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    const r = resp[i * K + k];
    if (r === 0) continue;
    for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
    for (let j = 0; j < d; j++) for (let t = 0; t < d; t++) out[oOff + j * d + t] += r * diff[j] * diff[t];
  }
}

/** Σᵢ γᵢₖ (xᵢⱼ − μₖⱼ)² of component k for each feature j (the 'diag' and 'spherical' scatter). */
function diagonalScatter(X: Matrix, resp: Float64Array, K: number, means: Float64Array, k: number, out: Float64Array): void {
  const d = X.cols;
  const x = X.data;
  for (let i = 0; i < X.rows; i++) {
    const r = resp[i * K + k];
    if (r === 0) continue;
    for (let j = 0; j < d; j++) {
      const diff = x[i * d + j] - means[k * d + j];
      out[j] += r * diff * diff;
    }
  }
}

/** 'full': Σₖ = scatterₖ / Nₖ + regCovar·I, one d×d matrix per component (K×d×d). */
export function estimateCovariancesFull(X: Matrix, resp: Float64Array, nk: Float64Array, means: Float64Array, regCovar: number, cov: Float64Array): void {
  const d = X.cols, K = nk.length;
  cov.fill(0);
  for (let k = 0; k < K; k++) {
    scatter(X, resp, K, means, k, cov, k * d * d);
    for (let q = 0; q < d * d; q++) cov[k * d * d + q] /= nk[k];
    for (let j = 0; j < d; j++) cov[k * d * d + j * d + j] += regCovar;
  }
}

/** 'tied': one Σ = Σₖ scatterₖ / Σₖ Nₖ + regCovar·I shared by all components (d×d). */
export function estimateCovariancesTied(X: Matrix, resp: Float64Array, nk: Float64Array, means: Float64Array, regCovar: number, cov: Float64Array): void {
  const d = X.cols, K = nk.length;
  const total = nk.reduce((a, b) => a + b, 0);
  const scatterK = new Float64Array(d * d);
  cov.fill(0);
  for (let k = 0; k < K; k++) {
    scatterK.fill(0);
    scatter(X, resp, K, means, k, scatterK, 0);
    for (let q = 0; q < d * d; q++) cov[q] += scatterK[q] / total;
  }
  for (let j = 0; j < d; j++) cov[j * d + j] += regCovar;
}

/** 'diag': σ²ₖⱼ = Σᵢ γᵢₖ (xᵢⱼ − μₖⱼ)² / Nₖ + regCovar, one variance per component and feature (K×d). */
export function estimateCovariancesDiag(X: Matrix, resp: Float64Array, nk: Float64Array, means: Float64Array, regCovar: number, cov: Float64Array): void {
  const d = X.cols, K = nk.length;
  const s = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    s.fill(0);
    diagonalScatter(X, resp, K, means, k, s);
    for (let j = 0; j < d; j++) cov[k * d + j] = s[j] / nk[k] + regCovar;
  }
}

/** 'spherical': σ²ₖ = the mean over features of the 'diag' variances (K values). */
export function estimateCovariancesSpherical(X: Matrix, resp: Float64Array, nk: Float64Array, means: Float64Array, regCovar: number, cov: Float64Array): void {
  const d = X.cols, K = nk.length;
  const s = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    s.fill(0);
    diagonalScatter(X, resp, K, means, k, s);
    let v = 0;
    for (let j = 0; j < d; j++) v += s[j] / nk[k];
    cov[k] = v / d + regCovar;
  }
}

const ESTIMATE_COVARIANCES = {
  full: estimateCovariancesFull,
  tied: estimateCovariancesTied,
  diag: estimateCovariancesDiag,
  spherical: estimateCovariancesSpherical,
};

/**
 * Nₖ (into p.weights, not yet normalised), μₖ and Σₖ (into p) from responsibilities
 * (N×K; rows need not sum to 1, e.g. one-hot on a few rows at initialisation).
 */
export function estimateGaussianParameters(X: Matrix, resp: Float64Array, regCovar: number, p: MixtureParams): void {
  const { type, K, d, weights: nk, means } = p;
  const x = X.data;
  nk.fill(0);
  means.fill(0);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k];
      if (r === 0) continue;
      nk[k] += r;
      for (let j = 0; j < d; j++) means[k * d + j] += r * x[i * d + j];
    }
  }
  for (let k = 0; k < K; k++) {
    nk[k] += NK_EPS;
    for (let j = 0; j < d; j++) means[k * d + j] /= nk[k];
  }
  ESTIMATE_COVARIANCES[type](X, resp, nk, means, regCovar, p.covariances);
}

/** The M-step on `p` in place: weights, means, covariances, and the precisions' Cholesky factors. */
export function mStep(X: Matrix, resp: Float64Array, regCovar: number, p: MixtureParams): void {
  estimateGaussianParameters(X, resp, regCovar, p);
  const total = p.weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < p.K; k++) p.weights[k] /= total;
  computePrecisionCholesky(p, new Float64Array(2 * p.d * p.d));
}
