/**
 * `didbridge sandbox`: runs the sandbox registry standalone, and `didbridge sandbox create` makes a DID on it and
 * writes the DID's private key to a key file (mode 0600).
 *
 *     didbridge sandbox [--port N] [--host H] [--db FILE] [--no-seed] [--quiet]
 *     didbridge sandbox create --method M --key TYPE (--url URL | --db FILE) [--out FILE] [--force] [--param k=v]... [--json]
 *
 * `create` talks to a running sandbox through its admin surface when `--url` is given, else writes to a store file
 * (`--db`), which a sandbox started with the same `--db` serves. Private keys only ever go to the key file: stdout
 * gets the DID (or, with `--json`, the DID, verification method, key type, public key and key file path).
 *
 * The command is built from the emulator list, so the CLI never names a DID method: the lead registers
 * `makeSandboxCommand(SANDBOX_EMULATORS)`.
 */
import { lstat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { createHttpClient } from '../../net/http-client.js';
import type { JsonObject, JsonValue } from '../../spec.js';
import { createEmulatorContext, mountOf, type UpstreamEmulator } from '../../sandbox/emulator.js';
import { SandboxError, parseSandboxErrorReason } from '../../sandbox/errors.js';
import { defaultKeyFileName, parseKeyFile, writeKeyFile, type KeyFile } from '../../sandbox/key-file.js';
import { createDid } from '../../sandbox/operations.js';
import { startSandbox, type SandboxRequestEvent } from '../../sandbox/server.js';
import { SandboxStore } from '../../sandbox/store.js';

/** Where the command writes and what stops `serve`; injectable for tests. */
export interface SandboxCommandIo {
  /** Receives stdout text. Default: `process.stdout`. */
  stdout?: (text: string) => void;
  /** Receives stderr text. Default: `process.stderr`. */
  stderr?: (text: string) => void;
  /** Stops a running `didbridge sandbox` when aborted. Default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Timeout of admin requests made by `create --url`, in ms. Default 10 000. */
  adminTimeoutMs?: number;
}

interface ServeArgs {
  port: number;
  host: string;
  db?: string;
  seed: boolean;
  quiet: boolean;
}

interface CreateArgs {
  method: string;
  key: string;
  url?: string;
  db?: string;
  out?: string;
  force: boolean;
  param?: string[];
  json?: boolean;
}

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Reads `--param name=value` pairs; a value that parses as JSON is taken as JSON, else as a string. */
function parseParams(pairs: readonly string[] | undefined): JsonObject {
  const params: JsonObject = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!PARAM_NAME.test(name) || name === 'keyType') {
      throw new SandboxError('INVALID_REQUEST', `--param ${JSON.stringify(pair.slice(0, 80))}: expected name=value with a name other than keyType`);
    }
    const raw = eq === -1 ? '' : pair.slice(eq + 1);
    let value: JsonValue = raw;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      // Not JSON: the value is the plain string.
    }
    params[name] = value;
  }
  return params;
}

