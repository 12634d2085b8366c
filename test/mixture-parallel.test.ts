/**
 * GaussianMixture on worker threads: the same bits whatever the number of threads,
 * small fits on the calling thread, data shared rather than copied when possible, a
 * failing worker handled on the main thread, and a process that exits with the pool idle.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Matrix } from '../src/matrix';
import { Random } from '../src/random';
import { GaussianMixture } from '../src/mixture';
import { CHUNK_ROWS, planPass } from '../src/mixture/fast/chunks';
import { allocPrepared } from '../src/mixture/fast/prepared';
import { CovarianceType } from '../src/mixture/types';
import { claimChunk, claimWord } from '../src/parallel/control';
import { configurePool, poolStatus, runChunks, terminateWorkers } from '../src/parallel/pool';

/** n points around K random centres in d dimensions, correlated within each cluster. */
function blobs(n: number, d: number, K: number, seed: number, shared = false): Matrix {
  const rng = new Random(seed);
  const centres = Array.from({ length: K * d }, () => rng.uniform(-6, 6));
  const data = shared ? new Float64Array(new SharedArrayBuffer(8 * n * d)) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = i % K;
    let prev = 0;
    for (let j = 0; j < d; j++) {
      prev = 0.6 * prev + rng.normal(0, 1.3);
      data[i * d + j] = centres[k * d + j] + prev;
    }
  }
  return { rows: n, cols: d, data };
}

interface Fitted { weights: number[]; means: number[][]; covariances: unknown; precisionsCholesky: unknown; lowerBounds: number[]; nIter: number }

function fit(X: Matrix, K: number, type: CovarianceType, nJobs: number): Fitted {
  const gm = new GaussianMixture({ nComponents: K, covarianceType: type, maxIter: 6, tol: 0, randomState: 3, warnOnNoConvergence: false, nJobs });
  gm.fit(X);
  return { weights: gm.weights, means: gm.means, covariances: gm.covariances, precisionsCholesky: gm.precisionsCholesky, lowerBounds: gm.lowerBounds, nIter: gm.nIter };
}

