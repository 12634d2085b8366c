'use strict';
/**
 * The parent side of the worker protocol (see worker.js): each measurement runs in a
 * fresh process, so one case's heap, JIT state or thread pools cannot colour another's.
 */
const { spawnSync } = require('child_process');
const path = require('path');

const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';
/** A child that takes longer than this is killed and reported: a hung case must not hang the run. */
const CHILD_TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_S || 900) * 1000;
const BENCH = path.join(__dirname, '..');

/** The CPU every child runs on (`pinChildren`), or null: wherever the scheduler puts it. */
let pinnedCpu = null;

/**
 * Run every later child on CPU `cpu` alone (taskset), or anywhere (null). A --threads 1 run
 * does so: this machine's virtual CPUs differ in speed by up to half at times (the same K-Means
 * fit measured 233 ms on one and 373 ms on the other, minutes apart), and a fresh process lands
 * on either, so the two sides of a round could be timed on different CPUs. Returns whether
 * pinning works here (taskset is there and accepts the CPU).
 */
function pinChildren(cpu) {
  if (cpu !== null && spawnSync('taskset', ['-c', String(cpu), 'true']).status !== 0) return false;
  pinnedCpu = cpu;
  return true;
}

function runChild(label, command, args, spec, extraEnv = {}) {
  process.stderr.write(`bench: ${label} …\n`);
  const started = Date.now();
  const [file, argv] = pinnedCpu === null ? [command, args] : ['taskset', ['-c', String(pinnedCpu), command, ...args]];
  const res = spawnSync(file, [...argv, JSON.stringify(spec)], {
    cwd: path.join(BENCH, '..'),
    env: { ...process.env, ...extraEnv }, // the caller's OPENBLAS_*/OMP_* settings pass unchanged unless a case says so
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (res.error) throw new Error(`bench: ${label}: could not start ${command}: ${res.error.message}`);
  const lines = res.stdout.split('\n');
  const tagged = lines.filter((l) => l.startsWith('@@BENCH '));
  if (res.status !== 0 || tagged.length === 0) {
    const tail = lines.filter((l) => !l.startsWith('@@BENCH ')).slice(-20).join('\n');
    const timedOut = res.signal === 'SIGKILL' && Date.now() - started >= CHILD_TIMEOUT_MS;
    const why = timedOut ? `killed after ${CHILD_TIMEOUT_MS / 1000} s (BENCH_CHILD_TIMEOUT_S)` : `exit ${res.status}${res.signal ? `, ${res.signal}` : ''}`;
    throw new Error(`bench: ${label} failed (${why}).\n${tail}`);
  }
  process.stderr.write(`bench: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return JSON.parse(tagged[tagged.length - 1].slice('@@BENCH '.length));
}

/** Run a Node worker from bench/ (ours/… or peers/…). */
function runNode(label, script, spec, nodeArgs = [], extraEnv = {}) {
  return runChild(label, process.execPath, [...nodeArgs, path.join(BENCH, script)], spec, extraEnv);
}

/** Run a Python peer from bench/peers/. */
function runPython(label, script, spec) {
  // -B: no __pycache__ in the source tree.
  return runChild(label, PYTHON, ['-B', path.join(BENCH, 'peers', script)], spec);
}

module.exports = { runNode, runPython, pinChildren, PYTHON };
