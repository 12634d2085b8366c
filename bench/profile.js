#!/usr/bin/env node
'use strict';
/**
 * Where does our time go? Runs one of our benchmark workers under `node --cpu-prof`
 * on the benchmark's data and prints the functions with the most self time.
 *
 *   node bench/profile.js gmm|kmeans|vae [--quick] [--case N] [--top N]
 *
 * --case picks the data set (0: the 2-D one, 1: the 16-D one). The raw .cpuprofile is
 * kept (path printed) for Chrome DevTools or speedscope.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runNode } = require('./lib/child');
const { prepareMixtureCase, prepareDigits } = require('./lib/data');

const SIZES = {
  full: [
    ['gmm-1m-2d-4', 1_000_000, 2, 4],
    ['gmm-100k-16d-8', 100_000, 16, 8],
  ],
  quick: [
    ['gmm-20k-2d-4', 20_000, 2, 4],
    ['gmm-5k-16d-8', 5_000, 16, 8],
  ],
};

function parse(argv) {
  const a = { what: argv[0], quick: false, caseIndex: 0, top: 20 };
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--quick') a.quick = true;
    else if (argv[i] === '--case') a.caseIndex = Number(argv[++i]);
    else if (argv[i] === '--top') a.top = Number(argv[++i]);
    else throw new Error(`Unknown argument '${argv[i]}'.`);
  }
  if (!['gmm', 'kmeans', 'vae'].includes(a.what)) throw new Error('usage: node bench/profile.js gmm|kmeans|vae [--quick] [--case 0|1] [--top N]');
  return a;
}

/** Self time per function (name, file, line) from a V8 .cpuprofile. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url ? `${path.relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return { total, rows: [...self.entries()].sort((x, y) => y[1] - x[1]) };
}

/**
 * Hot lines of the hottest JavaScript functions, from V8's per-line tick counts
 * (`positionTicks`), with the source text of each line.
 */
function hotLines(profile, functions, linesEach) {
  const out = [];
  const byFn = new Map();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    if (!f.url.startsWith('file://') || !n.positionTicks) continue;
    const key = `${f.functionName}@${f.url}`;
    if (!byFn.has(key)) byFn.set(key, { name: f.functionName, file: f.url.slice('file://'.length), start: f.lineNumber + 1, ticks: new Map(), total: 0 });
    const e = byFn.get(key);
    for (const t of n.positionTicks) {
      e.ticks.set(t.line, (e.ticks.get(t.line) ?? 0) + t.ticks);
      e.total += t.ticks;
    }
  }
  for (const e of [...byFn.values()].sort((a, b) => b.total - a.total).slice(0, functions)) {
    const src = fs.readFileSync(e.file, 'utf8').split('\n');
    out.push(`${e.name} (${path.relative(process.cwd(), e.file)}), ${e.total} samples:`);
    for (const [line, ticks] of [...e.ticks.entries()].sort((a, b) => b[1] - a[1]).slice(0, linesEach)) {
      // V8 files ticks of code it inlined under the caller's script, with the callee's line
      // numbers: a line before the function's own start cannot be the caller's.
      const text = line < e.start ? '[inlined callee, line of another file]' : src[line - 1].trim().slice(0, 110);
      out.push(`  ${((100 * ticks) / e.total).toFixed(1).padStart(5)}%  :${String(line).padEnd(5)} ${text}`);
    }
  }
  return out;
}

/** tfjs kernels by wall time per training step (tf.profile's kernelTimeMs). */
function printKernels(k, top) {
  // Names ending in __op are op scopes (custom gradients) that tf.profile records around
  // the kernels they run: shown, but left out of the sum so nothing is counted twice.
  const sum = k.kernels.filter((e) => !e.name.endsWith('__op')).reduce((t, e) => t + e.ms, 0);
  console.log(`\ntfjs kernels over ${k.steps} steps: ${k.wallMsPerStep.toFixed(1)} ms/step wall under tf.profile, ${sum.toFixed(1)} ms/step inside kernels:`);
  for (const e of k.kernels.slice(0, top)) {
    const scope = e.name.endsWith('__op') ? ', a scope around kernels listed separately' : '';
    console.log(`${e.ms.toFixed(2).padStart(8)} ms ${((100 * e.ms) / sum).toFixed(1).padStart(5)}%  ${e.name} (${e.calls.toFixed(0)} calls/step${scope})`);
  }
}

function main() {
  const a = parse(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prof-'));
  let spec;
  if (a.what === 'vae') {
    spec = { case: prepareDigits(128 * 20), batchSize: 128, steps: a.quick ? 10 : 20, warmup: 5, reps: 1, seed: 0, profileKernels: true };
  } else {
    const [name, n, d, k] = SIZES[a.quick ? 'quick' : 'full'][a.caseIndex];
    spec = { mode: 'time', case: prepareMixtureCase(name, n, d, k, 2024), iters: [20], reps: 1 };
  }
  const result = runNode(`profile ${a.what}`, `ours/${a.what}.js`, spec, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
  // One .cpuprofile per thread: the main thread, and each worker_thread the library starts.
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    const { total, rows } = selfTimes(profile);
    console.log(`\n${a.what} (${spec.case.name}), ${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled; top self time:`);
    for (const [key, us] of rows.slice(0, a.top)) {
      console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
    }
    console.log('\nHot lines (a line that looks unrelated to its function may belong to a callee V8 inlined there):');
    for (const line of hotLines(profile, 3, 12)) console.log(line);
  }
  if (result.kernels) printKernels(result.kernels, a.top);
  console.log(`\nprofiles: ${dir}`);
}

main();
