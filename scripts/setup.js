#!/usr/bin/env node
// @ts-check
// The one set-up step behind `npm start` and `npm test` (their `prestart`/`pretest`), and CI's first step.
// Idempotent: when everything is present it only looks (one dpkg-query, a few stats) and prints nothing.
//
//   1. System pieces: Jupyter, Chromium, OpenBLAS with a compiler, Fashion-MNIST. On Debian/Ubuntu
//      they are installed with apt-get (as root, or through `sudo -n`), else the command is printed.
//   2. npm dependencies, with `npm ci`, when node_modules is missing or older than package-lock.json.
//   3. The optional native BLAS binding (nblas), built once OpenBLAS and the compiler are there.
//
// Plain Node with no npm dependencies: node_modules may not exist yet.
// SETUP_WITHOUT=chromium,blas (any of the piece names below) goes without pieces one truly cannot
// install; the tests that need such a piece are then skipped, and only then.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const projectRoot = path.resolve(__dirname, '..');
const JUPYTER_MODULES = ['notebook', 'nbclient', 'nbconvert', 'nbformat', 'jupyter_client'];
const DEFAULT_CHROMIUM = '/usr/lib/chromium/chromium'; // as src/plot/browser.ts
const FASHION_MNIST_FILE = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const NBLAS_BINARY = path.join('node_modules', 'nblas', 'build', 'Release', 'nblas.node');
/** Written when nblas failed to build: no retry on every run, only after the system's packages change. */
const NBLAS_FAILED_MARKER = path.join('node_modules', '.nblas-build-failed');

/**
 * @typedef {object} Piece
 * @property {string} name       the name SETUP_WITHOUT uses
 * @property {string} why        what it is for, in a few words
 * @property {string[]} apt      its Debian packages
 * @property {() => boolean} presentElsewhere  whether it is there without its Debian packages
 * @property {string} manual     how to install it on a system without apt
 */

/** @type {Piece[]} */
const PIECES = [
  {
    name: 'jupyter',
    why: 'runs the notebooks',
    apt: ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'jupyter-client'],
    presentElsewhere: () => jupyterPython() !== undefined,
    manual: 'python3 -m pip install notebook nbclient nbconvert   (set NB_PYTHON=/path/to/python if it is not the first python3)',
  },
  {
    name: 'chromium',
    why: 'draws figures as PNG/SVG',
    apt: ['chromium'],
    presentElsewhere: () => fs.existsSync(process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM),
    manual: 'a Chromium or Chrome, then export CHROMIUM_PATH=/path/to/the/browser/binary',
  },
  {
    name: 'blas',
    why: 'OpenBLAS and a compiler for the native matrix products of VAE training',
    apt: ['libopenblas-dev', 'build-essential'],
    presentElsewhere: () => fs.existsSync(path.join(projectRoot, NBLAS_BINARY)),
    manual: 'a CBLAS library with its headers (OpenBLAS) and a C++ compiler, then `npm ci` again to build nblas',
  },
  {
    name: 'fashion-mnist',
    why: 'real IDX files for a data loader test',
    apt: ['dataset-fashion-mnist'],
    presentElsewhere: () => fs.existsSync(FASHION_MNIST_FILE),
    manual: `the four Fashion-MNIST .gz files (github.com/zalandoresearch/fashion-mnist) in ${path.dirname(FASHION_MNIST_FILE)}`,
  },
];

/** The pieces named in SETUP_WITHOUT (comma or space separated); throws on a name that is not a piece. */
function piecesWithout(value = process.env.SETUP_WITHOUT || '') {
  const names = value.split(/[\s,]+/).filter(Boolean);
  const known = PIECES.map((p) => p.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new Error(`SETUP_WITHOUT names ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the pieces are ${known.join(', ')}.`);
  }
  return new Set(names);
}

/** Whether the set-up goes without `name` (SETUP_WITHOUT); the tests that need the piece skip exactly then. */
function settingUpWithout(name) {
  return piecesWithout().has(name);
}

