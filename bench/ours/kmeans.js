'use strict';
/** Our KMeans (Lloyd), from the built library: same centres as the peers, tol 0. */
const fs = require('fs');
const { readMatrix } = require('../lib/data');
const { spec, emit, timed, runWorker } = require('../lib/worker');

runWorker(() => {
  const s = spec();
  // The module alone, not the whole index: that would also load TensorFlow.js.
  const { KMeans } = require('../../dist/cluster');
  const X = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const centres = JSON.parse(fs.readFileSync(s.case.initPath, 'utf8')).meansInit;
  // Untimed: lets V8 compile the hot loops before anything is timed.
  if (s.warmup) new KMeans({ nClusters: s.case.k, init: centres, nInit: 1, maxIter: s.iters[0], tol: 0, ...(s.threads ? { nJobs: s.threads } : {}) }).fit(X);
  const runs = [];
  for (let rep = 0; rep < s.reps; rep++) {
    for (const maxIter of s.iters) {
      // --threads N; otherwise the library's default.
      const km = new KMeans({ nClusters: s.case.k, init: centres, nInit: 1, maxIter, tol: 0, ...(s.threads ? { nJobs: s.threads } : {}) });
      const { seconds } = timed(() => km.fit(X));
      runs.push({ maxIter, seconds, nIter: km.nIter, inertia: km.inertia, centres: km.clusterCenters, nJobs: km.nJobs });
    }
  }
  emit({ runs });
});
