/**
 * src/ has no import cycles, type-only imports included: each module can be read (and
 * loaded) after the ones it imports. A walk over the import graph of src/**\/*.ts.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative, resolve } from 'path';

const SRC = resolve(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The src files `file` imports: import/export ... from, import(), require(), of relative paths. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)].map((m) => m[1]);
  return specifiers.map((s) => {
    const base = resolve(dirname(file), s);
    const found = [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
    if (found === undefined) throw new Error(`${relative(SRC, file)} imports '${s}', which resolves to no .ts file`);
    return found;
  });
}

/** Every cycle found by a depth-first walk, as the chain of files (relative to `root`) that closes it. */
export function importCycles(root: string): string[][] {
  const files = sourceFiles(root);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)));
      return;
    }
    state.set(file, 'open');
    for (const next of importsOf(file)) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  return cycles;
}

describe('src/ import graph', () => {
  it('finds a cycle closed by a type-only import, and reads src/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './sub';\nexport const a = b;\n");
      writeFileSync(join(dir, 'c.ts'), 'export const c = 1;\n');
      writeFileSync(join(dir, 'sub.ts'), "import type { A } from './a';\nexport { c as b } from './c';\n");
      expect(importCycles(dir)).to.deep.equal([['a.ts', 'sub.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(importsOf(join(SRC, 'index.ts'))).to.include(join(SRC, 'mixture', 'index.ts'));
  });

  it('has no import cycles, type-only imports included', () => {
    expect(importCycles(SRC)).to.deep.equal([]);
  });
});
