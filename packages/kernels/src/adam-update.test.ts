import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ADAM_UPDATE_KERNEL, createRandom } from '@dgm/core';
import { describeWithBackends, expectNoLeakedTensors } from '@dgm/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disableFastKernels, enableFastKernels } from './enable-fast-kernels.js';

const random = createRandom({ seed: 5 });
const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * random.normal());
const attrs = { beta1: 0.5, beta2: 0.999, rate: 2.37e-4, epsilon: 1e-8 };

/** Adam's update as element-wise ops, as optimizers compute it without the kernel. */
function opUpdate(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor): tf.Tensor[] {
  const { beta1, beta2, rate, epsilon } = attrs;
  const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  return [tf.sub(x, tf.div(tf.mul(m1, rate), tf.add(tf.sqrt(v1), epsilon))), m1, v1];
}

beforeAll(() => enableFastKernels({ threads: 1 }));
afterAll(() => disableFastKernels());

describeWithBackends('the Adam update kernel', () => {
  it("equals the element-wise ops bit for bit over many steps (moments, variable), without leaks", async () => {
    const n = 1003;
    const start = [values(n, 1), values(n, 0.1), values(n, 0.01).map(Math.abs)];
    // Tiny gradients too, where ε decides the step.
    const gradients = Array.from({ length: 20 }, (_, step) => values(n, step % 3 === 0 ? 1e-6 : 1));
    const run = (fused: boolean) =>
      tf.tidy(() => {
        let [x, m, v] = start.map((s) => tf.tensor(s));
        for (const gradient of gradients) {
          const g = tf.tensor(gradient);
          [x, m, v] = fused ? (tf.engine().runKernel(ADAM_UPDATE_KERNEL, { variable: x!, m: m!, v: v!, gradient: g }, { ...attrs }) as tf.Tensor[]) : opUpdate(x!, m!, v!, g);
        }
        return [x, m, v].map((t) => t!.dataSync() as Float32Array);
      });
    const fused = await expectNoLeakedTensors(() => run(true));
    const ops = run(false);
    fused.forEach((values, i) => expect(values).toEqual(ops[i]));
  });
});
