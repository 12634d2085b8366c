/**
 * The VAE's training objective with a hand-written gradient (tf.customGrad).
 *
 * Differentiating the loss op by op, tfjs runs about fifteen elementwise kernels over the
 * batch × pixels logits in the backward pass (and clones what each one saves). The
 * gradient has a closed form, though:
 *   ∂BCE/∂logits = sigmoid(logits) − x,
 *   ∂KL/∂mean = mean,  ∂KL/∂logVar = ½(exp(logVar) − 1),
 * each divided by the batch size (the loss is a batch mean): three kernels over the logits.
 *
 * The forward pass writes log(1 + e^−|l|) as −log(sigmoid(|l|)): wasm's sigmoid is
 * vectorised while exp and log1p are not, which makes the forward loss much cheaper.
 * sigmoid(|l|) lies in [½, 1], so the log is well conditioned; where it rounds to 1 (|l| > 17) the term it drops is below 4e-8 nats per pixel. The values agree
 * with `vaeLoss` to float32 rounding (tested).
 *
 * On the wasm backend both the loss and sigmoid(logits) − x come from one SIMD pass instead
 * (./step-kernels.wat: its own e^x and log(1+t), 1e−7 relative per value; the sum in float64),
 * cheaper than the tfjs kernels it replaces, and the backward pass is one multiply.
 */
import { klPerImage } from '../loss';
import type { StepLoss } from '../training-kernels';
import type { Scalar, Tensor, Tensor2D, Tf } from '../tf';
import { bceWasm } from './wasm-ops';

/**
 * reconstruction + klWeight · KL (batch mean; differentiable w.r.t. logits, mean, logVar) and
 * [reconstruction, KL] (nats per image, kept: the caller disposes it).
 */
export function fusedVaeLoss(tf: Tf, x: Tensor2D, logits: Tensor2D, mean: Tensor2D, logVar: Tensor2D, klWeight: number): StepLoss {
  let parts: Tensor | undefined;
  const rows = x.shape[0];
  const loss = tf.customGrad((...args: unknown[]) => {
    const [l, m, lv] = args as [Tensor2D, Tensor2D, Tensor2D];
    const save = args[3] as (tensors: Tensor[]) => void;
    // On wasm: the loss and sigmoid(l) − x in one SIMD pass (./wasm-ops), saved for the gradient.
    const fast = bceWasm(tf, l, x);
    let reconstruction: Scalar;
    if (fast !== undefined) {
      reconstruction = tf.scalar(fast.sum / rows);
    } else {
      const bce = tf.relu(l).sub(x.mul(l)).sub(tf.log(tf.sigmoid(tf.abs(l))));
      // One full reduction: wasm's row-wise sum is several times slower, and the row sums are not needed.
      reconstruction = bce.sum().div(rows) as Scalar;
    }
    const kl = klPerImage(tf, m, lv).mean() as Scalar;
    parts = tf.keep(tf.stack([reconstruction, kl]));
    save([fast?.grad ?? l, m, lv]);
    return {
      value: reconstruction.add(kl.mul(klWeight)) as Scalar,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [first, sm, slv] = saved;
        const scale = (dy as Tensor).div(rows);
        const klScale = scale.mul(klWeight);
        return [
          (fast !== undefined ? first : tf.sigmoid(first).sub(x)).mul(scale),
          sm.mul(klScale),
          tf.exp(slv).sub(1).mul(klScale.mul(0.5)),
        ];
      },
    };
  });
  const objective = (loss as unknown as (...t: Tensor[]) => Scalar)(logits, mean, logVar);
  return { objective, parts: parts! };
}
