import * as tf from '@tensorflow/tfjs-core';
import * as z from 'zod';

/** A finite number (ranges and integer-ness are checked after, with their own messages). */
export const finite = z.number();
/** Something optional whose own check (with its own message) follows. */
export const checkedLater = z.unknown().optional();

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A feature matrix `{ values, count, dim }`: its sizes and values are checked by `checkFeatures`. */
export const featureMatrixType = z.custom<object>((v) => isObject(v) && 'values' in v, { error: 'expected features { values, count, dim }' });
/** A feature extractor: an object with a `features` function. */
export const extractorType = z.custom<object>((v) => isObject(v) && typeof v['features'] === 'function', {
  error: 'expected a FeatureExtractor (loadExtractor, layerExtractor, classifierExtractor, functionExtractor)',
});
/** A tfjs-layers model (anything with `predict`). */
export const layersModelType = z.custom<object>((v) => isObject(v) && typeof v['predict'] === 'function', { error: 'expected a tf.LayersModel' });
/** Images: a tensor, a Dataset of @dgm/data or a sampler `{ count, sample(n) }`. */
export const imageSourceType = z.custom<object>(
  (v) => v instanceof tf.Tensor || (isObject(v) && (typeof v['sample'] === 'function' || (Number.isInteger(v['count']) && v['images'] !== undefined))),
  { error: 'expected images: a tf.Tensor4D, a Dataset from @dgm/data or { count, sample(n) }' },
);
