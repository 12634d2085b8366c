/**
 * The executable specification of the WebAssembly Lloyd kernel (src/cluster/fast/lloyd-kernel.wat),
 * in scalar TypeScript: `pass2` (one or two features) and `widePass` (more) compute the same
 * labels, counts and sums, in the same order, as the kernel's `pass2` and `passWide` (one
 * feature goes through `widePass` here and through the kernel's `pass2`, padded; tested in
 * kmeans-kernel.test.ts). The kernel's `passBounded` gives the same labels and counts, and the
 * sums to rounding (kmeans-bounds.test.ts). Node always has WebAssembly SIMD, so the library runs only the
 * kernel (and, where it cannot, the plain assignment of src/cluster/lloyd.ts).
 *
 * The pass works on a row range [start, end) and only adds into the accumulator it is given.
 */

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
  origin: Float64Array,
): number {
  if (nFeatures === 2) return pass2(X, start, end, centers, nClusters, labels, acc);
  // Like the WebAssembly kernel, the expanded form from 3 features on.
  return widePass(X, nFeatures, start, end, centers, nClusters, labels, acc, origin);
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

/** The centres less r (k × d), and each one's constant term ‖c′‖² + 2 r·c′ (the kernel's `centres` writes the same into its tiles). */
export function shiftedCentres(centers: Float64Array, k: number, d: number, r: Float64Array): { cs: Float64Array; bias: Float64Array } {
  const cs = new Float64Array(k * d);
  const bias = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const v = centers[c * d + j] - r[j];
      cs[c * d + j] = v;
      bias[c] += v * v + 2 * r[j] * v;
    }
  }
  return { cs, bias };
}

/**
 * The Lloyd pass for rows with many features (see `assignAndAccumulate` in
 * ./lloyd, whose contract this follows).
 *
 * With r the mean of the data (`origin`) and c′ = c − r,
 *   ‖x − c‖² = (‖x‖² − 2 x·r + ‖r‖²) − 2 x·c′ + (‖c′‖² + 2 r·c′),
 * and the bracket is the same for every centre, so the nearest centre
 * minimises (‖c′‖² + 2 r·c′) − 2 x·c′: one multiply-add per feature instead of
 * a subtract, a multiply and an add. x·c′ is summed as the kernel's two vector lanes sum it:
 * the even features in order, the odd ones in order, then the two sums added (`pairedDot`).
 * Summed in another order, rows within rounding of a tie between two centres can take the
 * other centre (found on rows on the bisector of two centres 10⁵ from the origin).
 * Measuring from r (within the data) rather than from 0 keeps the rounding
 * error proportional to the spread of the data, not to their distance from 0 —
 * the reason scikit-learn centres X first.
 */
export function widePass(
  X: Float64Array,
  d: number,
  start: number,
  end: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  acc: Float64Array,
  origin: Float64Array,
): number {
  const { cs, bias } = shiftedCentres(centers, k, d, origin);
  const dist = new Float64Array(k);
  let changed = 0;
  for (let i = start; i < end; i++) {
    for (let c = 0; c < k; c++) dist[c] = bias[c] - 2 * pairedDot(X, i * d, cs, c * d, d);
    changed += settle(X, d, i, dist, 0, k, labels, acc);
  }
  return changed;
}

/** x·c′ for row x at X[o…] and c′ at cs[oc…]: (Σ even features) + (Σ odd features), each in order. */
export function pairedDot(X: Float64Array, o: number, cs: Float64Array, oc: number, d: number): number {
  let even = 0;
  let odd = 0;
  for (let j = 0; j < d; j += 2) even += X[o + j] * cs[oc + j];
  for (let j = 1; j < d; j += 2) odd += X[o + j] * cs[oc + j];
  return even + odd;
}

/**
 * Label row i with the argmin of dist[off, off + k) (branch-free, the first
 * wins ties), add the row into its cluster's block in the lane of its parity,
 * and return 1 if its label changed.
 */
function settle(
  X: Float64Array,
  d: number,
  i: number,
  dist: Float64Array,
  off: number,
  k: number,
  labels: Int32Array,
  acc: Float64Array,
): number {
  let best = 0;
  let m = dist[off];
  for (let c = 1; c < k; c++) {
    const dd = dist[off + c];
    const lt = +(dd < m);
    best += (c - best) * lt;
    m = lt * dd + (1 - lt) * m;
  }
  const changed = +(labels[i] !== best);
  labels[i] = best;
  const a = ((i & 1) * k + best) * (d + 1);
  const o = i * d;
  for (let j = 0; j < d; j++) acc[a + j] += X[o + j];
  acc[a + d] += 1;
  return changed;
}

