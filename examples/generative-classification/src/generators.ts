import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '@dgm/data';
import { sampleGan, sampleVae } from '@dgm/metrics';
import { createCvae, createModel, discriminatorClassifier, type Gan, type ModelName } from '@dgm/models';
import { defaultRecipes, trainGan, trainVae } from '@dgm/trainers';
import { progressBar } from '@dgm/trainers/node';
import type { GeneratorName } from './options.js';

export interface TrainedGenerator {
  readonly name: GeneratorName;
  readonly steps: number;
  readonly minutes: number;
  /** `count` labeled images, the classes in turn: the EMA generator's (the CVAE decoder's means). */
  sample(count: number, seed: number): Promise<Dataset>;
  /** The AC-GAN's D as a classifier of real images ('d'), and its weight average ('d-ema'). */
  readonly classifiers: Readonly<Record<string, tfl.LayersModel>>;
  dispose(): void;
}

export interface TrainGeneratorOptions {
  readonly name: GeneratorName;
  /** The labeled images it learns from. */
  readonly data: Dataset;
  readonly seed: number;
  readonly minutes: number;
  readonly steps: number;
  /** Widths of G and D (the CVAE's encoder and decoder); default the family's (CVAE: 32). */
  readonly widths: number | undefined;
  /** Binarize MNIST's pixels each step (the CVAE's Bernoulli decoder on MNIST). */
  readonly binarize: boolean;
}

/** Trains one conditional model on labeled data for the budget, with its family's recipe. */
export async function trainGenerator(options: TrainGeneratorOptions): Promise<TrainedGenerator> {
  return options.name === 'cvae' ? trainCvae(options) : trainConditionalGan(options);
}

async function trainConditionalGan({ name, data, seed, minutes, steps, widths }: TrainGeneratorOptions): Promise<TrainedGenerator> {
  const widthOptions = widths === undefined ? {} : { generatorFilters: widths, discriminatorFilters: widths };
  const gan = createModel(name as ModelName, { imageShape: data.shape, numClasses: data.classNames.length, seed, ...widthOptions } as never) as Gan;
  const acgan = name === 'acgan';
  const started = performance.now();
  const result = await trainGan({
    gan,
    data,
    steps,
    minutes,
    seed,
    batchSize: Math.min(defaultRecipes[gan.spec.family].batchSize, data.count),
    ...(acgan ? { discriminatorEma: { decay: 0.999 } } : {}),
    callbacks: [progressBar()],
  });
  const ema = result.ema!;
  const averagedD = result.discriminatorEma;
  const classifiers = acgan ? { d: discriminatorClassifier({ gan }), 'd-ema': discriminatorClassifier({ gan, discriminator: averagedD! }) } : {};
  return {
    name,
    steps: result.step,
    minutes: (performance.now() - started) / 60_000,
    sample: (count, sampleSeed) => sampleGan({ gan: result.gan, generator: ema, count, seed: sampleSeed }),
    classifiers,
    dispose: () => [gan.generator, gan.discriminator, ema, averagedD].forEach((m) => m?.dispose()),
  };
}

async function trainCvae({ data, seed, minutes, steps, widths = 32, binarize }: TrainGeneratorOptions): Promise<TrainedGenerator> {
  const vae = createCvae({
    imageShape: data.shape,
    numClasses: data.classNames.length,
    latentDim: 32,
    encoderFilters: widths,
    decoderFilters: widths,
    decoder: data.shape[2] === 1 ? 'bernoulli' : 'gaussian',
    seed,
  });
  const started = performance.now();
  // The settings bench/vae found fastest to learn on 2 cores: batch 64, Adam 2e-3.
  const result = await trainVae({
    vae,
    data,
    steps,
    minutes,
    seed,
    batchSize: Math.min(64, data.count),
    binarize: binarize ? 'dynamic' : 'none',
    optimizer: { learningRate: 2e-3 },
    callbacks: [progressBar()],
  });
  return {
    name: 'cvae',
    steps: result.step,
    minutes: (performance.now() - started) / 60_000,
    sample: (count, sampleSeed) => sampleVae({ vae: result.vae, count, seed: sampleSeed }),
    classifiers: {},
    dispose: () => [vae.encoder, vae.decoder].forEach((m) => m.dispose()),
  };
}
