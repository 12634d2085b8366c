'use strict';
/**
 * Case 4: peak resident memory of the largest GMM fit (maxIter iterations), each side
 * in a fresh process. "Before fit" is the RSS with the runtime, the library and the data
 * loaded; the peak is VmHWM (ours) or getrusage's ru_maxrss (scikit-learn), which on
 * Linux are the same kernel counter.
 */
const { runNode, runPython } = require('../lib/child');
const { table, mib, ratio } = require('../lib/table');

function run(ctx) {
  const dataCase = ctx.mixtureCases[0];
  const spec = { mode: 'memory', case: dataCase, iters: [ctx.iters], reps: 1, threads: ctx.threads };
  const sk = runPython(`memory ${dataCase.name}: scikit-learn`, 'sklearn_gmm.py', spec);
  const rows = [];
  const checks = [];
  const dataBytes = dataCase.n * dataCase.d * 8;
  const row = (name, r, vs) => [
    dataCase.label,
    name,
    mib(r.rssBeforeFit),
    mib(r.peakRss),
    mib(r.peakRss - r.rssBeforeFit),
    vs ? ratio(r.peakRss, vs.peakRss) : '—',
    vs ? ratio(r.peakRss - r.rssBeforeFit, vs.peakRss - vs.rssBeforeFit) : '—',
  ];
  rows.push(row('scikit-learn', sk, null));
  try {
    const ours = runNode(`memory ${dataCase.name}: ours`, 'ours/gmm.js', spec);
    rows.push(row('ours', ours, sk));
  } catch (err) {
    checks.push({ ok: false, text: `memory ${dataCase.name}: ours did not run: ${err.message.split('\n')[0]}` });
    rows.push([dataCase.label, 'ours', 'failed', '', '', '', '']);
  }
  const header = ['data', 'implementation', 'RSS before fit', 'peak RSS', 'peak − before (the fit)', 'peak: ours / peer', 'fit: ours / peer'];
  const note = `The data matrix itself is ${mib(dataBytes)} (float64) and is in "before fit" on both sides. ${ctx.iters} EM iterations.`;
  return { title: 'Peak memory (RSS) of the largest GMM fit', markdown: `${table(header, rows)}\n\n${note}`, checks };
}

module.exports = { run };
