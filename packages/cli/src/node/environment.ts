import { cpus, totalmem, type as osType, release } from 'node:os';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type { InitBackendResult } from '@dgm/core';

const require = createRequire(import.meta.url);

/** This package's version. */
export const cliVersion = (require('../../package.json') as { version: string }).version;

/** What a run was computed on: backend, fast kernels and threads, versions and machine (for run.json and the report). */
export function describeEnvironment(backend: InitBackendResult): Record<string, string | number> {
  const cpu = cpus();
  return {
    backend: backend.backend,
    backendPackage: backend.package,
    fastKernels: backend.fastKernels.detail,
    tfjs: tf.version_core,
    dgm: cliVersion,
    node: process.versions.node,
    os: `${osType()} ${release()} ${process.arch}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
