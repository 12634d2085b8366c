'use strict';
/**
 * Our whole fits, as a user types them: `new GaussianMixture({ nComponents })` and
 * `new KMeans({ nClusters })` with every other option at its default, or the same with
 * the shared explicit initial parameters. One untimed warm-up fit, then `reps` timed
 * fits; the process's peak RSS covers them all (they are the same fit).
 */
const fs = require('fs');
const { readMatrix } = require('../lib/data');
const { spec, emit, timed, peakRss, currentRss, runWorker } = require('../lib/worker');

runWorker(() => {
  const s = spec();
  const X = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const init = s.init === 'explicit' ? JSON.parse(fs.readFileSync(s.case.initPath, 'utf8')) : null;
  const threads = s.threads ? { nJobs: s.threads } : {};
  const rssBefore = currentRss();
  let fit;
  if (s.model === 'gmm') {
    const { GaussianMixture } = require('../../dist/mixture');
    const options = { nComponents: s.case.k, ...threads };
    if (init) Object.assign(options, { weightsInit: init.weightsInit, meansInit: init.meansInit, precisionsInit: init.precisionsInit });
    fit = () => {
      const gm = new GaussianMixture(options);
      const { seconds } = timed(() => gm.fit(X));
      return { seconds, nIter: gm.nIter, converged: gm.converged, score: gm.lowerBound };
    };
  } else {
    const { KMeans } = require('../../dist/cluster');
    const options = { nClusters: s.case.k, ...threads };
    if (init) options.init = init.meansInit;
    fit = () => {
      const km = new KMeans(options);
      const { seconds } = timed(() => km.fit(X));
      return { seconds, nIter: km.nIter, score: km.inertia };
    };
  }
  if (s.warmup) fit();
  const runs = [];
  for (let rep = 0; rep < s.reps; rep++) runs.push(fit());
  emit({ runs, rssBefore, peakRss: peakRss() });
});
