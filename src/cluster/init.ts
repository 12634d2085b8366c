/**
 * Choosing the starting centres of K-Means: k-means++ (as scikit-learn does it)
 * and plain random rows. Both return a flat row-major Float64Array of
 * nClusters × nFeatures.
 */
import { Matrix } from '../matrix';
import { Random } from '../random';
import { sqDist } from './sq-dist';

/** k-means++'s local trials per centre for k clusters: scikit-learn's 2 + ⌊ln k⌋. */
export function localTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii, with scikit-learn's greedy twist):
 * the first centre is a uniformly random row; each later centre is the best of
 * `nLocalTrials` rows drawn with probability ∝ squared distance to the nearest
 * centre so far, "best" meaning the one that lowers the total potential most.
 * Returns the centres as a flat nClusters × nFeatures array.
 */
export function kmeansPlusPlus(X: Matrix, nClusters: number, rng: Random, nLocalTrials?: number): Float64Array {
  return rowsOf(X, kmeansPlusPlusRows(X, nClusters, rng, nLocalTrials));
}

/** The given rows of X as a flat centres array; a row of −1 leaves its centre at 0. */
export function rowsOf(X: Matrix, rows: Int32Array): Float64Array {
  const d = X.cols;
  const centers = new Float64Array(rows.length * d);
  rows.forEach((row, c) => {
    if (row >= 0) centers.set(X.data.subarray(row * d, row * d + d), c * d);
  });
  return centers;
}

/**
 * The rows k-means++ picks, in order (GaussianMixture's 'k-means++' init wants rows, not
 * centres). A row is −1 only when squared distances overflow to Infinity, so that no
 * candidate lowers the potential; that centre is then left at 0 by `kmeansPlusPlus`.
 */
export function kmeansPlusPlusRows(
  { data: X, rows: n, cols: d }: Matrix,
  nClusters: number,
  rng: Random,
  nLocalTrials = localTrials(nClusters),
): Int32Array {
  const rows = new Int32Array(nClusters);
  rows[0] = rng.int(n);

  // Squared distance of each row to its nearest centre so far, its cumulative
  // sums for sampling, and the same for the current and the best trial.
  let closest = new Float64Array(n);
  let best = new Float64Array(n);
  let trial = new Float64Array(n);
  const cumsum = new Float64Array(n);
  let pot = sqDistTo(X, n, d, rows[0], closest);

  for (let c = 1; c < nClusters; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cumsum[i] = acc;
    }
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < nLocalTrials; t++) {
      const id = searchRight(cumsum, rng.random() * pot);
      const trialPot = minSqDistTo(X, n, d, id, closest, trial);
      if (trialPot < bestPot) {
        bestPot = trialPot;
        bestId = id;
        const swap = best;
        best = trial;
        trial = swap;
      }
    }
    const swap = closest;
    closest = best;
    best = swap;
    pot = bestPot;
    rows[c] = bestId;
  }
  return rows;
}

/** `out[i]` = squared distance from row i to row `p`; returns the sum of `out`. */
function sqDistTo(X: Float64Array, n: number, d: number, p: number, out: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = sqDist(X, i * d, X, p * d, d);
    sum += out[i];
  }
  return sum;
}

/**
 * `out[i]` = min(`closest[i]`, squared distance from row i to row `p`); returns
 * the sum of `out`. The minimum is taken by arithmetic on a 0/1 flag (exact)
 * because a branch on it is mispredicted about as often as not.
 */
function minSqDistTo(
  X: Float64Array,
  n: number,
  d: number,
  p: number,
  closest: Float64Array,
  out: Float64Array,
): number {
  let sum = 0;
  if (d === 2) {
    // Written out: the tutorial's case, and faster than through sqDist (measured).
    const p0 = X[2 * p];
    const p1 = X[2 * p + 1];
    for (let i = 0; i < n; i++) {
      const a = X[2 * i] - p0;
      const b = X[2 * i + 1] - p1;
      sum += out[i] = lower(a * a + b * b, closest[i]);
    }
    return sum;
  }
  for (let i = 0; i < n; i++) sum += out[i] = lower(sqDist(X, i * d, X, p * d, d), closest[i]);
  return sum;
}

/** min(a, b), by arithmetic on a 0/1 flag: exact, and no branch to mispredict. */
function lower(a: number, b: number): number {
  const lt = +(a < b);
  return lt * a + (1 - lt) * b;
}

/**
 * First index whose cumulative weight exceeds `r`, clipped to the last index.
 * "Exceeds" rather than "reaches" so that a row of zero weight (a duplicate of
 * a chosen centre) is never picked while some row still has weight.
 */
function searchRight(cumsum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumsum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `nClusters` distinct rows chosen uniformly at random (Random.sample). */
export function randomRows(
  X: Float64Array,
  nSamples: number,
  nFeatures: number,
  nClusters: number,
  rng: Random,
): Float64Array {
  const d = nFeatures;
  const order = rng.sample(nSamples, nClusters);
  const centers = new Float64Array(nClusters * d);
  order.forEach((i, c) => centers.set(X.subarray(i * d, i * d + d), c * d));
  return centers;
}
