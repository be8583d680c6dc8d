import type { BatchStream } from '@dgm/data';

/** Epochs a stream has finished: an epoch counts as soon as its last batch has been taken. */
export function completedEpochs(stream: BatchStream): number {
  const { epoch, batch } = stream.getState();
  return epoch + (batch === stream.batchesPerEpoch ? 1 : 0);
}
