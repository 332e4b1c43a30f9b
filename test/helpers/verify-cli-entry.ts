/**
 * A stand-in for `didbridge` with only the verify command, run as a real process by test/cli/verify.test.ts until the
 * lead registers `verifyCommand` in src/cli/commands/index.ts. It mirrors src/cli/run.ts: the global `--config` and
 * `--json` options, usage errors (exit 2) and the exit code the command sets.
 */
import yargs from 'yargs';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { EXIT, UsageError } from '../../src/cli/runtime.js';
import { ConfigError } from '../../src/config.js';

try {
  await yargs(process.argv.slice(2))
    .scriptName('didbridge')
    .option('config', { type: 'string', global: true })
    .option('json', { type: 'boolean', global: true })
    .command(verifyCommand)
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
