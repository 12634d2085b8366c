/**
 * Saving and loading VAE weights in the tfjs layout (model.json + weights.bin) with the
 * file system, through tf.io's in-memory handlers: without tfjs-node there is no file://
 * handler, so the bytes are written and read here.
 */
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, resolve, sep } from 'path';
import { makeDirs } from '../files';
import { ResolvedVAEOptions, resolveOptions } from './model';
import type * as TfModule from '@tensorflow/tfjs';
import type { Params } from './model';
import type { Tf, Tensor } from './tf';

export const MODEL_FORMAT = 'gmm-vae-notebooks/vae-mlp';

/** What model.json carries besides the weights. */
export interface SavedMetadata {
  vaeOptions: ResolvedVAEOptions;
  epochsTrained: number;
  [key: string]: unknown;
}

interface ModelJson {
  format: string;
  generatedBy: string;
  convertedBy: null;
  modelTopology: unknown;
  weightsManifest: TfModule.io.WeightsManifestConfig;
  userDefinedMetadata: SavedMetadata;
}

export async function saveWeights(tf: Tf, dir: string, weights: Map<string, Tensor>, metadata: SavedMetadata): Promise<void> {
  const named = [...weights].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const artifacts: TfModule.io.ModelArtifacts = {
    format: MODEL_FORMAT,
    generatedBy: `TensorFlow.js v${tf.version_core}`,
    convertedBy: null,
    modelTopology: topology(metadata.vaeOptions),
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: metadata as unknown as { [key: string]: {} },
  };
  const handler = tf.io.withSaveHandler(async (a) => {
    const json: ModelJson = {
      format: a.format!,
      generatedBy: a.generatedBy!,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs! }],
      userDefinedMetadata: a.userDefinedMetadata as unknown as SavedMetadata,
    };
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    writeAtomically(dir, bytes, modelJsonText(json));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        weightDataBytes: bytes.byteLength,
        weightSpecsBytes: JSON.stringify(a.weightSpecs).length,
      },
    };
  });
  await handler.save!(artifacts);
}

/** model.json's text; metadata that JSON cannot hold is an error before any file is touched. */
function modelJsonText(json: ModelJson): string {
  try {
    return JSON.stringify(json, null, 1) + '\n';
  } catch (err) {
    throw new Error(`VAE.save: metadata cannot be saved as JSON (${(err as Error).message.split('\n')[0]}); pass plain numbers, strings, arrays and objects.`);
  }
}

/**
 * Both files to temporary names in `dir`, then renamed over the old ones: a failure part-way
 * leaves the previous model.json and weights.bin as they were, never one model's weights
 * under another's model.json.
 */
function writeAtomically(dir: string, weights: Uint8Array, modelJson: string): void {
  makeDirs(dir, 'VAE.save');
  const tag = `.tmp-${process.pid}-${Date.now()}`;
  const tmpBin = join(dir, `weights.bin${tag}`), tmpJson = join(dir, `model.json${tag}`);
  try {
    writeFileSync(tmpBin, weights);
    writeFileSync(tmpJson, modelJson);
    if (statSync(tmpBin).size !== weights.byteLength) throw new Error(`VAE.save: ${tmpBin} was written short (disk full?).`);
    renameSync(tmpBin, join(dir, 'weights.bin'));
    renameSync(tmpJson, join(dir, 'model.json'));
  } finally {
    rmSync(tmpBin, { force: true });
    rmSync(tmpJson, { force: true });
  }
}

/** A readable description of the layers, for people opening model.json. */
function topology(o: ResolvedVAEOptions): object {
  return {
    className: 'VAE',
    encoder: [...o.hiddenUnits.map((u) => `dense ${u} relu`), `mean ${o.latentDim}`, `logVar ${o.latentDim}`],
    decoder: [...[...o.hiddenUnits].reverse().map((u) => `dense ${u} relu`), `output ${o.inputDim} logits (Bernoulli)`],
  };
}

