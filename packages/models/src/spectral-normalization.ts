import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type Shape = (number | null)[];

export interface SpectralArgs extends LayerArgs {
  readonly units: number;
  /** For the convolution: a square kernel size, a stride and the padding. */
  readonly kernelSize?: number;
  readonly strides?: number;
  readonly padding?: 'same' | 'valid';
  readonly useBias?: boolean;
  readonly seed?: number;
}

/** Passes values through with no gradient: the power-iteration vectors are constants (Miyato et al. 2018). */
const stopGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.add(x, 0), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
});

/**
 * Dense or 2-D convolution whose weight is divided by its largest singular value
 * (spectral normalization, Miyato et al. 2018), estimated by one power iteration per
 * training call on a persistent vector u (a non-trainable weight, saved with the model).
 * The kernel is seen as a (fan-in × units) matrix.
 */
export class SpectralNormalized extends tfl.layers.Layer {
  static className = 'DgmSpectralNormalized';
  readonly args: SpectralArgs;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;
  private u?: tfl.LayerVariable;

  constructor(args: SpectralArgs) {
    super(args);
    this.args = args;
  }

  private get isConv(): boolean {
    return this.args.kernelSize !== undefined;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inDim = shape[shape.length - 1]!;
    const { units, kernelSize = 1, seed } = this.args;
    const kernelShape = this.isConv ? [kernelSize, kernelSize, inDim, units] : [inDim, units];
    const seeded = seed === undefined ? {} : { seed };
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tfl.initializers.glorotUniform(seeded));
    if (this.args.useBias !== false) this.bias = this.addWeight('bias', [units], 'float32', tfl.initializers.zeros());
    this.u = this.addWeight('u', [1, units], 'float32', tfl.initializers.randomNormal({ mean: 0, stddev: 1, ...(seed === undefined ? {} : { seed: seed + 1 }) }), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const kernel = this.kernel!.read();
      const matrix = tf.reshape(kernel, [-1, this.args.units]);
      const v = stopGradient(l2Normalize(tf.matMul(this.u!.read(), matrix, false, true))) as tf.Tensor;
      const u = stopGradient(l2Normalize(tf.matMul(v, matrix))) as tf.Tensor;
      const sigma = tf.sum(tf.mul(tf.matMul(v, matrix), u));
      if (kwargs?.training === true) this.u!.write(u); // the variable takes its own reference
      const weight = tf.div(kernel, sigma);
      let y = this.isConv
        ? tf.conv2d(x as tf.Tensor4D, weight as tf.Tensor4D, this.args.strides ?? 1, this.args.padding ?? 'same')
        : tf.matMul(x, weight as tf.Tensor2D);
      if (this.bias !== undefined) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (!this.isConv) return [...shape.slice(0, -1), this.args.units];
    const { kernelSize = 1, strides = 1, padding = 'same' } = this.args;
    const size = (n: number | null) => (n === null ? null : padding === 'same' ? Math.ceil(n / strides) : Math.ceil((n - kernelSize + 1) / strides));
    return [shape[0]!, size(shape[1]!), size(shape[2]!), this.args.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { units, kernelSize, strides, padding, useBias, seed } = this.args;
    const own = Object.fromEntries(Object.entries({ units, kernelSize, strides, padding, useBias, seed }).filter(([, v]) => v !== undefined));
    return { ...super.getConfig(), ...own } as tf.serialization.ConfigDict;
  }
}

function l2Normalize(t: tf.Tensor): tf.Tensor {
  return tf.div(t, tf.add(tf.norm(t), 1e-12));
}
