import * as tf from '@tensorflow/tfjs-core';
import { ClassBias } from './class-bias.js';
import { SpectralNormalized } from './spectral-normalization.js';
import { WeightNormDense } from './weight-norm-dense.js';

/** Makes dgm's custom layers loadable by tfjs-layers; builders and loadGan call it (nothing registers on import). */
export function registerCustomLayers(): void {
  tf.serialization.registerClass(WeightNormDense);
  tf.serialization.registerClass(SpectralNormalized);
  tf.serialization.registerClass(ClassBias);
}
