'use strict';
/**
 * Case 2: K-Means (Lloyd) time per iteration on the GMM data sets, against
 * scikit-learn (algorithm='lloyd', n_init=1, tol=0) and npm ml-kmeans, from the same
 * initial centres. The final centres of every implementation are scored with one
 * inertia function here, and must agree to a relative 1e-6.
 */
const { runNode, runPython } = require('../lib/child');
const { readMatrix } = require('../lib/data');
const { perIteration, relDiff, inertia } = require('../lib/stats');
const { table, ms, ratio, speedup, spread } = require('../lib/table');

const TOL = 1e-6;

function runCase(ctx, dataCase) {
  // Rounds alternate the three implementations, each in a fresh process with one untimed
  // warm-up fit, so that all sample the same machine conditions when other work comes and goes.
  const spec = { case: dataCase, iters: [1, ctx.iters], reps: 1, warmup: true, threads: ctx.threads };
  const sk = { runs: [] };
  const ml = { runs: [] };
  const ours = { runs: [] };
  for (let round = 1; round <= ctx.reps; round++) {
    const tag = `(round ${round}/${ctx.reps})`;
    const a = runPython(`kmeans ${dataCase.name}: scikit-learn ${tag}`, 'sklearn_kmeans.py', spec);
    sk.runs.push(...a.runs);
    sk.versions = a.versions;
    const b = runNode(`kmeans ${dataCase.name}: ml-kmeans ${tag}`, 'peers/mlkmeans.js', spec);
    ml.runs.push(...b.runs);
    ml.versions = b.versions;
    ours.runs.push(...runNode(`kmeans ${dataCase.name}: ours ${tag}`, 'ours/kmeans.js', spec).runs);
  }
  ctx.versions.sklearn = sk.versions.sklearn;
  ctx.versions.numpy = sk.versions.numpy;
  ctx.versions['ml-kmeans'] = ml.versions['ml-kmeans'];
  const X = readMatrix(dataCase.dataPath, dataCase.n, dataCase.d);
  const rows = [];
  const checks = [];
  const o = perIteration(ours.runs);
  const oInertia = inertia(X, o.last.centres);
  for (const [name, res] of [
    ['scikit-learn', sk],
    ['ml-kmeans', ml],
    ['ours', ours],
  ]) {
    const p = perIteration(res.runs);
    const score = inertia(X, p.last.centres);
    const d = relDiff(score, oInertia);
    if (name !== 'ours') {
      checks.push({
        ok: d <= TOL,
        text: `K-Means ${dataCase.name}: final inertia ours ${oInertia.toPrecision(12)} vs ${name} ${score.toPrecision(12)} (relative difference ${d.toExponential(1)}, limit ${TOL})`,
      });
    }
    const shown = name === 'ours' && p.last.nJobs ? `ours (nJobs ${p.last.nJobs})` : name;
    rows.push([
      dataCase.label,
      shown,
      ms(p.perIter, 2),
      ms(p.fixed, 0),
      spread(p),
      String(p.nIter),
      score.toPrecision(10),
      name === 'ours' ? '—' : ratio(o.perIter, p.perIter),
      name === 'ours' ? '—' : speedup(o.perIter, p.perIter),
    ]);
  }
  const sp = perIteration(sk.runs).perIter / o.perIter;
  const goal = { met: sp >= 1, text: `K-Means ${dataCase.label}: at least scikit-learn's speed (speed-up ${sp.toFixed(2)}×)` };
  return { rows, checks, goal };
}

function run(ctx) {
  const rows = [];
  const checks = [];
  const goals = [];
  for (const dataCase of ctx.mixtureCases) {
    const r = runCase(ctx, dataCase);
    rows.push(...r.rows);
    checks.push(...r.checks);
    goals.push(r.goal);
  }
  const header = ['data', 'implementation', 'ms / iteration', 'fixed ms', 'spread of reps', 'iterations', 'final inertia', 'ours / peer (lower is better)', 'speed-up (peer / ours)'];
  return { title: 'K-Means (Lloyd), time per iteration', markdown: table(header, rows), checks, goals };
}

module.exports = { run };
