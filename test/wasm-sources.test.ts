/**
 * The WebAssembly kernels are committed twice: as .wat sources to read and as base64
 * binaries in the .ts files that load them. They must be the same program.
 */
import { expect } from 'chai';
import * as path from 'path';

interface KernelState { name: string; built: string; embedded: string }

describe('WebAssembly kernels', function () {
  this.timeout(60000);
  it('embed exactly the binaries their .wat sources assemble to (npm run wasm)', () => {
    // Tests run from the repository root (npm test, scripts/dev-test.sh).
    const script = path.join(process.cwd(), 'scripts', 'build-wasm.js');
    const { kernelStates } = require(script) as { kernelStates(): KernelState[] };
    const states = kernelStates();
    expect(states.map((k) => k.name)).to.include.members(['src/vae/fast/adam-kernel', 'src/vae/fast/step-kernels', 'src/cluster/fast/lloyd-kernel']);
    for (const k of states) {
      expect(k.built.length, `${k.name}.wat assembles to something`).to.be.greaterThan(100);
      expect(k.embedded, `${k.name}.ts is stale: run npm run wasm`).to.equal(k.built);
    }
  });
});
