import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Random } from '@dgm/core';
import type { Batch } from '@dgm/data';
import type { AdamState } from './adam.js';
import type { Checkpoint } from './checkpoint-store.js';

/** What one step sees: a way to take the next batch of a named stream, the run's random source, and where it is. */
export interface StepInput {
  /** The next batch of a stream ('data'; 'labeled' for the semi-supervised GAN); the step disposes it. */
  readonly draw: (stream: string) => Promise<Batch>;
  readonly random: Random;
  /** Steps completed before this one. */
  readonly step: number;
  readonly totalSteps: number;
}

/** A step's numbers as it made them: scalars (the loop reads them all at once, then disposes them) or numbers. */
export type StepValues = Record<string, tf.Scalar | number>;

/** A step's part of a checkpoint: its live models (saved as artifacts), its optimizers and plain JSON. */
export interface StepSnapshot {
  readonly models: Readonly<Record<string, tfl.LayersModel>>;
  readonly optimizers: Readonly<Record<string, AdamState>>;
  readonly state: unknown;
  readonly documents?: Readonly<Record<string, string>>;
}

/**
 * One trainer's update, apart from the loop (keras' `train_step` beside `fit`): it owns its
 * models' optimizers (and EMA); the loop owns the data, the step count, callbacks and
 * checkpoints.
 */
export interface TrainStep {
  /** Batches of the 'data' stream one step takes (for epochs → steps). */
  readonly batchesPerStep: number;
  /** Runs one step; returns its numbers and how many training images it used. */
  run(input: StepInput): Promise<{ readonly values: StepValues; readonly images: number }>;
  snapshot(): StepSnapshot;
  /** Refuses, with a CheckpointError that says what differs, a checkpoint of other models, before any weight is loaded. */
  checkResume?(checkpoint: Checkpoint, where: string, caller: string): void;
  /** Restores a snapshot's optimizers and state (the loop has loaded the models' weights). */
  restore(optimizers: Readonly<Record<string, AdamState>>, state: unknown): void;
  /** Multiplies every learning rate (after a rollback). */
  scaleLearningRates(factor: number): void;
  dispose(): void;
}
