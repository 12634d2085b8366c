/**
 * k-means++ seeding on the fast path: the greedy k-means++ of ../init.ts (the readable
 * reference, `kmeansPlusPlusRows`), as sweeps of the WebAssembly kernel ./distance-kernel over
 * X in the layout of ./wasm-pass, chunk by chunk on the worker pool like the Lloyd passes
 * (./chunks). Each centre costs two sweeps, whatever the number of local trials: one scores
 * all the trials' potentials at once, the other lowers the squared distance to the nearest
 * centre by the chosen one (and gives each chunk's total, from which the next candidates are
 * drawn). The reference makes one sweep per trial and one more for its cumulative sums. From 8
 * features (wasm-pass's keepsTrials) the first sweep also keeps every trial's lowered distances,
 * and the chosen trial's become the nearest ones without the second sweep (there the sweeps
 * cost more than writing them: 10 seedings at 100k × 16-D, 108 → 92 ms on one thread).
 *
 * Where the trials are kept, the kernel scores them in the expanded form ‖x − r‖² + bias_c −
 * 2 x·c′ of the Lloyd passes (`trialsWide`; distances below zero by rounding count as zero, as
 * in scikit-learn, which computes them so too): a multiply and an add per feature instead of
 * also a subtraction, on the add pipes the sums need (10 seedings at 100k × 16-D on one thread,
 * 82 → 58 ms).
 *
 * Why it picks the same rows as the reference. The random draws are the same, in the same
 * order. In the direct form every squared distance, and every min(closest, distance), is bit
 * for bit the reference's (see the .wat); the expanded form's differ from them by rounding
 * (relative 2⁻⁴⁹ or so of the squared spread of the data). The potentials are also summed in
 * another order: here in two lanes per chunk, chunks added in order; there in one running sum.
 * So the potentials differ by rounding (relative ~1e-16 · √n, or about the expanded form's),
 * and a different row is chosen only if
 *   - a draw falls within that rounding of a boundary between two rows' cumulative weights
 *     (probability about n · 1e-16 per draw, with a uniform draw in [0, potential)), or
 *   - two different trials' potentials differ by less than that rounding. Trials on the same
 *     row, or on rows with the same coordinates, sum the same values in the same order and
 *     tie exactly on both paths (the first wins).
 * Neither happens in practice; the tests check the rows on data sets of several shapes, and
 * the potentials to a relative 1e-12. Chunks are cut by rows alone and reduced in chunk order,
 * so the rows are the same for every number of threads.
 *
 * Given a labels area, a seeding also finds each row's nearest centre (by the distances it
 * computes, the first of equally near ones), for its run's first Lloyd pass (`passLabelled`),
 * which then needs no distances: the sweep after each choice gives the label of the chosen
 * centre to the rows whose closest distance it lowered (the kept row of the closest distances
 * is then not written over, so that the sweep sees both), and `relabel` does so after the last
 * (10 runs at 100k × 16-D on one thread: seedings 60 → 66 ms, their Lloyd passes 146 → 125 ms).
 */
import { ChunkTask, runChunks } from '../../parallel/pool';
import { distanceKernel } from './distance-kernel';
import { localTrials } from '../init';
import { WasmPlan, originAt, tilesAt } from './wasm-pass';

const CLOSER = 0;
const TRIALS = 1;
const LABELLED = 2;

/** One sweep of the distance kernel: which one, and how many trial rows (structured-cloneable). */
export interface SweepPayload {
  plan: WasmPlan;
  op: number;
  trials: number;
  /** The kept row where the closest distances are (−1: none), and trialsWide's tracking of the nearest centres. */
  skip: number;
  prev: number;
  labels: number;
  label: number;
}

/** The chunk function of a sweep, for this thread or a worker (see src/parallel). */
export function sweepChunkTask(s: SweepPayload): (chunk: number) => void {
  const p = s.plan;
  const kernel = distanceKernel(p.memory);
  const f = new Float64Array(p.memory.buffer);
  return (chunk: number) => {
    const start = chunk * p.chunkRows;
    const end = Math.min(p.n, start + p.chunkRows);
    const slot = p.slotsAt + chunk * p.slotBytes;
    if (s.op === CLOSER) f[slot / 8] = kernel.closer(p.xAt, p.dp, start, end, p.rowsAt, p.closestAt);
    else if (s.op === TRIALS && expanded(p)) {
      kernel.trialsWide(p.xAt, p.dp, start, end, tilesAt(p), s.trials, p.closestAt, slot, p.keptAt, keptGap(p), s.skip, p.normsAt, s.prev, s.labels, s.label);
    }
    else if (s.op === TRIALS) kernel.trials(p.xAt, p.dp, start, end, p.rowsAt, s.trials, p.closestAt, slot, p.keptAt, keptGap(p));
    else f[slot / 8] = kernel.labelled(p.xAt, p.dp, p.labelsAt, start, end, p.rowsAt);
  };
}

