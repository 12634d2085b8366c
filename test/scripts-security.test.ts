/**
 * The Jupyter scripts on a shared machine: the runtime folder holding the server's
 * token is private, a token with URL characters works, a server that refuses our token
 * is a failure, and `eval "$(npm run -s kernel -- --env)"` runs nothing from the paths.
 * Each test copies scripts/ into a project folder whose path is hostile, with a fake
 * Jupyter (a Node script standing in for Python) so no real server is needed.
 */
import { expect } from 'chai';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const root = resolve(__dirname, '..', '..');

/** A stand-in for `python -m notebook`: answers /api/status with 200 for the right token (403 otherwise, or always). */
const FAKE_JUPYTER = `#!${process.execPath}
const argv = process.argv.slice(2);
if (argv[0] === '-c') process.exit(0); // "import notebook, jupyter_client" succeeds
const fs = require('fs'), http = require('http'), path = require('path');
const port = Number(argv.find((a) => a.startsWith('--port=')).slice(7));
process.umask(0o022);
const runtime = process.env.JUPYTER_RUNTIME_DIR;
fs.writeFileSync(path.join(runtime, 'nbserver-' + process.pid + '.json'), JSON.stringify({ token: process.env.JUPYTER_TOKEN }), { mode: 0o644 });
fs.writeFileSync(path.join(runtime, 'nbserver-' + process.pid + '-open.html'), process.env.JUPYTER_TOKEN, { mode: 0o644 });
http.createServer((req, res) => {
  const token = new URL(req.url, 'http://x').searchParams.get('token');
  res.writeHead(process.env.FAKE_FORBID === '1' || token !== process.env.JUPYTER_TOKEN ? 403 : 200);
  res.end('{}');
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

function makeProject(parent: string): string {
  const project = join(parent, "proj $(touch PWNED) `touch PWNED2` it's");
  mkdirSync(join(project, 'scripts'), { recursive: true });
  for (const f of ['kernel.js', 'start.js', 'nbextension.js']) copyFileSync(join(root, 'scripts', f), join(project, 'scripts', f));
  // The Notebook 6 Plotly renderer that start.js and kernel.js install: its source and the project's plotly.js.
  mkdirSync(join(project, 'jupyter', 'plotly-renderer'), { recursive: true });
  copyFileSync(join(root, 'jupyter', 'plotly-renderer', 'main.js'), join(project, 'jupyter', 'plotly-renderer', 'main.js'));
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(root, 'node_modules', 'plotly.js-dist-min'), join(project, 'node_modules', 'plotly.js-dist-min'));
  writeFileSync(join(project, 'node_modules', '.bin', 'tslab'), '');
  const fake = join(parent, 'fake-python');
  writeFileSync(fake, FAKE_JUPYTER);
  chmodSync(fake, 0o755);
  return project;
}

function startScript(project: string, env: NodeJS.ProcessEnv): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn(process.execPath, [join(project, 'scripts', 'start.js'), '--no-build', '--port', String(port)], {
    cwd: project, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NB_PYTHON: join(project, '..', 'fake-python'), ...env },
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  return { proc, output: () => out, exited };
}

async function waitFor(what: string, check: () => boolean, exited: Promise<unknown>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  while (!check()) {
    if (gone) throw new Error(`start.js exited before ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scripts: private runtime folder, tokens and shell quoting', function () {
  this.timeout(60000);
  let parent: string;
  let project: string;
  let running: ChildProcess | undefined;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'scripts-sec-'));
    project = makeProject(parent);
  });
  afterEach(() => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
    rmSync(parent, { recursive: true, force: true });
  });

  it('kernel --env output is shell-quoted: eval runs no $(...) or `...` from the project path or JUPYTER_PATH', () => {
    const sandbox = join(parent, 'sandbox');
    mkdirSync(sandbox);
    const inherited = "/opt/x $(touch INHERITED) `touch INHERITED2` 'q' \"d\" \\ $HOME";
    const r = spawnSync('bash', ['-c', 'eval "$(node "$1" --env)" && printf "%s\\n%s" "$JUPYTER_PATH" "$JUPYTER_RUNTIME_DIR"', '_', join(project, 'scripts', 'kernel.js')], {
      cwd: sandbox, encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: inherited },
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(readdirSync(sandbox), 'files created by eval').to.deep.equal([]);
    expect(r.stdout).to.equal(`${join(project, '.jupyter-local', 'share', 'jupyter')}:${inherited}\n${join(project, '.jupyter-local', 'runtime')}`);
  });

  it('creates the runtime folder 0700 and leaves the token files 0600, with a URL-encoded token that works', async () => {
    const token = 'a&b=c #d/é+%25?';
    const s = startScript(project, { JUPYTER_TOKEN: token });
    running = s.proc;
    await waitFor('printing the URL', () => /tree\?token=/.test(s.output()), s.exited, s.output);
    const url = /http:\/\/127\.0\.0\.1:\d+\/tree\?token=\S+/.exec(s.output())![0];
    expect(new URL(url).searchParams.get('token')).to.equal(token);
    const runtime = join(project, '.jupyter-local', 'runtime');
    expect((statSync(runtime).mode & 0o777).toString(8)).to.equal('700');
    const files = readdirSync(runtime);
    expect(files.length).to.equal(2);
    for (const f of files) expect((statSync(join(runtime, f)).mode & 0o777).toString(8), f).to.equal('600');
    s.proc.kill('SIGTERM');
    expect(await s.exited).to.equal(0);
  });

  it('makes an existing runtime folder private again', async () => {
    const runtime = join(project, '.jupyter-local', 'runtime');
    mkdirSync(runtime, { recursive: true, mode: 0o755 });
    chmodSync(runtime, 0o755);
    const s = startScript(project, {});
    running = s.proc;
    await waitFor('printing the URL', () => /tree\?token=/.test(s.output()), s.exited, s.output);
    expect((statSync(runtime).mode & 0o777).toString(8)).to.equal('700');
    s.proc.kill('SIGTERM');
    await s.exited;
  });

  it('exits non-zero, naming the 403, when the server keeps refusing the token', async () => {
    const s = startScript(project, { FAKE_FORBID: '1' });
    running = s.proc;
    const code = await s.exited;
    expect(code, s.output()).to.equal(1);
    expect(s.output()).to.match(/Jupyter answers 403 Forbidden to the token/);
    expect(existsSync(join(parent, 'PWNED'))).to.equal(false);
  });
});
