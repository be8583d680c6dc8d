import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from './errors.js';

export interface AssertSingleTfjsCoreOptions {
  /** The app's own `@tensorflow/tfjs-core` module (`import * as tf from '@tensorflow/tfjs-core'`). */
  readonly tf: unknown;
}

/**
 * Throws when the app's tfjs-core is not the copy @dgm packages use. Two copies share
 * tfjs's global engine but not its classes, IO registries or version, which breaks in
 * subtle ways; a single install (aligned versions, pnpm overrides or `npm dedupe`) avoids it.
 */
export function assertSingleTfjsCore(options: AssertSingleTfjsCoreOptions): void {
  const appTf = (options as Partial<AssertSingleTfjsCoreOptions> | null)?.tf as Partial<typeof tf> | undefined;
  if (typeof appTf?.setBackend !== 'function') {
    throw new InvalidArgumentError('assertSingleTfjsCore: expected { tf } with the app\'s @tensorflow/tfjs-core module');
  }
  if (appTf.setBackend !== tf.setBackend) {
    throw new InvalidArgumentError(
      `Two copies of @tensorflow/tfjs-core are loaded: the app's (${String(appTf.version_core)}) and the one ` +
        `@dgm packages use (${tf.version_core}). Install a single copy: align the versions, then ` +
        '`npm dedupe` (npm) or a `pnpm.overrides` entry (pnpm).',
    );
  }
}
