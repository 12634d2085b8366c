/**
 * The Lloyd pass (the assignment step of ../lloyd, with the sums of the update) through the
 * WebAssembly SIMD kernel of ./lloyd-kernel: the data are copied once per fit into a shared
 * WebAssembly memory in the kernel's layout (which workers of src/parallel instantiate the
 * kernel on), the centres are written there before each pass, and each chunk of rows leaves
 * its accumulator and its count of changed labels in a slot of its own, reduced in chunk
 * order as in ./chunks.
 *
 * Two features (or one, padded with a zero column) go through `pass2`, which computes the
 * squared distances directly. More go through `passWide`, in the expanded form
 *   ‖x − c‖² = ‖x − r‖² + (‖c′‖² + 2 r·c′) − 2 x·c′,  c′ = c − r,
 * where r is the mean of the data: the first term is the same for every centre, so the
 * nearest one minimises (‖c′‖² + 2 r·c′) − 2 x·c′, one multiply-add per feature. Measuring
 * from r (within the data) rather than from the origin keeps the rounding proportional to the
 * spread of the data, the reason scikit-learn centres X first. The kernel's executable
 * specification, in scalar TypeScript, is test/support/lloyd-pass-scalar.ts.
 *
 * The wide passes also keep Hamerly's bounds per row: after a run's first pass (`passWide`,
 * every row computed and summed) `passBounded` computes only the rows whose bounds do not
 * prove their label, and returns the change in the sums, from the rows that moved; the labels
 * stay those of computing every row (the .wat says why, at its `centres`, and how),
 * the sums those of summing every row up to rounding. The bounds need ‖x − r‖² of each
 * computed row: with r fixed for the fit, the kernel's `norms` computes them once.
 */
import { localTrials } from '../init';
import { stableObject } from '../../stable-object';
import { DataStats, finishStats } from '../data-stats';
import { copyPairs } from './copy-pairs';
import { memoryFor } from './fit-memory';
import { CHANGED, accLength } from './slots';
import { LloydKernel, WasmMemory, lloydKernel } from './lloyd-kernel';

/** Everything a thread needs to run chunks of a fit's passes (structured-cloneable). */
export interface WasmPlan {
  /** Tells a worker when it can reuse the kernel it instantiated for an earlier pass. */
  id: number;
  memory: WasmMemory;
  n: number;
  d: number;
  k: number;
  /** Features as stored: d rounded up to even (2 for d ≤ 2). */
  dp: number;
  /** Whether the passes are the wide ones (d > 2: `passWide`, `passBounded`) rather than `pass2`. */
  wide: boolean;
  /** Centre blocks per accumulator lane: k, or for `passWide` k rounded up to a multiple of 4. */
  kSlots: number;
  chunkRows: number;
  /** Byte offsets in the memory. */
  xAt: number;
  /** A pass's k × d sums and k counts while the chunks' slots are added into them (./slots). */
  sumsAt: number;
  /** Statistics and a block of rows of X as given, on their way into the layout (d ≠ 2). */
  stageAt: number;
  labelsAt: number;
  /** The labels of a fit's best run so far: ../kmeans keeps them here, as the next run overwrites labelsAt's. */
  bestLabelsAt: number;
  centresAt: number;
  /** `passWide`'s bounds [u, l] per row and ‖x − r‖² per row (n rounded up to even, f64), and its per-pass data (see the .wat). */
  boundsAt: number;
  normsAt: number;
  infoAt: number;
  /** r, the mean of the data (d), from which `passWide` measures. */
  origin: Float64Array;
  /** At least the largest ‖x‖ over the rows (`passWide`'s bound on rounding). */
  maxNorm: number;
  /** k-means++'s squared distances to the nearest centre so far (n rounded up to even, f64; ./seeding). */
  closestAt: number;
  /** Centres or candidates in plain rows of dp f64, for ./distance-kernel (max(k, trials) rows; then, if wide, their `tilesAt`). */
  rowsAt: number;
  slotsAt: number;
  /** Bytes per chunk slot (a multiple of 64, so that slots never share a cache line). */
  slotBytes: number;
  /** k-means++'s kept trial distances (one row like closest's per trial; 0: not kept, see ./seeding). */
  keptAt: number;
  /** Seedings that can run at once (./seeding's seedRuns): lane 0 uses the areas above, each other lane a block of its own. */
  seedLanes: number;
  lanesAt: number;
  laneBytes: number;
  /**
   * Where k-means++ keeps the nearest centres it found for each of a fit's `runs` (0: it does
   * not track them), a byte per row in areas of `labelBytes`: a run's first Lloyd pass then
   * needs no distances. The kept trials then have a row more (./seeding says why).
   */
  runLabelsAt: number;
  runs: number;
  labelBytes: number;
}

