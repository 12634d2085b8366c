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

/** The plot area a callout is placed in: the axes' data ranges and their size in px. */
export interface CalloutArea {
  xRange: [number, number];
  yRange: [number, number];
  /** Size of the plot area (inside the margins) in px. */
  width: number;
  height: number;
}

/** Offsets (px, y down) tried in turn for each callout's box, nearest first. */
const CALLOUT_OFFSETS: [number, number][] = [
  [40, -32], [-40, -32], [40, 32], [-40, 32], [0, -48], [0, 48], [75, 0], [-75, 0], [70, -60], [-70, -60], [70, 60], [-70, 60],
];

/**
 * `pointLabels` set off their points by a short line, each box at the first offset where it overlaps neither a
 * box placed before it nor a labelled point (falling back to the first offset). Used for a few labels whose
 * points may lie close together, such as the two ends of several paths; the pixel positions come from `area`,
 * so give it the axes' real ranges.
 */
export function calloutLabels(x: ArrayLike<number>, y: ArrayLike<number>, texts: string[], area: CalloutArea, options: { size?: number } = {}): Layout[] {
  const size = options.size ?? 13;
  const labels = pointLabels(x, y, texts, { size });
  const toPx = (i: number): [number, number] => [
    ((x[i] - area.xRange[0]) / (area.xRange[1] - area.xRange[0])) * area.width,
    ((area.yRange[1] - y[i]) / (area.yRange[1] - area.yRange[0])) * area.height,
  ];
  const points = texts.map((_, i) => toPx(i));
  // A box as [left, top, right, bottom] in px; text width estimated at 0.6 em a character, plus padding.
  const boxAt = (i: number, [dx, dy]: [number, number]): number[] => {
    const halfW = (0.6 * size * texts[i].length) / 2 + 5;
    const halfH = size / 2 + 5;
    const [px, py] = points[i];
    return [px + dx - halfW, py + dy - halfH, px + dx + halfW, py + dy + halfH];
  };
  const overlaps = (a: number[], b: number[]) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  const covers = (box: number[], [px, py]: [number, number]) => px > box[0] - 6 && px < box[2] + 6 && py > box[1] - 6 && py < box[3] + 6;
  const placed: number[][] = [];
  return labels.map((label, i) => {
    const free = CALLOUT_OFFSETS.find((offset) => {
      const box = boxAt(i, offset);
      return placed.every((other) => !overlaps(box, other)) && points.every((p) => !covers(box, p));
    });
    const [ax, ay] = free ?? CALLOUT_OFFSETS[0];
    placed.push(boxAt(i, [ax, ay]));
    return { ...label, showarrow: true, arrowhead: 0, arrowwidth: 1.5, ax, ay };
  });
}
