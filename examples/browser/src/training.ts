import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '@dgm/data';
import { createModel, generate, type Gan } from '@dgm/models';
import { checkpointFromBytes, checkpointToBytes, loadGanRun, memoryStore, trainGan, type CheckpointStore, type StepLogs } from '@dgm/trainers';

export type TrainedFamily = 'dcgan' | 'cgan';

export interface StepReport {
  readonly step: number;
  readonly dLoss: number;
  readonly gLoss: number;
  readonly stepsPerSecond: number;
  readonly imagesPerSecond: number;
}

/** A small GAN trained in the tab: runs until paused, resumes exactly from its store's checkpoint. */
export class LiveTraining {
  #gan: Gan;
  #ema: tfl.LayersModel | undefined;
  #controller: AbortController | undefined;
  #running: Promise<unknown> | undefined;
  #step = 0;

  constructor(
    readonly data: Dataset,
    readonly family: TrainedFamily,
    readonly store: CheckpointStore = memoryStore(),
    readonly seed = 0,
    /** Widths of G and D; default 32 (createModel's own: 64). */
    filters = 32,
  ) {
    this.#gan = createModel(family, { imageShape: [28, 28, 1], ...(family === 'cgan' ? { numClasses: 10 } : {}), generatorFilters: filters, discriminatorFilters: filters, seed });
  }

  get step(): number {
    return this.#step;
  }

  get gan(): Gan {
    return this.#gan;
  }

  /** The averaged generator (G itself before the first step). */
  get averagedGenerator(): tfl.LayersModel {
    return this.#ema ?? this.#gan.generator;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Trains up to `steps` in all (from where it stands), calling `onStep` after each step; resolves when done or paused. */
  async run(steps: number, onStep: (report: StepReport) => void | Promise<void>): Promise<void> {
    if (this.#running !== undefined) throw new Error('already training');
    this.#controller = new AbortController();
    // Each run keeps its own averaged generator (restored from the checkpoint when resuming).
    const previous = this.#ema;
    let last = performance.now();
    const run = trainGan({
      gan: this.#gan,
      data: this.data,
      steps,
      batchSize: 64,
      seed: this.seed,
      ema: { decay: 0.99 },
      store: this.store,
      resume: this.#step > 0,
      signal: this.#controller.signal,
      callbacks: [
        {
          onBatchEnd: async (step: number, logs: StepLogs, context) => {
            this.#step = step;
            this.#ema = context.ema;
            const now = performance.now();
            const seconds = (now - last) / 1000;
            last = now;
            await onStep({ step, dLoss: logs['dLoss']!, gLoss: logs['gLoss']!, stepsPerSecond: 1 / seconds, imagesPerSecond: 64 / seconds });
          },
        },
      ],
    });
    this.#running = run;
    try {
      const { ema } = await run;
      if (previous !== undefined && previous !== ema) previous.dispose();
      this.#ema = ema;
    } finally {
      this.#running = undefined;
    }
  }

  /** Stops after the current step (a final checkpoint goes to the store). */
  async pause(): Promise<void> {
    this.#controller?.abort();
    await this.#running?.catch(() => undefined);
  }

  /** 64 samples of the averaged generator (G before the first step) for fixed latents: always the same inputs, so the grid shows progress. */
  samples(count = 64): tf.Tensor4D {
    return generate({ gan: this.#gan, generator: this.averagedGenerator, count, seed: 1 }).images;
  }

  /** The latest checkpoint as the bytes of one file (to download). */
  async checkpointFile(): Promise<Uint8Array> {
    const latest = await this.store.latest();
    if (latest === undefined) throw new Error('no checkpoint yet: train a few steps first');
    return checkpointToBytes(latest.checkpoint);
  }

  /** Loads a downloaded checkpoint: its models replace the current ones, and training resumes from it (the store's older run is cleared). */
  async restore(bytes: Uint8Array): Promise<void> {
    await this.pause();
    const checkpoint = checkpointFromBytes(bytes);
    await this.store.clear?.();
    await this.store.write(checkpoint);
    await this.resumeStored();
  }

  /** Picks up the run the store holds (e.g. after the tab was reloaded): false when it holds none. */
  async resumeStored(): Promise<boolean> {
    if ((await this.store.latest()) === undefined) return false;
    const run = await loadGanRun({ store: this.store });
    this.#dispose();
    this.#gan = run.gan;
    this.#ema = run.ema;
    run.discriminatorEma?.dispose();
    this.#step = run.step;
    return true;
  }

  dispose(): void {
    this.#dispose();
  }

  #dispose(): void {
    this.#gan.generator.dispose();
    this.#gan.discriminator.dispose();
    this.#ema?.dispose();
    this.#ema = undefined;
  }
}