describe('GaussianMixture on worker threads', function () {
  after(async () => {
    configurePool({ mainThreadWorks: true, enable: true, maxThreads: undefined });
    await terminateWorkers();
  });

  const cases: [string, number, number, number, CovarianceType][] = [
    ['full, d = 2 (the unrolled pass)', 70_000, 2, 4, 'full'],
    ['full, d = 5 (the blocked pass)', 40_000, 5, 4, 'full'],
    ['tied, d = 5', 50_000, 5, 3, 'tied'],
    ['diag, d = 6', 70_000, 6, 4, 'diag'],
  ];
  for (const [label, n, d, K, type] of cases) {
    it(`${label}: 1, 2 and 3 threads give bit-identical parameters and lower bounds`, () => {
      const X = blobs(n, d, K, 17);
      const plan = planPass(X.data, n, allocPrepared(type, K, d), 3);
      expect(plan.threads, 'big enough to go parallel').to.equal(3);
      const one = fit(X, K, type, 1);
      // Every chunk on a worker: otherwise the calling thread might do them all and prove nothing.
      configurePool({ mainThreadWorks: false, maxThreads: 8 });
      try {
        for (const nJobs of [2, 3]) {
          const many = fit(X, K, type, nJobs);
          expect(poolStatus().lastWorkerChunks, 'chunks done by workers in the last pass').to.equal(plan.plan.nChunks);
          expect(many, `nJobs ${nJobs}`).to.deep.equal(one);
        }
      } finally {
        configurePool({ mainThreadWorks: true, maxThreads: undefined });
      }
      expect(poolStatus().workers).to.be.at.least(2);
      expect(one.nIter).to.equal(6);
    });
  }

  it('keeps small fits on the calling thread, and cuts chunks by N only', () => {
    const kern = allocPrepared('full', 3, 2);
    const small = blobs(5000, 2, 3, 1);
    expect(planPass(small.data, 5000, kern, 8).threads).to.equal(1);
    const big = blobs(3 * CHUNK_ROWS + 7, 16, 3, 1);
    const k16 = allocPrepared('full', 3, 16);
    const plans = [1, 2, 8].map((nJobs) => planPass(big.data, big.rows, k16, nJobs));
    expect(plans.map((p) => p.threads)).to.deep.equal([1, 2, 4]);
    for (const p of plans) expect(p.plan).to.deep.equal(plans[0].plan);
    expect(plans[0].plan.nChunks).to.equal(4);
  });

  it('uses X as it is when it already lives in a SharedArrayBuffer, and copies it otherwise', () => {
    const kern = allocPrepared('full', 4, 8);
    const shared = blobs(20_000, 8, 4, 2, true);
    expect(planPass(shared.data, shared.rows, kern, 2).x).to.equal(shared.data);
    const plain = blobs(20_000, 8, 4, 2);
    const copied = planPass(plain.data, plain.rows, kern, 2).x;
    expect(copied.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(copied).to.deep.equal(plain.data);
  });

  it('rejects a bad nJobs', () => {
    for (const bad of [0, 1.5, -1, NaN]) {
      expect(() => new GaussianMixture({ nJobs: bad }), String(bad)).to.throw(/nJobs must be an integer ≥ 1/);
    }
  });

  it('a worker claims no chunk of another job, nor past the end', () => {
    const claim = new BigInt64Array(new SharedArrayBuffer(8));
    Atomics.store(claim, 0, claimWord(5, 0));
    expect([0, 1, 2].map(() => claimChunk(claim, 5, 2))).to.deep.equal([0, 1, -1]);
    Atomics.store(claim, 0, claimWord(6, 0));
    expect(claimChunk(claim, 5, 2), 'stale job').to.equal(-1);
    expect(claimChunk(claim, 6, 2)).to.equal(0);
  });

  it('when a worker fails, the main thread redoes the pass and stops using workers', async () => {
    // A worker cannot load this module (mocha's `describe` is not defined there): its chunks fail.
    const task = { module: __filename, name: 'none', payload: null };
    const out = new Float64Array(6);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    configurePool({ mainThreadWorks: false, maxThreads: 8 });
    try {
      runChunks(task, 6, 2, (i) => (out[i] = i * i));
      expect(Array.from(out)).to.deep.equal([0, 1, 4, 9, 16, 25]);
      expect(poolStatus().disabled).to.match(/worker thread failed/);
      out.fill(-1);
      runChunks(task, 6, 2, (i) => (out[i] = 2 * i)); // workers off: all here
      expect(Array.from(out)).to.deep.equal([0, 2, 4, 6, 8, 10]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the warnings through
      expect(warnings.join('\n')).to.match(/Parallel passes are off/);
    } finally {
      process.off('warning', onWarning);
      configurePool({ mainThreadWorks: true, enable: true, maxThreads: undefined });
    }
  });

  it('an error on the main thread comes out of the pass as it is', () => {
    expect(() =>
      runChunks({ module: __filename, name: 'none', payload: null }, 8, 2, (i) => {
        if (i === 3) throw new Error('chunk 3 failed');
      }),
    ).to.throw('chunk 3 failed');
  });

  it('lets the process exit while the pool is idle', () => {
    const lib = path.join(__dirname, '..', 'src', 'mixture');
    const script = `
      const { GaussianMixture } = require(${JSON.stringify(lib)});
      const n = 60000, X = { rows: n, cols: 3, data: new Float64Array(n * 3).map((_, i) => Math.sin(i) * (i % 7)) };
      const gm = new GaussianMixture({ nComponents: 4, maxIter: 2, nJobs: 2, warnOnNoConvergence: false }).fit(X);
      console.log(gm.nIter);`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(res.signal, 'killed by the timeout: the workers kept the process alive').to.equal(null);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout.trim()).to.equal('2');
  });
});
