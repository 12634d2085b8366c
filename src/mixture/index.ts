/**
 * Gaussian mixture models fitted by EM (scikit-learn's GaussianMixture in camelCase).
 */
export { GaussianMixture } from './gaussian-mixture';
export type { CovarianceType, InitParams, CovarianceArray, EmState, GaussianMixtureOptions } from './types';
