/**
 * `GET|POST /1.0/identifiers/{identifier}`: resolution and dereferencing over HTTP, as the Universal Resolver's
 * driver contract and the DID Resolution HTTP(S) binding define them.
 *
 * The identifier comes in one of two forms (resolver-contract.md §3.5):
 * - raw, `/1.0/identifiers/did:web:example.com%3A3000?service=x`: taken verbatim (never decoded, since `%3A` is part
 *   of the DID), and a query is part of the DID URL;
 * - URL-encoded, `/1.0/identifiers/did%3Aweb%3A...?versionId=2`: decoded once, and the query holds resolution or
 *   dereferencing options. Keys starting with `_` are internal (`_errorProfile`), not options. A query without `=`
 *   is a URL-encoded JSON object of options. Values are RFC 3986 percent-decoded; `+` stays `+`.
 *
 * POST takes the options as a JSON object in the body, and any request may carry them as a JSON object in the
 * `X-Config` header, as the Universal Resolver accepts them (resolver-contract.md §3.5). Precedence: options in the
 * URL win over the body, and the body wins over `X-Config`. Both are read with the same rules (a JSON object, nested
 * at most 16 deep, at most `limits.maxBodyBytes` long; `_`-prefixed keys are internal parameters), and `X-Config`
 * must be ASCII (node reads header bytes as latin1, so anything else would be mis-decoded; JSON's `\u` escapes
 * carry any character).
 * An identifier containing `/`, `?` or `#` (after decoding) is dereferenced, otherwise resolved.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
import { dereference, type DereferenceOutcome } from '../dereference.js';
import { DidBridgeError, InvalidOptionsError, toDidBridgeError } from '../errors.js';
import { ERROR_PROFILES, type ErrorProfileName } from '../config.js';
import { errorResult } from '../resolver.js';
import type { DereferencingOptions, DIDResolutionResult, ResolutionOptions } from '../spec.js';
import { parseJsonSafe } from '../util/json.js';
import { negotiateDereferencing, negotiateResolution, NegotiationMemo } from './negotiate.js';
import { renderDereferencing, renderResolution, type RenderedResponse } from './render.js';
import { etagFor, type ResponseCache } from './response-cache.js';
import type { RequestContext } from './routes.js';
import { BodyTooLargeError } from './body.js';
import type { IncomingMessage } from 'node:http';

/** The path prefix of the resolution endpoint. */
export const IDENTIFIERS_PREFIX = '/1.0/identifiers/';

/** Options given in one request at most (query and body together). */
export const MAX_OPTIONS = 64;

/** An identifier request, parsed from the path, query and body. */
export interface IdentifierRequest {
  /** The DID or DID URL. */
  identifier: string;
  /** Whether the identifier came URL-encoded (then the query held options). */
  encoded: boolean;
  /** Whether it is dereferenced (contains `/`, `?` or `#`) rather than resolved. */
  dereference: boolean;
  /** Resolution / dereferencing options. */
  options: Record<string, unknown>;
  /** `_`-prefixed internal parameters, e.g. `_errorProfile`. */
  internal: Record<string, unknown>;
}

const FORBIDDEN_OPTION_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function decodeQueryComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new InvalidOptionsError(`${what} is not valid percent-encoded UTF-8`, { cause });
  }
}

function assignOption(target: Record<string, unknown>, internal: Record<string, unknown>, name: string, value: unknown) {
  if (name === '') throw new InvalidOptionsError('an option name is empty');
  if (FORBIDDEN_OPTION_NAMES.has(name)) throw new InvalidOptionsError(`"${name}" is not an option name`);
  const into = name.startsWith('_') ? internal : target;
  if (Object.prototype.hasOwnProperty.call(into, name)) {
    throw new InvalidOptionsError(`option "${name.slice(0, 64)}" is given more than once`);
  }
  into[name] = value;
  if (Object.keys(target).length + Object.keys(internal).length > MAX_OPTIONS) {
    throw new InvalidOptionsError(`more than ${MAX_OPTIONS} options`);
  }
}

/** Reads options from the query of an encoded-form request. */
function optionsFromQuery(query: string, options: Record<string, unknown>, internal: Record<string, unknown>): void {
  if (query === '') return;
  if (!query.includes('=')) {
    const text = decodeQueryComponent(query, 'the query');
    if (text.trimStart().startsWith('{')) {
      const parsed = parseJsonSafe(text, { maxDepth: 16 }, 'INVALID_OPTIONS');
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InvalidOptionsError('a query without "=" must be a URL-encoded JSON object of options');
      }
      for (const [k, v] of Object.entries(parsed)) assignOption(options, internal, k, v);
      return;
    }
  }
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? pair : pair.slice(0, eq), 'an option name');
    const value = eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1), `option "${name.slice(0, 64)}"`);
    assignOption(options, internal, name, value);
  }
}

/**
 * Parses the part of the target after `/1.0/identifiers/`. Throws DidBridgeError (INVALID_DID for an empty or
 * undecodable identifier, INVALID_OPTIONS for bad options).
 */
