/**
 * KMeans' Lloyd passes on the worker pool (src/parallel, shared with GaussianMixture):
 * bit-identical clusterings for every number of threads, small data on one thread.
 */
import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { CHUNK_ROWS, planLloyd } from '../src/cluster/fast/chunks';
import { Matrix } from '../src/matrix';
import { Random } from '../src/random';
import { configurePool, poolStatus, terminateWorkers } from '../src/parallel/pool';

function blobs(n: number, d: number, k: number, seed: number): Matrix {
  const rng = new Random(seed);
  const centres = Array.from({ length: k * d }, () => rng.uniform(-5, 5));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = centres[(i % k) * d + j] + rng.normal(0, 1.5);
  return { rows: n, cols: d, data };
}

describe('KMeans on worker threads', () => {
  after(async () => {
    configurePool({ mainThreadWorks: true, maxThreads: undefined });
    await terminateWorkers();
  });

  // d = 2 takes the kernel's pass2, d = 7 and 16 its passWide (7 padded to 8); odd n leaves a last single row.
  for (const [n, d, k] of [[100_003, 2, 5], [60_001, 7, 4], [40_001, 16, 3]]) {
    it(`${d}-D, k = ${k}: 1, 2 and 3 threads give bit-identical centres, labels and inertia`, () => {
      const X = blobs(n, d, k, 5);
      const pass = planLloyd(X.data, n, d, k, 3);
      expect(pass.threads, 'big enough to go parallel').to.equal(3);
      const fit = (nJobs: number) => {
        const km = new KMeans({ nClusters: k, nInit: 2, maxIter: 8, tol: 0, randomState: 4, nJobs }).fit(X);
        return { centres: km.clusterCenters, labels: km.labels, inertia: km.inertia, nIter: km.nIter };
      };
      const one = fit(1);
      configurePool({ mainThreadWorks: false, maxThreads: 8 }); // every chunk on a worker
      try {
        for (const nJobs of [2, 3]) {
          const many = fit(nJobs);
          expect(poolStatus().lastWorkerChunks).to.equal(Math.ceil(n / CHUNK_ROWS));
          expect(many, `nJobs ${nJobs}`).to.deep.equal(one);
        }
      } finally {
        configurePool({ mainThreadWorks: true, maxThreads: undefined });
      }
    });
  }

  it('keeps small data on the calling thread and checks nJobs', () => {
    expect(planLloyd(new Float64Array(2 * 20_000), 20_000, 2, 4, 8).threads).to.equal(1);
    expect(planLloyd(new Float64Array(2 * 300_000), 300_000, 2, 4, 1).threads).to.equal(1);
    expect(planLloyd(new Float64Array(2 * 300_000), 300_000, 2, 4, 2).threads).to.equal(2);
    expect(() => new KMeans({ nJobs: 0 })).to.throw(/nJobs must be an integer ≥ 1/);
  });
});
