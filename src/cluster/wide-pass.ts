/**
 * The Lloyd pass for rows with many features (see `assignAndAccumulate` in
 * ./lloyd, whose contract this follows).
 *
 * With r the mean of the centres and c′ = c − r,
 *   ‖x − c‖² = (‖x‖² − 2 x·r + ‖r‖²) − 2 x·c′ + (‖c′‖² + 2 r·c′),
 * and the bracket is the same for every centre, so the nearest centre
 * minimises (‖c′‖² + 2 r·c′) − 2 x·c′: one multiply-add per feature instead of
 * a subtract, a multiply and an add. The dot products are computed for a tile
 * of 4 rows × 2 centres so that each loaded value feeds several of them.
 * Measuring from r (near the data) rather than from the origin keeps the
 * rounding error proportional to the spread of the centres, not to their
 * distance from the origin — the reason scikit-learn centres X first.
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
): number {
  const { cs, bias } = shiftedCentres(centers, k, d);
  const dist = new Float64Array(4 * k); // rows of the current tile × centres
  let changed = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    tileDistances(X, d, i, cs, bias, k, dist);
    for (let t = 0; t < 4; t++) changed += settle(X, d, i + t, dist, t * k, k, labels, acc);
  }
  for (; i < end; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[o + j] * cs[c * d + j];
      dist[c] = bias[c] - 2 * s;
    }
    changed += settle(X, d, i, dist, 0, k, labels, acc);
  }
  return changed;
}

/** The centres less their mean r (k × d), and each one's constant term ‖c′‖² + 2 r·c′. */
export function shiftedCentres(centers: Float64Array, k: number, d: number): { cs: Float64Array; bias: Float64Array } {
  const r = new Float64Array(d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) r[j] += centers[c * d + j] / k;
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

/** dist[t·k + c] = bias[c] − 2 x_{i+t}·c′ for the 4 rows from i. */
function tileDistances(
  X: Float64Array,
  d: number,
  i: number,
  cs: Float64Array,
  bias: Float64Array,
  k: number,
  dist: Float64Array,
): void {
  const o0 = i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
  let c = 0;
  for (; c + 1 < k; c += 2) {
    const ca = c * d, cb = ca + d;
    let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
    for (let j = 0; j < d; j++) {
      const a = cs[ca + j], b = cs[cb + j];
      const x0 = X[o0 + j], x1 = X[o1 + j], x2 = X[o2 + j], x3 = X[o3 + j];
      s00 += x0 * a; s01 += x0 * b;
      s10 += x1 * a; s11 += x1 * b;
      s20 += x2 * a; s21 += x2 * b;
      s30 += x3 * a; s31 += x3 * b;
    }
    const ba = bias[c], bb = bias[c + 1];
    dist[c] = ba - 2 * s00; dist[c + 1] = bb - 2 * s01;
    dist[k + c] = ba - 2 * s10; dist[k + c + 1] = bb - 2 * s11;
    dist[2 * k + c] = ba - 2 * s20; dist[2 * k + c + 1] = bb - 2 * s21;
    dist[3 * k + c] = ba - 2 * s30; dist[3 * k + c + 1] = bb - 2 * s31;
  }
  if (c < k) {
    // an odd number of centres: the last one alone
    const ca = c * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const a = cs[ca + j];
      s0 += X[o0 + j] * a; s1 += X[o1 + j] * a;
      s2 += X[o2 + j] * a; s3 += X[o3 + j] * a;
    }
    const b = bias[c];
    dist[c] = b - 2 * s0; dist[k + c] = b - 2 * s1;
    dist[2 * k + c] = b - 2 * s2; dist[3 * k + c] = b - 2 * s3;
  }
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
