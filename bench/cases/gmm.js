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
  for (const dataCase of ctx.mixtureCases) {
    const spec = { mode: 'time', case: dataCase, iters: [1, ctx.iters], reps: ctx.reps };
    const sk = runPython(`gmm ${dataCase.name}: scikit-learn`, 'sklearn_gmm.py', spec);
    ctx.versions.sklearn = sk.versions.sklearn;
    ctx.versions.numpy = sk.versions.numpy;
    ctx.peerThreads.sklearnGmm = { openmpThreads: sk.openmpThreads, blas: sk.blas };
    const p = perIteration(sk.runs);
    let o = null;
    try {
      o = perIteration(runNode(`gmm ${dataCase.name}: ours`, 'ours/gmm.js', spec).runs);
    } catch (err) {
      checks.push({ ok: false, text: `GMM ${dataCase.name}: ours did not run: ${err.message.split('\n')[0]}` });
    }
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
    if (o) rows.push(row('ours', o, true));
    else rows.push([dataCase.label, 'ours', 'failed', '', '', '', '', '', '']);
  }
  const header = ['data', 'implementation', 'ms / iteration', 'fixed ms', 'spread of reps', 'iterations', 'lower bound', 'ours / peer (lower is better)', 'speed-up (peer / ours)'];
  return { title: 'Gaussian mixture EM (full covariance), time per iteration', markdown: table(header, rows), checks };
}

module.exports = { run };
