/**
 * EM as an animation: one Plotly frame per iteration, with a slider and a play
 * button, so the reader watches the ellipses move, turn and reweight.
 */
import { checkOptionNames, optionNames } from '../options';
import { Figure, Frame, LayoutOptions, Trace, baseLayout, colorOf, LAYOUT_OPTIONS } from './figure';
import { CovarianceType, GmmParams, gmm2d } from './gaussian';
import { ellipseTraces, hardAssign, meansTrace } from './gmm';
import { Points, columns, paddedRange, plotColumns } from './inputs';

/** The mixture after one EM iteration (what a fit's history records). */
export interface EmStep extends GmmParams {
  /** The ELBO / mean log-likelihood after this step, shown with the iteration. */
  lowerBound?: number;
  /** Iteration number (`iter` as GaussianMixture.fitSteps yields it); default: the index in the history. */
  iteration?: number;
  iter?: number;
}

export interface EmAnimationOptions extends LayoutOptions {
  /** Standard-deviation contours per component (default [1, 2]). */
  sigmas?: number[];
  /** Milliseconds per frame when playing (default 400). */
  frameDuration?: number;
  /** Keep at most this many frames, evenly spaced, first and last included (default 40). */
  maxFrames?: number;
  /** Which iteration the static picture (PNG, first render) shows (default 'last'). */
  initial?: 'first' | 'last';
  /** Covariance type of steps that do not say (fitSteps states do not; needed when K = d). */
  covarianceType?: CovarianceType;
  /** Colour points by their current most likely component (default true). */
  colorPoints?: boolean;
  equalAxes?: boolean;
}

/** Data points plus ellipses per EM iteration, animated by frames with a slider and play/pause buttons. */
export function emAnimation(points: Points, history: EmStep[], options: EmAnimationOptions = {}): Figure {
  checkOptionNames(options, optionNames<EmAnimationOptions>({ ...LAYOUT_OPTIONS, sigmas: true, frameDuration: true, maxFrames: true, initial: true, covarianceType: true, colorPoints: true, equalAxes: true }), 'emAnimation');
  const cols = columns(points);
  if (!Array.isArray(history) || history.length === 0) throw new Error('history must be a non-empty array of EM steps { weights, means, covariances, lowerBound }.');
  const sigmas = options.sigmas ?? [1, 2];
  const steps = pickSteps(history.length, options.maxFrames ?? 40);
  // Read fields one by one: a step may be an object whose fields are getters (not copied by a spread).
  const params = (s: number): GmmParams => {
    const h = history[s];
    return { weights: h.weights, means: h.means, covariances: h.covariances, covarianceType: h.covarianceType ?? options.covarianceType };
  };
  const K = gmm2d(params(0), 'history[0]').weights.length;
  const frames: Frame[] = steps.map((s) => {
    const g = gmm2d(params(s), `history[${s}]`);
    if (g.weights.length !== K) throw new Error(`history[${s}] has ${g.weights.length} components; history[0] has ${K}. All steps need the same K.`);
    // Frames update traces in place, so the points' coordinates live only in the base trace (below),
    // and each frame's colours are component indices (one small integer per point), not colour strings.
    const marker = options.colorPoints ?? true
      ? { color: hardAssign(cols, g), ...componentColorscale(K) }
      : { color: '#9aa0a6' };
    const pointsUpdate: Trace = { type: 'scatter', marker: { size: 5, opacity: 0.55, ...marker } };
    return { name: frameName(history[s], s), data: [pointsUpdate, ...ellipseTraces(g, sigmas), meansTrace(g)], layout: { annotations: [boundNote(history[s])] } };
  });
  const nTraces = frames[0].data.length;
  frames.forEach((f) => (f.traces = Array.from({ length: nTraces }, (_, i) => i)));
  const shown = options.initial === 'first' ? 0 : frames.length - 1;
  const duration = options.frameDuration ?? 400;
  // redraw: each frame's annotation (the iteration's lower bound) is layout, which Plotly redraws only when asked.
  const still = { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } };
  const layout = baseLayout(
    { ...options, equalAxes: options.equalAxes ?? true, title: options.title ?? 'EM iterations' },
    {
      xaxis: { range: paddedRange(cols.x, 0.15), autorange: false },
      yaxis: { range: paddedRange(cols.y, 0.15), autorange: false },
      margin: { b: 120 },
      annotations: frames[shown].layout?.annotations,
      sliders: [{
        active: shown, x: 0.1, len: 0.9, y: 0, yanchor: 'top', pad: { t: 50 },
        currentvalue: { prefix: 'iteration ', font: { size: 13 } },
        steps: frames.map((f) => ({ method: 'animate', label: f.name, args: [[f.name], still] })),
      }],
      updatemenus: [{
        type: 'buttons', direction: 'left', showactive: false, x: 0.1, xanchor: 'right', y: 0, yanchor: 'top', pad: { t: 62, r: 10 },
        buttons: [
          { label: '▶', method: 'animate', args: [null, { mode: 'immediate', fromcurrent: false, frame: { duration, redraw: true }, transition: { duration: 0 } }] },
          { label: '❚❚', method: 'animate', args: [[null], still] },
        ],
      }],
    },
  );
  const pointsTrace: Trace = {
    ...frames[shown].data[0], mode: 'markers', name: 'data', showlegend: false, hoverinfo: 'skip', ...plotColumns(cols),
  };
  return { data: [pointsTrace, ...frames[shown].data.slice(1)], layout, frames };
}

/**
 * A stepped colorscale on which the integer k falls in the middle of a band of
 * colorOf(k): marker.color can then be the component index itself.
 */
export function componentColorscale(K: number): { colorscale: [number, string][]; cmin: number; cmax: number; showscale: false } {
  const colorscale: [number, string][] = [];
  for (let k = 0; k < K; k++) colorscale.push([k / K, colorOf(k)], [(k + 1) / K, colorOf(k)]);
  return { colorscale, cmin: -0.5, cmax: K - 0.5, showscale: false };
}

function frameName(step: EmStep, index: number): string {
  const it = step.iteration ?? step.iter ?? index;
  if (!Number.isFinite(it)) throw new Error(`history[${index}].iteration must be a number; got ${it}.`);
  return String(it);
}

function boundNote(step: EmStep): Record<string, unknown> {
  const lb = step.lowerBound;
  if (lb !== undefined && (typeof lb !== 'number' || Number.isNaN(lb))) throw new Error(`lowerBound must be a number; got ${lb}.`);
  // fitSteps reports -Infinity for the initial parameters (no E-step yet).
  const text = lb === undefined ? '' : Number.isFinite(lb) ? `lower bound ${lb.toFixed(4)}` : 'initial parameters';
  return {
    xref: 'paper', yref: 'paper', x: 0.01, y: 0.99, xanchor: 'left', yanchor: 'top', showarrow: false,
    bgcolor: 'rgba(255,255,255,0.8)', font: { size: 12 }, text,
  };
}

/** Up to `max` indices of 0..n-1, evenly spread, always including the first and the last. */
function pickSteps(n: number, max: number): number[] {
  if (!Number.isInteger(max) || max < 2) throw new Error(`maxFrames must be an integer ≥ 2; got ${max}.`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round((i * (n - 1)) / (max - 1)));
  return [...out];
}
