/** Clustering: K-Means. */
export * from './kmeans';
