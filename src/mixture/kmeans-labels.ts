/**
 * K-Means labels for the 'kmeans' initialisation, as scikit-learn's GaussianMixture
 * gets them from KMeans(n_init=1): k-means++ seeding, then Lloyd iterations, both
 * src/cluster's.
 */
import { KMeans } from '../cluster/kmeans';
import { Matrix } from '../matrix';
import { Random } from '../random';

/**
 * Labels of Lloyd's K-Means from k-means++ seeds (at most `maxIter` iterations, tol 1e-4
 * of the mean variance). The seeding draws from `rng`, so the GaussianMixture's
 * randomState decides it; KMeans seeds on its fast path, which picks the rows of the
 * readable `kmeansPlusPlus` (src/cluster/init.ts).
 */
export function kmeansLabels(X: Matrix, K: number, rng: Random, maxIter = 300, nJobs = 1): Int32Array {
  // (A centre stays at 0 only when squared distances overflow; the covariance check
  // that follows then reports the data as ill-defined.)
  const km = new KMeans({ nClusters: K, init: 'k-means++', nInit: 1, maxIter, tol: 1e-4, randomState: rng, nJobs }).fit(X);
  return km.labelsInt32;
}
