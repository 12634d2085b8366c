'use strict';
/** The markdown report: header (when, what, where), one section per case, the checks. */

function blasLine(blas) {
  if (!blas || blas.length === 0) return 'none found';
  return blas
    .map((l) => {
      const parts = [l.internal_api, l.version, l.threading_layer, l.architecture].filter(Boolean);
      return `${parts.join(' ')} (${l.user_api}, ${l.num_threads} thread${l.num_threads === 1 ? '' : 's'})`;
    })
    .join('; ');
}

function writeReport({ started, command, machine: m, info, python, ctx, sections, checks, goals, load }) {
  const lines = [];
  lines.push(`## Results (${ctx.quick ? 'quick smoke run: small sizes, not representative' : 'full sizes'}${ctx.threads ? `, ${ctx.threads} thread${ctx.threads > 1 ? 's' : ''} each` : ''})`);
  lines.push('');
  lines.push(`- **Date:** ${started.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push(`- **Command:** \`${command}\``);
  lines.push(
    `- **Machine:** ${m.cpu} (${m.flags.join(', ') || 'no AVX2/FMA'}), ${m.cores} cores ` +
      `(${m.availableParallelism} available), ${m.ramGiB.toFixed(1)} GiB RAM, ${m.os}`,
  );
  const busy = Math.max(load.before, load.after) > 0.5;
  lines.push(
    `- **Load average (1 min):** ${load.before.toFixed(2)} at the start, ${load.after.toFixed(2)} at the end` +
      (busy ? ' — **other work was running on this machine; the times are noisier than usual.**' : ' (quiet machine).') +
      (m.nice !== 0 ? ` The benchmark ran at nice ${m.nice} (children inherit it), to keep its share of the CPU against that other work.` : ''),
  );
  lines.push(`- **Ours:** Node ${m.node}, the library built by \`tsc\` into dist/ at commit ${m.revision}, each case in a fresh \`node\` process.`);
  lines.push(
    `- **Peers:** ${python}: Python ${info.python}, scikit-learn ${info.sklearn}, numpy ${info.numpy}` +
      `${info.torch ? `, PyTorch ${info.torch}` : ', PyTorch not installed'}; npm ml-kmeans ${ctx.versions['ml-kmeans'] ?? '(not run)'}.`,
  );
  lines.push(`- **Peer thread pools (threadpoolctl ${info.threadpoolctl ?? '?'}):** ${blasLine(info.blas)}; scikit-learn's OpenMP loops use ${info.sklearnOpenmpThreads} threads; PyTorch's default is ${info.torchThreads ?? '?'} intra-op thread(s), its matrix products running in the OpenBLAS pool above.`);
  if (ctx.threads) {
    lines.push(`- **Threads: every side capped at ${ctx.threads}** (\`--threads ${ctx.threads}\`): threadpoolctl limits for scikit-learn's BLAS and OpenMP pools, \`nJobs: ${ctx.threads}\` for ours (and \`OPENBLAS_NUM_THREADS=${ctx.threads}\` for our VAE's native matmuls), \`torch.set_num_threads(${ctx.threads})\` with a threadpoolctl limit on PyTorch's OpenBLAS pool.`);
  }
  if (ctx.pinnedCpu !== undefined) {
    lines.push(
      ctx.pinnedCpu === null
        ? '- **CPU:** every process where the scheduler put it (taskset could not pin them here).'
        : `- **CPU: every process pinned to CPU ${ctx.pinnedCpu}** (\`taskset -c ${ctx.pinnedCpu}\`, the interpreters' helper threads too), so that both sides of a comparison run on the same virtual CPU: this machine's differ in speed by up to half at times.`,
    );
  }
  lines.push(`- **Thread/BLAS environment variables:** ${m.threadEnv.length ? m.threadEnv.map((v) => `\`${v}\``).join(', ') : 'none set'} (passed to the peers unchanged).`);
  lines.push(
    `- **Method:** time per iteration = (best fit time at maxIter ${ctx.iters} − best at maxIter 1) / (iterations difference), ` +
      `best of ${ctx.reps} repetitions each; this cancels each side's fixed costs (validation, initialisation, the final E-step or label pass), ` +
      `which are shown separately as "fixed ms". Inputs are generated once per run (seed 2024) and read by every side from the same float64 file.`,
  );
  for (const s of sections) {
    lines.push('');
    lines.push(`### ${s.title}`);
    lines.push('');
    lines.push(s.markdown);
  }
  lines.push('');
  lines.push('### Checks');
  lines.push('');
  if (checks.length === 0) lines.push('- (none in the selected cases)');
  for (const c of checks) lines.push(`- ${c.ok ? 'PASS' : '**FAIL**'}: ${c.text}`);
  if (goals.length) {
    lines.push('');
    lines.push('### Goals (from the issue)');
    lines.push('');
    if (ctx.quick) lines.push('The goals are about the full sizes; on --quick sizes this is only indicative.\n');
    for (const g of goals) lines.push(`- ${g.met ? 'met' : '**not met**'}: ${g.text}`);
  }
  return lines.join('\n');
}

module.exports = { writeReport };
