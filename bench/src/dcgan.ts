import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LazyConv2D } from '@dgm/models';
import { Adam } from '@dgm/trainers';

export interface DcganWidths {
  /** Channels of G's 7×7 map and of its 14×14 map. */
  readonly generator: readonly [number, number];
  /** Channels of D's two convolutions. */
  readonly discriminator: readonly [number, number];
}

/** The DCGAN of the fast-kernels issue: 28×28×1, transposed convolutions in G, strided ones in D. */
export const fullWidths: DcganWidths = { generator: [128, 64], discriminator: [64, 128] };

export function buildDcgan(widths: DcganWidths, seed: number): { g: tfl.Sequential; d: tfl.Sequential } {
  let next = seed;
  const init = () => tfl.initializers.glorotUniform({ seed: next++ });
  const [g7, g14] = widths.generator;
  const [d14, d7] = widths.discriminator;
  const g = tfl.sequential();
  g.add(tfl.layers.dense({ inputShape: [100], units: 7 * 7 * g7, useBias: false, kernelInitializer: init() }));
  g.add(tfl.layers.batchNormalization());
  g.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tfl.layers.reshape({ targetShape: [7, 7, g7] }));
  g.add(tfl.layers.conv2dTranspose({ filters: g14, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }));
  g.add(tfl.layers.batchNormalization());
  g.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() }));
  const d = tfl.sequential();
  // LazyConv2D, as @dgm/models' discriminators: G's update computes no filter gradient of D.
  d.add(new LazyConv2D({ inputShape: [28, 28, 1], filters: d14, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init() }));
  d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  d.add(new LazyConv2D({ filters: d7, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init() }));
  d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tfl.layers.flatten());
  d.add(tfl.layers.dense({ units: 1, kernelInitializer: init() }));
  return { g, d };
}

/**
 * One training step: D on `batch` real and `batch` fake images, then G on `batch`, with
 * trainGan's Adam (2e-4, β₁ 0.5), non-saturating logistic loss. Latents are seeded per step.
 */
export function createStep(
  widths: DcganWidths,
  batch: number,
  seed: number,
  { nudge = false }: { /** Moves every weight of D's first kernel up by one float32 ulp: how far training carries rounding differences. */ nudge?: boolean } = {},
): { step: () => { dLoss: number; gLoss: number }; dispose: () => void } {
  const { g, d } = buildDcgan(widths, seed);
  if (nudge) {
    const kernel = d.trainableWeights[0]!.read() as tf.Variable;
    const values = kernel.dataSync().slice();
    values.forEach((v, i) => (values[i] = v === 0 ? v : v + 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23)));
    tf.tidy(() => kernel.assign(tf.tensor(values, kernel.shape)));
  }
  const settings = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 };
  const dOptimizer = new Adam(d.trainableWeights.map((w) => w.read() as tf.Variable), settings);
  const gOptimizer = new Adam(g.trainableWeights.map((w) => w.read() as tf.Variable), settings);
  const real = tf.tidy(() => tf.tanh(tf.randomNormal([batch, 28, 28, 1], 0, 1.5, 'float32', seed)));
  let count = 0;
  const apply = (model: tfl.Sequential, x: tf.Tensor) => model.apply(x, { training: true }) as tf.Tensor;
  const step = () => {
    count++;
    const z = tf.randomNormal([batch, 100], 0, 1, 'float32', seed * 100_003 + count);
    // G's images are constants to D's update: made off its tape, nothing of G's forward is recorded.
    const fake = tf.tidy(() => apply(g, z));
    const dLoss = dOptimizer.minimize(() => {
      const realLogits = apply(d, real);
      const fakeLogits = apply(d, fake);
      return tf.add(
        tf.losses.sigmoidCrossEntropy(tf.onesLike(realLogits), realLogits),
        tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits),
      ) as tf.Scalar;
    });
    const gLoss = gOptimizer.minimize(() => {
      const fakeLogits = apply(d, apply(g, z));
      return tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar;
    });
    const result = { dLoss: dLoss.dataSync()[0]!, gLoss: gLoss.dataSync()[0]! };
    tf.dispose([z, fake, dLoss, gLoss]);
    return result;
  };
  const dispose = () => {
    dOptimizer.dispose();
    gOptimizer.dispose();
    g.dispose();
    d.dispose();
    real.dispose();
  };
  return { step, dispose };
}
