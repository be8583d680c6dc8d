import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type Shape = (number | null)[];

export interface ClassBiasArgs extends LayerArgs {
  readonly numClasses: number;
  /** Kernel weights of a label channel that reach each output: k² for a k×k convolution, 4 for a 4×4 stride-2 transposed one, 1 for a dense layer. */
  readonly taps: number;
  /** The layer's Glorot-uniform limit, √(6 / (fan-in + fan-out)) with the K label channels counted in the fan-in. */
  readonly limit: number;
  readonly seed?: number;
}

/**
 * The one-hot label concatenated to a layer's input, applied as what it adds to the layer's
 * output: inputs [x, label] with x [n, …, c] (the layer's output) and label [n, 1] int32;
 * output x + Σ_taps W[tap, label]. Concatenating one-hot planes to a convolution's input
 * (Mirza & Osindero 2014; carpedm20/DCGAN-tensorflow's conditional MNIST model does it at
 * every layer) adds exactly this per-class bias, away from the zero-padded border: W holds the
 * kernel's weights on the label channels, initialized and trained like them (each tap its own
 * weight, so Adam moves the bias as fast as it would there), for the cost of a lookup instead
 * of K more input channels.
 */
export class ClassBias extends tfl.layers.Layer {
  static className = 'DgmClassBias';
  readonly args: ClassBiasArgs;
  private kernel?: tfl.LayerVariable;

  constructor(args: ClassBiasArgs) {
    super(args);
    this.args = args;
  }

  override build(inputShape: Shape | Shape[]): void {
    const x = (inputShape as Shape[])[0]!;
    const { numClasses, taps, limit, seed } = this.args;
    const initializer = tfl.initializers.randomUniform({ minval: -limit, maxval: limit, ...(seed === undefined ? {} : { seed }) });
    this.kernel = this.addWeight('kernel', [taps, numClasses, x[x.length - 1]!], 'float32', initializer);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, label] = inputs as [tf.Tensor, tf.Tensor];
      const bias = tf.gather(tf.sum(this.kernel!.read(), 0), tf.cast(tf.reshape(label, [-1]), 'int32'));
      const shape = [x.shape[0]!, ...x.shape.slice(1, -1).map(() => 1), x.shape[x.shape.length - 1]!];
      return tf.add(x, tf.reshape(bias, shape));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { numClasses, taps, limit, seed } = this.args;
    return { ...super.getConfig(), numClasses, taps, limit, ...(seed === undefined ? {} : { seed }) };
  }
}
