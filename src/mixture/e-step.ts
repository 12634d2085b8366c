/**
 * The E-step: under the current parameters, each point's responsibilities
 *
 *   γᵢₖ = wₖ N(xᵢ | μₖ, Σₖ) / Σⱼ wⱼ N(xᵢ | μⱼ, Σⱼ)
 *
 * computed in logs (./log-density) and normalised with log-sum-exp, so that nothing
 * underflows; and the mean log-likelihood (1/N) Σᵢ log p(xᵢ), scikit-learn's lower bound.
 */
import { Matrix } from '../matrix';
import { weightedLogProb } from './log-density';
import { MixtureParams } from './params';

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

export interface EStepResult {
  /** (1/N) Σᵢ log p(xᵢ). */
  meanLogLikelihood: number;
  /** γᵢₖ, N×K row-major; every row sums to 1. */
  resp: Float64Array;
}

export function eStep(X: Matrix, p: MixtureParams): EStepResult {
  const { K } = p;
  const N = X.rows;
  const logProb = weightedLogProb(X, p);
  const logNorm = logSumExpRows(logProb, N, K);
  const resp = new Float64Array(N * K);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    sum += logNorm[i];
    for (let k = 0; k < K; k++) resp[i * K + k] = Math.exp(logProb[i * K + k] - logNorm[i]);
  }
  return { meanLogLikelihood: sum / N, resp };
}
