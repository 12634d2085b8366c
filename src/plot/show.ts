/**
 * `await show(fig)`: one display bundle per figure in a tslab notebook —
 * interactive Plotly JSON, a PNG for renderers without Plotly (GitHub,
 * nbconvert, classic Notebook), and a text line — or a text line in plain Node.
 */
import { OptionNames, checkOptionNames, optionNames } from '../options';
import { Figure, describeFigure, toPlotlyJson } from './figure';
import { chromiumAvailable, chromiumPath } from './browser';
import { ImageOptions, imageSize, renderPng } from './export';
import { DisplayContent, DisplayWriter, tslabWriter } from './tslab';
import { packFigure } from './typed-arrays';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface ShowOptions extends ImageOptions {
  /** Include the PNG (default true; needs Chromium, skipped with a one-time note otherwise). */
  png?: boolean;
  /** The text/plain line (default: title and trace summary). */
  text?: string;
  /** Include the Plotly JSON (default true). False keeps heavy figures (big image mosaics) out of the saved notebook: PNG and text only. */
  interactive?: boolean;
}

const notes = new Set<string>();

/** Print a note once per process (a repeated warning in every cell is noise). */
function noteOnce(message: string): void {
  if (notes.has(message)) return;
  notes.add(message);
  process.stderr.write(`${message}\n`);
}

/** The MIME bundle `show` sends: Plotly JSON, PNG (base64) when possible, text. */
const SHOW_OPTIONS: OptionNames<ShowOptions> = { width: true, height: true, scale: true, png: true, text: true, interactive: true };

export async function figureBundle(fig: Figure, options: ShowOptions = {}): Promise<Pick<DisplayContent, 'data' | 'metadata'>> {
  checkOptionNames(options, optionNames<ShowOptions>(SHOW_OPTIONS), 'show');
  const json = toPlotlyJson(fig);
  const size = imageSize(json, options);
  const data: Record<string, unknown> = { 'text/plain': options.text ?? describeFigure(json) };
  // Long arrays as base64 typed arrays: the saved notebook pretty-prints plain ones one number per line.
  if (options.interactive ?? true) data[PLOTLY_MIME] = packFigure(json);
  const metadata: Record<string, unknown> = {};
  if (options.png ?? true) {
    if (!chromiumAvailable()) {
      noteOnce(`show(): no Chromium at ${chromiumPath()}, so figures carry no PNG (they stay interactive in JupyterLab/VS Code). Install it with \`apt-get install chromium\`.`);
    } else {
      try {
        data['image/png'] = (await renderPng(json, size)).toString('base64');
        // At scale ≠ 1 the PNG has more pixels than it should take on screen.
        if (size.scale !== 1) metadata['image/png'] = { width: size.width, height: size.height };
      } catch (e) {
        noteOnce(`show(): PNG rendering failed, sending the figure without it: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { data, metadata };
}

/**
 * Display a figure. In a tslab notebook: one output with Plotly JSON + PNG + text
 * (use `await show(fig)`). Elsewhere: print the one-line description.
 */
export async function show(fig: Figure, options: ShowOptions = {}): Promise<void> {
  checkOptionNames(options, optionNames<ShowOptions>(SHOW_OPTIONS), 'show');
  // Take the writer now: it belongs to the cell running at call time, not when the PNG is ready.
  const writer: DisplayWriter | null = tslabWriter();
  if (!writer) {
    const json = toPlotlyJson(fig);
    console.log(`[figure] ${options.text ?? describeFigure(json)}`);
    return;
  }
  const bundle = await figureBundle(fig, options);
  writer({ ...bundle, transient: {} }, false);
}
