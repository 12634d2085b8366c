/**
 * Gaussian mixture models fitted by EM (scikit-learn's GaussianMixture in camelCase).
 *
 * The union 'full' | 'tied' | 'diag' | 'spherical' is not re-exported here as
 * `CovarianceType`: src/plot exports an identical alias under that name, and two
 * `export *` of one name collide in src/index.ts. Import it from './mixture/types'.
 */
export { GaussianMixture } from './gaussian-mixture';
export type { InitParams, CovarianceArray, EmState, GaussianMixtureOptions } from './types';
