import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, registerMissingGradients, type Random } from '@dgm/core';
import { checkSameShape, checkTensor } from './check.js';

/** D (or the critic) as a function of images; its output may have any shape [n, …]. */
export type Critic = (images: tf.Tensor) => tf.Tensor;

export interface GradientPenaltyOptions {
  readonly critic: Critic;
  readonly real: tf.Tensor;
  readonly fake: tf.Tensor;
  /** Draws the interpolation weights ε ~ U[0, 1), one per image. */
  readonly random: Random;
  /** λ. Default 10. */
  readonly weight?: number;
  /** The gradient norm aimed at. Default 1. */
  readonly target?: number;
}

/**
 * WGAN-GP gradient penalty (Gulrajani et al. 2017): λ·E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²] at
 * x̂ = ε·x + (1 − ε)·G(z). Call it inside D's loss: its gradient w.r.t. D's weights is a
 * second-order gradient (it registers the gradients tfjs lacks for that).
 */
export function gradientPenalty({ critic, real, fake, random, weight = 10, target = 1 }: GradientPenaltyOptions): tf.Scalar {
  checkTensor(real, 'real', 'gradientPenalty');
  checkTensor(fake, 'fake', 'gradientPenalty');
  checkSameShape(real, fake, ['real', 'fake'], 'gradientPenalty');
  checkCritic(critic, weight, 'gradientPenalty');
  registerMissingGradients();
  const n = real.shape[0]!;
  const epsilon = Float32Array.from({ length: n }, () => random.float());
  return tf.tidy(() => {
    const e = tf.tensor(epsilon, [n, ...real.shape.slice(1).map(() => 1)]);
    const interpolates = tf.add(tf.mul(e, real), tf.mul(tf.sub(1, e), fake));
    const norms = perImageNorms(tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(interpolates));
    return tf.mul(tf.mean(tf.square(tf.sub(norms, target))), weight);
  });
}

export interface R1PenaltyOptions {
  readonly discriminator: Critic;
  readonly real: tf.Tensor;
  /** γ. Default 10. */
  readonly weight?: number;
}

/** R1 penalty (Mescheder et al. 2018): γ/2·E[‖∇ₓ D(x)‖₂²] on real images. */
export function r1Penalty({ discriminator, real, weight = 10 }: R1PenaltyOptions): tf.Scalar {
  checkTensor(real, 'real', 'r1Penalty');
  checkCritic(discriminator, weight, 'r1Penalty');
  registerMissingGradients();
  return tf.tidy(() => {
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(discriminator(x)))(real);
    return tf.mul(tf.mean(tf.sum(tf.square(gradient), axesAfterBatch(gradient))), weight / 2);
  });
}

/** ‖g_i‖₂ per image, with ε inside the root so that its gradient stays finite at 0. */
function perImageNorms(gradient: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.add(tf.sum(tf.square(gradient), axesAfterBatch(gradient)), 1e-12));
}

function axesAfterBatch(t: tf.Tensor): number[] {
  return Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
}

function checkCritic(critic: unknown, weight: number, caller: string): void {
  if (typeof critic !== 'function') throw new InvalidArgumentError(`${caller}: the critic must be a function of images`);
  if (!(weight >= 0)) throw new InvalidArgumentError(`${caller}: weight must be ≥ 0, got ${weight}`);
}
