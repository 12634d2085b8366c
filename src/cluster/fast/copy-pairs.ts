/**
 * X with two features into ./wasm-pass's layout, with ../data-stats's statistics: the
 * two-feature counterpart of the kernel's `layout`.
 */
import { DataStats, finishStats } from '../data-stats';

/**
 * Two features: the layout is X itself (a block copy), and the sums go in local variables, two
 * rows at a time, so that no running sum waits for the one before it (4× faster than through
 * arrays, where 4 sums of one row each form a chain as long as X).
 */
export function copyPairs(f: Float64Array, X: Float64Array, n: number): DataStats {
  f.set(X.subarray(0, 2 * n));
  f.fill(0, 2 * n); // the padding row of an odd n
  const x0 = X[0];
  const x1 = X[1];
  let s0 = 0, s1 = 0, q0 = 0, q1 = 0, t0 = 0, t1 = 0, r0 = 0, r1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = X[2 * i] - x0;
    const b = X[2 * i + 1] - x1;
    const c = X[2 * i + 2] - x0;
    const e = X[2 * i + 3] - x1;
    s0 += a;
    q0 += a * a;
    s1 += b;
    q1 += b * b;
    t0 += c;
    r0 += c * c;
    t1 += e;
    r1 += e * e;
  }
  if (i < n) {
    const a = X[2 * i] - x0;
    const b = X[2 * i + 1] - x1;
    s0 += a;
    q0 += a * a;
    s1 += b;
    q1 += b * b;
  }
  return finishStats(Float64Array.of(s0 + t0, s1 + t1), Float64Array.of(q0 + r0, q1 + r1), X.subarray(0, 2), n);
}
