/**
 * The precisions' Cholesky factors, as scikit-learn's _compute_precision_cholesky: for
 * Σ = L Lᵀ, U = L⁻ᵀ is upper triangular with Σ⁻¹ = U Uᵀ. The log-densities (./log-density)
 * need only U: the Mahalanobis distance (x−μ)ᵀ Σ⁻¹ (x−μ) is ‖Uᵀ(x−μ)‖², and Σ⁻¹ is never formed.
 */
import { choleskyLower, invertLower, transpose } from './linalg';
import { MixtureParams } from './params';

export const ILL_DEFINED_COVARIANCE =
  'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
  '(for instance caused by singleton or collapsed samples). Try to decrease the number of components, ' +
  'or increase regCovar.';

/**
 * Fill `p.precChol` from `p.covariances`: U = L⁻ᵀ for covariance = L Lᵀ (full, tied),
 * 1/√σ² otherwise. Throws scikit-learn's "ill-defined empirical covariance" error when a
 * covariance is not positive definite. `work` holds at least 2·d·d values.
 */
export function computePrecisionCholesky(p: MixtureParams, work: Float64Array): void {
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
