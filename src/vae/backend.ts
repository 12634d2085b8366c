/**
 * Choosing and starting the TensorFlow.js backend, lazily.
 *
 * Order of preference: 'tensorflow' (native, from the optional @tensorflow/tfjs-node),
 * then 'wasm' (SIMD, with the fast path's kernel patches, ./fast), then plain 'cpu'.
 * Nothing is loaded until `initBackend` (or an async VAE entry point) runs, so importing
 * the library stays cheap.
 */
import { availableThreads } from '../parallel/pool';
import { installWasmKernels, matrixProductInfo, MatrixProductInfo, setNativeBlas } from './fast';
import { loadTf, Tf } from './tf';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /** This backend or an error saying why it is unavailable; default: the best available. */
  backend?: BackendName;
  /**
   * Let the fast training path compute matrix products with native BLAS (the optional
   * `nblas`) on the wasm backend (default true). VAE_NATIVE_BLAS=0 in the environment makes
   * the default false, e.g. to reproduce a pure-wasm training run bit for bit.
   */
  nativeBlas?: boolean;
}

/** What `backendInfo()` reports. */
export interface BackendInfo extends MatrixProductInfo {
  backend: BackendName | 'uninitialised';
  /** Why each backend preferred to the one in use was skipped. */
  skipped: Record<string, string>;
  /** Threads KMeans and GaussianMixture use for their passes by default (their `nJobs`). */
  workerThreads: number;
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let active: BackendName | undefined;
let pending: Promise<BackendName> | undefined;
/** Why preferred backends were skipped, for `backendInfo()`. */
const skipped: Record<string, string> = {};

/**
 * The backend in use: 'tensorflow', 'wasm' or 'cpu' once `initBackend` has run, else
 * 'uninitialised'. Also reports a backend someone else switched tfjs to afterwards.
 */
export function backend(): BackendName | 'uninitialised' {
  if (active === undefined) return 'uninitialised';
  return loadTf().getBackend() as BackendName;
}

/**
 * The library's diagnostics in one place: the tfjs backend in use, why the ones preferred to
 * it were skipped, how matrix products run (native BLAS or wasm, and why) and on how many
 * threads, and how many threads the K-Means and EM passes use by default.
 */
export function backendInfo(): BackendInfo {
  const name = backend();
  return { backend: name, skipped: { ...skipped }, workerThreads: availableThreads(), ...matrixProductInfo(name) };
}

/**
 * Start a tfjs backend and return its name. Without a backend named, the best available one
 * is used ('tensorflow' → 'wasm' → 'cpu'); with one (`initBackend('wasm')` or
 * `initBackend({ backend: 'wasm' })`), that one or an error saying why it is unavailable.
 * Calling it again without a backend keeps the current one.
 */
export async function initBackend(options: BackendName | InitBackendOptions = {}): Promise<BackendName> {
  const { backend: preferred, nativeBlas } = typeof options === 'string' ? { backend: options, nativeBlas: undefined } : checkOptions(options);
  if (preferred !== undefined && !ORDER.includes(preferred)) {
    throw new Error(`initBackend: unknown backend '${String(preferred)}'; expected one of ${ORDER.join(', ')}.`);
  }
  if (nativeBlas !== undefined) setNativeBlas(nativeBlas);
  if (pending !== undefined) await pending.catch(() => undefined);
  if (active !== undefined && (preferred === undefined || preferred === backend())) return backend() as BackendName;
  pending = start(preferred);
  try {
    active = await pending;
    return active;
  } finally {
    pending = undefined;
  }
}

/** Start the best backend unless one is already running. Used by the async VAE entry points. */
export async function ensureBackend(): Promise<Tf> {
  if (active === undefined) await initBackend();
  return loadTf();
}

/**
 * tfjs for the synchronous VAE methods: they need a started backend, because starting
 * wasm is asynchronous.
 */
export function requireBackend(what: string): Tf {
  if (active === undefined) {
    throw new Error(`${what} needs a started tfjs backend: call \`await initBackend()\` first (or create the model with \`await VAE.create(...)\`, \`await VAE.load(...)\`, \`await VAE.pretrained()\`).`);
  }
  return loadTf();
}

async function start(preferred?: BackendName): Promise<BackendName> {
  const candidates = preferred === undefined ? ORDER : [preferred];
  for (const name of candidates) {
    const reason = await tryStart(name);
    if (reason === undefined) return name;
    skipped[name] = reason;
    if (preferred !== undefined) throw new Error(`initBackend: backend '${name}' is unavailable: ${reason}`);
  }
  throw new Error(`initBackend: no tfjs backend could start (${JSON.stringify(skipped)}).`);
}

/** Start one backend; undefined on success, else the reason it could not start. */
async function tryStart(name: BackendName): Promise<string | undefined> {
  const tf = loadTf();
  try {
    if (name === 'tensorflow') {
      // Optional dependency: absent when its native download failed at install time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-backend-wasm');
      // Before setBackend, so the patched kernels' setupFunc runs when wasm starts.
      installWasmKernels();
    }
    if (tf.findBackendFactory(name) === null) return `no '${name}' backend is registered`;
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    if (name === 'cpu') silenceCpuAdvice(tf);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

function checkOptions(options: InitBackendOptions): InitBackendOptions {
  if (options === null || typeof options !== 'object') {
    throw new Error(`initBackend: expected a backend name or an options object { backend?, nativeBlas? }; got ${String(options)}.`);
  }
  if (options.nativeBlas !== undefined && typeof options.nativeBlas !== 'boolean') {
    throw new Error(`initBackend: nativeBlas must be true or false; got ${String(options.nativeBlas)}.`);
  }
  return options;
}

/**
 * The cpu backend prints "install our node backend" on first use; tfjs-node is already
 * tried first (and cannot install offline), so the advice is noise in notebooks.
 */
function silenceCpuAdvice(tf: Tf): void {
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof b.firstUse === 'boolean') b.firstUse = false;
}
