import { expect } from 'chai';
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requirePiece } from './support/setup-pieces';

// Real Jupyter, real tslab: these tests start kernels (about 2 s each). `npm test` installs Jupyter first
// (scripts/setup.js); SETUP_WITHOUT=jupyter skips them on a machine that cannot have it.

interface KernelModule {
  writeKernelSpec(base?: string): string;
  jupyterEnv(base?: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  findPython(modules: string[]): string | undefined;
  tslabBin(): string;
}

/** The repository root: mocha runs from it, whether the tests were compiled to build/ or elsewhere. */
function projectRoot(): string {
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'scripts', 'kernel.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`scripts/kernel.js not found above ${process.cwd()}: run the tests from the repository`);
    dir = up;
  }
  return dir;
}

const root = projectRoot();
const kernel = require(path.join(root, 'scripts', 'kernel.js')) as KernelModule;

interface Cell { cell_type: string; source: string; id?: string; execution_count?: number | null; metadata: Record<string, unknown>; outputs?: Output[] }
interface Output { output_type: string; name?: string; text?: string | string[] }
interface Notebook { cells: Cell[]; metadata: Record<string, unknown>; nbformat: number; nbformat_minor: number }

/** An nbformat 4.4 notebook without cell ids, as older tools write them. A source starting with `//raises` gets the raises-exception tag. */
function notebook(sources: string[]): Notebook {
  return {
    cells: sources.map((source) => ({
      cell_type: 'code', source, outputs: [], execution_count: null,
      metadata: { ExecuteTime: { end_time: 'volatile' }, ...(source.startsWith('//raises') ? { tags: ['raises-exception'] } : {}) },
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 4,
  };
}

function streamText(cell: Cell, name: string): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? ''))
    .join('');
}

function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

function runNotebooks(args: string[]): { status: number | null; log: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-notebooks.js'), '--no-build', ...args], {
    cwd: root, encoding: 'utf8', timeout: 90_000,
  });
  return { status: r.status, log: `${r.stdout}${r.stderr}` };
}

