/**
 * k-means++ on the fast path (src/cluster/fast/seeding.ts, sweeps of the distance kernel)
 * against the readable reference (src/cluster/init.ts): the same rows from the same seed, the
 * same potentials to rounding, for every number of threads; and the kernel's inertia of a
 * labelling against the plain one.
 */
import { expect } from 'chai';
import { kmeansPlusPlusRows, localTrials, rowsOf } from '../src/cluster/init';
import { inertiaForLabels } from '../src/cluster/lloyd';
import { CHUNK_ROWS, lloydFinish, lloydPass, planLloyd, useSeedLabels } from '../src/cluster/fast/chunks';
import { WasmPlan, planWasm } from '../src/cluster/fast/wasm-pass';
import { seedRows } from '../src/cluster/fast/seeding';
import { runLabelsAt, seedRuns } from '../src/cluster/fast/seed-runs';
import { Matrix } from '../src/matrix';
import { Random } from '../src/random';
import { configurePool, poolStatus, terminateWorkers } from '../src/parallel/pool';

/** Gaussian blobs of uneven spread around k random centres, far from the origin when `offset` is large. */
function blobs(n: number, d: number, k: number, seed: number, offset = 0): Matrix {
  const rng = new Random(seed);
  const centres = Array.from({ length: k * d }, () => offset + rng.uniform(-6, 6));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.normal(0, 0.5 + c / k);
  }
  return { rows: n, cols: d, data };
}

/** Each row's nearest of `rows` (the first of equally near ones), in the direct form. */
function nearest(X: Matrix, rows: ArrayLike<number>): number[] {
  const { rows: n, cols: d, data } = X;
  return Array.from({ length: n }, (_, i) => {
    let [best, m] = [0, Infinity];
    for (let c = 0; c < rows.length; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - data[rows[c] * d + j]) ** 2;
      if (s < m) [best, m] = [c, s];
    }
    return best;
  });
}

/** Sum over rows of the squared distance to the nearest of `rows`, the reference's way (sequential). */
function potential(X: Matrix, rows: ArrayLike<number>, upTo: number): number {
  const { rows: n, cols: d, data } = X;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let m = Infinity;
    for (let c = 0; c <= upTo; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - data[rows[c] * d + j]) ** 2;
      m = Math.min(m, s);
    }
    total += m;
  }
  return total;
}

