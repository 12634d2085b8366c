// Classic Jupyter Notebook (6.x) extension: renders `application/vnd.plotly.v1+json` outputs as live
// Plotly figures, with the project's own plotly.js (copied next to this file by scripts/nbextension.js;
// nothing comes from a CDN, so it works offline).
//
// Notebook 6 has no renderer for Plotly's MIME type and falls back to the bundle's image/png. Registering
// one, ranked above image/png, makes the same bundles interactive; the PNG stays in the notebook for
// GitHub, nbconvert and every viewer without this extension.
define(['base/js/namespace', 'base/js/events', 'notebook/js/outputarea', 'require'], function (Jupyter, events, outputarea, require) {
  'use strict';

  var MIME = 'application/vnd.plotly.v1+json';
  var RENDERED = 'plotly-renderer-output';

  // plotly.js (about 5 MB) is loaded on first use, as a plain script: its bundle sets window.Plotly
  // and does not register itself with require.js.
  var plotlyLoading = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = require.toUrl('./plotly.min.js');
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { plotlyLoading = null; reject(new Error('could not load ' + script.src)); };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function showError(div, err) {
    div.style.height = 'auto';
    div.textContent = 'Plotly figure could not be drawn: ' + (err && err.message ? err.message : err);
    div.className += ' output_stderr';
  }

  // Draws the figure once the output is in the page and has a width (Notebook 6 builds outputs before
  // inserting them, and a collapsed output has none), then follows the column's width. The figure's
  // layout.width becomes a maximum: a plot never overflows the column, so there is no horizontal scroll.
  function drawWhenSized(div, figure) {
    var drawn = null; // the first draw, once started
    var observer = new ResizeObserver(function () {
      if (!div.isConnected) { if (drawn) observer.disconnect(); return; }
      if (div.clientWidth === 0) return;
      if (drawn) {
        // A resize before the first draw is done waits for it; a failed resize leaves the plot as it was.
        drawn.then(function () { return window.Plotly.Plots.resize(div); }).catch(function () {});
        return;
      }
      drawn = loadPlotly()
        .then(function (Plotly) {
          return Plotly.newPlot(div, figure.data || [], figure.layout, { displaylogo: false, responsive: false });
        })
        .then(function () {
          // Frames (animations) go in after the first draw, as Plotly's own HTML export does.
          if (figure.frames && figure.frames.length) return window.Plotly.addFrames(div, figure.frames);
        });
      drawn.catch(function (err) { observer.disconnect(); showError(div, err); });
    });
    observer.observe(div);
  }

  // The append function Notebook 6 calls for our MIME type; `this` is the cell's OutputArea.
  function appendPlotly(value, metadata, element) {
    var toinsert = this.create_output_subarea(metadata, RENDERED, MIME);
    // A copy: Plotly writes into the objects it draws, and these are the notebook's saved outputs.
    var figure = JSON.parse(JSON.stringify(value));
    var layout = figure.layout = figure.layout || {};
    var div = document.createElement('div');
    div.style.width = '100%';
    if (typeof layout.width === 'number') div.style.maxWidth = layout.width + 'px';
    div.style.height = (typeof layout.height === 'number' ? layout.height : 450) + 'px';
    delete layout.width;
    layout.autosize = true;
    toinsert.append(div);
    element.append(toinsert);
    drawWhenSized(div, figure);
    return toinsert;
  }

  // Outputs drawn before this extension registered (the notebook can finish loading first) showed their
  // PNG; draw those again. Only the display is replaced: the notebook's outputs are not touched, so the
  // notebook stays clean (nothing to save).
  function redrawEarlierOutputs() {
    Jupyter.notebook.get_cells().forEach(function (cell) {
      var area = cell.output_area;
      if (!area || !area.outputs) return;
      var shown = area.element.children('.output_area');
      // One .output_area per output, in order (consecutive stream texts are merged in both).
      if (shown.length !== area.outputs.length) return;
      area.outputs.forEach(function (output, i) {
        if (!output.data || output.data[MIME] === undefined) return;
        var old = shown.eq(i);
        if (old.find('.' + RENDERED).length) return;
        var fresh = area.create_output_area();
        if (!area.append_mime_type(output, fresh)) return;
        old.replaceWith(fresh);
        // Keep update_display_data pointed at what is on the page.
        Object.keys(area._display_id_targets || {}).forEach(function (id) {
          area._display_id_targets[id].forEach(function (target) { if (target.element && target.element[0] === old[0]) target.element = fresh; });
        });
      });
    });
  }

  function load_ipython_extension() {
    // safe: rendered in untrusted notebooks too (a fresh clone's are untrusted). A Plotly figure is data,
    // not code: plotly.js draws it without running scripts from it. index 0: ahead of image/png.
    outputarea.OutputArea.prototype.register_mime_type(MIME, appendPlotly, { safe: true, index: 0 });
    if (Jupyter.notebook && Jupyter.notebook._fully_loaded) redrawEarlierOutputs();
    else events.one('notebook_loaded.Notebook', redrawEarlierOutputs);
  }

  return { load_ipython_extension: load_ipython_extension };
});
