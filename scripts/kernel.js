#!/usr/bin/env node
// @ts-check
// Project-local Jupyter setup shared by `npm start` and `npm run notebooks`:
// the tslab kernelspec, the Jupyter environment variables, and finding a Python that has Jupyter.
// Nothing is installed globally: everything lives under <project>/.jupyter-local (git-ignored).
//
// CLI:  node scripts/kernel.js          writes the kernelspec and prints where it is
//       node scripts/kernel.js --env    prints `export VAR=...` lines, for `eval "$(npm run -s kernel -- --env)"`
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const projectRoot = path.resolve(__dirname, '..');
const KERNEL_NAME = 'tslab';

/** Folders of the project-local Jupyter installation under `base` (default <project>/.jupyter-local). */
function jupyterDirs(base = path.join(projectRoot, '.jupyter-local')) {
  const data = path.join(base, 'share', 'jupyter');
  return {
    base,
    data,
    config: path.join(base, 'config'),
    runtime: path.join(base, 'runtime'),
    kernelDir: path.join(data, 'kernels', KERNEL_NAME),
  };
}

/** Absolute path of the pinned tslab launcher in node_modules. */
function tslabBin() {
  return path.join(projectRoot, 'node_modules', '.bin', 'tslab');
}

/**
 * Writes kernels/tslab/kernel.json under the local data folder and returns its path.
 * Written by hand because `tslab install` needs IPython, and so the launcher path is absolute.
 */
function writeKernelSpec(base) {
  const dirs = jupyterDirs(base);
  const bin = tslabBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`tslab launcher not found at ${bin}: run \`npm ci\` first (tslab is an npm dependency).`);
  }
  const spec = {
    argv: [bin, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
  fs.mkdirSync(dirs.kernelDir, { recursive: true });
  const file = path.join(dirs.kernelDir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  return file;
}

/** Environment for any Jupyter process of this project: local kernels, config, data and runtime. */
function jupyterEnv(base, env = process.env) {
  const dirs = jupyterDirs(base);
  const inherited = env.JUPYTER_PATH ? [env.JUPYTER_PATH] : [];
  return {
    ...env,
    JUPYTER_PATH: [dirs.data, ...inherited].join(path.delimiter),
    JUPYTER_DATA_DIR: dirs.data,
    // A user's ~/.jupyter config (passwords, other ports, extensions) would change how `npm start` behaves.
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    // Python otherwise buffers the runner's progress lines when they go to a pipe (CI logs).
    PYTHONUNBUFFERED: '1',
  };
}

/**
 * The first Python that can import all of `modules`, or undefined.
 * /usr/bin/python3 comes first: Debian's Jupyter packages live there, and the first `python3` on PATH
 * may be a pyenv/conda one without them. NB_PYTHON overrides the search.
 */
function findPython(modules) {
  const candidates = process.env.NB_PYTHON
    ? [process.env.NB_PYTHON]
    : ['/usr/bin/python3', 'python3', 'python'];
  const probe = modules.map((m) => `import ${m}`).join('; ');
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', probe], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return undefined;
}

/**
 * Make `dir` (and parents) with mode 0700, and make it 0700 if it already existed: Jupyter's runtime
 * folder holds the server's token and the kernels' keys, which let anyone who reads them run code as us.
 */
function makePrivateDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077) throw new Error(`${dir} must be private (mode 700) but is ${mode.toString(8)}; fix it with chmod 700.`);
}

/** Make every file in `dir` readable by us only; returns the names that were readable by others. */
function makeFilesPrivate(dir) {
  const loosened = [];
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const st = fs.lstatSync(file);
    if (st.isFile() && st.mode & 0o077) {
      fs.chmodSync(file, 0o600);
      loosened.push(name);
    }
  }
  return loosened;
}

/** `s` quoted for a POSIX shell: inside single quotes nothing expands; a ' is written as '\''. */
function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** The message both entry points print when Jupyter is missing. */
function jupyterMissing(modules) {
  return [
    `Jupyter is not installed: no Python found that can import ${modules.join(', ')}`,
    `(tried ${process.env.NB_PYTHON ? '$NB_PYTHON' : '/usr/bin/python3, python3, python'}).`,
    process.env.NB_PYTHON
      ? 'Install it into that Python (python -m pip install notebook nbclient nbconvert), or unset NB_PYTHON.'
      : 'Install it with:  node scripts/setup.js  (which npm start and npm test run first)',
  ].join('\n');
}

/** `npm run build` (the notebooks import ../dist); returns false, after printing why, if it fails. */
function buildLibrary() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('The library build (npm run build) failed; notebooks import ../dist, so fix it first or pass --no-build.');
    return false;
  }
  return true;
}

module.exports = {
  projectRoot, KERNEL_NAME, jupyterDirs, tslabBin, writeKernelSpec, jupyterEnv, findPython, jupyterMissing, buildLibrary,
  makePrivateDir, makeFilesPrivate, shellQuote,
};

if (require.main === module) {
  const file = writeKernelSpec();
  require('./nbextension').installPlotlyRenderer(); // Plotly renderer for Notebook 6 (required here: it requires this file)
  const env = jupyterEnv();
  if (process.argv.includes('--env')) {
    for (const k of ['JUPYTER_PATH', 'JUPYTER_DATA_DIR', 'JUPYTER_CONFIG_DIR', 'JUPYTER_RUNTIME_DIR']) {
      // Shell-quoted, not JSON-quoted: inside "..." the shell would still run $(...) and `...` from the paths.
      console.log(`export ${k}=${shellQuote(env[k])}`);
    }
  } else {
    console.log(`tslab kernelspec written: ${file}`);
    console.log(`To use it from your own Jupyter:  eval "$(npm run -s kernel -- --env)"; jupyter notebook`);
  }
}
