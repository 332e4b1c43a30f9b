/**
 * The CLI: yargs over the command list in `commands/index.ts`. Kept apart from `main.ts` (the bin) so that it can be
 * called with any argv.
 *
 * Exit codes: 0 done, 1 resolution error or run-time failure, 2 usage error (yargs validation, unknown adapters,
 * invalid configuration).
 */
import yargs from 'yargs';
import { ConfigError, packageInfo } from '../config.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, UsageError } from './runtime.js';

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (!Array.isArray(argv)) throw new TypeError('"argv" must be an array of strings');
  process.exitCode = undefined;
  const parser = yargs([...argv])
    .scriptName('didbridge')
    .usage('$0 <command> [options]')
    .option('config', { type: 'string', describe: 'JSON configuration file (env DIDBRIDGE_CONFIG)', global: true })
    .option('json', { type: 'boolean', describe: 'print JSON (resolve and methods also do when stdout is not a terminal)', global: true })
    .command([...COMMANDS])
    .demandCommand(1, 'Name a command.')
    .strict()
    .help()
    .alias('help', 'h')
    .version(packageInfo().version)
    .epilogue('Exit codes: 0 ok, 1 resolution error or failure, 2 usage error. Configuration: file < environment < flags.')
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, err) => {
      // Validation failures come as a message; errors thrown by handlers come as err.
      throw err ?? new UsageError(message);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`didbridge: ${err.message}\nRun "didbridge --help" for usage.\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`didbridge: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.FAILED;
  }
  const code = process.exitCode;
  return typeof code === 'number' ? code : EXIT.OK;
}
