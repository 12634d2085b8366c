import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The project-local install of the Notebook 6 Plotly renderer (scripts/nbextension.js). That it renders in a
// browser is checked by `npm run test:browser`; this checks what lands on disk.

interface NbextensionModule {
  installPlotlyRenderer(base?: string): string;
  EXTENSION_KEY: string;
}

const root = path.resolve(__dirname, '..', '..');
const { installPlotlyRenderer, EXTENSION_KEY } = require(path.join(root, 'scripts', 'nbextension.js')) as NbextensionModule;

describe('Notebook 6 Plotly renderer install (scripts/nbextension.js)', () => {
  let base: string;
  beforeEach(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'nbext-')); });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const configFile = (): string => path.join(base, 'config', 'nbconfig', 'notebook.json');

  it('copies the extension and the project\'s own plotly.js under the data folder and enables it', () => {
    const dir = installPlotlyRenderer(base);
    expect(dir).to.equal(path.join(base, 'share', 'jupyter', 'nbextensions', 'plotly-renderer'));
    expect(fs.readFileSync(path.join(dir, 'main.js'))).to.deep.equal(fs.readFileSync(path.join(root, 'jupyter', 'plotly-renderer', 'main.js')));
    const plotly = require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [root] });
    expect(fs.readFileSync(path.join(dir, 'plotly.min.js'))).to.deep.equal(fs.readFileSync(plotly));
    expect(EXTENSION_KEY).to.equal('plotly-renderer/main');
    expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).to.deep.equal({ load_extensions: { 'plotly-renderer/main': true } });
  });

  it('keeps other settings of an existing notebook.json, and re-enables a disabled renderer', () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ load_extensions: { 'other/main': true, 'plotly-renderer/main': false }, Cell: { x: 1 } }));
    installPlotlyRenderer(base);
    expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).to.deep.equal({
      load_extensions: { 'other/main': true, 'plotly-renderer/main': true }, Cell: { x: 1 },
    });
  });

  it('names a broken notebook.json instead of overwriting it', () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), '{ not json');
    expect(() => installPlotlyRenderer(base)).to.throw(/notebook\.json is not valid JSON .*fix or delete it/);
    expect(fs.readFileSync(configFile(), 'utf8')).to.equal('{ not json');
  });

  it('registers the Plotly MIME type as safe and ahead of image/png (source check of the extension)', () => {
    const src = fs.readFileSync(path.join(root, 'jupyter', 'plotly-renderer', 'main.js'), 'utf8');
    expect(src).to.contain("var MIME = 'application/vnd.plotly.v1+json';");
    expect(src).to.match(/register_mime_type\(MIME, appendPlotly, \{ safe: true, index: 0 \}\)/);
    expect(src).to.not.match(/https?:\/\//); // no CDN: plotly.js comes from next to the extension
  });
});
