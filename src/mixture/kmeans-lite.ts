/**
 * A deliberately minimal private K-Means for the 'kmeans' and 'k-means++'
 * initialisations (greedy k-means++ seeding and Lloyd iterations, as scikit-learn's
 * KMeans(n_init=1) that GaussianMixture uses), so that the mixture does not depend
 * on src/cluster. It could be replaced by that module's KMeans.
 */
import { Matrix } from '../matrix';
import { Random } from '../random';

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
export function kmeansLabels(X: Matrix, K: number, rng: Random, maxIter = 300): Int32Array {
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
