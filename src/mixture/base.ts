/**
 * The fit loop shared by mixture models, after scikit-learn's BaseMixture:
 * nInit restarts, EM until the mean log-likelihood changes by less than tol,
 * the best restart kept, warm starts, verbose messages and the convergence
 * warning. Subclasses supply initialisation, the E-step, the M-step and densities.
 *
 * Each EM iteration is an E-step (responsibilities under the current parameters, and the
 * mean log-likelihood that scikit-learn calls the lower bound) then an M-step (parameters
 * from those responsibilities). A subclass may fuse the two into one faster pass by
 * overriding `emIteration`, provided it computes the same thing.
 *
 * The loop is a generator so that callers can watch EM step by step; `fit`
 * just runs it to the end, and builds no per-iteration state unless observed.
 */
import { Matrix, MatrixLike, toMatrix } from '../matrix';
import { Random, checkRandomState } from '../random';
import { EStepResult, logSumExpRows } from './e-step';
import { checkLogDensities, checkSquaresFit } from './overflow';
import { ResolvedOptions } from './options';
import { CovarianceType, EmState } from './types';

export interface FitResult<P> {
  params: P;
  converged: boolean;
  nIter: number;
  lowerBound: number;
  lowerBounds: number[];
  nFeaturesIn: number;
}

export abstract class BaseMixture<P, W, C extends CovarianceType> {
  protected fitted: FitResult<P> | null = null;

  protected constructor(protected readonly options: ResolvedOptions<C>) {}

  /** Validate options that depend on X (initial parameters), before any work. */
  protected abstract checkParameters(X: Matrix): void;
  protected abstract allocWorkspace(X: Matrix): W;
  protected abstract initialize(X: Matrix, rng: Random): P;
  protected abstract copyParameters(p: P): P;
  /** Responsibilities of every row under `p`, and the mean log-likelihood. */
  protected abstract eStep(X: Matrix, p: P): EStepResult;
  /** New parameters into `p` from the responsibilities of an E-step. */
  protected abstract mStep(X: Matrix, resp: Float64Array, p: P): void;
  /** log wₖ + log p(xᵢ | k), N×K row-major. */
  protected abstract weightedLogProb(X: Matrix, p: P): Float64Array;
  protected abstract makeState(X: Matrix, init: number, iter: number, lowerBound: number, p: P): EmState<C>;
  protected abstract get nComponentsOf(): number;

  /**
   * One EM iteration on `p` in place: the E-step, then the M-step. Returns the mean
   * log-likelihood of the E-step (under the parameters before the M-step).
   */
  protected emIteration(X: Matrix, p: P, ws: W): number {
    void ws;
    const { meanLogLikelihood, resp } = this.eStep(X, p);
    this.mStep(X, resp, p);
    return meanLogLikelihood;
  }

  /** Estimate the parameters with EM; returns this. */
  fit(X: MatrixLike): this {
    const observe = this.options.onIteration !== undefined;
    drain(this.run(this.checkFitInput(X), observe));
    return this;
  }

  /** Fit, then the most probable component of every row of X (same as fit(X).predict(X)). */
  fitPredict(X: MatrixLike): number[] {
    const M = this.checkFitInput(X);
    drain(this.run(M, this.options.onIteration !== undefined));
    return this.predictMatrix(M);
  }

  /**
   * Fit step by step: yields the state after each restart's initialisation (iter 0)
   * and after every EM iteration. The model is fitted once the generator is exhausted.
   * Input is checked now, not at the first `next()`.
   */
  fitSteps(X: MatrixLike): Generator<EmState<C>, this, undefined> {
    const M = this.checkFitInput(X);
    const self = this;
    return (function* () {
      yield* self.run(M, true);
      return self;
    })();
  }

  /** Most probable component of every row. */
  predict(X: MatrixLike): number[] {
    return this.predictMatrix(this.checkPredictInput(X, 'predict'));
  }

  /** Posterior probability of each component for every row (rows sum to 1). */
  predictProba(X: MatrixLike): number[][] {
    const M = this.checkPredictInput(X, 'predictProba');
    const K = this.nComponentsOf;
    const wlp = this.weightedLogProb(M, this.fitted!.params);
    checkLogDensities(wlp, M.rows, K, 'predictProba');
    const lse = logSumExpRows(wlp, M.rows, K);
    const out: number[][] = new Array(M.rows);
    for (let i = 0; i < M.rows; i++) {
      const row = new Array<number>(K);
      for (let k = 0; k < K; k++) row[k] = Math.exp(wlp[i * K + k] - lse[i]);
      out[i] = row;
    }
    return out;
  }

  /** Log-likelihood log p(xᵢ) of every row. */
  scoreSamples(X: MatrixLike): number[] {
    return Array.from(this.scoreSamplesMatrix(this.checkPredictInput(X, 'scoreSamples')));
  }

  /** Mean log-likelihood of the rows of X. */
  score(X: MatrixLike): number {
    return mean(this.scoreSamplesMatrix(this.checkPredictInput(X, 'score')));
  }

  protected scoreSamplesMatrix(M: Matrix): Float64Array {
    return logSumExpRows(this.weightedLogProb(M, this.fitted!.params), M.rows, this.nComponentsOf);
  }

