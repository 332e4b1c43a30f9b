/**
 * From a resolution or dereferencing result to an HTTP answer: status code, error profile, media type and body.
 * Transport-free, so the CLI renders exactly what the driver would send.
 *
 * Rules that hold for every answer (resolver-contract.md §2.2): errors and deactivated DIDs always get a full result
 * body, whatever the Accept; error bodies have `didDocument: null` and `didDocumentMetadata: {}`.
 *
 * Three profiles (resolver-contract.md §2.2): `spec` (RFC 9457 errors with URL types), `uniresolver` (the same
 * with bare tokens) and `legacy-1.0` (DID Core 1.0 era results: camelCase error strings and a top-level
 * `@context`; see {@link legacyResolutionResult}). Statuses are the binding's in all three.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
import { parseErrorName } from '../errors.js';
import type { ErrorProfileName } from '../config.js';
import {
  ERROR_TYPE_BASE,
  MediaType,
  type DereferencingResult,
  type DIDDocument,
  type DIDDocumentMetadata,
  type DIDResolutionResult,
  type ErrorName,
  type ProblemDetails,
} from '../spec.js';
import { deactivatedDocumentOf } from '../resolver.js';
import type { DereferencingVariant, ResolutionVariant } from './negotiate.js';

/**
 * HTTP status of each error (DID Resolution HTTP(S) binding). Unlisted errors are 500.
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
export const ERROR_STATUS: Partial<Record<ErrorName, number>> = {
  INVALID_DID: 400,
  INVALID_DID_URL: 400,
  INVALID_OPTIONS: 400,
  NOT_FOUND: 404,
  REPRESENTATION_NOT_SUPPORTED: 406,
  METHOD_NOT_SUPPORTED: 501,
  FEATURE_NOT_SUPPORTED: 501,
};

/** The status for an error object (any spelling of its name); 500 for unknown errors. */
export function statusForError(error: unknown): number {
  const name = parseErrorName(error);
  return (name && ERROR_STATUS[name]) ?? 500;
}

/**
 * Rewrites an RFC 9457 error for a profile. `spec` keeps (or restores) the URL type; `uniresolver` writes the bare
 * token, because the Universal Resolver only maps bare names to 4xx (resolver-contract.md §3.6). `title` and
 * `detail` are kept in both.
 *
 * `legacy-1.0` has no problem-details form (its errors are strings inside resolution results, see
 * {@link legacyErrorString}), so answers that must stay `application/problem+json` objects (`/1.0/original/`) keep
 * the `spec` URL type under it.
 */
export function profileError(error: ProblemDetails, profile: ErrorProfileName): ProblemDetails {
  const name = parseErrorName(error);
  if (!name) return error;
  const type = profile === 'uniresolver' ? name : ERROR_TYPE_BASE + name;
  return type === error.type ? error : { ...error, type };
}

/**
 * The JSON-LD context of a legacy resolution result: the `@context` of every DID Resolution Result example in the
 * pre-CR W3C CCG DID Resolution draft (https://w3c-ccg.github.io/did-resolution/#did-resolution-result), which the
 * Universal Resolver also wrote before its 2025 media type change. did-key-test-suite checks that a result has a
 * top-level `@context` (`tests/assertions.js`, `shouldBeDidResolverResponse`; resolver-contract.md §7).
 */
export const LEGACY_RESULT_CONTEXT = 'https://w3id.org/did-resolution/v1';

