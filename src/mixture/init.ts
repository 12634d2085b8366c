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
import { Responsibilities } from './m-step';
import { InitParams } from './types';

/**
 * Initial responsibilities: soft ones ('random', N×K), or one label per row (the other three;
 * −1 for the points no component starts from). See ./m-step's `Responsibilities`.
 */
export function initialResponsibilities(X: Matrix, K: number, method: InitParams, rng: Random, nJobs = 1): Responsibilities {
  const N = X.rows;
  switch (method) {
    case 'kmeans':
      return kmeansLabels(X, K, rng, 300, nJobs);
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
      return labelsAt(N, rng.sample(N, K));
    case 'k-means++':
      return labelsAt(N, Array.from(kmeansPlusPlusRows(X, K, rng)));
  }
}

function labelsAt(N: number, indices: number[]): Int32Array {
  const labels = new Int32Array(N).fill(-1);
  indices.forEach((row, k) => (labels[row] = k));
  return labels;
}
