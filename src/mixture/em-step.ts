/**
 * The M-step from the sums of em-pass.ts, and one whole EM iteration:
 * fused pass, M-step (with a second, centred pass when the one-pass
 * covariance would lose precision), precision Cholesky factors.
 */
import { Matrix } from '../matrix';
import { ChunkedPass, planPass, runPass } from './em-chunks';
import { Scratch, Sums, accumulateAbout, allocScratch, allocSums, needsExactPass, resetSums } from './em-pass';
import { ILL_DEFINED_COVARIANCE, Kernel, computePrecisionCholesky, prepareKernel } from './gaussian';
import { GmmParams, NK_EPS } from './params';
import { CovarianceType } from './types';

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
export function mStepFromSums(sums: Sums, center: Float64Array, regCovar: number, p: GmmParams, delta: Float64Array): boolean {
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

/** Everything one fit's EM iterations need, allocated once per fit. */
export interface EmWorkspace {
  /** Threads a pass may use (this one included). */
  nJobs: number;
  /** The chunked pass over `passData`, set up at the first iteration on it. */
  pass: ChunkedPass | null;
  passData: Float64Array | null;
  /** Sums of the rare second, centred pass. */
  sums: Sums;
  scratch: Scratch;
  kern: Kernel;
  center: Float64Array;
  delta: Float64Array;
  work: Float64Array;
  /** Set once a pass had to be redone without skipping negligible responsibilities. */
  exact: boolean;
}

export function allocWorkspace(type: CovarianceType, K: number, d: number, kern: Kernel, nJobs = 1): EmWorkspace {
  return {
    nJobs,
    pass: null,
    passData: null,
    sums: allocSums(type, K, d),
    scratch: allocScratch(K, d),
    kern,
    center: new Float64Array(K * d),
    delta: new Float64Array(d),
    work: new Float64Array(2 * d * d),
    exact: false,
  };
}

/**
 * One EM iteration on `p` in place: E-step under the current parameters, M-step.
 * Returns scikit-learn's lower bound for it: the mean log-likelihood of the E-step.
 */
export function emIteration(X: Matrix, p: GmmParams, regCovar: number, ws: EmWorkspace): number {
  const { kern } = ws;
  prepareKernel(p, kern);
  if (ws.passData !== X.data || !ws.pass) {
    ws.pass = planPass(X.data, X.rows, kern, ws.nJobs);
    ws.passData = X.data;
  }
  const pass = ws.pass;
  let ll = runPass(pass, X.rows, kern, ws.exact, ws.scratch);
  if (!ws.exact && needsExactPass(pass.sums)) {
    // A (nearly) empty component: from now on, this fit does not skip.
    ws.exact = true;
    ll = runPass(pass, X.rows, kern, true, ws.scratch);
  }
  if (!Number.isFinite(ll)) {
    throw new Error(`${ILL_DEFINED_COVARIANCE} (The log-likelihood became ${ll}; are the values of X extremely large?)`);
  }
  if (mStepFromSums(pass.sums, kern.means, regCovar, p, ws.delta)) {
    const sums = ws.sums;
    ws.center.set(p.means);
    resetSums(sums);
    accumulateAbout(X, kern, ws.center, sums);
    mStepFromSums(sums, ws.center, regCovar, p, ws.delta);
  }
  for (let i = 0; i < p.means.length; i++) {
    if (!Number.isFinite(p.means[i])) throw new Error(`${ILL_DEFINED_COVARIANCE} (A mean became ${p.means[i]}.)`);
  }
  computePrecisionCholesky(p, ws.work);
  return ll / X.rows;
}
