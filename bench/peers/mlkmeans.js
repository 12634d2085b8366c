'use strict';
/**
 * npm ml-kmeans peer: the same initial centres, tolerance −1 so that it never stops
 * early and runs exactly maxIterations Lloyd steps. Its input is number[][]; the
 * conversion from the shared Float64Array is outside the timed region.
 */
const { readMatrix } = require('../lib/data');
const { spec, emit, timed, runWorker } = require('../lib/worker');
const fs = require('fs');

runWorker(async () => {
  const s = spec();
  const { kmeans } = await import('ml-kmeans');
  const m = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const rows = [];
  for (let i = 0; i < m.rows; i++) rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const centres = JSON.parse(fs.readFileSync(s.case.initPath, 'utf8')).meansInit;
  // Untimed: lets V8 compile the hot loops before anything is timed.
  if (s.warmup) kmeans(rows, s.case.k, { initialization: centres.map((c) => c.slice()), maxIterations: s.iters[0], tolerance: -1 });
  const runs = [];
  for (let rep = 0; rep < s.reps; rep++) {
    for (const maxIter of s.iters) {
      const init = centres.map((c) => c.slice());
      const { seconds, value } = timed(() =>
        kmeans(rows, s.case.k, { initialization: init, maxIterations: maxIter, tolerance: -1 }),
      );
      runs.push({ maxIter, seconds, nIter: value.iterations, centres: value.centroids });
    }
  }
  // The package's "exports" hides package.json, so read it from its folder.
  const path = require('path');
  const pkg = path.join(__dirname, '..', '..', 'node_modules', 'ml-kmeans', 'package.json');
  const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  emit({ runs, versions: { 'ml-kmeans': version } });
});
