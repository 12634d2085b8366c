/**
 * The bridge to the tslab kernel's display channel. tslab's public `display`
 * sends one MIME type per call; a figure needs one bundle (Plotly JSON for
 * JupyterLab/VS Code, PNG for GitHub/nbconvert, text for terminals), so we use
 * the internal writer tslab itself uses: `lastWriteDisplayData` of
 * tslab/dist/jupyter.js (tslab is pinned to 1.0.22; test/plot-show.test.ts
 * fails if the symbol disappears).
 */

/** The content of a Jupyter display_data / update_display_data message. */
export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** tslab's writer: `update` = true sends update_display_data for `transient.display_id`. */
export type DisplayWriter = (content: DisplayContent, update: boolean) => void;

/** The tslab version this bridge was written against. */
export const TSLAB_VERSION = '1.0.22';

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/** Loaded tslab jupyter modules (normally one: the running kernel's), found in require.cache without loading anything. */
export function tslabJupyterModules(): { path: string; exports: Record<string, unknown> }[] {
  return Object.entries(require.cache)
    .filter(([path, mod]) => JUPYTER_MODULE.test(path) && mod !== undefined)
    .map(([path, mod]) => ({ path, exports: mod!.exports as Record<string, unknown> }));
}

/**
 * The writer of the cell that is executing now, or null outside a tslab kernel
 * (plain Node, tests) or before the kernel ran its first cell.
 * Capture it synchronously: it belongs to the current cell's message.
 */
export function tslabWriter(): DisplayWriter | null {
  for (const m of tslabJupyterModules()) {
    const w = m.exports.lastWriteDisplayData;
    if (typeof w === 'function') return w as DisplayWriter;
  }
  return null;
}

/** True inside a tslab kernel that is running a cell. */
export function insideTslab(): boolean {
  return tslabWriter() !== null;
}

let counter = 0;

/** A fresh display id for update-in-place displays (unique within the process). */
export function newDisplayId(): string {
  counter++;
  return `tsml-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter}`;
}
