// Installs the packed @dgm/cli (with the packed @dgm packages it depends on) into an empty
// folder with npm, as a user would, and runs `npx dgm` there: train three steps, then sample.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packages = ['core', 'kernels', 'data', 'losses', 'models', 'metrics', 'trainers', 'sweep', 'cli'];
const dir = mkdtempSync(join(tmpdir(), 'dgm-cli-consumer-'));

function run(command, args, cwd = dir) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

try {
  for (const name of packages) run('pnpm', ['pack', '--pack-destination', dir], join(root, 'packages', name));
  const tarballs = readdirSync(dir).filter((file) => file.endsWith('.tgz')).map((file) => `./${file}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cli-consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs]);
  const trained = run('npx', ['--no-install', 'dgm', 'train', '--model', 'dcgan', '--data', 'mnist', '--steps', '3', '--run-dir', 'run']);
  if (!/done: step 3/.test(trained)) throw new Error(`npx dgm train: expected "done: step 3", got:\n${trained}`);
  console.log('ok - npx dgm train --model dcgan --data mnist --steps 3');
  run('npx', ['--no-install', 'dgm', 'sample', '--run', 'run', '--out', 'grid.png']);
  if (!existsSync(join(dir, 'grid.png'))) throw new Error('npx dgm sample wrote no grid.png');
  console.log('ok - npx dgm sample --run run --out grid.png');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
