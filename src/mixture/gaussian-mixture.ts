/**
 * GaussianMixture: scikit-learn 1.2's sklearn.mixture.GaussianMixture in camelCase.
 *
 *   const gm = new GaussianMixture({ nComponents: 3, covarianceType: 'full', randomState: 0 }).fit(X);
 *   gm.weights; gm.means; gm.covariances; gm.predict(X); gm.predictProba(X); gm.bic(X);
 *
 * Parameters are kept in flat Float64Arrays (params.ts); the attributes hand out
 * fresh nested arrays shaped as in scikit-learn.
 */
import { Matrix, MatrixLike } from '../matrix';
import { Random, RandomState, checkRandomState } from '../random';
import { BaseMixture } from './base';
import { checkMeans, checkPrecisions, checkWeights, setFromPrecisions } from './check-init';
import { EStepResult, eStep } from './e-step';
import { EmWorkspace, allocWorkspace, fastEmIteration } from './fast';
import { initialResponsibilities } from './init';
import { choleskyLower } from './linalg';
import { weightedLogProb } from './log-density';
import { estimateGaussianParameters, mStep } from './m-step';
import { labelParameters } from './fast/label-parameters';
import { computePrecisionCholesky } from './precision-cholesky';
import { resolveOptions } from './options';
import { MixtureParams, allocParams, copyParams, covarianceToNested, nParameters, precisionsFromCholesky, reshape } from './params';
import { CovarianceArray, CovarianceType, EmState, GaussianMixtureOptions } from './types';

export class GaussianMixture<C extends CovarianceType = 'full'> extends BaseMixture<MixtureParams, EmWorkspace, C> {
  private checkedInit: { weights?: Float64Array; means?: Float64Array; precisions?: Float64Array } = {};

  constructor(options: GaussianMixtureOptions<C> = {}) {
    const o = resolveOptions(options);
    super(o);
    // Checks that need no data happen now rather than at fit.
    if (o.weightsInit !== undefined) checkWeights(o.weightsInit, o.nComponents);
  }

  get nComponents(): number {
    return this.options.nComponents;
  }
  get covarianceType(): C {
    return this.options.covarianceType;
  }
  protected get nComponentsOf(): number {
    return this.options.nComponents;
  }

  // ---- fitted attributes (scikit-learn's trailing-underscore ones) ----

  get weights(): number[] {
    return Array.from(this.params('weights').weights);
  }
  get means(): number[][] {
    const p = this.params('means');
    return reshape(p.means, 0, p.K, p.d);
  }
  get covariances(): CovarianceArray<C> {
    const p = this.params('covariances');
    return covarianceToNested(p.type, p.K, p.d, p.covariances) as CovarianceArray<C>;
  }
  get precisions(): CovarianceArray<C> {
    const p = this.params('precisions');
    return covarianceToNested(p.type, p.K, p.d, precisionsFromCholesky(p)) as CovarianceArray<C>;
  }
  /** Cholesky factors of the precisions, as in scikit-learn (upper-triangular U with precision = U Uᵀ for full/tied). */
  get precisionsCholesky(): CovarianceArray<C> {
    const p = this.params('precisionsCholesky');
    return covarianceToNested(p.type, p.K, p.d, p.precChol) as CovarianceArray<C>;
  }
  /** Whether some restart converged (scikit-learn's converged_). */
  get converged(): boolean {
    return this.checkFitted('converged').converged;
  }
  /** EM iterations of the best restart. */
  get nIter(): number {
    return this.checkFitted('nIter').nIter;
  }
  /** Mean log-likelihood of the best restart's last E-step (scikit-learn's lower_bound_). */
  get lowerBound(): number {
    return this.checkFitted('lowerBound').lowerBound;
  }
  /** The best restart's lower bound after each of its iterations (in the last fit call). */
  get lowerBounds(): number[] {
    return this.checkFitted('lowerBounds').lowerBounds.slice();
  }
  get nFeaturesIn(): number {
    return this.checkFitted('nFeaturesIn').nFeaturesIn;
  }

  private params(what: string): MixtureParams {
    return this.checkFitted(what).params;
  }

  /** Number of free parameters, as scikit-learn counts them. */
  nParameters(): number {
    const p = this.params('nParameters');
    return nParameters(p.type, p.K, p.d);
  }

  /** Bayesian information criterion on X (lower is better). */
  bic(X: MatrixLike): number {
    const M = this.checkPredictInput(X, 'bic');
    return -2 * this.score(M) * M.rows + this.nParameters() * Math.log(M.rows);
  }

  /** Akaike information criterion on X (lower is better). */
  aic(X: MatrixLike): number {
    const M = this.checkPredictInput(X, 'aic');
    return -2 * this.score(M) * M.rows + 2 * this.nParameters();
  }

