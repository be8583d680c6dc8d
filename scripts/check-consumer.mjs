// Installs the packed @dgm/core (and then @dgm/kernels) into an empty folder outside the
// workspace, as a user would with npm, and checks that they load and select a backend there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const core = join(root, 'packages/core');
const kernels = join(root, 'packages/kernels');
const tfVersion = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')).devDependencies['@tensorflow/tfjs-core'];
const dir = mkdtempSync(join(tmpdir(), 'dgm-consumer-'));

function run(command, args, cwd = dir) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}
function check(label, output, pattern) {
  if (!pattern.test(output)) throw new Error(`${label}: expected ${pattern}, got:\n${output}`);
  console.log(`ok - ${label}`);
}

try {
  run('pnpm', ['pack', '--pack-destination', dir], core);
  run('pnpm', ['pack', '--pack-destination', dir], kernels);
  const tarball = readdirSync(dir).find((f) => f.startsWith('dgm-core-'));
  const kernelsTarball = readdirSync(dir).find((f) => f.startsWith('dgm-kernels-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const npm = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  run('npm', [...npm, `./${tarball}`, `@tensorflow/tfjs-core@${tfVersion}`]);

  const auto = "import('@dgm/core').then(m => m.initBackend({ backend: 'auto' })).then(console.log)";
  check("tarball + tfjs-core: initBackend({ backend: 'auto' }) selects cpu", run('node', ['-e', auto]), /backend: 'cpu'/);

  const appImport = `
    import * as tf from '@tensorflow/tfjs-core';
    import '@tensorflow/tfjs-backend-cpu';
    import { assertSingleTfjsCore, currentBackend } from '@dgm/core';
    await tf.setBackend('cpu');
    assertSingleTfjsCore({ tf });
    console.log('dgm sees', currentBackend());`;
  check('the backend the app sets is the one @dgm/core sees', run('node', ['--input-type=module', '-e', appImport]), /dgm sees cpu/);

  const missing = "import('@dgm/core').then(m => m.initBackend({ backend: 'tensorflow' })).catch(e => console.log(e.name, e.message))";
  check("initBackend({ backend: 'tensorflow' }) without tfjs-node names the package", run('node', ['-e', missing]), /InvalidArgumentError .*npm i @tensorflow\/tfjs-node@/);

  run('npm', [...npm, `@tensorflow/tfjs-backend-wasm@${tfVersion}`]);
  check("+ tfjs-backend-wasm: initBackend({ backend: 'auto' }) selects wasm", run('node', ['-e', auto]), /backend: 'wasm'/);

  run('npm', [...npm, `./${kernelsTarball}`, `@tensorflow/tfjs-layers@${tfVersion}`]);
  const train = `
    import * as tf from '@tensorflow/tfjs-core';
    import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
    import { initBackend } from '@dgm/core';
    const { backend, fastKernels } = await initBackend({ backend: 'auto' });
    // A filter gradient: the stock wasm backend has no kernel for it.
    const g = tf.grad((w) => tf.sum(tf.conv2d(tf.ones([2, 8, 8, 3]), w, 2, 'same')))(tf.zeros([3, 3, 3, 4]));
    console.log(backend, fastKernels.detail, g.shape.join('x'));`;
  check('+ @dgm/kernels: initBackend enables it and wasm trains a convolution', run('node', ['--input-type=module', '-e', train]), /^wasm on \(\d threads?\) 3x3x3x4$/m);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
