/**
 * What K-Means needs to know about X before Lloyd's loop, gathered in one pass over it:
 * whether every value is finite (input validation), the largest magnitude (./overflow), and the
 * mean per-feature variance (the scale of `tol`). The fast path gathers the same while it
 * copies X into its kernel's layout (fast/wasm-pass.ts), so a fit reads X once before Lloyd.
 */

export interface DataStats {
  /** False if some value is NaN or ±Infinity (or the sums overflowed: check the values themselves). */
  finite: boolean;
  /** The largest |x|. */
  maxAbs: number;
  /** Mean over features of the per-feature (population) variance. */
  meanVariance: number;
}

/**
 * The statistics from per-feature sums of x − x₀ and of (x − x₀)², x₀ being the first row.
 * Measuring from a data point rather than from 0 keeps the one-pass variance accurate for
 * data far from the origin: the cancellation in q − s²/n is only as bad as the spread of the
 * data around x₀, not their distance from 0.
 */
export function finishStats(sums: Float64Array, squares: Float64Array, maxAbs: number, n: number): DataStats {
  const d = sums.length;
  let total = 0;
  let finite = maxAbs - maxAbs === 0;
  for (let j = 0; j < d; j++) {
    finite = finite && squares[j] - squares[j] === 0;
    total += Math.max(0, (squares[j] - (sums[j] * sums[j]) / n) / n);
  }
  return { finite, maxAbs, meanVariance: total / d };
}

/** The statistics of X (n × d, row-major) in one pass. */
export function dataStats(X: Float64Array, n: number, d: number): DataStats {
  const sums = new Float64Array(d);
  const squares = new Float64Array(d);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j];
      const t = v - X[j];
      sums[j] += t;
      squares[j] += t * t;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  return finishStats(sums, squares, maxAbs, n);
}
