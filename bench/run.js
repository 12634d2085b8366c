#!/usr/bin/env node
'use strict';
/**
 * `npm run bench [-- --quick] [-- --only whole,gmm,kmeans,vae,iwae,memory] [-- --write] [-- --reps N] [-- --threads N]`
 *
 * Runs our library and its peers (scikit-learn, npm ml-kmeans, PyTorch) on the same
 * inputs in the same run, each measurement in a fresh child process, and prints one
 * markdown report: machine, versions and thread pools, then a table per case with times
 * and ratios, then the correctness checks. --write also puts the report into
 * BENCHMARKS.md between its bench markers. Exits 1 when a check fails (then --write
 * refuses: a table whose implementations disagree measures different computations).
 * --threads N caps every side at N threads (threadpoolctl for the peers' BLAS/OpenMP,
 * nJobs for ours, torch.set_num_threads); the default leaves each at its own default.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runPython, pinChildren, PYTHON } = require('./lib/child');
const { prepareMixtureCase } = require('./lib/data');
const { machine } = require('./lib/machine');
const { writeReport } = require('./lib/report');

const CASES = ['whole', 'gmm', 'kmeans', 'vae', 'iwae', 'memory'];

function parseArgs(argv) {
  const args = { quick: false, write: false, only: CASES, reps: null, threads: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--write') args.write = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice('--only='.length) : argv[++i];
      const only = String(v ?? '').split(',').filter(Boolean);
      const bad = only.filter((c) => !CASES.includes(c));
      if (only.length === 0 || bad.length) throw new Error(`--only takes a comma list of ${CASES.join(', ')}; got '${v ?? ''}'.`);
      args.only = only;
    } else if (a === '--reps' || a.startsWith('--reps=')) {
      const v = Number(a.includes('=') ? a.slice('--reps='.length) : argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`--reps takes an integer ≥ 1; got '${argv[i]}'.`);
      args.reps = v;
    } else if (a === '--threads' || a.startsWith('--threads=')) {
      const v = Number(a.includes('=') ? a.slice('--threads='.length) : argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`--threads takes an integer ≥ 1; got '${argv[i]}'.`);
      args.threads = v;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`Unknown argument '${a}'. Use --quick, --only ${CASES.join('|')}, --write, --reps N, --threads N.`);
  }
  if (args.write && args.only.length !== CASES.length) {
    throw new Error('--write replaces the whole block of this thread setting in BENCHMARKS.md, so it needs every case: drop --only.');
  }
  return args;
}

const SIZES = {
  full: [
    { name: 'gmm-1m-2d-4', n: 1_000_000, d: 2, k: 4 },
    { name: 'gmm-100k-16d-8', n: 100_000, d: 16, k: 8 },
  ],
  quick: [
    { name: 'gmm-20k-2d-4', n: 20_000, d: 2, k: 4 },
    { name: 'gmm-5k-16d-8', n: 5_000, d: 16, k: 8 },
  ],
};

function label(c) {
  return `${c.n.toLocaleString('en-US')} × ${c.d}-D, K=${c.k}`;
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const started = new Date();
  const loadBefore = os.loadavg()[0];
  const ctx = {
    quick: args.quick,
    iters: 20,
    reps: args.reps ?? (args.quick ? 2 : 3),
    // Whole fits vary more from round to round: scikit-learn's unseeded starts change its iterations.
    wholeReps: args.reps ?? (args.quick ? 2 : 5),
    threads: args.threads,
    versions: {},
    peerThreads: {},
    mixtureCases: [],
  };
  // One thread each: every side on the same CPU (the last, or BENCH_CPU), see pinChildren.
  if (args.threads === 1 && os.cpus().length > 1) {
    const cpu = Number(process.env.BENCH_CPU ?? os.cpus().length - 1);
    ctx.pinnedCpu = pinChildren(cpu) ? cpu : null;
  }
  const info = runPython('peer versions', 'info.py', {});
  if (args.only.some((c) => c !== 'vae' && c !== 'iwae')) {
    ctx.mixtureCases = SIZES[args.quick ? 'quick' : 'full'].map((c) => ({
      ...prepareMixtureCase(c.name, c.n, c.d, c.k, 2024),
      label: label(c),
    }));
  }
  const sections = [];
  const checks = [];
  const goals = [];
  for (const name of args.only) {
    try {
      const r = require(`./cases/${name}`).run(ctx);
      sections.push(r);
      checks.push(...r.checks);
      goals.push(...(r.goals ?? []));
    } catch (err) {
      process.stderr.write(`${err.stack}\n`);
      sections.push({ title: `${name}: failed`, markdown: '```\n' + err.message + '\n```' });
      checks.push({ ok: false, text: `${name}: the case failed to run (${err.message.split('\n')[0]})` });
    }
  }
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const load = { before: loadBefore, after: os.loadavg()[0] };
  const report = writeReport({ started, command, machine: machine(), info, python: PYTHON, ctx, sections, checks, goals, load });
  process.stdout.write(`${report}\n`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    process.stderr.write(`\nbench: ${failed.length} CHECK(S) FAILED:\n${failed.map((c) => `  ✗ ${c.text}`).join('\n')}\n`);
    if (args.write) process.stderr.write('bench: BENCHMARKS.md not updated (a check failed).\n');
    process.exitCode = 1;
    return;
  }
  if (args.write) {
    const file = path.join(__dirname, '..', 'BENCHMARKS.md');
    updateBenchmarksFile(file, report, `${ctx.quick ? 'quick-' : ''}${ctx.threads ? `threads-${ctx.threads}` : 'default-threads'}`);
    process.stderr.write(`bench: wrote ${file}\n`);
  }
}

/**
 * Replace this configuration's generated block of BENCHMARKS.md (one block per thread
 * setting, so a default run and a --threads 1 run can stand side by side), keeping the
 * hand-written text around it. A block not yet in the file goes just before the
 * RESULTS_ANCHOR line, or at the end.
 */
const RESULTS_ANCHOR = '<!-- bench:new blocks go above this line -->';

function updateBenchmarksFile(file, report, id) {
  const begin = `<!-- bench:begin ${id} (generated by \`npm run bench -- --write\`; edit outside these markers) -->`;
  const end = `<!-- bench:end ${id} -->`;
  const block = `${begin}\n${report}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const b = text.indexOf(`<!-- bench:begin ${id} `);
  const e = text.indexOf(end);
  if (b >= 0 && e > b) {
    fs.writeFileSync(file, text.slice(0, b) + block + text.slice(e + end.length));
    return;
  }
  const anchor = text.indexOf(RESULTS_ANCHOR);
  const at = anchor >= 0 ? anchor : text.length;
  const sep = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  fs.writeFileSync(file, `${text.slice(0, at)}${sep}${block}\n\n${text.slice(at)}`);
}

main();