describe('infra: Jupyter and the tslab kernel', function () {
  this.timeout(120_000);
  let tmp = '';

  before(function () {
    const python = kernel.findPython(['notebook', 'nbclient', 'nbformat', 'jupyter_client']);
    requirePiece(this, 'jupyter', python !== undefined, 'Jupyter is not installed (no Python imports notebook, nbclient, nbformat and jupyter_client)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-test-'));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function writeNotebook(name: string, sources: string[]): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(notebook(sources)));
    return file;
  }

  it('writes a kernelspec that Jupyter resolves to the pinned tslab launcher', () => {
    const base = path.join(tmp, 'jupyter');
    const file = kernel.writeKernelSpec(base);
    const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as { argv: string[]; language: string };
    expect(spec.argv[0]).to.equal(kernel.tslabBin());
    expect(path.isAbsolute(spec.argv[0])).to.equal(true);
    fs.accessSync(spec.argv[0], fs.constants.X_OK);
    expect(spec.argv.slice(1)).to.deep.equal(['kernel', '--config-path', '{connection_file}']);
    expect(spec.language).to.equal('typescript');

    const python = kernel.findPython(['jupyter_client'])!;
    const probe = 'import json; from jupyter_client.kernelspec import KernelSpecManager as K; '
      + 's = K().get_kernel_spec("tslab"); print(json.dumps({"argv": s.argv, "dir": s.resource_dir}))';
    const r = spawnSync(python, ['-c', probe], { env: kernel.jupyterEnv(base), encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    const found = JSON.parse(r.stdout) as { argv: string[]; dir: string };
    expect(found.dir).to.equal(path.dirname(file));
    expect(found.argv).to.deep.equal(spec.argv);
  });

  it('executes a notebook in place, with --quick reaching process.env, and saves normalised outputs', () => {
    const file = writeNotebook('ok.ipynb', [
      'const greeting = "hello " + (40 + 2);',
      'console.log(greeting)',
      'console.log("quick=" + (process.env.NB_QUICK ?? "unset"))',
      '//raises\nthrow new Error("an error the tutorial shows on purpose")',
      'console.log("still running")',
    ]);
    const { status, log } = runNotebooks(['--quick', file]);
    expect(status, log).to.equal(0);
    expect(log).to.match(/ok .*ok\.ipynb in \d+\.\d s/);
    const nb = readNotebook(file);
    expect(streamText(nb.cells[0], 'stdout')).to.equal('');
    expect(streamText(nb.cells[1], 'stdout')).to.equal('hello 42\n');
    expect(streamText(nb.cells[2], 'stdout')).to.equal('quick=1\n');
    expect(streamText(nb.cells[3], 'stderr')).to.include('an error the tutorial shows on purpose');
    expect(streamText(nb.cells[4], 'stdout')).to.equal('still running\n');
    expect(nb.nbformat_minor).to.be.at.least(5);
    const ids = nb.cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === 'string' && /^[\w-]{1,64}$/.test(id))).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(nb.cells.map((c) => c.metadata)).to.deep.equal([{}, {}, {}, { tags: ['raises-exception'] }, {}]);
    expect((nb.metadata.kernelspec as { name: string }).name).to.equal('tslab');
  });

  it('fails on a throwing cell, names it, and keeps the partial notebook out of the checkout', () => {
    const file = writeNotebook('throws.ipynb', [
      'const a = 1;',
      'throw new Error("deliberate failure 7391")',
      'console.log("never printed")',
    ]);
    const before = fs.readFileSync(file, 'utf8');
    const out = path.join(tmp, 'out-throws');
    const { status, log } = runNotebooks(['--out', out, file]);
    expect(status, log).to.equal(1);
    expect(log).to.match(/throws\.ipynb, cell 1 \(/);
    expect(log).to.include('deliberate failure 7391');
    expect(log).to.include('| throw new Error("deliberate failure 7391")');
    expect(fs.readFileSync(file, 'utf8')).to.equal(before);
    expect(fs.existsSync(path.join(out, 'throws.ipynb'))).to.equal(false);
    const partial = readNotebook(path.join(out, 'throws.failed.ipynb'));
    expect(streamText(partial.cells[1], 'stderr')).to.include('Error: deliberate failure 7391');
    expect(partial.cells[2].outputs).to.deep.equal([]);
  });

  it('fails on a TypeScript compile error, and on a raises-exception cell that does not raise', () => {
    const file = writeNotebook('types.ipynb', ['let ok = 1;', 'const n: number = "text";']);
    const tagged = writeNotebook('tagged.ipynb', ['//raises\nconst fine = 1;']);
    const { status, log } = runNotebooks(['--out', path.join(tmp, 'out-types'), file, tagged]);
    expect(status, log).to.equal(1);
    expect(log).to.match(/types\.ipynb, cell 1 \(/);
    expect(log).to.include("Type 'string' is not assignable to type 'number'.");
    expect(log).to.match(/tagged\.ipynb, cell 0 \(.*tagged 'raises-exception' but ran without an error/);
  });

  it('fails on errors thrown from timers and promises, which tslab reports with status ok', () => {
    const during = writeNotebook('during.ipynb', [
      'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
      'setTimeout(() => { throw new Error("timer failure 5521"); }, 10); await sleep(300);',
    ]);
    // Fires after the last cell, or between cells where tslab's own message gets lost.
    const after = writeNotebook('after.ipynb', ['Promise.reject(new Error("rejection 8817")); "not awaited"']);
    const { status, log } = runNotebooks(['--out', path.join(tmp, 'out-async'), during, after]);
    expect(status, log).to.equal(1);
    expect(log).to.match(/during\.ipynb, cell 1 \(.*uncaught exception/);
    expect(log).to.include('timer failure 5521');
    expect(log).to.match(/after\.ipynb, end of notebook /);
    expect(log).to.include('UnhandledPromiseRejection: Error: rejection 8817');
    expect(log).to.match(/FAIL .*during\.ipynb\n.*FAIL .*after\.ipynb/);
  });

  it('detects cells that tslab silently drops after an error, and --keep-going waits them out', () => {
    const file = writeNotebook('drop.ipynb', ['throw new Error("first")', 'console.log("second")']);
    const dropped = runNotebooks(['--keep-going', '--no-error-wait', '--out', path.join(tmp, 'out-drop-now'), file]);
    expect(dropped.status, dropped.log).to.equal(1);
    expect(dropped.log).to.match(/drop\.ipynb, cell 1 \(.*dropped this cell/);
    expect(readNotebook(path.join(tmp, 'out-drop-now', 'drop.failed.ipynb')).cells[1].outputs).to.deep.equal([]);

    const waited = runNotebooks(['--keep-going', '--out', path.join(tmp, 'out-drop-wait'), file]);
    expect(waited.status, waited.log).to.equal(1);
    expect(waited.log).to.not.match(/cell 1 \(/);
    const nb = readNotebook(path.join(tmp, 'out-drop-wait', 'drop.failed.ipynb'));
    expect(streamText(nb.cells[1], 'stdout')).to.equal('second\n');
  });

  it('says how to install Jupyter when it is missing', () => {
    for (const script of ['start.js', 'run-notebooks.js']) {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), '--no-build'], {
        cwd: root, encoding: 'utf8', env: { ...process.env, NB_PYTHON: path.join(tmp, 'no-such-python') },
      });
      expect(r.status, script).to.equal(1);
      expect(r.stderr, script).to.include('pip install notebook nbclient nbconvert');
    }
  });

  describe('npm start', () => {
    let server: ChildProcess | undefined;

    after(() => {
      if (server && server.exitCode === null) server.kill('SIGKILL');
    });

    it('serves notebooks/ on 127.0.0.1 with the tslab kernel and stops on SIGTERM', async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      server = spawn(process.execPath, [path.join(root, 'scripts', 'start.js'), '--no-build', '--port', String(port)], {
        cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      });
      const proc = server;
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      let log = '';
      proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${out}\n${log}`)), 30_000);
        proc.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)tree\?token=([0-9a-f]+)/.exec(out);
          if (m) { clearTimeout(timer); resolve(m[0]); }
        });
        proc.on('exit', () => reject(new Error(`npm start exited early:\n${out}\n${log}`)));
      });
      const { origin } = new URL(url);
      const token = new URL(url).searchParams.get('token')!;
      expect(origin.startsWith('http://127.0.0.1:')).to.equal(true);

      const specs = await (await fetch(`${origin}/api/kernelspecs?token=${token}`)).json() as {
        default: string; kernelspecs: Record<string, { spec: { argv: string[] } }>;
      };
      expect(specs.default).to.equal('tslab');
      expect(specs.kernelspecs.tslab.spec.argv[0]).to.equal(kernel.tslabBin());
      expect((await fetch(`${origin}/api/kernelspecs`)).status, 'no token must be refused').to.equal(403);

      const started = await fetch(`${origin}/api/kernels?token=${token}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'tslab' }),
      });
      expect(started.status).to.equal(201);

      proc.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(log).to.match(/Shutting down 1 kernel/);
      let stillUp = true;
      try { await fetch(`${origin}/api/status?token=${token}`); } catch { stillUp = false; }
      expect(stillUp, 'Jupyter still answers after npm start stopped').to.equal(false);
    });
  });
});
