import type * as tf from '@tensorflow/tfjs-core';
import { imageGrid, type RasterImage } from '@dgm/data';

/** Draws a raster image (gray or RGB) on a canvas, scaled up without smoothing. */
export function drawRaster(canvas: HTMLCanvasElement, image: RasterImage, scale = 3): void {
  const { width, height, channels, pixels } = image;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgba[4 * p + c] = pixels[p * channels + (channels === 1 ? 0 : c)]!;
    rgba[4 * p + 3] = 255;
  }
  const source = new OffscreenCanvas(width, height);
  source.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
}

/** Images in [−1, 1] as a grid on a canvas; the images are disposed. */
export async function drawImages(canvas: HTMLCanvasElement, images: tf.Tensor4D, rows?: number): Promise<RasterImage> {
  try {
    const grid = await imageGrid({ images, ...(rows === undefined ? {} : { rows }) });
    drawRaster(canvas, grid);
    return grid;
  } finally {
    images.dispose();
  }
}
