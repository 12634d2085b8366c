/**
 * K-Means for the 'kmeans' and 'k-means++' initialisations: greedy k-means++ seeding
 * here, then Lloyd iterations by src/cluster's KMeans — as scikit-learn's
 * GaussianMixture uses KMeans(n_init=1).
 */
import { KMeans } from '../cluster/kmeans';
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

/**
 * Labels of Lloyd's K-Means from k-means++ seeds (at most 300 iterations, tol 1e-4 of the
 * mean variance), as scikit-learn's GaussianMixture gets them from KMeans(n_init=1). The
 * Lloyd iterations are src/cluster's KMeans (parallel and branch-free, with scikit-learn's
 * empty-cluster relocation); the seeding stays here, so a given randomState starts from
 * the same centres as before.
 */
export function kmeansLabels(X: Matrix, K: number, rng: Random, maxIter = 300, nJobs = 1): Int32Array {
  const { cols: d, data: x } = X;
  // (A seed is -1 only when distances overflow: that centre then stays at 0, and the
  // covariance check that follows reports the data as ill-defined.)
  const centers = new Float64Array(K * d);
  kmeansPlusPlus(X, K, rng).forEach((row, k) => row >= 0 && centers.set(x.subarray(row * d, row * d + d), k * d));
  const init = { rows: K, cols: d, data: centers };
  const km = new KMeans({ nClusters: K, init, nInit: 1, maxIter, tol: 1e-4, nJobs }).fit(X);
  return Int32Array.from(km.labels);
}

function sqDist(a: Float64Array, i: number, b: Float64Array, k: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[i * d + j] - b[k * d + j];
    s += t * t;
  }
  return s;
}
