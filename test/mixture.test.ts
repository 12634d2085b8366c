/**
 * GaussianMixture's behaviour: recovery, EM's monotone lower bound, restarts,
 * warm starts, sampling, information criteria, observation of the fit.
 */
import { expect } from 'chai';
import { Matrix } from '../src/matrix';
import { Random } from '../src/random';
import { EmState, GaussianMixture } from '../src/mixture';
import { CovarianceType } from '../src/mixture/types';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

interface Truth { weights: number[]; means: number[][]; covs: number[][][] }

/** Covariances in the family of `type`, so that the model can recover them. */
function truthFor(type: CovarianceType): Truth {
  const full = [[[1.0, 0.5], [0.5, 0.8]], [[0.4, -0.2], [-0.2, 1.2]], [[0.6, 0.1], [0.1, 0.3]]];
  const covs =
    type === 'full' ? full
    : type === 'tied' ? [full[0], full[0], full[0]]
    : type === 'diag' ? [[[1.0, 0], [0, 0.3]], [[0.4, 0], [0, 1.5]], [[0.7, 0], [0, 0.7]]]
    : [[[1.0, 0], [0, 1.0]], [[0.3, 0], [0, 0.3]], [[0.6, 0], [0, 0.6]]];
  return { weights: [0.5, 0.3, 0.2], means: [[-4, 0], [0, 4], [4, -1]], covs };
}

function drawFrom(t: Truth, n: number, seed: number): { X: number[][]; y: number[] } {
  const rng = new Random(seed);
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = rng.weightedIndex(t.weights);
    const c = t.covs[k];
    const l00 = Math.sqrt(c[0][0]), l10 = c[1][0] / l00, l11 = Math.sqrt(c[1][1] - l10 * l10);
    const z0 = rng.normal(), z1 = rng.normal();
    X.push([t.means[k][0] + l00 * z0, t.means[k][1] + l10 * z0 + l11 * z1]);
    y.push(k);
  }
  return { X, y };
}

/** Dense 2×2 covariance of component k from the model's covariances, whatever the type. */
function cov2(gm: GaussianMixture<CovarianceType>, k: number): number[][] {
  const c = gm.covariances as any;
  switch (gm.covarianceType) {
    case 'full': return c[k];
    case 'tied': return c;
    case 'diag': return [[c[k][0], 0], [0, c[k][1]]];
    default: return [[c[k], 0], [0, c[k]]];
  }
}

/** Component indices ordered by the first coordinate of their means (undoes label switching). */
function orderByMeanX(means: number[][]): number[] {
  return means.map((_, k) => k).sort((a, b) => means[a][0] - means[b][0]);
}

function quietly<T>(f: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    return { value: f(), warnings };
  } finally {
    console.warn = original;
  }
}

/** Three components whose clouds overlap, so that posteriors are far from 0/1. */
const overlapping = drawFrom({ ...truthFor('full'), means: [[-1, 0], [0, 1], [1, -0.3]] }, 600, 11).X;

