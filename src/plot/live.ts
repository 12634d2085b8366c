/**
 * Outputs that update in place (tslab display ids): live training progress for
 * the VAE — a progress bar and a small loss curve that redraw each epoch, and
 * at the end a Plotly figure of the run — falling back to a terminal line
 * outside a notebook.
 */
import { checkOptionNames, optionNames } from '../options';
import { PALETTE } from './figure';
import { figureBundle, PLOTLY_MIME } from './show';
import { trainingCurves } from './training';
import { DisplayWriter, newDisplayId, tslabWriter } from './tslab';

/** Content for one state of a live display: text always, HTML for notebooks. */
export interface LiveContent {
  text: string;
  html?: string;
  /** More representations of the same state by MIME type (a Plotly figure, its PNG); the front end shows the richest it can. */
  data?: Record<string, unknown>;
  /** Output metadata by MIME type (e.g. a PNG's display size). */
  metadata?: Record<string, unknown>;
}

/** One output area that each `update` replaces. */
export interface LiveDisplay {
  readonly id: string;
  /** True when it writes to a tslab notebook output, false when it prints to the terminal. */
  readonly inNotebook: boolean;
  update(content: LiveContent): void;
}

/**
 * A display that updates in place in tslab (display_data, then
 * update_display_data with the same display_id); outside tslab, text goes to
 * stdout — rewriting one line on a terminal, one line per update otherwise.
 */
export function liveDisplay(): LiveDisplay {
  const writer: DisplayWriter | null = tslabWriter();
  const id = newDisplayId();
  let shown = false;
  return {
    id,
    inNotebook: writer !== null,
    update(content: LiveContent): void {
      if (typeof content?.text !== 'string') throw new Error('update needs { text, html? } with text a string.');
      if (writer) {
        const data: Record<string, unknown> = { ...content.data, 'text/plain': content.text };
        if (content.html !== undefined) data['text/html'] = content.html;
        writer({ data, metadata: content.metadata ?? {}, transient: { display_id: id } }, shown);
        shown = true;
      } else if (process.stdout.isTTY) {
        process.stdout.write(`\r\x1b[2K${content.text}`);
      } else {
        process.stdout.write(`${content.text}\n`);
      }
    },
  };
}

export interface TrainingProgressOptions {
  /** Total number of epochs (for the bar and the ETA). */
  epochs: number;
  title?: string;
  /** Metric keys drawn in the curve (default: 'loss' and 'valLoss', those present). */
  curves?: string[];
  /** Minimum milliseconds between batch-level redraws (default 250). Epoch ends always redraw. */
  minIntervalMs?: number;
}

/** Live progress of a training loop: call `batchEnd` as often as you like, `epochEnd` once per epoch, `await done()` at the end. */
export interface TrainingProgress {
  batchEnd(epoch: number, batch: number, batches: number, metrics?: Record<string, number>): void;
  epochEnd(epoch: number, metrics: Record<string, number>): void;
  /**
   * The final state. In a notebook the progress output becomes a Plotly figure of the run's curves (live
   * at once; its PNG follows, so await it before the cell ends). Calling it again returns the same promise.
   */
  done(): Promise<void>;
  /** Per-epoch metrics recorded so far (columns, ready for `trainingCurves`). */
  readonly history: Record<string, number[]>;
  /** `onBatchEnd`/`onEpochEnd` for `VAE.fit`: `await vae.fit(train, { epochs, ...progress.fitCallbacks() })`. */
  fitCallbacks(): FitCallbacks;
}

/** What the VAE's fit callbacks pass (only these fields are read). */
export interface FitProgressInfo {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  reconstruction?: number;
  kl?: number;
  valLoss?: number;
  valReconstruction?: number;
  valKl?: number;
}

export interface FitCallbacks {
  onBatchEnd(info: FitProgressInfo): void;
  onEpochEnd(info: FitProgressInfo): void;
}

const EPOCH_METRICS = ['loss', 'reconstruction', 'kl', 'valLoss', 'valReconstruction', 'valKl'] as const;