/** A Python that imports Jupyter: $NB_PYTHON when set, else /usr/bin/python3 or the first python3 (as scripts/kernel.js). */
function jupyterPython() {
  const candidates = process.env.NB_PYTHON ? [process.env.NB_PYTHON] : ['/usr/bin/python3', 'python3'];
  const probe = JUPYTER_MODULES.map((m) => `import ${m}`).join('; ');
  return candidates.find((py) => spawnSync(py, ['-c', probe], { stdio: 'ignore' }).status === 0);
}

/** Debian packages of `names` that dpkg does not list as installed; undefined when there is no dpkg. */
function missingDebianPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\\n', ...names], { encoding: 'utf8' });
  if (r.error) return undefined;
  const installed = new Set(r.stdout.split('\n').filter((l) => / ii ?$/.test(l)).map((l) => l.split(' ')[0]));
  return names.filter((n) => !installed.has(n));
}

/** apt-get is there to install with (Debian, Ubuntu and their relatives). */
function hasApt() {
  const onPath = (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, 'apt-get')));
  return fs.existsSync('/etc/debian_version') && onPath;
}

/**
 * What is missing, piece by piece, of `pieces`. With dpkg, a piece is present when its Debian packages are
 * installed, or when it is there some other way (a pip Jupyter, CHROMIUM_PATH); without dpkg, only the latter.
 * @param {Piece[]} pieces
 */
function missingPieces(pieces) {
  const debianMissing = missingDebianPackages(pieces.flatMap((p) => p.apt));
  return pieces
    .map((piece) => ({ piece, packages: debianMissing ? piece.apt.filter((a) => debianMissing.includes(a)) : piece.apt }))
    .filter(({ piece, packages }) => packages.length > 0 && !piece.presentElsewhere());
}

