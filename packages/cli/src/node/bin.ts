#!/usr/bin/env node
import { runDgm } from './program.js';

process.exitCode = await runDgm(process.argv.slice(2));