/**
 * The legacy (DID Core 1.0 era) string of each error name, from the table in resolver-contract.md §2.1.
 *
 * Names with a legacy string take it: `invalidDid`, `invalidDidUrl`, `notFound`, `representationNotSupported`,
 * `methodNotSupported` (the DID Spec Registries form that did-key-test-suite expects, not did-resolver's
 * `unsupportedDidMethod`), and ethr-did-resolver's `invalidOptions` and `internalError`.
 *
 * Names the legacy generation never defined get the same camelCase spelling of their CR name, because that is the
 * form every legacy reader normalises back (the Universal Resolver and `parseErrorName` read names case- and
 * underscore-insensitively, resolver-contract.md §2.1), so the error survives a round trip instead of turning into a
 * generic one:
 * - FEATURE_NOT_SUPPORTED → `featureNotSupported` (no legacy string; the status stays 501);
 * - INVALID_DID_DOCUMENT → `invalidDidDocument` (the string requested in w3c/did-resolution #136);
 * - INVALID_VERIFICATION_METHOD → `invalidVerificationMethod` and INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD →
 *   `invalidRelationshipForVerificationMethod` (fragment dereferencing errors, CR only).
 */
export const LEGACY_ERROR_STRINGS: Readonly<Record<ErrorName, string>> = Object.freeze({
  INVALID_DID: 'invalidDid',
  INVALID_DID_URL: 'invalidDidUrl',
  INVALID_DID_DOCUMENT: 'invalidDidDocument',
  INVALID_OPTIONS: 'invalidOptions',
  NOT_FOUND: 'notFound',
  REPRESENTATION_NOT_SUPPORTED: 'representationNotSupported',
  METHOD_NOT_SUPPORTED: 'methodNotSupported',
  FEATURE_NOT_SUPPORTED: 'featureNotSupported',
  INTERNAL_ERROR: 'internalError',
  INVALID_VERIFICATION_METHOD: 'invalidVerificationMethod',
  INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD: 'invalidRelationshipForVerificationMethod',
});

/**
 * The legacy string of an error (any spelling of its name). An error type that is not a DID Resolution name is kept
 * as written, without the `https://www.w3.org/ns/did#` prefix: a legacy error is always a string.
 */
export function legacyErrorString(error: ProblemDetails | string): string {
  const name = parseErrorName(error);
  if (name) return LEGACY_ERROR_STRINGS[name];
  const type = typeof error === 'string' ? error : String(error.type);
  return type.startsWith(ERROR_TYPE_BASE) ? type.slice(ERROR_TYPE_BASE.length) : type;
}

/** Resolution or dereferencing metadata in the legacy form: the error as a string, its explanation beside it. */
export interface LegacyMetadata {
  contentType?: string;
  /** A camelCase error string, e.g. `notFound` ({@link LEGACY_ERROR_STRINGS}). */
  error?: string;
  /** The error's `detail` (or `title`): the member the Universal Resolver reads a legacy error's message from (§3.4). */
  errorMessage?: string;
  [property: string]: unknown;
}

/** A resolution result in the `legacy-1.0` profile. */
export interface LegacyResolutionResult {
  '@context': typeof LEGACY_RESULT_CONTEXT;
  didDocument: DIDDocument | null;
  didResolutionMetadata: LegacyMetadata;
  didDocumentMetadata: DIDDocumentMetadata;
}

/**
 * A dereferencing result in the `legacy-1.0` profile: the CR members (`dereferencingMetadata`, `contentStream`,
 * `content`, `contentMetadata`) plus the names DID Core 1.0 era clients read: `didDereferencingMetadata` for the
 * metadata, and `didDocument` / `didDocumentMetadata` for the dereferenced content and its metadata
 * (did-key-test-suite `tests/10-create.js` and `tests/assertions.js` read a dereferenced verification method from
 * `didDocument` and dereferencing errors from `didDereferencingMetadata.error`).
 */
export interface LegacyDereferencingResult {
  '@context': typeof LEGACY_RESULT_CONTEXT;
  didDereferencingMetadata: LegacyMetadata;
  dereferencingMetadata: LegacyMetadata;
  contentStream: unknown;
  content: unknown;
  contentMetadata: DereferencingResult['contentMetadata'];
  didDocument: unknown;
  didDocumentMetadata: DereferencingResult['contentMetadata'];
}

/**
 * The method-specific error name an adapter put in the error's `methodError` extension (e.g. did:key's
 * `unsupportedPublicKeyType`, raised as INVALID_OPTIONS): the legacy generation reported such names as the error
 * string itself, and clients of that generation (did-key-test-suite) expect them there. Only a camelCase token is
 * taken, so the member can never carry free text into `error`.
 */
