/**
 * A fit's several k-means++ seedings (nInit runs) on the fast path, seeded up front by
 * `seedRuns`, on several threads a run at a time (each run is ./seeding's `seedRows`): a
 * seeding makes two sweeps per centre, each too short to share between threads without waiting
 * for them, while different runs need no waiting at all. Each run draws the same numbers as it
 * would in turn: a seeding draws a fixed count of them (`drawsPerSeeding`). Each run's labels
 * (the rows' nearest centres, where the plan tracks them) go to an area of their own.
 */
import { Random } from '../../random';
import { runChunks } from '../../parallel/pool';
import { localTrials } from '../init';
import { Draws, seedRows } from './seeding';
import { WasmPlan } from './wasm-pass';

/** How many numbers one seeding draws: its first row, then its trials for every later centre. */
export function drawsPerSeeding(nClusters: number, nLocalTrials = localTrials(nClusters)): number {
  return 1 + (nClusters - 1) * nLocalTrials;
}

/** Numbers drawn ahead of time, handed out in order as Random would have drawn them. */
class Drawn implements Draws {
  constructor(private readonly values: Float64Array, private at: number) {}
  random(): number {
    return this.values[this.at++];
  }
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
}

/** A fit's seedings at once (structured-cloneable): numbers drawn ahead, rows out, lanes claimed. */
export interface SeedRunsPayload {
  plan: WasmPlan;
  nClusters: number;
  draws: Float64Array;
  /** runs × nClusters (shared): each run's rows. */
  rows: Int32Array;
  /** runs (shared): 1 where a run's nearest centres were found (see seedRows). */
  labelled: Int32Array;
  /** One shared counter: each thread claims a lane (its own part of the memory) with it. */
  lanes: Int32Array;
}

/** The plan as seeding lane `lane` sees it: its own closest distances, rows and slots (lane 0: the plan's). */
function seedLane(p: WasmPlan, lane: number): WasmPlan {
  if (lane === 0) return p;
  if (!(lane < p.seedLanes)) throw new Error(`seedLane: the plan has ${p.seedLanes} seeding lanes; lane ${lane} asked for.`);
  const closestAt = p.lanesAt + (lane - 1) * p.laneBytes;
  const rowsAt = closestAt + (p.rowsAt - p.closestAt);
  const slotsAt = rowsAt + (p.boundsAt - p.rowsAt);
  return { ...p, closestAt, rowsAt, slotsAt, keptAt: p.keptAt === 0 ? 0 : slotsAt + (p.keptAt - p.slotsAt) };
}

/** Where run `run`'s nearest centres go (0: the plan does not track them for it). */
export function runLabelsAt(p: WasmPlan, run: number): number {
  return run < p.runs ? p.runLabelsAt + run * p.labelBytes : 0;
}

/** The chunk function of `seedRuns` (a chunk is a run), for this thread or a worker. */
export function seedRunTask(s: SeedRunsPayload): (run: number) => void {
  const plan = seedLane(s.plan, Atomics.add(s.lanes, 0, 1));
  const per = drawsPerSeeding(s.nClusters);
  return (run: number) => {
    const seeded = seedRows(plan, 1, s.nClusters, new Drawn(s.draws, run * per), localTrials(s.nClusters), runLabelsAt(plan, run));
    s.rows.set(seeded.rows, run * s.nClusters);
    s.labelled[run] = +seeded.labelled;
  };
}

/**
 * The rows of `runs` k-means++ seedings (`seedRows`, one after another from `rng`), each on one
 * thread: up to `threads` at once, as many as the plan has lanes for; and for each run whether
 * its rows' nearest centres are at `runLabelsAt` (for its first Lloyd pass).
 */
export function seedRuns(plan: WasmPlan, threads: number, nClusters: number, rng: Random, runs: number): { rows: Int32Array[]; labelled: boolean[] } {
  const lanes = Math.min(threads, runs, plan.seedLanes);
  if (lanes <= 1) {
    const seeded = Array.from({ length: runs }, (_, r) => seedRows(plan, threads, nClusters, rng, localTrials(nClusters), runLabelsAt(plan, r)));
    return { rows: seeded.map((s) => s.rows), labelled: seeded.map((s) => s.labelled) };
  }
  const draws = Float64Array.from({ length: runs * drawsPerSeeding(nClusters) }, () => rng.random());
  const shared = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));
  const payload: SeedRunsPayload = { plan, nClusters, draws, rows: shared(runs * nClusters), labelled: shared(runs), lanes: shared(1) };
  // This thread's chunk function first: it claims lane 0, the plan's own memory.
  const local = seedRunTask(payload);
  runChunks({ module: __filename, name: 'seedRunTask', payload }, runs, lanes, local);
  return {
    rows: Array.from({ length: runs }, (_, r) => payload.rows.slice(r * nClusters, (r + 1) * nClusters)),
    labelled: Array.from(payload.labelled, (l) => l === 1),
  };
}
