/**
 * The mixture's fast EM iteration (src/mixture/fast) against the library's reference E- and
 * M-steps (src/mixture/e-step.ts, m-step.ts); and the reference log-density against an
 * explicit inverse and determinant.
 */
import { expect } from 'chai';
import { Matrix } from '../src/matrix';
import { Random } from '../src/random';
import { eStep } from '../src/mixture/e-step';
import { allocWorkspace, fastEmIteration } from '../src/mixture/fast';
import { allocScratch, emPass } from '../src/mixture/fast/pass';
import { allocPrepared, prepareComponents } from '../src/mixture/fast/prepared';
import { allocSums, needsExactPass } from '../src/mixture/fast/sums';
import { weightedLogProb } from '../src/mixture/log-density';
import { mStep } from '../src/mixture/m-step';
import { MixtureParams, allocParams, copyParams } from '../src/mixture/params';
import { computePrecisionCholesky } from '../src/mixture/precision-cholesky';
import { CovarianceType } from '../src/mixture/types';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];

// ---- naive linear algebra ----

function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...a.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

function determinant(a: number[][]): number {
  const m = a.map((r) => r.slice());
  const n = m.length;
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (p !== c) {
      [m[c], m[p]] = [m[p], m[c]];
      det = -det;
    }
    det *= m[c][c];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let j = c; j < n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return det;
}

function logGaussian(x: number[], mu: number[], sigma: number[][]): number {
  const d = x.length;
  const inv = inverse(sigma);
  let q = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += (x[i] - mu[i]) * inv[i][j] * (x[j] - mu[j]);
  return -0.5 * (d * Math.log(2 * Math.PI) + Math.log(determinant(sigma)) + q);
}

/** Covariance of component k as a dense d×d matrix, whatever the type. */
function denseCov(p: MixtureParams, k: number): number[][] {
  const { type, d, covariances: c } = p;
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      if (type === 'full') return c[k * d * d + i * d + j];
      if (type === 'tied') return c[i * d + j];
      if (i !== j) return 0;
      return type === 'diag' ? c[k * d + i] : c[k];
    }),
  );
}

// ---- fixtures ----

function randomData(rng: Random, N: number, d: number, offset = 0): number[][] {
  return Array.from({ length: N }, (_, i) => Array.from({ length: d }, (_, j) => offset + rng.normal((i % 3) * 2 - j, 1 + 0.2 * j)));
}

function toM(X: number[][]): Matrix {
  return { rows: X.length, cols: X[0].length, data: Float64Array.from(X.flat()) };
}

/** Parameters with random positive-definite covariances. */
function randomParams(rng: Random, type: CovarianceType, K: number, d: number, offset = 0): MixtureParams {
  const p = allocParams(type, K, d);
  let s = 0;
  for (let k = 0; k < K; k++) s += (p.weights[k] = 0.5 + rng.random());
  for (let k = 0; k < K; k++) p.weights[k] /= s;
  for (let i = 0; i < K * d; i++) p.means[i] = offset + rng.normal(0, 2);
  const spd = (off: number) => {
    const A = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal(0, 0.6)));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let v = i === j ? 0.7 : 0;
      for (let t = 0; t < d; t++) v += A[i][t] * A[j][t];
      p.covariances[off + i * d + j] = v;
    }
  };
  if (type === 'full') for (let k = 0; k < K; k++) spd(k * d * d);
  else if (type === 'tied') spd(0);
  else for (let i = 0; i < p.covariances.length; i++) p.covariances[i] = 0.4 + rng.random() * 2;
  computePrecisionCholesky(p, new Float64Array(2 * d * d));
  return p;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(expected[i]));
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).to.be.at.most(tol);
  }
}


/** One iteration of the library's reference EM on a copy of `p`: its mean log-likelihood and new parameters. */
function referenceIteration(X: number[][], p: MixtureParams, reg: number): { ll: number; p: MixtureParams } {
  const q = copyParams(p);
  const { meanLogLikelihood, resp } = eStep(toM(X), q);
  mStep(toM(X), resp, reg, q);
  return { ll: meanLogLikelihood, p: q };
}