function methodErrorOf(error: ProblemDetails | string): string | undefined {
  const methodError = typeof error === 'object' ? (error as { methodError?: unknown }).methodError : undefined;
  return typeof methodError === 'string' && /^[a-z][A-Za-z0-9]{0,63}$/.test(methodError) ? methodError : undefined;
}

function legacyMetadata(metadata: Record<string, unknown> | undefined, document?: unknown): LegacyMetadata {
  const { error, ...rest } = (metadata ?? {}) as { error?: ProblemDetails | string } & Record<string, unknown>;
  const out: LegacyMetadata = rest;
  // A CR `application/did` document keeps its `@context`: it is byte for byte what the legacy generation called
  // `application/did+ld+json`, the name legacy readers know (resolver-contract.md §2, "document media types").
  if (out.contentType === MediaType.Did && document && typeof document === 'object' && '@context' in document) {
    out.contentType = MediaType.DidLdJson;
  }
  if (error !== undefined) {
    out.error = methodErrorOf(error) ?? legacyErrorString(error);
    const message = typeof error === 'object' ? (error.detail ?? error.title) : undefined;
    if (typeof message === 'string') out.errorMessage = message;
  }
  return out;
}

/**
 * A resolution result in the `legacy-1.0` form: `@context` first, then the CR members, with the error as its
 * legacy string and its detail as `errorMessage` (the input is not modified).
 *
 * A deactivated DID (status 410, `deactivated: true`) comes with its document, as the legacy generation returned it
 * (resolver-contract.md §2): the CR result has `didDocument: null` (DID Resolution §resolving step 6), and the
 * resolver keeps the document beside it for this rendering (`deactivatedDocumentOf`). Null when the method keeps no
 * document for a deactivated DID.
 */
export function legacyResolutionResult(result: DIDResolutionResult): LegacyResolutionResult {
  return {
    '@context': LEGACY_RESULT_CONTEXT,
    // The older generation returned a deactivated DID's document (resolver-contract.md §2); the CR result has none.
    didDocument: result.didDocument ?? deactivatedDocumentOf(result) ?? null,
    didResolutionMetadata: legacyMetadata(result.didResolutionMetadata, result.didDocument),
    didDocumentMetadata: result.didDocumentMetadata ?? {},
  };
}

/** A dereferencing outcome in the `legacy-1.0` form ({@link LegacyDereferencingResult}). */
export function legacyDereferencingResult(outcome: DereferencingResult): LegacyDereferencingResult {
  const wire = dereferencingBody(outcome);
  const metadata = legacyMetadata(wire.dereferencingMetadata);
  // `content` is the parsed value (`contentStream` may be its serialisation, a string).
  const content = wire.content;
  const isJsonObject = content !== null && typeof content === 'object' && !(content instanceof Uint8Array);
  return {
    '@context': LEGACY_RESULT_CONTEXT,
    didDereferencingMetadata: metadata,
    dereferencingMetadata: metadata,
    contentStream: wire.contentStream,
    content: wire.content,
    contentMetadata: wire.contentMetadata,
    didDocument: isJsonObject ? content : null,
    didDocumentMetadata: wire.contentMetadata,
  };
}

/**
 * A result with its error rewritten for `profile` (the input is not modified). Under `legacy-1.0` the whole result
 * changes form ({@link legacyResolutionResult}), error or not.
 */
export function applyProfileToResolution(
  result: DIDResolutionResult,
  profile: ErrorProfileName,
): DIDResolutionResult | LegacyResolutionResult {
  if (profile === 'legacy-1.0') return legacyResolutionResult(result);
  const error = result.didResolutionMetadata?.error;
  if (!error) return result;
  return { ...result, didResolutionMetadata: { ...result.didResolutionMetadata, error: profileError(error, profile) } };
}

/**
 * The wire body of a dereferencing outcome for `profile`: {@link dereferencingBody} with its error rewritten, or
 * under `legacy-1.0` {@link legacyDereferencingResult}.
 */