  /**
   * Draw n points from the fitted mixture; grouped by component as in scikit-learn
   * (y sorted). The generator is `randomState` if given, else the model's option
   * (a seed gives the same draw on every call, like scikit-learn's integer seeds).
   */
  sample(n = 1, randomState?: RandomState): { X: number[][]; y: number[] } {
    const p = this.params('sample');
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new Error(`sample(n) needs an integer n ≥ 1 (the number of points to draw); got ${String(n)}.`);
    }
    const rng = checkRandomState(randomState ?? this.options.randomState);
    const { type, K, d } = p;
    const counts = new Array<number>(K).fill(0);
    for (let i = 0; i < n; i++) counts[rng.weightedIndex(p.weights, 1)]++;
    const L = new Float64Array(d * d);
    const X: number[][] = [];
    const y: number[] = [];
    const z = new Float64Array(d);
    for (let k = 0; k < K; k++) {
      if (type === 'full' || type === 'tied') {
        if (!choleskyLower(p.covariances, type === 'full' ? k * d * d : 0, d, L, 0)) {
          throw new Error(`sample: covariance of component ${k} is not positive definite.`);
        }
      }
      for (let c = 0; c < counts[k]; c++) {
        for (let j = 0; j < d; j++) z[j] = rng.normal();
        const x = new Array<number>(d);
        for (let j = 0; j < d; j++) {
          let v = p.means[k * d + j];
          if (type === 'full' || type === 'tied') for (let t = 0; t <= j; t++) v += L[j * d + t] * z[t];
          else v += z[j] * Math.sqrt(p.covariances[type === 'diag' ? k * d + j : k]);
          x[j] = v;
        }
        X.push(x);
        y.push(k);
      }
    }
    return { X, y };
  }

  // ---- the pieces BaseMixture's loop calls ----

  protected checkParameters(X: Matrix): void {
    const { nComponents: K, covarianceType: type, weightsInit, meansInit, precisionsInit } = this.options;
    const d = X.cols;
    this.checkedInit = {
      weights: weightsInit === undefined ? undefined : checkWeights(weightsInit, K),
      means: meansInit === undefined ? undefined : checkMeans(meansInit, K, d),
      precisions: precisionsInit === undefined ? undefined : checkPrecisions(precisionsInit, type, K, d),
    };
  }

  protected allocWorkspace(X: Matrix): EmWorkspace {
    const { nComponents: K, covarianceType: type } = this.options;
    return allocWorkspace(type, K, X.cols, this.options.nJobs);
  }

  protected initialize(X: Matrix, rng: Random): MixtureParams {
    const { nComponents: K, covarianceType: type, regCovar, initParams } = this.options;
    const init = this.checkedInit;
    const p = allocParams(type, K, X.cols);
    // With every parameter given, the responsibilities would be thrown away: skip them.
    if (!(init.weights && init.means && init.precisions)) {
      const resp = initialResponsibilities(X, K, initParams, rng, this.options.nJobs);
      // Labels (every initialisation but 'random') take the tight loops of ./fast: the same parameters.
      if (resp instanceof Int32Array) labelParameters(X, resp, regCovar, p);
      else estimateGaussianParameters(X, resp, regCovar, p);
      // scikit-learn's initial weights are Nₖ / N (not normalised by Σ Nₖ as in the M-step).
      for (let k = 0; k < K; k++) p.weights[k] /= X.rows;
    }
    if (init.weights) p.weights.set(init.weights);
    if (init.means) p.means.set(init.means);
    if (init.precisions) setFromPrecisions(p, init.precisions);
    else computePrecisionCholesky(p, new Float64Array(2 * X.cols * X.cols));
    return p;
  }

  protected copyParameters(p: MixtureParams): MixtureParams {
    return copyParams(p);
  }

  protected eStep(X: Matrix, p: MixtureParams): EStepResult {
    return eStep(X, p);
  }

  protected mStep(X: Matrix, resp: Float64Array, p: MixtureParams): void {
    mStep(X, resp, this.options.regCovar, p);
  }

  /** The E-step and M-step fused into one pass over X (./fast): the same iteration, faster. */
  protected override emIteration(X: Matrix, p: MixtureParams, ws: EmWorkspace): number {
    return fastEmIteration(X, p, this.options.regCovar, ws);
  }

  protected weightedLogProb(X: Matrix, p: MixtureParams): Float64Array {
    return weightedLogProb(X, p);
  }

  protected makeState(X: Matrix, init: number, iter: number, lowerBound: number, p: MixtureParams): EmState<C> {
    return {
      init,
      iter,
      lowerBound,
      covarianceType: p.type as C,
      weights: Array.from(p.weights),
      means: reshape(p.means, 0, p.K, p.d),
      covariances: covarianceToNested(p.type, p.K, p.d, p.covariances) as CovarianceArray<C>,
      responsibilities: () => eStep(X, p).resp,
    };
  }
}
