#!/usr/bin/env node
/**
 * The `didbridge` command (package.json `bin`). See `run.ts` for the commands and exit codes.
 */
import { hideBin } from 'yargs/helpers';
import { runCli } from './run.js';

process.exitCode = await runCli(hideBin(process.argv));
