/**
 * The write operations behind the admin surface and `didbridge sandbox create`, in one place so a DID created over
 * HTTP and one created in a store file go through the same checks.
 */
import type { JsonObject, JsonValue } from '../spec.js';
import { SandboxError } from './errors.js';
import type { CreateParams, EmulatorContext, UpstreamEmulator } from './emulator.js';
import { keyFileFor, type KeyFile } from './key-file.js';
import type { DidRecord } from './store.js';

/** Input of {@link createDid}, {@link updateDid} and {@link deactivateDid}. */
export interface SandboxOperationOptions {
  emulator: UpstreamEmulator;
  ctx: EmulatorContext;
  /** Untrusted parameters (an admin body, CLI flags): must be an object with a string `keyType`. */
  params: unknown;
}

function paramsObject(params: unknown): JsonObject {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new SandboxError('INVALID_REQUEST', 'parameters must be a JSON object');
  }
  return params as JsonObject;
}

function didParam(params: JsonObject): string {
  if (typeof params.did !== 'string' || params.did === '') throw new SandboxError('INVALID_REQUEST', '"did" must be a non-empty string');
  return params.did;
}

/** The record of `did` if it belongs to the emulator's method; a DID of another method is "not found" for it. */
function recordOf(emulator: UpstreamEmulator, ctx: EmulatorContext, did: string): DidRecord {
  const record = ctx.store.get(did);
  if (!record || record.method !== emulator.method) {
    throw new SandboxError('DID_NOT_FOUND', `${did} is not a ${emulator.method} DID in this sandbox`);
  }
  return record;
}

/**
 * Creates a DID through the emulator and returns its key file content.
 * @throws SandboxError `INVALID_REQUEST`, `UNSUPPORTED_KEY_TYPE`, `EMULATOR_FAILED` (the emulator returned nothing
 *   usable or did not store the DID), or whatever the emulator throws.
 */
export async function createDid(options: SandboxOperationOptions): Promise<KeyFile> {
  const { emulator, ctx } = options;
  const params = paramsObject(options.params);
  if (typeof params.keyType !== 'string' || params.keyType === '') {
    throw new SandboxError('INVALID_REQUEST', '"keyType" must be a non-empty string');
  }
  if (!emulator.keyTypes.includes(params.keyType)) {
    throw new SandboxError(
      'UNSUPPORTED_KEY_TYPE',
      `${emulator.method} DIDs are not created with ${JSON.stringify(params.keyType.slice(0, 64))} keys; use one of ${emulator.keyTypes.join(', ')}`,
    );
  }
  const created = await emulator.create(ctx, params as CreateParams);
  let key: KeyFile;
  try {
    key = keyFileFor({ method: emulator.method, created });
  } catch (cause) {
    throw new SandboxError('EMULATOR_FAILED', `the ${emulator.method} emulator returned an unusable CreatedDid: ${(cause as Error).message}`, {
      cause,
    });
  }
  // The contract says create stores the document; catching a forgetful emulator here beats a confusing "not found" later.
  if (!ctx.store.has(key.did)) {
    throw new SandboxError('EMULATOR_FAILED', `the ${emulator.method} emulator created ${key.did} but did not store it`);
  }
  return key;
}

/**
 * Updates a DID: through the emulator's `update` when it has one, else by storing `params.document` verbatim.
 * @throws SandboxError `INVALID_REQUEST`, `DID_NOT_FOUND`, `DID_DEACTIVATED`, `NOT_SUPPORTED`, or the emulator's errors.
 */
export async function updateDid(options: SandboxOperationOptions): Promise<DidRecord> {
  const { emulator, ctx } = options;
  const params = paramsObject(options.params);
  const did = didParam(params);
  recordOf(emulator, ctx, did);
  if (emulator.update) return emulator.update(ctx, { ...params, did });
  if (params.document === undefined) {
    throw new SandboxError('NOT_SUPPORTED', `the ${emulator.method} emulator has no update; give "document" to store one verbatim`);
  }
  const extra = params.extra;
  if (extra !== undefined && (extra === null || typeof extra !== 'object' || Array.isArray(extra))) {
    throw new SandboxError('INVALID_REQUEST', '"extra" must be a JSON object');
  }
  return ctx.store.update(did, { document: params.document as JsonValue, ...(extra ? { extra: extra as JsonObject } : {}) });
}

/**
 * Deactivates a DID: through the emulator's `deactivate` when it has one, else by flagging the stored record.
 * @throws SandboxError `INVALID_REQUEST`, `DID_NOT_FOUND`, `DID_DEACTIVATED`, or the emulator's errors.
 */
export async function deactivateDid(options: SandboxOperationOptions): Promise<DidRecord> {
  const { emulator, ctx } = options;
  const params = paramsObject(options.params);
  const did = didParam(params);
  const record = recordOf(emulator, ctx, did);
  if (emulator.deactivate) return emulator.deactivate(ctx, { ...params, did });
  if (record.deactivated) throw new SandboxError('DID_DEACTIVATED', `${did} is deactivated`);
  return ctx.store.deactivate(did);
}
