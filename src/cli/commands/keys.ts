/**
 * `didbridge keys`: key utilities for the domestic DID methods.
 *
 *     didbridge keys derive --method bid|cndid|weid|tdid --public-key <hex|multibase|decimal> [--encoding E]
 *                           [--key-type T] [--hash H] [--chain-id ID] [--sub-chain AC] [--json]
 *     didbridge keys inspect --public-key <value> [--encoding E] [--declared-type NAME] [--method M] [--json]
 *     didbridge keys generate --type ed25519|secp256k1|sm2|p-256 [--out FILE] [--method M ...] [--json]
 *
 * `derive` prints the DID of a public key and the steps taken; `inspect` decodes a key in any encoding the
 * domestic methods use and prints its type (from the bytes), Multikey and JWK forms; `generate` makes a key pair,
 * writes the private key to `--out` (created exclusively, mode 0600) and prints only public parts. Private keys are
 * never printed.
 *
 * Method knowledge stays in `src/keys` (the derivation table); this module only parses arguments and prints.
 */
import { open, rm } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { DidBridgeError } from '../../errors.js';
import {
  DID_DERIVATIONS,
  GENERATABLE_KEY_TYPES,
  HASH_LABELS,
  HASH_NAMES,
  decodeDecimalPublicKey,
  decodeMultikey,
  decodeWeidPseudoMultibase,
  deriveDid,
  encodeHex,
  encodeMultikey,
  generateKeyPair,
  inferKeyType,
  publicKeyToJwk,
  readBifPublicKeyHex,
  type DerivedDid,
  type GeneratableKeyType,
  type HashName,
  type KeyType,
  type PublicKey,
} from '../../keys/index.js';
import { UsageError } from '../runtime.js';

/** Where the command writes; injectable for tests. */
export interface KeysCommandIo {
  /** Receives stdout text. Default: `process.stdout`. */
  stdout?: (text: string) => void;
  /** Receives stderr text. Default: `process.stderr`. */
  stderr?: (text: string) => void;
}

/** Text encodings `--public-key` can be given in. */
export const PUBLIC_KEY_ENCODINGS = ['auto', 'hex', 'multibase', 'decimal'] as const;
export type PublicKeyEncoding = (typeof PUBLIC_KEY_ENCODINGS)[number];

/** CLI spellings of key types (lower case) and the `KeyType` each names. */
const KEY_TYPE_ARGUMENTS: Readonly<Record<string, KeyType>> = {
  ed25519: 'Ed25519',
  x25519: 'X25519',
  secp256k1: 'secp256k1',
  'p-256': 'P-256',
  'p-384': 'P-384',
  sm2: 'SM2',
};

const GENERATE_ARGUMENTS: Readonly<Record<string, GeneratableKeyType>> = Object.fromEntries(
  GENERATABLE_KEY_TYPES.map((t) => [t.toLowerCase(), t]),
);

/** A public key read from the command line, with what the encoding itself says about its type. */
export interface PublicKeyArgument {
  /** The key bytes (raw, SEC1 or WeIdentity's bare X‖Y), or a typed key when the encoding names its type. */
  bytes: Uint8Array;
  /** The key type the encoding established (Multikey header, WeIdentity header, BIF tag). */
  contextKeyType: KeyType | undefined;
  /** Which encoding was read. */
  encoding: string;
}

/**
 * Decodes `--public-key`. `auto` reads `z…` as a WeIdentity v3 pseudo-multibase or a Multikey, a string of 140 or
 * more decimal digits as a WeIdentity/did:tdid decimal `X‖Y` (no hex key is that long; a 64-byte integer has 150+
 * digits unless it lost many leading zeros), and anything else as hex (raw or BIF-encoded `b0…`).
 *
 * @throws DidBridgeError(INVALID_OPTIONS) naming the expected form
 */
