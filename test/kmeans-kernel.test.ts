/**
 * The WebAssembly SIMD Lloyd pass (src/cluster/fast/wasm-pass.ts), through the planLloyd /
 * lloydPass entry points KMeans uses, against its executable specification in scalar
 * TypeScript (./support/lloyd-pass-scalar, bit for bit) and against the plain assignment step
 * of src/cluster/lloyd.ts (the fallback where the kernel cannot run).
 */
import { expect } from 'chai';
import { CHUNK_ROWS, lloydPass, planLloyd } from '../src/cluster/fast/chunks';
import { labelledInertia } from '../src/cluster/fast/seeding';
import { passInertia } from '../src/cluster/fast/slots';
import { Random } from '../src/random';
import { accumulatorLength, assignAndAccumulate, reduceAccumulator } from './support/lloyd-pass-scalar';

interface PassResult {
  wasm: boolean;
  /** The point the kernel measures from (the mean of X, as it computed it), for the specification. */
  origin: Float64Array;
  changed: number;
  labels: number[];
  sums: Float64Array;
  counts: Float64Array;
}

function runPass(X: Float64Array, n: number, d: number, C: Float64Array, k: number, useWasm: boolean, previous?: number[]): PassResult {
  const pass = planLloyd(X, n, d, k, 1, useWasm);
  if (previous) pass.labels.set(previous);
  else pass.labels.fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const changed = lloydPass(pass, n, d, C, k, sums, counts);
  return { wasm: pass.wasm !== null, origin: pass.wasm?.origin ?? new Float64Array(d), changed, labels: Array.from(pass.labels), sums, counts };
}

/** The specification's pass over all rows, measuring from `origin` as the kernel does. */
function specPass(X: Float64Array, n: number, d: number, C: Float64Array, k: number, origin: Float64Array): PassResult {
  const labels = new Int32Array(n).fill(-1);
  const acc = new Float64Array(accumulatorLength(k, d));
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let changed = 0;
  // Chunk by chunk, as the kernel's slots are reduced.
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    acc.fill(0);
    changed += assignAndAccumulate(X, d, start, Math.min(n, start + CHUNK_ROWS), C, k, labels, acc, origin);
    reduceAccumulator(acc, k, d, sums, counts);
  }
  return { wasm: false, origin, changed, labels: Array.from(labels), sums, counts };
}

function data(n: number, d: number, k: number, seed: number, offset = 0): { X: Float64Array; C: Float64Array } {
  const rng = new Random(seed);
  const C = Float64Array.from({ length: k * d }, () => offset + rng.uniform(-4, 4));
  const X = Float64Array.from({ length: n * d }, (_, t) => C[(Math.floor(t / d) % k) * d + (t % d)] + rng.normal(0, 3));
  return { X, C };
}

