/**
 * Initial responsibilities (scikit-learn's four `init_params`) and the two-pass
 * estimate of Gaussian parameters from them.
 *
 * 'kmeans' needs K-Means labels. A deliberately minimal private K-Means (greedy
 * k-means++ seeding and Lloyd iterations, as scikit-learn's KMeans(n_init=1)) lives
 * here so that the mixture does not depend on src/cluster; it could be swapped for
 * that module's KMeans later.
 */
import { Matrix } from '../matrix';
import { Random } from '../random';
import { GmmParams } from './params';
import { InitParams } from './types';

/** Responsibilities as a dense N×K matrix, or as one label per row (-1: no component). */
export type InitResp = { kind: 'dense'; r: Float64Array } | { kind: 'labels'; labels: Int32Array };

const NK_EPS = 10 * 2.220446049250313e-16;

export function initialResponsibilities(X: Matrix, K: number, method: InitParams, rng: Random): InitResp {
  const N = X.rows;
  switch (method) {
    case 'kmeans':
      return { kind: 'labels', labels: kmeansLabels(X, K, rng) };
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
      return { kind: 'labels', labels: labelsAt(N, kmeansPlusPlus(X, K, rng)) };
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

// ---- minimal K-Means -------------------------------------------------------

/**
 * Greedy k-means++ (scikit-learn's kmeans_plusplus): each new centre is the best,
 * by resulting potential, of 2 + ⌊ln K⌋ candidates drawn in proportion to D².
 * Returns the chosen row indices.
 */
export function kmeansPlusPlus(X: Matrix, K: number, rng: Random): number[] {
  const { rows: N, cols: d, data: x } = X;
  const trials = 2 + Math.floor(Math.log(K));
  const indices = [rng.int(N)];
  const closest = new Float64Array(N);
  let pot = 0;
  for (let i = 0; i < N; i++) pot += (closest[i] = sqDist(x, i, x, indices[0], d));
  const candDist = new Float64Array(N);
  const bestDist = new Float64Array(N);
  for (let c = 1; c < K; c++) {
    let bestPot = Infinity;
    let bestIdx = -1;
    for (let t = 0; t < trials; t++) {
      // All points equal to chosen centres (pot 0): any row will do.
      const cand = pot > 0 ? rng.weightedIndex(closest, pot) : rng.int(N);
      let candPot = 0;
      for (let i = 0; i < N; i++) candPot += (candDist[i] = Math.min(closest[i], sqDist(x, i, x, cand, d)));
      if (candPot < bestPot) {
        bestPot = candPot;
        bestIdx = cand;
        bestDist.set(candDist);
      }
    }
    indices.push(bestIdx);
    closest.set(bestDist);
    pot = bestPot;
  }
  return indices;
}

/** Labels of Lloyd's K-Means from k-means++ seeds: at most 300 iterations, tol 1e-4 of the mean variance. */
function kmeansLabels(X: Matrix, K: number, rng: Random, maxIter = 300): Int32Array {
  const { rows: N, cols: d, data: x } = X;
  const centers = new Float64Array(K * d);
  kmeansPlusPlus(X, K, rng).forEach((row, k) => centers.set(x.subarray(row * d, row * d + d), k * d));
  const tol = 1e-4 * meanVariance(X);
  const labels = new Int32Array(N).fill(-1);
  const dist = new Float64Array(N);
  const sums = new Float64Array(K * d);
  const counts = new Float64Array(K);
  for (let iter = 0; iter < maxIter; iter++) {
    const changed = assign(X, centers, K, labels, dist);
    if (!changed && iter > 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < N; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < d; j++) sums[labels[i] * d + j] += x[i * d + j];
    }
    let shift = 0;
    for (let k = 0; k < K; k++) {
      // An empty cluster takes the point farthest from its centre, as in scikit-learn.
      let far = -1;
      if (counts[k] === 0) {
        for (let i = 0; i < N; i++) if (far < 0 || dist[i] > dist[far]) far = i;
        dist[far] = 0;
      }
      for (let j = 0; j < d; j++) {
        const v = far >= 0 ? x[far * d + j] : sums[k * d + j] / counts[k];
        shift += (v - centers[k * d + j]) ** 2;
        centers[k * d + j] = v;
      }
    }
    if (shift <= tol) break;
  }
  assign(X, centers, K, labels, dist);
  return labels;
}

function assign(X: Matrix, centers: Float64Array, K: number, labels: Int32Array, dist: Float64Array): boolean {
  const { rows: N, cols: d, data: x } = X;
  let changed = false;
  for (let i = 0; i < N; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < K; k++) {
      const dk = sqDist(x, i, centers, k, d);
      if (dk < bestD) {
        bestD = dk;
        best = k;
      }
    }
    if (labels[i] !== best) changed = true;
    labels[i] = best;
    dist[i] = bestD;
  }
  return changed;
}

function sqDist(a: Float64Array, i: number, b: Float64Array, k: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[i * d + j] - b[k * d + j];
    s += t * t;
  }
  return s;
}

function meanVariance(X: Matrix): number {
  const { rows: N, cols: d, data: x } = X;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += x[i * d + j];
    m /= N;
    let v = 0;
    for (let i = 0; i < N; i++) v += (x[i * d + j] - m) ** 2;
    total += v / N;
  }
  return total / d;
}
