/**
 * `GET /1.0/translate/{did}?to=<shape>`: resolves a DID and answers its document in the requested shape (`w3c`, the
 * default, or a native shape the adapters render), with the change record: the driver's face of `translateDid`
 * (`src/translate.ts`) and of `didbridge translate <did>`.
 *
 * Request: the DID raw (`/1.0/translate/did:key:z6Mk…`) or URL-encoded (`/1.0/translate/did%3Akey%3Az6Mk…`); the
 * query holds `to`, `_errorProfile` (as on the identifiers endpoint) and resolution options (`versionId`, `noCache`,
 * ...; the resolver refuses unknown ones). Values are RFC 3986 percent-decoded; a name given twice is refused.
 *
 * Answers (`application/json`, `Cache-Control: no-store`):
 * - 200 `{ document, changes, didDocumentMetadata }` (`changes` are tagged with their `step`: `translate` or
 *   `render`);
 * - 410 the same with `document: null` for a deactivated DID;
 * - errors: a DID Resolution result with `didDocument: null`, `didDocumentMetadata: {}` and the RFC 9457 error in
 *   `didResolutionMetadata.error`, written for the request's error profile, with the status the identifiers endpoint
 *   uses for the same error (400 for an unknown `to`, an invalid DID or bad options, 404 not found, 501 unsupported
 *   method, 500 otherwise).
 *
 * Registration (the driver's route table is the extension point): `driver.routes.add(translateRoute())`.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https (statuses and error bodies follow the resolution binding)
 */
import { InvalidDidError, InvalidOptionsError, toDidBridgeError } from '../errors.js';
import { errorResult } from '../resolver.js';
import type { ResolutionOptions } from '../spec.js';
import { translateDid, W3C_SHAPE } from '../translate.js';
import { readProfile } from './identifiers.js';
import { applyProfileToResolution, statusForError } from './render.js';
import type { RequestContext, Route } from './routes.js';

/** The path prefix of the route. */
export const TRANSLATE_PREFIX = '/1.0/translate/';

/** Query parameters read at most (names of options plus `to` and `_errorProfile`). */
export const MAX_TRANSLATE_PARAMETERS = 64;

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** A translate request, parsed from the path and query. */
export interface TranslateRequest {
  did: string;
  to: string;
  /** `_errorProfile`, when given. */
  profile: string | undefined;
  options: ResolutionOptions;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new InvalidOptionsError(`${what} is not valid percent-encoded UTF-8`, { cause });
  }
}

/**
 * Parses the part of the target after `/1.0/translate/` and the query.
 * @throws DidBridgeError INVALID_DID (no DID, undecodable, a DID URL), INVALID_OPTIONS (bad query)
 */
export function parseTranslateTarget(rest: string, query: string | undefined): TranslateRequest {
  let did = rest;
  if (rest.length > 6 && rest.slice(0, 6).toLowerCase() === 'did%3a') {
    try {
      did = decodeURIComponent(rest);
    } catch (cause) {
      throw new InvalidDidError('the URL-encoded DID is not valid percent-encoded UTF-8', { cause });
    }
  }
  if (did === '') throw new InvalidDidError(`no DID after ${TRANSLATE_PREFIX}`);
  if (/[/?#]/.test(did)) throw new InvalidDidError('translate takes a DID, not a DID URL (no path, query or fragment)');
  const params: Record<string, string> = {};
  let count = 0;
  for (const pair of (query ?? '').split('&')) {
    if (pair === '') continue;
    if (++count > MAX_TRANSLATE_PARAMETERS) throw new InvalidOptionsError(`more than ${MAX_TRANSLATE_PARAMETERS} query parameters`);
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), 'a parameter name');
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1), `parameter "${name.slice(0, 64)}"`);
    if (name === '' || FORBIDDEN_NAMES.has(name)) throw new InvalidOptionsError(`"${name.slice(0, 64)}" is not a parameter name`);
    if (Object.prototype.hasOwnProperty.call(params, name)) throw new InvalidOptionsError(`parameter "${name.slice(0, 64)}" is given more than once`);
    params[name] = value;
  }
  const { to, _errorProfile: profile, ...options } = params;
  for (const name of Object.keys(options)) {
    if (name.startsWith('_')) throw new InvalidOptionsError(`"${name.slice(0, 64)}" is not a parameter of this endpoint`);
  }
  return { did, to: to ?? W3C_SHAPE, profile, options };
}

async function handle(ctx: RequestContext): Promise<void> {
  try {
    const request = parseTranslateTarget(ctx.path.slice(TRANSLATE_PREFIX.length), ctx.query);
    const profile = readProfile(request.profile);
    if (profile) ctx.profile = profile;
    ctx.logFields.did = request.did.slice(0, 200);
    const result = await translateDid(request.did, { resolver: ctx.resolver, to: request.to, resolutionOptions: request.options });
    const deactivated = result.document === null && result.metadata.deactivated === true;
    ctx.sendJson(deactivated ? 410 : 200, { document: result.document, changes: result.changes, didDocumentMetadata: result.metadata });
  } catch (err) {
    const error = toDidBridgeError(err);
    ctx.logFields.error = error.code;
    ctx.sendJson(statusForError(error.code), applyProfileToResolution(errorResult(error), ctx.profile));
  }
}

/**
 * The route, for `driver.routes.add(translateRoute())`.
 * @example
 * const driver = createDriver({ resolver })
 * driver.routes.add(translateRoute())
 */
export function translateRoute(): Route {
  return { methods: ['GET'], path: TRANSLATE_PREFIX, prefix: true, handler: handle, description: 'translate a DID document to w3c or a native shape' };
}
