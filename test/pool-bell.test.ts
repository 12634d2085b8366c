/**
 * The worker pool's reused payloads and doorbell (src/parallel/bell.ts): a fit's passes send
 * their payload to a worker once and wake a parked worker by its bell; other jobs still go
 * by message, also to a parked worker; and a process whose workers are parked still exits.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ChunkTask, configurePool, poolStatus, runChunks, terminateWorkers } from '../src/parallel/pool';
import { EchoPayload } from './support/pool-tasks';

const TASKS = path.join(__dirname, 'support', 'pool-tasks.js');
const CHUNKS = 4;

function payload(tag: number): EchoPayload {
  return { out: new Int32Array(new SharedArrayBuffer(4 * CHUNKS)), tag };
}

/** Runs the echo task with every chunk on a worker; returns what the chunks wrote. */
function run(p: EchoPayload, reuse: boolean): number[] {
  const task: ChunkTask = { module: TASKS, name: 'echoTask', payload: p, reuse };
  p.out.fill(0);
  runChunks(task, CHUNKS, 2, () => {
    throw new Error('the main thread was to do no chunk');
  });
  expect(poolStatus().lastWorkerChunks, 'every chunk on a worker').to.equal(CHUNKS);
  return Array.from(p.out);
}

describe('worker pool: reused payloads and the doorbell', function () {
  this.timeout(60_000);
  before(() => configurePool({ mainThreadWorks: false, maxThreads: 2, enable: true }));
  after(async () => {
    configurePool({ mainThreadWorks: true, enable: true, maxThreads: undefined });
    await terminateWorkers();
  });

  it('a reused payload reaches a worker once; another payload, or none reused, is sent anew', () => {
    const a = payload(1);
    const b = payload(2);
    expect(run(a, true)).to.deep.equal([1001, 1001, 1001, 1001]);
    expect(run(a, true), 'the worker kept its copy of a').to.deep.equal([2001, 2001, 2001, 2001]);
    expect(run(a, true)).to.deep.equal([3001, 3001, 3001, 3001]);
    expect(run(b, true), 'b replaces a').to.deep.equal([1002, 1002, 1002, 1002]);
    expect(run(a, true), 'a comes anew').to.deep.equal([1001, 1001, 1001, 1001]);
    expect(run(a, false), 'not reused: cloned for the job').to.deep.equal([1001, 1001, 1001, 1001]);
    expect(run(a, false)).to.deep.equal([1001, 1001, 1001, 1001]);
  });

  it('the passes of a reused task wake the parked worker by its bell, and other jobs still get through', () => {
    const a = payload(3);
    run(a, true);
    // Jobs run back to back; those that found the worker parked (it waits 2 ms after a job) should ring it.
    let parkedBefore = 0;
    let rungThen = 0;
    for (let visits = 2; parkedBefore < 20 && visits < 400; visits++) {
      const wasParked = poolStatus().parked > 0;
      const rung = poolStatus().rung;
      expect(run(a, true)).to.deep.equal(Array(CHUNKS).fill(visits * 1000 + 3));
      if (wasParked) {
        parkedBefore++;
        rungThen += poolStatus().rung - rung;
      }
    }
    expect(parkedBefore, 'jobs that found the worker parked').to.equal(20);
    // (A ring misses only if the worker's wait ends between the look and the ring.)
    expect(rungThen, 'of those, handed over by the bell').to.be.at.least(18);
    // A job by message, to a worker that may be parked, then the reused task again: a new copy of it.
    expect(run(payload(4), false)).to.deep.equal([1004, 1004, 1004, 1004]);
    expect(run(a, true)).to.deep.equal([1003, 1003, 1003, 1003]);
  });

  it('lets the process exit with its workers parked', () => {
    const src = path.join(__dirname, '..', 'src');
    const script = `
      const { KMeans } = require(${JSON.stringify(path.join(src, 'cluster'))});
      const { configurePool, poolStatus } = require(${JSON.stringify(path.join(src, 'parallel', 'pool'))});
      configurePool({ mainThreadWorks: false }); // every chunk on the worker (waited for until it is ready)
      const n = 80000, d = 6, X = { rows: n, cols: d, data: new Float64Array(n * d).map((_, i) => Math.sin(i) * (i % 7)) };
      const km = new KMeans({ nClusters: 5, nJobs: 2, nInit: 1, maxIter: 30, tol: 0 }).fit(X);
      console.log(km.labels.length, poolStatus().rung > 0);`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(res.signal, 'killed by the timeout: the workers kept the process alive').to.equal(null);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout.trim(), 'the passes rang the worker').to.equal('80000 true');
  });
});
