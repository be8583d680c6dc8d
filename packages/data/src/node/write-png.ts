import { writeAtomically } from '@dgm/core/node';
import type { RasterImage } from '../image-grid.js';
import { encodePng } from '../png.js';

/** Writes an image as PNG, atomically: a temporary file next to `path`, then a rename. */
export async function writePng(path: string, image: RasterImage): Promise<void> {
  await writeAtomically(path, encodePng(image));
}
