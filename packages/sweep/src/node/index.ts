// Node parts of @dgm/sweep: the queue (BullMQ on Redis), workers, sweep records and a local Redis server.
export { startSweep } from './start-sweep.js';
export type { StartSweepOptions, TrialJob } from './start-sweep.js';
export { runWorker } from './run-worker.js';
export type { RunWorkerOptions } from './run-worker.js';
export { sweepStatus } from './sweep-status.js';
export type { SweepStatus, TrialRow } from './sweep-status.js';
export { pauseSweep, resumeSweep, cancelSweep } from './sweep-control.js';
export type { SweepState, TrialResult, TrialStatus } from './sweep-store.js';
export { startRedisServer, freePort } from './redis-server.js';
export type { RedisServer } from './redis-server.js';
export { defaultQueue } from './connection.js';
