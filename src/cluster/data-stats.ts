/**
 * What K-Means needs to know about X before Lloyd's loop, gathered in one pass over it:
 * whether every value is finite (input validation), a bound on the largest magnitude (./overflow
 * scans for the exact one only when the bound is beyond its threshold), and the mean
 * per-feature variance (the scale of `tol`). The fast path gathers the same while it
 * copies X into its kernel's layout (fast/wasm-pass.ts), so a fit reads X once before Lloyd.
 */

export interface DataStats {
  /** False if some value is NaN or ±Infinity (or the sums overflowed: check the values themselves). */
  finite: boolean;
  /**
   * At least the largest |x|: max over features of |x₀| + √(Σ (x − x₀)²). A bound rather than
   * the maximum because tracking a maximum per value costs a mispredicted branch or a slow
   * Math.max per value; the bound is exact enough to tell that no value is near overflow.
   */
  maxAbsBound: number;
  /** Mean over features of the per-feature (population) variance. */
  meanVariance: number;
}

/**
 * The statistics from per-feature sums of x − x₀ and of (x − x₀)², x₀ being the first row.
 * Measuring from a data point rather than from 0 keeps the one-pass variance accurate for
 * data far from the origin: the cancellation in q − s²/n is only as bad as the spread of the
 * data around x₀, not their distance from 0.
 */
export function finishStats(sums: Float64Array, squares: Float64Array, first: ArrayLike<number>, n: number): DataStats {
  const d = sums.length;
  let total = 0;
  let finite = true;
  let maxAbsBound = 0;
  for (let j = 0; j < d; j++) {
    finite = finite && squares[j] - squares[j] === 0;
    total += Math.max(0, (squares[j] - (sums[j] * sums[j]) / n) / n);
    maxAbsBound = Math.max(maxAbsBound, Math.abs(first[j]) + Math.sqrt(squares[j]));
  }
  return { finite, maxAbsBound, meanVariance: total / d };
}

/** The statistics of X (n × d, row-major) in one pass. */
export function dataStats(X: Float64Array, n: number, d: number): DataStats {
  const sums = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = X[i * d + j] - X[j];
      sums[j] += t;
      squares[j] += t * t;
    }
  }
  return finishStats(sums, squares, X.subarray(0, d), n);
}
