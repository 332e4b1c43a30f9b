/**
 * `didbridge translate <file|did|-> [--to w3c|<shape>] [--changes] [--json] [--max-bytes N]`: translates a document
 * between W3C DID Core and the native shapes the adapters render (see `src/translate.ts`).
 *
 * - A file (or `-`, standard input) holds JSON: a document in any supported shape, an upstream response envelope an
 *   adapter recognises, a DID Resolution result, or this command's own `--json` output (so that the metadata with
 *   the preserved native data travels along and `--to <native shape>` restores the original).
 * - A DID is resolved first (with the configuration; the embedded sandbox serves domestic methods offline).
 *
 * Output (always JSON): the document; with `--changes`, `{ document, changes }`; with `--json`, `{ document,
 * changes, metadata, from, to }`.
 *
 * Exit codes: 0 translated (a deactivated DID prints `null` and says so on stderr), 1 translation or resolution error
 * (its name is printed on stderr), 2 usage error (unknown `--to`, unreadable or oversized file, bad options).
 */
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../config.js';
import { DidBridgeError, toDidBridgeError } from '../../errors.js';
import { availableShapes, translateDid, translateInput, W3C_SHAPE, type TranslateResult } from '../../translate.js';
import { parseJsonSafe } from '../../util/json.js';
import { configFromArgs, EXIT, printJson, resolverConfigFrom, startRuntime, UsageError, type GlobalArgs } from '../runtime.js';
import { readInput } from './verify.js';

/** Default of `--max-bytes`: the largest input read. */
export const TRANSLATE_MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** Upper bound of `--max-bytes`. */
const MAX_MAX_INPUT_BYTES = 64 * 1024 * 1024;

interface TranslateArgs extends GlobalArgs {
  input: string;
  to: string;
  changes?: boolean;
  'max-bytes'?: number;
}

/** The output for the flags: the document, `{ document, changes }`, or everything. */
function printable(result: TranslateResult, args: TranslateArgs): unknown {
  if (args.json === true) return { document: result.document, changes: result.changes, metadata: result.metadata, from: result.from, to: result.to };
  if (args.changes === true) return { document: result.document, changes: result.changes };
  return result.document;
}

async function translate(args: TranslateArgs): Promise<TranslateResult> {
  const config = configFromArgs(args);
  // The shapes come from the configured adapters; checking `--to` first spares starting a sandbox for a typo.
  const adapters = resolverConfigFrom(config).adapters;
  const shapes = availableShapes(adapters);
  if (!shapes.includes(args.to)) throw new UsageError(`--to ${JSON.stringify(args.to)} is not a shape; available: ${shapes.join(', ')}`);

  if (args.input.startsWith('did:')) {
    const runtime = await startRuntime(config);
    try {
      return await translateDid(args.input, { resolver: runtime.resolver, to: args.to });
    } finally {
      await runtime.close();
    }
  }
  // yargs hands a lone "-" to a positional as the empty string.
  const path = args.input === '' ? '-' : args.input;
  const text = await readInput(path, args['max-bytes'] ?? TRANSLATE_MAX_INPUT_BYTES);
  const name = path === '-' ? 'standard input' : path;
  let input: unknown;
  try {
    input = parseJsonSafe(text, {}, 'INVALID_DID_DOCUMENT');
  } catch (err) {
    throw new DidBridgeError('INVALID_DID_DOCUMENT', `${name}: ${(err as Error).message}`, { cause: err });
  }
  return translateInput(input, { adapters, to: args.to });
}

export const translateCommand: CommandModule<GlobalArgs, TranslateArgs> = {
  command: 'translate <input>',
  describe: 'Translate a DID document between W3C DID Core and the native shapes (a file, "-" for stdin, or a DID)',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('input', { type: 'string', describe: 'a JSON file, "-" (standard input) or a DID to resolve', demandOption: true })
      .option('to', { type: 'string', default: W3C_SHAPE, describe: 'target shape: w3c, or a native shape the adapters render (an unknown one prints the list)' })
      .option('changes', { type: 'boolean', describe: 'print { document, changes }: the change record too' })
      .option('max-bytes', { type: 'number', describe: `largest input read, bytes (default ${TRANSLATE_MAX_INPUT_BYTES})` })
      .check((args) => {
        const max = args['max-bytes'];
        if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_MAX_INPUT_BYTES)) {
          throw new Error(`--max-bytes must be an integer from 1 to ${MAX_MAX_INPUT_BYTES}`);
        }
        return true;
      }) as Argv<TranslateArgs>,
  handler: async (args) => {
    let result: TranslateResult;
    try {
      result = await translate(args);
    } catch (err) {
      if (err instanceof UsageError || err instanceof ConfigError) throw err;
      const e = toDidBridgeError(err);
      process.stderr.write(`error: ${e.code}: ${e.message}\n`);
      process.exitCode = EXIT.FAILED;
      return;
    }
    printJson(printable(result, args));
    if (result.document === null && result.metadata.deactivated === true) process.stderr.write(`${args.input} is deactivated: it has no document\n`);
    process.exitCode = EXIT.OK;
  },
};
