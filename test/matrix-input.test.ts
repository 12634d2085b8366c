/**
 * Matrix input follows scikit-learn's check_array: numbers (and booleans, read as 0/1)
 * only. Anything else is named with its row and column, never coerced to 0 or NaN.
 */
import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { toMatrix } from '../src/matrix';
import { GaussianMixture } from '../src/mixture';
import { Random } from '../src/random';
import { makeImageSet } from '../src/vae/images';
import { errorOf } from './support/errors';

const GOOD = [[0, 1], [2, 3], [4, 5], [5, 6]];


describe('matrix input: numbers and booleans only', () => {
  const cases: [string, any, RegExp][] = [
    ['null', [[null, 1], [2, 3], [4, null], [5, 6]], /X has null at row 0, column 0; values must be numbers \(or booleans\); remove or impute missing values/],
    ['undefined (a hole)', [[0, 1], [2, 3], [4, 5], [5, undefined]], /X has undefined \(a missing value\) at row 3, column 1/],
    ["''", [[0, 1], [2, ''], [4, 5], [5, 6]], /X has the string "" at row 1, column 1; .*convert strings with Number\(\)/],
    ["'0x10'", [[0, 1], [2, 3], ['0x10', 5], [5, 6]], /X has the string "0x10" at row 2, column 0/],
    ['a nested array (3-D input)', [[[0, 1], [1, 2]], [[2, 3], [3, 4]]], /X has an array of 2 at row 0, column 0; .*X must be 2-D \(rows × features\), not nested deeper/],
    ['a BigInt', [[0, 1], [2, 3], [4, 5n], [5, 6]], /X has the BigInt 5n at row 2, column 1; .*convert with Number\(\)/],
    ['a BigInt64Array row', [[0, 1], BigInt64Array.of(2n, 3n)], /X has the BigInt 2n at row 1, column 0/],
    ['an object', [[0, 1], [2, { v: 3 }], [4, 5], [5, 6]], /X has an object at row 1, column 1; values must be numbers/],
    ['a Date', [[0, new Date(0)], [2, 3]], /X has a Date object at row 0, column 1/],
    ['a row that is null', [[0, 1], null, [4, 5]], /X has null as row 1; each row must be an array of numbers/],
    ['a first row that is a string', ['ab', [4, 5]], /X has the string "ab" as row 0; each row must be an array of numbers/],
  ];
  for (const [what, bad, message] of cases) {
    it(`rejects ${what} in GaussianMixture.fit, predict and KMeans`, () => {
      expect(() => new GaussianMixture({ nComponents: 1 }).fit(bad)).to.throw(message);
      const gm = new GaussianMixture({ nComponents: 1, randomState: 0 }).fit(GOOD);
      expect(() => gm.predict(bad)).to.throw(message);
      expect(() => gm.predictProba(bad)).to.throw(message);
      expect(() => new KMeans({ nClusters: 1, randomState: 0 }).fit(bad)).to.throw(message);
      expect(errorOf(() => new KMeans({ nClusters: 1 }).fit(bad))).to.not.be.instanceOf(TypeError);
    });
  }

  it('reads booleans as 0 and 1, as numpy does', () => {
    expect(Array.from(toMatrix([[true, false], [1, 2]] as any).data)).to.deep.equal([1, 0, 1, 2]);
  });

  it('makeImageSet rejects null and strings in nested rows instead of storing 0', () => {
    const row = new Array(4).fill(0.5);
    expect(() => makeImageSet([row, [0.5, null, 0.5, 0.5] as any], { width: 2, height: 2 })).to.throw(/images has null at row 1, column 1/);
    expect(() => makeImageSet([['0.5', 0, 0, 0] as any], { width: 2, height: 2 })).to.throw(/images has the string "0\.5" at row 0, column 0/);
  });

  // Random mixes of good and bad cells in random row containers: each input is either
  // accepted exactly as given or rejected at its first bad cell, by row and column.
  it('fuzz: every input is read exactly or rejected at its first bad cell', () => {
    const rng = new Random(14);
    const oddities: unknown[] = [null, undefined, '', '1', '0x10', 'NaN', [1], [], new Float64Array(2), {}, 3n, NaN, Infinity, -Infinity, Symbol('s'), () => 1];
    let accepted = 0, rejected = 0;
    for (let trial = 0; trial < 400; trial++) {
      const rows = 1 + rng.int(5), cols = 1 + rng.int(4);
      const badRate = rng.random() < 0.5 ? 0 : rng.random() * 0.3;
      const cells: unknown[][] = [];
      for (let i = 0; i < rows; i++) {
        cells.push(Array.from({ length: cols }, () => {
          if (rng.random() < badRate) return oddities[rng.int(oddities.length)];
          const r = rng.random();
          return r < 0.1 ? rng.random() < 0.5 : r < 0.2 ? rng.int(3) - 1 : rng.normal() * 10 ** (rng.int(20) - 10);
        }));
      }
      const allNumbers = (r: unknown[]) => r.every((v) => typeof v === 'number');
      const X = cells.map((r) => {
        const kind = rng.random();
        if (kind < 0.2 && allNumbers(r)) return Float64Array.from(r as number[]);
        if (kind < 0.3 && allNumbers(r)) return Float32Array.from(r as number[]);
        return r;
      });
      const expected: number[] = [];
      let firstBad: [number, number] | undefined;
      X.forEach((r, i) => Array.from(r as ArrayLike<unknown>).forEach((v, j) => {
        const ok = (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
        if (!ok && firstBad === undefined) firstBad = [i, j];
        expected.push(Number(typeof v === 'symbol' ? NaN : v));
      }));
      if (firstBad === undefined) {
        expect(Array.from(toMatrix(X as any).data)).to.deep.equal(expected);
        accepted++;
      } else {
        const err = errorOf(() => toMatrix(X as any));
        expect(err.message).to.contain(`at row ${firstBad[0]}, column ${firstBad[1]}`);
        expect(err).to.not.be.instanceOf(TypeError);
        rejected++;
      }
    }
    expect(accepted).to.be.greaterThan(50);
    expect(rejected).to.be.greaterThan(50);
  });
});