export function applyProfileToDereferencing(
  outcome: DereferencingResult,
  profile: ErrorProfileName,
): DereferencingResult | LegacyDereferencingResult {
  if (profile === 'legacy-1.0') return legacyDereferencingResult(outcome);
  const body = dereferencingBody(outcome);
  const error = body.dereferencingMetadata?.error;
  if (!error) return body;
  return { ...body, dereferencingMetadata: { ...body.dereferencingMetadata, error: profileError(error, profile) } };
}

/**
 * The media type of a whole-result answer that may not have been asked for as such (an error or a deactivated DID).
 * `spec` and `uniresolver` use `crType` (resolver-contract.md §3.5: errors come back as `application/did-resolution`
 * whatever the Accept); `legacy-1.0` uses the full-result type the client asked for, and otherwise the profiled
 * `application/ld+json`, the only full-result type a legacy client knows, and one that JSON clients parse (a
 * `Content-Type` without "json" leaves error bodies unread by clients such as `@digitalbazaar/http-client`, which
 * did-key-test-suite uses).
 */
function fullResultType(
  variant: ResolutionVariant | DereferencingVariant,
  profile: ErrorProfileName,
  crType: string,
): string {
  if (profile !== 'legacy-1.0') return crType;
  return variant.kind === 'result' ? variant.contentType : MediaType.LegacyResolution;
}

/** An HTTP answer, ready to send. */
export interface RenderedResponse {
  status: number;
  /** Absent only for bodiless answers (303). */
  contentType?: string;
  /**
   * The body: bytes, or text sent as UTF-8 (JSON bodies stay text: writing the text with the headers costs less than
   * encoding it into a Buffer first, and only an answer that is stored for replay needs bytes).
   */
  body: string | Buffer;
  /** For 303 answers. */
  location?: string;
  /** Whether the answer is a success that may be cached and replayed. */
  cacheable: boolean;
  /** The error name, if any (for logs). */
  error?: ErrorName | string;
}

const EMPTY = '';

function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Renders a resolution result for a negotiated variant.
 *
 * - error → its status, whole result as `application/did-resolution` whatever the Accept (`legacy-1.0`: as the
 *   full-result type asked for, else the profiled `application/ld+json`);
 * - deactivated → 410, whole result (there is no document to send bare);
 * - success → 200, the whole result or the bare document with `Content-Type` = `didResolutionMetadata.contentType`.
 *
 * Under `legacy-1.0` every whole result is in the legacy form ({@link legacyResolutionResult}); bare documents are
 * the same in every profile.
 */
export function renderResolution(
  result: DIDResolutionResult,
  variant: ResolutionVariant,
  profile: ErrorProfileName,
): RenderedResponse {
  const resultType = variant.kind === 'result' ? variant.contentType : MediaType.DidResolution;
  const error = result.didResolutionMetadata?.error;
  if (error) {
    return {
      status: statusForError(error),
      // Errors always come as a whole result, whatever was asked (resolver-contract §3.5).
      contentType: fullResultType(variant, profile, MediaType.DidResolution),
      body: json(applyProfileToResolution(result, profile)),
      cacheable: false,
      error: parseErrorName(error) ?? String(error.type),
    };
  }
  const whole = () => json(profile === 'legacy-1.0' ? legacyResolutionResult(result) : result);
  if (result.didDocumentMetadata?.deactivated === true) {
    return { status: 410, contentType: fullResultType(variant, profile, resultType), body: whole(), cacheable: false };
  }
  if (variant.kind === 'result') return { status: 200, contentType: resultType, body: whole(), cacheable: true };
  if (!result.didDocument) {
    // A success without a document has nothing to send bare; the whole result explains itself.
    return { status: 200, contentType: fullResultType(variant, profile, MediaType.DidResolution), body: whole(), cacheable: true };
  }
  return {
    status: 200,
    contentType: result.didResolutionMetadata.contentType ?? MediaType.Did,
    body: json(result.didDocument),
    cacheable: true,
  };
}

