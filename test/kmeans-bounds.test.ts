/**
 * Hamerly's bounds in the WebAssembly Lloyd pass (src/cluster/fast/lloyd-kernel.wat, passWide):
 * rows whose bounds prove their label keep it without computing, and a whole run of Lloyd's
 * algorithm must then be the run that computes every row, bit for bit: the same labels,
 * counts, sums and centres at every pass, as given by the kernel's executable specification
 * (./support/lloyd-pass-scalar.ts), which computes every row. The cases are chosen to tempt a
 * wrong skip: near-ties between centres, data far from the origin, a cluster that empties.
 */
import { expect } from 'chai';
import { CHUNK_ROWS, LloydPass, lloydFinish, lloydPass, planLloyd } from '../src/cluster/fast/chunks';
import { AssignStep, RunResult, lloyd } from '../src/cluster/lloyd';
import { Random } from '../src/random';
import { configurePool, terminateWorkers } from '../src/parallel/pool';
import { accumulatorLength, assignAndAccumulate, reduceAccumulator } from './support/lloyd-pass-scalar';

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

interface Traced {
  run: RunResult;
  /** Per pass: labels changed, rows computed (the kernel) and the sums (both). */
  passes: { changed: number; computed: number; sums: number[]; counts: number[] }[];
}

/** One run of Lloyd's algorithm with the kernel, and the same run with the specification. */
function bothRuns(X: Float64Array, n: number, d: number, initial: Float64Array, maxIter: number, threads = 1): { fast: Traced; spec: Traced } {
  const k = initial.length / d;
  const pass = planLloyd(X, n, d, k, threads) as Pass;
  expect(pass.wasm, 'the kernel in use').to.not.equal(null);
  expect(pass.wasm.wide, 'passWide in use').to.equal(true);
  const trace = (step: AssignStep, computed: () => number): { step: AssignStep; passes: Traced['passes'] } => {
    const passes: Traced['passes'] = [];
    return {
      passes,
      step: (centers, sums, counts) => {
        const changed = step(centers, sums, counts);
        passes.push({ changed, computed: computed(), sums: Array.from(sums), counts: Array.from(counts) });
        return changed;
      },
    };
  };
  const f = trace((c, s, m) => lloydPass(pass, n, d, c, k, s, m), () => pass.computed);
  const fastRun = lloyd(X, n, d, f.step, pass.labels, initial.slice(), maxIter, 0, (c, relabel) => lloydFinish(pass, X, n, d, c, k, relabel));
  const fast = { run: { ...fastRun, labels: fastRun.labels.slice() }, passes: f.passes };
  const labels = new Int32Array(n);
  const s = trace(specStep(X, n, d, k, labels, pass.wasm.origin), () => n);
  const spec = { run: lloyd(X, n, d, s.step, labels, initial.slice(), maxIter, 0), passes: s.passes };
  return { fast, spec };
}

function expectSameRun(fast: Traced, spec: Traced): void {
  expect(fast.passes.length, 'passes').to.equal(spec.passes.length);
  fast.passes.forEach((p, t) => {
    const q = spec.passes[t];
    expect(p.changed, `pass ${t}: labels changed`).to.equal(q.changed);
    expect(p.counts, `pass ${t}: counts`).to.deep.equal(q.counts);
    expect(p.sums, `pass ${t}: sums, bit for bit`).to.deep.equal(q.sums);
  });
  expect(Array.from(fast.run.centers)).to.deep.equal(Array.from(spec.run.centers));
  expect(Array.from(fast.run.labels)).to.deep.equal(Array.from(spec.run.labels));
  expect(fast.run.nIter).to.equal(spec.run.nIter);
  expect(fast.run.inertia).to.be.closeTo(spec.run.inertia, 1e-9 * spec.run.inertia);
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

  // k = 1 (a single centre: its bound never fails), k padded in tiles of 4 (5, 9), odd d
  // (padded), odd n, several chunks.
  const cases: [number, number, number][] = [[20_001, 16, 8], [3_001, 3, 5], [CHUNK_ROWS + 3, 17, 9], [2_000, 6, 1], [9_999, 8, 2]];
  for (const [n, d, k] of cases) {
    it(`${n} × ${d}-D, k = ${k}: every pass as computing every row, and most rows skipped once settled`, () => {
      const { X, starts } = blobs(n, d, k, n + d + k, 2.5);
      const { fast, spec } = bothRuns(X, n, d, starts, 40);
      expectSameRun(fast, spec);
      expect(fast.passes[0].computed, 'the first pass computes every row').to.equal(n);
      const least = Math.min(...fast.passes.map((p) => p.computed));
      expect(least, 'the bounds settle most rows by the end').to.be.below(k === 1 ? 1 : n / 2);
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
    const { fast, spec } = bothRuns(X, n, d, starts, 30);
    expectSameRun(fast, spec);
  });

  it('keeps the labels of data far from the origin, where rounding is large', () => {
    const [n, d, k] = [8_001, 12, 4];
    const { X, starts } = blobs(n, d, k, 11, 3, 1e7);
    const { fast, spec } = bothRuns(X, n, d, starts, 30);
    expectSameRun(fast, spec);
  });

  it('starts over after a cluster empties (its centre then jumps to a far row)', () => {
    const [n, d, k] = [5_001, 4, 3];
    const { X } = blobs(n, d, 2, 5);
    // The third centre is far from every row: its cluster is empty after the first pass.
    const starts = Float64Array.from([...X.subarray(0, d), ...X.subarray(d, 2 * d), 1e3, 1e3, 1e3, 1e3]);
    const { fast, spec } = bothRuns(X, n, d, starts, 30);
    expect(spec.passes[0].counts[2], 'the empty cluster').to.equal(0);
    expectSameRun(fast, spec);
    expect(fast.passes[1].computed, 'the pass after the relocation computes every row').to.equal(n);
  });

  it('is the same on 1, 2 and 3 threads', () => {
    const [n, d, k] = [50_001, 16, 6];
    const { X, starts } = blobs(n, d, k, 8, 2.5);
    const one = bothRuns(X, n, d, starts, 25, 1).fast;
    configurePool({ mainThreadWorks: false, maxThreads: 8 }); // every chunk on a worker
    try {
      for (const threads of [2, 3]) {
        const many = bothRuns(X, n, d, starts, 25, threads).fast;
        expect(many.passes, `${threads} threads`).to.deep.equal(one.passes);
        expect(Array.from(many.run.labels)).to.deep.equal(Array.from(one.run.labels));
      }
    } finally {
      configurePool({ mainThreadWorks: true, maxThreads: undefined });
    }
  });
});
