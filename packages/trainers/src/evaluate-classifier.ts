import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { InvalidArgumentError, parseOptions, ShapeMismatchError } from '@dgm/core';
import { batches, type Dataset } from '@dgm/data';
import { crossEntropyLoss } from '@dgm/losses';
import { classLogits } from './class-logits.js';

export interface ClassifierEvaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
}

const schema = z.strictObject({
  model: z.custom((v) => typeof v === 'object' && v !== null && Array.isArray((v as { inputs?: unknown }).inputs), { error: 'expected a tf.LayersModel' }),
  data: z.custom((v) => typeof v === 'object' && v !== null && Number.isInteger((v as { count?: unknown }).count), { error: 'expected a labeled Dataset from @dgm/data' }),
  batchSize: z.int().min(1).optional(),
});

/** Mean cross-entropy and top-1 accuracy of a classifier (inference mode) on a labeled dataset. */
export async function evaluateClassifier(options: { model: tfl.LayersModel; data: Dataset; batchSize?: number }): Promise<ClassifierEvaluation> {
  parseOptions(schema, options, 'evaluateClassifier');
  const { model, data, batchSize = 500 } = options;
  const logitsOf = classLogits(model, 'evaluateClassifier');
  checkLabeledData(model, data, 'evaluateClassifier');
  let [loss, correct] = [0, 0];
  for await (const batch of batches({ dataset: data, batchSize, order: 'sequential', labels: true })) {
    const [batchLoss, batchCorrect] = tf.tidy(() => {
      const logits = logitsOf(batch.images, false);
      return [tf.mul(crossEntropyLoss(logits, batch.labels!), batch.labels!.shape[0]), tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels!), 'int32'))];
    });
    loss += (await batchLoss!.data())[0]!;
    correct += (await batchCorrect!.data())[0]!;
    tf.dispose([batchLoss!, batchCorrect!, batch.images, batch.labels!]);
  }
  return { loss: loss / data.count, accuracy: correct / data.count, count: data.count };
}

/** Checks that `data` is labeled, with images of the model's input shape and no more classes than it has. */
export function checkLabeledData(model: tfl.LayersModel, data: Dataset, caller: string): void {
  if (data === undefined || !(data.count >= 1) || data.labels === undefined) throw new InvalidArgumentError(`${caller}: data must be a non-empty labeled Dataset from @dgm/data`);
  const inputShape = model.inputs[0]!.shape.slice(1);
  if (JSON.stringify(inputShape) !== JSON.stringify(data.shape)) {
    throw new ShapeMismatchError(`${caller}: the data's images are ${data.shape.join('×')}, the model takes ${inputShape.join('×')}`);
  }
  const classes = model.outputs[0]!.shape[1]!;
  if (data.classNames.length > classes) throw new InvalidArgumentError(`${caller}: the data has ${data.classNames.length} classes, the model ${classes} outputs`);
}
