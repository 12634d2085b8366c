#!/usr/bin/env node
// @ts-check
// `npm start [-- --port N] [--no-build] [-- extra Jupyter options]`: build the library, register the
// tslab kernel locally, and open Jupyter Notebook on notebooks/ (127.0.0.1 only, no browser).
// Prints the URL with its token once the server answers. Ctrl-C (or SIGTERM) stops Jupyter and its kernels.
'use strict';
const fs = require('fs');
const net = require('net');
const http = require('http');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const { projectRoot, jupyterDirs, writeKernelSpec, jupyterEnv, findPython, jupyterMissing, buildLibrary, makePrivateDir, makeFilesPrivate } = require('./kernel');
const { installPlotlyRenderer } = require('./nbextension');

const HOST = '127.0.0.1';
const PORT_TRIES = 20;
const READY_TIMEOUT_MS = 60_000;
/** A server that has answered 403 to our token this long will not change its mind (a config sets another token or a password). */
const FORBIDDEN_FOR_MS = 5_000;

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { port: Number(process.env.NB_PORT || 8888), build: true, jupyterArgs: /** @type {string[]} */ ([]) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-build') opts.build = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      opts.port = Number(v);
      if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
        throw new Error(`--port expects an integer from 1 to 65535, got ${JSON.stringify(v)}`);
      }
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npm start [-- --port N (default 8888, or $NB_PORT)] [--no-build] [other Jupyter options]');
      process.exit(0);
    } else opts.jupyterArgs.push(a);
  }
  return opts;
}

/** The first port from `start` that we can bind on HOST (Jupyter's own retry would change the URL we print). */
async function freePort(start) {
  for (let port = start; port < start + PORT_TRIES && port <= 65535; port++) {
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port on ${HOST} in ${start}..${start + PORT_TRIES - 1}; pass --port N`);
}

/** How to launch Jupyter Notebook: a Python that imports `notebook`, else a `jupyter-notebook` on PATH. */
function notebookCommand() {
  const python = findPython(['notebook', 'jupyter_client']);
  if (python) return [python, '-m', 'notebook'];
  if (process.env.NB_PYTHON) return undefined; // an explicit choice: no guessing past it
  const which = spawnSync('sh', ['-c', 'command -v jupyter-notebook'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return [which.stdout.trim()];
  return undefined;
}

/** Resolves once GET /api/status answers 200 with the token, or rejects when `child` exits first. */
function waitReady(url, token, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let done = false;
    let forbiddenSince = 0;
    child.once('exit', () => { if (!done) { done = true; reject(new Error('Jupyter exited before it was ready')); } });
    const poll = () => {
      if (done) return;
      const req = http.get(`${url}api/status?token=${encodeURIComponent(token)}`, (res) => {
        res.resume();
        if (res.statusCode === 200) { done = true; resolve(undefined); return; }
        forbiddenSince = res.statusCode === 403 ? forbiddenSince || Date.now() : 0;
        if (forbiddenSince && Date.now() - forbiddenSince > FORBIDDEN_FOR_MS) {
          done = true;
          reject(new Error(
            'Jupyter answers 403 Forbidden to the token we gave it (JUPYTER_TOKEN); a Jupyter config that sets ' +
            `its own token or a password may override it: check ${jupyterDirs().config}`,
          ));
          return;
        }
        retry();
      });
      req.on('error', retry);
      req.setTimeout(2000, () => req.destroy());
    };
    const retry = () => {
      if (done) return;
      if (Date.now() > deadline) { done = true; reject(new Error(`Jupyter did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s`)); return; }
      setTimeout(poll, 200);
    };
    poll();
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const command = notebookCommand();
  if (!command) {
    console.error(jupyterMissing(['notebook', 'jupyter_client']));
    process.exit(1);
  }
  if (opts.build && !buildLibrary()) process.exit(1);
  const kernelFile = writeKernelSpec();
  installPlotlyRenderer(); // live Plotly figures in Notebook 6
  const port = await freePort(opts.port);
  if (port !== opts.port) console.log(`Port ${opts.port} is busy; using ${port}.`);

  // Our own token (or the user's JUPYTER_TOKEN) so we can print the URL ourselves; passed in the
  // environment, not argv, so it does not show in `ps`.
  const token = process.env.JUPYTER_TOKEN || crypto.randomBytes(24).toString('hex');
  const env = { ...jupyterEnv(), JUPYTER_TOKEN: token };
  makePrivateDir(jupyterDirs().runtime);
  const notebookDir = path.join(projectRoot, 'notebooks');
  fs.mkdirSync(notebookDir, { recursive: true }); // git does not keep an empty folder
  const args = [
    ...command.slice(1),
    '--no-browser',
    `--ip=${HOST}`,
    `--port=${port}`,
    // NotebookApp.* configures Notebook 6 (Debian 12); ServerApp.* the same for Notebook 7 (pip); each ignores the other.
    '--NotebookApp.port_retries=0',
    '--ServerApp.port_retries=0',
    `--notebook-dir=${notebookDir}`,
    // One Ctrl-C stops the server instead of asking "Shutdown this notebook server (y/[n])?".
    '--NotebookApp.answer_yes=True',
    '--ServerApp.answer_yes=True',
    '--MappingKernelManager.default_kernel_name=tslab',
    // Containers and CI machines often run as root; Jupyter refuses that unless told.
    ...(process.getuid && process.getuid() === 0 ? ['--allow-root'] : []),
    ...opts.jupyterArgs,
  ];
  // A process group of its own: a terminal's Ctrl-C then reaches only us, and Jupyter gets exactly one
  // SIGTERM from stop(). Jupyter hit by both (SIGINT from the terminal, SIGTERM from us) aborts its
  // kernel cleanup half-way with "Event loop stopped before Future completed".
  const child = spawn(command[0], args, { cwd: notebookDir, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // SIGTERM makes Jupyter shut its kernels down before exiting; SIGKILL only if it hangs.
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  };
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(sig, stop);
  // `kill <npm pid>` (an IDE's stop button) ends npm and its shell but not us: stop when orphaned.
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) stop(); }, 1000).unref();
  // Should this script die some other way, do not leave a detached server running.
  process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); });
  let failed = false;
  child.on('exit', (code, signal) => process.exit(failed ? 1 : stopping ? 0 : code ?? (signal ? 1 : 0)));
  child.on('error', (err) => { console.error(`Could not start ${command[0]}: ${err.message}`); process.exit(1); });

  const base = `http://${HOST}:${port}/`;
  try {
    await waitReady(base, token, child);
  } catch (err) {
    console.error(`npm start: ${/** @type {Error} */ (err).message}`);
    failed = true;
    stop();
    return;
  }
  // Jupyter writes its token into nbserver-*.json and *-open.html; only we may read them.
  const loosened = makeFilesPrivate(jupyterDirs().runtime);
  if (loosened.length > 0) console.log(`Made ${loosened.join(', ')} private (mode 600): they hold the server's token.`);
  const bar = '-'.repeat(72);
  console.log([
    '', bar,
    '  Jupyter Notebook is running with the TypeScript (tslab) kernel. Open:',
    '',
    `    ${base}tree?token=${encodeURIComponent(token)}`,
    '',
    `  Notebooks: ${notebookDir}`,
    `  Kernel:    ${kernelFile}`,
    '  Stop with Ctrl-C.',
    bar, '',
  ].join('\n'));
}

main().catch((err) => {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
});
