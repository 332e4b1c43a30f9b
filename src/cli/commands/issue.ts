/**
 * `didbridge issue`: signs a test credential with the key of a sandbox DID (any method) or of a generated did:key key.
 *
 *     didbridge issue --key FILE --format jwt|di|weid --subject JSON|@FILE [--alg ALG] [--suite SUITE]
 *                     [--vc-version 1.1|2.0] [--type T]... [--id URL] [--valid-from T] [--valid-until T]
 *                     [--status JSON|@FILE] [--cpt-id N] [--weid-type original|lite1] [--layout rsv|vrs] [--out FILE]
 *
 * Prints the credential (a compact JWT on one line, or JSON), or writes it to `--out` (created exclusively). The
 * private key is read from the key file and never printed. Library: `src/credentials/issue.ts`.
 */
import { open, readFile, rm } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import {
  ISSUE_FORMATS,
  IssueInputError,
  issueCredential,
  readIssuerKey,
  type IssueFormat,
} from '../../credentials/issue.js';
import { SUPPORTED_SUITES, type SupportedSuite } from '../../credentials/data-integrity/suites.js';
import { normaliseDatetime } from '../../util/datetime.js';
import { UsageError } from '../runtime.js';

/** Where the command writes; injectable for tests. */
export interface IssueCommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** The clock (tests pass one). */
  now?: () => Date;
}

interface IssueArgs {
  key: string;
  format: string;
  subject: string;
  alg?: string;
  suite?: string;
  vcVersion?: string;
  type?: string[];
  id?: string;
  validFrom?: string;
  validUntil?: string;
  status?: string;
  cptId?: number;
  weidType?: string;
  layout?: string;
  out?: string;
  json?: boolean;
}

/** Largest key, subject or status file read, in bytes. */
const MAX_INPUT_FILE_BYTES = 1024 * 1024;

async function readJsonArgument(value: string, option: string): Promise<Record<string, unknown>> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      const content = await readFile(value.slice(1));
      if (content.length > MAX_INPUT_FILE_BYTES) throw new UsageError(`${option}: ${value.slice(1)} is larger than ${MAX_INPUT_FILE_BYTES} bytes`);
      text = content.toString('utf8');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${option}: cannot read ${value.slice(1)}: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${option} must be a JSON object (or @FILE holding one)`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${option} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function dateArgument(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const normalised = normaliseDatetime(value);
  if (normalised === undefined) throw new UsageError(`${option} must be an XML datetime such as 2025-01-01T00:00:00Z`);
  return new Date(normalised);
}

/** Writes the output file exclusively (no overwrite, no symlink following). */
async function writeExclusive(path: string, text: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${path} already exists; not overwriting it`);
    throw err;
  }
  try {
    await handle.writeFile(text, 'utf8');
  } catch (err) {
    await handle.close();
    await rm(path, { force: true });
    throw err;
  }
  await handle.close();
}

/**
 * Builds the `issue` command module with its output streams (tests pass collectors).
 * @example yargs(['issue', '--key', 'k.json', '--format', 'jwt', '--subject', '{"id":"did:example:1"}']).command(createIssueCommand()).parseAsync()
 */
