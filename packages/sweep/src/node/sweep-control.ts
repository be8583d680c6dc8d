import { InvalidArgumentError } from '@dgm/core';
import { withSweep, type SweepAccessOptions } from './sweep-access.js';
import { endedWithoutResult } from './sweep-store.js';

/** Workers take no new trial of the sweep (running ones go on) until resumeSweep. */
export const pauseSweep = (input: SweepAccessOptions) => withSweep(input, 'pauseSweep', (store) => store.setState('paused'));

/** Lets workers take the sweep's trials again; a cancelled sweep stays cancelled. */
export const resumeSweep = (input: SweepAccessOptions) =>
  withSweep(input, 'resumeSweep', async (store) => {
    if ((await store.state()) === 'cancelled') throw new InvalidArgumentError(`resumeSweep: sweep ${store.sweep} was cancelled; start a new sweep (another name) to run its trials`);
    await store.setState('running');
  });

/** Cancels a sweep: its waiting trials are removed and marked cancelled, running ones stop with a checkpoint; resolves to the trials cancelled while waiting. */
export const cancelSweep = (input: SweepAccessOptions) =>
  withSweep(input, 'cancelSweep', async (store, queue) => {
    await store.setState('cancelled');
    const waiting = (await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'])).filter((job) => job.data?.sweep === store.sweep);
    for (const job of waiting) {
      await job.remove();
      await store.recordResult(endedWithoutResult(job, 'cancelled', 'none'));
    }
    return waiting.length;
  });
