/** Where a command writes: results and messages to `out`, progress and errors to `err`. */
export interface Io {
  log(text: string): void;
  error(text: string): void;
  /** Progress bars and other terminal-only output (a TTY gets a bar, anything else log lines). */
  readonly progress: NodeJS.WriteStream;
}

export const processIo: Io = {
  log: (text) => void process.stdout.write(`${text}\n`),
  error: (text) => void process.stderr.write(`${text}\n`),
  progress: process.stderr,
};