/** `apt-get install` of the missing pieces, written out for a person to run. */
function aptCommand(missing) {
  const packages = missing.flatMap((m) => m.packages);
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/** How to go without the missing pieces. */
function withoutHint(missing) {
  return `To go without ${missing.length > 1 ? 'them' : 'it'} (the tests that need ${missing.length > 1 ? 'them' : 'it'} are then skipped): ` +
    `SETUP_WITHOUT=${missing.map((m) => m.piece.name).join(',')}`;
}

/** The message for a system without apt: what to install by hand. */
function manualInstructions(missing) {
  return [
    'setup: this system has no apt-get, so install these yourself, then run `npm start` or `npm test` again:',
    ...missing.map((m) => `  - ${m.piece.name} (${m.piece.why}): ${m.piece.manual}`),
    withoutHint(missing),
  ].join('\n');
}

/** How to run apt-get here: directly as root, through `sudo -n` when that needs no password, else not at all. */
function aptRunner() {
  if (process.getuid && process.getuid() === 0) return [];
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return undefined;
}

/** Installs the missing pieces with apt-get, its output in a log file that is shown only if it fails. */
function aptInstall(missing, runner) {
  const packages = missing.flatMap((m) => m.packages);
  console.log(`setup: installing ${packages.join(' ')} with ${runner.length ? 'sudo ' : ''}apt-get, for ` +
    `${missing.map((m) => `${m.piece.name} (${m.piece.why})`).join(', ')}; a few minutes the first time ...`);
  const log = path.join(os.tmpdir(), `setup-apt-${process.pid}.log`);
  const fd = fs.openSync(log, 'w');
  const apt = (...args) => {
    const command = [...runner, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-o', 'DPkg::Lock::Timeout=600', '-q', '-y', ...args];
    return spawnSync(command[0], command.slice(1), { stdio: ['ignore', fd, fd] });
  };
  const ok = apt('update').status === 0 && apt('install', '--no-install-recommends', ...packages).status === 0;
  fs.closeSync(fd);
  if (!ok) {
    const tail = fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    throw new Error(`apt-get failed (full log: ${log}):\n${tail}\n\n${withoutHint(missing)}`);
  }
  fs.rmSync(log, { force: true });
}

/**
 * Why node_modules needs `npm ci`, or undefined when it is up to date. npm's own record of what it installed,
 * node_modules/.package-lock.json, newer than package-lock.json means up to date; when older (a checkout
 * touched the lockfile), its packages and versions are compared with the lockfile's.
 */
function npmStale(root = projectRoot) {
  const hiddenFile = path.join(root, 'node_modules', '.package-lock.json');
  const lockFile = path.join(root, 'package-lock.json');
  if (!fs.existsSync(hiddenFile)) return 'node_modules is missing';
  if (fs.statSync(hiddenFile).mtimeMs >= fs.statSync(lockFile).mtimeMs) return undefined;
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages || {};
  const hidden = JSON.parse(fs.readFileSync(hiddenFile, 'utf8')).packages || {};
  const differ = Object.keys(lock).some((key) => key !== '' &&
    (hidden[key] ? hidden[key].version !== lock[key].version : !lock[key].optional)) || // optional ones may have failed
    Object.keys(hidden).some((key) => !lock[key]);
  return differ ? 'node_modules is older than package-lock.json' : undefined;
}

/** Runs npm with `args` in the project; throws when it fails. */
function npm(args) {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}).`);
}

/**
 * Builds nblas when its prerequisites are present and it is not built: `npm ci` skips it (an optional
 * dependency) when OpenBLAS or the compiler is missing, and nothing builds it once they arrive.
 * A failure is remembered, and retried only after dpkg's package list changes.
 */
function buildNativeBlas() {
  if (fs.existsSync(path.join(projectRoot, NBLAS_BINARY))) return;
  const marker = path.join(projectRoot, NBLAS_FAILED_MARKER);
  const dpkgStatus = '/var/lib/dpkg/status';
  const changedSince = (file) => !fs.existsSync(dpkgStatus) || fs.statSync(dpkgStatus).mtimeMs > fs.statSync(file).mtimeMs;
  const warning = 'setup: the native BLAS binding (nblas) did not build (npm said why, the first time), so VAE training ' +
    `runs on wasm and its test fails. Fix what the build needs, then \`rm ${NBLAS_FAILED_MARKER}\` to retry; or set SETUP_WITHOUT=blas.`;
  if (fs.existsSync(marker) && !changedSince(marker)) {
    console.error(warning);
    return;
  }
  console.log('setup: building the native BLAS binding (nblas), now that OpenBLAS and a compiler are present ...');
  try {
    // `rebuild` when npm kept the folder; else `install` fetches the optional package the lockfile names.
    npm(fs.existsSync(path.join(projectRoot, 'node_modules', 'nblas'))
      ? ['rebuild', 'nblas']
      : ['install', '--no-save', '--no-audit', '--no-fund']);
  } catch {
    // reported below
  }
  if (fs.existsSync(path.join(projectRoot, NBLAS_BINARY))) {
    fs.rmSync(marker, { force: true });
  } else {
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    console.error(warning);
  }
}

function setup() {
  const without = piecesWithout();
  const wanted = PIECES.filter((p) => !without.has(p.name));
  const apt = hasApt();
  // Without apt, the BLAS piece is judged by nblas itself, which needs node_modules first.
  const missing = missingPieces(apt ? wanted : wanted.filter((p) => p.name !== 'blas'));
  if (missing.length && apt) {
    const runner = aptRunner();
    if (!runner) {
      throw new Error([
        `setup: missing ${missing.map((m) => `${m.piece.name} (${m.piece.why})`).join(', ')}. Installing needs root; run:`,
        '', `    ${aptCommand(missing)}`, '',
        `then npm start or npm test again. ${withoutHint(missing)}`,
      ].join('\n'));
    }
    aptInstall(missing, runner);
  }

  const stale = npmStale();
  if (stale) {
    console.log(`setup: installing npm dependencies (${stale}) ...`);
    npm(['ci', '--no-audit', '--no-fund']);
  }

  if (!without.has('blas')) {
    if (apt) buildNativeBlas();
    else missing.push(...missingPieces(wanted.filter((p) => p.name === 'blas')));
  }
  if (missing.length && !apt) throw new Error(manualInstructions(missing));
}

module.exports = { PIECES, piecesWithout, settingUpWithout, npmStale, missingPieces, aptCommand, manualInstructions };

if (require.main === module) {
  try {
    setup();
  } catch (err) {
    const message = /** @type {Error} */ (err).message;
    console.error(message.startsWith('setup:') ? message : `setup: ${message}`);
    process.exit(1);
  }
}
