// Node-only parts of @dgm/models (the file system), kept out of the main entry so that it runs in browsers.
export { fileSystemHandler } from './file-system-handler.js';
export type { FileSystemHandlerOptions } from './file-system-handler.js';
export { saveGan, loadGan } from './save-gan.js';
export { saveVae, loadVae } from './save-vae.js';
