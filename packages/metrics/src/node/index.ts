// Node-only parts of @dgm/metrics (files, and the extractors read from this package's folder), kept out of the main entry so that it runs in browsers.
export { loadExtractor, loadShippedReference, shippedExtractors } from './load-extractor.js';
export type { LoadedExtractor, ShippedExtractor } from './load-extractor.js';
export { saveReferenceStatistics, loadReferenceStatistics } from './reference-statistics-file.js';
