/**
 * Agreement with scikit-learn 1.2.1 given the same explicit initial parameters, of the fit as it
 * runs (the fused pass of src/mixture/fast) and of the plain EM iteration (BaseMixture's E-step
 * then M-step, with the reference eStep and mStep).
 * Fixtures come from scripts/sklearn-fixtures.py (run with /usr/bin/python3).
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { Matrix } from '../src/matrix';
import { GaussianMixture } from '../src/mixture';
import { BaseMixture } from '../src/mixture/base';
import { CovarianceType } from '../src/mixture/types';

/** GaussianMixture with BaseMixture's own EM iteration: the reference E-step, then the reference M-step. */
class ReferenceEmMixture extends GaussianMixture<CovarianceType> {
  protected override emIteration(X: Matrix, p: never, ws: never): number {
    const plain = (BaseMixture.prototype as unknown as { emIteration(X: Matrix, p: never, ws: never): number }).emIteration;
    return plain.call(this, X, p, ws);
  }
}

interface Run {
  options: { nComponents: number; covarianceType: CovarianceType; maxIter: number; tol: number };
  init: { weightsInit: number[]; meansInit: number[][]; precisionsInit: any };
  expected: Record<string, any>;
}
interface Fixture { name: string; X: number[][]; test: number[][]; runs: Run[] }

const RTOL = 1e-6;

function fixtureDir(): string {
  const candidates = [path.join(process.cwd(), 'test/fixtures/sklearn'), path.join(__dirname, 'fixtures/sklearn')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`sklearn fixtures not found in ${candidates.join(' or ')}`);
  return found;
}

/** Largest |a−b| / (|b| + floor) over all entries, floor = 1e-9·max|b| so exact zeros compare absolutely. */
export function maxRelError(actual: unknown, expected: unknown): number {
  const a = flat(actual);
  const b = flat(expected);
  expect(a.length, 'shape').to.equal(b.length);
  const scale = Math.max(...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + 1e-9 * scale));
  return worst;
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

describe('GaussianMixture agrees with scikit-learn 1.2.1 (fixtures)', () => {
  const dir = fixtureDir();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has fixtures for every covariance type', () => {
    expect(files.length).to.be.greaterThan(2);
  });
  for (const file of files) {
    const fx: Fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    describe(fx.name, () => {
      for (const run of fx.runs) {
        const { covarianceType, maxIter } = run.options;
        for (const [label, Model] of [['fused pass', GaussianMixture], ['reference E- and M-steps', ReferenceEmMixture]] as const) {
          it(`${covarianceType}, maxIter ${maxIter} (${label})`, () => {
            const gm = new Model({ ...run.options, ...run.init, warnOnNoConvergence: false }).fit(fx.X);
            const e = run.expected;
            expect(gm.nIter).to.equal(e.nIter);
            expect(gm.converged).to.equal(e.converged);
            const checks: [string, unknown][] = [
              ['weights', gm.weights],
              ['means', gm.means],
              ['covariances', gm.covariances],
              ['precisions', gm.precisions],
              ['precisionsCholesky', gm.precisionsCholesky],
              ['lowerBound', gm.lowerBound],
              ['predictProba', gm.predictProba(fx.test)],
              ['scoreSamples', gm.scoreSamples(fx.test)],
              ['score', gm.score(fx.X)],
              ['bic', gm.bic(fx.X)],
              ['aic', gm.aic(fx.X)],
            ];
            for (const [name, actual] of checks) {
              expect(maxRelError(actual, e[name]), name).to.be.below(RTOL);
            }
            expect(gm.predict(fx.test)).to.deep.equal(e.predict);
          });
        }
      }
    });
  }
});
