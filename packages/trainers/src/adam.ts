import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from '@dgm/core';
import type { AdamSettings } from './recipe.js';

/** Adam's state: the step count and the two moments of every variable, in the variables' order. */
export interface AdamState {
  readonly step: number;
  readonly firstMoments: readonly Float32Array[];
  readonly secondMoments: readonly Float32Array[];
}

/**
 * Adam (Kingma & Ba 2015) over a fixed list of variables, with a state that saves and
 * restores exactly: the bias corrections are computed from the step count in float64 each
 * step, instead of tfjs's running products (which `setWeights` can only approximate).
 */
export class Adam {
  learningRate: number;
  #step = 0;
  readonly #m: tf.Variable[];
  readonly #v: tf.Variable[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly settings: AdamSettings,
  ) {
    this.learningRate = settings.learningRate;
    // tidy: the zero tensors the variables start from would otherwise stay alive beside them.
    this.#m = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
    this.#v = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  /** One update on the gradient of `loss`; returns the loss (a scalar the caller disposes). */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = variableGrads(loss, this.variables as tf.Variable[]);
    this.#step++;
    const { beta1, beta2, epsilon = 1e-8 } = this.settings;
    const rate = (this.learningRate * Math.sqrt(1 - beta2 ** this.#step)) / (1 - beta1 ** this.#step);
    const attrs: AdamUpdateAttrs = { beta1, beta2, rate, epsilon };
    const fused = tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        // A variable the loss does not reach has no gradient: it does not move (its moments decay as for a zero gradient).
        const g = grads[variable.name] ?? tf.zerosLike(variable);
        const [updated, m, v] = fused ? this.#fusedUpdate(variable, i, g, attrs) : this.#opUpdate(variable, i, g, attrs);
        this.#m[i]!.assign(m);
        this.#v[i]!.assign(v);
        variable.assign(updated);
      });
    });
    tf.dispose(Object.values(grads));
    return value;
  }

  /** One pass per variable where the backend has the kernel (@dgm/kernels on wasm and cpu): the same values as the ops. */
  #fusedUpdate(variable: tf.Variable, i: number, gradient: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
    const inputs = { variable, m: this.#m[i]!, v: this.#v[i]!, gradient };
    return tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs, { ...attrs }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  }

  #opUpdate(variable: tf.Variable, i: number, g: tf.Tensor, { beta1, beta2, rate, epsilon }: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
    const m = tf.add(tf.mul(this.#m[i]!, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(this.#v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
    return [tf.sub(variable, tf.div(tf.mul(m, rate), tf.add(tf.sqrt(v), epsilon))), m, v];
  }

  /** Updates made so far. */
  getStep(): number {
    return this.#step;
  }

  getState(): AdamState {
    return { step: this.#step, firstMoments: this.#m.map((m) => m.dataSync().slice() as Float32Array), secondMoments: this.#v.map((v) => v.dataSync().slice() as Float32Array) };
  }

  setState(state: AdamState): void {
    this.#step = state.step;
    tf.tidy(() => {
      this.#m.forEach((m, i) => m.assign(tf.tensor(state.firstMoments[i]!, m.shape)));
      this.#v.forEach((v, i) => v.assign(tf.tensor(state.secondMoments[i]!, v.shape)));
    });
  }

  dispose(): void {
    tf.dispose([...this.#m, ...this.#v]);
  }
}

/**
 * `tf.variableGrads`, which on a `loss` that throws also disposes what the forward pass saved
 * for the backward one: tfjs keeps those tensors on its tape until a backward pass disposes
 * them, which a failed one never runs (they would leak, 100 or so per failed GAN step).
 */
function variableGrads(loss: () => tf.Scalar, variables: tf.Variable[]): ReturnType<typeof tf.variableGrads> {
  try {
    return tf.variableGrads(loss, variables);
  } catch (error) {
    const { state } = tf.engine();
    // At depth 0 no outer gradient still needs the tape (the engine clears it the same way after a backward pass).
    if (state.gradientDepth === 0 && state.activeTape != null) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = null as unknown as typeof state.activeTape;
    }
    throw error;
  }
}
