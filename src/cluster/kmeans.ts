/**
 * K-Means clustering (Lloyd's algorithm) with scikit-learn's API in camelCase.
 *
 *   const km = new KMeans({ nClusters: 3, randomState: 0 }).fit(X);
 *   km.labels; km.clusterCenters; km.inertia; km.predict(Xnew);
 *
 * Labels are plain `number[]` (not typed arrays) so that they print, spread and
 * JSON-serialise like any array in a notebook. `fit` keeps them typed, in the fewest bytes
 * that hold a cluster's index (a byte each up to 256 clusters: fresh memory is dear, 11 ms
 * for 1M labels as 4-byte integers on the machine we measure on), and the array, or the
 * Int32Array of `labelsInt32`, is made on its first read, so a fit pays no O(n) conversion
 * that nobody reads. Lloyd's loop itself is in ./lloyd.
 */
import { Matrix, MatrixLike, checkFinite, toMatrix } from '../matrix';
import { compactLabels } from './compact-labels';
import { checkOptionNames, optionNames } from '../options';
import { Random, RandomState, checkRandomState } from '../random';
import { availableThreads } from '../parallel/pool';
import { kmeansPlusPlus, randomRows, rowsOf } from './init';
import { LloydPass, lloydFinish, lloydPass, planLloyd, seedRuns, useSeedLabels } from './fast';
import { RunResult, assignLabels, lloyd } from './lloyd';
import { exponentFor, overflowExponent, squaredTimesPowerOfTwo, timesPowerOfTwo } from './overflow';
import { sqDist } from './sq-dist';

/** How to choose the starting centres: a method, or the centres themselves (nClusters × nFeatures). */
export type KMeansInit = 'k-means++' | 'random' | MatrixLike;

export interface KMeansOptions {
  /** Number of clusters. Default 8, or the number of rows of explicit `init` centres. */
  nClusters?: number;
  /** Default 'k-means++'. */
  init?: KMeansInit;
  /** Runs from different starts; the one with the lowest inertia is kept. Default 10 (1 for explicit centres). */
  nInit?: number;
  /** Maximum Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /**
   * Convergence tolerance, relative to the data as in scikit-learn: a run stops when the
   * squared Frobenius norm of the centres' shift is ≤ tol × mean per-feature variance of X.
   * Default 1e-4.
   */
  tol?: number;
  /** Seed or generator for the initialisations. Default: seed 0. */
  randomState?: RandomState;
  /**
   * Threads for the Lloyd passes (worker threads sharing X; this one counts). Default: the
   * number of cores. Small data stay on one thread whatever this says, and the results
   * are bit-identical for every value.
   */
  nJobs?: number;
}

interface Fitted {
  centers: Float64Array;
  clusterCenters: number[][];
  labels: Uint8Array | Uint16Array | Int32Array;
  /** `labels` as an Int32Array and as a plain array, each made on first read. */
  labelsInt32?: Int32Array;
  labelsList?: number[];
  inertia: number;
  nIter: number;
  nFeaturesIn: number;
}

export class KMeans {
  readonly nClusters: number;
  readonly init: 'k-means++' | 'random' | Matrix;
  readonly nInit: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly randomState: RandomState;
  readonly nJobs: number;
  private fitted: Fitted | null = null;

