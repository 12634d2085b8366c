/**
 * The variational autoencoder part of the library: MNIST/IDX data, the tfjs backend,
 * the VAE itself. tfjs is loaded lazily (see ./tf), so importing this costs nothing
 * until a VAE is used.
 */
export { BackendName, backend, backendInfo, initBackend } from './backend';
export { isWasmMatMulPatched, patchWasmMatMul, unpatchWasmMatMul, wasmMatMulStats, WasmMatMulStats, WASM_MATMUL_MARKER } from './wasm-matmul';
export { ImageSet, makeImageSet, subsetImages, takeImages } from './images';
export { IdxArray, loadIdx, parseIdx } from './idx';
export { MnistSplit, loadMnist, mnistDigits } from './data';
export { VAEOptions, ResolvedVAEOptions } from './model';
export { BatchEndInfo, EpochEndInfo, FitOptions, VAEHistory, VAELosses } from './train';
export { ImageInput, LogLikelihood, VAE, latentGridPoints, pretrainedDir } from './vae';
