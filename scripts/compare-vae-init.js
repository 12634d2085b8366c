#!/usr/bin/env node
/**
 * How fast a fresh VAE learns under each weight initialisation, against PyTorch's own:
 * test −ELBO after 1, 2, 5 and 30 epochs of the 784-512-2 VAE (Adam 1e-3, batch 128) on
 * loadMnist()'s split, for seeds 0, 1, 2. Prints a markdown table (BENCHMARKS.md has one).
 *
 *   npm run build && node scripts/compare-vae-init.js [--seeds 0,1,2] [--epochs 30]
 *
 * Needs /usr/bin/python3 with PyTorch for the peer column (scripts/torch_vae.py).
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const lib = require('..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function ours(init, seeds, epochs, report, train, test) {
  const out = new Map();
  for (const seed of seeds) {
    const vae = await lib.VAE.create({ seed, hiddenUnits: [512], latentDim: 2, init });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await vae.fit(train, { epochs: 1, batchSize: 128, learningRate: 1e-3, verbose: false });
      if (report.includes(epoch)) out.set(`${seed}/${epoch}`, (await vae.evaluate(test, { seed: 0 })).loss);
    }
    vae.dispose();
    process.stderr.write(`ours (${init}), seed ${seed}: done\n`);
  }
  return out;
}

function pytorch(seeds, epochs, report) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-split-'));
  execFileSync(process.execPath, [path.join(__dirname, 'train-vae.js'), '--export-split', dir], { stdio: 'ignore' });
  const out = new Map();
  for (const seed of seeds) {
    const lines = execFileSync('/usr/bin/python3', [path.join(__dirname, 'torch_vae.py'), '--data', dir, '--epochs', String(epochs), '--report', report.join(','), '--seed', String(seed)], { encoding: 'utf8' });
    for (const line of lines.trim().split('\n')) {
      const r = JSON.parse(line);
      out.set(`${seed}/${r.epoch}`, r.test_neg_elbo);
    }
    process.stderr.write(`PyTorch, seed ${seed}: done\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

(async () => {
  const seeds = arg('--seeds', '0,1,2').split(',').map(Number);
  const epochs = Number(arg('--epochs', '30'));
  const report = [1, 2, 5, epochs].filter((e, i, a) => e <= epochs && a.indexOf(e) === i);
  const { train, test } = lib.loadMnist();
  const sides = {
    "ours, init 'glorot'": await ours('glorot', seeds, epochs, report, train, test),
    "ours, init 'pytorch' (default)": await ours('pytorch', seeds, epochs, report, train, test),
    'PyTorch 1.13 nn.Linear': pytorch(seeds, epochs, report),
  };
  const names = Object.keys(sides);
  const mean = (m, e) => seeds.reduce((s, seed) => s + m.get(`${seed}/${e}`), 0) / seeds.length;
  console.log(`| epoch | ${names.map((n) => `${n}: seeds ${seeds.join(', ')} → mean`).join(' | ')} | glorot vs PyTorch | pytorch init vs PyTorch |`);
  console.log(`|---|${names.map(() => '---').join('|')}|---|---|`);
  for (const e of report) {
    const cells = names.map((n) => `${seeds.map((s) => sides[n].get(`${s}/${e}`).toFixed(1)).join(', ')} → **${mean(sides[n], e).toFixed(2)}**`);
    const peer = mean(sides[names[2]], e);
    const pct = (x) => `${x >= 0 ? '+' : ''}${(100 * (x / peer - 1)).toFixed(1)} %`;
    console.log(`| ${e} | ${cells.join(' | ')} | ${pct(mean(sides[names[0]], e))} | ${pct(mean(sides[names[1]], e))} |`);
  }
})().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
