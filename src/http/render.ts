/**
 * From a resolution or dereferencing result to an HTTP answer: status code, error profile, media type and body.
 * Transport-free, so the CLI renders exactly what the driver would send.
 *
 * Rules that hold for every answer (resolver-contract.md §2.2): errors and deactivated DIDs always get a full result
 * body, whatever the Accept; error bodies have `didDocument: null` and `didDocumentMetadata: {}`.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
import { parseErrorName } from '../errors.js';
import type { ErrorProfileName } from '../config.js';
import { ERROR_TYPE_BASE, MediaType, type DereferencingResult, type DIDResolutionResult, type ErrorName, type ProblemDetails } from '../spec.js';
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
 */
export function profileError(error: ProblemDetails, profile: ErrorProfileName): ProblemDetails {
  const name = parseErrorName(error);
  if (!name) return error;
  const type = profile === 'uniresolver' ? name : ERROR_TYPE_BASE + name;
  return type === error.type ? error : { ...error, type };
}

/** A result with its error rewritten for `profile` (the input is not modified). */
export function applyProfileToResolution(result: DIDResolutionResult, profile: ErrorProfileName): DIDResolutionResult {
  const error = result.didResolutionMetadata?.error;
  if (!error) return result;
  return { ...result, didResolutionMetadata: { ...result.didResolutionMetadata, error: profileError(error, profile) } };
}

export function applyProfileToDereferencing<T extends DereferencingResult>(outcome: T, profile: ErrorProfileName): T {
  const error = outcome.dereferencingMetadata?.error;
  if (!error) return outcome;
  return { ...outcome, dereferencingMetadata: { ...outcome.dereferencingMetadata, error: profileError(error, profile) } };
}

/** An HTTP answer, ready to send. */
export interface RenderedResponse {
  status: number;
  /** Absent only for bodiless answers (303). */
  contentType?: string;
  body: Buffer;
  /** For 303 answers. */
  location?: string;
  /** Whether the answer is a success that may be cached and replayed. */
  cacheable: boolean;
  /** The error name, if any (for logs). */
  error?: ErrorName | string;
}

const EMPTY = Buffer.alloc(0);

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Renders a resolution result for a negotiated variant.
 *
 * - error → its status, whole result as `application/did-resolution`, whatever the Accept;
 * - deactivated → 410, whole result (there is no document to send bare);
 * - success → 200, the whole result or the bare document with `Content-Type` = `didResolutionMetadata.contentType`.
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
      // Errors always come as application/did-resolution, whatever was asked (resolver-contract §3.5).
      contentType: MediaType.DidResolution,
      body: json(applyProfileToResolution(result, profile)),
      cacheable: false,
      error: parseErrorName(error) ?? String(error.type),
    };
  }
  if (result.didDocumentMetadata?.deactivated === true) {
    return { status: 410, contentType: resultType, body: json(result), cacheable: false };
  }
  if (variant.kind === 'result') return { status: 200, contentType: resultType, body: json(result), cacheable: true };
  if (!result.didDocument) {
    // A success without a document has nothing to send bare; the whole result explains itself.
    return { status: 200, contentType: MediaType.DidResolution, body: json(result), cacheable: true };
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
      contentType: MediaType.DidUrlDereferencing,
      body: json(dereferencingBody(applyProfileToDereferencing(outcome, profile))),
      cacheable: false,
      error: parseErrorName(error) ?? String(error.type),
    };
  }
  const contentType = outcome.dereferencingMetadata?.contentType;
  if (outcome.uriList !== undefined || contentType === MediaType.UriList) {
    const list = outcome.uriList ?? uriListFrom(outcome.contentStream ?? outcome.content);
    const location = locationFor(list[0]);
    if (!location) {
      const failed = {
        ...dereferencingBody(outcome),
        dereferencingMetadata: {
          ...outcome.dereferencingMetadata,
          error: profileError(
            { type: ERROR_TYPE_BASE + 'NOT_FOUND', title: 'Not found', detail: 'no usable absolute URL was selected' },
            profile,
          ),
        },
        contentStream: null,
        content: null,
      };
      return { status: 404, contentType: resultType, body: json(failed), cacheable: false, error: 'NOT_FOUND' };
    }
    return { status: 303, body: EMPTY, location, cacheable: false };
  }
  if ((outcome.contentMetadata as { deactivated?: unknown } | undefined)?.deactivated === true) {
    return { status: 410, contentType: resultType, body: json(dereferencingBody(outcome)), cacheable: false };
  }
  if (variant.kind === 'result') {
    return { status: 200, contentType: resultType, body: json(dereferencingBody(outcome)), cacheable: true };
  }
  const content = outcome.contentStream ?? outcome.content;
  let body: Buffer;
  if (content instanceof Uint8Array) body = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  else if (typeof content === 'string') body = Buffer.from(content, 'utf8');
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
