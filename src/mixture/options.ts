/**
 * Defaults (scikit-learn's) and validation of GaussianMixture's options.
 * Unknown keys are errors: in an untyped notebook a misspelt option would
 * otherwise be silently ignored.
 */
import { availableThreads } from '../parallel/pool';
import { OptionNames, checkOptionNames, optionNames } from '../options';
import { Random, RandomState, checkSeed } from '../random';
import { COVARIANCE_TYPES, CovarianceType, EmState, GaussianMixtureOptions, INIT_PARAMS, InitParams } from './types';

export interface ResolvedOptions<C extends CovarianceType = CovarianceType> {
  nComponents: number;
  covarianceType: C;
  tol: number;
  regCovar: number;
  maxIter: number;
  nInit: number;
  initParams: InitParams;
  weightsInit: ArrayLike<number> | undefined;
  meansInit: ArrayLike<ArrayLike<number>> | undefined;
  precisionsInit: unknown;
  randomState: RandomState;
  warmStart: boolean;
  verbose: number;
  verboseInterval: number;
  warnOnNoConvergence: boolean;
  onIteration: ((state: EmState<C>) => void) | undefined;
  nJobs: number;
}

const KNOWN: OptionNames<GaussianMixtureOptions<CovarianceType>> = { nComponents: true, covarianceType: true, tol: true, regCovar: true, maxIter: true, nInit: true, initParams: true, weightsInit: true, meansInit: true, precisionsInit: true, randomState: true, warmStart: true, verbose: true, verboseInterval: true, warnOnNoConvergence: true, onIteration: true, nJobs: true };

export function resolveOptions<C extends CovarianceType>(options: GaussianMixtureOptions<C>): ResolvedOptions<C> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`GaussianMixture options must be an object such as { nComponents: 3 }; got ${String(options)}.`);
  }
  checkOptionNames(options, optionNames<GaussianMixtureOptions<CovarianceType>>(KNOWN), 'GaussianMixture');
  const o: ResolvedOptions<C> = {
    nComponents: options.nComponents ?? 1,
    covarianceType: options.covarianceType ?? ('full' as C),
    tol: options.tol ?? 1e-3,
    regCovar: options.regCovar ?? 1e-6,
    maxIter: options.maxIter ?? 100,
    nInit: options.nInit ?? 1,
    initParams: options.initParams ?? 'kmeans',
    weightsInit: options.weightsInit,
    meansInit: options.meansInit,
    precisionsInit: options.precisionsInit,
    randomState: options.randomState,
    warmStart: options.warmStart ?? false,
    verbose: options.verbose ?? 0,
    verboseInterval: options.verboseInterval ?? 10,
    warnOnNoConvergence: options.warnOnNoConvergence ?? true,
    onIteration: options.onIteration,
    nJobs: options.nJobs ?? availableThreads(),
  };
  checkInteger('nComponents', o.nComponents, 1);
  checkInteger('maxIter', o.maxIter, 0);
  checkInteger('nInit', o.nInit, 1);
  checkInteger('verboseInterval', o.verboseInterval, 1);
  checkInteger('nJobs', o.nJobs, 1);
  checkNonNegative('tol', o.tol);
  checkNonNegative('regCovar', o.regCovar);
  if (!COVARIANCE_TYPES.includes(o.covarianceType)) {
    throw new Error(`covarianceType must be one of ${quoteAll(COVARIANCE_TYPES)}; got ${quote(o.covarianceType)}.`);
  }
  if (!INIT_PARAMS.includes(o.initParams)) {
    throw new Error(`initParams must be one of ${quoteAll(INIT_PARAMS)}; got ${quote(o.initParams)}.`);
  }
  const rs: unknown = o.randomState;
  if (rs !== undefined && !(rs instanceof Random)) checkSeed(rs, 'randomState');
  for (const key of ['warmStart', 'warnOnNoConvergence'] as const) {
    if (typeof o[key] !== 'boolean') throw new Error(`${key} must be a boolean; got ${quote(o[key])}.`);
  }
  if (typeof o.verbose !== 'number' || !Number.isFinite(o.verbose)) throw new Error(`verbose must be a number; got ${quote(o.verbose)}.`);
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') {
    throw new Error(`onIteration must be a function (state) => void; got ${quote(o.onIteration)}.`);
  }
  return o;
}

function checkInteger(name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${name} must be an integer ≥ ${min}; got ${quote(v)}.`);
  }
}

function checkNonNegative(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${name} must be a finite number ≥ 0; got ${quote(v)}.`);
  }
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : typeof v === 'function' ? 'a function' : String(v);
}

function quoteAll(vs: readonly string[]): string {
  return vs.map((v) => `'${v}'`).join(', ');
}
