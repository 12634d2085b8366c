/**
 * Initial responsibilities (scikit-learn's four `init_params`); ./m-step's
 * `estimateGaussianParameters` turns them into the initial parameters.
 *
 * 'kmeans' takes its labels from src/cluster's K-Means (kmeans-labels.ts), 'k-means++'
 * its rows from src/cluster's seeding.
 */
import { kmeansPlusPlusRows } from '../cluster/init';
import { Matrix } from '../matrix';
import { Random } from '../random';
import { kmeansLabels } from './kmeans-labels';
import { InitParams } from './types';

/**
 * Initial responsibilities, N×K row-major: soft ones ('random'), or one-hot rows from labels
 * (the other three; rows of points no component starts from are all zero).
 */
export function initialResponsibilities(X: Matrix, K: number, method: InitParams, rng: Random, nJobs = 1): Float64Array {
  const N = X.rows;
  switch (method) {
    case 'kmeans':
      return oneHot(kmeansLabels(X, K, rng, 300, nJobs), K);
    case 'random': {
      const r = new Float64Array(N * K);
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (r[i * K + k] = rng.random());
        for (let k = 0; k < K; k++) r[i * K + k] /= s;
      }
      return r;
    }
    case 'random_from_data':
      return oneHot(labelsAt(N, rng.sample(N, K)), K);
    case 'k-means++':
      return oneHot(labelsAt(N, Array.from(kmeansPlusPlusRows(X, K, rng))), K);
  }
}

/** Row i has a 1 in column labels[i] (none for -1). */
function oneHot(labels: Int32Array, K: number): Float64Array {
  const r = new Float64Array(labels.length * K);
  labels.forEach((k, i) => {
    if (k >= 0) r[i * K + k] = 1;
  });
  return r;
}

function labelsAt(N: number, indices: number[]): Int32Array {
  const labels = new Int32Array(N).fill(-1);
  indices.forEach((row, k) => (labels[row] = k));
  return labels;
}
