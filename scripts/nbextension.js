#!/usr/bin/env node
// @ts-check
// Installs and enables the Plotly renderer for the classic Notebook (jupyter/plotly-renderer) project-locally:
// its files go to nbextensions/plotly-renderer/ under the local data folder (a JUPYTER_PATH entry), and
// nbconfig/notebook.json under the local JUPYTER_CONFIG_DIR enables it. Nothing global, nothing in ~/.jupyter.
// Called by `npm start`, `npm run notebooks` and `node scripts/kernel.js`.
'use strict';
const fs = require('fs');
const path = require('path');
const { projectRoot, jupyterDirs } = require('./kernel');

const NAME = 'plotly-renderer';
/** The key Notebook 6 loads: nbextensions/<NAME>/main.js. */
const EXTENSION_KEY = `${NAME}/main`;

/** What to copy: the extension's source, and the project's own plotly.js (no CDN: users may be offline). */
function sources() {
  let plotly;
  try {
    plotly = require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [projectRoot] });
  } catch {
    throw new Error('plotly.js-dist-min is not installed: run `npm ci` first (the notebook renderer serves its plotly.min.js).');
  }
  return [
    { from: path.join(projectRoot, 'jupyter', NAME, 'main.js'), name: 'main.js' },
    { from: plotly, name: 'plotly.min.js' },
  ];
}

/** Copies `from` to `to` unless `to` already has the same bytes (plotly.min.js is about 5 MB). */
function copyIfChanged(from, to) {
  const content = fs.readFileSync(from);
  if (fs.existsSync(to) && fs.readFileSync(to).equals(content)) return;
  fs.writeFileSync(to, content);
}

/**
 * Installs the renderer under `base` (default <project>/.jupyter-local) and enables it, keeping any other
 * settings of the local notebook.json. Returns the folder it installed into.
 */
function installPlotlyRenderer(base) {
  const dirs = jupyterDirs(base);
  const target = path.join(dirs.data, 'nbextensions', NAME);
  fs.mkdirSync(target, { recursive: true });
  for (const { from, name } of sources()) copyIfChanged(from, path.join(target, name));

  const configDir = path.join(dirs.config, 'nbconfig');
  const configFile = path.join(configDir, 'notebook.json');
  fs.mkdirSync(configDir, { recursive: true });
  let config = {};
  if (fs.existsSync(configFile)) {
    try {
      config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    } catch (err) {
      throw new Error(`${configFile} is not valid JSON (${/** @type {Error} */ (err).message}); fix or delete it.`);
    }
  }
  if (config.load_extensions?.[EXTENSION_KEY] !== true) {
    config.load_extensions = { ...config.load_extensions, [EXTENSION_KEY]: true };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  }
  return target;
}

module.exports = { installPlotlyRenderer, EXTENSION_KEY };

if (require.main === module) {
  console.log(`Plotly renderer for Notebook 6 installed: ${installPlotlyRenderer()}`);
}
