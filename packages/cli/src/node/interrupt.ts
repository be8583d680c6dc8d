import type { Io } from './io.js';

/**
 * Ctrl-C (SIGINT) or SIGTERM aborts the signal, so that training ends after its step with a
 * final checkpoint; a second Ctrl-C exits at once (the last periodic checkpoint stays).
 */
export function interruptSignal(io: Io): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.error(`\n${name} again: exiting without a final checkpoint`);
      process.exit(130);
    }
    io.error(`\n${name}: finishing the step and writing a checkpoint (Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