export function parseIdentifierTarget(rest: string, query: string | undefined): IdentifierRequest {
  const options: Record<string, unknown> = {};
  const internal: Record<string, unknown> = {};
  // `did%3A` in any case of the hex digits; the raw form starts with `did:`.
  const encoded = rest.length > 6 && rest.slice(0, 6).toLowerCase() === 'did%3a';
  let identifier: string;
  if (encoded) {
    try {
      identifier = decodeURIComponent(rest);
    } catch (cause) {
      throw new DidBridgeError('INVALID_DID', 'the URL-encoded identifier is not valid percent-encoded UTF-8', { cause });
    }
    if (query !== undefined) optionsFromQuery(query, options, internal);
  } else {
    identifier = query === undefined ? rest : `${rest}?${query}`;
  }
  if (identifier === '') throw new DidBridgeError('INVALID_DID', 'no DID after /1.0/identifiers/');
  const dereference = /[/?#]/.test(identifier);
  return { identifier, encoded, dereference, options, internal };
}

/** Merges options given as JSON text (`what`: where they came from, for messages) under those already read. */
function mergeJsonOptions(request: IdentifierRequest, text: string, what: string): void {
  if (text.trim() === '') return;
  const parsed = parseJsonSafe(text, { maxDepth: 16 }, 'INVALID_OPTIONS');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidOptionsError(`${what} must be a JSON object of resolution options`);
  }
  const given: Record<string, unknown> = {};
  const internalGiven: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) assignOption(given, internalGiven, k, v);
  request.options = { ...given, ...request.options };
  request.internal = { ...internalGiven, ...request.internal };
  if (Object.keys(request.options).length + Object.keys(request.internal).length > MAX_OPTIONS) {
    throw new InvalidOptionsError(`more than ${MAX_OPTIONS} options`);
  }
}

/** Merges a POST body (a JSON object of options) under the URL's options. */
export function mergeBodyOptions(request: IdentifierRequest, body: string): void {
  mergeJsonOptions(request, body, 'the request body');
}

/** The request header that carries options as a JSON object (resolver-contract.md §3.5), in node's lower case. */
export const OPTIONS_HEADER = 'x-config';

/** Printable ASCII and tab: what an `X-Config` value may hold. */
const NOT_HEADER_ASCII = /[^\t\x20-\x7e]/;

/**
 * Merges the `X-Config` header (a JSON object of options) under the options already read from the URL and the body.
 * `values` are the header's field values as received (`req.headersDistinct['x-config']`); `maxLength` is the limit
 * a body has (`limits.maxBodyBytes`). Throws INVALID_OPTIONS for a repeated header, a value over the limit, a
 * non-ASCII value, or anything that is not a JSON object.
 */
export function mergeConfigHeader(request: IdentifierRequest, values: readonly string[], maxLength: number): void {
  if (values.length === 0) return;
  if (values.length > 1) throw new InvalidOptionsError('the X-Config header is given more than once');
  const value = values[0]!;
  if (value.length > maxLength) {
    throw new InvalidOptionsError(`the X-Config header is ${value.length} bytes long; the limit is ${maxLength}`);
  }
  if (NOT_HEADER_ASCII.test(value)) {
    throw new InvalidOptionsError('the X-Config header must be ASCII; write other characters as JSON \\u escapes');
  }
  mergeJsonOptions(request, value, 'the X-Config header');
}

/**
 * Reads an error profile name (also `spec-cr` and `legacy`, the names resolver-contract.md §2.2 uses); undefined
 * for unknown values (then the default applies).
 */
export function readProfile(value: unknown): ErrorProfileName | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'spec-cr') return 'spec';
  if (v === 'legacy') return 'legacy-1.0';
  return (ERROR_PROFILES as readonly string[]).includes(v) ? (v as ErrorProfileName) : undefined;
}

function wantsNoCache(options: Record<string, unknown>): boolean {
  return options.noCache === true || options.noCache === 'true';
}

/** How long a rendered success for `identifier` may be replayed, in ms (0: not at all). */
/** How long (ms) a rendered answer may be replayed, given the resolution result or dereferencing outcome behind it. */
export type ReplayTtl = (result: object, identifier: string) => number;

export interface IdentifiersHandlerOptions {
  cache: ResponseCache;
  replayTtlMs: ReplayTtl;
}

const resolutionMemo = new NegotiationMemo(negotiateResolution);
const dereferencingMemo = new NegotiationMemo(negotiateDereferencing);

/** The static part of the headers of every identifiers answer: the request headers that change the answer. */
export const VARY = 'Accept, X-Error-Profile, X-Config';

/** An error result for a request that failed before resolution (bad target, options or body). */
export function requestErrorResult(err: unknown): DIDResolutionResult {
  return errorResult(toDidBridgeError(err));
}

/**
 * The response cache key: the error profile, the raw Accept header and the request target as sent. Together they
 * determine the answer (the target holds the identifier, the options and `_errorProfile`), and using the raw values
 * keeps the replay path in `server.ts` free of parsing. Requests with an `X-Config` header are never stored or
 * replayed (their options are not in the target), see {@link hasConfigHeader}.
 */
