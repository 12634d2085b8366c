/**
 * K-Means on values whose squares overflow double precision (|x| beyond about 1e154):
 * squared distances would be Infinity, inertia Infinity − Infinity = NaN, and every
 * distance comparison a tie. Dividing all values by one power of two is exact, keeps
 * every comparison, and brings the squares back into range; results are scaled back.
 */

/** Above this magnitude the data are rescaled (squares up to 1e200 leave room for sums over many rows). */
const LARGEST_UNSCALED = 1e100;

/**
 * The exponent e such that dividing the arrays' values by 2^e brings the largest to [1, 2),
 * or 0 when they are small enough to use as they are.
 */
export function overflowExponent(...arrays: ArrayLike<number>[]): number {
  let max = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return exponentFor(max);
}

/** `overflowExponent` of values whose largest magnitude is `max`. */
export function exponentFor(max: number): number {
  return max > LARGEST_UNSCALED ? Math.floor(Math.log2(max)) : 0;
}

/** `a` times 2^e (a copy; exact, as long as nothing under- or overflows). */
export function timesPowerOfTwo(a: Float64Array, e: number): Float64Array {
  const out = new Float64Array(a.length);
  // Two steps: 2^e alone over- or underflows for |e| > 1023.
  const half = Math.pow(2, Math.trunc(e / 2)), rest = Math.pow(2, e - Math.trunc(e / 2));
  for (let i = 0; i < a.length; i++) out[i] = a[i] * half * rest;
  return out;
}

/** A squared quantity (inertia, squared distance) computed on data divided by 2^e, brought back. */
export function squaredTimesPowerOfTwo(v: number, e: number): number {
  const p = Math.pow(2, e);
  return v * p * p;
}
