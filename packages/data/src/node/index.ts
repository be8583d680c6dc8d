// Node-only parts of @dgm/data (files, downloads, installed dataset packages), kept out of the main entry so that it runs in browsers.
export { loadMnist, loadFashionMnist } from './mnist.js';
export type { LoadMnistOptions, LoadMnistNodeOptions } from './mnist.js';
export type { MnistSplit } from '../mnist-sets.js';
export { loadCifar10 } from './cifar10.js';
export type { LoadCifar10Options, LoadCifar10NodeOptions } from './cifar10.js';
export { loadImageFolder, defaultFolderMaxPixels } from './image-folder.js';
export { defaultMaxBytes } from './contained.js';
export type { LoadImageFolderOptions } from './image-folder.js';
export { downloadFile, defaultCacheDir } from './download.js';
export type { DownloadFileOptions } from './download.js';
export { writePng } from './write-png.js';
export type { DatasetSource } from '../source.js';
