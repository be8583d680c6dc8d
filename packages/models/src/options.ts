import * as z from 'zod';

/** A finite number (domain checks, with their own messages, follow in the builders). */
export const finite = z.number();
/** An image shape's type: an array of numbers; `checkImageShape` says which are supported. */
export const imageShapeType = z.array(z.number());
/** A tfjs-layers model (anything with `predict`), for options that take one. */
export const layersModelType = z.custom<{ predict: unknown }>((v) => typeof (v as { predict?: unknown } | null)?.predict === 'function', {
  error: 'expected a tf.LayersModel',
});
