/**
 * The variational autoencoder part of the library: MNIST/IDX data, the tfjs backend,
 * the VAE itself. tfjs is loaded lazily (see ./tf), so importing this costs nothing
 * until a VAE is used.
 *
 *   const { train, test } = loadMnist();                 // 8,000 / 2,000, seeded, stratified
 *   const vae = await VAE.pretrained();                   // or await VAE.create({ hiddenUnits: [512] })
 *   const history = await vae.fit(train, { epochs: 5, validation: test });
 *   await vae.evaluate(test);                             // { loss, reconstruction, kl } nats/image
 *   const { mean } = vae.encode(test);                    // sync once a backend runs
 *   const grid = vae.latentGrid(15);                      // 225 images of 784 probabilities, z on [-3, 3]²
 *   vae.latentGrid(15, { spacing: 'quantile' });          // z = Φ⁻¹((i + ½)/15): equal prior mass per row/column
 *   backendInfo();                                        // backend, matrix-product path, threads
 *
 * Where to read what: the encoder and decoder in ./model, the loss in ./loss, the training loop
 * in ./train (the training kernels it picks in ./training-kernels; the fast path in ./fast),
 * the backend choice in ./backend.
 */
export { BackendInfo, BackendName, InitBackendOptions, backend, backendInfo, initBackend } from './backend';
export { ImageSet, makeImageSet, subsetImages, takeImages } from './images';
export { IdxArray, loadIdx, parseIdx } from './idx';
export { MnistSplit, loadMnist, mnistDigits } from './data';
export { VAEOptions, ResolvedVAEOptions } from './model';
export { BatchEndInfo, EpochEndInfo, FitOptions, VAEHistory } from './train';
export { TrainingPath } from './training-kernels';
export { LogLikelihood, VAELosses } from './scoring';
export { pretrainedDir } from './io';
export { ImageInput, VAE } from './vae';
export { LatentGridOptions, LatentGridSpec, LatentSpacing, latentGridPoints, latentGridValues } from './latent-grid';
export { normalQuantile } from './normal-quantile';