describe('mixture: the fast EM iteration against the reference E- and M-steps', () => {
  for (const type of TYPES) {
    describe(type, () => {
      it('reference log-densities match an explicit inverse and determinant (d = 1, 2, 4)', () => {
        const rng = new Random(1);
        for (const d of [1, 2, 4]) {
          const K = 3;
          const p = randomParams(rng, type, K, d);
          const X = randomData(rng, 20, d);
          const got = weightedLogProb(toM(X), p);
          const want = X.flatMap((x) =>
            Array.from({ length: K }, (_, k) => Math.log(p.weights[k]) + logGaussian(x, Array.from(p.means.subarray(k * d, k * d + d)), denseCov(p, k))),
          );
          expectClose(got, want, 1e-10, `log prob d=${d}`);
        }
      });

      it('reference E-step: responsibilities sum to 1 per row, and the mean log-likelihood is that of the densities', () => {
        const rng = new Random(2);
        const d = 3, K = 3;
        const p = randomParams(rng, type, K, d);
        const X = randomData(rng, 30, d);
        const { resp, meanLogLikelihood } = eStep(toM(X), p);
        let ll = 0;
        X.forEach((x, i) => {
          expect(resp.subarray(i * K, i * K + K).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-14);
          ll += Math.log(Array.from({ length: K }, (_, k) => p.weights[k] * Math.exp(logGaussian(x, Array.from(p.means.subarray(k * d, k * d + d)), denseCov(p, k)))).reduce((a, b) => a + b, 0));
        });
        expect(meanLogLikelihood).to.be.closeTo(ll / X.length, 1e-12 * Math.abs(ll / X.length));
      });

      for (const [label, d, offset] of [['d = 2', 2, 0], ['d = 3', 3, 0], ['d = 2, data at 1e4', 2, 1e4], ['d = 3, data at 1e4', 3, 1e4]] as const) {
        it(`one fused EM iteration equals the reference E-step + M-step (${label})`, () => {
          const rng = new Random(3);
          const K = 3, reg = 1e-6;
          const X = randomData(rng, 60, d, offset);
          const p = randomParams(rng, type, K, d, offset);
          const want = referenceIteration(X, p, reg);
          const ll = fastEmIteration(toM(X), p, reg, allocWorkspace(type, K, d));
          expect(ll).to.be.closeTo(want.ll, 1e-10 * Math.abs(want.ll));
          expectClose(p.weights, want.p.weights, 1e-9, 'weights');
          expectClose(p.means, want.p.means, 1e-12, 'means');
          expectClose(p.covariances, want.p.covariances, 1e-8, 'covariances');
          expectClose(p.precChol, want.p.precChol, 1e-7, 'precision Cholesky factors');
        });
      }

      it('stays centred when the means start far from the data (second pass about the new means)', () => {
        const rng = new Random(4);
        const K = 2, d = 2, reg = 1e-6;
        const X = randomData(rng, 50, d, 1e6);
        const p = randomParams(rng, type, K, d, 0); // means near 0, data near 1e6: the shift δ ≈ 1e6 σ
        // Wide covariances so both components still see the data.
        for (let i = 0; i < p.covariances.length; i++) p.covariances[i] *= 1e12;
        computePrecisionCholesky(p, new Float64Array(8));
        const want = referenceIteration(X, p, reg);
        fastEmIteration(toM(X), p, reg, allocWorkspace(type, K, d));
        expectClose(p.covariances, want.p.covariances, 1e-7, 'covariances');
      });
    });
  }

  describe('skipping negligible responsibilities (< 1e-30 of a point)', () => {
    for (const type of TYPES) {
      it(`${type}: leaves the sums unchanged to 1e-14, and a nearly empty component makes the fit exact`, () => {
        const rng = new Random(5);
        const d = 3, K = 3;
        // Three tight, well-separated clusters: most responsibilities are far below 1e-30.
        const X = Array.from({ length: 300 }, (_, i) => Array.from({ length: d }, (_, j) => rng.normal((i % 3) * 40 + j, 1)));
        const p = randomParams(rng, type, K, d);
        for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) p.means[k * d + j] = k * 40 + j + 0.5;
        const kern = allocPrepared(type, K, d);
        prepareComponents(p, kern);
        const [fast, exact] = [false, true].map((ex) => {
          const sums = allocSums(type, K, d);
          const ll = emPass(toM(X).data, 0, X.length, kern, sums, allocScratch(K, d), ex);
          return { sums, ll };
        });
        expect(fast.sums.skipped.reduce((a, b) => a + b, 0), 'something was skipped').to.be.greaterThan(300);
        expect(exact.sums.skipped.reduce((a, b) => a + b, 0)).to.equal(0);
        expect(fast.ll).to.be.closeTo(exact.ll, 1e-14 * Math.abs(exact.ll));
        expectClose(fast.sums.nk, exact.sums.nk, 1e-14, 'nk');
        expectClose(fast.sums.s, exact.sums.s, 1e-14, 's');
        expectClose(fast.sums.S, exact.sums.S, 1e-14, 'S');
        expect(needsExactPass(fast.sums)).to.equal(false);

        // Move component 2 far away: it holds almost nothing, so what was skipped could matter.
        for (let j = 0; j < d; j++) p.means[2 * d + j] = 500;
        const ws = allocWorkspace(type, K, d);
        const want = referenceIteration(X, p, 1e-6);
        fastEmIteration(toM(X), p, 1e-6, ws);
        expect(ws.exact).to.equal(true);
        expectClose(p.means, want.p.means, 1e-12, 'means');
      });
    }
  });
});
