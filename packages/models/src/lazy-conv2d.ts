import * as tf from '@tensorflow/tfjs-core';
// Registers tfjs-layers' classes, Conv2D among them, before this module reads the registry.
import '@tensorflow/tfjs-layers';
import type * as tfl from '@tensorflow/tfjs-layers';

type Conv2DArgs = Parameters<typeof tfl.layers.conv2d>[0];
type StockConv2D = ReturnType<typeof tfl.layers.conv2d>;
type Kwargs = Parameters<StockConv2D['call']>[1];

/** tfjs-layers' Conv2D class: the package exports only its factory, and registers the class for deserialization. */
function stockConv2D(): { new (args: Conv2DArgs): StockConv2D; className: string } {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['Conv2D'];
  if (entry === undefined) throw new Error('@dgm/models: tfjs-layers registered no Conv2D class');
  return entry[0] as unknown as ReturnType<typeof stockConv2D>;
}

/**
 * tfjs-layers' Conv2D with lazy gradients. The stock layer runs `tf.fused.conv2d`, whose
 * gradient computes the input's, the filter's and the bias's gradients at once whenever it is
 * on the tape: G's update through D computes D's filter gradients, and D's update the
 * gradient of the images. Under a tape this layer runs `tf.conv2d` and `tf.add` instead, whose
 * registered gradients the tape calls only for inputs on the path to the variables asked for.
 * The values are those of the fused kernels where they convolve, then add the bias (cpu, and
 * @dgm/kernels on wasm): bit for bit; stock wasm's adds it inside the product (rounding apart).
 * Outside a tape it is the stock layer. Same class name, config and weights: saved models
 * load as a stock Conv2D.
 */
export class LazyConv2D extends stockConv2D() {
  static override className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    // tfjs's fused ops ask the same (shouldFuse): a gradient is being recorded.
    const recording = tf.engine().state.gradientDepth > 0;
    const padding = this.padding;
    if (!recording || this.dataFormat !== 'channelsLast' || padding === 'causal') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [strideY, strideX] = this.strides as [number, number];
      const [dilationY, dilationX] = this.dilationRate as [number, number];
      let y: tf.Tensor = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, [strideY, strideX], padding, 'NHWC', [dilationY, dilationX]);
      if (this.bias != null) y = tf.add(y, this.bias.read());
      return this.activation.apply(y);
    });
  }
}
