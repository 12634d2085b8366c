/**
 * Options objects are checked against the names their owner knows: in an untyped
 * notebook a misspelt option (`nCluster` for `nClusters`) would otherwise be ignored
 * and the default silently used.
 */

/**
 * Every option name of `T`, written once as a record the compiler checks against `T`: an
 * option of `T` left out, or a name `T` does not have, fails to compile. So the names a
 * function accepts cannot drift from the options it documents.
 */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/** The names of an `OptionNames` record, in the order written (for `checkOptionNames`). */
export function optionNames<T>(names: OptionNames<T>): readonly string[] {
  return Object.keys(names);
}

/**
 * Check that `options` is a plain object (or undefined) whose keys are all in `known`;
 * `owner` names whose options they are, e.g. 'KMeans' or 'VAE.fit'.
 */
export function checkOptionNames(options: unknown, known: readonly string[], owner: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`${owner} options must be an object such as { ${known[0]}: ... }; got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options === 'string' ? `'${options}'` : String(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new Error(`Unknown ${owner} option '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}; known options: ${known.join(', ')}.`);
  }
}

/** The known name nearest to `key` (same letters ignoring case, or at most 2 edits away), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
