/**
 * Choosing and starting the TensorFlow.js backend, lazily.
 *
 * Order of preference: 'tensorflow' (native, from the optional @tensorflow/tfjs-node),
 * then 'wasm' (SIMD, with the transposed-matmul fix of ./wasm-matmul), then plain 'cpu'.
 * Nothing is loaded until `initBackend` (or an async VAE entry point) runs, so importing
 * the library stays cheap.
 */
import { loadTf, Tf } from './tf';
import { patchWasmMatMul } from './wasm-matmul';
import { patchWasmShare } from './wasm-share';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

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

/** The backend in use and why the ones preferred to it were skipped. */
export function backendInfo(): { backend: BackendName | 'uninitialised'; skipped: Record<string, string> } {
  return { backend: backend(), skipped: { ...skipped } };
}

/**
 * Start a tfjs backend and return its name. Without `preferred`, the best available one
 * is used ('tensorflow' → 'wasm' → 'cpu'); with `preferred`, that one or an error saying
 * why it is unavailable. Calling it again without `preferred` keeps the current backend.
 */
export async function initBackend(preferred?: BackendName): Promise<BackendName> {
  if (preferred !== undefined && !ORDER.includes(preferred)) {
    throw new Error(`initBackend: unknown backend '${String(preferred)}'; expected one of ${ORDER.join(', ')}.`);
  }
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
      patchWasmMatMul();
      patchWasmShare();
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

/**
 * The cpu backend prints "install our node backend" on first use; tfjs-node is already
 * tried first (and cannot install offline), so the advice is noise in notebooks.
 */
function silenceCpuAdvice(tf: Tf): void {
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof b.firstUse === 'boolean') b.firstUse = false;
}