export function createIssueCommand(io: IssueCommandIo = {}): CommandModule<object, IssueArgs> {
  const out = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => void process.stderr.write(text));
  return {
    command: 'issue',
    describe: 'Sign a test credential (JWT, Data Integrity or WeIdentity) with a sandbox or generated key file',
    builder: (y: Argv) =>
      y
        .option('key', { type: 'string', demandOption: true, describe: 'key file from `didbridge sandbox create` or `didbridge keys generate --out`' })
        .option('format', { type: 'string', demandOption: true, choices: ISSUE_FORMATS as unknown as string[], describe: 'jwt, di (Data Integrity) or weid (WeIdentity CredentialPojo)' })
        .option('subject', { type: 'string', demandOption: true, describe: 'the claims as JSON, or @FILE (credentialSubject; WeIdentity: claim)' })
        .option('alg', { type: 'string', describe: 'jwt: EdDSA, ES256K, ES256 or SM2 (must match the key; default: the key\'s)' })
        .option('suite', { type: 'string', choices: SUPPORTED_SUITES as unknown as string[], describe: 'di: the proof suite (default: eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 / P-384 keys)' })
        .option('vc-version', { type: 'string', choices: ['1.1', '2.0'], describe: 'VC Data Model version (default: 1.1 for jwt, 2.0 for di)' })
        .option('type', { type: 'string', array: true, describe: 'extra credential type(s) after VerifiableCredential' })
        .option('id', { type: 'string', describe: 'the credential id (default urn:uuid:<random>)' })
        .option('valid-from', { type: 'string', describe: 'XML datetime (default: now)' })
        .option('valid-until', { type: 'string', describe: 'XML datetime (default: no end; weid: one year)' })
        .option('status', { type: 'string', describe: 'a credentialStatus entry as JSON, or @FILE' })
        .option('cpt-id', { type: 'number', describe: 'weid: the CPT id (default 2000000)' })
        .option('weid-type', { type: 'string', choices: ['original', 'lite1'], describe: 'weid: credential type (default original)' })
        .option('layout', { type: 'string', choices: ['rsv', 'vrs'], describe: 'weid: signature layout (default rsv, the v3 SDK\'s)' })
        .option('out', { type: 'string', describe: 'write the credential to this file (created exclusively) instead of stdout' })
        .option('json', { type: 'boolean', describe: 'print a JSON object {format, issuer, verificationMethod, algorithm, credential}' }) as unknown as Argv<IssueArgs>,
    handler: async (args) => {
      let keyJson: unknown;
      try {
        const content = await readFile(args.key);
        if (content.length > MAX_INPUT_FILE_BYTES) throw new UsageError(`--key: ${args.key} is larger than ${MAX_INPUT_FILE_BYTES} bytes`);
        keyJson = JSON.parse(content.toString('utf8'));
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`--key: cannot read a JSON key file from ${args.key}: ${(e as Error).message}`);
      }
      const subject = await readJsonArgument(args.subject, '--subject');
      const status = args.status === undefined ? undefined : await readJsonArgument(args.status, '--status');
      try {
        const key = readIssuerKey(keyJson);
        const validFrom = dateArgument(args.validFrom, '--valid-from');
        const validUntil = dateArgument(args.validUntil, '--valid-until');
        const issued = await issueCredential({
          key,
          format: args.format as IssueFormat,
          subject,
          ...(args.alg !== undefined ? { alg: args.alg } : {}),
          ...(args.suite !== undefined ? { suite: args.suite as SupportedSuite } : {}),
          ...(args.vcVersion !== undefined ? { vcVersion: args.vcVersion as '1.1' | '2.0' } : {}),
          ...(args.type !== undefined ? { types: args.type } : {}),
          ...(args.id !== undefined ? { id: args.id } : {}),
          ...(validFrom ? { validFrom } : {}),
          ...(validUntil ? { validUntil } : {}),
          ...(status ? { credentialStatus: status } : {}),
          ...(args.cptId !== undefined ? { cptId: args.cptId } : {}),
          ...(args.weidType !== undefined ? { weidType: args.weidType as 'original' | 'lite1' } : {}),
          ...(args.layout !== undefined ? { layout: args.layout as 'rsv' | 'vrs' } : {}),
          ...(io.now ? { now: io.now() } : {}),
        });
        const text = args.json
          ? `${JSON.stringify(issued, null, 2)}\n`
          : typeof issued.credential === 'string'
            ? `${issued.credential}\n`
            : `${JSON.stringify(issued.credential, null, 2)}\n`;
        if (args.out !== undefined) {
          await writeExclusive(args.out, text);
          err(`wrote a ${issued.format} credential by ${issued.issuer} (${issued.algorithm}, ${issued.verificationMethod}) to ${args.out}\n`);
        } else {
          out(text);
        }
      } catch (e) {
        if (e instanceof IssueInputError) throw new UsageError(e.message);
        throw e;
      }
    },
  };
}

/** The `issue` command with the process's streams (registered in `src/cli/commands/index.ts`). */
export const issueCommand: CommandModule<object, IssueArgs> = createIssueCommand();