let nextId = 1;

/**
 * Whether k-means++ keeps its trials' distances, so that the chosen one's need no sweep of its
 * own: from 8 features, where a sweep is dear (at 2 features writing them cost more, measured).
 */
function keepsTrials(d: number): boolean {
  return d >= 8;
}

const align = (bytes: number, to: number): number => Math.ceil(bytes / to) * to;

/**
 * Lay out X (n × d) for the kernel in a shared memory, with X's statistics; null if
 * WebAssembly cannot hold it.
 */
export function planWasm(X: Float64Array, n: number, d: number, k: number, chunkRows: number, seedLanes = 1, runs = 0): { plan: WasmPlan; stats: DataStats } | null {
  const wide = d > 2;
  const dp = wide ? d + (d & 1) : 2;
  const kSlots = wide ? align(k, 4) : k;
  // Whole row pairs: the distance kernel reads the padding row of an odd n.
  const xBytes = Math.ceil(n / 2) * dp * 16;
  const centresBytes = wide ? (kSlots / 4) * (32 + 32 * dp) : 16 * k;
  // A slot also holds the distance kernel's results: 2 per k-means++ trial, fewer than 2·k·(dp + 2);
  // and after 4 counters, passBounded's list of rows (256 i32).
  const slotBytes = align(8 * (2 * kSlots * (dp + 2) + 4) + (wide ? 1024 : 0), 64);
  const boundsBytes = wide ? 16 * (n + (n & 1)) : 0;
  const normsBytes = wide ? 8 * (n + (n & 1)) : 0;
  const infoBytes = wide ? 8 * (3 * kSlots + 4 + dp) : 0;
  const xAt = 0;
  const labelsAt = align(xAt + xBytes, 64);
  const bestLabelsAt = align(labelsAt + 4 * n, 64);
  const centresAt = align(bestLabelsAt + 4 * n, 64);
  const closestAt = align(centresAt + centresBytes, 64);
  const rowsAt = align(closestAt + 8 * (n + (n & 1)), 64);
  const boundsAt = align(tilesAt({ rowsAt, dp, k }) + (wide ? Math.ceil(candidates(k) / 4) * (32 + 32 * dp) : 0), 64);
  const normsAt = align(boundsAt + boundsBytes, 64);
  const infoAt = align(normsAt + normsBytes, 64);
  const sumsAt = align(infoAt + infoBytes, 64);
  const stageAt = align(sumsAt + 8 * (k * d + k), 64);
  // (+ 2 f64: the kernel reads a row's last pair of features whole, even for an odd d)
  // It later holds a pass's centres and the last pass's (./writeCentres).
  const stageBytes = d === 2 ? 0 : 8 * Math.max(3 * dp + 2 + chunkRows * d + 2, 2 * k * d);
  const slotsAt = align(stageAt + stageBytes, 64);
  const keptAt = slotsAt + Math.ceil(n / chunkRows) * slotBytes;
  // The runs' labels, a byte per row (k ≤ 255), where the trials are kept; they keep a row more then.
  const labelBytes = align(n + 1, 16);
  const tracked = keepsTrials(d) && k <= 255 && runs > 0;
  let kept = keepsTrials(d) ? (localTrials(k) + +tracked) * 8 * (n + (n & 1)) : 0;
  // A seeding lane: its own closest distances, rows, slots and kept trials (as in ./seeding's seedLane).
  const laneBytes = () => (rowsAt - closestAt) + (boundsAt - rowsAt) + (keptAt - slotsAt) + kept;
  const runLabelsAt = () => keptAt + kept + (seedLanes - 1) * laneBytes();
  let memory = memoryFor(runLabelsAt() + (tracked ? runs * labelBytes : 0));
  if (memory === null && (kept > 0 || seedLanes > 1)) {
    // Kept trials, extra lanes and the runs' labels only make a fit faster: without them rather than without the kernel.
    kept = 0;
    seedLanes = 1;
    memory = memoryFor(keptAt);
  }
  if (memory === null) return null;
  // maxNorm starts as a double (NaN until copyRows sets it), not as the integer 0: the field's
  // representation then never changes (see ../../stable-object).
  const plan: WasmPlan = stableObject({
    id: nextId++, memory, n, d, k, dp, wide, kSlots, chunkRows, xAt, sumsAt, stageAt, labelsAt, bestLabelsAt, centresAt, closestAt, rowsAt, boundsAt, normsAt, infoAt,
    origin: new Float64Array(d), maxNorm: NaN, slotsAt, slotBytes, keptAt: kept > 0 ? keptAt : 0, seedLanes, lanesAt: keptAt + kept, laneBytes: laneBytes(),
    runLabelsAt: kept > 0 && tracked ? runLabelsAt() : 0, runs: kept > 0 && tracked ? runs : 0, labelBytes,
  });
  const stats = copyRows(plan, X);
  if (wide) rowNorms(plan);
  return { plan, stats };
}

