import type { LatentDraws } from '@dgm/models';

/**
 * Draws that are always the given latents and labels (for `decodeBatch` of @dgm/models):
 * `z` [n·latentDim] row-major, `labels` one per latent, or empty for a model without labels.
 */
export function fixedDraws(z: Float32Array, labels: Int32Array): LatentDraws {
  return { next: () => ({ z, labels }), labels: () => labels };
}
