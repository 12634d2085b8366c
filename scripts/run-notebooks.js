#!/usr/bin/env node
// @ts-check
// `npm run notebooks [-- options] [notebooks...]`: build the library, register the local tslab kernel,
// then execute notebooks headless with scripts/run-notebooks.py (nbclient). All options except
// --no-build are the Python runner's; `npm run notebooks -- --help` lists them.
'use strict';
const path = require('path');
const { spawn } = require('child_process');
const { writeKernelSpec, jupyterEnv, findPython, jupyterMissing, buildLibrary } = require('./kernel');

function main() {
  const args = process.argv.slice(2);
  const noBuild = args.includes('--no-build');
  const rest = args.filter((a) => a !== '--no-build');
  const wantsHelp = rest.includes('--help') || rest.includes('-h');

  const modules = ['nbclient', 'nbformat', 'jupyter_client'];
  const python = findPython(modules);
  if (!python) {
    console.error(jupyterMissing(modules));
    process.exit(1);
  }
  if (!noBuild && !wantsHelp && !buildLibrary()) process.exit(1);
  writeKernelSpec();

  const child = spawn(python, [path.join(__dirname, 'run-notebooks.py'), ...rest], {
    stdio: 'inherit',
    env: jupyterEnv(),
  });
  // Ctrl-C reaches the runner through the terminal's process group; a plain `kill` of this
  // wrapper must reach it too, or the kernel would outlive us.
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(sig, () => child.kill(sig === 'SIGINT' ? 'SIGINT' : 'SIGTERM'));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
}

main();
