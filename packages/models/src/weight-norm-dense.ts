import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
/** tfjs-layers' shape type: null for the batch axis. */
type Shape = (number | null)[];

export interface WeightNormDenseArgs extends LayerArgs {
  readonly units: number;
  /** 'linear' (default), 'relu', 'softplus', 'sigmoid' or 'tanh'. */
  readonly activation?: 'linear' | 'relu' | 'softplus' | 'sigmoid' | 'tanh';
  readonly seed?: number;
  /**
   * Whether g trains. Default true. The semi-supervised GAN's authors freeze it in D's hidden
   * layers after the data-dependent initialization, so that D cannot scale its activations
   * past the Gaussian noise between them.
   */
  readonly trainScale?: boolean;
}

/**
 * A dense layer with weight normalization (Salimans & Kingma 2016): w = g · v/‖v‖ per output
 * unit, y = x·w + b, with v, g and b trained. g starts at 1, v at N(0, 0.05²);
 * `initializeWeightNorm` does the paper's data-dependent initialization.
 */
export class WeightNormDense extends tfl.layers.Layer {
  static className = 'DgmWeightNormDense';
  readonly units: number;
  readonly activation: NonNullable<WeightNormDenseArgs['activation']>;
  readonly seed: number | undefined;
  readonly trainScale: boolean;
  private v?: tfl.LayerVariable;
  private g?: tfl.LayerVariable;
  private b?: tfl.LayerVariable;

  constructor(args: WeightNormDenseArgs) {
    super(args);
    this.units = args.units;
    this.activation = args.activation ?? 'linear';
    this.seed = args.seed;
    this.trainScale = args.trainScale ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const inputs = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inDim = inputs[inputs.length - 1]!;
    const seed = this.seed === undefined ? {} : { seed: this.seed };
    this.v = this.addWeight('v', [inDim, this.units], 'float32', tfl.initializers.randomNormal({ mean: 0, stddev: 0.05, ...seed }));
    this.g = this.addWeight('g', [this.units], 'float32', tfl.initializers.ones(), undefined, this.trainScale);
    this.b = this.addWeight('b', [this.units], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const v = this.v!.read();
      const w = tf.mul(v, tf.div(this.g!.read(), tf.sqrt(tf.add(tf.sum(tf.square(v), 0), 1e-12))));
      const y = tf.add(tf.matMul(x, w), this.b!.read());
      switch (this.activation) {
        case 'relu':
          return tf.relu(y);
        case 'softplus':
          return tf.softplus(y);
        case 'sigmoid':
          return tf.sigmoid(y);
        case 'tanh':
          return tf.tanh(y);
        default:
          return y;
      }
    });
  }

  /**
   * The data-dependent initialization (Salimans & Kingma 2016, §2.2): g and b such that the
   * pre-activations of the inputs `x` [n, in] have mean 0 and standard deviation 1 per unit.
   */
  initializeFrom(x: tf.Tensor2D): void {
    tf.tidy(() => {
      const v = this.v!.read();
      const t = tf.matMul(x, tf.div(v, tf.sqrt(tf.add(tf.sum(tf.square(v), 0), 1e-12))));
      const { mean, variance } = tf.moments(t, 0);
      const scale = tf.div(1, tf.sqrt(tf.add(variance, 1e-8)));
      this.g!.write(scale);
      this.b!.write(tf.neg(tf.mul(mean, scale)));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const inputs = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...inputs.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, trainScale: this.trainScale, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
