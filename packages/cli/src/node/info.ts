import { startBackend } from './backend.js';
import { describeEnvironment } from './environment.js';
import type { Io } from './io.js';

/** `dgm info`: the backend `auto` picks and why (each package tried), fast kernels, versions and machine. */
export async function info(io: Io): Promise<void> {
  const backend = await startBackend();
  io.log(`auto picks: ${backend.backend} (${backend.package})`);
  io.log(`why: ${backend.reason}`);
  for (const attempt of backend.attempts) io.log(`  ${attempt.package}: ${attempt.outcome} (${attempt.detail})`);
  const environment = describeEnvironment(backend);
  for (const [key, value] of Object.entries(environment)) io.log(`${key}: ${value}`);
}
