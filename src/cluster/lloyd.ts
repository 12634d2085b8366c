/**
 * The numeric core of K-Means (Lloyd's algorithm) on flat row-major typed arrays, in
 * plain TypeScript. The passes of a fit normally run the WebAssembly kernel
 * (./lloyd-wasm); `assignAndAccumulate` is its fallback where WebAssembly cannot be
 * used, computing the same labels and sums. The rest (final labelling, inertia,
 * empty clusters, centre update) always runs here.
 *
 * The pass works on a row range [start, end) and only adds into the accumulator it
 * is given, so the rows can be split across worker_threads (each with its own
 * accumulator over shared X, centres and labels in SharedArrayBuffers) and the
 * partial results reduced. Nothing allocates per row (the wide pass allocates O(k·d)
 * of set-up per call).
 */

import { sqDist } from './sq-dist';
import { widePass } from './wide-pass';

/**
 * Length of the accumulator a pass adds into: two lanes (even and odd rows) of
 * nClusters blocks [sum of feature 0, …, sum of feature d−1, count]. Two lanes
 * because consecutive rows often fall in the same cluster, and adding both into
 * one memory cell makes each add wait for the previous one.
 */
export function accumulatorLength(nClusters: number, nFeatures: number): number {
  return 2 * nClusters * (nFeatures + 1);
}

/**
 * Add the two lanes of `acc` into per-cluster `sums` (nClusters × nFeatures) and `counts`.
 * Accumulators from several row ranges (e.g. several workers) can be reduced one after another.
 */
export function reduceAccumulator(
  acc: Float64Array,
  nClusters: number,
  nFeatures: number,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const w = nFeatures + 1;
  const lane = nClusters * w;
  for (let c = 0; c < nClusters; c++) {
    for (let j = 0; j < nFeatures; j++) sums[c * nFeatures + j] += acc[c * w + j] + acc[lane + c * w + j];
    counts[c] += acc[c * w + nFeatures] + acc[lane + c * w + nFeatures];
  }
}

/**
 * The Lloyd pass over rows [start, end): assign each row to its nearest centre
 * (squared Euclidean; the first centre wins exact ties — up to rounding in the
 * expanded form used for 3+ features), write the labels, and
 * add each row and a count of 1 into its cluster's block of `acc` (see
 * `accumulatorLength`; the caller zeroes it). Returns how many labels changed.
 *
 * The argmin is written without branches (`lt` is 0 or 1 and selects by
 * arithmetic, which is exact): which centre is nearest is unpredictable from row
 * to row, and mispredicted branches cost more than the distances themselves.
 * Two rows are handled per step so that their dependency chains overlap.
 */
export function assignAndAccumulate(
  X: Float64Array,
  nFeatures: number,
  start: number,
  end: number,
  centers: Float64Array,
  nClusters: number,
  labels: Int32Array,
  acc: Float64Array,
): number {
  if (nFeatures === 2) return pass2(X, start, end, centers, nClusters, labels, acc);
  // Like the WebAssembly kernel (./lloyd-wasm), the expanded form from 3 features on.
  return widePass(X, nFeatures, start, end, centers, nClusters, labels, acc);
}

// Two features (the tutorial's main case): everything stays in registers.
function pass2(
  X: Float64Array,
  start: number,
  end: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  acc: Float64Array,
): number {
  const lane = 3 * k;
  const c00 = centers[0];
  const c01 = centers[1];
  let changed = 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const x0 = X[2 * i], x1 = X[2 * i + 1];
    const y0 = X[2 * i + 2], y1 = X[2 * i + 3];
    let a = x0 - c00, b = x1 - c01;
    let mx = a * a + b * b, bx = 0;
    a = y0 - c00; b = y1 - c01;
    let my = a * a + b * b, by = 0;
    for (let c = 1; c < k; c++) {
      const c0 = centers[2 * c], c1 = centers[2 * c + 1];
      a = x0 - c0; b = x1 - c1;
      const dx = a * a + b * b;
      const lx = +(dx < mx);
      bx += (c - bx) * lx;
      mx = lx * dx + (1 - lx) * mx;
      a = y0 - c0; b = y1 - c1;
      const dy = a * a + b * b;
      const ly = +(dy < my);
      by += (c - by) * ly;
      my = ly * dy + (1 - ly) * my;
    }
    changed += +(labels[i] !== bx) + +(labels[i + 1] !== by);
    labels[i] = bx;
    labels[i + 1] = by;
    acc[3 * bx] += x0; acc[3 * bx + 1] += x1; acc[3 * bx + 2] += 1;
    acc[lane + 3 * by] += y0; acc[lane + 3 * by + 1] += y1; acc[lane + 3 * by + 2] += 1;
  }
  if (i < end) {
    const x0 = X[2 * i], x1 = X[2 * i + 1];
    let bx = 0, mx = Infinity;
    for (let c = 0; c < k; c++) {
      const a = x0 - centers[2 * c], b = x1 - centers[2 * c + 1];
      const dx = a * a + b * b;
      if (dx < mx) { mx = dx; bx = c; }
    }
    changed += +(labels[i] !== bx);
    labels[i] = bx;
    acc[3 * bx] += x0; acc[3 * bx + 1] += x1; acc[3 * bx + 2] += 1;
  }
  return changed;
}

/**
 * Assign rows [start, end) to their nearest centre without moving the centres;
 * returns the sum of squared distances to those centres (the inertia).
 * Branch-free argmin as in `assignAndAccumulate`, one row at a time.
 */
export function assignOnly(
  X: Float64Array,
  nFeatures: number,
  start: number,
  end: number,
  centers: Float64Array,
  nClusters: number,
  labels: Int32Array,
): number {
  const d = nFeatures;
  let inertia = 0;
  for (let i = start; i < end; i++) {
    let best = 0;
    let m = sqDist(X, i * d, centers, 0, d);
    for (let c = 1; c < nClusters; c++) {
      const dd = sqDist(X, i * d, centers, c * d, d);
      const lt = +(dd < m);
      best += (c - best) * lt;
      m = lt * dd + (1 - lt) * m;
    }
    labels[i] = best;
    inertia += m;
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
