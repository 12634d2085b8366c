/**
 * Gaussian-mixture figures: covariance ellipses, soft assignments and density
 * contours — the three views that show what a GMM learns beyond K-Means.
 */
import { checkOptionNames, optionNames } from '../options';
import { MatrixLike } from '../matrix';
import { Figure, LayoutOptions, Trace, baseLayout, colorOf, darken, withAlpha, LAYOUT_OPTIONS } from './figure';
import { Gmm2D, GmmParams, ellipseOutline, gmm2d, mixtureLogDensity } from './gaussian';
import { Columns, Labels, Points, columns, labelArray, paddedRange, plotColumns, plotRound, probabilityRows, round } from './inputs';
import { ScatterOptions, scatterTraces, SCATTER_OPTIONS } from './scatter';
import { pointLabels } from './annotate';

export interface EllipseOptions extends ScatterOptions {
  /** Which standard-deviation contours to draw (default [1, 2, 3]). */
  sigmas?: number[];
  /** Colour of each point; default: the component with the highest posterior under `params`. */
  labels?: Labels;
  /** Fill the ellipses, heavier components more opaque (default true); false draws outlines only, so dense points stay visible. */
  fill?: boolean;
  /** A label per component, written at its mean on a white box (e.g. what the component mostly contains). */
  componentLabels?: string[];
}

/** Points plus the 1σ/2σ/3σ ellipses of each component; fill opacity follows the component weight. */
export function gmmEllipses(points: Points | null, params: GmmParams, options: EllipseOptions = {}): Figure {
  checkOptionNames(options, optionNames<EllipseOptions>({ ...SCATTER_OPTIONS, sigmas: true, labels: true, componentLabels: true, fill: true }), 'gmmEllipses');
  const g = gmm2d(params);
  const sigmas = checkSigmas(options.sigmas ?? [1, 2, 3]);
  const data: Trace[] = [];
  if (points !== null) {
    const cols = columns(points);
    const labels = options.labels === undefined ? hardAssign(cols, g) : labelArray(options.labels, cols.x.length);
    data.push(...scatterTraces(cols, labels, { ...options, labelName: options.labelName ?? 'component', opacity: options.opacity ?? 0.6 }));
  }
  data.push(...ellipseTraces(g, sigmas, options.fill ?? true), meansTrace(g));
  const layout = baseLayout({ ...options, equalAxes: options.equalAxes ?? true });
  if (options.componentLabels !== undefined) {
    if (options.componentLabels.length !== g.weights.length) {
      throw new Error(`componentLabels has ${options.componentLabels.length} labels; the mixture has ${g.weights.length} components.`);
    }
    layout.annotations = pointLabels(g.means.map((m) => m[0]), g.means.map((m) => m[1]), options.componentLabels, {
      borderColor: g.means.map((_, k) => darken(colorOf(k), 0.3)), shift: [0, 16],
    });
  }
  return { data, layout };
}

/**
 * Ellipse traces, component-major: with `fill`, first K·|sigmas| fill-only traces, then
 * K·|sigmas| outlines. Plotly draws filled traces beneath all others, so an outline that
 * carried its own fill would vanish under dense points. The EM animation relies on this
 * fixed count.
 */
export function ellipseTraces(g: Gmm2D, sigmas: number[], fill = true): Trace[] {
  const maxW = Math.max(...g.weights);
  const fills: Trace[] = [];
  const outlines: Trace[] = [];
  g.means.forEach((mean, k) => {
    // Heavier components are drawn more opaque; inner contours are stronger than outer ones.
    const alpha = 0.25 + 0.75 * (maxW > 0 ? g.weights[k] / maxW : 1);
    sigmas.forEach((s, j) => {
      const outline = ellipseOutline(mean, g.covariances[k], s);
      const x = plotRound(outline.x), y = plotRound(outline.y);
      const common = { type: 'scatter', legendgroup: `label${k}`, showlegend: false, x, y };
      if (fill) {
        fills.push({
          ...common, mode: 'lines', fill: 'toself', hoverinfo: 'skip', line: { width: 0 },
          fillcolor: withAlpha(colorOf(k), (alpha * 0.22) / (j + 1)),
        });
      }
      outlines.push({
        ...common, mode: 'lines', hoverinfo: 'name',
        name: `component ${k} (${s}σ, weight ${g.weights[k].toFixed(3)})`,
        // Darker than the component's points, or the inner outline disappears in its own cloud.
        line: { color: withAlpha(darken(colorOf(k), 0.4), alpha), width: j === 0 ? 2.5 : 1.5, dash: j === 0 ? 'solid' : 'dash' },
      });
    });
  });
  return [...fills, ...outlines];
}

