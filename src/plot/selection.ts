/**
 * Model-selection curves (BIC/AIC against the number of components), with each
 * curve's minimum marked, since "pick the lowest" is the whole point of the plot.
 */
import { Figure, LayoutOptions, Trace, baseLayout, colorOf } from './figure';
import { numberArray } from './inputs';

export interface CriterionOptions extends LayoutOptions {
  /** Mark each curve's minimum with a star (default true). */
  markMinimum?: boolean;
}

/** Up to this many K values each get a tick; more are left to Plotly's automatic ticks. */
export const MAX_LABELLED_K = 12;

const DASHES = ['solid', 'dash', 'dot', 'dashdot'];
const SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up'];

/**
 * One line per named curve over `nComponents`, e.g.
 * `{ full: bicFull, tied: bicTied }` (one per covariance type) or `{ BIC: bic, AIC: aic }`.
 */
export function criterionCurves(
  nComponents: ArrayLike<number>,
  curves: Record<string, ArrayLike<number>>,
  options: CriterionOptions = {},
): Figure {
  const ks = numberArray(nComponents, 'nComponents');
  if (ks.length === 0) throw new Error('nComponents is empty.');
  const names = Object.keys(curves ?? {});
  if (names.length === 0) throw new Error('curves must name at least one curve, e.g. { BIC: [...] }.');
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  names.forEach((name, c) => {
    const values = numberArray(curves[name], `curves.${name}`, ks.length);
    const color = colorOf(c);
    // Each curve its own dash and marker, so that a curve running along another stays visible.
    data.push({
      type: 'scatter', mode: 'lines+markers', name, legendgroup: name, x: ks, y: values,
      line: { color, width: 2, dash: DASHES[c % DASHES.length] },
      marker: { color, size: 7, symbol: SYMBOLS[c % SYMBOLS.length], line: { color: 'white', width: 1 } },
    });
    if (options.markMinimum ?? true) {
      const i = values.indexOf(Math.min(...values));
      data.push({
        type: 'scatter', mode: 'markers', name: `${name} minimum (K = ${ks[i]})`, legendgroup: name, showlegend: false,
        x: [ks[i]], y: [values[i]], hoverinfo: 'name+y',
        marker: { symbol: 'star', size: 16, color, line: { color: 'black', width: 1 } },
      });
      // A labelled arrow per minimum, each at its own height: two minima at the same K stay apart.
      annotations.push({
        x: ks[i], y: values[i], xref: 'x', yref: 'y', text: `${name}: K = ${ks[i]}`, showarrow: true, arrowhead: 0,
        arrowcolor: color, ax: 0, ay: -(34 + 24 * c), font: { size: 12, color }, bgcolor: 'rgba(255,255,255,0.85)',
      });
    }
  });
  return {
    data,
    layout: baseLayout(
      { ...options, xTitle: options.xTitle ?? 'number of components', yTitle: options.yTitle ?? (names.length === 1 ? names[0] : 'criterion (lower is better)') },
      { xaxis: kTicks(ks), ...(annotations.length > 0 ? { annotations } : {}) },
    ),
  };
}

/**
 * A tick at every K tried when there are few (1..8, or 5, 10, 20, 40 unevenly spaced),
 * otherwise automatic ticks: a tick per K over 5..60 would be 56 unreadable labels.
 */
function kTicks(ks: number[]): Record<string, unknown> {
  if (ks.length > MAX_LABELLED_K) return {};
  const sorted = [...new Set(ks)].sort((a, b) => a - b);
  return { tickmode: 'array', tickvals: sorted };
}
