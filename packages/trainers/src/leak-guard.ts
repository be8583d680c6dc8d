import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '@dgm/core';

/** A check for the end of each step: throws when more tensors are live than after the step before. */
export function tensorLeakGuard(caller: string): (step: number) => void {
  let afterLastStep: number | undefined;
  return (step) => {
    const live = tf.memory().numTensors;
    if (afterLastStep !== undefined && live > afterLastStep) {
      throw new TrainingError(`${caller}: ${live - afterLastStep} tensor(s) more after step ${step} than after step ${step - 1}: something leaks`);
    }
    afterLastStep = live;
  };
}