/** The wire form of a dereferencing result: both `contentStream` and `content` (resolver-contract.md §4.6). */
export function dereferencingBody(outcome: DereferencingResult & { uriList?: string[] }): DereferencingResult {
  const { dereferencingMetadata, contentMetadata } = outcome;
  const contentStream = outcome.contentStream ?? outcome.content ?? null;
  return {
    dereferencingMetadata,
    contentStream,
    content: outcome.content ?? contentStream,
    contentMetadata: contentMetadata ?? {},
  };
}

/** A Location header value from a selected URL, or undefined if it is unusable (relative, control characters). */
export function locationFor(url: unknown): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (typeof url !== 'string' || url === '' || /[\u0000-\u0020\u007f]/.test(url)) return undefined;
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/**
 * Renders a dereferencing outcome.
 *
 * - a selected URL list (`text/uri-list`) → 303 with `Location` = the first URL and an empty body, whatever the
 *   Accept (the binding's rule for `text/uri-list` results);
 * - error → its status, whole result;
 * - deactivated content → 410, whole result;
 * - success → 200, the whole result, or the bare content with `Content-Type` = `dereferencingMetadata.contentType`.
 *
 * Under `legacy-1.0` every whole result is in the legacy form ({@link legacyDereferencingResult}).
 */
export function renderDereferencing(
  outcome: DereferencingResult & { uriList?: string[] },
  variant: DereferencingVariant,
  profile: ErrorProfileName,
): RenderedResponse {
  const resultType = variant.kind === 'result' ? variant.contentType : MediaType.DidUrlDereferencing;
  const error = outcome.dereferencingMetadata?.error;
  if (error) {
    return {
      status: statusForError(error),
      contentType: fullResultType(variant, profile, MediaType.DidUrlDereferencing),
      body: json(applyProfileToDereferencing(outcome, profile)),
      cacheable: false,
      error: parseErrorName(error) ?? String(error.type),
    };
  }
  const contentType = outcome.dereferencingMetadata?.contentType;
  if (outcome.uriList !== undefined || contentType === MediaType.UriList) {
    const list = outcome.uriList ?? uriListFrom(outcome.contentStream ?? outcome.content);
    const location = locationFor(list[0]);
    if (!location) {
      const failed: DereferencingResult = {
        dereferencingMetadata: {
          ...outcome.dereferencingMetadata,
          error: { type: ERROR_TYPE_BASE + 'NOT_FOUND', title: 'Not found', detail: 'no usable absolute URL was selected' },
        },
        contentStream: null,
        content: null,
        contentMetadata: outcome.contentMetadata ?? {},
      };
      return {
        status: 404,
        contentType: fullResultType(variant, profile, resultType),
        body: json(applyProfileToDereferencing(failed, profile)),
        cacheable: false,
        error: 'NOT_FOUND',
      };
    }
    return { status: 303, body: EMPTY, location, cacheable: false };
  }
  const whole = () => json(applyProfileToDereferencing(outcome, profile));
  if ((outcome.contentMetadata as { deactivated?: unknown } | undefined)?.deactivated === true) {
    return { status: 410, contentType: fullResultType(variant, profile, resultType), body: whole(), cacheable: false };
  }
  if (variant.kind === 'result') {
    return { status: 200, contentType: resultType, body: whole(), cacheable: true };
  }
  const content = outcome.contentStream ?? outcome.content;
  let body: string | Buffer;
  if (content instanceof Uint8Array) body = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  else if (typeof content === 'string') body = content;
  else body = json(content ?? null);
  return { status: 200, contentType: contentType ?? MediaType.Json, body, cacheable: true };
}

/** Reads a `text/uri-list` body (RFC 2483: one URI per line, `#` lines are comments). */
function uriListFrom(content: unknown): string[] {
  if (Array.isArray(content)) return content.filter((u): u is string => typeof u === 'string');
  if (typeof content !== 'string') return [];
  return content
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
