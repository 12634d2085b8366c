/**
 * The set-up's escape hatches, as the tests see them. `npm test` first runs scripts/setup.js, which installs
 * every piece the tests need unless SETUP_WITHOUT names it. So a test that finds a piece missing skips when,
 * and only when, SETUP_WITHOUT names that piece; otherwise it fails and says so.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Piece = 'jupyter' | 'chromium' | 'blas' | 'fashion-mnist';

/** The repository root: mocha runs from it, whether the tests were compiled to build/ or elsewhere. */
export function projectRoot(): string {
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'scripts', 'setup.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`scripts/setup.js not found above ${process.cwd()}: run the tests from the repository`);
    dir = up;
  }
  return dir;
}

const setup = require(path.join(projectRoot(), 'scripts', 'setup.js')) as { settingUpWithout(name: Piece): boolean };

/** Whether SETUP_WITHOUT names `piece` (the same rule scripts/setup.js follows). */
export function settingUpWithout(piece: Piece): boolean {
  return setup.settingUpWithout(piece);
}

/** Returns when `present`; skips `ctx` when the set-up goes without `piece`; else throws what is missing and why. */
export function requirePiece(ctx: Mocha.Context, piece: Piece, present: boolean, missing: string): void {
  if (present) return;
  if (settingUpWithout(piece)) ctx.skip();
  throw new Error(`${missing}. \`npm test\` installs it first (scripts/setup.js); set SETUP_WITHOUT=${piece} to go without it and skip this test.`);
}
