// Trains the feature extractors shipped in packages/metrics/extractors/, with dgm's own trainClassifier:
//   pnpm --filter @dgm/bench train-extractors [mnist-cnn|fashion-mnist-cnn ...] [--epochs N] [--steps N]
// Writes packages/metrics/extractors/<name>/ (model.json, float16 weights) and extractors/<name>/training.json.
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@dgm/core';
import { randomFlip, randomTranslate, subset } from '@dgm/data';
import { loadFashionMnist, loadMnist } from '@dgm/data/node';
import { createClassifier } from '@dgm/models';
import { fileSystemHandler } from '@dgm/models/node';
import { evaluateClassifier, progressBar, trainClassifier } from '@dgm/trainers';

const translate = ({ images, random }) => randomTranslate({ images, random, max: 2 });
const recipes = {
  'mnist-cnn': { dataset: 'mnist', load: loadMnist, epochs: 6, augment: translate, augmentation: 'random translation by up to 2 px' },
  'fashion-mnist-cnn': {
    dataset: 'fashion-mnist',
    load: loadFashionMnist,
    epochs: 12,
    augment: ({ images, random }) => {
      const flipped = randomFlip({ images, random });
      const out = translate({ images: flipped, random });
      flipped.dispose();
      return out;
    },
    augmentation: 'random left-right flip, random translation by up to 2 px',
  },
};
const settings = { batchSize: 128, optimizer: { learningRate: 2e-3 }, schedule: 'cosine', seed: 0 };

const { values, positionals } = parseArgs({ allowPositionals: true, options: { epochs: { type: 'string' }, steps: { type: 'string' } } });
const names = positionals.length > 0 ? positionals : Object.keys(recipes);
const { backend, reason } = await initBackend({ backend: 'auto' });
console.log(`backend: ${backend} (${reason})`);

for (const name of names) {
  const recipe = recipes[name];
  if (recipe === undefined) throw new Error(`unknown extractor ${name}; known: ${Object.keys(recipes).join(', ')}`);
  const [train, test] = [await recipe.load({ split: 'train' }), await recipe.load({ split: 'test' })];
  const epochs = values.epochs === undefined ? recipe.epochs : Number(values.epochs);
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  const model = createClassifier({ imageShape: [28, 28, 1], numClasses: 10, seed: 0 });
  console.log(`${name}: ${train.count} ${recipe.dataset}/train images, ${epochs} epochs, ${model.countParams()} parameters`);
  const started = performance.now();
  const monitor = subset(test, Array.from({ length: 2000 }, (_, i) => i));
  const epochLog = { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}, monitor accuracy ${logs.valAccuracy.toFixed(4)}`) };
  await trainClassifier({ model, data: train, validation: monitor, epochs, ...(steps === undefined ? {} : { steps }), augment: recipe.augment, ...settings, callbacks: [progressBar(), epochLog] });
  const minutes = (performance.now() - started) / 60000;
  const float32 = await evaluateClassifier({ model, data: test });

  const dir = fileURLToPath(new URL(`../../packages/metrics/extractors/${name}/`, import.meta.url));
  await rm(dir, { recursive: true, force: true });
  await model.save(float16(fileSystemHandler({ dir })));
  const shipped = await tfl.loadLayersModel(fileSystemHandler({ dir }));
  const evaluation = await evaluateClassifier({ model: shipped, data: test });
  const report = {
    name,
    dataset: recipe.dataset,
    train: { split: 'train', count: train.count },
    test: { split: 'test', count: test.count },
    epochs,
    ...settings,
    augmentation: recipe.augmentation,
    parameters: model.countParams(),
    weights: 'float16',
    backend,
    trainingMinutes: Number(minutes.toFixed(1)),
    testAccuracy: evaluation.accuracy,
    testAccuracyFloat32: float32.accuracy,
    command: `pnpm --filter @dgm/bench train-extractors ${name}`,
  };
  await writeFile(`${dir}/training.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${name}: test accuracy ${(100 * evaluation.accuracy).toFixed(2)}% (float32 weights: ${(100 * float32.accuracy).toFixed(2)}%), ${minutes.toFixed(1)} min`);
  model.dispose();
  shipped.dispose();
}

/** An IOHandler that stores float32 weights as float16 (tf.io decodes them back on load): half the bytes. */
function float16(inner) {
  return {
    async save(artifacts) {
      const values = new Float32Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const halves = new Uint16Array(values.length);
      values.forEach((v, i) => (halves[i] = toFloat16(v)));
      const weightSpecs = artifacts.weightSpecs.map((spec) => ({ ...spec, quantization: { dtype: 'float16' } }));
      return inner.save({ ...artifacts, weightSpecs, weightData: halves.buffer });
    },
  };
}

/** IEEE 754 binary16 bits of a float32, rounded to nearest even (subnormals included). */
function toFloat16(value) {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00; // overflow to infinity
  if (exponent <= 0) {
    if (exponent < -10) return sign; // underflow to zero
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const half = 1 << (shift - 1);
    const rounded = (mantissa + half - 1 + ((mantissa >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return exponent + 1 >= 31 ? sign | 0x7c00 : sign | ((exponent + 1) << 10);
  return sign | (exponent << 10) | (rounded >>> 13);
}
