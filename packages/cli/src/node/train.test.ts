import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dgm, scratch, tiny, tinyVae } from './cli.test-helper.js';

const logSteps = (runDir: string) =>
  readFileSync(join(runDir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { step: number }).step);
const runJson = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { status: string; config: Record<string, unknown>; result?: { step: number; stoppedBy: string }; environment: Record<string, unknown> };
const latest = (runDir: string) => (JSON.parse(readFileSync(join(runDir, 'checkpoints', 'latest.json'), 'utf8')) as { checkpoint: string }).checkpoint;

describe('dgm train', () => {
  it('trains into a run folder, then --resume continues from its latest checkpoint at the right step', async () => {
    const runDir = join(scratch(), 'run');
    const first = await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '6', '--run-dir', runDir, ...tiny, '--set', 'checkpointEvery=3', '--set', 'gridEvery=3']);
    expect(first.stderr).not.toMatch(/dgm:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/done: step 6; checkpoint .*step-0000006/);
    expect(logSteps(runDir)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(runJson(runDir)).toMatchObject({ status: 'done', result: { step: 6, stoppedBy: 'steps' }, config: { model: 'dcgan', data: 'mnist', steps: 6, batchSize: 8 } });
    expect(runJson(runDir).environment).toMatchObject({ backend: 'wasm', fastKernels: expect.stringMatching(/^on/) });
    for (const file of ['report.html', 'samples/step-0000003.png', 'samples/final.png']) expect(existsSync(join(runDir, file)), file).toBe(true);

    // Only the run folder and a new step count: the rest comes from run.json.
    const resumed = await dgm(['train', '--run-dir', runDir, '--resume', '--steps', '9']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resumed from step 6/);
    expect(logSteps(runDir)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(latest(runDir)).toBe('step-0000009');
    expect(runJson(runDir)).toMatchObject({ status: 'done', result: { step: 9 }, config: { steps: 9, batchSize: 8 } });
  });

  it('Ctrl-C (SIGINT) writes a final checkpoint, says how to resume, and exits with 130; the resumed run goes on from that step', async () => {
    const runDir = join(scratch(), 'run');
    let interrupted = false;
    const outcome = await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '100000', '--run-dir', runDir, ...tiny, '--set', 'checkpointEvery=1000'], {
      onStarted: (child) => {
        const poll = setInterval(() => {
          // Once it has trained a few steps (the log has them), interrupt it.
          const lines = existsSync(join(runDir, 'log.jsonl')) ? readFileSync(join(runDir, 'log.jsonl'), 'utf8').split('\n').length - 1 : 0;
          if (lines >= 3 && !interrupted) {
            interrupted = true;
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
      },
    });
    expect(outcome.code).toBe(130);
    expect(outcome.stderr).toMatch(/SIGINT: finishing the step and writing a checkpoint/);
    const stoppedAt = logSteps(runDir).at(-1)!;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(1000);
    expect(outcome.stdout).toContain(`interrupted: step ${stoppedAt}`);
    expect(outcome.stdout).toContain(`dgm train --run-dir ${runDir} --resume`);
    expect(latest(runDir)).toBe(`step-${String(stoppedAt).padStart(7, '0')}`);
    expect(runJson(runDir)).toMatchObject({ status: 'stopped', result: { step: stoppedAt, stoppedBy: 'signal' } });
    const resumed = await dgm(['train', '--run-dir', runDir, '--resume', '--steps', String(stoppedAt + 2)]);
    expect(resumed.code).toBe(0);
    expect(logSteps(runDir).slice(-3)).toEqual([stoppedAt, stoppedAt + 1, stoppedAt + 2]);
  });

  it('trains a VAE from a YAML config, with its grids', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'vae.yaml'), 'model: vae\ndata: mnist\nsteps: 4\ngridEvery: 2\nrecipe:\n  beta: 0.5\n  binarize: dynamic\n');
    const outcome = await dgm(['train', '--config', 'vae.yaml', '--run-dir', 'run', ...tinyVae], { cwd: dir });
    expect(outcome.code).toBe(0);
    expect(logSteps(join(dir, 'run'))).toEqual([1, 2, 3, 4]);
    expect(runJson(join(dir, 'run'))).toMatchObject({ config: { model: 'vae', recipe: { beta: 0.5, binarize: 'dynamic' } } });
    for (const file of ['samples-step-0000002.png', 'reconstructions-final.png']) expect(existsSync(join(dir, 'run', 'samples', file)), file).toBe(true);
  });
});

describe('dgm train refuses bad usage and bad input with exit code 2 and one line naming the problem', () => {
  const cases: [string, string[], RegExp, string?][] = [
    ['an unknown flag', ['train', '--model', 'dcgan', '--data', 'mnist', '--stepz', '3'], /unknown option '--stepz'/],
    ['an unknown model', ['train', '--model', 'stylegan', '--data', 'mnist'], /'--model <name>' argument 'stylegan' is invalid/],
    ['a bad number', ['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '2.5'], /'--steps <n>' argument '2.5' is invalid. expected an integer ≥ 1/],
    ['a bad data spec', ['train', '--model', 'dcgan', '--data', 'svhn'], /^dgm: data: expected mnist, fashion-mnist, .* got "svhn"$/m],
    ['a bad recipe field in the config', ['train', '--config', 'c.yaml'], /^dgm: recipe: loss: expected one of .*got string "banana"$/m, 'model: dcgan\ndata: mnist\nrecipe:\n  loss: banana\n'],
    ['an unknown config key', ['train', '--config', 'c.json'], /^dgm: config: unknown option "stepz"$/m, '{ "model": "dcgan", "data": "mnist", "stepz": 3 }'],
    ['a config field of the wrong type', ['train', '--config', 'c.yaml'], /^dgm: config: minutes: expected a finite number, got string "ten"$/m, 'model: dcgan\ndata: mnist\nminutes: ten\n'],
    ['a YAML syntax error', ['train', '--config', 'c.yaml'], /^dgm: --config c\.yaml: .*line 2/m, 'model: [dcgan\n'],
    ['a model option out of range (--set)', ['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '1', '--set', 'modelOptions.generatorFilters=-1', '--run-dir', 'r'], /^dgm: createDcgan: generatorFilters must be a positive integer, got -1$/m],
    ['a malformed --set', ['train', '--model', 'dcgan', '--data', 'mnist', '--set', 'steps'], /^dgm: --set: expected key=value/m],
    ['--resume without a run folder', ['train', '--resume'], /^dgm: --resume needs --run-dir DIR/m],
    ['metrics for data without an extractor', ['train', '--model', 'dcgan', '--data', 'folder:x', '--metrics-every', '5'], /^dgm: metricsEvery: no shipped extractor scores folder:x/m],
  ];
  it.each(cases)('%s', async (_what, args, message, config) => {
    const dir = scratch();
    if (config !== undefined) writeFileSync(join(dir, args[2]!), config);
    const outcome = await dgm(args, { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(message);
  });

  it('a run folder that already holds a run, without --resume', async () => {
    const runDir = join(scratch(), 'run');
    expect((await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '1', '--run-dir', runDir, ...tiny])).code).toBe(0);
    const again = await dgm(['train', '--model', 'dcgan', '--data', 'mnist', '--steps', '1', '--run-dir', runDir, ...tiny]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run: add --resume/);
    const changed = await dgm(['train', '--run-dir', runDir, '--resume', '--model', 'wgan-gp']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/--resume: model must stay "dcgan"/);
  });
});