/** ‖x − r‖² of every row, by the kernel (r goes where the passes will read it too). */
function rowNorms(p: WasmPlan): void {
  const rAt = originAt(p);
  const r = new Float64Array(p.memory.buffer, rAt, p.dp);
  r.fill(0); // the padding feature, in a memory an earlier fit used
  r.set(p.origin);
  kernelFor(p).norms(p.xAt, p.dp, 0, p.n, rAt, p.normsAt);
}

/**
 * X into the kernel's layout, rows of dp values interleaved by pairs of rows, gathering
 * ../data-stats on the way (the fit's one pass over X before Lloyd's loop): a block of rows at
 * a time is copied as it is into the memory, then the kernel's `layout` puts it in place and
 * sums it (5× faster than this in JavaScript, the same sums).
 */
function copyRows(p: WasmPlan, X: Float64Array): DataStats {
  const { n, d, dp } = p;
  if (d === 2) return copyPairs(new Float64Array(p.memory.buffer, p.xAt, (p.labelsAt - p.xAt) / 8), X, n);
  const f = new Float64Array(p.memory.buffer);
  // The padding row of an odd n must read as 0 in a memory an earlier fit used.
  if (n & 1) f.fill(0, (p.xAt + (n >> 1) * 16 * dp) / 8, (p.xAt + ((n >> 1) + 1) * 16 * dp) / 8);
  // The statistics: sums, squares and x₀ (dp each), then the largest ‖x − x₀‖².
  const A = p.stageAt / 8;
  f.fill(0, A, A + 3 * dp + 1);
  f.set(X.subarray(0, d), A + 2 * dp);
  const stage = p.stageAt + 8 * (3 * dp + 2);
  const kernel = kernelFor(p);
  for (let i = 0; i < n; i += p.chunkRows) {
    const m = Math.min(p.chunkRows, n - i);
    f.set(X.subarray(i * d, (i + m) * d), stage / 8);
    kernel.layout(stage, m, i, d, dp, p.xAt, p.stageAt);
  }
  const sums = f.slice(A, A + d);
  const squares = f.slice(A + dp, A + dp + d);
  let first2 = 0;
  for (let j = 0; j < d; j++) {
    first2 += X[j] * X[j];
    p.origin[j] = X[j] + sums[j] / n;
  }
  // ‖x‖ ≤ ‖x₀‖ + ‖x − x₀‖, widened past the rounding of both sums.
  p.maxNorm = (Math.sqrt(first2) + Math.sqrt(f[A + 3 * dp])) * (1 + 2 ** -40);
  return finishStats(sums, squares, X.subarray(0, d), n);
}

/** The labels array of the plan (in the shared memory). */
export function wasmLabels(p: WasmPlan): Int32Array {
  return new Int32Array(p.memory.buffer, p.labelsAt, p.n);
}