describe('GaussianMixture', () => {
  describe('recovers the parameters of data drawn from its own model', () => {
    for (const type of TYPES) {
      it(type, () => {
        const truth = truthFor(type);
        const { X } = drawFrom(truth, 6000, 1);
        const gm = new GaussianMixture({ nComponents: 3, covarianceType: type, randomState: 0 }).fit(X);
        expect(gm.converged).to.equal(true);
        const order = orderByMeanX(gm.means);
        order.forEach((k, t) => {
          expect(gm.weights[k]).to.be.closeTo(truth.weights[t], 0.03);
          expect(gm.means[k][0]).to.be.closeTo(truth.means[t][0], 0.1);
          expect(gm.means[k][1]).to.be.closeTo(truth.means[t][1], 0.1);
          const c = cov2(gm, k);
          for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(c[a][b]).to.be.closeTo(truth.covs[t][a][b], 0.12);
        });
      });
    }
  });

  it('returns attributes shaped as in scikit-learn for every covariance type', () => {
    const { X } = drawFrom(truthFor('full'), 300, 2);
    const X3 = X.map(([a, b], i) => [a, b, a - b + (i % 5)]);
    const shapes: Record<CovarianceType, number[]> = { full: [3, 3, 3], tied: [3, 3], diag: [3, 3], spherical: [3] };
    for (const type of TYPES) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType: type }).fit(X3);
      for (const attr of ['covariances', 'precisions', 'precisionsCholesky'] as const) {
        expect(shapeOf(gm[attr]), `${type} ${attr}`).to.deep.equal(shapes[type]);
      }
      expect(shapeOf(gm.means)).to.deep.equal([3, 3]);
      expect(gm.weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
      expect(gm.nFeaturesIn).to.equal(3);
    }
  });

  it('predictProba rows sum to 1 and predict is their argmax; fitPredict equals fit then predict', () => {
    for (const type of TYPES) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType: type, maxIter: 5, warnOnNoConvergence: false });
      const labels = gm.fitPredict(overlapping);
      const proba = gm.predictProba(overlapping);
      const predicted = gm.predict(overlapping);
      expect(labels).to.deep.equal(predicted);
      let ambiguous = 0;
      proba.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
        expect(row.indexOf(Math.max(...row))).to.equal(predicted[i]);
        if (Math.max(...row) < 0.9) ambiguous++;
      });
      expect(ambiguous, 'the data overlap, so some rows are uncertain').to.be.greaterThan(10);
    }
  });

  it('never lets the lower bound decrease, iteration by iteration, for any covariance type or initialisation', () => {
    for (const type of TYPES) {
      for (const initParams of ['kmeans', 'random', 'random_from_data', 'k-means++'] as const) {
        const gm = new GaussianMixture({ nComponents: 4, covarianceType: type, initParams, tol: 0, maxIter: 60, warnOnNoConvergence: false }).fit(overlapping);
        const lb = gm.lowerBounds;
        expect(lb.length).to.equal(60);
        for (let i = 1; i < lb.length; i++) expect(lb[i], `${type}/${initParams} iteration ${i + 1}`).to.be.at.least(lb[i - 1] - 1e-12 * Math.abs(lb[i - 1]));
        expect(lb[lb.length - 1]).to.be.greaterThan(lb[0]);
        expect(gm.lowerBound).to.equal(lb[lb.length - 1]);
      }
    }
  });

  it('warm start: two fits of one iteration equal one fit of two', () => {
    for (const type of TYPES) {
      const opts = { nComponents: 3, covarianceType: type, randomState: 5, warnOnNoConvergence: false, tol: 0 };
      const twice = new GaussianMixture({ ...opts, maxIter: 1, warmStart: true });
      twice.fit(overlapping);
      const afterOne = twice.means;
      twice.fit(overlapping);
      const once = new GaussianMixture({ ...opts, maxIter: 2 }).fit(overlapping);
      expect(twice.means).to.not.deep.equal(afterOne);
      expect(twice.means).to.deep.equal(once.means);
      expect(twice.covariances).to.deep.equal(once.covariances);
      expect(twice.weights).to.deep.equal(once.weights);
      expect(twice.lowerBound).to.equal(once.lowerBound);
    }
  });

  it('more restarts never give a worse lower bound (same seed)', () => {
    for (const seed of [0, 1, 2, 3]) {
      const fit = (nInit: number) =>
        new GaussianMixture({ nComponents: 5, initParams: 'random', nInit, randomState: seed, maxIter: 30, warnOnNoConvergence: false }).fit(overlapping).lowerBound;
      const one = fit(1), four = fit(4);
      expect(four).to.be.at.least(one);
    }
  });

  it('is reproducible for a seed, and another seed can give another fit', () => {
    const fit = (randomState: number) =>
      new GaussianMixture({ nComponents: 4, initParams: 'random', randomState, maxIter: 3, warnOnNoConvergence: false }).fit(overlapping).means;
    expect(fit(7)).to.deep.equal(fit(7));
    expect(fit(7)).to.not.deep.equal(fit(8));
  });

  it('counts free parameters as scikit-learn does (d = 5, K = 2) and uses them in BIC and AIC', () => {
    const rng = new Random(3);
    const X = Array.from({ length: 100 }, (_, i) => Array.from({ length: 5 }, () => rng.normal(i % 2 ? 3 : -3, 1)));
    const expected: Record<CovarianceType, number> = { spherical: 13, diag: 21, tied: 26, full: 41 };
    for (const type of TYPES) {
      const gm = new GaussianMixture({ nComponents: 2, covarianceType: type }).fit(X);
      expect(gm.nParameters(), type).to.equal(expected[type]);
      const logLik = gm.scoreSamples(X).reduce((a, b) => a + b, 0);
      expect(gm.bic(X)).to.be.closeTo(-2 * logLik + expected[type] * Math.log(100), 1e-9);
      expect(gm.aic(X)).to.be.closeTo(-2 * logLik + 2 * expected[type], 1e-9);
      expect(gm.score(X)).to.be.closeTo(logLik / 100, 1e-12);
    }
  });

  it('samples each component with its mean and covariance', () => {
    for (const type of TYPES) {
      const gm = new GaussianMixture({ nComponents: 3, covarianceType: type, randomState: 1 }).fit(drawFrom(truthFor(type), 3000, 4).X);
      const n = 60000;
      const { X, y } = gm.sample(n);
      expect(X.length).to.equal(n);
      expect(y).to.deep.equal([...y].sort((a, b) => a - b));
      for (let k = 0; k < 3; k++) {
        const rows = X.filter((_, i) => y[i] === k);
        expect(rows.length / n).to.be.closeTo(gm.weights[k], 0.01);
        const m = [0, 1].map((j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
        const c = [0, 1].map((a) => [0, 1].map((b) => rows.reduce((s, r) => s + (r[a] - m[a]) * (r[b] - m[b]), 0) / rows.length));
        const want = cov2(gm, k);
        for (let j = 0; j < 2; j++) expect(m[j]).to.be.closeTo(gm.means[k][j], 0.03);
        for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(c[a][b]).to.be.closeTo(want[a][b], 0.04);
      }
    }
  });

  it('draws the same sample for the same seed and a different one for another', () => {
    const gm = new GaussianMixture({ nComponents: 2, randomState: 3 }).fit(overlapping);
    expect(gm.sample(5).X).to.deep.equal(gm.sample(5).X);
    expect(gm.sample(5, 4).X).to.not.deep.equal(gm.sample(5, 5).X);
  });

  it('gives the same covariances for data shifted by 1e4 (centred sums)', () => {
    for (const type of TYPES) {
      const base = { nComponents: 3, covarianceType: type, initParams: 'random_from_data' as const, randomState: 2, maxIter: 20, tol: 0, warnOnNoConvergence: false };
      const a = new GaussianMixture(base).fit(overlapping);
      const b = new GaussianMixture(base).fit(overlapping.map((r) => r.map((v) => v + 1e4)));
      const ca = (a.covariances as any).flat(2) as number[], cb = (b.covariances as any).flat(2) as number[];
      ca.forEach((v, i) => expect(cb[i]).to.be.closeTo(v, 1e-7 * Math.max(1, Math.abs(v))));
      a.means.flat().forEach((v, i) => expect(b.means.flat()[i] - 1e4).to.be.closeTo(v, 1e-8));
    }
  });

  it('accepts a Matrix as well as nested arrays', () => {
    const M: Matrix = { rows: overlapping.length, cols: 2, data: Float64Array.from(overlapping.flat()) };
    const a = new GaussianMixture({ nComponents: 2 }).fit(overlapping);
    const b = new GaussianMixture({ nComponents: 2 }).fit(M);
    expect(b.means).to.deep.equal(a.means);
    expect(b.predict(M)).to.deep.equal(a.predict(overlapping));
  });

  describe('observing EM', () => {
    it('fitSteps yields the initial state and every iteration, ending in the fitted model', () => {
      const gm = new GaussianMixture({ nComponents: 3, nInit: 2, randomState: 4 });
      const states: EmState<'full'>[] = [...gm.fitSteps(overlapping)];
      const byInit = [0, 1].map((i) => states.filter((s) => s.init === i));
      for (const run of byInit) {
        expect(run[0].iter).to.equal(0);
        expect(run[0].lowerBound).to.equal(-Infinity);
        expect(run.map((s) => s.iter)).to.deep.equal(run.map((_, i) => i));
      }
      const best = byInit.find((run) => run.length - 1 === gm.nIter && run[run.length - 1].lowerBound === gm.lowerBound)!;
      expect(best, 'one restart is the kept one').to.not.equal(undefined);
      expect(best.slice(1).map((s) => s.lowerBound)).to.deep.equal(gm.lowerBounds);
      const last = best[best.length - 1];
      expect(last.means).to.deep.equal(gm.means);
      expect(last.covariances).to.deep.equal(gm.covariances);
      const r = last.responsibilities();
      const proba = gm.predictProba(overlapping);
      expect(r.length).to.equal(overlapping.length * 3);
      for (let i = 0; i < overlapping.length; i += 37) for (let k = 0; k < 3; k++) expect(r[i * 3 + k]).to.be.closeTo(proba[i][k], 1e-12);
    });

    it('onIteration sees the same states as fitSteps, and the states do not change afterwards', () => {
      const seen: EmState<'diag'>[] = [];
      const opts = { nComponents: 3, covarianceType: 'diag' as const, maxIter: 4, tol: 0, warnOnNoConvergence: false };
      new GaussianMixture({ ...opts, onIteration: (s) => void seen.push(s) }).fit(overlapping);
      const stepped = [...new GaussianMixture(opts).fitSteps(overlapping)];
      expect(seen.length).to.equal(5);
      expect(seen.map((s) => s.means)).to.deep.equal(stepped.map((s) => s.means));
      expect(seen[1].means).to.not.deep.equal(seen[4].means);
      const r0 = seen[0].responsibilities();
      for (let i = 0; i < 20; i++) expect(r0[3 * i] + r0[3 * i + 1] + r0[3 * i + 2]).to.be.closeTo(1, 1e-12);
    });
  });

  it('warns when no restart converged, and can be told not to', () => {
    const noisy = quietly(() => new GaussianMixture({ nComponents: 3, maxIter: 1 }).fit(overlapping));
    expect(noisy.warnings.length).to.equal(1);
    expect(noisy.warnings[0]).to.match(/Initialization 1 did not converge\. Try different init parameters, or increase maxIter, tol or check for degenerate data/);
    expect(noisy.value.converged).to.equal(false);
    const silent = quietly(() => new GaussianMixture({ nComponents: 3, maxIter: 1, warnOnNoConvergence: false }).fit(overlapping));
    expect(silent.warnings).to.deep.equal([]);
    const converged = quietly(() => new GaussianMixture({ nComponents: 3 }).fit(overlapping));
    expect(converged.warnings).to.deep.equal([]);
    expect(converged.value.converged).to.equal(true);
  });
});

describe('GaussianMixture verbose output', () => {
  it('prints restarts and iterations like scikit-learn', () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      new GaussianMixture({ nComponents: 2, nInit: 2, maxIter: 4, tol: 0, verbose: 2, verboseInterval: 2, warnOnNoConvergence: false }).fit(overlapping);
    } finally {
      console.log = original;
    }
    expect(lines.filter((l) => /^Initialization [01]$/.test(l)).length).to.equal(2);
    expect(lines.filter((l) => /^ {2}Iteration [24]\t time lapse \d+\.\d{5}s\t ll change -?\d+\.\d{5}$/.test(l)).length).to.equal(4);
    expect(lines.filter((l) => /^Initialization converged: False\t time lapse .*\t ll -\d+\.\d{5}$/.test(l)).length).to.equal(2);
  });
});

function shapeOf(v: unknown): number[] {
  const dims: number[] = [];
  while (Array.isArray(v)) {
    dims.push(v.length);
    v = v[0];
  }
  return dims;
}
