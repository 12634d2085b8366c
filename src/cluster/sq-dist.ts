/**
 * Squared Euclidean distance between row `a` of A and row `b` of B (offsets into flat
 * row-major arrays, d features): the one definition shared by the initialisations, the
 * final labelling and inertia, and transform(). Two partial sums break the chain of
 * additions; d = 2 (the tutorial's case) is written out.
 */
export function sqDist(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  if (d === 2) {
    const t0 = A[a] - B[b];
    const t1 = A[a + 1] - B[b + 1];
    return t0 * t0 + t1 * t1;
  }
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const t0 = A[a + j] - B[b + j];
    const t1 = A[a + j + 1] - B[b + j + 1];
    s0 += t0 * t0;
    s1 += t1 * t1;
  }
  if (j < d) {
    const t = A[a + j] - B[b + j];
    s0 += t * t;
  }
  return s0 + s1;
}
