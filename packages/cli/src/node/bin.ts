#!/usr/bin/env node
import { runDgm } from './program.js';

// A sweep worker's trial: exit when the worker dies (its end of stdin closes), so that no
// orphan trains on beside the worker that takes the trial over.
const watchParent = process.env['DGM_EXIT_WITH_PARENT'] === '1';
if (watchParent) process.stdin.on('end', () => process.exit(1)).resume();

process.exitCode = await runDgm(process.argv.slice(2));
if (watchParent) process.stdin.destroy();
