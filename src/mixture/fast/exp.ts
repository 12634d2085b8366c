/**
 * exp(t) for t ≤ 0, several times faster than Math.exp in V8 (which calls out to
 * C for every value). The EM pass takes one exponential per point and component, and
 * at low dimension those calls were most of its time.
 *
 * Method (as in most libm's): t = (32m' + j)·ln2/32 + r with |r| ≤ ln2/64, so
 * exp(t) = 2^(j/32) · 2^m' · exp(r); 2^(j/32) and 2^m' come from tables, exp(r) from
 * its Taylor polynomial to degree 7 (truncation < 4e-18). ln2/32 is split in a high
 * part with trailing zero bits and a low part (Cody–Waite) so that r is exact.
 * Within 2 ulp of Math.exp (tested); results below e^-708 (subnormal, or 0) and NaN go
 * to Math.exp itself.
 */

const STEPS = 32;
/** 2^(j/32), j = 0..31. */
const FRACTIONS = new Float64Array(STEPS);
for (let j = 0; j < STEPS; j++) FRACTIONS[j] = Math.pow(2, j / STEPS);
/** 2^-m for the m that t ≥ -708 can need (halving a power of two is exact). */
const POWERS = new Float64Array(1024);
POWERS[0] = 1;
for (let m = 1; m < POWERS.length; m++) POWERS[m] = POWERS[m - 1] * 0.5;

const INV_STEP = STEPS / Math.LN2;
// fdlibm's split of ln 2 (the high part has 21 trailing zero bits), divided by 32 exactly.
const STEP_HI = 6.93147180369123816490e-1 / STEPS;
const STEP_LO = 1.90821492927058770002e-10 / STEPS;
/** Adding and subtracting 1.5·2^52 rounds a double of magnitude < 2^51 to the nearest integer. */
const ROUND = 6755399441055744;

export function expNonPositive(t: number): number {
  if (!(t >= -708)) return Math.exp(t);
  const kf = t * INV_STEP + ROUND - ROUND;
  const r = t - kf * STEP_HI - kf * STEP_LO;
  const k = kf | 0; // ≤ 0: k = -32m + j with 0 ≤ j < 32
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return FRACTIONS[k & (STEPS - 1)] * POWERS[-(k >> 5)] * p;
}
