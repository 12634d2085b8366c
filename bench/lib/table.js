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
  return `${(ours / peer).toFixed(2)}×`;
}

function speedup(ours, peer) {
  return `${(peer / ours).toFixed(2)}×`;
}

function mib(bytes) {
  const m = bytes / 1048576;
  return `${m.toFixed(Math.abs(m) < 10 ? 1 : 0)} MiB`;
}

module.exports = { table, ms, ratio, speedup, mib };
