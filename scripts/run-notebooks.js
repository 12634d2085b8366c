#!/usr/bin/env node
// @ts-check
// `npm run notebooks [-- options] [notebooks...]`: build the library, register the local tslab kernel,
// then execute notebooks headless with scripts/run-notebooks.py (nbclient). All options except
// --no-build are the Python runner's; `npm run notebooks -- --help` lists them.
'use strict';
const path = require('path');
const { spawn } = require('child_process');
const { writeKernelSpec, jupyterEnv, findPython, jupyterMissing, buildLibrary } = require('./kernel');
const { installPlotlyRenderer } = require('./nbextension');

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
  installPlotlyRenderer(); // so a notebook run here shows live figures when opened in this project's Jupyter

  // Own process group: the runner then gets exactly one signal, from us, whether the user pressed
  // Ctrl-C (which the terminal sends to our group) or killed this wrapper; it shuts its kernel down.
  const child = spawn(python, [path.join(__dirname, 'run-notebooks.py'), ...rest], {
    stdio: 'inherit',
    env: jupyterEnv(),
    detached: true,
  });
  let forwarded = false;
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(sig, () => { if (!forwarded) { forwarded = true; child.kill('SIGTERM'); } });
  }
  process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

main();
