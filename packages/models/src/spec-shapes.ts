import type * as tfl from '@tensorflow/tfjs-layers';
import { traitsOf } from './family-traits.js';
import type { GanSpec } from './spec.js';
import type { VaeSpec } from './vae-spec.js';

/** The shapes a spec implies for its models and the shapes the models have, under the same keys (null: not compared). */
export interface ShapeComparison {
  readonly expected: Readonly<Record<string, unknown>>;
  readonly found: Readonly<Record<string, unknown>>;
}

const label = [null, 1];
const shapesOf = (tensors: readonly tfl.SymbolicTensor[]) => tensors.map((t) => t.shape);

/** G's and D's input and output shapes, expected and found; D's 'features' output has no fixed width. */
export function ganShapes([generator, discriminator]: readonly tfl.LayersModel[], spec: GanSpec): ShapeComparison {
  const traits = traitsOf(spec);
  const outputSizes: Record<string, number | undefined> = { logit: 1, classes: spec.numClasses };
  return {
    expected: {
      'generator inputs': [[null, spec.latentDim], ...(traits.generatorTakesLabels ? [label] : [])],
      'generator output': [[null, ...spec.imageShape]],
      'discriminator inputs': [[null, ...spec.imageShape], ...(traits.discriminatorTakesLabels ? [label] : [])],
      'discriminator outputs': spec.discriminatorOutputs.map((o) => (o === 'features' ? undefined : [null, outputSizes[o]])),
    },
    found: {
      'generator inputs': shapesOf(generator!.inputs),
      'generator output': shapesOf(generator!.outputs),
      'discriminator inputs': shapesOf(discriminator!.inputs),
      'discriminator outputs': discriminator!.outputs.map((t, i) => (spec.discriminatorOutputs[i] === 'features' ? undefined : t.shape)),
    },
  };
}

/** The encoder's and decoder's input and output shapes, expected and found. */
export function vaeShapes([encoder, decoder]: readonly tfl.LayersModel[], spec: VaeSpec): ShapeComparison {
  const traits = traitsOf(spec);
  const code = [null, spec.latentDim];
  return {
    expected: {
      'encoder inputs': [[null, ...spec.imageShape], ...(traits.encoderTakesLabels ? [label] : [])],
      'encoder outputs': [code, code],
      'decoder inputs': [code, ...(traits.generatorTakesLabels ? [label] : [])],
      'decoder output': [[null, ...spec.imageShape]],
    },
    found: {
      'encoder inputs': shapesOf(encoder!.inputs),
      'encoder outputs': shapesOf(encoder!.outputs),
      'decoder inputs': shapesOf(decoder!.inputs),
      'decoder output': shapesOf(decoder!.outputs),
    },
  };
}
