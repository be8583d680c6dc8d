// `pnpm bench <name>`: runs bench/src/<name>.ts.
const benches = ['kernels', 'train-step', 'train-speed', 'loss-curves', 'profile', 'metrics', 'conditional', 'sample-by-class', 'vae', 'quality', 'browser', 'sweep'];
const name = process.argv[2];
if (name === undefined || !benches.includes(name)) {
  console.error(`usage: pnpm bench <${benches.join('|')}> [options]`);
  process.exit(2);
}
await import(`./${name}.js`);
