/**
 * Hamerly's bounds in the WebAssembly Lloyd pass (src/cluster/fast/lloyd-kernel.wat,
 * passBounded): rows whose bounds prove their label keep it without computing, and the sums
 * change only by the rows that moved. So at every pass of a run, given that pass's centres,
 * the labels, the counts and the number of changed labels must be those of computing every row
 * (the kernel's executable specification, ./support/lloyd-pass-scalar.ts), bit for bit, and
 * the sums the same to rounding; and the whole run must end where the specification's own run
 * ends. The cases are chosen to tempt a wrong skip: near-ties between centres, data far from the
 * origin, a cluster that empties.
 */
import { expect } from 'chai';
import { CHUNK_ROWS, LloydPass, lloydFinish, lloydPass, planLloyd } from '../src/cluster/fast/chunks';
import { AssignStep, RunResult, lloyd } from '../src/cluster/lloyd';
import { Random } from '../src/random';
import { configurePool, terminateWorkers } from '../src/parallel/pool';
import { accumulatorLength, assignAndAccumulate, reduceAccumulator } from './support/lloyd-pass-scalar';
import { centresScalar } from './support/bounds-info-scalar';
import { writeCentres } from '../src/cluster/fast/wasm-pass';

type Pass = LloydPass & { wasm: NonNullable<LloydPass['wasm']> };

/** The specification's assignment step, chunk by chunk as the kernel's slots are reduced. */
function specStep(X: Float64Array, n: number, d: number, k: number, labels: Int32Array, origin: Float64Array): AssignStep {
  const acc = new Float64Array(accumulatorLength(k, d));
  return (centers, sums, counts) => {
    let changed = 0;
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      acc.fill(0);
      changed += assignAndAccumulate(X, d, start, Math.min(n, start + CHUNK_ROWS), centers, k, labels, acc, origin);
      reduceAccumulator(acc, k, d, sums, counts);
    }
    return changed;
  };
}

interface FastPass {
  centers: Float64Array;
  /** The labels before the pass, and after it. */
  before: Int32Array;
  after: Int32Array;
  changed: number;
  computed: number;
  sums: Float64Array;
  counts: Float64Array;
}

/** A run of Lloyd's algorithm with the kernel, recording every pass. */
function fastRun(X: Float64Array, n: number, d: number, initial: Float64Array, maxIter: number, threads = 1): { run: RunResult; passes: FastPass[]; origin: Float64Array } {
  const k = initial.length / d;
  const pass = planLloyd(X, n, d, k, threads) as Pass;
  expect(pass.wasm, 'the kernel in use').to.not.equal(null);
  expect(pass.wasm.wide, 'the wide passes in use').to.equal(true);
  const passes: FastPass[] = [];
  const step: AssignStep = (centers, sums, counts) => {
    const before = pass.labels.slice();
    const changed = lloydPass(pass, n, d, centers, k, sums, counts);
    passes.push({ centers: centers.slice(), before, after: pass.labels.slice(), changed, computed: pass.computed, sums: sums.slice(), counts: counts.slice() });
    return changed;
  };
  const run = lloyd(X, n, d, step, pass.labels, initial.slice(), maxIter, 0, (c, relabel) => lloydFinish(pass, X, n, d, c, k, relabel));
  return { run: { ...run, labels: run.labels.slice() }, passes, origin: pass.wasm.origin };
}

/**
 * Every pass of the kernel's run against the specification's pass on the same centres and the
 * same labels before it; then the whole run against the specification's own run.
 */
function expectAsComputingEveryRow(X: Float64Array, n: number, d: number, initial: Float64Array, maxIter: number, wholeRun = true): FastPass[] {
  const k = initial.length / d;
  const fast = fastRun(X, n, d, initial, maxIter);
  fast.passes.forEach((p, t) => {
    const labels = p.before.slice();
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    const changed = specStep(X, n, d, k, labels, fast.origin)(p.centers, sums, counts);
    expect(Array.from(p.after), `pass ${t}: labels`).to.deep.equal(Array.from(labels));
    expect(p.changed, `pass ${t}: labels changed`).to.equal(changed);
    expect(Array.from(p.counts), `pass ${t}: counts`).to.deep.equal(Array.from(counts));
    // Sums updated by the rows that moved differ from sums over all rows by rounding only.
    const scale = X.reduce((m, v) => Math.max(m, Math.abs(v)), 0) * n;
    p.sums.forEach((v, i) => expect(v, `pass ${t}: sum ${i}`).to.be.closeTo(sums[i], 1e-12 * scale));
  });
  if (wholeRun) {
    const labels = new Int32Array(n);
    const spec = lloyd(X, n, d, specStep(X, n, d, k, labels, fast.origin), labels, initial.slice(), maxIter, 0);
    expect(fast.run.nIter).to.equal(spec.nIter);
    expect(Array.from(fast.run.labels)).to.deep.equal(Array.from(spec.labels));
    fast.run.centers.forEach((v, i) => expect(v).to.be.closeTo(spec.centers[i], 1e-12 * Math.max(1, Math.abs(v))));
    expect(fast.run.inertia).to.be.closeTo(spec.inertia, 1e-9 * spec.inertia);
  }
  return fast.passes;
}

