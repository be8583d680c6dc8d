import * as tfl from '@tensorflow/tfjs-layers';
import * as z from 'zod';
import { describeValue, InvalidArgumentError, parseOptions, ShapeMismatchError } from '@dgm/core';
import type { Gan } from './spec.js';

export interface DiscriminatorClassifierOptions {
  /** A semi-supervised GAN or an AC-GAN (trained). */
  readonly gan: Gan;
  /** Another D of the same topology to read instead of `gan.discriminator`, e.g. trainGan's `discriminatorEma`. */
  readonly discriminator?: tfl.LayersModel;
}

const modelLike = z.custom<tfl.LayersModel>((v) => typeof v === 'object' && v !== null && Array.isArray((v as { outputs?: unknown }).outputs), { error: 'expected a tf.LayersModel' });
const schema = z.strictObject({
  gan: z.custom<Gan>((v) => typeof v === 'object' && v !== null && typeof (v as Gan).spec === 'object' && (v as Gan).discriminator !== undefined, { error: 'expected { generator, discriminator, spec } from @dgm/models' }),
  discriminator: modelLike.optional(),
});

/**
 * A trained D as a classifier of real images: a model from images in [−1, 1] to the
 * probabilities of the K classes, the softmax of D's class logits (the semi-supervised GAN's
 * K real classes, the fake one left out; the AC-GAN's auxiliary head). It shares D's weights
 * (nothing is copied), so it follows D as D trains, and disposing it leaves D intact; its last layer is the softmax, so
 * `evaluateClassifier` and `trainClassifier` read its logits exactly, and it fits
 * `layerExtractor` with probabilities: 'output' for GAN-test.
 */
export function discriminatorClassifier(options: DiscriminatorClassifierOptions): tfl.LayersModel {
  const { gan, discriminator = options?.gan?.discriminator } = parseOptions(schema, options, 'discriminatorClassifier');
  const { spec } = gan;
  const classes = spec.discriminatorOutputs.indexOf('classes');
  if (classes < 0 || (spec.family !== 'ssgan' && spec.family !== 'acgan')) {
    throw new InvalidArgumentError(`discriminatorClassifier: a ${describeValue(spec.family)} D has no class logits; it takes a semi-supervised GAN or an AC-GAN`);
  }
  if (discriminator.outputs.length !== spec.discriminatorOutputs.length) {
    throw new ShapeMismatchError(`discriminatorClassifier: discriminator has ${discriminator.outputs.length} outputs, a ${spec.name} D ${spec.discriminatorOutputs.length}`);
  }
  const shape = discriminator.outputs[classes]!.shape;
  if (shape.length !== 2 || shape[1] !== spec.numClasses) {
    throw new ShapeMismatchError(`discriminatorClassifier: discriminator's class logits are [${shape.join(', ')}], not [n, ${spec.numClasses}]`);
  }
  const probabilities = tfl.layers.activation({ activation: 'softmax', name: 'probabilities' }).apply(discriminator.outputs[classes]!) as tfl.SymbolicTensor;
  const classifier = tfl.model({ inputs: discriminator.inputs, outputs: probabilities, name: `${spec.family}-discriminator-classifier` });
  // Its layers are D's but for the weightless softmax: tfjs would dispose D's weights with it,
  // and D (the GAN's) is disposed by its owner.
  classifier.dispose = () => ({ refCountAfterDispose: 0, numDisposedVariables: 0 });
  return classifier;
}