/**
 * Whether the trials are scored in the expanded form (the kernel's `trialsWide`): on wide data
 * whose trials are kept, so that the chosen one's distances, not the direct form's, become the
 * nearest ones.
 */
function expanded(p: WasmPlan): boolean {
  return p.wide && p.keptAt !== 0;
}

/** Bytes between two trials' kept rows of distances. */
function keptGap(p: WasmPlan): number {
  return 8 * (p.n + (p.n & 1));
}

function sweep(plan: WasmPlan, threads: number, op: number, trials = 0, skip = -1, prev = 0, labels = 0, label = 0): number {
  const payload: SweepPayload = { plan, op, trials, skip, prev, labels, label };
  const task: ChunkTask = { module: __filename, name: 'sweepChunkTask', payload };
  const nChunks = Math.ceil(plan.n / plan.chunkRows);
  runChunks(task, nChunks, threads, sweepChunkTask(payload));
  return nChunks;
}

/**
 * Rows of X (by index) into the kernel's row area as rows of dp values, zero-padded, read from
 * X's copy in the layout (so that a worker needs no X of its own): feature j of row i is in
 * i's pair of rows, in the step of two features holding j, in i's half of that step.
 */
function writeRows(plan: WasmPlan, rows: ArrayLike<number>, count: number): void {
  const { d, dp } = plan;
  const all = new Float64Array(plan.memory.buffer);
  const f = new Float64Array(plan.memory.buffer, plan.rowsAt, count * dp);
  f.fill(0);
  for (let r = 0; r < count; r++) {
    const i = rows[r];
    const at = plan.xAt / 8 + (i >> 1) * 2 * dp + (i & 1) * 2;
    for (let j = 0; j < d; j++) f[r * dp + j] = all[at + (j >> 1) * 4 + (j & 1)];
  }
}

/** What a seeding draws from: a Random, or numbers drawn from one ahead of time. */
export interface Draws {
  random(): number;
  int(n: number): number;
}

/**
 * The rows k-means++ picks on X (n × d, as laid out in `plan`), in order, and the potential
 * (sum of squared distances to the nearest centre) after each: `kmeansPlusPlusRows` of
 * ../init.ts, drawing the same numbers from `rng`. Given a `labels` area (a byte per row) and
 * a plan that tracks them, each row's nearest centre (by the distances the seeding computed,
 * the first of equally near ones) goes there too, and `labelled` says so.
 */
