/**
 * The public API: everything a notebook or a script needs, from one import.
 */
export * from './matrix';
export * from './random';
export * from './datasets';
export * from './metrics';
export * from './cluster';
export * from './mixture';
export * from './vae';
export * from './plot';
export * from './table';
export * from './relabel';
export * from './neighbors';
export * from './decomposition';
