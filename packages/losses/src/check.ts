import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeMismatchError } from '@dgm/core';

/** Throws unless `value` is a float tensor with at least one element. */
export function checkTensor(value: unknown, name: string, caller: string): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) throw new InvalidArgumentError(`${caller}: ${name} must be a tensor, got ${typeof value}`);
  if (value.isDisposed) throw new InvalidArgumentError(`${caller}: ${name} has been disposed`);
  if (value.dtype !== 'float32') throw new InvalidArgumentError(`${caller}: ${name} must be float32, got ${value.dtype}`);
  if (value.size === 0) throw new InvalidArgumentError(`${caller}: ${name} is empty (shape [${value.shape}])`);
}

/** Throws unless `a` and `b` have the same shape. */
export function checkSameShape(a: tf.Tensor, b: tf.Tensor, names: [string, string], caller: string): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new ShapeMismatchError(`${caller}: ${names[0]} [${a.shape}] and ${names[1]} [${b.shape}] must have the same shape`);
  }
}

/** Throws unless `labels` is an int32 vector with one class index per row of `logits` [n, k]. */
export function checkClassLabels(logits: tf.Tensor, labels: unknown, caller: string): asserts labels is tf.Tensor1D {
  if (logits.rank !== 2) throw new ShapeMismatchError(`${caller}: class logits must be [batch, classes], got [${logits.shape}]`);
  if (!(labels instanceof tf.Tensor) || labels.rank !== 1 || labels.dtype !== 'int32') {
    throw new InvalidArgumentError(`${caller}: labels must be an int32 vector of class indices`);
  }
  if (labels.shape[0] !== logits.shape[0]) {
    throw new ShapeMismatchError(`${caller}: ${logits.shape[0]} rows of logits but ${labels.shape[0]} labels`);
  }
}
