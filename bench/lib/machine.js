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
  };
}

module.exports = { machine };
