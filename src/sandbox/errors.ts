/**
 * Errors of the sandbox registry. They are DidBridgeErrors (so the rest of the project can handle them like any other
 * typed error), with one more stable field, `reason`, because the sandbox has failure kinds that DID Resolution's
 * error names do not distinguish (a DID that already exists, a body that is too large, an emulator that cannot
 * update). The admin surface turns `reason` into an HTTP status with {@link sandboxErrorStatus}.
 */
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';

/** Every reason a sandbox operation can fail for. Callers switch on these, never on messages. */
export const SANDBOX_ERROR_REASONS = [
  /** `put` of a DID the store already holds. */
  'DID_EXISTS',
  /** `update` / `deactivate` / admin lookup of a DID the store does not hold. */
  'DID_NOT_FOUND',
  /** `update` / `deactivate` of a DID that is already deactivated. */
  'DID_DEACTIVATED',
  /** A DID or method name that is not syntactically acceptable. */
  'INVALID_DID',
  /** A document that is not JSON, or a `documentJson` that does not parse. */
  'INVALID_DOCUMENT',
  /** A document larger than the store's `maxDocumentBytes`. */
  'DOCUMENT_TOO_LARGE',
  /** A `versionId` / `versionTime` / `at` value that cannot be read, or a write dated before the latest version. */
  'INVALID_VERSION',
  /** An admin request whose body or parameters are malformed. */
  'INVALID_REQUEST',
  /** A request body over the server's `maxBodyBytes`. */
  'BODY_TOO_LARGE',
  /** No emulator is mounted under the name used. */
  'UNKNOWN_EMULATOR',
  /** The emulator does not create DIDs with the requested key type. */
  'UNSUPPORTED_KEY_TYPE',
  /** The emulator does not implement the operation (and no generic fallback applies). */
  'NOT_SUPPORTED',
  /** No route answers this path. */
  'NO_ROUTE',
  /** A store file written by an incompatible schema version. */
  'STORE_SCHEMA',
  /** A key file that already exists (the sandbox never overwrites private keys silently). */
  'KEY_FILE_EXISTS',
  /** The admin surface of a remote sandbox could not be reached or answered something unusable. */
  'ADMIN_UNAVAILABLE',
  /** An emulator threw something that was not a SandboxError. */
  'EMULATOR_FAILED',
] as const;
export type SandboxErrorReason = (typeof SANDBOX_ERROR_REASONS)[number];

/** The DID Resolution error name each reason is filed under (`DidBridgeError.code`). */
const REASON_CODES: Record<SandboxErrorReason, ErrorName> = {
  DID_EXISTS: 'INVALID_OPTIONS',
  DID_NOT_FOUND: 'NOT_FOUND',
  DID_DEACTIVATED: 'INVALID_OPTIONS',
  INVALID_DID: 'INVALID_DID',
  INVALID_DOCUMENT: 'INVALID_DID_DOCUMENT',
  DOCUMENT_TOO_LARGE: 'INVALID_DID_DOCUMENT',
  INVALID_VERSION: 'INVALID_OPTIONS',
  INVALID_REQUEST: 'INVALID_OPTIONS',
  BODY_TOO_LARGE: 'INVALID_OPTIONS',
  UNKNOWN_EMULATOR: 'METHOD_NOT_SUPPORTED',
  UNSUPPORTED_KEY_TYPE: 'FEATURE_NOT_SUPPORTED',
  NOT_SUPPORTED: 'FEATURE_NOT_SUPPORTED',
  NO_ROUTE: 'NOT_FOUND',
  STORE_SCHEMA: 'INTERNAL_ERROR',
  KEY_FILE_EXISTS: 'INVALID_OPTIONS',
  ADMIN_UNAVAILABLE: 'INTERNAL_ERROR',
  EMULATOR_FAILED: 'INTERNAL_ERROR',
};

/** The HTTP status the admin surface answers each reason with. */
const REASON_STATUSES: Record<SandboxErrorReason, number> = {
  DID_EXISTS: 409,
  DID_NOT_FOUND: 404,
  DID_DEACTIVATED: 409,
  INVALID_DID: 400,
  INVALID_DOCUMENT: 400,
  DOCUMENT_TOO_LARGE: 413,
  INVALID_VERSION: 400,
  INVALID_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  UNKNOWN_EMULATOR: 404,
  UNSUPPORTED_KEY_TYPE: 400,
  NOT_SUPPORTED: 501,
  NO_ROUTE: 404,
  STORE_SCHEMA: 500,
  KEY_FILE_EXISTS: 409,
  ADMIN_UNAVAILABLE: 502,
  EMULATOR_FAILED: 500,
};

/**
 * A sandbox failure: `code` is the DID Resolution error name, `reason` the sandbox's own stable reason. `reason` is
 * also carried in `extensions`, so the RFC 9457 form (`toProblem()`) shows it.
 *
 * @example
 * try { store.update({ did, document }) } catch (err) {
 *   if (err instanceof SandboxError && err.reason === 'DID_DEACTIVATED') ...
 * }
 */
export class SandboxError extends DidBridgeError {
  readonly reason: SandboxErrorReason;

  constructor(reason: SandboxErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(REASON_CODES[reason], message, { ...options, extensions: { reason } });
    this.name = 'SandboxError';
    this.reason = reason;
  }
}

/** The HTTP status for a sandbox error reason. */
export function sandboxErrorStatus(reason: SandboxErrorReason): number {
  return REASON_STATUSES[reason];
}

/** Reads a reason from untrusted data (an admin error body); undefined when it is not one of ours. */
export function parseSandboxErrorReason(value: unknown): SandboxErrorReason | undefined {
  return typeof value === 'string' && (SANDBOX_ERROR_REASONS as readonly string[]).includes(value)
    ? (value as SandboxErrorReason)
    : undefined;
}
