/**
 * The WebAssembly kernel of the blocked EM pass (src/mixture/fast/wasm-pass.ts) against its
 * executable specification in scalar TypeScript (./support/em-pass-blocked-scalar): the same
 * log-likelihood and sums bit for bit, at
 * dimensions and row counts that exercise every remainder of its tiles (odd d, d not a
 * multiple of 8, blocks of fewer than 8 rows), with and without skipped responsibilities.
 */
import { expect } from 'chai';
import { Random } from '../src/random';
import { allocScratch, emPass } from '../src/mixture/fast/pass';
import { allocPrepared, prepareComponents } from '../src/mixture/fast/prepared';
import { SKIP_BELOW, Sums, allocSums } from '../src/mixture/fast/sums';
import { BLOCK } from '../src/mixture/fast/block';
import { Scratch, emPassBlockedScalar } from './support/em-pass-blocked-scalar';
import { randomParams } from './support/random-params';
import { webAssembly } from '../src/wasm';

function setup(seed: number, type: 'full' | 'tied', K: number, d: number, N: number, spread: number) {
  const rng = new Random(seed);
  const p = randomParams(rng, type, K, d, 3, spread);
  const kern = allocPrepared(type, K, d);
  prepareComponents(p, kern);
  const x = new Float64Array(N * d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) x[i * d + j] = p.means[(i % K) * d + j] + rng.normal(0, 1.3);
  return { kern, x };
}

const all = (s: Sums) => [...s.nk, ...s.s, ...s.S, ...s.skipped];

/** The specification's pass, with the scratch it needs besides the library's. */
function scalarPass(x: Float64Array, start: number, end: number, kern: ReturnType<typeof allocPrepared>, sums: Sums, exact: boolean): number {
  const { K, d } = kern;
  const scratch: Scratch = {
    ...allocScratch(K, d), D: new Float64Array(BLOCK * d), RD: new Float64Array(BLOCK * d), maha: new Float64Array(BLOCK),
  };
  return emPassBlockedScalar(x, start, end, kern, sums, scratch, exact ? -Infinity : SKIP_BELOW);
}

describe('EM pass on the WebAssembly kernel (d > 2, full and tied)', () => {
  it('runs here (Node has WebAssembly SIMD)', () => {
    expect(webAssembly()).to.not.equal(undefined);
  });

  for (const type of ['full', 'tied'] as const) {
    for (const [d, K, start, end, spread] of [
      [3, 2, 0, 101, 1], [4, 3, 5, 38, 1], [5, 4, 0, 70, 8], [7, 3, 1, 64, 1],
      [8, 2, 0, 33, 1], [9, 5, 3, 99, 6], [16, 8, 0, 200, 4], [17, 3, 2, 77, 1], [24, 2, 0, 45, 1],
    ]) {
      it(`${type}, d = ${d}, K = ${K}, rows [${start}, ${end})${spread > 1 ? ', well separated' : ''}: identical to the scalar pass`, () => {
        const { kern, x } = setup(1000 + d * 10 + K, type, K, d, end + 3, spread);
        for (const exact of [false, true]) {
          const scalar = allocSums(type, K, d), fast = allocSums(type, K, d);
          const llScalar = scalarPass(x, start, end, kern, scalar, exact);
          const llFast = emPass(x, start, end, kern, fast, allocScratch(K, d), exact);
          expect(llFast).to.equal(llScalar);
          expect(all(fast)).to.deep.equal(all(scalar));
          if (spread > 1 && !exact) expect(scalar.skipped.some((v) => v > 0), 'some responsibilities skipped').to.equal(true);
        }
      });
    }
  }

  it('grows its memory for a larger problem after a smaller one, and back', () => {
    for (const [d, K] of [[3, 2], [40, 12], [5, 3]]) {
      const { kern, x } = setup(7 + d, 'full', K, d, 50, 1);
      const scalar = allocSums('full', K, d), fast = allocSums('full', K, d);
      const ll = scalarPass(x, 0, 50, kern, scalar, true);
      expect(emPass(x, 0, 50, kern, fast, allocScratch(K, d), true)).to.equal(ll);
      expect(all(fast)).to.deep.equal(all(scalar));
    }
  });
});
