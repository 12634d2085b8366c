/**
 * One EM iteration the fast way: the E-step and the M-step's sums in one fused pass over the
 * data (./pass; in chunks on worker threads, ./chunks), then the M-step from the sums
 * (./m-step-sums). It computes what ../e-step's `eStep` then ../m-step's `mStep` compute
 * (tested against them); where the WebAssembly kernel cannot run, it runs those instead.
 */
import { Matrix } from '../../matrix';
import { eStep } from '../e-step';
import { mStep } from '../m-step';
import { MixtureParams } from '../params';
import { ILL_DEFINED_COVARIANCE, computePrecisionCholesky } from '../precision-cholesky';
import { CovarianceType } from '../types';
import { ChunkedPass, planPass, runPass } from './chunks';
import { accumulateAbout, mStepFromSums } from './m-step-sums';
import { Scratch, allocScratch } from './pass';
import { PreparedComponents, allocPrepared, prepareComponents } from './prepared';
import { Sums, allocSums, needsExactPass, resetSums } from './sums';
import { wasmPassAvailable } from './wasm-pass';

/** Everything one fit's EM iterations need, allocated once per fit. */
export interface EmWorkspace {
  /** The fused pass cannot run here (no WebAssembly SIMD): iterate with the reference steps. */
  reference: boolean;
  /** Threads a pass may use (this one included). */
  nJobs: number;
  /** The chunked pass over `passData`, set up at the first iteration on it. */
  pass: ChunkedPass | null;
  passData: Float64Array | null;
  /** Sums of the rare second, centred pass. */
  sums: Sums;
  scratch: Scratch;
  kern: PreparedComponents;
  center: Float64Array;
  delta: Float64Array;
  work: Float64Array;
  /** Set once a pass had to be redone without skipping negligible responsibilities. */
  exact: boolean;
}

export function allocWorkspace(type: CovarianceType, K: number, d: number, nJobs = 1): EmWorkspace {
  const kern = allocPrepared(type, K, d);
  const triangular = type === 'full' || type === 'tied';
  return {
    reference: triangular && d !== 2 && !wasmPassAvailable(K, d),
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
export function fastEmIteration(X: Matrix, p: MixtureParams, regCovar: number, ws: EmWorkspace): number {
  if (ws.reference) {
    const { meanLogLikelihood, resp } = eStep(X, p);
    mStep(X, resp, regCovar, p);
    return meanLogLikelihood;
  }
  const { kern } = ws;
  prepareComponents(p, kern);
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
