/**
 * Saving and loading VAE weights in the tfjs layout (model.json + weights.bin) with the
 * file system, through tf.io's in-memory handlers: without tfjs-node there is no file://
 * handler, so the bytes are written and read here.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import type * as TfModule from '@tensorflow/tfjs';
import type { Params, ResolvedVAEOptions } from './model';
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
    mkdirSync(dir, { recursive: true });
    const json: ModelJson = {
      format: a.format!,
      generatedBy: a.generatedBy!,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs! }],
      userDefinedMetadata: a.userDefinedMetadata as unknown as SavedMetadata,
    };
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    writeFileSync(join(dir, 'weights.bin'), bytes);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json, null, 1) + '\n');
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

/** A readable description of the layers, for people opening model.json. */
function topology(o: ResolvedVAEOptions): object {
  return {
    className: 'VAE',
    encoder: [...o.hiddenUnits.map((u) => `dense ${u} relu`), `mean ${o.latentDim}`, `logVar ${o.latentDim}`],
    decoder: [...[...o.hiddenUnits].reverse().map((u) => `dense ${u} relu`), `output ${o.inputDim} logits (Bernoulli)`],
  };
}

/** Read model.json + weights.bin; weights are returned as tensors (caller disposes). */
export async function loadWeights(tf: Tf, dir: string): Promise<{ metadata: SavedMetadata; weights: Map<string, Tensor> }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`VAE.load: ${dir} is not a directory.`);
  const modelPath = join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`VAE.load: no model.json in ${dir}.`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(modelPath, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`VAE.load: ${modelPath} is not valid JSON (${(err as Error).message}).`);
  }
  if (json.format !== MODEL_FORMAT) {
    throw new Error(`VAE.load: ${modelPath} has format ${JSON.stringify(json.format)}; expected '${MODEL_FORMAT}'.`);
  }
  const metadata = json.userDefinedMetadata;
  if (metadata?.vaeOptions === undefined) throw new Error(`VAE.load: ${modelPath} lacks userDefinedMetadata.vaeOptions.`);
  const group = json.weightsManifest?.[0];
  if (json.weightsManifest?.length !== 1 || group.paths.length !== 1) {
    throw new Error(`VAE.load: ${modelPath} must list exactly one weights file.`);
  }
  const specs = group.weights;
  const binPath = join(dir, group.paths[0]);
  if (!existsSync(binPath)) throw new Error(`VAE.load: missing weights file ${binPath}.`);
  const bytes = readFileSync(binPath);
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (specs.some((s) => s.dtype !== 'float32')) throw new Error(`VAE.load: ${modelPath} lists non-float32 weights.`);
  if (bytes.byteLength !== expected) {
    throw new Error(
      `VAE.load: ${binPath} has ${bytes.byteLength} bytes but model.json describes ${expected}` +
        ` (${bytes.byteLength < expected ? 'truncated' : 'too long'}; the file is corrupt or belongs to another model).`,
    );
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const artifacts = await tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: buffer }).load!();
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  return { metadata, weights: new Map(Object.entries(tensors)) };
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
