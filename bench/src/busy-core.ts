import { spawn } from 'node:child_process';

/**
 * Runs `measure` while another process keeps one core busy (a spinning Node process at
 * normal priority), as on a machine shared with other work.
 */
export async function withOneCoreBusy<T>(measure: () => Promise<T>): Promise<T> {
  const spinner = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500)); // let it reach full speed
  try {
    return await measure();
  } finally {
    spinner.kill('SIGKILL');
  }
}
