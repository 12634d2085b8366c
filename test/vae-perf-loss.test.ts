import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend } from '../src/vae';
import { fusedVaeLoss } from '../src/vae/fast/loss';
import { vaeLoss } from '../src/vae/loss';
import { wasmOpCalls } from '../src/vae/fast/wasm-ops';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;
type T2 = TfModule.Tensor2D;

function tensor(tf: Tf, rows: number, cols: number, rng: Random, f: () => number): T2 {
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, f), [rows, cols]);
}

describe('VAE fused loss (closed-form gradient)', () => {
  let tf: Tf;
  before(async () => {
    await initBackend();
    tf = loadTf();
  });

  for (const klWeight of [1, 0.25]) {
    it(`equals vaeLoss in value and in its gradient w.r.t. logits, mean and logVar (klWeight ${klWeight})`, () => {
      const rng = new Random(11);
      const rows = 9, dim = 30, latent = 3;
      const x = tensor(tf, rows, dim, rng, () => (rng.random() < 0.3 ? 0 : rng.random()));
      // Logits from strongly negative to strongly positive, where a naive formula would overflow.
      const logits = tensor(tf, rows, dim, rng, () => rng.normal(0, 8));
      const mean = tensor(tf, rows, latent, rng, () => rng.normal());
      const logVar = tensor(tf, rows, latent, rng, () => rng.normal(0, 0.5));
      const reference = tf.grads((l: TfModule.Tensor, m: TfModule.Tensor, lv: TfModule.Tensor) =>
        vaeLoss(tf, x, l as T2, m as T2, lv as T2, klWeight).objective);
      const fused = tf.grads((l: TfModule.Tensor, m: TfModule.Tensor, lv: TfModule.Tensor) => {
        const { objective, parts } = fusedVaeLoss(tf, x, l as T2, m as T2, lv as T2, klWeight);
        parts.dispose();
        return objective;
      });
      const want = reference([logits, mean, logVar]);
      const calls = wasmOpCalls().bce;
      const got = fused([logits, mean, logVar]);
      // On wasm (this suite's backend) the loss and its gradient came from the SIMD pass.
      expect(wasmOpCalls().bce - calls).to.equal(tf.getBackend() === 'wasm' ? 1 : 0);
      for (let j = 0; j < 3; j++) {
        const w = want[j].dataSync(), g = got[j].dataSync();
        const scale = Math.max(...Array.from(w, Math.abs));
        expect(scale).to.be.greaterThan(0);
        for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i])).to.be.at.most(1e-5 * scale);
      }
      // Forward values: the same up to float32 rounding (relative 1e-6).
      const plain = vaeLoss(tf, x, logits, mean, logVar, klWeight);
      const { objective, parts } = fusedVaeLoss(tf, x, logits, mean, logVar, klWeight);
      const close = (a: number, b: number) => expect(Math.abs(a - b)).to.be.at.most(1e-6 * Math.abs(b));
      close(objective.dataSync()[0], plain.objective.dataSync()[0]);
      const [rec, kl] = parts.dataSync();
      close(rec, plain.reconstruction.dataSync()[0]);
      expect(kl).to.equal(plain.kl.dataSync()[0]);
      tf.dispose([x, logits, mean, logVar, ...want, ...got, plain.objective, plain.reconstruction, plain.kl, objective, parts]);
    });
  }
});
