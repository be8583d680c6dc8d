import '@tensorflow/tfjs-layers';
import { startBackend } from './backend.js';
import { createModel, familyTraits, modelFamilies, modelNames, vaeModelNames, type Gan, type Vae } from '@dgm/models';
import { takesClassCount } from './check-train-config.js';
import type { Io } from './io.js';

/** `dgm models`: every registered model, its family's traits and its parameter counts at 28×28×1 (10 classes where it takes them). */
export async function listModels(io: Io): Promise<void> {
  await startBackend();
  const rows = [['model', 'family', 'kind', 'labels', 'parameters (28×28×1)']];
  for (const name of [...modelNames, ...vaeModelNames]) {
    const traits = familyTraits[modelFamilies[name]];
    const model = createModel(name as never, { imageShape: [28, 28, 1], ...(takesClassCount(name) ? { numClasses: 10 } : {}) } as never) as Gan | Vae;
    const [first, second] = 'encoder' in model ? [model.encoder, model.decoder] : [model.generator, model.discriminator];
    const parts = 'encoder' in model ? ['encoder', 'decoder'] : ['G', 'D'];
    rows.push([name, modelFamilies[name], traits.kind, traits.trainsOnLabels ? 'yes' : traits.trainsOnLabeledSubset ? 'some' : 'no', `${parts[0]} ${first.countParams().toLocaleString('en')}, ${parts[1]} ${second.countParams().toLocaleString('en')}`]);
    first.dispose();
    second.dispose();
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) io.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
