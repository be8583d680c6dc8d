// bench/metrics: FID from n = 10,000 feature vectors per set at d = 64, 512, 2048, by
// @dgm/metrics and by the numpy/scipy reference (pytorch-fid's formula: np.cov + sqrtm) on
// the same matrices in the same run, when python3 with numpy and scipy is present.
// Options: --runs R (default 3), --dims 64,512,2048, --n 10000.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRandom } from '@dgm/core';
import { Float64Linalg } from '@dgm/kernels';
import { computeFid, featureStatistics, frechetDistance } from '@dgm/metrics';
import { fixed, machine, markdownTable, median, writeResults } from './report.js';

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '3' }, dims: { type: 'string', default: '64,512,2048' }, n: { type: 'string', default: '10000' } } });
const runs = Number(values.runs);
const n = Number(values.n);
const dims = values.dims.split(',').map(Number);
const linalg = await Float64Linalg.load();
const reference = fileURLToPath(new URL('../../../shared/reference/ref_metrics.py', import.meta.url));

/** n rows of correlated Gaussian features: x = z·W + shift, W d×d with decaying columns (a realistic, full-rank spectrum). */
function features(d: number, seed: number, shift: number): Float64Array {
  const random = createRandom({ seed });
  const w = Float64Array.from({ length: d * d }, (_, i) => random.normal() / Math.sqrt(d) / (1 + (i % d) / 16));
  const z = Float64Array.from({ length: n * d }, () => random.normal());
  return linalg.multiply(z, w, { m: n, n: d, k: d }).map((v) => v + shift);
}

/** A float64 .npy file (format 1.0). */
function writeNpy(path: string, data: Float64Array, shape: [number, number]): void {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from(Uint16Array.of(header.length).buffer), Buffer.from(header, 'latin1')]);
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

const scipyScript = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
from ref_metrics import feature_stats, frechet_distance_pytorch_fid, trace_sqrt_symmetric
g, r = np.load(sys.argv[2]), np.load(sys.argv[3])
times = []
for _ in range(int(sys.argv[4])):
    t = time.perf_counter()
    mu1, s1 = feature_stats(g)
    mu2, s2 = feature_stats(r)
    fid, _, _ = frechet_distance_pytorch_fid(mu1, s1, mu2, s2)
    times.append(time.perf_counter() - t)
# Not timed: the same distance through a symmetric eigendecomposition, a second reference.
symmetric = float((mu1 - mu2).dot(mu1 - mu2) + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt_symmetric(s1, s2))
print(json.dumps({"seconds": times, "fid": float(fid), "fidSymmetric": symmetric, "numpy": np.__version__}))
`;

interface ScipyRun {
  seconds: number[];
  fid: number;
  fidSymmetric: number;
  numpy: string;
}

function scipy(genPath: string, realPath: string): ScipyRun | undefined {
  try {
    const out = execFileSync('python3', ['-c', scipyScript, join(reference, '..'), genPath, realPath, String(runs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
    return JSON.parse(out) as ScipyRun;
  } catch (error) {
    console.error(`scipy reference skipped: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dgm-bench-metrics-'));
const rows: (string | number)[][] = [];
const results: unknown[] = [];
try {
  for (const d of dims) {
    const [gen, real] = [features(d, 1, 0.1), features(d, 2, 0)];
    const [genPath, realPath] = [join(dir, `gen-${d}.npy`), join(dir, `real-${d}.npy`)];
    writeNpy(genPath, gen, [n, d]);
    writeNpy(realPath, real, [n, d]);
    const total: number[] = [];
    const stats: number[] = [];
    const distance: number[] = [];
    let value = Number.NaN;
    for (let run = 0; run < runs; run++) {
      let t = performance.now();
      value = (await computeFid({ generated: { values: gen, count: n, dim: d }, real: { values: real, count: n, dim: d } })).value;
      total.push((performance.now() - t) / 1000);
      t = performance.now();
      const [a, b] = [await featureStatistics({ values: gen, count: n, dim: d }), await featureStatistics({ values: real, count: n, dim: d })];
      stats.push((performance.now() - t) / 1000);
      t = performance.now();
      await frechetDistance(a, b);
      distance.push((performance.now() - t) / 1000);
    }
    const ref = scipy(genPath, realPath);
    const ours = median(total);
    const theirs = ref === undefined ? Number.NaN : median(ref.seconds);
    const relative = (other: number | undefined) => (other === undefined ? Number.NaN : Math.abs(value - other) / Math.abs(other));
    const [relativeError, relativeToSymmetric] = [relative(ref?.fid), relative(ref?.fidSymmetric)];
    rows.push([d, n, fixed(ours, 2), fixed(median(stats), 2), fixed(median(distance), 2), fixed(theirs, 2), fixed(ours / theirs, 2), relativeError.toExponential(1), relativeToSymmetric.toExponential(1), value.toPrecision(12)]);
    results.push({ d, n, runs, seconds: { total, statistics: stats, distance }, fid: value, scipy: ref, ratio: ours / theirs, relativeError, relativeToSymmetric });
    console.log(`d=${d}: ${fixed(ours, 2)} s (scipy ${fixed(theirs, 2)} s), relative error ${relativeError.toExponential(1)} (vs symmetric eigh ${relativeToSymmetric.toExponential(1)})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  linalg.dispose();
}

const m = machine();
const markdown = [
  `## FID from features, n = ${n} per set (median of ${runs})`,
  '',
  `${m['cpu']}, ${m['cores']} cores, Node ${m['node']}. @dgm/metrics: float64 on the WebAssembly module of @dgm/kernels (all cores). scipy: \`feature_stats\` (np.cov) twice + \`frechet_distance_pytorch_fid\` (scipy.linalg.sqrtm) from \`shared/reference/ref_metrics.py\`, same matrices.`,
  '',
  '',
  'Relative error: against the timed scipy value (sqrtm), and against the same distance through a symmetric eigendecomposition (`trace_sqrt_symmetric`, not timed).',
  '',
  markdownTable(['d', 'n', '@dgm/metrics s', 'of which statistics s', 'of which distance s', 'scipy s', 'ratio', 'relative error vs sqrtm', 'vs symmetric eigh', 'FID'], rows),
].join('\n');
writeResults('metrics', markdown, { machine: m, results });