/** The component means as black diamonds, weight in the hover text. */
export function meansTrace(g: Gmm2D): Trace {
  return {
    type: 'scatter', mode: 'markers', name: 'means',
    x: g.means.map((m) => m[0]), y: g.means.map((m) => m[1]),
    text: g.weights.map((w, k) => `component ${k}<br>weight ${w.toFixed(3)}`), hoverinfo: 'text+x+y',
    marker: { symbol: 'diamond', size: 10, color: 'black', line: { width: 1.5, color: 'white' } },
  };
}

/** The most probable component of each point under the mixture (what `predict` returns). */
export function hardAssign(cols: Columns, g: Gmm2D): number[] {
  const comps = g.weights.map((w, k) => mixtureLogDensity({ weights: [w], means: [g.means[k]], covariances: [g.covariances[k]] }));
  return cols.x.map((x, i) => {
    let best = 0, bestV = -Infinity;
    comps.forEach((f, k) => {
      const v = f(x, cols.y[i]);
      if (v > bestV) { bestV = v; best = k; }
    });
    return best;
  });
}

function checkSigmas(sigmas: number[]): number[] {
  if (!Array.isArray(sigmas) || sigmas.length === 0 || sigmas.some((s) => !(Number.isFinite(s) && s > 0))) {
    throw new Error(`sigmas must be a non-empty array of positive numbers; got ${JSON.stringify(sigmas)}.`);
  }
  return sigmas;
}

export interface SoftAssignmentOptions extends ScatterOptions {
  /** How certainty is shown: marker opacity (default) or marker size. */
  encoding?: 'opacity' | 'size';
  /** Also draw the mixture's ellipses. */
  params?: GmmParams;
  /** With encoding 'size': legend entries showing the marker size at these probabilities (default [1/K-ish, 0.6, 0.8, 1]). */
  sizeKey?: number[] | false;
}

/**
 * Colour by most likely component, opacity (or size) by its probability: points
 * between clusters fade, which is what "soft" assignment means.
 */
export function softAssignments(points: Points, probabilities: MatrixLike, options: SoftAssignmentOptions = {}): Figure {
  checkOptionNames(options, optionNames<SoftAssignmentOptions>({ ...SCATTER_OPTIONS, encoding: true, params: true, sizeKey: true }), 'softAssignments');
  const cols = columns(points);
  const p = probabilityRows(probabilities, cols.x.length);
  const encoding = options.encoding ?? 'opacity';
  if (encoding !== 'opacity' && encoding !== 'size') throw new Error(`encoding must be 'opacity' or 'size'; got ${JSON.stringify(encoding)}.`);
  const best = p.map((r) => r.indexOf(Math.max(...r)));
  const conf = p.map((r, i) => r[best[i]]);
  const K = p[0].length;
  const xy = plotColumns(cols);
  const base = options.markerSize ?? 7;
  const data: Trace[] = [];
  for (let k = 0; k < K; k++) {
    const idx = best.flatMap((b, i) => (b === k ? [i] : []));
    if (idx.length === 0) continue;
    const certainty = idx.map((i) => certaintyOf(conf[i], K));
    data.push({
      type: options.webgl ?? cols.x.length > 5000 ? 'scattergl' : 'scatter', mode: 'markers',
      name: `component ${k}`, legendgroup: `label${k}`,
      x: idx.map((i) => xy.x[i]), y: idx.map((i) => xy.y[i]),
      text: idx.map((i) => `p = ${conf[i].toFixed(3)}`), hoverinfo: 'text+name',
      marker: {
        color: colorOf(k),
        opacity: encoding === 'opacity' ? certainty.map((c) => round(0.08 + 0.92 * c, 3)) : 0.75,
        size: encoding === 'size' ? certainty.map((c) => round(sizeOf(c, base), 2)) : base,
        line: { width: 0 },
      },
    });
  }
  if (encoding === 'size' && options.sizeKey !== false) data.push(...sizeKeyTraces(options.sizeKey ?? defaultKey(K), K, base));
  if (options.params) {
    const g = gmm2d(options.params, 'options.params');
    if (g.weights.length !== K) throw new Error(`options.params has ${g.weights.length} components but probabilities has ${K} columns.`);
    data.push(...ellipseTraces(g, [1, 2]), meansTrace(g));
  }
  const title = options.title ?? `Soft assignments (${encoding} = probability of the most likely component)`;
  return { data, layout: baseLayout({ ...options, equalAxes: options.equalAxes ?? true, title }) };
}