/** n rows around k centres drawn in [−4, 4]^d (plus `offset`), Gaussian noise of sd `spread`. */
function blobs(n: number, d: number, k: number, seed: number, spread = 1.5, offset = 0): { X: Float64Array; starts: Float64Array } {
  const rng = new Random(seed);
  const C = Float64Array.from({ length: k * d }, () => offset + rng.uniform(-4, 4));
  const X = Float64Array.from({ length: n * d }, (_, t) => C[(Math.floor(t / d) % k) * d + (t % d)] + rng.normal(0, spread));
  // Starts: k rows of X, a poor start so that the run is long and the centres travel.
  const starts = new Float64Array(k * d);
  for (let c = 0; c < k; c++) starts.set(X.subarray(c * k * d, c * k * d + d), c * d);
  return { X, starts };
}

describe('KMeans: Hamerly bounds in the Lloyd kernel', () => {
  after(async () => {
    configurePool({ mainThreadWorks: true, maxThreads: undefined });
    await terminateWorkers();
  });

  // k = 1 (a single centre), k padded in tiles of 4 (5, 9), odd d
  // (padded), odd n, several chunks.
  const cases: [number, number, number][] = [[20_001, 16, 8], [3_001, 3, 5], [CHUNK_ROWS + 3, 17, 9], [2_000, 6, 1], [9_999, 8, 2]];
  for (const [n, d, k] of cases) {
    it(`${n} × ${d}-D, k = ${k}: every pass as computing every row, and most rows skipped once settled`, () => {
      const { X, starts } = blobs(n, d, k, n + d + k, 2.5);
      const passes = expectAsComputingEveryRow(X, n, d, starts, 40);
      expect(passes[0].computed, 'the first pass computes every row').to.equal(n);
      expect(passes[1].computed, 'so does the second').to.equal(n);
      if (k === 1) {
        // One centre: the second pass changes no label and ends the run, so no pass is bounded.
        expect(passes.length).to.equal(2);
        return;
      }
      const least = Math.min(...passes.map((p) => p.computed));
      expect(least, 'the bounds settle most rows by the end').to.be.below(n / 2);
    });
  }

  it('keeps the labels of near-ties: rows on the bisector of two centres, and duplicate rows', () => {
    // Two centres mirror each other across x₀ = 0; a third of the rows lie on that plane, where
    // the nearest centre is decided by rounding alone, and each row appears twice.
    const [n, d] = [6_000, 5];
    const rng = new Random(3);
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i += 2) {
      for (let j = 0; j < d; j++) X[i * d + j] = rng.normal(0, 1);
      if (i % 3 === 0) X[i * d] = 0;
      X.copyWithin((i + 1) * d, i * d, (i + 1) * d);
    }
    const starts = Float64Array.from([-1, 0.1, 0, 0, 0, 1, 0.1, 0, 0, 0, 0, 3, 0, 0, 0]);
    // Ties decided by rounding may go either way in a run whose centres differ in the last bit,
    // so only pass by pass, where the centres are the same.
    expectAsComputingEveryRow(X, n, d, starts, 30, false);
  });

  it("keeps the labels computing gives where rounding decides them, far from the data's mean (the margins)", () => {
    // Odd rows lie within 1e-10 of the bisector of two centres 1,000 from the origin; even rows
    // are a cluster at the origin, which pulls the mean r, from which the kernel measures, far
    // from the centres, so that x·c′ is large and rounds coarsely. Then the centres move by
    // about 1e-12, less than that rounding. Without its margins (μ = E = 0 in the kernel's `centres`) the
    // kernel keeps 109 of these labels that computing would change (checked when written).
    const [n, d, k, far] = [2_000, 3, 2, 1e3];
    const rng = new Random(0);
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const base = i % 2 === 1 ? far : 0;
      X[i * d] = base + (i % 2 === 1 ? rng.normal(0, 1e-10) : rng.normal(0, 1));
      X[i * d + 1] = base + rng.normal(0, 1);
      X[i * d + 2] = base + rng.normal(0, 1);
    }
    const centres = Float64Array.from([far - 0.5, far, far, far + 0.5, far, far]);
    const moved = centres.map((v) => v + rng.normal(0, 1e-12));
    const pass = planLloyd(X, n, d, k, 1) as Pass;
    pass.labels.fill(-1);
    const step = () => [new Float64Array(k * d), new Float64Array(k)] as const;
    lloydPass(pass, n, d, centres, k, ...step());
    lloydPass(pass, n, d, centres, k, ...step());
    const before = pass.labels.slice();
    lloydPass(pass, n, d, moved, k, ...step());
    expect(pass.computed, 'a bounded pass').to.be.below(n);
    const labels = before.slice();
    specStep(X, n, d, k, labels, pass.wasm.origin)(moved, ...step());
    const flipped = labels.filter((c, i) => c !== before[i]).length;
    expect(flipped, 'labels the move changes, by rounding').to.be.above(100);
    expect(Array.from(pass.labels)).to.deep.equal(Array.from(labels));
  });

  it('computes every row in the pass after a cluster empties', () => {
    const [n, d] = [3_001, 4];
    const { X, starts } = blobs(n, d, 3, 2);
    const pass = planLloyd(X, n, d, 3, 1) as Pass;
    pass.labels.fill(-1);
    const step = () => [new Float64Array(3 * d), new Float64Array(3)] as const;
    lloydPass(pass, n, d, starts, 3, ...step());
    lloydPass(pass, n, d, starts, 3, ...step());
    // The third centre moves far away: its cluster empties, and the labels of the next pass can
    // no longer rely on bounds (a run would move a row into the empty cluster outside the pass).
    const away = starts.slice();
    away.fill(1e3, 2 * d, 3 * d);
    const counts = new Float64Array(3);
    lloydPass(pass, n, d, away, 3, new Float64Array(3 * d), counts);
    expect(counts[2]).to.equal(0);
    lloydPass(pass, n, d, starts, 3, ...step());
    expect(pass.computed).to.equal(n);
    lloydPass(pass, n, d, starts, 3, ...step());
    expect(pass.computed, 'then bounded again').to.be.below(n);
  });

  it('keeps the labels of data far from the origin, where rounding is large', () => {
    const [n, d, k] = [8_001, 12, 4];
    const { X, starts } = blobs(n, d, k, 11, 3, 1e7);
    expectAsComputingEveryRow(X, n, d, starts, 30);
  });

  it('starts over after a cluster empties (its centre then jumps to a far row)', () => {
    const [n, d, k] = [5_001, 4, 3];
    const { X } = blobs(n, d, 2, 5);
    // The third centre is far from every row: its cluster is empty after the first pass.
    const starts = Float64Array.from([...X.subarray(0, d), ...X.subarray(d, 2 * d), 1e3, 1e3, 1e3, 1e3]);
    const passes = expectAsComputingEveryRow(X, n, d, starts, 30);
    expect(passes[0].counts[2], 'the empty cluster').to.equal(0);
    expect(passes[1].computed, 'the pass after the relocation (and a run\'s second) computes every row').to.equal(n);
    expect(passes[2].computed, 'and the next one skips rows again').to.be.below(n);
  });

  it("writes each pass's centre tiles and bounds' info as their specification does, bit for bit", () => {
    // odd d (a padding feature), k not a multiple of 4 (padding centres), k = 1 (no other centre)
    for (const [d, k] of [[3, 1], [5, 6], [9, 8], [16, 8], [4, 13]]) {
      const n = 2001;
      const { X } = blobs(n, d, k, 40 + d, 1.5, 1e3);
      const pass = planLloyd(X, n, d, k, 1) as Pass;
      const p = pass.wasm;
      const rng = new Random(d * k);
      const centers = Float64Array.from({ length: k * d }, () => 1e3 + 10 * rng.random());
      const previous = centers.map((v) => v + rng.random() - 0.5);
      for (const before of [null, previous]) {
        writeCentres(p, centers, before);
        const want = centresScalar(centers, before, d, p.dp, k, p.kSlots, p.origin, p.maxNorm);
        const tiles = new Float64Array(p.memory.buffer, p.centresAt, want.tiles.length);
        const info = new Float64Array(p.memory.buffer, p.infoAt, want.info.length);
        const what = `d ${d}, k ${k}, ${before === null ? 'fresh' : 'after a pass'}`;
        expect(Array.from(tiles), `${what}: tiles`).to.deep.equal(Array.from(want.tiles));
        expect(Array.from(info), `${what}: info`).to.deep.equal(Array.from(want.info));
        expect(info[3 * p.kSlots + 2], `${what}: fresh flag`).to.equal(before === null ? 1 : 0);
      }
    }
  });

  it('is the same on 1, 2 and 3 threads', () => {
    const [n, d, k] = [50_001, 16, 6];
    const { X, starts } = blobs(n, d, k, 8, 2.5);
    const one = fastRun(X, n, d, starts, 25, 1);
    expect(Math.min(...one.passes.map((p) => p.computed))).to.be.below(n / 2);
    configurePool({ mainThreadWorks: false, maxThreads: 8 }); // every chunk on a worker
    try {
      for (const threads of [2, 3]) {
        const many = fastRun(X, n, d, starts, 25, threads);
        expect(many.passes, `${threads} threads`).to.deep.equal(one.passes);
        expect(Array.from(many.run.centers)).to.deep.equal(Array.from(one.run.centers));
      }
    } finally {
      configurePool({ mainThreadWorks: true, maxThreads: undefined });
    }
  });
});
