'use strict';
/** Markdown tables and number formats for the report. */

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function ms(seconds, digits = 1) {
  return (seconds * 1000).toFixed(digits);
}

/** "ours / peer" as a factor (lower is better), and its inverse as a speed-up. */
function ratio(ours, peer) {
  return factor(ours / peer);
}

function speedup(ours, peer) {
  return factor(peer / ours);
}

function factor(x) {
  return `${x >= 0.1 && x < 100 ? x.toFixed(2) : x.toPrecision(2)}×`;
}

function mib(bytes) {
  const m = bytes / 1048576;
  return `${m.toFixed(Math.abs(m) < 10 ? 1 : 0)} MiB`;
}

/** How far apart the repetitions of the longest fit were: (slowest − fastest) / fastest. */
function spread(r) {
  return r.reps > 1 ? `${(100 * r.spread).toFixed(0)} %` : '—';
}

module.exports = { table, ms, ratio, speedup, factor, mib, spread };
