/**
 * The log-density of each component at each point, one small function per covariance type,
 * after scikit-learn's _estimate_log_gaussian_prob:
 *
 *   log wₖ + log N(x | μₖ, Σₖ) = [log wₖ − d/2·log 2π + log det Uₖ] − ½ ‖Uₖᵀ(x − μₖ)‖²
 *
 * where Uₖ is the precision's Cholesky factor (Σₖ⁻¹ = Uₖ Uₖᵀ, upper triangular; see
 * ./precision-cholesky), so the Mahalanobis distance (x − μ)ᵀ Σ⁻¹ (x − μ) is a triangular
 * product and Σ⁻¹ is never formed. For 'diag' and 'spherical' U is diagonal: 1/σ.
 */
import { Matrix } from '../matrix';
import { MixtureParams } from './params';
import { CovarianceType } from './types';

const LOG_2PI = Math.log(2 * Math.PI);

/** ‖Uᵀ(x − μ)‖² for one point: a function of the point (row i of X) and component k. */
type Mahalanobis = (x: Float64Array, i: number, p: MixtureParams, k: number) => number;

/** 'full': Uₖ is d×d upper triangular, its own per component. y_j = Σ_{t≤j} U[t][j] (x_t − μ_t). */
export function mahalanobisFull(x: Float64Array, i: number, p: MixtureParams, k: number): number {
  return triangularMahalanobis(x, i, p, k, k * p.d * p.d);
}

/** 'tied': one U shared by every component. */
export function mahalanobisTied(x: Float64Array, i: number, p: MixtureParams, k: number): number {
  return triangularMahalanobis(x, i, p, k, 0);
}

/** 'diag': U = diag(1/σₖⱼ), so the distance is Σⱼ ((x_j − μ_j)/σ_j)². */
export function mahalanobisDiag(x: Float64Array, i: number, p: MixtureParams, k: number): number {
  const { d, means, precChol } = p;
  let m = 0;
  for (let j = 0; j < d; j++) {
    const y = precChol[k * d + j] * (x[i * d + j] - means[k * d + j]);
    m += y * y;
  }
  return m;
}

/** 'spherical': one σₖ for every feature: Σⱼ ((x_j − μ_j)/σₖ)². */
export function mahalanobisSpherical(x: Float64Array, i: number, p: MixtureParams, k: number): number {
  const { d, means, precChol } = p;
  let m = 0;
  for (let j = 0; j < d; j++) {
    const y = precChol[k] * (x[i * d + j] - means[k * d + j]);
    m += y * y;
  }
  return m;
}

function triangularMahalanobis(x: Float64Array, i: number, p: MixtureParams, k: number, uOff: number): number {
  const { d, means, precChol: U } = p;
  let m = 0;
  for (let j = 0; j < d; j++) {
    let y = 0;
    for (let t = 0; t <= j; t++) y += U[uOff + t * d + j] * (x[i * d + t] - means[k * d + t]);
    m += y * y;
  }
  return m;
}

const MAHALANOBIS: Record<CovarianceType, Mahalanobis> = {
  full: mahalanobisFull,
  tied: mahalanobisTied,
  diag: mahalanobisDiag,
  spherical: mahalanobisSpherical,
};

/** log det Uₖ = Σⱼ log Uₖ[j][j] = −½ log det Σₖ. */
export function logDetPrecisionCholesky(p: MixtureParams, k: number): number {
  const { type, d, precChol } = p;
  if (type === 'spherical') return d * Math.log(precChol[k]);
  let s = 0;
  for (let j = 0; j < d; j++) {
    s += Math.log(type === 'diag' ? precChol[k * d + j] : precChol[(type === 'full' ? k * d * d : 0) + j * d + j]);
  }
  return s;
}

/** log wₖ + log N(xᵢ | μₖ, Σₖ) for every row i of X and component k: N×K, row-major. */
export function weightedLogProb(X: Matrix, p: MixtureParams): Float64Array {
  const { K, d } = p;
  const mahalanobis = MAHALANOBIS[p.type];
  const out = new Float64Array(X.rows * K);
  for (let k = 0; k < K; k++) {
    const constant = logDetPrecisionCholesky(p, k) + (Math.log(p.weights[k]) - 0.5 * d * LOG_2PI);
    for (let i = 0; i < X.rows; i++) out[i * K + k] = constant - 0.5 * mahalanobis(X.data, i, p, k);
  }
  return out;
}
