/**
 * Typed errors with stable codes. Inside the library code throws `DidBridgeError`; at the boundary (`resolve`,
 * `dereference`, the HTTP driver) errors become data: an RFC 9457 object in the resolution metadata.
 *
 * Callers switch on `code` (a DID Resolution error name), never on the message.
 */
import { ERROR_NAMES, ERROR_TYPE_BASE, type ErrorName, type ProblemDetails } from './spec.js';

/** Short titles for each error, used in RFC 9457 objects. */
export const ERROR_TITLES: Record<ErrorName, string> = {
  INVALID_DID: 'Invalid DID',
  INVALID_DID_URL: 'Invalid DID URL',
  INVALID_DID_DOCUMENT: 'Invalid DID document',
  INVALID_OPTIONS: 'Invalid options',
  NOT_FOUND: 'Not found',
  REPRESENTATION_NOT_SUPPORTED: 'Representation not supported',
  METHOD_NOT_SUPPORTED: 'Method not supported',
  FEATURE_NOT_SUPPORTED: 'Feature not supported',
  INTERNAL_ERROR: 'Internal error',
  INVALID_VERIFICATION_METHOD: 'Invalid verification method',
  INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD: 'Invalid relationship for verification method',
};

/** The base error of didbridge. `code` is a DID Resolution error name. */
export class DidBridgeError extends Error {
  readonly code: ErrorName;
  /** Extra machine-readable members to carry into the RFC 9457 object (never secrets). */
  readonly extensions: Record<string, string | number | boolean> | undefined;

  constructor(
    code: ErrorName,
    message: string,
    options: { cause?: unknown; extensions?: Record<string, string | number | boolean> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DidBridgeError';
    this.code = code;
    this.extensions = options.extensions;
  }

  /** The RFC 9457 form with a URL `type`, as DID Resolution requires. */
  toProblem(): ProblemDetails {
    return problem(this.code, this.message, this.extensions);
  }
}

export class InvalidDidError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_DID', message, options);
    this.name = 'InvalidDidError';
  }
}

export class InvalidDidUrlError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_DID_URL', message, options);
    this.name = 'InvalidDidUrlError';
  }
}

export class NotFoundError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}

export class InvalidOptionsError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTIONS', message, options);
    this.name = 'InvalidOptionsError';
  }
}

export class MethodNotSupportedError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('METHOD_NOT_SUPPORTED', message, options);
    this.name = 'MethodNotSupportedError';
  }
}

export class FeatureNotSupportedError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FEATURE_NOT_SUPPORTED', message, options);
    this.name = 'FeatureNotSupportedError';
  }
}

export class RepresentationNotSupportedError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPRESENTATION_NOT_SUPPORTED', message, options);
    this.name = 'RepresentationNotSupportedError';
  }
}

export class InvalidDidDocumentError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_DID_DOCUMENT', message, options);
    this.name = 'InvalidDidDocumentError';
  }
}

/** An upstream (VDR, HTTP host, chain node) failed or answered something unusable. */
export class UpstreamError extends DidBridgeError {
  constructor(message: string, options?: { cause?: unknown; extensions?: Record<string, string | number | boolean> }) {
    super('INTERNAL_ERROR', message, options);
    this.name = 'UpstreamError';
  }
}

/** Builds an RFC 9457 object with the URL `type` of DID Resolution. */
export function problem(
  code: ErrorName,
  detail?: string,
  extensions?: Record<string, string | number | boolean>,
): ProblemDetails {
  // Extensions go first so that they can never overwrite the members RFC 9457 and DID Resolution define.
  // Numbers become strings: an error object sits in resolution metadata, where DID Core §7.3 allows no numbers.
  const members: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(extensions ?? {})) members[k] = typeof v === 'number' ? String(v) : v;
  return {
    ...members,
    type: ERROR_TYPE_BASE + code,
    title: ERROR_TITLES[code],
    ...(detail ? { detail } : {}),
  };
}

/** Turns anything thrown into a DidBridgeError without losing the cause. Unknown throws are INTERNAL_ERROR. */
export function toDidBridgeError(err: unknown): DidBridgeError {
  if (err instanceof DidBridgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DidBridgeError('INTERNAL_ERROR', message || 'unexpected failure', { cause: err });
}

const LEGACY_ALIASES: Record<string, ErrorName> = {
  invaliddid: 'INVALID_DID',
  invaliddidurl: 'INVALID_DID_URL',
  invaliddiddocument: 'INVALID_DID_DOCUMENT',
  invalidoptions: 'INVALID_OPTIONS',
  notfound: 'NOT_FOUND',
  representationnotsupported: 'REPRESENTATION_NOT_SUPPORTED',
  methodnotsupported: 'METHOD_NOT_SUPPORTED',
  unsupporteddidmethod: 'METHOD_NOT_SUPPORTED',
  featurenotsupported: 'FEATURE_NOT_SUPPORTED',
  internalerror: 'INTERNAL_ERROR',
  invalidverificationmethod: 'INVALID_VERIFICATION_METHOD',
  invalidrelationshipforverificationmethod: 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
};

/**
 * Reads an error name in any of its forms (URL type, bare token, legacy camelCase, did-resolver's
 * `unsupportedDidMethod`), case- and underscore-insensitively, as the Universal Resolver does.
 * Returns undefined for unknown names.
 */
export function parseErrorName(value: unknown): ErrorName | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
    text = (value as { type: string }).type;
  }
  if (!text) return undefined;
  if (text.startsWith(ERROR_TYPE_BASE)) text = text.slice(ERROR_TYPE_BASE.length);
  if ((ERROR_NAMES as readonly string[]).includes(text)) return text as ErrorName;
  return LEGACY_ALIASES[text.replace(/[_-]/g, '').toLowerCase()];
}

/** The legacy (DID Core 1.0 era) camelCase keyword for an error name. */
export function legacyErrorKeyword(code: ErrorName): string {
  return code
    .toLowerCase()
    .replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