describe('k-means++ on the fast path', () => {
  after(async () => {
    configurePool({ mainThreadWorks: true, maxThreads: undefined });
    await terminateWorkers();
  });

  // 1 feature (padded to 2), 2 (the 2-D layout), odd and even widths; odd n leaves a padding row;
  // 40_001 rows make five chunks, so the draws cross chunk boundaries.
  const shapes: [number, number, number, number][] = [
    [999, 1, 3, 0], [1001, 2, 4, 0], [5003, 3, 8, 0], [40_001, 2, 6, 1e6], [12_345, 16, 8, 0], [20_000, 7, 25, 0],
  ];
  for (const [n, d, k, offset] of shapes) {
    it(`${n} × ${d}-D, k = ${k}${offset ? ', far from the origin' : ''}: the reference's rows, potentials to 1e-12`, () => {
      const X = blobs(n, d, k, n + d, offset);
      for (const seed of [0, 1, 2]) {
        const expected = kmeansPlusPlusRows(X, k, new Random(seed));
        const pass = planLloyd(X.data, n, d, k, 1);
        const got = seedRows(pass.wasm!, 1, k, new Random(seed));
        expect(Array.from(got.rows), `seed ${seed}`).to.deep.equal(Array.from(expected));
        for (const c of [0, k - 1]) {
          const ref = potential(X, expected, c);
          expect(Math.abs(got.potentials[c] - ref) / ref, `potential after centre ${c}`).to.be.below(1e-12);
        }
      }
    });
  }

  it('draws the same as the reference from a generator it shares (the rest of the stream too)', () => {
    const X = blobs(3000, 5, 6, 3);
    const a = new Random(11);
    const b = new Random(11);
    kmeansPlusPlusRows(X, 6, a);
    seedRows(planLloyd(X.data, 3000, 5, 6, 1).wasm!, 1, 6, b);
    expect(b.random()).to.equal(a.random());
  });

  it('never picks a row that duplicates a centre while other rows have weight', () => {
    // 4 distinct points, each repeated many times: every later centre must be a new point.
    const n = 4000;
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) data.set([(i % 4) * 10, (i % 4) * -3], 2 * i);
    const X = { rows: n, cols: 2, data };
    for (const seed of [0, 1, 2, 3]) {
      const { rows } = seedRows(planLloyd(data, n, 2, 4, 1).wasm!, 1, 4, new Random(seed));
      expect(new Set(Array.from(rows, (r) => r % 4)).size, `seed ${seed}`).to.equal(4);
      expect(Array.from(rows)).to.deep.equal(Array.from(kmeansPlusPlusRows(X, 4, new Random(seed))));
    }
  });

  it('gives the same rows and potentials on 1, 2 and 3 threads (every chunk on a worker)', () => {
    const n = 100_001;
    const X = blobs(n, 6, 5, 9);
    const run = (nJobs: number) => {
      const pass = planLloyd(X.data, n, 6, 5, nJobs);
      const r = seedRows(pass.wasm!, pass.threads, 5, new Random(4));
      return { rows: Array.from(r.rows), potentials: Array.from(r.potentials), threads: pass.threads };
    };
    const one = run(1);
    configurePool({ mainThreadWorks: false, maxThreads: 8 });
    try {
      for (const nJobs of [2, 3]) {
        const many = run(nJobs);
        expect(many.threads).to.equal(nJobs);
        expect(poolStatus().lastWorkerChunks).to.be.greaterThan(0);
        expect({ ...many, threads: 1 }).to.deep.equal(one);
      }
    } finally {
      configurePool({ mainThreadWorks: true, maxThreads: undefined });
    }
  });

  it("seeds a fit's runs on several threads a run at a time, as one after another on one thread", () => {
    // The memory (and its lanes) serves one fit after another: the larger plan first, then one that reuses it.
    for (const [n, d, k] of [[130_001, 2, 4], [30_001, 9, 7]] as const) {
      const X = blobs(n, d, k, 5);
      const inTurn = new Random(8);
      const pass1 = planLloyd(X.data, n, d, k, 1, true, 5);
      const seeded = Array.from({ length: 5 }, (_, r) => seedRows(pass1.wasm!, 1, k, inTurn, localTrials(k), runLabelsAt(pass1.wasm!, r)));
      const expected = seeded.map((s) => Array.from(s.rows));
      // From 8 features (kept trials, in the expanded form) the seedings find the rows' nearest centres too.
      expect(seeded.map((s) => s.labelled)).to.deep.equal(Array(5).fill(d >= 8));
      const labels = (p: WasmPlan) => Array.from({ length: 5 }, (_, r) => Array.from(new Uint8Array(p.memory.buffer, runLabelsAt(p, r), n)));
      const expectedLabels = labels(pass1.wasm!);
      if (d >= 8) expectedLabels.forEach((l, r) => expect(l, `run ${r}: the nearest of its centres`).to.deep.equal(nearest(X, seeded[r].rows)));
      const single = seedRuns(pass1.wasm!, 1, k, new Random(8), 5);
      expect(single.rows.map((r) => Array.from(r))).to.deep.equal(expected);
      expect(single.labelled).to.deep.equal(seeded.map((s) => s.labelled));
      configurePool({ mainThreadWorks: false, maxThreads: 8 });
      try {
        for (const nJobs of [2, 3]) {
          const pass = planLloyd(X.data, n, d, k, nJobs, true, 5);
          expect(pass.wasm!.seedLanes).to.equal(nJobs);
          expect(pass.wasm!.keptAt !== 0, 'trials kept from 8 features').to.equal(d >= 8);
          const rng = new Random(8);
          const got = seedRuns(pass.wasm!, pass.threads, k, rng, 5);
          expect(poolStatus().lastWorkerChunks, `${nJobs} threads: runs on workers`).to.equal(5);
          expect(got.rows.map((r) => Array.from(r)), `${nJobs} threads`).to.deep.equal(expected);
          expect(got.labelled).to.deep.equal(seeded.map((s) => s.labelled));
          if (d >= 8) expect(labels(pass.wasm!), `${nJobs} threads: the labels`).to.deep.equal(expectedLabels);
          expect(rng.random(), 'the rest of the stream').to.equal(inTurn.clone().random());
        }
      } finally {
        configurePool({ mainThreadWorks: true, maxThreads: undefined });
      }
    }
  });

  it("gives a run's first pass the labels k-means++ found: the pass that computes them, bit for bit, without distances", () => {
    for (const [n, d, k] of [[20_001, 9, 7], [12_345, 16, 8]] as const) {
      const X = blobs(n, d, k, 31);
      const pass = planLloyd(X.data, n, d, k, 1, true, 2);
      const seeded = seedRuns(pass.wasm!, 1, k, new Random(3), 2);
      expect(seeded.labelled).to.deep.equal([true, true]);
      for (const run of [0, 1]) {
        const centers = rowsOf(X, seeded.rows[run]);
        const firstPass = (labelled: boolean) => {
          pass.labels.fill(-1); // a run's start (../src/cluster/lloyd)
          useSeedLabels(pass, run, labelled);
          const [sums, counts] = [new Float64Array(k * d), new Float64Array(k)];
          const changed = lloydPass(pass, n, d, centers, k, sums, counts);
          return { changed, computed: pass.wasm!.wide ? (pass as { computed: number }).computed : n, labels: Array.from(pass.labels), sums: Array.from(sums), counts: Array.from(counts) };
        };
        const given = firstPass(true);
        const computed = firstPass(false);
        expect([given.computed, computed.computed], 'rows computed').to.deep.equal([0, n]);
        expect({ ...given, computed: 0 }, `${d}-D, run ${run}`).to.deep.equal({ ...computed, computed: 0 });
        expect(given.changed).to.equal(n);
      }
    }
  });

  it('drops the kept trials and extra lanes, not the kernel, when they would not fit in memory', () => {
    const [n, d, k] = [5003, 9, 6];
    const X = blobs(n, d, k, 21);
    // 10⁶ lanes would need far more than WebAssembly's 2 GiB.
    const planned = planWasm(X.data, n, d, k, CHUNK_ROWS, 1_000_000);
    expect(planned, 'a plan without the extras').to.not.equal(null);
    const plan = planned!.plan;
    expect(plan.seedLanes).to.equal(1);
    expect(plan.keptAt).to.equal(0);
    expect(Array.from(seedRows(plan, 1, k, new Random(3)).rows)).to.deep.equal(Array.from(kmeansPlusPlusRows(X, k, new Random(3))));
    expect(planWasm(X.data, n, d, k, CHUNK_ROWS, 2)!.plan.keptAt, 'with room, the trials are kept').to.not.equal(0);
  });

  for (const d of [1, 2, 9]) {
    it(`${d}-D: the kernel's inertia of a labelling and its relabelling agree with the plain ones`, () => {
      const n = 9001;
      const k = 5;
      const X = blobs(n, d, k, 17);
      const centers = X.data.slice(0, k * d);
      const pass = planLloyd(X.data, n, d, k, 1);
      lloydPass(pass, n, d, centers, k, new Float64Array(k * d), new Float64Array(k));
      const plain = inertiaForLabels(X.data, d, 0, n, centers, pass.labels);
      const fast = lloydFinish(pass, X.data, n, d, centers, k, false);
      expect(Math.abs(fast - plain) / plain).to.be.below(1e-12);
      // Relabelling from other centres rewrites every label, then sums against them.
      const moved = X.data.slice(k * d, 2 * k * d);
      const relabelled = lloydFinish(pass, X.data, n, d, moved, k, true);
      expect(Math.abs(relabelled - inertiaForLabels(X.data, d, 0, n, moved, pass.labels)) / relabelled).to.be.below(1e-12);
      const before = Array.from(pass.labels);
      lloydPass(pass, n, d, moved, k, new Float64Array(k * d), new Float64Array(k));
      expect(Array.from(pass.labels)).to.deep.equal(before);
    });
  }
});
