'use strict';
/**
 * Case 3: the VAE training loop (784-512-2 MLP, Bernoulli logits, Adam 1e-3, batch 128)
 * as a user waits for it: whole epochs ÷ steps, ours (`VAE.fit`, its own overhead included)
 * against PyTorch's training loop (shuffle, index, step) on the same digits. Also ours'
 * set-up before the first batch.
 */
const { runNode, runPython } = require('../lib/child');
const { prepareDigits } = require('../lib/data');
const { median } = require('../lib/stats');
const { table, ms, ratio, speedup } = require('../lib/table');

const STEP_GOAL = 1;
const STEP_AIM = 0.7;
const SETUP_GOAL_S = 0.05;

function run(ctx) {
  const batchSize = 128;
  // 20,480 images (160 batches) a full epoch; a quarter of that on --quick.
  const digits = prepareDigits(batchSize * (ctx.quick ? 40 : 160));
  const spec = { case: digits, batchSize, reps: ctx.reps, seed: 0, threads: ctx.threads ? [ctx.threads] : [0, 2] };
  const rows = [];
  const checks = [];
  const goals = [];
  // Rounds alternate the sides, so both sample the same machine conditions.
  const torchRuns = [];
  const ourRuns = [];
  for (let round = 1; round <= ctx.reps; round++) {
    torchRuns.push(runPython(`vae: PyTorch (round ${round}/${ctx.reps})`, 'torch_vae.py', { ...spec, reps: 1 }));
    // --threads N also caps our optional native BLAS (the library honours OPENBLAS_NUM_THREADS).
    const env = ctx.threads ? { OPENBLAS_NUM_THREADS: String(ctx.threads) } : {};
    ourRuns.push(runNode(`vae: ours (round ${round}/${ctx.reps})`, 'ours/vae.js', { ...spec, reps: 1 }, [], env));
  }
  const torch = torchRuns[0];
  const peerName = ctx.threads ? `PyTorch at ${ctx.threads} thread${ctx.threads === 1 ? '' : 's'}` : "PyTorch's default configuration";
  const torchSteps = torch.results.map((_, i) => torchRuns.flatMap((t) => t.results[i].secondsPerStep));
  const torchDefault = median(torchSteps[0]);
  const spreadOf = (xs) => `${ms(Math.min(...xs), 2)}–${ms(Math.max(...xs), 2)}`;
  torch.results.forEach((r, i) => {
    const blas = r.blasThreads ? `, ${r.blasThreads} BLAS thread${r.blasThreads === 1 ? '' : 's'}` : '';
    rows.push([`PyTorch ${torch.versions.torch}, ${r.threads} thread${r.threads === 1 ? '' : 's'}${blas}${i === 0 && !ctx.threads ? ' (its default)' : ''}`, ms(median(torchSteps[i]), 2), spreadOf(torchSteps[i]), '—', '—', '—']);
  });
  const steps = ourRuns.flatMap((o) => o.secondsPerStep);
  const setups = ourRuns.flatMap((o) => o.setupSeconds);
  const o = ourRuns[ourRuns.length - 1];
  const nm = o.nativeMatMul;
  const blasThreads = nm && nm.threads ? `, ${nm.threads} BLAS thread${nm.threads === 1 ? '' : 's'}` : '';
  const path = nm ? (nm.available && nm.calls > 0 ? `, matmuls on native BLAS (nblas${blasThreads})` : `, matmuls on ${o.backend}${nm.reason ? ` (native BLAS off: ${nm.reason})` : ''}`) : '';
  const t = median(steps);
  const perRound = ourRuns.map((r, i) => r.secondsPerStep[0] / median(torchRuns[i].results[0].secondsPerStep));
  rows.push([`ours, VAE.fit (tfjs ${o.backend}${path})`, ms(t, 2), spreadOf(steps), ms(median(setups), 0), ratio(t, torchDefault), speedup(t, torchDefault)]);
  const r = t / torchDefault;
  goals.push({ met: r <= STEP_GOAL, text: `VAE fit() per step: at most ${peerName}'s training loop (got ${r.toFixed(2)}×, per round ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}×; the aim is ${STEP_AIM}×)` });
  goals.push({ met: median(setups) <= SETUP_GOAL_S, text: `VAE fit() set-up before the first batch on ${digits.n.toLocaleString('en-US')} images: ≤ ${SETUP_GOAL_S * 1000} ms (got ${ms(median(setups), 0)} ms)` });
  checks.push({ ok: steps.every(Number.isFinite), text: 'VAE: every timed epoch finished' });
  const header = ['implementation', 'ms / step (median)', 'min–max ms', 'set-up ms', `ours / ${peerName} (lower is better)`, 'speed-up (PyTorch / ours)'];
  const method = `Each of ${ctx.reps} rounds runs both sides in fresh processes: one untimed warm-up epoch, then one timed epoch of ${digits.n.toLocaleString('en-US')} digits (${Math.ceil(digits.n / batchSize)} steps, shuffled); ms / step = the epoch's time ÷ its steps.`;
  return { title: 'VAE training loop (784-512-2, batch 128, Adam 1e-3), whole epochs', markdown: `${table(header, rows)}\n\n${method}`, checks, goals };
}

module.exports = { run };