export function seedRows(
  lanePlan: WasmPlan,
  threads: number,
  nClusters: number,
  rng: Draws,
  nLocalTrials = localTrials(nClusters),
  labels = 0,
): { rows: Int32Array; potentials: Float64Array; labelled: boolean } {
  let plan = lanePlan; // its closest distances move to the kept trials' (below)
  const { n } = plan;
  if (nLocalTrials > Math.max(localTrials(plan.k), plan.k)) throw new Error(`seedRows: at most ${Math.max(localTrials(plan.k), plan.k)} local trials fit this plan; got ${nLocalTrials}.`);
  const f = new Float64Array(plan.memory.buffer);
  let closest = new Float64Array(plan.memory.buffer, plan.closestAt, n + (n & 1));
  // Infinity: the first sweep's minimum is then the distance itself. The padding row stays 0.
  closest.fill(Infinity, 0, n);
  closest.fill(0, n);
  const rows = new Int32Array(nClusters);
  const potentials = new Float64Array(nClusters);
  const slot = (chunk: number) => (plan.slotsAt + chunk * plan.slotBytes) / 8;
  // Tracking the nearest centres: every row's is the first, until a chosen trial lowers its
  // distance. The sweep after a choice sees that (the new closest distances below the old),
  // and so that it can, the kept row with the closest distances is not written over (`skip`).
  const L = labels !== 0 && plan.runs > 0 && expanded(plan) && nLocalTrials <= localTrials(plan.k) ? labels : 0;
  if (L !== 0) new Uint8Array(plan.memory.buffer, L, plan.labelBytes).fill(0);
  let skip = -1;
  let prev = 0;
  let chosen = -1;

  rows[0] = rng.int(n);
  writeRows(plan, rows, 1);
  let nChunks = sweep(plan, threads, CLOSER);
  let totals = Float64Array.from({ length: nChunks }, (_, c) => f[slot(c)]);
  let pot = totals.reduce((a, b) => a + b, 0);
  potentials[0] = pot;
  const ids = new Int32Array(nLocalTrials);
  const trialPots = new Float64Array(nLocalTrials);
  for (let c = 1; c < nClusters; c++) {
    for (let t = 0; t < nLocalTrials; t++) ids[t] = drawRow(plan, closest, totals, rng.random() * pot);
    writeRows(plan, ids, nLocalTrials);
    if (expanded(plan)) distanceKernel(plan.memory).tiles(plan.rowsAt, nLocalTrials, plan.dp, originAt(plan), tilesAt(plan));
    nChunks = sweep(plan, threads, TRIALS, nLocalTrials, skip, prev, prev === 0 ? 0 : L, c - 1);
    trialPots.fill(0);
    for (let chunk = 0; chunk < nChunks; chunk++) {
      const o = slot(chunk);
      for (let t = 0; t < nLocalTrials; t++) trialPots[t] += f[o + 2 * t] + f[o + 2 * t + 1];
    }
    let best = -1;
    let bestPot = Infinity;
    for (let t = 0; t < nLocalTrials; t++) {
      if (trialPots[t] < bestPot) {
        bestPot = trialPots[t];
        best = t;
      }
    }
    // As the reference: no trial lowers an infinite potential (squares overflowed); no row.
    rows[c] = best < 0 ? -1 : ids[best];
    potentials[c] = pot = bestPot;
    chosen = best < 0 ? -1 : best + +(skip >= 0 && best >= skip); // its kept row
    if (best < 0 || c === nClusters - 1) continue;
    if (plan.keptAt !== 0) {
      // The chosen trial's kept distances are the next closest ones (the sweep reads each row's
      // before it writes the trials' over them), its chunk sums the totals.
      const at = plan.keptAt + chosen * keptGap(plan);
      if (L !== 0) [skip, prev] = [chosen, plan.closestAt];
      plan = { ...plan, closestAt: at };
      closest = new Float64Array(plan.memory.buffer, at, n + (n & 1));
      totals = Float64Array.from({ length: nChunks }, (_, ch) => f[slot(ch) + 2 * best] + f[slot(ch) + 2 * best + 1]);
      continue;
    }
    // Lower `closest` by the chosen row. Its chunk totals are summed as the trial's were, so
    // they add up to bestPot exactly.
    writeRows(plan, rows.subarray(c, c + 1), 1);
    sweep(plan, threads, CLOSER);
    totals = Float64Array.from({ length: nChunks }, (_, ch) => f[slot(ch)]);
  }
  // The last centre's rows (the sweeps set the others' at the step after theirs).
  if (L !== 0 && nClusters > 1 && chosen >= 0) distanceKernel(plan.memory).relabel(plan.keptAt + chosen * keptGap(plan), plan.closestAt, L, 0, n, nClusters - 1);
  return { rows, potentials, labelled: L !== 0 && !rows.includes(-1) };
}

/**
 * The row where the cumulative sum of `closest` first exceeds `r` (../init.ts's searchRight):
 * the chunk from the chunk totals, then the row by a running sum inside it. If rounding leaves
 * `r` past every sum, the last row with weight in the last chunk with weight.
 */
function drawRow(plan: WasmPlan, closest: Float64Array, totals: Float64Array, r: number): number {
  let acc = 0;
  let chunk = 0;
  let last = -1;
  for (; chunk < totals.length; chunk++) {
    if (totals[chunk] > 0) last = chunk;
    if (acc + totals[chunk] > r) break;
    acc += totals[chunk];
  }
  if (chunk === totals.length) {
    if (last < 0) return plan.n - 1;
    chunk = last;
    acc = 0;
    for (let c = 0; c < last; c++) acc += totals[c];
  }
  const start = chunk * plan.chunkRows;
  const end = Math.min(plan.n, start + plan.chunkRows);
  let lastPositive = end - 1;
  for (let i = start; i < end; i++) {
    acc += closest[i];
    if (acc > r) return i;
    if (closest[i] > 0) lastPositive = i;
  }
  return lastPositive;
}

/**
 * The inertia of the labels in `plan` (as the last Lloyd pass left them) around `centers`
 * (k × d): each row's squared distance to its labelled centre, in the direct form.
 */
export function labelledInertia(plan: WasmPlan, threads: number, centers: Float64Array): number {
  const { k, d, dp } = plan;
  const f = new Float64Array(plan.memory.buffer, plan.rowsAt, k * dp);
  f.fill(0);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) f[c * dp + j] = centers[c * d + j];
  const nChunks = sweep(plan, threads, LABELLED);
  const all = new Float64Array(plan.memory.buffer);
  let inertia = 0;
  for (let chunk = 0; chunk < nChunks; chunk++) inertia += all[(plan.slotsAt + chunk * plan.slotBytes) / 8];
  return inertia;
}
