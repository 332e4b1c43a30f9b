/**
 * A stand-in for `didbridge` with only the sandbox command and the toy emulator, so the CLI test can run it as a real
 * process and see exactly what reaches stdout and stderr.
 */
import yargs from 'yargs';
import { makeSandboxCommand } from '../../src/cli/commands/sandbox.js';
import { toyEmulator } from './toy-emulator.js';

try {
  await yargs(process.argv.slice(2))
    .scriptName('didbridge')
    .command(makeSandboxCommand([toyEmulator()]))
    .strict()
    .exitProcess(false)
    .fail(false)
    .parseAsync();
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