/**
 * Read model.json + weights.bin; weights are returned as tensors (caller disposes). The
 * whole manifest is checked against the options it declares before anything is allocated,
 * and only a plain file inside `dir` is read.
 */
export async function loadWeights(tf: Tf, dir: string): Promise<{ metadata: SavedMetadata; options: ResolvedVAEOptions; weights: Map<string, Tensor> }> {
  if (typeof dir !== 'string' || !existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`VAE.load: ${dir} is not a directory.`);
  const modelPath = join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`VAE.load: no model.json in ${dir}.`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(modelPath, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`VAE.load: ${modelPath} is not valid JSON (${(err as Error).message}).`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`VAE.load: ${modelPath} must hold a JSON object; got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}.`);
  }
  if (json.format !== MODEL_FORMAT) {
    throw new Error(`VAE.load: ${modelPath} has format ${JSON.stringify(json.format)}; expected '${MODEL_FORMAT}'.`);
  }
  const metadata = json.userDefinedMetadata;
  if (metadata === null || typeof metadata !== 'object' || metadata.vaeOptions === undefined) {
    throw new Error(`VAE.load: ${modelPath} lacks userDefinedMetadata.vaeOptions.`);
  }
  const options = resolveOptions(metadata.vaeOptions);
  const group = Array.isArray(json.weightsManifest) && json.weightsManifest.length === 1 ? json.weightsManifest[0] : undefined;
  if (group === null || typeof group !== 'object' || !Array.isArray(group.paths) || group.paths.length !== 1 || !Array.isArray(group.weights)) {
    throw new Error(`VAE.load: ${modelPath} must list exactly one weights file (weightsManifest: [{ paths: ['weights.bin'], weights: [...] }]).`);
  }
  const specs = checkSpecs(group.weights, modelPath);
  checkAgainstOptions(specs, options, dir);
  const binPath = insideFolder(dir, group.paths[0], modelPath);
  if (!existsSync(binPath)) throw new Error(`VAE.load: missing weights file ${binPath}.`);
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  const size = statSync(binPath).size;
  if (size !== expected) {
    throw new Error(
      `VAE.load: ${binPath} has ${size} bytes but model.json describes ${expected}` +
        ` (${size < expected ? 'truncated' : 'too long'}; the file is corrupt or belongs to another model).`,
    );
  }
  const bytes = readFileSync(binPath);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const artifacts = await tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: buffer }).load!();
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  return { metadata, options, weights: new Map(Object.entries(tensors)) };
}

/** Each spec a { name, shape, dtype: 'float32' } with a new name and a shape of integers. */
function checkSpecs(weights: unknown[], modelPath: string): TfModule.io.WeightsManifestEntry[] {
  const seen = new Set<string>();
  return weights.map((spec, i) => {
    const where = `VAE.load: ${modelPath}: weightsManifest[0].weights[${i}]`;
    if (spec === null || typeof spec !== 'object') throw new Error(`${where} must be an object { name, shape, dtype }; got ${spec === null ? 'null' : typeof spec}.`);
    const { name, shape, dtype } = spec as TfModule.io.WeightsManifestEntry;
    if (typeof name !== 'string') throw new Error(`${where}.name must be a string; got ${typeof name}.`);
    if (seen.has(name)) throw new Error(`VAE.load: ${modelPath} lists weight '${name}' twice.`);
    seen.add(name);
    if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      throw new Error(`${where}.shape must be an array of non-negative integers; got ${JSON.stringify(shape)}.`);
    }
    if (dtype !== 'float32') throw new Error(`VAE.load: ${modelPath} lists non-float32 weights ('${name}' is ${String(dtype)}).`);
    return spec as TfModule.io.WeightsManifestEntry;
  });
}