export function parsePublicKeyArgument(value: string, encoding: PublicKeyEncoding = 'auto'): PublicKeyArgument {
  if (typeof value !== 'string') throw new TypeError('"value" must be a string');
  const text = value.trim();
  const opts = { errorCode: 'INVALID_OPTIONS' as const, label: '--public-key' };
  let form: PublicKeyEncoding = encoding;
  if (form === 'auto') {
    if (text.startsWith('z')) form = 'multibase';
    else if (/^[0-9]{140,}$/.test(text)) form = 'decimal';
    else form = 'hex';
  }
  switch (form) {
    case 'multibase': {
      try {
        const weid = decodeWeidPseudoMultibase(text, opts);
        return { bytes: weid.publicKey, contextKeyType: weid.variant, encoding: `WeIdentity v3 pseudo-multibase (${weid.variant} header)` };
      } catch {
        const key: PublicKey = decodeMultikey(text, { code: 'INVALID_OPTIONS' });
        return { bytes: key.bytes, contextKeyType: key.type, encoding: 'Multikey' };
      }
    }
    case 'decimal':
      return { bytes: decodeDecimalPublicKey(text, opts), contextKeyType: undefined, encoding: 'decimal X‖Y' };
    case 'hex': {
      const read = readBifPublicKeyHex(text.replace(/^0[xX]/, ''), opts);
      return {
        bytes: read.publicKey,
        contextKeyType: read.keyType,
        encoding: read.bifEncoded ? `BIF-encoded hex (${read.keyType} tag)` : 'hex',
      };
    }
    default:
      throw new TypeError(`"encoding" must be one of ${PUBLIC_KEY_ENCODINGS.join(', ')}`);
  }
}

/** Turns input problems into usage errors (exit code 2) and lets everything else through. */
function asUsage(err: unknown): never {
  if (err instanceof DidBridgeError && (err.code === 'INVALID_OPTIONS' || err.code === 'METHOD_NOT_SUPPORTED')) {
    throw new UsageError(err.message);
  }
  throw err;
}

function keyTypeArgument(value: string | undefined, option: string): KeyType | undefined {
  if (value === undefined) return undefined;
  const type = KEY_TYPE_ARGUMENTS[value.toLowerCase()];
  if (!type) throw new UsageError(`${option} must be one of ${Object.keys(KEY_TYPE_ARGUMENTS).join(', ')}`);
  return type;
}

function publicParts(key: PublicKey) {
  return { type: key.type, publicKeyHex: encodeHex(key.bytes), publicKeyMultibase: encodeMultikey(key), publicKeyJwk: publicKeyToJwk(key) };
}

function renderDerivation(result: DerivedDid): string {
  const lines = [
    result.did,
    `  key type   ${result.keyType} (${result.keyTypeReason})`,
    `  hash       ${HASH_LABELS[result.hash]}`,
    ...result.steps.map((s) => `  ${s.name.padEnd(11)}${s.description}\n             ${s.output}`),
    ...result.unconfirmed.map((u) => `  unconfirmed: ${u}`),
  ];
  return lines.join('\n') + '\n';
}

/** The key file `keys generate --out` writes. */
export interface GeneratedKeyFile {
  format: 'didbridge-key/1';
  type: GeneratableKeyType;
  publicKeyHex: string;
  publicKeyMultibase: string;
  privateKeyHex: string;
}

