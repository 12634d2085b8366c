/**
 * Gaussian mixture models fitted by EM (scikit-learn's GaussianMixture in camelCase).
 *
 * Where to read EM: the fit loop in ./base (E-step, then M-step, until the log-likelihood
 * settles), the E-step in ./e-step, each covariance type's log-density in ./log-density, the
 * M-step in ./m-step. ./fast holds the fused pass that runs the same iteration faster.
 */
export { GaussianMixture } from './gaussian-mixture';
export type { CovarianceType, InitParams, CovarianceArray, EmState, GaussianMixtureOptions } from './types';
