/**
 * Creating folders without Node's recursive mkdirSync, which on some paths that cannot
 * be made (under /proc, for one) spins forever instead of failing. Walking up to the
 * first existing ancestor and creating each missing level with a plain mkdirSync fails
 * in bounded time, with the level that could not be made named.
 */
import { mkdirSync, statSync } from 'fs';
import { dirname, resolve } from 'path';

/**
 * Make folder `dir` and any missing parents (like `mkdir -p`); returns its absolute path.
 * `mode` applies to the folders this creates (e.g. 0o700 for private ones).
 * `what` names the caller in errors.
 */
export function makeDirs(dir: string, what: string, mode?: number): string {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'directory') break;
    if (kind === 'other') throw new Error(`${what}: cannot create ${target}: ${at} exists and is not a folder.`);
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break; // a root that does not exist (a missing drive)
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, mode === undefined ? undefined : { mode });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST' && kindOf(level) === 'directory') continue; // made meanwhile
      throw new Error(`${what}: cannot create folder ${level} (${e.code ?? e.message}); choose a path in a folder you can write to.`);
    }
  }
  return target;
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
