'use strict';
/** The machine and software a benchmark ran on, for the report's header. */
const fs = require('fs');
const os = require('os');

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall back to what Node sees
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function cpuFlags() {
  try {
    const m = /^flags\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (!m) return [];
    const flags = new Set(m[1].split(/\s+/));
    return ['avx2', 'fma', 'avx512f'].filter((f) => flags.has(f));
  } catch {
    return [];
  }
}

function osName() {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]}, kernel ${os.release()}`;
  } catch {
    // fall through
  }
  return `${os.type()} ${os.release()}`;
}

/** Thread/BLAS environment variables that change what the peers do; reported, never changed. */
function threadEnv() {
  const keys = Object.keys(process.env).filter((k) => /^(OPENBLAS_|OMP_|MKL_|GOTO_|BLIS_)/.test(k)).sort();
  return keys.map((k) => `${k}=${process.env[k]}`);
}

/** The commit the library was built from, and whether src/ differed from it (others' work in progress). */
function libraryRevision() {
  const { spawnSync } = require('child_process');
  const root = require('path').join(__dirname, '..', '..');
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = git('status', '--porcelain', '--', 'src').stdout.split('\n').filter(Boolean).length;
  return `${head.stdout.trim()}${dirty ? ` with ${dirty} uncommitted change(s) in src/` : ''}`;
}

function machine() {
  return {
    cpu: cpuModel(),
    flags: cpuFlags(),
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    ramGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    os: osName(),
    threadEnv: threadEnv(),
    nice: os.getPriority(),
    revision: libraryRevision(),
  };
}

module.exports = { machine };
