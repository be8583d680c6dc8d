import type { backend_util } from '@tensorflow/tfjs-core';

/** A 2-D NHWC convolution's sizes, in the argument order of `assembly/im2col.ts`. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  /** Rows of the patch matrix: batch · outHeight · outWidth. */
  readonly rows: number;
  /** Columns of the patch matrix: filterHeight · filterWidth · inChannels. */
  readonly patch: number;
  /** h, w, c, kh, kw, sh, sw, dh, dw, top, left, oh, ow. */
  readonly im2colArgs: readonly number[];
}

/** The geometry of a convolution tfjs describes, or undefined for layouts the kernels do not handle (NCHW). */
export function convGeometry(info: backend_util.Conv2DInfo): ConvGeometry | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  return {
    batch: batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    rows: batchSize * outHeight * outWidth,
    patch: filterHeight * filterWidth * inChannels,
    im2colArgs: [
      inHeight,
      inWidth,
      inChannels,
      filterHeight,
      filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padInfo.top,
      info.padInfo.left,
      outHeight,
      outWidth,
    ],
  };
}

/** True when the patch matrix is the input itself (1×1 filter, stride 1, no padding). */
export function isPointwise(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.padInfo.bottom === 0 &&
    info.padInfo.right === 0
  );
}