export function responseCacheKey(profile: string, accept: string | undefined, target: string): string {
  return `${profile}\u0001${accept ?? ''}\u0001${target}`;
}

/**
 * Whether a request carries `X-Config`. Such requests bypass the response cache: their options are outside the
 * key, and keying on a client-chosen header of up to `limits.maxBodyBytes` would let clients grow the cache's keys.
 */
export function hasConfigHeader(req: IncomingMessage): boolean {
  return req.headers[OPTIONS_HEADER] !== undefined;
}

/** Creates the handler of `/1.0/identifiers/`. */
export function createIdentifiersHandler({ cache, replayTtlMs }: IdentifiersHandlerOptions) {
  return async function identifiers(ctx: RequestContext): Promise<void> {
    const { req } = ctx;
    const isGet = ctx.method === 'GET' || ctx.method === 'HEAD';
    const accept = req.headers.accept;
    // Replays were answered before routing (server.ts); what arrives here is a miss or cannot be replayed.
    const withConfigHeader = hasConfigHeader(req);
    const cacheKey =
      isGet && cache.enabled && !withConfigHeader ? responseCacheKey(ctx.profile, accept, req.url ?? '') : undefined;

    let request: IdentifierRequest;
    try {
      request = parseIdentifierTarget(ctx.path.slice(IDENTIFIERS_PREFIX.length), ctx.query);
      const fromUrl = readProfile(request.internal._errorProfile);
      if (fromUrl) ctx.profile = fromUrl;
      if (ctx.method === 'POST') mergeBodyOptions(request, await ctx.readBody());
      if (withConfigHeader) mergeConfigHeader(request, req.headersDistinct[OPTIONS_HEADER] ?? [], ctx.config.limits.maxBodyBytes);
      // `_errorProfile` from the body or X-Config applies when the URL has none (the URL's value won the merge).
      const merged = readProfile(request.internal._errorProfile);
      if (merged) ctx.profile = merged;
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : undefined;
      sendRendered(ctx, renderResolution(requestErrorResult(err), negotiateResolution(accept), ctx.profile), status);
      return;
    }
    ctx.logFields.did = request.identifier.slice(0, 200);
    ctx.logFields.cache = cacheKey === undefined || wantsNoCache(request.options) ? 'bypass' : 'miss';

    let rendered: RenderedResponse;
    let source: object;
    if (request.dereference) {
      const variant = dereferencingMemo.get(accept);
      const options: DereferencingOptions = { ...request.options };
      if (variant.kind === 'content') options.accept = variant.accept;
      const outcome: DereferenceOutcome = await dereference(ctx.resolver, request.identifier, options);
      rendered = renderDereferencing(outcome, variant, ctx.profile);
      source = outcome;
    } else {
      const variant = resolutionMemo.get(accept);
      const options: ResolutionOptions = { ...request.options };
      // A document type in Accept is the `accept` option (binding §resolving); otherwise the option in the URL or
      // body, if any, picks the representation inside the whole result.
      if (variant.kind !== 'result') options.accept = variant.accept;
      const result = await ctx.resolver.resolve(request.identifier, options);
      rendered = renderResolution(result, variant, ctx.profile);
      source = result;
    }
    if (rendered.error) ctx.logFields.error = rendered.error;

    if (cacheKey !== undefined && rendered.cacheable && rendered.status === 200 && !wantsNoCache(request.options)) {
      const ttlMs = replayTtlMs(source, request.identifier);
      if (ttlMs > 0) {
        // A stored answer is replayed as bytes (and its ETag is a hash of them).
        const body = typeof rendered.body === 'string' ? Buffer.from(rendered.body, 'utf8') : rendered.body;
        const etag = etagFor(body);
        const headers = ['content-type', rendered.contentType!, 'content-length', String(body.length), 'vary', VARY, 'etag', etag];
        cache.set(cacheKey, { status: 200, headers, body, etag }, ttlMs);
        ctx.sendRaw(200, headers, ['cache-control', `public, max-age=${Math.floor(ttlMs / 1000)}`, 'x-cache', 'miss'], body);
        return;
      }
    }
    sendRendered(ctx, rendered);
  };
}

/** Sends a rendered answer with the identifiers endpoint's headers. */
export function sendRendered(ctx: RequestContext, rendered: RenderedResponse, statusOverride?: number): void {
  const headers: Record<string, string | number> = { vary: VARY };
  if (rendered.contentType) headers['content-type'] = rendered.contentType;
  if (rendered.location) headers.location = rendered.location;
  // Errors can change as soon as the upstream recovers; successes that were not stored (noCache, POST, or a result
  // whose TTL the driver cannot see) must not be reused by HTTP caches either.
  headers['cache-control'] = 'no-store';
  if (rendered.error) ctx.logFields.error = rendered.error;
  ctx.send(statusOverride ?? rendered.status, headers, rendered.body);
}
