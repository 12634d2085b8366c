/**
 * Lloyd's algorithm for K-Means: from starting centres, repeat
 *   assign: label every point with its nearest centre;
 *   update: move every centre to the mean of its points (an empty cluster takes the point
 *           farthest from its centre, as in scikit-learn);
 * until no label changes or the centres move less than the tolerance.
 *
 * The assignment runs as a pass over the data given to `lloyd` (./fast: the WebAssembly SIMD
 * kernel, on worker threads for large data), which also sums each cluster's points for the
 * update; `assignAndSum` below is the same step written plainly, and the fast pass's fallback.
 */
import { sqDist } from './sq-dist';

/** The result of one run from one set of starting centres. */
export interface RunResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/**
 * The assignment step over all rows: label each with its nearest centre (into the labels
 * `lloyd` was given) and add it into its cluster's `sums` (k × d) and `counts`, which the
 * caller zeroes. Returns how many labels changed.
 */
export type AssignStep = (centers: Float64Array, sums: Float64Array, counts: Float64Array) => number;

/**
 * The end of a run: the inertia of the final `centers`, after labelling every row with its
 * nearest one when `relabel` is set (else the labels are already theirs). Returns the inertia.
 */
export type FinishStep = (centers: Float64Array, relabel: boolean) => number;

/**
 * One run of Lloyd's algorithm from `initial` (k × d), ending like scikit-learn's
 * `_kmeans_single_lloyd`; `labels` (n) is where `assign` and `finish` write, and the result's
 * labels are that same array (the caller copies the run it keeps: the next run reuses it).
 * `finish` defaults to the plain `assignLabels` / `inertiaForLabels` below.
 */
export function lloyd(
  X: Float64Array, n: number, d: number, assign: AssignStep, labels: Int32Array, initial: Float64Array, maxIter: number, tolAbs: number,
  finish: FinishStep = (centers, relabel) => (relabel ? assignLabels(X, d, 0, n, centers, initial.length / d, labels) : inertiaForLabels(X, d, 0, n, centers, labels)),
): RunResult {
  const k = initial.length / d;
  let centers = initial;
  let next = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  labels.fill(-1);
  let strict = false;
  let it = 0;
  for (; it < maxIter; it++) {
    sums.fill(0);
    counts.fill(0);
    const changed = assign(centers, sums, counts);
    relocateEmptyClusters(X, d, n, centers, k, labels, sums, counts);
    const shift = updateCenters(sums, counts, centers, next, k, d);
    [centers, next] = [next, centers];
    if (changed === 0) {
      strict = true;
      break;
    }
    if (shift <= tolAbs) break;
  }
  const nIter = Math.min(it + 1, maxIter);
  // Unless the labels stopped changing, they belong to the previous centres: reassign.
  const inertia = finish(centers, !strict);
  return { centers, labels, inertia, nIter };
}

/**
 * The centre nearest to row i of X (squared Euclidean distance; the first of equally near
 * centres wins); its squared distance goes to distance[0] when `distance` is given. Written without branches (`lt` is 0 or 1 and selects by arithmetic, which
 * is exact): which centre is nearest is unpredictable from row to row, and mispredicted
 * branches cost more than the distances themselves.
 */
export function nearestCentre(X: Float64Array, d: number, i: number, centers: Float64Array, k: number, distance?: Float64Array): number {
  let best = 0;
  let m = sqDist(X, i * d, centers, 0, d);
  for (let c = 1; c < k; c++) {
    const dd = sqDist(X, i * d, centers, c * d, d);
    const lt = +(dd < m);
    best += (c - best) * lt;
    m = lt * dd + (1 - lt) * m;
  }
  if (distance !== undefined) distance[0] = m;
  return best;
}

/** The assignment step, plainly, over rows [start, end): see `AssignStep`. */
export function assignAndSum(
  X: Float64Array, d: number, start: number, end: number, centers: Float64Array, k: number,
  labels: Int32Array, sums: Float64Array, counts: Float64Array,
): number {
  let changed = 0;
  for (let i = start; i < end; i++) {
    const c = nearestCentre(X, d, i, centers, k);
    changed += +(labels[i] !== c);
    labels[i] = c;
    for (let j = 0; j < d; j++) sums[c * d + j] += X[i * d + j];
    counts[c] += 1;
  }
  return changed;
}

/**
 * Assign rows [start, end) to their nearest centre without moving the centres;
 * returns the sum of squared distances to those centres (the inertia).
 */
export function assignLabels(X: Float64Array, d: number, start: number, end: number, centers: Float64Array, k: number, labels: Int32Array): number {
  const distance = new Float64Array(1);
  let inertia = 0;
  for (let i = start; i < end; i++) {
    labels[i] = nearestCentre(X, d, i, centers, k, distance);
    inertia += distance[0];
  }
  return inertia;
}

/** Sum over rows [start, end) of the squared distance to the centre their label names. */
export function inertiaForLabels(X: Float64Array, d: number, start: number, end: number, centers: Float64Array, labels: Int32Array): number {
  let inertia = 0;
  for (let i = start; i < end; i++) inertia += sqDist(X, i * d, centers, labels[i] * d, d);
  return inertia;
}

/**
 * Give every empty cluster a point, as scikit-learn does: the points farthest
 * from their (old) centres move to the empty clusters, one each, and their
 * coordinates are taken out of their old cluster's sums. Labels are left as
 * they are; the next assignment pass settles them. Runs on the whole data, and
 * only when some cluster is empty, so it may allocate.
 */
export function relocateEmptyClusters(
  X: Float64Array,
  nFeatures: number,
  nSamples: number,
  oldCenters: Float64Array,
  nClusters: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const empty: number[] = [];
  for (let c = 0; c < nClusters; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const d = nFeatures;
  const far = farthestPoints(X, d, nSamples, oldCenters, labels, empty.length);
  for (let e = 0; e < empty.length; e++) {
    const target = empty[e];
    const i = far[e];
    const source = labels[i];
    for (let j = 0; j < d; j++) {
      sums[source * d + j] -= X[i * d + j];
      sums[target * d + j] = X[i * d + j];
    }
    counts[source] -= 1;
    counts[target] = 1;
  }
}

/** Indices of the `m` rows farthest from their labelled centre, farthest first. */
function farthestPoints(
  X: Float64Array,
  d: number,
  n: number,
  centers: Float64Array,
  labels: Int32Array,
  m: number,
): number[] {
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = inertiaForLabels(X, d, i, i + 1, centers, labels);
  // m is at most the number of clusters, so m linear scans beat a sort of n values.
  const chosen: number[] = [];
  for (let t = 0; t < m; t++) {
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) {
      if (dist[i] > bestD) {
        bestD = dist[i];
        best = i;
      }
    }
    chosen.push(best);
    dist[best] = -Infinity;
  }
  return chosen;
}

/**
 * New centres = sums / counts; a cluster with no points (possible only in a
 * degenerate relocation) keeps its old centre. Returns the squared Frobenius
 * norm of the shift, which scikit-learn compares with `tol`.
 */
export function updateCenters(
  sums: Float64Array,
  counts: Float64Array,
  oldCenters: Float64Array,
  newCenters: Float64Array,
  nClusters: number,
  nFeatures: number,
): number {
  let shift = 0;
  for (let c = 0; c < nClusters; c++) {
    const n = counts[c];
    for (let j = 0; j < nFeatures; j++) {
      const k = c * nFeatures + j;
      const v = n > 0 ? sums[k] / n : oldCenters[k];
      const t = v - oldCenters[k];
      shift += t * t;
      newCenters[k] = v;
    }
  }
  return shift;
}