/** A progress bar and loss curve that update in place while a model trains (epochs are 1-based). */
export function trainingProgress(options: TrainingProgressOptions): TrainingProgress {
  checkOptionNames(options, optionNames<TrainingProgressOptions>({ epochs: true, title: true, curves: true, minIntervalMs: true }), 'trainingProgress');
  const { epochs } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer; got ${epochs}.`);
  const display = liveDisplay();
  const history: Record<string, number[]> = {};
  const start = Date.now();
  const minInterval = options.minIntervalMs ?? 250;
  let lastDraw = 0;
  let finished: Promise<void> | null = null;

  const draw = (fraction: number, status: string, metrics: Record<string, number> | undefined, finalLine: boolean): void => {
    lastDraw = Date.now();
    const elapsed = (lastDraw - start) / 1000;
    const eta = fraction > 0 && fraction < 1 ? (elapsed * (1 - fraction)) / fraction : 0;
    const timing = `${formatSeconds(elapsed)}${eta > 0 ? `, ETA ${formatSeconds(eta)}` : ''}`;
    const shown = metrics ?? lastMetrics(history);
    const metricText = Object.entries(shown).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ');
    const title = options.title ? `${options.title}: ` : '';
    const bar = '#'.repeat(Math.round(fraction * 20)).padEnd(20, '-');
    const text = `${title}${status} [${bar}] ${timing}${metricText ? ` · ${metricText}` : ''}`;
    const html = progressHtml(options.title, status, fraction, timing, metricText, curveSvg(history, options.curves));
    if (!display.inNotebook && process.stdout.isTTY) {
      display.update({ text });
      if (finalLine) process.stdout.write('\n');
    } else if (display.inNotebook || finalLine) {
      display.update({ text, html });
    }
  };

  const checkEpoch = (epoch: number): void => {
    if (!Number.isInteger(epoch) || epoch < 1 || epoch > epochs) throw new Error(`epoch must be an integer in 1..${epochs}; got ${epoch}.`);
  };

  const progress: TrainingProgress = {
    history,
    fitCallbacks: () => ({
      onBatchEnd: (info) => progress.batchEnd(info.epoch, info.batch, info.batches, { loss: info.loss }),
      onEpochEnd: (info) => {
        const metrics: Record<string, number> = {};
        for (const k of EPOCH_METRICS) if (typeof info[k] === 'number') metrics[k] = info[k]!;
        progress.epochEnd(info.epoch, metrics);
      },
    }),
    batchEnd(epoch, batch, batches, metrics) {
      checkEpoch(epoch);
      if (!(Number.isInteger(batches) && batches >= 1 && Number.isInteger(batch) && batch >= 1 && batch <= batches)) {
        throw new Error(`batch must be an integer in 1..batches and batches ≥ 1; got batch ${batch} of ${batches}.`);
      }
      if (Date.now() - lastDraw < minInterval) return;
      draw((epoch - 1 + batch / batches) / epochs, `epoch ${epoch}/${epochs}, batch ${batch}/${batches}`, metrics, false);
    },
    epochEnd(epoch, metrics) {
      checkEpoch(epoch);
      for (const [k, v] of Object.entries(metrics ?? {})) {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`metrics.${k} must be a finite number; got ${v}.`);
        const column = (history[k] ??= []);
        column[epoch - 1] = v;
      }
      draw(epoch / epochs, `epoch ${epoch}/${epochs}`, undefined, !process.stdout.isTTY || epoch === epochs);
    },
    done() {
      if (finished) return finished;
      const n = Math.max(0, ...Object.values(history).map((c) => c.length));
      const status = `done, ${n} epoch${n === 1 ? '' : 's'}`;
      if (!display.inNotebook || n === 0) {
        draw(n / epochs, status, undefined, true);
        return (finished = Promise.resolve());
      }
      const headline = `${options.title ? `${options.title}: ` : ''}${status} in ${formatSeconds((Date.now() - start) / 1000)}`;
      const metricText = Object.entries(lastMetrics(history)).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ');
      const text = metricText ? `${headline} · ${metricText}` : headline;
      // The curves drawn live, as trainingCurves names them (valLoss is the validation curve of loss).
      const metrics = [...new Set((options.curves ?? ['loss', 'valLoss']).filter((k) => history[k]).map(trainingMetricOf))];
      // The last values are in the text line and on hover; the title stays one line.
      const figure = trainingCurves(history, { metrics: metrics.length > 0 ? metrics : undefined, title: escapeHtml(headline), width: 640, height: 340 });
      // Live at once; the bundle with its PNG (for viewers without a Plotly renderer) replaces it when ready.
      display.update({ text, data: { [PLOTLY_MIME]: figure } });
      finished = figureBundle(figure, { text }).then((bundle) => display.update({ text, data: bundle.data, metadata: bundle.metadata }));
      return finished;
    },
  };
  return progress;
}

/** The metric a history key belongs to: valLoss, val_loss and validationLoss are loss's validation curve. */
function trainingMetricOf(key: string): string {
  const m = /^val(?:idation)?(?:_(.+)|([A-Z].*))$/.exec(key);
  const rest = m ? m[1] ?? m[2] : undefined;
  return rest ? rest.charAt(0).toLowerCase() + rest.slice(1) : key;
}

function lastMetrics(history: Record<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, c] of Object.entries(history)) if (c.length) out[k] = c[c.length - 1];
  return out;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toExponential(3) : v.toPrecision(4);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function progressHtml(title: string | undefined, status: string, fraction: number, timing: string, metrics: string, svg: string): string {
  const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return [
    '<div style="font-family:Helvetica,Arial,sans-serif;font-size:13px;max-width:640px">',
    `<div style="margin-bottom:4px">${title ? `<b>${escapeHtml(title)}</b> · ` : ''}${escapeHtml(status)} · ${escapeHtml(timing)}</div>`,
    '<div style="background:#e8e8e8;border-radius:4px;height:10px;overflow:hidden">',
    `<div style="width:${pct}%;height:100%;background:${PALETTE[0]}"></div></div>`,
    metrics ? `<div style="margin-top:4px;color:#444">${escapeHtml(metrics)}</div>` : '',
    svg,
    '</div>',
  ].join('');
}

/** A small inline SVG of the chosen per-epoch curves: no browser needed, redraws cheaply. */
export function curveSvg(history: Record<string, number[]>, keys?: string[], width = 420, height = 140): string {
  const names = (keys ?? ['loss', 'valLoss']).filter((k) => (history[k]?.filter(Number.isFinite).length ?? 0) > 0);
  if (names.length === 0) return '';
  const n = Math.max(...names.map((k) => history[k].length));
  const all = names.flatMap((k) => history[k].filter(Number.isFinite));
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi === lo) { hi += 1; lo -= 1; }
  const pad = { l: 52, r: 10, t: 10, b: 22 };
  const sx = (i: number): number => pad.l + (n > 1 ? (i * (width - pad.l - pad.r)) / (n - 1) : (width - pad.l - pad.r) / 2);
  const sy = (v: number): number => pad.t + ((hi - v) * (height - pad.t - pad.b)) / (hi - lo);
  const lines = names.map((k, c) => {
    const pts = history[k].map((v, i) => (Number.isFinite(v) ? `${sx(i).toFixed(1)},${sy(v).toFixed(1)}` : '')).filter(Boolean).join(' ');
    return `<polyline fill="none" stroke="${PALETTE[c % PALETTE.length]}" stroke-width="2"${c > 0 ? ' stroke-dasharray="5,3"' : ''} points="${pts}"/>`;
  });
  const legend = names.map((k, c) => `<text x="${pad.l + 8 + c * 110}" y="${pad.t + 12}" fill="${PALETTE[c % PALETTE.length]}">${escapeHtml(k)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" style="font:11px Helvetica,Arial,sans-serif;margin-top:6px">`,
    `<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="white" stroke="#ccc"/>`,
    `<text x="${pad.l - 4}" y="${pad.t + 4}" text-anchor="end">${formatNumber(hi)}</text>`,
    `<text x="${pad.l - 4}" y="${height - pad.b}" text-anchor="end">${formatNumber(lo)}</text>`,
    `<text x="${pad.l}" y="${height - 6}">epoch 1</text>`,
    `<text x="${width - pad.r}" y="${height - 6}" text-anchor="end">epoch ${n}</text>`,
    ...lines, ...legend,
    '</svg>',
  ].join('');
}
