#!/usr/bin/env node
/**
 * Assemble the hand-written WebAssembly kernels (the .wat files in src/) and embed each binary, as
 * base64, in the `WASM_BASE64` constant of the .ts file of the same name:
 *
 *   npm run wasm            rewrite the embedded binaries from the .wat sources
 *   npm run wasm -- --check exit 1 if an embedded binary differs from its source
 *
 * wabt's wat2wasm (a devDependency) assembles them, with shared memories enabled; the
 * library itself needs no assembler at run time.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const KERNELS = ['src/vae/fast/adam-kernel', 'src/vae/fast/step-kernels', 'src/vae/fast/iwae-kernel', 'src/cluster/fast/lloyd-kernel', 'src/cluster/fast/distance-kernel', 'src/mixture/fast/em-kernel'];
const CONSTANT = /(const WASM_BASE64 =\s*')([A-Za-z0-9+/=]*)(')/;

/** base64 of each assembled .wat, and the base64 its .ts embeds now. */
function kernelStates() {
  // wabt's own wat2wasm (a devDependency): its JS API cannot validate shared memories.
  const wat2wasm = path.join(path.dirname(require.resolve('wabt/package.json')), 'bin', 'wat2wasm');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-'));
  try {
    return KERNELS.map((name) => {
      const out = path.join(tmp, `${path.basename(name)}.wasm`);
      execFileSync(process.execPath, [wat2wasm, '--enable-threads', path.join(root, `${name}.wat`), '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      const built = fs.readFileSync(out).toString('base64');
      const tsPath = path.join(root, `${name}.ts`);
      const ts = fs.readFileSync(tsPath, 'utf8');
      const m = CONSTANT.exec(ts);
      if (!m) throw new Error(`${name}.ts has no "const WASM_BASE64 = '...'" to hold the binary.`);
      return { name, tsPath, ts, built, embedded: m[2] };
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const k of kernelStates()) {
    const bytes = Buffer.from(k.built, 'base64').length;
    if (k.built === k.embedded) {
      console.log(`${k.name}.wat: ${bytes} bytes, embedded binary up to date`);
    } else if (check) {
      stale++;
      console.error(`${k.name}.ts: embedded binary differs from ${k.name}.wat; run npm run wasm`);
    } else {
      fs.writeFileSync(k.tsPath, k.ts.replace(CONSTANT, `$1${k.built}$3`));
      console.log(`${k.name}.wat: ${bytes} bytes, embedded into ${k.name}.ts`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
module.exports = { kernelStates };