  protected predictMatrix(M: Matrix): number[] {
    const K = this.nComponentsOf;
    const wlp = this.weightedLogProb(M, this.fitted!.params);
    checkLogDensities(wlp, M.rows, K, 'predict');
    const labels = new Array<number>(M.rows);
    for (let i = 0; i < M.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (wlp[i * K + k] > wlp[i * K + best]) best = k;
      labels[i] = best;
    }
    return labels;
  }

  private checkFitInput(X: MatrixLike): Matrix {
    const M = toMatrix(X, 'X');
    const K = this.nComponentsOf;
    if (M.rows < 2) throw new Error(`X has ${M.rows} sample; fitting a mixture needs at least 2.`);
    if (M.rows < K) {
      throw new Error(`Expected nSamples ≥ nComponents, but got nComponents = ${K} and nSamples = ${M.rows}.`);
    }
    if (this.options.warmStart && this.fitted && this.fitted.nFeaturesIn !== M.cols) {
      throw new Error(
        `warmStart: X has ${M.cols} features, but the previous fit had ${this.fitted.nFeaturesIn}; ` +
          `fit a new model (or set warmStart false) for data of another dimension.`,
      );
    }
    checkSquaresFit(M);
    this.checkParameters(M);
    return M;
  }

  protected checkFitted(method: string): FitResult<P> {
    if (!this.fitted) {
      throw new Error(`This ${this.constructor.name} instance is not fitted yet. Call fit(X) before using ${method}.`);
    }
    return this.fitted;
  }

  protected checkPredictInput(X: MatrixLike, method: string): Matrix {
    const fitted = this.checkFitted(method);
    const M = toMatrix(X, 'X');
    if (M.cols !== fitted.nFeaturesIn) {
      throw new Error(`X has ${M.cols} features, but ${this.constructor.name} was fitted with ${fitted.nFeaturesIn} features.`);
    }
    return M;
  }

  /** scikit-learn's fit_predict loop, minus the final E-step (predictMatrix does it). */
  private *run(X: Matrix, observe: boolean): Generator<EmState<C>, void, undefined> {
    const o = this.options;
    const previous = this.fitted;
    const doInit = !(o.warmStart && previous);
    const nInit = doInit ? o.nInit : 1;
    const rng = checkRandomState(o.randomState);
    const ws = this.allocWorkspace(X);
    let maxLowerBound = -Infinity;
    let converged = false;
    let best: { params: P; nIter: number; lowerBounds: number[] } | null = null;
    let init = 0;
    for (; init < nInit; init++) {
      const t0 = Date.now();
      if (o.verbose >= 1) console.log(`Initialization ${init}`);
      const params = doInit ? this.initialize(X, rng) : this.copyParameters(previous!.params);
      let lowerBound = doInit ? -Infinity : previous!.lowerBound;
      const history: number[] = [];
      if (observe) yield this.observed(X, init, 0, lowerBound, params);
      let nIter = 0;
      let tIter = Date.now();
      for (let iter = 1; iter <= o.maxIter; iter++) {
        nIter = iter;
        const prev = lowerBound;
        lowerBound = this.emIteration(X, params, ws);
        history.push(lowerBound);
        const change = lowerBound - prev;
        if (iter % o.verboseInterval === 0 && o.verbose >= 1) {
          const now = Date.now();
          console.log(o.verbose >= 2 ? `  Iteration ${iter}\t time lapse ${((now - tIter) / 1000).toFixed(5)}s\t ll change ${change.toFixed(5)}` : `  Iteration ${iter}`);
          tIter = now;
        }
        if (observe) yield this.observed(X, init, iter, lowerBound, params);
        if (Math.abs(change) < o.tol) {
          converged = true;
          break;
        }
      }
      if (o.verbose >= 1) {
        const extra = o.verbose >= 2 ? `\t time lapse ${((Date.now() - t0) / 1000).toFixed(5)}s\t ll ${lowerBound.toFixed(5)}` : '';
        console.log(`Initialization converged: ${converged ? 'True' : 'False'}${extra}`);
      }
      // With maxIter 0 scikit-learn keeps the last initialisation and a lower bound of -inf.
      if (o.maxIter === 0) best = { params, nIter: 0, lowerBounds: history };
      else if (lowerBound > maxLowerBound || maxLowerBound === -Infinity) {
        maxLowerBound = lowerBound;
        best = { params, nIter, lowerBounds: history };
      }
    }
    if (!converged && o.maxIter > 0 && o.warnOnNoConvergence) {
      console.warn(
        `Initialization ${init} did not converge. Try different init parameters, or increase maxIter, tol ` +
          `or check for degenerate data. (Silence with warnOnNoConvergence: false.)`,
      );
    }
    this.fitted = {
      params: best!.params,
      converged,
      nIter: best!.nIter,
      lowerBound: maxLowerBound,
      lowerBounds: best!.lowerBounds,
      nFeaturesIn: X.cols,
    };
  }

  private observed(X: Matrix, init: number, iter: number, lowerBound: number, params: P): EmState<C> {
    const state = this.makeState(X, init, iter, lowerBound, this.copyParameters(params));
    this.options.onIteration?.(state);
    return state;
  }
}

function drain(g: Generator<unknown, void, undefined>): void {
  while (!g.next().done) {
    // each step is a state someone observes through onIteration
  }
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