/**
 * Write the centres (k × d) where the kernel reads them, in its form; for `passWide` also how
 * far each moved since `previous` (the last pass's centres, whose labels and bounds the
 * memory holds), or, if `previous` is null, that every row is to be computed (the kernel's
 * `centres`, on copies of both in the staging area, free once X is laid out).
 */
export function writeCentres(p: WasmPlan, centers: Float64Array, previous: Float64Array | null = null): void {
  const { d, k, dp } = p;
  const f = new Float64Array(p.memory.buffer);
  if (!p.wide) {
    for (let c = 0; c < k; c++) for (let j = 0; j < 2; j++) f[p.centresAt / 8 + 2 * c + j] = j < d ? centers[c * d + j] : 0;
    return;
  }
  const C = p.stageAt;
  const P = previous === null ? 0 : C + 8 * k * d;
  f.set(centers.subarray(0, k * d), C / 8);
  if (previous !== null) f.set(previous.subarray(0, k * d), P / 8);
  kernelFor(p).centres(C, P, d, dp, k, p.kSlots, p.centresAt, p.infoAt, originAt(p), p.maxNorm);
}

/** The pass after `writeCentres` (a fresh one) takes its labels from R (a byte per row) instead of computing them. */
export function setLabelsFrom(p: WasmPlan, R: number): void {
  new Float64Array(p.memory.buffer)[scalarsAt(p) + 3] = R;
}

/** Rows the plan's row area holds: a fit's centres, or one step's k-means++ candidates. */
function candidates(k: number): number {
  return Math.max(k, localTrials(k));
}

/** Where the distance kernel's `tiles` lay out the candidates of a wide plan (after its rows). */
export function tilesAt(p: Pick<WasmPlan, 'rowsAt' | 'dp' | 'k'>): number {
  return p.rowsAt + align(8 * p.dp * candidates(p.k), 64);
}

/** The index (in f64) of the pass's scalars [μ, E, fresh, R] in the plan's memory: after δ, δ′ and h (see the .wat). */
function scalarsAt(p: WasmPlan): number {
  return p.infoAt / 8 + 3 * p.kSlots;
}

/** Where r, the mean of the data, is in the plan's memory (after the bounds' info). */
export function originAt(p: WasmPlan): number {
  return 8 * (scalarsAt(p) + 4);
}

let cached: { id: number; kernel: LloydKernel } | null = null;

/** The kernel on the plan's memory, instantiated once per plan and thread. */
function kernelFor(p: WasmPlan): LloydKernel {
  if (cached === null || cached.id !== p.id) cached = { id: p.id, kernel: lloydKernel(p.memory) };
  return cached.kernel;
}

/** The chunk function of the plan's passes, for this thread or a worker (see src/parallel). */
export function wasmChunkTask(p: WasmPlan): (chunk: number) => void {
  const kernel = kernelFor(p);
  const f = new Float64Array(p.memory.buffer);
  const changedAt = accLength(p);
  // writeCentres marks a pass that computes every row (a run's first): passWide; the others
  // passBounded; setLabelsFrom one that takes its labels from k-means++: passLabelled.
  const R = p.wide ? f[scalarsAt(p) + 3] : 0;
  const pass = p.wide ? (f[scalarsAt(p) + 2] !== 0 ? kernel.passWide : kernel.passBounded) : null;
  return (chunk: number) => {
    const start = chunk * p.chunkRows;
    const end = Math.min(p.n, start + p.chunkRows);
    const slot = p.slotsAt + chunk * p.slotBytes;
    const changed = R !== 0
      ? kernel.passLabelled(p.xAt, p.dp, p.labelsAt, start, end, R, p.kSlots, slot)
      : pass !== null
      ? pass(p.xAt, p.dp, p.labelsAt, start, end, p.centresAt, p.kSlots, slot, p.boundsAt, p.normsAt, p.infoAt)
      : kernel.pass2(p.xAt, p.labelsAt, start, end, p.centresAt, p.k, slot);
    f[slot / 8 + changedAt + CHANGED] = changed;
  };
}
