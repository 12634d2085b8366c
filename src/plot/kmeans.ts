/**
 * K-Means drawn as hard circles around each centre: the picture that shows why
 * K-Means fails on stretched or unequal clusters, next to the GMM ellipses.
 */
import { checkOptionNames, optionNames } from '../options';
import { MatrixLike, toMatrix } from '../matrix';
import { Figure, Trace, baseLayout, colorOf, darken } from './figure';
import { Labels, Points, columns, labelArray, plotRound } from './inputs';
import { ScatterOptions, scatterTraces, SCATTER_OPTIONS } from './scatter';
import { pointLabels } from './annotate';

export interface KMeansCirclesOptions extends ScatterOptions {
  /** Cluster of each point; default: its nearest centre. */
  labels?: Labels;
  /** Circle radius, one for all or one per centre; default: distance to the farthest assigned point. */
  radius?: number | number[];
  /** A label per centre, written at the centre on a white box (e.g. what the cluster mostly contains). */
  centreLabels?: string[];
}

/** Scatter coloured by cluster, centres as crosses, and one circle per cluster. */
export function kmeansCircles(points: Points, centers: MatrixLike, options: KMeansCirclesOptions = {}): Figure {
  checkOptionNames(options, optionNames<KMeansCirclesOptions>({ ...SCATTER_OPTIONS, labels: true, radius: true, centreLabels: true }), 'kmeansCircles');
  const cols = columns(points);
  const c = toMatrix(centers, 'centers');
  if (c.cols !== 2) throw new Error(`centers must have 2 columns (x, y); got ${c.cols}.`);
  const K = c.rows, n = cols.x.length;
  const cx = (k: number): number => c.data[2 * k], cy = (k: number): number => c.data[2 * k + 1];
  const labels = options.labels === undefined
    ? cols.x.map((x, i) => nearest(x, cols.y[i], K, cx, cy))
    : labelArray(options.labels, n);
  labels.forEach((l, i) => {
    if (l < 0 || l >= K) throw new Error(`labels[${i}] = ${l} is not a centre index (there are ${K} centres).`);
  });
  const radii = circleRadii(options.radius, K, (k) => {
    let r = 0;
    for (let i = 0; i < n; i++) if (labels[i] === k) r = Math.max(r, Math.hypot(cols.x[i] - cx(k), cols.y[i] - cy(k)));
    return r;
  });
  const circles: Trace[] = radii.map((r, k) => {
    const t = Array.from({ length: 73 }, (_, i) => (2 * Math.PI * i) / 72);
    return {
      type: 'scatter', mode: 'lines', hoverinfo: 'skip', showlegend: false, legendgroup: `label${k}`,
      x: plotRound(t.map((a) => cx(k) + r * Math.cos(a))), y: plotRound(t.map((a) => cy(k) + r * Math.sin(a))),
      line: { color: colorOf(k), width: 2 },
    };
  });
  const centreTrace: Trace = {
    type: 'scatter', mode: 'markers', name: 'centres',
    x: Array.from({ length: K }, (_, k) => cx(k)), y: Array.from({ length: K }, (_, k) => cy(k)),
    marker: { symbol: 'x', size: 12, color: 'black', line: { width: 1, color: 'white' } },
  };
  const layout = baseLayout({ ...options, equalAxes: options.equalAxes ?? true });
  if (options.centreLabels !== undefined) {
    if (options.centreLabels.length !== K) throw new Error(`centreLabels has ${options.centreLabels.length} labels; there are ${K} centres.`);
    layout.annotations = pointLabels(Array.from({ length: K }, (_, k) => cx(k)), Array.from({ length: K }, (_, k) => cy(k)), options.centreLabels, {
      borderColor: Array.from({ length: K }, (_, k) => darken(colorOf(k), 0.3)), shift: [0, 16],
    });
  }
  return { data: [...scatterTraces(cols, labels, options), ...circles, centreTrace], layout };
}

function nearest(x: number, y: number, K: number, cx: (k: number) => number, cy: (k: number) => number): number {
  let best = 0, bestD = Infinity;
  for (let k = 0; k < K; k++) {
    const d = (x - cx(k)) ** 2 + (y - cy(k)) ** 2;
    if (d < bestD) { bestD = d; best = k; }
  }
  return best;
}

function circleRadii(radius: number | number[] | undefined, K: number, farthest: (k: number) => number): number[] {
  if (radius === undefined) return Array.from({ length: K }, (_, k) => farthest(k));
  const r = typeof radius === 'number' ? new Array<number>(K).fill(radius) : radius;
  if (!Array.isArray(r) || r.length !== K) throw new Error(`radius must be a number or one number per centre (${K}); got ${Array.isArray(r) ? `${r.length} numbers` : typeof r}.`);
  r.forEach((v, k) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`radius[${k}] must be a finite non-negative number; got ${v}.`);
  });
  return r;
}