/**
 * Certainty of a point whose most likely component has probability p, rescaled from the
 * lowest possible maximum (1/K) to 1: "undecided" is 0, "certain" is 1.
 */
function certaintyOf(p: number, K: number): number {
  return K > 1 ? Math.max(0, (p - 1 / K) / (1 - 1 / K)) : 1;
}

/** Marker size for a certainty: 2 px when undecided up to 2 + 1.3·base px when certain. */
function sizeOf(certainty: number, base: number): number {
  return 2 + base * 1.3 * certainty;
}

function defaultKey(K: number): number[] {
  const low = Math.ceil((100 / Math.max(K, 2)) / 10) * 0.1 + 0.1;  // just above 1/K, on a round tenth
  return [...new Set([Math.min(low, 0.9), 0.6, 0.8, 1].filter((p) => p >= low - 1e-9).map((p) => round(p, 2)))].sort((a, b) => a - b);
}

/** Grey legend-only markers: the size a point gets at each probability of its most likely component. */
function sizeKeyTraces(ps: number[], K: number, base: number): Trace[] {
  return ps.map((p) => {
    if (!(p >= 0 && p <= 1)) throw new Error(`sizeKey values must be probabilities in [0, 1]; got ${p}.`);
    return {
      type: 'scatter', mode: 'markers', name: `p = ${p}`, legendgroup: 'size key', x: [null], y: [null], hoverinfo: 'skip',
      marker: { color: '#606060', opacity: 0.75, size: round(sizeOf(certaintyOf(p, K), base), 2), line: { width: 0 } },
    };
  });
}

export interface DensityOptions extends LayoutOptions {
  /** Points drawn on top (small, dark); they also set the plotting range when no range is given. */
  points?: Points;
  xRange?: [number, number];
  yRange?: [number, number];
  /** Grid cells per axis (default 120). */
  gridSize?: number;
  /** Number of contour bands (default 14). */
  levels?: number;
  /** Log-density span shown below the peak (default 12 nats); lower values are clamped so tails do not eat the levels. */
  depth?: number;
  /** Draw the 2σ ellipses too (only when `source` is parameters). */
  ellipses?: boolean;
  /** Fixed [lowest, highest] log-density of the colour scale, to share one scale across panels (default: [peak − depth, peak]). */
  zRange?: [number, number];
  /** Show the colour bar (default true). */
  showScale?: boolean;
  equalAxes?: boolean;
}