describe('KMeans: the WebAssembly Lloyd pass', () => {
  // d ≤ 2 take pass2 (d = 1 padded), more take passWide (odd d padded); k = 1, 5, 6 leave
  // padding centres in passWide's tiles; odd n and n > CHUNK_ROWS leave an odd last chunk.
  const cases: [number, number, number][] = [[1001, 1, 3], [CHUNK_ROWS + 7, 2, 5], [999, 3, 5], [1000, 16, 8], [777, 7, 1], [CHUNK_ROWS * 2 + 1, 17, 6]];
  for (const [n, d, k] of cases) {
    it(`${n} × ${d}-D, k = ${k}: the same labels, counts and sums as its specification, and as the plain pass`, () => {
      const { X, C } = data(n, d, k, n + d);
      const w = runPass(X, n, d, C, k, true);
      const s = specPass(X, n, d, C, k, w.origin);
      expect(w.wasm, 'WebAssembly in use').to.equal(true);
      expect(w.labels).to.deep.equal(s.labels);
      expect(w.changed).to.equal(n);
      expect(Array.from(w.counts)).to.deep.equal(Array.from(s.counts));
      expect(w.counts.reduce((a, b) => a + b, 0)).to.equal(n);
      // The rows are added in the same order within each lane: the same sums to the bit.
      expect(Array.from(w.sums)).to.deep.equal(Array.from(s.sums));
      // The plain pass adds the rows in another order: the same sums to rounding.
      const plain = runPass(X, n, d, C, k, false);
      expect(plain.wasm).to.equal(false);
      expect(plain.labels).to.deep.equal(w.labels);
      expect(plain.changed).to.equal(n);
      expect(Array.from(plain.counts)).to.deep.equal(Array.from(w.counts));
      plain.sums.forEach((v, i) => expect(v).to.be.closeTo(w.sums[i], 1e-12 * Math.max(1, Math.abs(w.sums[i])) * n));
    });
  }

  for (const [n, d] of [[CHUNK_ROWS * 2 + 5, 2], [1001, 1]]) {
    it(`${d}-D: pass2 sums the inertia of its labels bit for bit as the distance kernel does`, () => {
      const k = 4;
      const { X, C } = data(n, d, k, 31);
      const pass = planLloyd(X, n, d, k, 1);
      lloydPass(pass, n, d, C, k, new Float64Array(k * d), new Float64Array(k));
      const plan = pass.wasm!;
      const inertia = passInertia(plan, pass.nChunks);
      expect(inertia).to.be.greaterThan(0);
      expect(inertia).to.equal(labelledInertia(plan, 1, C));
    });
  }

  it('counts only the labels that changed', () => {
    const [n, d, k] = [2001, 16, 5];
    const { X, C } = data(n, d, k, 3);
    const first = runPass(X, n, d, C, k, true);
    const previous = first.labels.slice();
    for (const i of [0, 1, 2, 1000, 2000]) previous[i] = (previous[i] + 1) % k;
    expect(runPass(X, n, d, C, k, true, previous).changed).to.equal(5);
    expect(runPass(X, n, d, C, k, true, first.labels).changed).to.equal(0);
  });

  for (const d of [2, 6]) {
    it(`${d}-D: the first of equally near centres wins, also across SIMD lanes`, () => {
      const n = 301;
      const { X } = data(n, d, 3, 7);
      // Centres 1, 2 and 4 coincide (2 and 4 in lane 0 of passWide's argmin, 1 in lane 1); 0 and 3 are far.
      const near = Array.from({ length: d }, () => 0.5);
      const far = Array.from({ length: d }, () => 1e4);
      const C = Float64Array.from([...far, ...near, ...near, ...far, ...near]);
      const w = runPass(X, n, d, C, 5, true);
      expect(new Set(w.labels)).to.deep.equal(new Set([1]));
    });
  }

  it('keeps nearest-centre labels for data far from the origin', () => {
    const [n, d, k] = [1003, 12, 4];
    const { X, C } = data(n, d, k, 11, 1e7);
    const w = runPass(X, n, d, C, k, true);
    expect(w.labels).to.deep.equal(specPass(X, n, d, C, k, w.origin).labels);
    expect(w.labels).to.deep.equal(runPass(X, n, d, C, k, false).labels);
  });

  for (const d of [1, 3]) {
    it(`${d}-D: a fit in the memory an earlier one used passes as on fresh memory`, () => {
      // The earlier fit (k = 7 in tiles of 4) leaves an infinite padding centre where this
      // one's padding feature lies, should that padding not be zeroed again.
      const earlier = data(101, 9, 7, 21);
      runPass(earlier.X, 101, 9, earlier.C, 7, true);
      const [n, k] = [999, 3];
      const { X, C } = data(n, d, k, 22);
      const w = runPass(X, n, d, C, k, true);
      expect(w.wasm).to.equal(true);
      const plain = runPass(X, n, d, C, k, false);
      expect(w.labels).to.deep.equal(plain.labels);
      expect(Array.from(w.counts)).to.deep.equal(Array.from(plain.counts));
      for (let i = 0; i < k * d; i++) expect(w.sums[i]).to.be.closeTo(plain.sums[i], 1e-9 * Math.max(1, Math.abs(plain.sums[i])));
    });
  }
});
