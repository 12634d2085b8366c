'use strict';
/**
 * The worker side of the harness protocol: a worker gets one JSON spec as argv[2] and
 * reports one result as the last stdout line starting with '@@BENCH '. Anything else it
 * prints (library warnings, progress) is passed through and ignored.
 */
const fs = require('fs');

function spec() {
  return JSON.parse(process.argv[2]);
}

function emit(result) {
  process.stdout.write(`@@BENCH ${JSON.stringify(result)}\n`);
}

/** Peak resident set size so far, in bytes (Linux: VmHWM; elsewhere Node's maxRSS). */
function peakRss() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readStatus());
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

/** Resident set size now, in bytes. */
function currentRss() {
  return process.memoryUsage.rss();
}

function readStatus() {
  try {
    return fs.readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}

/** Wall-clock seconds of `fn()`, and its value. */
function timed(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

async function timedAsync(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/** Run `main` and turn any failure into a message on stderr and exit code 1. */
function runWorker(main) {
  Promise.resolve()
    .then(main)
    .catch((err) => {
      process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}

module.exports = { spec, emit, peakRss, currentRss, timed, timedAsync, runWorker };
