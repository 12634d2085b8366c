'use strict';
/**
 * Our GaussianMixture, from the built library, with exactly the peer's settings:
 * full covariance, the shared weights/means/precisions, tol 0, nInit 1.
 *
 * mode "time":   for each rep and each maxIter in spec.iters, time fit() and report it.
 * mode "memory": one fit with maxIter = last of spec.iters; report RSS before it and the peak.
 */
const fs = require('fs');
const { readMatrix } = require('../lib/data');
const { spec, emit, timed, peakRss, currentRss, runWorker } = require('../lib/worker');

runWorker(() => {
  const s = spec();
  // The module alone, not the whole index: that would also load TensorFlow.js.
  const { GaussianMixture } = require('../../dist/mixture');
  const X = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const init = JSON.parse(fs.readFileSync(s.case.initPath, 'utf8'));

  const fit = (maxIter) => {
    const gm = new GaussianMixture({
      nComponents: s.case.k,
      covarianceType: 'full',
      tol: 0,
      regCovar: 1e-6,
      maxIter,
      nInit: 1,
      // As on the peer's side: with every parameter given, the cheapest start.
      initParams: 'random_from_data',
      randomState: 0,
      weightsInit: init.weightsInit,
      meansInit: init.meansInit,
      precisionsInit: init.precisionsInit,
      // tol 0 never converges by design.
      warnOnNoConvergence: false,
      // --threads N; otherwise the library's default.
      ...(s.threads ? { nJobs: s.threads } : {}),
    });
    const { seconds } = timed(() => gm.fit(X));
    // nJobs: how many threads the library chose (its default: all cores); options is protected in TS only.
    return { maxIter, seconds, nIter: gm.nIter, lowerBound: gm.lowerBound, nJobs: gm.options?.nJobs };
  };

  if (s.mode === 'memory') {
    const rssBeforeFit = currentRss();
    const run = fit(s.iters[s.iters.length - 1]);
    emit({ runs: [run], rssBeforeFit, peakRss: peakRss() });
    return;
  }
  // Untimed: lets V8 compile the hot loops before anything is timed.
  if (s.warmup) fit(s.iters[0]);
  const runs = [];
  for (let rep = 0; rep < s.reps; rep++) for (const maxIter of s.iters) runs.push(fit(maxIter));
  emit({ runs });
});
