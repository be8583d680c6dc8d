import * as tf from '@tensorflow/tfjs-core';
import type { Gan } from '@dgm/models';
import { indexedDbStore } from '@dgm/trainers';
import { loadMnistSplit, loadPretrained } from './assets.js';
import { hasWebGpu, pageBackends, useBackend, type PageBackend } from './backends.js';
import { drawImages } from './draw.js';
import { LossChart } from './loss-chart.js';
import { exposePageApi } from './page-api.js';
import { classSamples, interpolate } from './pretrained.js';
import { scoreGenerator } from './scoring.js';
import { LiveTraining, type StepReport, type TrainedFamily } from './training.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);

let training: LiveTraining | undefined;
const chart = new LossChart($('chart'));

/** Runs an action of a button, showing its error in `where` rather than losing it. */
function guarded(where: string, action: () => Promise<void>): () => void {
  return () => void action().catch((error: unknown) => text(where, `Error: ${(error as Error).message}`));
}

/** Where this browser keeps the run of each model. */
const keptRunStore = (family: TrainedFamily) => indexedDbStore({ name: `browser-${family}` });

/** A training of `family` on MNIST's training set, its checkpoints kept in this browser. */
async function keptTraining(family: TrainedFamily): Promise<LiveTraining> {
  return new LiveTraining(await loadMnistSplit('train'), family, keptRunStore(family));
}

async function startTraining(): Promise<void> {
  const backend = $<HTMLSelectElement>('backend').value as PageBackend;
  const family = $<HTMLSelectElement>('family').value as TrainedFamily;
  if (training === undefined || training.family !== family || tf.getBackend() !== backend) {
    // Another model or backend: the kept run is taken up again from its checkpoint in this browser.
    training?.dispose();
    training = undefined;
    const { reason } = await useBackend(backend);
    text('status', `Loading MNIST… (${reason})`);
    chart.clear();
    training = await keptTraining(family);
    // A run kept in this browser (the tab was closed or reloaded) goes on where it stopped.
    if (await training.resumeStored()) text('status', `Resuming the run kept in this browser at step ${training.step}…`);
  }
  setRunning(true);
  try {
    await training.run(1_000_000, showStep);
  } finally {
    setRunning(false);
  }
}

async function showStep(report: StepReport): Promise<void> {
  chart.add(report.step, report.dLoss, report.gLoss);
  text('status', `step ${report.step} | D ${report.dLoss.toFixed(3)} G ${report.gLoss.toFixed(3)} | ${report.stepsPerSecond.toFixed(2)} steps/s, ${report.imagesPerSecond.toFixed(0)} images/s on ${tf.getBackend()}`);
  if (report.step % 10 === 1) await drawImages($('grid'), training!.samples(), 8);
}

/** Forgets the run kept in this browser for the chosen model: the next Train starts anew. */
async function startOver(): Promise<void> {
  await training?.pause();
  training?.dispose();
  training = undefined;
  chart.clear();
  await keptRunStore($<HTMLSelectElement>('family').value as TrainedFamily).clear!();
  text('status', 'Cleared: Train starts a new run.');
  setRunning(false);
}

function setRunning(running: boolean): void {
  $<HTMLButtonElement>('start').disabled = running;
  $<HTMLButtonElement>('pause').disabled = !running;
  $<HTMLButtonElement>('download').disabled = training === undefined;
}

async function downloadCheckpoint(): Promise<void> {
  const bytes = await training!.checkpointFile();
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([bytes as BlobPart])), download: `mnist-${training!.family}-step${training!.step}.dgmckpt` });
  link.click();
  URL.revokeObjectURL(link.href);
}

async function reloadCheckpoint(file: File): Promise<void> {
  if (training === undefined) {
    const family = file.name.includes('cgan') ? 'cgan' : 'dcgan';
    $<HTMLSelectElement>('family').value = family;
    training = await keptTraining(family);
  }
  await training.restore(new Uint8Array(await file.arrayBuffer()));
  await drawImages($('grid'), training.samples(), 8);
  text('status', `Reloaded the checkpoint of step ${training.step}: Train resumes from it.`);
  setRunning(false);
}

async function showPretrained(gan: Gan): Promise<void> {
  const picked = Number($<HTMLSelectElement>('class').value);
  await drawImages($('class-grid'), classSamples(gan, picked), 4);
  await drawImages($('lerp-grid'), interpolate(gan, picked, Number($<HTMLInputElement>('lerp').value)), 1);
}

async function score(which: 'live' | 'pretrained', pretrained: Promise<Gan>): Promise<void> {
  const count = Number($<HTMLSelectElement>('score-count').value);
  const progress = $<HTMLProgressElement>('score-progress');
  const gan = which === 'live' ? training?.gan : await pretrained;
  if (gan === undefined) throw new Error('train a generator first');
  const generator = which === 'live' ? training!.averagedGenerator : gan.generator;
  text('scores', `Scoring ${count} samples…`);
  const s = await scoreGenerator(gan, generator, count, ({ done, total }) => void ((progress.value = done), (progress.max = total)));
  text('scores', `${which === 'live' ? `Training generator at step ${training!.step}` : 'Pre-trained generator'}: FID ${s.fid.toFixed(2)}, Inception Score ${s.inceptionScore.toFixed(2)} ± ${s.inceptionScoreStd.toFixed(2)} (${s.protocol}, on ${tf.getBackend()})`);
}

function setUp(): void {
  const backends = pageBackends.filter((b) => b !== 'webgpu' || hasWebGpu());
  $<HTMLSelectElement>('backend').append(...backends.map((b) => new Option(b, b)));
  $<HTMLSelectElement>('class').append(...Array.from({ length: 10 }, (_, c) => new Option(String(c), String(c))));
  text('environment', `${crossOriginIsolated ? 'Cross-origin isolated: SharedArrayBuffer is available' : 'Not cross-origin isolated: no SharedArrayBuffer'}; backends: ${backends.join(', ')}.`);
  $('start').addEventListener('click', guarded('status', startTraining));
  $('pause').addEventListener('click', guarded('status', async () => training?.pause()));
  $('download').addEventListener('click', guarded('status', downloadCheckpoint));
  $('start-over').addEventListener('click', guarded('status', startOver));
  $<HTMLInputElement>('upload').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file !== undefined) guarded('status', () => reloadCheckpoint(file))();
  });
  // Sampling runs on webgl where the browser has it, else on cpu.
  const pretrained = useBackend('webgl').catch(() => useBackend('cpu')).then(() => loadPretrained());
  const redraw = guarded('pretrained-status', async () => showPretrained(await pretrained));
  pretrained.then(() => text('pretrained-status', 'Samples of the class picked, and a walk between two sets of latents.'), () => undefined);
  redraw();
  $('class').addEventListener('change', redraw);
  $('lerp').addEventListener('input', redraw);
  $('score-live').addEventListener('click', guarded('scores', () => score('live', pretrained)));
  $('score-pretrained').addEventListener('click', guarded('scores', () => score('pretrained', pretrained)));
  exposePageApi(pretrained);
}

setUp();
