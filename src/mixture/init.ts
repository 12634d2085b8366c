/**
 * Initial responsibilities (scikit-learn's four `init_params`) and the two-pass
 * estimate of Gaussian parameters from them.
 *
 * 'kmeans' takes its labels from src/cluster's K-Means (kmeans-labels.ts), 'k-means++'
 * its rows from src/cluster's seeding.
 */
import { kmeansPlusPlusRows } from '../cluster/init';
import { Matrix } from '../matrix';
import { Random } from '../random';
import { kmeansLabels } from './kmeans-labels';
import { GmmParams, NK_EPS } from './params';
import { InitParams } from './types';

/** Responsibilities as a dense N×K matrix, or as one label per row (-1: no component). */
export type InitResp = { kind: 'dense'; r: Float64Array } | { kind: 'labels'; labels: Int32Array };

export function initialResponsibilities(X: Matrix, K: number, method: InitParams, rng: Random, nJobs = 1): InitResp {
  const N = X.rows;
  switch (method) {
    case 'kmeans':
      return { kind: 'labels', labels: kmeansLabels(X, K, rng, 300, nJobs) };
    case 'random': {
      const r = new Float64Array(N * K);
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (r[i * K + k] = rng.random());
        for (let k = 0; k < K; k++) r[i * K + k] /= s;
      }
      return { kind: 'dense', r };
    }
    case 'random_from_data':
      return { kind: 'labels', labels: labelsAt(N, sampleWithoutReplacement(N, K, rng)) };
    case 'k-means++':
      return { kind: 'labels', labels: labelsAt(N, Array.from(kmeansPlusPlusRows(X, K, rng))) };
  }
}

function labelsAt(N: number, indices: number[]): Int32Array {
  const labels = new Int32Array(N).fill(-1);
  indices.forEach((row, k) => (labels[row] = k));
  return labels;
}

/** K distinct row indices in random order (Floyd's algorithm, then shuffled). */
function sampleWithoutReplacement(N: number, K: number, rng: Random): number[] {
  const chosen = new Set<number>();
  for (let j = N - K; j < N; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return rng.shuffle(Array.from(chosen));
}

function visitResp(resp: InitResp, N: number, K: number, visit: (i: number, k: number, r: number) => void): void {
  if (resp.kind === 'labels') {
    for (let i = 0; i < N; i++) if (resp.labels[i] >= 0) visit(i, resp.labels[i], 1);
  } else {
    for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) visit(i, k, resp.r[i * K + k]);
  }
}

/**
 * Weights (Nₖ/N), means and covariances (+ regCovar) from responsibilities, into `p`:
 * scikit-learn's _estimate_gaussian_parameters, but always centred (two passes).
 * For 'tied' this is Σₖ Σᵢ rᵢₖ (xᵢ−μₖ)(xᵢ−μₖ)ᵀ / Σ Nₖ: where responsibilities do not sum
 * to 1 per row (one-hot on K rows, as after 'random_from_data'), scikit-learn's
 * XᵀX − Σ Nₖ μₖμₖᵀ would also count the unassigned rows; this does not.
 */
export function estimateGaussianParameters(X: Matrix, resp: InitResp, regCovar: number, p: GmmParams): void {
  const { type, K, d, weights, means, covariances: cov } = p;
  const N = X.rows;
  const x = X.data;
  weights.fill(0);
  means.fill(0);
  visitResp(resp, N, K, (i, k, r) => {
    weights[k] += r;
    for (let j = 0; j < d; j++) means[k * d + j] += r * x[i * d + j];
  });
  for (let k = 0; k < K; k++) {
    weights[k] += NK_EPS;
    for (let j = 0; j < d; j++) means[k * d + j] /= weights[k];
  }
  cov.fill(0);
  const triangular = type === 'full' || type === 'tied';
  const scatter = new Float64Array(triangular ? K * d * d : K * d);
  const diff = new Float64Array(d);
  visitResp(resp, N, K, (i, k, r) => {
    for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
    for (let j = 0; j < d; j++) {
      if (triangular) for (let t = 0; t < d; t++) scatter[k * d * d + j * d + t] += r * diff[j] * diff[t];
      else scatter[k * d + j] += r * diff[j] * diff[j];
    }
  });
  const total = weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < K; k++) {
    const nk = weights[k];
    if (type === 'full') for (let q = 0; q < d * d; q++) cov[k * d * d + q] = scatter[k * d * d + q] / nk;
    else if (type === 'tied') for (let q = 0; q < d * d; q++) cov[q] += scatter[k * d * d + q] / total;
    else if (type === 'diag') for (let j = 0; j < d; j++) cov[k * d + j] = scatter[k * d + j] / nk + regCovar;
    else {
      let s = 0;
      for (let j = 0; j < d; j++) s += scatter[k * d + j] / nk;
      cov[k] = s / d + regCovar;
    }
  }
  if (type === 'full') for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) cov[k * d * d + j * d + j] += regCovar;
  if (type === 'tied') for (let j = 0; j < d; j++) cov[j * d + j] += regCovar;
  for (let k = 0; k < K; k++) weights[k] /= N;
}
