/**
 * The VAE's 2-D latent codes coloured by digit: the figure that shows the
 * encoder has sorted digits into regions without ever seeing a label.
 */
import { checkOptionNames, optionNames } from '../options';
import { Figure, LayoutOptions, baseLayout, LAYOUT_OPTIONS } from './figure';
import { Labels, Points, columns, labelArray } from './inputs';
import { scatterTraces } from './scatter';

export interface LatentScatterOptions extends LayoutOptions {
  /** Legend name per class (default the digit itself, '0'..'9'). */
  names?: string[];
  /** Legend title (default 'digit'). */
  legendTitle?: string;
  markerSize?: number;
  opacity?: number;
  /** WebGL scattergl (default true: thousands of points stay fast in the notebook). */
  webgl?: boolean;
  equalAxes?: boolean;
}

/** Latent codes (n×2) coloured by class label, one legend entry per class. */
export function latentScatter(z: Points, labels: Labels, options: LatentScatterOptions = {}): Figure {
  checkOptionNames(options, optionNames<LatentScatterOptions>({ ...LAYOUT_OPTIONS, names: true, legendTitle: true, markerSize: true, opacity: true, webgl: true, equalAxes: true }), 'latentScatter');
  const cols = columns(z, 'z');
  const lab = labelArray(labels, cols.x.length);
  const data = scatterTraces(cols, lab, {
    names: options.names ?? ((l: number) => String(l)),
    markerSize: options.markerSize ?? 3,
    opacity: options.opacity ?? 0.6,
    webgl: options.webgl ?? true,
  });
  const layout = baseLayout(
    { ...options, equalAxes: options.equalAxes ?? true, xTitle: options.xTitle ?? 'z₁', yTitle: options.yTitle ?? 'z₂' },
    // Constant legend symbols: 3 px dots would be unreadable in the legend.
    { legend: { itemsizing: 'constant', title: { text: options.legendTitle ?? 'digit' } } },
  );
  return { data, layout };
}