/** The weights the options need, by name and shape, as createNetworks makes them. */
function expectedShapes(o: ResolvedVAEOptions): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const dense = (name: string, inDim: number, outDim: number) => {
    shapes.set(`${name}/kernel`, [inDim, outDim]);
    shapes.set(`${name}/bias`, [outDim]);
  };
  let inDim = o.inputDim;
  o.hiddenUnits.forEach((units, i) => { dense(`encoder/dense${i}`, inDim, units); inDim = units; });
  dense('encoder/mean', inDim, o.latentDim);
  dense('encoder/logVar', inDim, o.latentDim);
  inDim = o.latentDim;
  [...o.hiddenUnits].reverse().forEach((units, i) => { dense(`decoder/dense${i}`, inDim, units); inDim = units; });
  dense('decoder/output', inDim, o.inputDim);
  return shapes;
}

/** Absurd options (hiddenUnits [2**31]) are caught here, by comparison, before any network exists. */
function checkAgainstOptions(specs: TfModule.io.WeightsManifestEntry[], o: ResolvedVAEOptions, dir: string): void {
  const expected = expectedShapes(o);
  for (const s of specs) {
    const need = expected.get(s.name);
    if (need === undefined) throw new Error(`VAE.load: ${dir} has an unexpected weight '${s.name}' for a model with these options.`);
    if (need.join() !== s.shape.join()) {
      throw new Error(`VAE.load: weight '${s.name}' has shape [${s.shape}] in ${dir}, but the model options need [${need}].`);
    }
  }
  for (const name of expected.keys()) {
    if (!specs.some((s) => s.name === name)) throw new Error(`VAE.load: ${dir} lacks weight '${name}'.`);
  }
}

/** The weights file's path: a plain file name, resolving (symbolic links too) inside `dir`. */
function insideFolder(dir: string, name: unknown, modelPath: string): string {
  const plain = typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name);
  const outside = () => new Error(
    `VAE.load: ${modelPath} names weights file ${JSON.stringify(name)}, outside the model folder; only a plain file name such as 'weights.bin' is allowed.`,
  );
  if (!plain) throw outside();
  const path = join(dir, name);
  if (existsSync(path) && !(realpathSync(path).startsWith(realpathSync(dir) + sep))) throw outside();
  return path;
}

/** Where the shipped weights are: weights/vae-mnist-mlp at the package root. */
export function pretrainedDir(): string {
  // dist/vae/io.js → ../../weights; searching upwards also covers other build folders.
  let dir = __dirname;
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'weights', 'vae-mnist-mlp');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    dir = dirname(dir);
  }
  const fromCwd = resolve('weights', 'vae-mnist-mlp');
  if (existsSync(join(fromCwd, 'model.json'))) return fromCwd;
  throw new Error(`VAE.pretrained: no weights/vae-mnist-mlp/model.json found above ${__dirname}; run \`npm run train:vae\` to create them.`);
}

/** Check loaded weights against the model's parameters (names, shapes, finite values), then assign them. */
export function assignWeights(tf: Tf, params: Params, weights: Map<string, Tensor>, dir: string): void {
  for (const name of weights.keys()) {
    if (!params.has(name)) throw new Error(`VAE.load: ${dir} has an unexpected weight '${name}' for a model with these options.`);
  }
  for (const [name, variable] of params) {
    const w = weights.get(name);
    if (w === undefined) throw new Error(`VAE.load: ${dir} lacks weight '${name}'.`);
    if (w.shape.join() !== variable.shape.join()) {
      throw new Error(`VAE.load: weight '${name}' has shape [${w.shape}] in ${dir}, but the model options need [${variable.shape}].`);
    }
    const finite = tf.tidy(() => tf.all(tf.isFinite(w)).dataSync()[0]);
    if (!finite) throw new Error(`VAE.load: weight '${name}' in ${dir} contains NaN or infinite values (corrupt weights.bin?).`);
  }
  for (const [name, variable] of params) variable.assign(weights.get(name)!);
}
