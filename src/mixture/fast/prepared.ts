/**
 * The parameters as the fast passes read them, prepared once per iteration: the means, the
 * rows of L⁻¹ (= Uᵀ, lower triangular, for 'full' and 'tied'; 1/σ per feature for 'diag' and
 * 'spherical'), so the Mahalanobis product walks rows, and per component the constant
 * log wₖ + log det Uₖ − d/2·log 2π. The same arithmetic as ../log-density, laid out for speed.
 */
import { stableObject } from '../../stable-object';
import { MixtureParams } from '../params';
import { transpose } from '../linalg';
import { CovarianceType } from '../types';

const LOG_2PI = Math.log(2 * Math.PI);

export interface PreparedComponents {
  type: CovarianceType;
  K: number;
  d: number;
  means: Float64Array;
  /** L⁻¹ per component (row-major, lower triangular), or 1/σ per feature. */
  invChol: Float64Array;
  /** Offset between components in `invChol`: d·d (full), 0 (tied: shared), d (diag, spherical). */
  invCholStride: number;
  logC: Float64Array;
}

export function allocPrepared(type: CovarianceType, K: number, d: number): PreparedComponents {
  const triangular = type === 'full' || type === 'tied';
  return stableObject({
    type, K, d,
    means: new Float64Array(K * d),
    invChol: new Float64Array(type === 'tied' ? d * d : triangular ? K * d * d : K * d),
    invCholStride: type === 'full' ? d * d : type === 'tied' ? 0 : d,
    logC: new Float64Array(K),
  });
}

/** Fill `kern` from `p` (copies: `p` may then change without affecting `kern`). */
export function prepareComponents(p: MixtureParams, kern: PreparedComponents): void {
  const { type, K, d, precChol } = p;
  kern.means.set(p.means);
  const logDet = kern.logC; // first the log-determinants, then the full constants, in place
  if (type === 'full' || type === 'tied') {
    const n = type === 'full' ? K : 1;
    for (let k = 0; k < n; k++) {
      transpose(precChol, k * d * d, d, kern.invChol, k * d * d);
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precChol[k * d * d + j * d + j]);
      if (type === 'full') logDet[k] = s;
      else logDet.fill(s);
    }
  } else if (type === 'diag') {
    kern.invChol.set(precChol);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.log(precChol[k * d + j]);
      logDet[k] = s;
    }
  } else {
    for (let k = 0; k < K; k++) {
      kern.invChol.fill(precChol[k], k * d, (k + 1) * d);
      logDet[k] = d * Math.log(precChol[k]);
    }
  }
  for (let k = 0; k < K; k++) logDet[k] += Math.log(p.weights[k]) - 0.5 * d * LOG_2PI;
}

/** ‖L⁻¹ diff‖² for the lower-triangular L⁻¹ at invChol[off..] (or diagonal, one value per feature). */
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
