/**
 * The M-step from the sums of a fused pass (./sums): ../m-step's `mStep`, computed from
 * R, s and S taken about the old means instead of from the responsibilities (tested against
 * it), with a second, centred pass when that would lose precision.
 */
import { Matrix } from '../../matrix';
import { MixtureParams, NK_EPS } from '../params';
import { PreparedComponents, mahalanobis } from './prepared';
import { Sums } from './sums';

/**
 * When the old-centre second moment exceeds the centred one by this factor, the
 * one-pass covariance would keep fewer than ~10 significant digits: redo that
 * M-step with a second pass centred on the new means.
 */
const RECENTRE_RATIO = 1e6;

/**
 * New weights, means and covariances (into `p`) from sums taken about `center`
 * (which must not alias p.means). With Nₖ = R + 10ε as in scikit-learn,
 *   μ = Σ r x / Nₖ = c + δ,  δ = s/Nₖ − c·10ε/Nₖ,
 *   Nₖ Σₖ = Σ r (x − μ)(x − μ)ᵀ = S − s δᵀ − δ sᵀ + R δ δᵀ   (exact algebra, no x xᵀ − μ μᵀ).
 * Returns true when that subtraction cancelled badly (δ ≫ spread): the caller
 * should redo the sums about the new means.
 */
export function mStepFromSums(sums: Sums, center: Float64Array, regCovar: number, p: MixtureParams, delta: Float64Array): boolean {
  const { type, K, d, weights, means, covariances: cov } = p;
  const { nk: R, s, S } = sums;
  const dd = d * d;
  let total = 0;
  let cancelled = false;
  if (type === 'tied') cov.fill(0);
  for (let k = 0; k < K; k++) {
    const Rk = R[k];
    const nk = Rk + NK_EPS;
    total += nk;
    weights[k] = nk;
    const shrink = NK_EPS / nk;
    // A component with almost no responsibility is pulled towards 0 by the 10ε
    // every iteration; its precision is irrelevant, so it does not ask for a second pass.
    const check = Rk > 1e-3;
    const mo = k * d;
    for (let j = 0; j < d; j++) delta[j] = s[mo + j] / nk - center[mo + j] * shrink;
    if (type === 'full' || type === 'tied') {
      const so = k * dd;
      const co = type === 'full' ? k * dd : 0;
      for (let j = 0; j < d; j++) {
        for (let t = j; t < d; t++) {
          const raw = S[so + j * d + t];
          const v = raw - s[mo + j] * delta[t] - delta[j] * s[mo + t] + Rk * delta[j] * delta[t];
          if (j === t && check && raw > RECENTRE_RATIO * v) cancelled = true;
          if (type === 'full') cov[co + j * d + t] = v / nk;
          else cov[co + j * d + t] += v;
          if (t !== j) cov[co + t * d + j] = cov[co + j * d + t];
        }
      }
      if (type === 'full') for (let j = 0; j < d; j++) cov[co + j * d + j] += regCovar;
    } else {
      let sph = 0;
      for (let j = 0; j < d; j++) {
        const raw = S[mo + j];
        const v = raw - 2 * s[mo + j] * delta[j] + Rk * delta[j] * delta[j];
        if (check && raw > RECENTRE_RATIO * v) cancelled = true;
        if (type === 'diag') cov[mo + j] = v / nk + regCovar;
        else sph += v / nk;
      }
      if (type === 'spherical') cov[k] = sph / d + regCovar;
    }
    for (let j = 0; j < d; j++) means[mo + j] = center[mo + j] + delta[j];
  }
  for (let k = 0; k < K; k++) weights[k] /= total;
  if (type === 'tied') {
    for (let i = 0; i < dd; i++) cov[i] /= total;
    for (let j = 0; j < d; j++) cov[j * d + j] += regCovar;
  }
  return cancelled;
}

/**
 * The M-step sums taken about an arbitrary `center` (K×d) instead of the kernel's
 * means: the slow, general second pass used when the one-pass sums lose precision.
 */
export function accumulateAbout(X: Matrix, kern: PreparedComponents, center: Float64Array, sums: Sums): void {
  const { K, d, means, invChol, invCholStride, logC } = kern;
  const triangular = sums.triangular;
  const x = X.data;
  const w = new Float64Array(K);
  const diff = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
      w[k] = logC[k] - 0.5 * mahalanobis(diff, invChol, k * invCholStride, d, triangular);
      if (w[k] > max) max = w[k];
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += (w[k] = Math.exp(w[k] - max));
    for (let k = 0; k < K; k++) {
      const r = w[k] / sum;
      sums.nk[k] += r;
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - center[k * d + j];
      for (let j = 0; j < d; j++) {
        sums.s[k * d + j] += r * diff[j];
        if (triangular) for (let t = j; t < d; t++) sums.S[k * d * d + j * d + t] += r * diff[j] * diff[t];
        else sums.S[k * d + j] += r * diff[j] * diff[j];
      }
    }
  }
}