/** Writes a key file exclusively (no overwrite, no symlink following) with mode 0600 whatever the umask. */
async function writePrivateKeyFile(path: string, content: GeneratedKeyFile): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${path} already exists; not overwriting a key file`);
    throw err;
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(path, { force: true });
    throw err;
  }
  await handle.close();
}

interface CommonArgs {
  json?: boolean;
}

interface DeriveArgs extends CommonArgs {
  method: string;
  publicKey: string;
  encoding: PublicKeyEncoding;
  keyType?: string;
  hash?: HashName;
  chainId?: string;
  subChain?: string;
}

interface InspectArgs extends CommonArgs {
  publicKey: string;
  encoding: PublicKeyEncoding;
  declaredType?: string;
  method?: string;
  keyType?: string;
}

interface GenerateArgs extends CommonArgs {
  type: string;
  out?: string;
  method?: string;
  chainId?: string;
  subChain?: string;
}

/**
 * Builds the `keys` command module with its output streams (tests pass collectors).
 * @example yargs(['keys', 'derive', '--method', 'bid', '--public-key', hex]).command(createKeysCommand()).parseAsync()
 */
export function createKeysCommand(io: KeysCommandIo = {}): CommandModule {
  const out = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => void process.stderr.write(text));
  // The CLI convention (runtime.ts wantsJson): JSON when asked for, or when the real stdout is not a terminal.
  const json = (args: CommonArgs) => args.json === true || (io.stdout === undefined && !process.stdout.isTTY);
  const methods = Object.keys(DID_DERIVATIONS);

  const derive: CommandModule<object, DeriveArgs> = {
    command: 'derive',
    describe: 'Derive the DID of a public key (did:bid, did:cndid, did:weid, did:tdid) and show the steps',
    builder: (y: Argv) =>
      y
        .option('method', { type: 'string', choices: methods, demandOption: true, describe: 'DID method' })
        .option('public-key', { type: 'string', demandOption: true, describe: 'hex (raw or BIF b0…), multibase (z…) or decimal X‖Y' })
        .option('encoding', { type: 'string', choices: PUBLIC_KEY_ENCODINGS, default: 'auto', describe: 'how --public-key is written' })
        .option('key-type', { type: 'string', describe: `key type when the bytes fit several curves: ${Object.keys(KEY_TYPE_ARGUMENTS).join(', ')}` })
        .option('hash', { type: 'string', choices: HASH_NAMES, describe: 'override the method\'s hash' })
        .option('chain-id', { type: 'string', describe: 'did:weid chain id or did:tdid router id' })
        .option('sub-chain', { type: 'string', describe: 'did:bid / did:cndid sub-chain AC code' })
        .option('json', { type: 'boolean', describe: 'print JSON' }) as unknown as Argv<DeriveArgs>,
    handler: (args) => {
      let result: DerivedDid;
      try {
        const key = parsePublicKeyArgument(args.publicKey, args.encoding);
        result = deriveDid({
          method: args.method,
          publicKey: key.bytes,
          keyType: keyTypeArgument(args.keyType, '--key-type') ?? key.contextKeyType,
          hash: args.hash,
          chainId: args.chainId,
          subChain: args.subChain,
        });
      } catch (e) {
        asUsage(e);
      }
      out(json(args) ? `${JSON.stringify(result, null, 2)}\n` : renderDerivation(result));
    },
  };

  const inspect: CommandModule<object, InspectArgs> = {
    command: 'inspect',
    describe: 'Decode a public key, decide its type from the bytes and print its Multikey and JWK forms',
    builder: (y: Argv) =>
      y
        .option('public-key', { type: 'string', demandOption: true, describe: 'hex (raw or BIF b0…), multibase (z…) or decimal X‖Y' })
        .option('encoding', { type: 'string', choices: PUBLIC_KEY_ENCODINGS, default: 'auto', describe: 'how --public-key is written' })
        .option('declared-type', { type: 'string', describe: 'the verification method type the document declares' })
        .option('method', { type: 'string', describe: 'DID method the document came from (for method-specific type aliases)' })
        .option('key-type', { type: 'string', describe: 'key type known from the context (deployment, header)' })
        .option('json', { type: 'boolean', describe: 'print JSON' }) as unknown as Argv<InspectArgs>,
    handler: (args) => {
      let report;
      try {
        const key = parsePublicKeyArgument(args.publicKey, args.encoding);
        const inference = inferKeyType({
          publicKey: key.bytes,
          declaredType: args.declaredType,
          method: args.method,
          contextKeyType: keyTypeArgument(args.keyType, '--key-type') ?? key.contextKeyType,
          errorCode: 'INVALID_OPTIONS',
        });
        report = {
          encoding: key.encoding,
          declaredType: inference.declaredType,
          declaredKeyType: inference.declaredKeyType,
          mismatch: inference.mismatch,
          reason: inference.reason,
          candidates: inference.candidates,
          ...publicParts(inference.publicKey),
        };
      } catch (e) {
        asUsage(e);
      }
      if (json(args)) {
        out(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        out(
          `${report.type}${report.mismatch ? ` (declared ${report.declaredType}: MISMATCH)` : ''}\n` +
            `  read as            ${report.encoding}\n  reason             ${report.reason}\n` +
            `  publicKeyHex       ${report.publicKeyHex}\n  publicKeyMultibase ${report.publicKeyMultibase}\n` +
            `  publicKeyJwk       ${JSON.stringify(report.publicKeyJwk)}\n`,
        );
      }
    },
  };

  const generate: CommandModule<object, GenerateArgs> = {
    command: 'generate',
    describe: 'Generate a key pair; the private key goes only to --out (mode 0600), stdout gets the public key',
    builder: (y: Argv) =>
      y
        .option('type', { type: 'string', choices: Object.keys(GENERATE_ARGUMENTS), demandOption: true, describe: 'key type' })
        .option('out', { type: 'string', describe: 'file for the private key (created, never overwritten; mode 0600)' })
        .option('method', { type: 'string', choices: methods, describe: 'also derive the DID of the key for this method' })
        .option('chain-id', { type: 'string', describe: 'with --method weid/tdid: chain or router id' })
        .option('sub-chain', { type: 'string', describe: 'with --method bid/cndid: sub-chain AC code' })
        .option('json', { type: 'boolean', describe: 'print JSON' }) as unknown as Argv<GenerateArgs>,
    handler: async (args) => {
      const type = GENERATE_ARGUMENTS[args.type.toLowerCase()];
      if (!type) throw new UsageError(`--type must be one of ${Object.keys(GENERATE_ARGUMENTS).join(', ')}`);
      const pair = generateKeyPair({ type });
      const key: PublicKey = { type, bytes: pair.publicKey };
      let derived: DerivedDid | undefined;
      if (args.method !== undefined) {
        try {
          derived = deriveDid({ method: args.method, publicKey: key, chainId: args.chainId, subChain: args.subChain });
        } catch (e) {
          asUsage(e);
        }
      }
      const parts = publicParts(key);
      if (args.out !== undefined) {
        await writePrivateKeyFile(args.out, {
          format: 'didbridge-key/1',
          type,
          publicKeyHex: parts.publicKeyHex,
          publicKeyMultibase: parts.publicKeyMultibase,
          privateKeyHex: encodeHex(pair.privateKey),
        });
      }
      // Best effort: the bytes stay in memory until collected, but no reference outlives the handler.
      pair.privateKey.fill(0);
      const summary = { ...parts, ...(derived ? { did: derived.did } : {}), ...(args.out !== undefined ? { privateKeyFile: args.out } : {}) };
      if (json(args)) {
        out(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        out(
          (derived ? `${derived.did}\n` : '') +
            `${parts.type}\n  publicKeyHex       ${parts.publicKeyHex}\n  publicKeyMultibase ${parts.publicKeyMultibase}\n` +
            `  publicKeyJwk       ${JSON.stringify(parts.publicKeyJwk)}\n`,
        );
      }
      err(
        args.out !== undefined
          ? `private key written to ${args.out} (mode 0600)\n`
          : 'private key discarded: pass --out FILE to keep it (private keys are never printed)\n',
      );
    },
  };

  return {
    command: 'keys',
    describe: 'Key utilities: derive DIDs of domestic methods, inspect key encodings, generate key pairs',
    builder: (y: Argv) =>
      y
        .command(derive as unknown as CommandModule)
        .command(inspect as unknown as CommandModule)
        .command(generate as unknown as CommandModule)
        .demandCommand(1, 'Name a keys subcommand: derive, inspect or generate.'),
    handler: () => undefined,
  };
}

/** The `keys` command writing to the process's stdout and stderr (registered in `commands/index.ts`). */
export const keysCommand: CommandModule = createKeysCommand();
