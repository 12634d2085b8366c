/**
 * Text labels pinned to data points (a cluster's name at its centre, a path's
 * two ends), drawn on a white box so that they stay legible over dense points
 * and lines. They are layout annotations: `panels` moves them into their panel.
 */
import { Layout } from './figure';

export interface PointLabelOptions {
  /** Font size in px (default 13). */
  size?: number;
  /** Text colour (default near-black); a per-label array gives each label its own. */
  color?: string | string[];
  /** Box border colour per label (default: the text colour). */
  borderColor?: string | string[];
  /** Shift in px from the point, e.g. [0, 14] to sit just above it (default [0, 0]: centred on it). */
  shift?: [number, number];
}

/** One annotation per (x, y, text): a small white box with a coloured border, centred on the point. */
export function pointLabels(x: ArrayLike<number>, y: ArrayLike<number>, texts: string[], options: PointLabelOptions = {}): Layout[] {
  if (x.length !== y.length || x.length !== texts.length) {
    throw new Error(`pointLabels needs as many x, y and texts; got ${x.length}, ${y.length} and ${texts.length}.`);
  }
  const pick = (v: string | string[] | undefined, i: number, fallback: string): string => (Array.isArray(v) ? v[i] ?? fallback : v ?? fallback);
  const [dx, dy] = options.shift ?? [0, 0];
  return texts.map((text, i) => {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new Error(`label ${i} (${JSON.stringify(text)}) is at a non-finite position (${x[i]}, ${y[i]}).`);
    const color = pick(options.color, i, '#202020');
    return {
      x: x[i], y: y[i], xref: 'x', yref: 'y', text, showarrow: false, xshift: dx, yshift: dy,
      font: { size: options.size ?? 13, color },
      bgcolor: 'rgba(255,255,255,0.85)', bordercolor: pick(options.borderColor, i, color), borderwidth: 1.5, borderpad: 2,
    };
  });
}
