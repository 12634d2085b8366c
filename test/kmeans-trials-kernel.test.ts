/**
 * The distance kernel's k-means++ trials in the expanded form (`tiles`, then `trialsWide`; see
 * src/cluster/fast/distance-kernel.wat) against their executable specification
 * (./support/trials-scalar, bit for bit), and against the direct form to rounding; with the
 * nearest centres tracked (rows whose closest distance fell take the new centre's label), and
 * the kernel's `relabel`.
 */
import { expect } from 'chai';
import { distanceKernel } from '../src/cluster/fast/distance-kernel';
import { originAt, planWasm, tilesAt } from '../src/cluster/fast/wasm-pass';
import { Random } from '../src/random';
import { trialsWide } from './support/trials-scalar';

function blobs(n: number, d: number, seed: number, offset: number): Float64Array {
  const rng = new Random(seed);
  const centres = Array.from({ length: 5 * d }, () => offset + rng.uniform(-6, 6));
  return Float64Array.from({ length: n * d }, (_, t) => centres[(Math.floor(t / d) % 5) * d + (t % d)] + rng.normal(0, 1));
}

describe('k-means++ trials in the expanded form (the distance kernel)', () => {
  // Odd and even d from 8 (where trials are kept; odd ones padded), odd n (a padding row), 1 to 6 trials (a partial tile),
  // data far from the origin, and 40 copies of the first candidate's row (there, distances that
  // round below zero, raised to it).
  const cases: [number, number, number, number][] = [[1001, 11, 1, 0], [1000, 16, 4, 0], [999, 9, 6, 1e5], [2048, 8, 3, 0], [513, 17, 5, 0]];
  for (const [n, d, t, offset] of cases) {
    it(`${n} × ${d}-D, ${t} trial${t > 1 ? 's' : ''}${offset ? ', far from the origin' : ''}: the specification's values and sums, bit for bit`, () => {
      const X = blobs(n, d, n + d, offset);
      const rng = new Random(d);
      const candidates = Array.from({ length: t }, () => rng.int(n));
      for (let i = 0; i < 40; i++) X.copyWithin((7 + 11 * i) * d, candidates[0] * d, candidates[0] * d + d);
      // k = 100 keeps 6 trials' rows of distances (localTrials(100)).
      const plan = planWasm(X, n, d, 100, 4096, 1)!.plan;
      expect(plan.keptAt, 'kept trials').to.not.equal(0);
      const { dp } = plan;
      const f = new Float64Array(plan.memory.buffer);
      const rows = plan.rowsAt / 8;
      f.fill(0, rows, rows + t * dp);
      candidates.forEach((row, c) => f.set(X.subarray(row * d, row * d + d), rows + c * dp));
      const padded = n + (n & 1);
      const D = new Float64Array(plan.memory.buffer, plan.closestAt, padded);
      D.set(Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Infinity : rng.uniform(0, 60))));
      D[n] = 0;
      const before = D.slice();
      const gap = 8 * padded;
      // Kept rows: trial c's is row c, or c + 1 from row `skip` on (the row skipped: D's, in a seeding).
      const skip = t < 6 ? t % 2 : -1;
      const slotOf = (c: number) => c + +(skip >= 0 && c >= skip);
      const kept = (c: number) => new Float64Array(plan.memory.buffer, plan.keptAt + slotOf(c) * gap, padded);
      const unused = [...Array(6).keys()].filter((row) => !Array.from({ length: t }, (_, c) => slotOf(c)).includes(row));
      const keptRow = (row: number) => new Float64Array(plan.memory.buffer, plan.keptAt + row * gap, padded);
      for (const row of unused) keptRow(row).fill(-1); // never written
      const kernel = distanceKernel(plan.memory);
      kernel.tiles(plan.rowsAt, t, dp, originAt(plan), tilesAt(plan));
      const q = new Float64Array(plan.memory.buffer, plan.normsAt, padded);
      const r = plan.origin;
      // The nearest centres, tracked in the area of the stage (free once X is laid out): labels
      // start as noise, and rows whose D is below P (the last step's) take label 9.
      const L = plan.stageAt;
      const P = new Float64Array(plan.memory.buffer, plan.stageAt + plan.labelBytes, padded);
      P.set(Array.from(D, (v, i) => (i % 2 === 0 ? v : v * (i % 5 === 0 ? 1 : 1.5))));
      const bytes = new Uint8Array(plan.memory.buffer);
      for (let i = 0; i < padded; i++) bytes[L + i] = rng.int(9);
      const labelsBefore = bytes.slice(L, L + n);
      for (const [start, end] of [[0, 512], [512, n]]) {
        if (start >= end) continue;
        kernel.trialsWide(plan.xAt, dp, start, end, tilesAt(plan), t, plan.closestAt, plan.slotsAt, plan.keptAt, gap, skip, plan.normsAt, P.byteOffset, L, 9);
        const spec = trialsWide(X, d, start, end, candidates, D, q, r);
        const relabelled = Array.from(labelsBefore.subarray(start, end), (l, i) => (D[start + i] < P[start + i] ? 9 : l));
        if (start === 0) expect(relabelled.filter((l) => l === 9).length, 'some rows relabelled').to.be.greaterThan(100);
        expect(Array.from(bytes.subarray(L + start, L + end)), `labels, rows ${start}–${end}`).to.deep.equal(relabelled);
        for (let c = 0; c < t; c++) {
          expect(Array.from(kept(c).subarray(start, end)), `trial ${c}, rows ${start}–${end}`).to.deep.equal(Array.from(spec.kept[c]));
          expect(Array.from(f.subarray(plan.slotsAt / 8 + 2 * c, plan.slotsAt / 8 + 2 * c + 2)), `trial ${c}'s sums`).to.deep.equal(spec.sums[c]);
        }
        if (start === 0 && offset !== 0) expect(spec.belowZero, 'distances that round below zero').to.be.greaterThan(0);
      }
      expect(Array.from(D), 'D unchanged').to.deep.equal(Array.from(before));
      for (const row of unused) expect(keptRow(row).every((v) => v === -1), `kept row ${row} unused`).to.equal(true);
      // What it computes: min(D, ‖x − c‖²) up to the rounding of the expanded form.
      for (let c = 0; c < t; c++) {
        const cRow = candidates[c];
        for (let i = 0; i < n; i++) {
          let direct = 0;
          for (let j = 0; j < d; j++) direct += (X[i * d + j] - X[cRow * d + j]) ** 2;
          expect(Math.abs(kept(c)[i] - Math.min(D[i], direct))).to.be.below(1e-12 * (q[i] + 1e3 * d));
        }
      }
    });
  }

  it('relabels the rows whose new closest distance is below the old (a pair at a time)', () => {
    const n = 1001;
    const X = blobs(n, 9, 3, 0);
    const plan = planWasm(X, n, 9, 8, 4096, 1)!.plan;
    const [D, P] = [0, 1].map((a) => new Float64Array(plan.memory.buffer, plan.stageAt + 8 * a * (n + 1), n + 1));
    const L = plan.stageAt + 16 * (n + 1);
    const rng = new Random(4);
    for (let i = 0; i <= n; i++) [D[i], P[i]] = [rng.uniform(0, 2), rng.uniform(0, 2)];
    P[3] = D[3]; // equal: not below
    const bytes = new Uint8Array(plan.memory.buffer, L, n + 1);
    bytes.set(Array.from({ length: n + 1 }, () => rng.int(8)));
    // n is odd: the padding row n goes with row n − 1
    const expected = Array.from(bytes, (l, i) => (D[i] < P[i] ? 7 : l));
    distanceKernel(plan.memory).relabel(D.byteOffset, P.byteOffset, L, 0, n, 7);
    expect(Array.from(bytes)).to.deep.equal(expected);
    expect(expected[3]).to.not.equal(7);
  });
});
