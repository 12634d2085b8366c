/**
 * The fast pieces of the EM pass: the exponential against Math.exp, and the fused pass for
 * full/tied covariances (d = 2 unrolled, others on the WebAssembly kernel) against the
 * library's reference E-step, at dimensions and row counts that exercise every remainder of
 * the kernel's tiles.
 */
import { expect } from 'chai';
import { Random } from '../src/random';
import { eStep } from '../src/mixture/e-step';
import { expNonPositive } from '../src/mixture/fast/exp';
import { allocScratch, emPass } from '../src/mixture/fast/pass';
import { allocPrepared, prepareComponents } from '../src/mixture/fast/prepared';
import { allocSums } from '../src/mixture/fast/sums';
import { MixtureParams } from '../src/mixture/params';
import { randomParams } from './support/random-params';

const ULP = 2.220446049250313e-16;

describe('expNonPositive', () => {
  it('is within 2 ulp of Math.exp on [-745, 0]', () => {
    const rng = new Random(11);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      // Uniform on a log scale too, so that tiny arguments (exp ≈ 1) are well covered.
      const t = i % 2 ? -rng.random() * 708 : -Math.exp(rng.uniform(-40, 6));
      const want = Math.exp(t);
      worst = Math.max(worst, Math.abs(expNonPositive(t) - want) / want);
    }
    expect(worst).to.be.at.most(2 * ULP);
  });

  it('is exact at 0 and hands subnormal results, -Infinity and NaN to Math.exp', () => {
    expect(expNonPositive(0)).to.equal(1);
    expect(expNonPositive(-0)).to.equal(1);
    for (const t of [-708.5, -730, -745.2, -746, -1e6, -Infinity]) expect(expNonPositive(t)).to.equal(Math.exp(t));
    expect(expNonPositive(NaN)).to.be.NaN;
  });
});

/**
 * Σ log p(x), and R = Σ γ, s = Σ γ (x − μ), S = Σ γ (x − μ)(x − μ)ᵀ (upper triangle) about
 * the means, from the responsibilities of the reference E-step.
 */
function reference(x: Float64Array, N: number, p: MixtureParams) {
  const { K, d, means } = p;
  const { resp, meanLogLikelihood } = eStep({ rows: N, cols: d, data: x.subarray(0, N * d) }, p);
  const nk = new Float64Array(K), s = new Float64Array(K * d), S = new Float64Array(K * d * d);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      const r = resp[i * K + k];
      nk[k] += r;
      for (let j = 0; j < d; j++) {
        const dj = x[i * d + j] - means[k * d + j];
        s[k * d + j] += r * dj;
        for (let t = j; t < d; t++) S[k * d * d + j * d + t] += r * dj * (x[i * d + t] - means[k * d + t]);
      }
    }
  }
  return { ll: meanLogLikelihood * N, nk, s, S };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).to.be.at.most(tol * scale);
  }
}

describe('fused EM pass (full and tied covariance; d = 2 unrolled, others blocked)', () => {
  for (const type of ['full', 'tied'] as const) {
    for (const [d, offset] of [[1, 0], [2, 0], [2, 1e6], [3, 0], [4, 0], [5, 0], [16, 0], [17, 0], [5, 1e6], [16, -1e5]]) {
      it(`${type}, d = ${d}${offset ? `, data at ${offset}` : ''}: log-likelihood and sums match the reference E-step`, () => {
        const rng = new Random(100 + d);
        const K = 3;
        const N = 101; // three blocks of 32 and a remainder of 5 (not a multiple of 4)
        const p = randomParams(rng, type, K, d, offset);
        const kern = allocPrepared(type, K, d);
        prepareComponents(p, kern);
        const x = new Float64Array(N * d);
        for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) x[i * d + j] = p.means[(i % K) * d + j] + rng.normal(0, 1.2);
        const want = reference(x, N, p);
        const sums = allocSums(type, K, d);
        const ll = emPass(x, 0, N, kern, sums, allocScratch(K, d), true);
        expect(ll).to.be.closeTo(want.ll, 1e-12 * Math.abs(want.ll));
        expectClose(sums.nk, want.nk, 1e-12, 'nk');
        expectClose(sums.s, want.s, 1e-12, 's');
        // Only the upper triangle is kept: the lower one must stay untouched (zero).
        expectClose(sums.S, want.S, 1e-12, 'S');
      });
    }
  }

  it('a range [start, end) inside the data touches only those rows', () => {
    const rng = new Random(7);
    const K = 2, d = 6, N = 70;
    const p = randomParams(rng, 'full', K, d);
    const kern = allocPrepared('full', K, d);
    prepareComponents(p, kern);
    const x = new Float64Array(N * d);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal(0, 2);
    const want = reference(x.subarray(13 * d, 50 * d), 37, p);
    const sums = allocSums('full', K, d);
    const ll = emPass(x, 13, 50, kern, sums, allocScratch(K, d), true);
    expect(ll).to.be.closeTo(want.ll, 1e-12 * Math.abs(want.ll));
    expectClose(sums.S, want.S, 1e-12, 'S');
  });
});
