import * as z from 'zod';

/** '45 s', '5m10s', '1h15m': a duration for progress lines. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Says when a log line is due without a TTY: the first update, then one every `seconds`
 * (so that a slow run still shows progress early), and always the last one.
 */
export function lineClock(seconds: number): (last: boolean) => boolean {
  let next = -Infinity;
  return (last) => {
    const now = performance.now();
    if (!last && now < next) return false;
    next = now + seconds * 1000;
    return true;
  };
}

/** The options of progressBar and taskProgress. */
export const terminalOptions = z.strictObject({
  stream: z.custom((v) => typeof v === 'object' && v !== null && typeof (v as { write?: unknown }).write === 'function', { error: 'expected a writable stream (e.g. process.stderr)' }).optional(),
  logEverySeconds: z.number().min(0).optional(),
});
