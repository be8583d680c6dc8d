/** What a run report shows: everything read from a run folder, as plain JSON. */
export interface RunReport {
  /** The run's name (its folder's). */
  readonly title: string;
  /** When the report was written (ISO 8601). */
  readonly writtenAt: string;
  /** The run's record (run.json): config, recipe, environment, status; undefined for a folder without one. */
  readonly run: RunRecord | undefined;
  /** The training log by column: `step` and one array per logged number (null where a step lacks it). */
  readonly log: LogColumns;
  /** What `dgm eval` appended (eval.jsonl), oldest first. */
  readonly evaluations: readonly Evaluation[];
  /** Sample grids over time, by kind ('samples', or a VAE's 'reconstructions'), each in step order. */
  readonly grids: Readonly<Record<string, readonly GridImage[]>>;
  readonly checkpoints: readonly CheckpointEntry[];
  readonly timings: Timings | undefined;
}

/** run.json: written by `dgm train` when a run starts, and updated as it ends. */
export interface RunRecord {
  readonly format: typeof runRecordFormat;
  /** The training's settings, as validated (see the CLI's config). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The trainer's recipe after defaults (GANs), or the VAE's training settings. */
  readonly recipe: unknown;
  readonly environment: Readonly<Record<string, string | number | boolean>>;
  readonly startedAt: string;
  readonly status: 'running' | 'done' | 'stopped' | 'failed';
  /** Set as the run ends. */
  readonly result?: { readonly step: number; readonly stoppedBy: string; readonly seconds: number; readonly error?: string };
}

export const runRecordFormat = 'dgm-cli-run/1';

export interface LogColumns {
  readonly step: readonly number[];
  readonly series: Readonly<Record<string, readonly (number | null)[]>>;
}

/** One `dgm eval`: its results by metric name, and how it was made. */
export interface Evaluation {
  readonly at: string;
  readonly step: number;
  readonly generator: string;
  readonly samples: number;
  readonly reference: string;
  readonly results: readonly { readonly name: string; readonly value: number }[];
}

export interface GridImage {
  /** The step it shows, or undefined for the final grid. */
  readonly step: number | undefined;
  readonly file: string;
  /** The PNG as a data: URL, so that the report holds it. */
  readonly dataUrl: string;
}

export interface CheckpointEntry {
  readonly step: number;
  readonly folder: string;
  readonly bytes: number;
  readonly writtenAt: string;
}

/** Medians over the logged steps. */
export interface Timings {
  readonly msPerStep: number;
  readonly imagesPerSecond: number;
  readonly steps: number;
}
