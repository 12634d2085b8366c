/**
 * Public types of the Gaussian mixture, shaped like scikit-learn's.
 */
import type { RandomState } from '../random';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

export type InitParams = 'kmeans' | 'k-means++' | 'random' | 'random_from_data';
export const INIT_PARAMS: readonly InitParams[] = ['kmeans', 'k-means++', 'random', 'random_from_data'];

/**
 * Covariances (and precisions, and their Cholesky factors) as nested arrays,
 * with scikit-learn's shape per covariance type:
 * full K×d×d, tied d×d, diag K×d, spherical K.
 */
export type CovarianceArray<C extends CovarianceType = CovarianceType> = C extends 'full'
  ? number[][][]
  : C extends 'tied'
    ? number[][]
    : C extends 'diag'
      ? number[][]
      : C extends 'spherical'
        ? number[]
        : number[][][] | number[][] | number[];

/** The state of one EM run after an iteration (or after initialisation, `iter` 0). */
export interface EmState<C extends CovarianceType = CovarianceType> {
  /** Which restart (0-based, < nInit). */
  init: number;
  /** EM iterations done in this restart: 0 for the initial parameters. */
  iter: number;
  /**
   * scikit-learn's lower bound: the mean log-likelihood computed by this iteration's
   * E-step, i.e. under the parameters *before* its M-step. -Infinity at `iter` 0
   * (or, on a warm start, the previous fit's value).
   */
  lowerBound: number;
  /** Lets a state go straight to src/plot's mixture figures. */
  covarianceType: C;
  /** Parameters after this iteration's M-step. */
  weights: number[];
  means: number[][];
  covariances: CovarianceArray<C>;
  /**
   * Posterior probabilities (N×K, row-major) of the fitted data under *this* state's
   * parameters — what the next E-step will use. Computed on demand (one pass over X),
   * so observing a fit costs nothing unless this is called.
   */
  responsibilities(): Float64Array;
}

export interface GaussianMixtureOptions<C extends CovarianceType = CovarianceType> {
  /** Number of mixture components K. Default 1. */
  nComponents?: number;
  /** Default 'full'. */
  covarianceType?: C;
  /** Convergence threshold on the change of the mean log-likelihood. Default 1e-3. */
  tol?: number;
  /** Added to the diagonal of every covariance, to keep it positive definite. Default 1e-6. */
  regCovar?: number;
  /** EM iterations per restart. Default 100. */
  maxIter?: number;
  /** Restarts; the one with the highest lower bound is kept. Default 1. */
  nInit?: number;
  /** How to initialise the responsibilities. Default 'kmeans'. */
  initParams?: InitParams;
  /** Initial weights (K, non-negative, summing to 1). */
  weightsInit?: ArrayLike<number>;
  /** Initial means (K×d). */
  meansInit?: ArrayLike<ArrayLike<number>>;
  /** Initial precisions (inverse covariances), shaped like `covariances`. */
  precisionsInit?: CovarianceArray<C>;
  /** Seed or generator for the initialisation and for `sample`. Default: seed 0. */
  randomState?: RandomState;
  /** Continue from the previous fit's parameters on the next `fit` (nInit is then ignored). Default false. */
  warmStart?: boolean;
  /** 0 silent, 1 per restart, 2 also per `verboseInterval` iterations with timings. Default 0. */
  verbose?: number;
  /** Default 10. */
  verboseInterval?: number;
  /** Warn (console.warn) when no restart converged. Default true. */
  warnOnNoConvergence?: boolean;
  /** Called with the state after initialisation and after every EM iteration. */
  onIteration?: (state: EmState<C>) => void;
  /**
   * Threads for the EM passes (worker threads sharing X; this one counts). Default: the
   * number of cores. Small fits stay on one thread whatever this says, and the results
   * are bit-identical for every value.
   */
  nJobs?: number;
}
