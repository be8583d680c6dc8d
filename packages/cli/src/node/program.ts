import { Command, CommanderError, Option } from 'commander';
import { CheckpointError, DatasetFormatError, DownloadError, InvalidArgumentError } from '@dgm/core';
import { modelNames, vaeModelNames } from '@dgm/models';
import { dataSpecHelp } from './data-source.js';
import { cliVersion } from './environment.js';
import { evaluate, metricChoices } from './eval.js';
import { collect, example, integer, positive } from './flag-parsers.js';
import { info } from './info.js';
import { processIo, type Io } from './io.js';
import { listModels } from './models.js';
import { report } from './report.js';
import { sample } from './sample.js';
import { addSweepCommands } from './sweep-commands.js';
import { train } from './train.js';

/** Errors of what the user gave (flags, configs, files, folders): exit code 2. */
const inputErrors = [InvalidArgumentError, DatasetFormatError, CheckpointError, DownloadError];

/** The `dgm` program; actions write through `io`; `outcome.interrupted` is set when Ctrl-C ended a training. */
export function buildProgram(io: Io, outcome: { interrupted: boolean } = { interrupted: false }): Command {
  const program = new Command('dgm')
    .description('Train, sample, evaluate and report deep generative models (dgm, TensorFlow.js)')
    .version(cliVersion)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.log(text.trimEnd()), writeErr: (text) => io.error(text.trimEnd()) })
    .showHelpAfterError('(dgm --help, or dgm COMMAND --help)');
  program
    .command('train')
    .description('train a GAN or VAE into a run folder (resumable; Ctrl-C writes a checkpoint)')
    .addOption(new Option('--model <name>', 'model').choices([...modelNames, ...vaeModelNames]))
    .option('--data <spec>', dataSpecHelp)
    .option('--steps <n>', 'training steps (default 2000, or until --minutes runs out)', integer(1))
    .option('--minutes <m>', 'time budget', positive)
    .option('--batch-size <n>', "batch size (default: the family's recipe)", integer(1))
    .option('--seed <n>', 'seed of weights, data order and latents (default 0)', integer(0))
    .addOption(new Option('--backend <name>', 'tfjs backend (default auto)').choices(['auto', 'tensorflow', 'wasm', 'cpu']))
    .option('--run-dir <dir>', 'run folder (default runs/MODEL-DATA-TIME)')
    .option('--resume', 'continue the run in --run-dir from its latest checkpoint')
    .option('--config <file>', 'settings in JSON or YAML (the same keys as the flags, in camelCase, plus modelOptions and recipe)')
    .option('--set <key=value>', 'set one setting, e.g. recipe.loss=hinge or modelOptions.generatorFilters=32 (repeatable)', collect)
    .option('--metrics-every <n>', 'score FID every N steps with the data’s shipped extractor', integer(1))
    .addHelpText('after', example('dgm train --model dcgan --data mnist --minutes 10\n  dgm train --run-dir runs/my-run --resume --minutes 5'))
    .action(async (flags) => void (outcome.interrupted = (await train(flags, io)) === 'interrupted'));
  program
    .command('sample')
    .description("draw images from a run's generator (or VAE decoder): one grid, or one PNG per image")
    .requiredOption('--run <dir>', 'run folder (its latest checkpoint) or a checkpoint folder')
    .option('--n <count>', 'images (default 64)', integer(1), 64)
    .option('--class <k>', 'conditional models: the class, by index or name')
    .option('--ema', 'use the EMA generator (the default when the run has one)')
    .option('--no-ema', 'use the raw generator')
    .option('--seed <n>', 'seed of the latents', integer(0), 0)
    .option('--out <file>', 'grid PNG (default RUN/samples/sample.png)')
    .option('--out-dir <dir>', 'one PNG per image instead of a grid')
    .addHelpText('after', example('dgm sample --run runs/my-run --class 7 --n 16 --out sevens.png'))
    .action((flags) => sample(flags, io));
  program
    .command('eval')
    .description("score a run's generator; appends the results to RUN/eval.jsonl")
    .requiredOption('--run <dir>', 'run folder')
    .option('--metrics <list>', `comma-separated: ${metricChoices.join(', ')}`, 'fid')
    .option('--samples <n>', 'generated images (default 10000)', integer(2), 10_000)
    .option('--reference <what>', "real images: train, test, or a statistics file (FID only; saveReferenceStatistics)", 'train')
    .option('--ema', 'score the EMA generator (the default when the run has one)')
    .option('--no-ema', 'score the raw generator')
    .option('--seed <n>', 'seed of the latents', integer(0), 0)
    .option('--json', 'print the results as JSON')
    .addHelpText('after', example('dgm eval --run runs/my-run --metrics fid,kid,is --samples 5000'))
    .action((flags) => evaluate(flags, io));
  program
    .command('report')
    .description('write the run report: one self-contained HTML file (no server, no network)')
    .requiredOption('--run <dir>', 'run folder')
    .option('--out <file>', 'default RUN/report.html')
    .addHelpText('after', example('dgm report --run runs/my-run && xdg-open runs/my-run/report.html'))
    .action((flags) => report(flags, io));
  program
    .command('info')
    .description('backends found, which one auto picks and why, fast kernels, versions')
    .addHelpText('after', example('dgm info'))
    .action(() => info(io));
  program
    .command('models')
    .description('the model registry, with parameter counts for MNIST-shaped images')
    .addHelpText('after', example('dgm models'))
    .action(() => listModels(io));
  addSweepCommands(program, io);
  return program;
}

/** Runs `dgm` with these arguments; resolves to the exit code (0 ok, 2 bad usage or input, 130 interrupted, 1 otherwise). */
export async function runDgm(args: readonly string[], io: Io = processIo): Promise<number> {
  const outcome = { interrupted: false };
  try {
    await buildProgram(io, outcome).parseAsync([...args], { from: 'user' });
    return outcome.interrupted ? 130 : 0;
  } catch (error) {
    if (error instanceof CommanderError) return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? 0 : 2;
    const input = inputErrors.some((type) => type.isInstance(error));
    const message = (error as Error)?.message ?? String(error);
    io.error(`dgm: ${input ? message.split('\n')[0] : message}`);
    if (!input && process.env['DGM_DEBUG'] !== undefined) io.error(String((error as Error)?.stack));
    return input ? 2 : 1;
  }
}