  constructor(options: KMeansOptions = {}) {
    checkOptionNames(options, optionNames<KMeansOptions>({ nClusters: true, init: true, nInit: true, maxIter: true, tol: true, randomState: true, nJobs: true }), 'KMeans');
    const init = options.init ?? 'k-means++';
    if (typeof init === 'string') {
      if (init !== 'k-means++' && init !== 'random') {
        throw new Error(`KMeans: unknown init '${init}'; expected 'k-means++', 'random' or an array of centres.`);
      }
      this.init = init;
      this.nClusters = checkPositiveInteger('nClusters', options.nClusters ?? 8);
      this.nInit = checkPositiveInteger('nInit', options.nInit ?? 10);
    } else {
      const centres = toMatrix(init, 'init');
      // A private copy, so that later changes to the caller's array cannot move our starts.
      this.init = { rows: centres.rows, cols: centres.cols, data: Float64Array.from(centres.data) };
      this.nClusters = checkPositiveInteger('nClusters', options.nClusters ?? this.init.rows);
      if (this.init.rows !== this.nClusters) {
        throw new Error(`KMeans: init has ${this.init.rows} centres but nClusters is ${this.nClusters}.`);
      }
      // Every run would start from the same centres and end in the same place.
      this.nInit = checkPositiveInteger('nInit', options.nInit ?? 1);
      if (this.nInit !== 1) {
        throw new Error(`KMeans: nInit must be 1 when init is an array of centres (every run would be identical); got ${this.nInit}.`);
      }
    }
    this.maxIter = checkPositiveInteger('maxIter', options.maxIter ?? 300);
    const tol = options.tol ?? 1e-4;
    if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
      throw new Error(`KMeans: tol must be a finite number ≥ 0; got ${String(tol)}.`);
    }
    this.tol = tol;
    this.randomState = options.randomState;
    this.nJobs = checkPositiveInteger('nJobs', options.nJobs ?? availableThreads());
    checkRandomState(options.randomState); // fail now on a bad seed, not at fit time
  }

  /** Cluster `X` (nSamples × nFeatures). */
  fit(X: MatrixLike): this {
    // The values are checked by the one pass over X that planLloyd makes (below).
    const m = toMatrix(X, 'X', false);
    const k = this.nClusters;
    if (m.rows < k) {
      throw new Error(`KMeans: X has ${m.rows} samples, fewer than nClusters = ${k}.`);
    }
    if (isMatrixInit(this.init) && this.init.cols !== m.cols) {
      throw new Error(`KMeans: init centres have ${this.init.cols} features but X has ${m.cols}.`);
    }
    const rng = checkRandomState(this.randomState);
    // The fast passes (./fast) over this X; setting them up reads X once, for its statistics too.
    // k-means++ can hand each run's first pass its labels: room for them, a byte per row and run.
    const seededRuns = this.init === 'k-means++' ? this.nInit : 0;
    let pass = planLloyd(m.data, m.rows, m.cols, k, this.nJobs, true, seededRuns);
    // Throws at the first NaN or ±Infinity (and passes if only the sums overflowed).
    if (!pass.stats.finite) checkFinite(m.data, m.cols, 'X');
    // Values whose squares overflow are fitted divided by a power of two (exact), then scaled back.
    const initData = isMatrixInit(this.init) ? this.init.data : [];
    // The exact scan of X only when the bound (or sums that overflowed) cannot rule out huge values.
    const e = pass.stats.finite && exponentFor(pass.stats.maxAbsBound) === 0 ? overflowExponent(initData) : overflowExponent(m.data, initData);
    const data: Matrix = e === 0 ? m : { rows: m.rows, cols: m.cols, data: timesPowerOfTwo(m.data, -e) };
    if (e !== 0) pass = planLloyd(data.data, data.rows, data.cols, k, this.nJobs, true, seededRuns);
    const tolAbs = this.tol * pass.stats.meanVariance;
    const assign = (centers: Float64Array, sums: Float64Array, counts: Float64Array) => lloydPass(pass, data.rows, data.cols, centers, k, sums, counts);
    const finish = (centers: Float64Array, relabel: boolean) => lloydFinish(pass, data.data, data.rows, data.cols, centers, k, relabel);
    let best: RunResult | null = null;
    let kept = false;
    const starts = this.startingCenters(data, rng, e, pass);
    for (let run = 0; run < this.nInit; run++) {
      useSeedLabels(pass, run, starts.labelled[run] === true);
      const result = lloyd(data.data, data.rows, data.cols, assign, pass.labels, starts.centers[run], this.maxIter, tolAbs, finish);
      if (best === null || result.inertia < best.inertia) {
        best = result;
        // The next run overwrites pass.labels: the best run's go aside, in the pass's own memory.
        kept = run < this.nInit - 1;
        if (kept) pass.bestLabels.set(result.labels);
      }
    }
    const b = best as RunResult;
    const centers = e === 0 ? b.centers : timesPowerOfTwo(b.centers, e);
    this.fitted = {
      centers,
      clusterCenters: toRows(centers, k, m.cols),
      // One copy out of the pass's memory, which the next fit reuses.
      labels: compactLabels(kept ? pass.bestLabels : b.labels, k),
      inertia: squaredTimesPowerOfTwo(b.inertia, e),
      nIter: b.nIter,
      nFeaturesIn: m.cols,
    };
    return this;
  }

  /** Index of the nearest centre for each row of `X`. */
  predict(X: MatrixLike): number[] {
    const { m, centers } = this.scaledInput(X, 'predict');
    const labels = new Int32Array(m.rows);
    assignLabels(m.data, m.cols, 0, m.rows, centers, this.nClusters, labels);
    return Array.from(labels);
  }

  /** `fit(X)` then the labels of `X`. */
  fitPredict(X: MatrixLike): number[] {
    return this.fit(X).labels;
  }

  /** Euclidean distance from each row of `X` to each centre (nSamples × nClusters). */
  transform(X: MatrixLike): number[][] {
    const { m, centers, e } = this.scaledInput(X, 'transform');
    const unit = Math.pow(2, e); // e ≤ 1023, so this is finite
    const d = m.cols;
    const out: number[][] = new Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      const r: number[] = new Array(this.nClusters);
      for (let c = 0; c < this.nClusters; c++) r[c] = Math.sqrt(sqDist(m.data, i * d, centers, c * d, d)) * unit;
      out[i] = r;
    }
    return out;
  }

  /** `fit(X)` then `transform(X)`. */
  fitTransform(X: MatrixLike): number[][] {
    return this.fit(X).transform(X);
  }

  /**
   * Minus the inertia of `X` around the fitted centres (higher is better, as in scikit-learn);
   * −Infinity when that inertia is beyond the double range (above about 1.8e308).
   */
  score(X: MatrixLike): number {
    const { m, centers, e } = this.scaledInput(X, 'score');
    return -squaredTimesPowerOfTwo(assignLabels(m.data, m.cols, 0, m.rows, centers, this.nClusters, new Int32Array(m.rows)), e);
  }

  /** Centres, nClusters × nFeatures. */
  get clusterCenters(): number[][] {
    return this.check('clusterCenters').clusterCenters;
  }
  /** Cluster index of each training sample. */
  get labels(): number[] {
    const f = this.check('labels');
    f.labelsList ??= Array.from(f.labels);
    return f.labelsList;
  }
  /** The same labels as an Int32Array, made on first read (the model's own: do not modify it). */
  get labelsInt32(): Int32Array {
    const f = this.check('labelsInt32');
    f.labelsInt32 ??= f.labels instanceof Int32Array ? f.labels : new Int32Array(f.labels);
    return f.labelsInt32;
  }
  /** Sum of squared distances of training samples to their centre. */
  get inertia(): number {
    return this.check('inertia').inertia;
  }
  /** Lloyd iterations of the kept run. */
  get nIter(): number {
    return this.check('nIter').nIter;
  }
  get nFeaturesIn(): number {
    return this.check('nFeaturesIn').nFeaturesIn;
  }

  /**
   * Every run's starting centres, for data divided by 2^e, drawn from `rng` run after run (the
   * runs draw nothing else, so drawing them all first changes no number); and for each run
   * whether k-means++ found its rows' nearest centres, for its first pass.
   */
  private startingCenters(m: Matrix, rng: Random, e: number, pass: LloydPass): { centers: Float64Array[]; labelled: boolean[] } {
    const init = this.init;
    if (isMatrixInit(init)) return { centers: [timesPowerOfTwo(init.data, -e)], labelled: [] };
    const runs = (draw: () => Float64Array) => ({ centers: Array.from({ length: this.nInit }, draw), labelled: [] });
    if (init === 'random') return runs(() => randomRows(m.data, m.rows, m.cols, this.nClusters, rng));
    // The same rows as the readable kmeansPlusPlus (./init), on the fast path when there is one.
    if (pass.wasm === null) return runs(() => kmeansPlusPlus(m, this.nClusters, rng));
    const seeded = seedRuns(pass.wasm, pass.threads, this.nClusters, rng, this.nInit);
    return { centers: seeded.rows.map((rows) => rowsOf(m, rows)), labelled: seeded.labelled };
  }

  private check(what: string): Fitted {
    if (this.fitted === null) throw new Error(`KMeans is not fitted yet: call fit(X) before reading ${what}.`);
    return this.fitted;
  }

  /** X and the centres, divided by 2^e when their squares would overflow (e = 0 otherwise). */
  private scaledInput(X: MatrixLike, method: string): { m: Matrix; centers: Float64Array; e: number } {
    const { m, f } = this.checkInput(X, method);
    const e = overflowExponent(m.data, f.centers);
    if (e === 0) return { m, centers: f.centers, e };
    return { m: { rows: m.rows, cols: m.cols, data: timesPowerOfTwo(m.data, -e) }, centers: timesPowerOfTwo(f.centers, -e), e };
  }

  private checkInput(X: MatrixLike, method: string): { m: Matrix; f: Fitted } {
    const f = this.check(`${method}()`);
    const m = toMatrix(X, 'X');
    if (m.cols !== f.nFeaturesIn) {
      throw new Error(`KMeans.${method}: X has ${m.cols} features, but the model was fitted on ${f.nFeaturesIn}.`);
    }
    return { m, f };
  }
}

function isMatrixInit(init: KMeans['init']): init is Matrix {
  return typeof init !== 'string';
}

function toRows(flat: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)));
}

function checkPositiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`KMeans: ${name} must be an integer ≥ 1; got ${String(value)}.`);
  }
  return value;
}
