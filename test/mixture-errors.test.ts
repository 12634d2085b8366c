/**
 * Every public entry point of GaussianMixture rejects bad input with an Error
 * that names the problem.
 */
import { expect } from 'chai';
import { GaussianMixture, GaussianMixtureOptions } from '../src/mixture';

const X = [[0, 0], [0.1, 1], [1, 0.2], [5, 5], [5.3, 4.8], [4.6, 5.1], [2, 2.5], [3, 3.1]];

function fitted(options: GaussianMixtureOptions = {}): GaussianMixture<any> {
  return new GaussianMixture({ nComponents: 2, ...options }).fit(X);
}

const badMatrices: [string, any, RegExp][] = [
  ['NaN', [[0, 0], [NaN, 1], [2, 2]], /X contains NaN at row 1, column 0/],
  ['Infinity', [[0, 0], [1, Infinity], [2, 2]], /X contains Infinity at row 1, column 1/],
  ['a 1-D array', [0, 1, 2, 3], /X must be 2-D/],
  ['ragged rows', [[0, 0], [1], [2, 2]], /X is ragged: row 0 has 2 values but row 1 has 1/],
  ['an empty array', [], /X is empty/],
];

describe('GaussianMixture rejects bad input', () => {
  describe('bad X, at every entry point', () => {
    for (const [what, bad, message] of badMatrices) {
      it(what, () => {
        expect(() => new GaussianMixture({ nComponents: 1 }).fit(bad)).to.throw(message);
        expect(() => new GaussianMixture({ nComponents: 1 }).fitPredict(bad)).to.throw(message);
        expect(() => new GaussianMixture({ nComponents: 1 }).fitSteps(bad)).to.throw(message);
        const gm = fitted();
        for (const method of ['predict', 'predictProba', 'score', 'scoreSamples', 'bic', 'aic'] as const) {
          expect(() => gm[method](bad), method).to.throw(message);
        }
      });
    }
  });

  it('too few samples', () => {
    expect(() => new GaussianMixture({ nComponents: 3 }).fit([[0, 0], [1, 1]])).to.throw(/nSamples ≥ nComponents, but got nComponents = 3 and nSamples = 2/);
    expect(() => new GaussianMixture().fit([[0, 0]])).to.throw(/X has 1 sample; fitting a mixture needs at least 2/);
  });

  describe('bad options', () => {
    const cases: [string, any, RegExp][] = [
      ['nComponents 0', { nComponents: 0 }, /nComponents must be an integer ≥ 1; got 0/],
      ['nComponents 2.5', { nComponents: 2.5 }, /nComponents must be an integer ≥ 1; got 2\.5/],
      ['nComponents as a string', { nComponents: '3' }, /nComponents must be an integer ≥ 1; got '3'/],
      ['negative regCovar', { regCovar: -1e-6 }, /regCovar must be a finite number ≥ 0; got -0\.000001/],
      ['negative tol', { tol: -1 }, /tol must be a finite number ≥ 0/],
      ['negative maxIter', { maxIter: -1 }, /maxIter must be an integer ≥ 0/],
      ['nInit 0', { nInit: 0 }, /nInit must be an integer ≥ 1/],
      ['unknown covarianceType', { covarianceType: 'diagonal' }, /covarianceType must be one of 'full', 'tied', 'diag', 'spherical'; got 'diagonal'/],
      ['unknown initParams', { initParams: 'kmeans++' }, /initParams must be one of 'kmeans', 'k-means\+\+', 'random', 'random_from_data'; got 'kmeans\+\+'/],
      ['a misspelt option', { ncomponents: 3 }, /Unknown GaussianMixture option 'ncomponents'/],
      ['a bad randomState', { randomState: 'seed' }, /randomState must be an integer in \[0, 2\*\*32 − 1\]; got 'seed'/],
      ['weightsInit not summing to 1', { nComponents: 2, weightsInit: [0.5, 0.6] }, /weightsInit must sum to 1; got a sum of 1\.1/],
      ['negative weightsInit', { nComponents: 2, weightsInit: [-0.5, 1.5] }, /weightsInit must lie in \[0, 1\]; got min -0\.5 and max 1\.5/],
      ['weightsInit of the wrong length', { nComponents: 3, weightsInit: [0.5, 0.5] }, /weightsInit must have shape 3 \(nComponents\); got shape 2/],
    ];
    for (const [what, options, message] of cases) {
      it(what, () => expect(() => new GaussianMixture(options)).to.throw(message));
    }
  });

  describe('bad initial means and precisions (checked at fit, when d is known)', () => {
    const cases: [string, any, RegExp][] = [
      ['meansInit with the wrong number of features', { meansInit: [[0, 0, 0], [1, 1, 1]] }, /meansInit must have shape 2 × 2 \(nComponents × nFeatures\); got shape 2 × 3/],
      ['meansInit with too few components', { meansInit: [[0, 0]] }, /meansInit must have shape 2 × 2 .*; got shape 1 × 2/],
      ['meansInit with a ragged row', { meansInit: [[0, 0], [1]] }, /meansInit must have shape 2 × 2 .*\(meansInit\[1\] has 1 entries\)/],
      ['meansInit with NaN', { meansInit: [[0, 0], [1, NaN]] }, /meansInit\[1\]\[1\] must be a finite number; got NaN/],
      ['full precisionsInit of the wrong shape', { precisionsInit: [[[1, 0], [0, 1]]] }, /precisionsInit must have shape 2 × 2 × 2 \(nComponents × nFeatures × nFeatures, for covarianceType 'full'\); got shape 1 × 2 × 2/],
      ['tied precisionsInit of the wrong shape', { covarianceType: 'tied', precisionsInit: [[[1, 0], [0, 1]]] }, /precisionsInit must have shape 2 × 2 \(nFeatures × nFeatures, for covarianceType 'tied'\); got shape 1 × 2 × 2/],
      ['diag precisionsInit of the wrong shape', { covarianceType: 'diag', precisionsInit: [1, 1] }, /precisionsInit must have shape 2 × 2 \(nComponents × nFeatures, for covarianceType 'diag'\); got shape 2/],
      ['spherical precisionsInit of the wrong shape', { covarianceType: 'spherical', precisionsInit: [1, 1, 1] }, /precisionsInit must have shape 2 \(nComponents, for covarianceType 'spherical'\); got shape 3/],
      ['full precisions not positive definite', { precisionsInit: [[[1, 0], [0, 1]], [[1, 2], [2, 1]]] }, /precisionsInit\[1\] must be a symmetric, positive-definite matrix/],
      ['full precisions not symmetric', { precisionsInit: [[[1, 0.5], [0, 1]], [[1, 0], [0, 1]]] }, /precisionsInit\[0\] must be a symmetric, positive-definite matrix/],
      ['tied precision not positive definite', { covarianceType: 'tied', precisionsInit: [[0, 0], [0, 1]] }, /precisionsInit must be a symmetric, positive-definite matrix \('tied' precision\)/],
      ['diag precisions not positive', { covarianceType: 'diag', precisionsInit: [[1, 1], [0, 1]] }, /precisionsInit must be positive \('diag' precision\); got 0 at index 2/],
      ['spherical precisions not positive', { covarianceType: 'spherical', precisionsInit: [1, -2] }, /precisionsInit must be positive \('spherical' precision\); got -2 at index 1/],
    ];
    for (const [what, options, message] of cases) {
      it(what, () => expect(() => new GaussianMixture({ nComponents: 2, ...options }).fit(X)).to.throw(message));
    }
  });

  it('use before fit, at every method and attribute', () => {
    const gm = new GaussianMixture({ nComponents: 2 });
    const notFitted = /This GaussianMixture instance is not fitted yet\. Call fit\(X\) before using (\w+)/;
    for (const method of ['predict', 'predictProba', 'score', 'scoreSamples', 'bic', 'aic'] as const) {
      expect(() => gm[method](X), method).to.throw(new RegExp(notFitted.source.replace('(\\w+)', method)));
    }
    expect(() => gm.sample(3)).to.throw(notFitted);
    for (const attr of ['weights', 'means', 'covariances', 'precisions', 'precisionsCholesky', 'converged', 'nIter', 'lowerBound', 'lowerBounds', 'nFeaturesIn'] as const) {
      expect(() => gm[attr], attr).to.throw(new RegExp(notFitted.source.replace('(\\w+)', attr)));
    }
  });

  it('the wrong number of features after fit', () => {
    const gm = fitted();
    for (const method of ['predict', 'predictProba', 'score', 'scoreSamples', 'bic', 'aic'] as const) {
      expect(() => gm[method]([[1, 2, 3]]), method).to.throw(/X has 3 features, but GaussianMixture was fitted with 2 features/);
    }
    const warm = new GaussianMixture({ nComponents: 2, warmStart: true }).fit(X);
    expect(() => warm.fit(X.map((r) => [...r, 1]))).to.throw(/warmStart: X has 3 features, but the previous fit had 2/);
  });

  it('sample(n) with n not a positive integer', () => {
    const gm = fitted();
    for (const n of [0, -1, 1.5, NaN]) {
      expect(() => gm.sample(n), String(n)).to.throw(/sample\(n\) needs an integer n ≥ 1 \(the number of points to draw\); got/);
    }
  });

  describe('degenerate data with regCovar 0', () => {
    const collapsed = [[0, 0], [0, 0], [0, 0], [5, 5], [5, 5], [5, 5]];
    const illDefined = /Fitting the mixture model failed because some components have ill-defined empirical covariance \(for instance caused by singleton or collapsed samples\)\. Try to decrease the number of components, or increase regCovar/;
    for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
      it(`${covarianceType}: at initialisation, and during EM`, () => {
        expect(() => new GaussianMixture({ nComponents: 2, covarianceType, regCovar: 0 }).fit(collapsed)).to.throw(illDefined);
        const precisionsInit = { full: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]], tied: [[1, 0], [0, 1]], diag: [[1, 1], [1, 1]], spherical: [1, 1] }[covarianceType];
        const fromGoodStart = new GaussianMixture({
          nComponents: 2, covarianceType, regCovar: 0, weightsInit: [0.5, 0.5], meansInit: [[0.1, 0], [5, 4.9]], precisionsInit,
        } as GaussianMixtureOptions<typeof covarianceType>);
        expect(() => fromGoodStart.fit(collapsed)).to.throw(illDefined);
        // The default regCovar keeps it well defined.
        const ok = new GaussianMixture({ nComponents: 2, covarianceType }).fit(collapsed);
        expect(ok.means.flat().every(Number.isFinite)).to.equal(true);
      });
    }
  });

  it('values so large that the covariance overflows: an error, not NaN parameters', () => {
    const huge = [[1e200, 0], [-1e200, 1], [3e200, 2], [0, -1e200]];
    // Named as an overflow (issue 14), not blamed on an ill-defined covariance and regCovar.
    expect(() => new GaussianMixture({ nComponents: 2 }).fit(huge)).to.throw(/X spans up to 4\.00e\+200 along column 0: .*would overflow double precision/);
  });
});
