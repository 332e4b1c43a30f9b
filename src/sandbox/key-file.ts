/**
 * Key files: where `didbridge sandbox create` puts the private key of a DID it created, so tests and demos can sign as
 * that DID later. A key file is JSON, created with mode 0600 and never overwritten in place.
 *
 * The admin surface's `create` answers with the same JSON, so a remote sandbox and a local store produce identical
 * files.
 */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SandboxError } from './errors.js';
import type { CreatedDid } from './emulator.js';

/** The `format` member of key files this build writes and reads. */
export const KEY_FILE_FORMAT = 'didbridge-sandbox-key/1';

/** The content of a key file. Keys are lower-case hex of the bytes the emulator returned (see `CreatedDid`). */
export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  /** The DID method. */
  method: string;
  did: string;
  verificationMethodId: string;
  keyType: string;
  publicKeyHex: string;
  privateKeyHex: string;
}

/** Builds a key file from what an emulator's `create` returned. */
export function keyFileFor(options: { method: string; created: CreatedDid }): KeyFile {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { method, created } = options;
  if (typeof method !== 'string' || method === '') throw new TypeError('"options.method" must be a non-empty string');
  if (created === null || typeof created !== 'object') throw new TypeError('"options.created" must be an object');
  for (const name of ['did', 'verificationMethodId', 'keyType'] as const) {
    if (typeof created[name] !== 'string' || created[name] === '') {
      throw new TypeError(`"options.created.${name}" must be a non-empty string`);
    }
  }
  if (!(created.publicKey instanceof Uint8Array) || created.publicKey.length === 0) {
    throw new TypeError('"options.created.publicKey" must be a non-empty Uint8Array');
  }
  if (!(created.privateKey instanceof Uint8Array) || created.privateKey.length === 0) {
    throw new TypeError('"options.created.privateKey" must be a non-empty Uint8Array');
  }
  return {
    format: KEY_FILE_FORMAT,
    method,
    did: created.did,
    verificationMethodId: created.verificationMethodId,
    keyType: created.keyType,
    publicKeyHex: Buffer.from(created.publicKey).toString('hex'),
    privateKeyHex: Buffer.from(created.privateKey).toString('hex'),
  };
}

const HEX = /^(?:[0-9a-f]{2})+$/;

/**
 * Checks that untrusted JSON (a file, an admin response) is a key file.
 * @throws SandboxError `INVALID_REQUEST` naming the member at fault.
 */
export function parseKeyFile(value: unknown): KeyFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SandboxError('INVALID_REQUEST', 'a key file must be a JSON object');
  }
  const input = value as Record<string, unknown>;
  if (input.format !== KEY_FILE_FORMAT) {
    throw new SandboxError('INVALID_REQUEST', `key file "format" must be ${JSON.stringify(KEY_FILE_FORMAT)}`);
  }
  for (const name of ['method', 'did', 'verificationMethodId', 'keyType'] as const) {
    if (typeof input[name] !== 'string' || input[name] === '') {
      throw new SandboxError('INVALID_REQUEST', `key file "${name}" must be a non-empty string`);
    }
  }
  for (const name of ['publicKeyHex', 'privateKeyHex'] as const) {
    if (typeof input[name] !== 'string' || !HEX.test(input[name])) {
      throw new SandboxError('INVALID_REQUEST', `key file "${name}" must be lower-case hex`);
    }
  }
  return {
    format: KEY_FILE_FORMAT,
    method: input.method as string,
    did: input.did as string,
    verificationMethodId: input.verificationMethodId as string,
    keyType: input.keyType as string,
    publicKeyHex: input.publicKeyHex as string,
    privateKeyHex: input.privateKeyHex as string,
  };
}

/** Options of {@link writeKeyFile}. */
export interface WriteKeyFileOptions {
  path: string;
  key: KeyFile;
  /** Replace an existing file (atomically, through a new file and a rename). Default false: an existing file is an error. */
  overwrite?: boolean;
}

/**
 * Writes a key file with mode 0600. The file is created exclusively (`O_EXCL`, so a symlink planted at the path is
 * not followed) and its mode is set explicitly, whatever the umask.
 * @throws SandboxError `KEY_FILE_EXISTS` when the file exists and `overwrite` is not set.
 */
export async function writeKeyFile(options: WriteKeyFileOptions): Promise<void> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (typeof options.path !== 'string' || options.path === '') throw new TypeError('"options.path" must be a non-empty string');
  const key = parseKeyFile(options.key);
  const text = `${JSON.stringify(key, null, 2)}\n`;
  const target = options.path;
  const writeTo = options.overwrite
    ? join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
    : target;
  let handle;
  try {
    handle = await open(writeTo, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SandboxError('KEY_FILE_EXISTS', `${target} already exists; not overwriting a key file`, { cause: err });
    }
    throw err;
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(writeTo, { force: true });
    throw err;
  }
  await handle.close();
  if (writeTo !== target) {
    try {
      await rename(writeTo, target);
    } catch (err) {
      await rm(writeTo, { force: true });
      throw err;
    }
  }
}

/** A file name for a DID's key file: the DID with every character outside `[A-Za-z0-9._-]` replaced by `_`. */
export function defaultKeyFileName(did: string): string {
  if (typeof did !== 'string' || did === '') throw new TypeError('"did" must be a non-empty string');
  return `${did.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200)}.key.json`;
}
