/**
 * Aligned plain-text tables: what the notebooks print their results as, so
 * numbers line up in a terminal, a Jupyter output and a diff alike.
 */

/** Rows as an aligned table: first column left-aligned, the rest right-aligned, a dashed rule under the header. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  if (!Array.isArray(header) || header.length === 0) throw new Error('formatTable needs a non-empty header row.');
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== header.length) {
      throw new Error(`row ${i} has ${Array.isArray(r) ? r.length : 'no'} cells; the header has ${header.length}.`);
    }
  });
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, j) => Math.max(...all.map((r) => [...r[j]].length)));
  const pad = (v: string, j: number) => {
    const gap = ' '.repeat(widths[j] - [...v].length);
    return j === 0 ? v + gap : gap + v;
  };
  const line = (r: string[]) => r.map(pad).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** `formatTable`, printed. */
export function printTable(header: string[], rows: (string | number)[][]): void {
  console.log(formatTable(header, rows));
}