async function createThroughAdmin(url: string, mount: string, params: JsonObject, timeoutMs: number): Promise<KeyFile> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new SandboxError('INVALID_REQUEST', `--url ${JSON.stringify(url.slice(0, 200))} is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new SandboxError('INVALID_REQUEST', '--url must be an http(s) URL');
  const endpoint = new URL(`${base.pathname.replace(/\/+$/, '')}/_admin/${encodeURIComponent(mount)}/create`, base);
  const http = createHttpClient({ timeoutMs, maxBytes: 1024 * 1024 });
  try {
    let res;
    try {
      res = await http.request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
    } catch (cause) {
      throw new SandboxError('ADMIN_UNAVAILABLE', `the sandbox at ${base.origin} did not answer: ${(cause as Error).message}`, { cause });
    }
    let body: unknown;
    try {
      body = res.json();
    } catch (cause) {
      throw new SandboxError('ADMIN_UNAVAILABLE', `the sandbox at ${base.origin} answered ${res.status} with a body that is not JSON`, { cause });
    }
    if (res.status !== 201) {
      const problem = (body ?? {}) as { reason?: unknown; detail?: unknown };
      const detail = typeof problem.detail === 'string' ? problem.detail : `status ${res.status}`;
      throw new SandboxError(parseSandboxErrorReason(problem.reason) ?? 'ADMIN_UNAVAILABLE', `the sandbox refused: ${detail}`);
    }
    try {
      return parseKeyFile(body);
    } catch (cause) {
      throw new SandboxError('ADMIN_UNAVAILABLE', `the sandbox at ${base.origin} answered with something that is not a key: ${(cause as Error).message}`, {
        cause,
      });
    }
  } finally {
    await http.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the `sandbox` command (with `create` under it) for the given emulators.
 *
 * @example
 * yargs(hideBin(process.argv)).command(makeSandboxCommand(SANDBOX_EMULATORS)).parseAsync();
 */
export function makeSandboxCommand(emulators: readonly UpstreamEmulator[], io: SandboxCommandIo = {}): CommandModule {
  if (!Array.isArray(emulators)) throw new TypeError('"emulators" must be an array of UpstreamEmulator');
  if (io === null || typeof io !== 'object') throw new TypeError('"io" must be an object');
  const byMount = new Map(emulators.map((emulator) => [mountOf(emulator), emulator] as const));
  const out = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const mounts = [...byMount.keys()];
  const paramsHelp = [...byMount]
    .flatMap(([mount, emulator]) => Object.entries(emulator.createParams ?? {}).map(([name, text]) => `${mount}.${name}: ${text}`))
    .join('; ');
  const keyTypesHelp = [...byMount].map(([mount, emulator]) => `${mount}: ${emulator.keyTypes.join(', ')}`).join('; ');

  const serve: CommandModule<object, ServeArgs> = {
    command: ['serve', '$0'],
    describe: 'Run the sandbox registry (every emulator, seeded with published samples) until interrupted',
    builder: (y: Argv) =>
      y
        .option('port', { type: 'number', default: 0, describe: 'TCP port (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
        .option('db', { type: 'string', describe: 'SQLite store file (default: in memory)' })
        .option('seed', { type: 'boolean', default: true, describe: 'store published sample documents (--no-seed: start empty)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'do not log requests' }) as unknown as Argv<ServeArgs>,
    handler: async (args) => {
      const store = new SandboxStore(args.db === undefined ? {} : { path: args.db });
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      try {
        const sandbox = await startSandbox({
          emulators,
          store,
          port: args.port,
          host: args.host,
          seed: args.seed,
          ...(args.quiet
            ? {}
            : {
                onRequest: (e: SandboxRequestEvent) =>
                  err(`${e.method} ${e.path} ${e.status}${e.fault ? ` (fault: ${e.fault})` : ''} ${e.durationMs.toFixed(0)} ms\n`),
              }),
        });
        out(`sandbox listening on ${sandbox.url} (store: ${store.path}, ${store.count()} DIDs)\n`);
        for (const [mount, emulator] of sandbox.emulators) {
          out(`  ${sandbox.baseUrlFor(mount)}${emulator.description ? `  ${emulator.description}` : ''}\n`);
        }
        out(`  ${sandbox.url}/_admin  admin surface\n`);
        const onSignal = () => stop();
        if (io.signal) {
          if (io.signal.aborted) stop();
          else io.signal.addEventListener('abort', onSignal, { once: true });
        } else {
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
        }
        await stopped;
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await sandbox.close();
        out('sandbox stopped\n');
      } finally {
        store.close();
      }
    },
  };

  const create: CommandModule<object, CreateArgs> = {
    command: 'create',
    describe: 'Create a DID on a sandbox and write its private key to a key file (mode 0600)',
    builder: (y: Argv) =>
      y
        .option('method', {
          type: 'string',
          demandOption: true,
          describe: `emulator (DID method) to create on${mounts.length ? `: ${mounts.join(', ')}` : ''}`,
        })
        .option('key', {
          type: 'string',
          demandOption: true,
          describe: `key type${keyTypesHelp ? ` (${keyTypesHelp})` : ''}`,
        })
        .option('url', { type: 'string', describe: 'base URL of a running sandbox (uses its admin surface)' })
        .option('db', { type: 'string', describe: 'SQLite store file to create the DID in (when no --url)' })
        .option('out', { type: 'string', describe: 'key file path (default: ./<did>.key.json)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing key file' })
        .option('param', {
          type: 'string',
          array: true,
          describe: `emulator parameter name=value, JSON values parsed${paramsHelp ? ` (${paramsHelp})` : ''}`,
        })
        // No default: the CLI may declare --json globally. Unlike other commands, a pipe alone does not switch to JSON,
        // so that `did=$(didbridge sandbox create ...)` gets the bare DID.
        .option('json', { type: 'boolean', describe: 'print a JSON summary (never the private key)' })
        .conflicts('url', 'db')
        .check((argv) => {
          if (argv.url === undefined && argv.db === undefined) throw new Error('give --url of a running sandbox or --db FILE');
          return true;
        }) as unknown as Argv<CreateArgs>,
    handler: async (args) => {
      const params: JsonObject = { ...parseParams(args.param), keyType: args.key };
      // Refuse before creating anything: a DID whose key could not be saved is useless.
      if (args.out !== undefined && !args.force && (await exists(resolvePath(args.out)))) {
        throw new SandboxError('KEY_FILE_EXISTS', `${resolvePath(args.out)} already exists; not overwriting a key file (use --force)`);
      }
      let key: KeyFile;
      if (args.url !== undefined) {
        key = await createThroughAdmin(args.url, args.method, params, io.adminTimeoutMs ?? 10_000);
      } else {
        const emulator = byMount.get(args.method);
        if (!emulator) {
          throw new SandboxError('UNKNOWN_EMULATOR', `no emulator ${JSON.stringify(args.method)}; available: ${mounts.join(', ') || 'none'}`);
        }
        const store = new SandboxStore({ path: args.db! });
        try {
          key = await createDid({ emulator, ctx: createEmulatorContext({ store }), params });
        } finally {
          store.close();
        }
      }
      const keyPath = resolvePath(args.out ?? defaultKeyFileName(key.did));
      try {
        await writeKeyFile({ path: keyPath, key, overwrite: args.force });
      } catch (cause) {
        // The DID exists now; say so, so the user can find it, without ever printing the key.
        if (cause instanceof SandboxError) {
          throw new SandboxError(cause.reason, `${key.did} was created, but its key file could not be written: ${cause.message}`, { cause });
        }
        throw cause;
      }
      if (args.json === true) {
        const summary = {
          did: key.did,
          verificationMethodId: key.verificationMethodId,
          keyType: key.keyType,
          publicKeyHex: key.publicKeyHex,
          keyFile: keyPath,
        };
        out(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        out(`${key.did}\n`);
        err(`verification method ${key.verificationMethodId}; private key written to ${keyPath} (mode 0600)\n`);
      }
    },
  };

  return {
    command: 'sandbox',
    describe: 'Local sandbox registry that speaks each domestic upstream wire format (for tests and demos)',
    builder: (y: Argv) => y.command(serve as CommandModule).command(create as CommandModule),
    handler: () => undefined,
  };
}
