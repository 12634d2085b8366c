'use strict';
/**
 * Case 1: Gaussian mixture EM time per iteration, full covariance, ours against
 * scikit-learn from identical initial parameters. Both fits must end at the same
 * lower bound (relative 1e-6), or the timing compares different computations.
 */
const { runNode, runPython } = require('../lib/child');
const { perIteration, relDiff } = require('../lib/stats');
const { table, ms, ratio, speedup, spread } = require('../lib/table');

const TOL = 1e-6;

function run(ctx) {
  const rows = [];
  const checks = [];
  const goals = [];
  ctx.mixtureCases.forEach((dataCase, index) => {
    // Rounds alternate peer and ours, each in a fresh process with one untimed warm-up fit,
    // so that both sides sample the same machine conditions when other work comes and goes.
    const spec = { mode: 'time', case: dataCase, iters: [1, ctx.iters], reps: 1, warmup: true, threads: ctx.threads };
    const skRuns = [];
    const ourRuns = [];
    let oursError = null;
    let sk = null;
    for (let round = 1; round <= ctx.reps; round++) {
      sk = runPython(`gmm ${dataCase.name}: scikit-learn (round ${round}/${ctx.reps})`, 'sklearn_gmm.py', spec);
      skRuns.push(...sk.runs);
      if (oursError) continue;
      try {
        ourRuns.push(...runNode(`gmm ${dataCase.name}: ours (round ${round}/${ctx.reps})`, 'ours/gmm.js', spec).runs);
      } catch (err) {
        oursError = err;
      }
    }
    ctx.versions.sklearn = sk.versions.sklearn;
    ctx.versions.numpy = sk.versions.numpy;
    const p = perIteration(skRuns);
    let o = null;
    if (oursError) checks.push({ ok: false, text: `GMM ${dataCase.name}: ours did not run: ${oursError.message.split('\n')[0]} (its stderr is above)` });
    else o = perIteration(ourRuns);
    if (o) {
      const d = relDiff(o.last.lowerBound, p.last.lowerBound);
      checks.push({
        ok: d <= TOL && o.nIter === p.nIter,
        text:
          `GMM ${dataCase.name}: lower bound after ${o.nIter} iterations ours ${o.last.lowerBound.toPrecision(12)}, ` +
          `scikit-learn ${p.last.lowerBound.toPrecision(12)} after ${p.nIter} (relative difference ${d.toExponential(1)}, limit ${TOL})`,
      });
    }
    const row = (name, r, vsPeer) => [
      dataCase.label,
      name,
      ms(r.perIter),
      ms(r.fixed, 0),
      spread(r),
      String(r.nIter),
      r.last.lowerBound.toPrecision(10),
      vsPeer ? ratio(r.perIter, p.perIter) : '—',
      vsPeer ? speedup(r.perIter, p.perIter) : '—',
    ];
    rows.push(row('scikit-learn', p, false));
    if (o) rows.push(row(o.last.nJobs ? `ours (nJobs ${o.last.nJobs})` : 'ours', o, true));
    else rows.push([dataCase.label, 'ours', 'failed', '', '', '', '', '', '']);
    // The goals: ≥3× scikit-learn's speed on the 2-D set, at least its speed on the 16-D one.
    const want = index === 0 ? 3 : 1;
    const got = o ? p.perIter / o.perIter : 0;
    goals.push({ met: got >= want, text: `GMM ${dataCase.label}: speed-up over scikit-learn ≥ ${want}× (got ${got.toFixed(2)}×)` });
  });
  const header = ['data', 'implementation', 'ms / iteration', 'fixed ms', 'spread of reps', 'iterations', 'lower bound', 'ours / peer (lower is better)', 'speed-up (peer / ours)'];
  return { title: 'Gaussian mixture EM (full covariance), time per iteration', markdown: table(header, rows), checks, goals };
}

module.exports = { run };