/** Filled contours of log p(x, y) from mixture parameters or any log-density function. */
export function densityContours(source: GmmParams | ((x: number, y: number) => number), options: DensityOptions = {}): Figure {
  checkOptionNames(options, optionNames<DensityOptions>({ ...LAYOUT_OPTIONS, points: true, xRange: true, yRange: true, gridSize: true, levels: true, depth: true, ellipses: true, equalAxes: true, zRange: true, showScale: true }), 'densityContours');
  const g = typeof source === 'function' ? undefined : gmm2d(source, 'source');
  const logp = typeof source === 'function' ? source : mixtureLogDensity(g!);
  const cols = options.points === undefined ? undefined : columns(options.points, 'options.points');
  const [xr, yr] = densityRanges(options, cols, g);
  const n = options.gridSize ?? 120;
  if (!Number.isInteger(n) || n < 2 || n > 1000) throw new Error(`gridSize must be an integer in [2, 1000]; got ${n}.`);
  const xs = linspace(xr[0], xr[1], n), ys = linspace(yr[0], yr[1], n);
  let peak = -Infinity;
  const z = ys.map((y) => xs.map((x) => {
    const v = logp(x, y);
    if (Number.isNaN(v) || v === Infinity) throw new Error(`the log-density returned ${v} at (${x}, ${y}).`);
    if (v > peak) peak = v;
    return v;
  }));
  if (peak === -Infinity) throw new Error('the log-density is -Infinity over the whole grid; check the range.');
  if (options.zRange !== undefined && !(Array.isArray(options.zRange) && options.zRange.length === 2 && options.zRange[0] < options.zRange[1])) {
    throw new Error(`zRange must be [lowest, highest] log-density with lowest < highest; got ${JSON.stringify(options.zRange)}.`);
  }
  const levels = options.levels ?? 14;
  const [floor, top] = options.zRange ?? [peak - (options.depth ?? 12), peak];
  const depth = top - floor;
  const data: Trace[] = [{
    type: 'contour', x: plotRound(xs), y: plotRound(ys),
    z: z.map((r) => r.map((v) => round(Math.max(v, floor), 3))),
    // Light to mid blue (ColorBrewer Blues): dark data points stay visible on the densest band.
    colorscale: [[0, '#f7fbff'], [0.35, '#c6dbef'], [0.7, '#6baed6'], [1, '#2171b5']],
    contours: { start: floor, end: top, size: depth / levels, coloring: 'fill', showlines: true },
    zmin: floor, zmax: top, zauto: false, showscale: options.showScale ?? true,
    line: { width: 0.5, color: 'rgba(0,0,0,0.25)' },
    colorbar: { title: { text: 'log p(x)' }, thickness: 14 },
    hovertemplate: 'x=%{x:.2f}<br>y=%{y:.2f}<br>log p=%{z:.2f}<extra></extra>',
  }];
  if (cols) {
    data.push({
      type: cols.x.length > 5000 ? 'scattergl' : 'scatter', mode: 'markers', name: 'data', showlegend: false,
      ...plotColumns(cols), marker: { size: 3.5, color: 'rgba(20,20,20,0.7)' }, hoverinfo: 'skip',
    });
  }
  if (g && options.ellipses) data.push(...ellipseTraces(g, [2], false), meansTrace(g));
  const layout = baseLayout(
    { ...options, equalAxes: options.equalAxes ?? true },
    // constrain: 'domain' shrinks the plot area for equal scaling instead of widening a range past the grid.
    { xaxis: { range: xr, showgrid: false, constrain: 'domain' }, yaxis: { range: yr, showgrid: false, constrain: 'domain' }, showlegend: false },
  );
  return { data, layout };
}

function densityRanges(options: DensityOptions, cols: Columns | undefined, g: Gmm2D | undefined): [[number, number], [number, number]] {
  const check = (r: [number, number] | undefined, name: string): void => {
    if (r !== undefined && !(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
      throw new Error(`${name} must be [min, max] with min < max; got ${JSON.stringify(r)}.`);
    }
  };
  check(options.xRange, 'xRange');
  check(options.yRange, 'yRange');
  let auto: [[number, number], [number, number]] | undefined;
  if (cols) auto = [paddedRange(cols.x, 0.1), paddedRange(cols.y, 0.1)];
  else if (g) {
    // Without data, frame every component out to 3 standard deviations.
    const xs: number[] = [], ys: number[] = [];
    g.means.forEach((m, k) => {
      const sx = 3 * Math.sqrt(g.covariances[k][0][0]), sy = 3 * Math.sqrt(g.covariances[k][1][1]);
      xs.push(m[0] - sx, m[0] + sx);
      ys.push(m[1] - sy, m[1] + sy);
    });
    auto = [paddedRange(xs, 0), paddedRange(ys, 0)];
  }
  const xr = options.xRange ?? auto?.[0], yr = options.yRange ?? auto?.[1];
  if (!xr || !yr) throw new Error('densityContours with a log-density function needs xRange and yRange, or points to take them from.');
  return [xr, yr];
}

function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}
