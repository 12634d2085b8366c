import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from './support/setup-pieces';

interface Missing { piece: { name: string }; packages: string[] }
interface SetupModule {
  PIECES: { name: string; apt: string[] }[];
  piecesWithout(value?: string): Set<string>;
  npmStale(root?: string): string | undefined;
  aptCommand(missing: Missing[]): string;
  manualInstructions(missing: Missing[]): string;
}

const root = projectRoot();
const script = path.join(root, 'scripts', 'setup.js');
const setup = require(script) as SetupModule;
const everything = (): Missing[] => setup.PIECES.map((piece) => ({ piece, packages: piece.apt }));

describe('setup (scripts/setup.js)', function () {
  this.timeout(60_000);

  it('reads SETUP_WITHOUT as piece names, comma or space separated, and rejects others by name', () => {
    expect([...setup.piecesWithout(' chromium, blas  fashion-mnist')]).to.deep.equal(['chromium', 'blas', 'fashion-mnist']);
    expect([...setup.piecesWithout('')]).to.deep.equal([]);
    expect(() => setup.piecesWithout('chromium,chrome')).to.throw('SETUP_WITHOUT names "chrome"; the pieces are jupyter, chromium, blas, fashion-mnist.');
  });

  describe('npm dependencies', () => {
    let dir = '';
    const lock = (packages: Record<string, object>) => JSON.stringify({ lockfileVersion: 3, packages });
    const write = (file: string, text: string, mtime: number) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      fs.utimesSync(file, mtime, mtime);
    };
    const state = (lockPackages: Record<string, object>, installed: Record<string, object> | undefined, installedFirst: boolean) => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-test-'));
      const [lockTime, installTime] = installedFirst ? [2000, 1000] : [1000, 2000];
      write(path.join(dir, 'package-lock.json'), lock({ '': { name: 'x' }, ...lockPackages }), lockTime);
      if (installed) write(path.join(dir, 'node_modules', '.package-lock.json'), lock(installed), installTime);
      return setup.npmStale(dir);
    };
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const a1 = { 'node_modules/a': { version: '1.0.0' } };
    const optional = { 'node_modules/nblas': { version: '2.1.13', optional: true } };

    it('installs when node_modules is missing', () => {
      expect(state(a1, undefined, false)).to.equal('node_modules is missing');
    });
    it('does nothing when npm installed after the lockfile was written', () => {
      expect(state(a1, { 'node_modules/a': { version: '0.9.0' } }, false)).to.equal(undefined);
    });
    it('compares versions when the lockfile is newer: a touched lockfile alone does not reinstall', () => {
      expect(state({ ...a1, ...optional }, a1, true), 'a failed optional package is not a difference').to.equal(undefined);
      expect(state(a1, { 'node_modules/a': { version: '0.9.0' } }, true)).to.equal('node_modules is older than package-lock.json');
      expect(state({ ...a1, 'node_modules/b': { version: '1.0.0' } }, a1, true)).to.equal('node_modules is older than package-lock.json');
      expect(state(a1, { ...a1, 'node_modules/c': { version: '1.0.0' } }, true)).to.equal('node_modules is older than package-lock.json');
    });
  });

  it('tells people with apt the one command, and people without apt what to install', () => {
    expect(setup.aptCommand(everything())).to.equal('sudo apt-get update && sudo apt-get install -y --no-install-recommends '
      + 'jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client chromium libopenblas-dev build-essential dataset-fashion-mnist');
    const manual = setup.manualInstructions(everything());
    for (const part of ['pip install notebook nbclient nbconvert', 'CHROMIUM_PATH', 'OpenBLAS', 'SETUP_WITHOUT=jupyter,chromium,blas,fashion-mnist']) {
      expect(manual).to.include(part);
    }
  });

  it('has nothing to do on a machine that has everything (npm test ran it first), and says nothing', () => {
    const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).to.deep.equal({ status: 0, stdout: '', stderr: '' });
  });

  it('stops on a misspelt SETUP_WITHOUT with one line, no stack trace', () => {
    const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', env: { ...process.env, SETUP_WITHOUT: 'chrome' } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('setup: SETUP_WITHOUT names "chrome"; the pieces are jupyter, chromium, blas, fashion-mnist.\n');
  });
});
