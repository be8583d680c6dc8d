import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { DgmError } from '@dgm/core';

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM: it writes what it holds first). */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL: what the append-only file holds survives), for failure tests. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder, after stop() or kill(). */
  restart(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts Debian's `redis-server` on 127.0.0.1 (a free port unless given) with its data in `dir`
 * and append-only persistence fsynced on every write, so that a killed server loses nothing it
 * acknowledged. For tests, benchmarks and a sweep on one machine; a cluster uses its own Redis.
 */
export async function startRedisServer(options: { dir: string; port?: number; executable?: string }): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const executable = options.executable ?? process.env['REDIS_SERVER'] ?? 'redis-server';
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'];
    const started = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout!.on('data', (chunk) => (output += chunk));
    started.stderr!.on('data', (chunk) => (output += chunk));
    const ready = new Promise<void>((resolve, reject) => {
      started.stdout!.on('data', () => /Ready to accept connections/.test(output) && resolve());
      started.once('error', (error) => reject(new DgmError(`cannot start ${executable} (apt-get install redis-server, or set REDIS_SERVER): ${error.message}`, { cause: error })));
      started.once('exit', (code) => reject(new DgmError(`${executable} exited with code ${code} before it was ready: ${output.trim().split('\n').slice(-3).join(' | ')}`)));
    });
    await ready;
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    running.kill(signal);
    await once(running, 'exit');
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => halt('SIGTERM'), kill: () => halt('SIGKILL'), restart: start };
}
