/**
 * A stand-in for `didbridge` with only the conformance command registered (the lead registers it in the real command
 * list), with the exit-code handling of `src/cli/run.ts`: 0 pass, 1 failure, 2 usage error. The CLI tests spawn it as
 * a real process.
 */
import yargs from 'yargs';
import { conformanceCommand } from '../../../src/cli/commands/conformance.js';
import { EXIT, UsageError } from '../../../src/cli/runtime.js';
import { ConfigError } from '../../../src/config.js';

try {
  await yargs(process.argv.slice(2))
    .scriptName('didbridge')
    .option('config', { type: 'string', global: true })
    .option('json', { type: 'boolean', global: true })
    .command(conformanceCommand)
    .demandCommand(1)
    .strict()
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new UsageError(message);
    })
    .parseAsync();
} catch (err) {
  process.stderr.write(`didbridge: ${(err as Error).message}\n`);
  process.exitCode = err instanceof UsageError || err instanceof ConfigError ? EXIT.USAGE : EXIT.FAILED;
}
