/**
 * `GET /1.0/original/{did}`: the upstream record a DID's W3C document was translated from
 * (`MethodResolution.original`), with the change records of that same translation. The web console puts it beside
 * the W3C document and highlights every change on both sides; anyone auditing a translation can fetch it too.
 *
 * This is a didbridge extension, not part of the Universal Resolver driver contract, and it does not change what
 * `/1.0/identifiers/` answers: the resolution result keeps its semantics, the original travels on its own.
 *
 * - The DID comes raw (`/1.0/original/did:bid:ef…`) or URL-encoded (`/1.0/original/did%3Abid%3Aef…`). Only DIDs:
 *   a DID URL is refused (INVALID_DID), since a dereferenced resource has no upstream record of its own.
 * - The query may hold `noCache=true|false` (DID Resolution §caching) and nothing else.
 * - 200 `application/json`: `{ "did", "original", "didbridgeChanges", "deactivated" }`, where `original` is null
 *   when the method keeps no native record (did:key derives its document).
 * - Errors: `application/problem+json` holding the DID Resolution error (in the request's error profile), with the
 *   status of the HTTP(S) binding (400 INVALID_DID, 404 NOT_FOUND, 501 METHOD_NOT_SUPPORTED, 500 otherwise).
 *
 * Answers are `no-store`: they are for display, and the resolver's own cache already spares the upstream.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 * @see ../../translation.ts (the change records and their JSON pointers)
 */
import { DidBridgeError, InvalidDidError, InvalidOptionsError, parseErrorName, toDidBridgeError } from '../../errors.js';
import type { ProblemDetails } from '../../spec.js';
import { profileError, statusForError } from '../render.js';
import type { RequestContext, Route } from '../routes.js';

/** The path prefix of the route. */
export const ORIGINAL_PREFIX = '/1.0/original/';

/** What the route answers for a DID that resolved. */
export interface OriginalRecordAnswer {
  did: string;
  /** The upstream record as the adapter received it; null when the method keeps none. */
  original: unknown;
  /** The change records of the translation (JSON pointers `from` into `original`, `to` into the W3C result). */
  didbridgeChanges: unknown[];
  /** Whether the DID is deactivated (then the W3C result has no document, but the record may still be shown). */
  deactivated: boolean;
}

function readDid(rest: string): string {
  if (rest === '') throw new InvalidDidError(`no DID after ${ORIGINAL_PREFIX}`);
  if (rest.length > 6 && rest.slice(0, 6).toLowerCase() === 'did%3a') {
    try {
      return decodeURIComponent(rest);
    } catch (cause) {
      throw new DidBridgeError('INVALID_DID', 'the URL-encoded DID is not valid percent-encoded UTF-8', { cause });
    }
  }
  return rest;
}

function readNoCache(query: string | undefined): boolean {
  if (query === undefined || query === '') return false;
  let noCache = false;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (name !== 'noCache') throw new InvalidOptionsError(`${ORIGINAL_PREFIX} takes only the noCache option, not ${JSON.stringify(name.slice(0, 40))}`);
    if (value !== 'true' && value !== 'false') throw new InvalidOptionsError('option "noCache" must be true or false');
    noCache = value === 'true';
  }
  return noCache;
}

function sendError(ctx: RequestContext, error: ProblemDetails): void {
  const status = statusForError(error);
  ctx.sendJson(status, { ...profileError(error, ctx.profile), status }, 'application/problem+json');
}

/**
 * The route, for `driver.routes.add(originalRoute())`.
 *
 * @example
 * const driver = createDriver({ resolver, config })
 * driver.routes.add(originalRoute())
 * // GET /1.0/original/did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2 → { did, original: { "@context": …, publicKey: […] }, didbridgeChanges: […] }
 */
export function originalRoute(): Route {
  return {
    methods: ['GET'],
    path: ORIGINAL_PREFIX,
    prefix: true,
    description: 'the upstream record a DID document was translated from, with the change records (didbridge extension)',
    async handler(ctx) {
      let did: string;
      let noCache: boolean;
      try {
        did = readDid(ctx.path.slice(ORIGINAL_PREFIX.length));
        noCache = readNoCache(ctx.query);
      } catch (err) {
        const e = toDidBridgeError(err);
        ctx.logFields.error = e.code;
        sendError(ctx, e.toProblem());
        return;
      }
      ctx.logFields.did = did.slice(0, 200);
      const { result, original, changes } = await ctx.resolver.resolveDetailed(did, noCache ? { noCache: true } : {});
      const error = result.didResolutionMetadata.error;
      if (error) {
        ctx.logFields.error = parseErrorName(error) ?? 'INTERNAL_ERROR';
        sendError(ctx, error);
        return;
      }
      const answer: OriginalRecordAnswer = {
        did,
        original: original ?? null,
        didbridgeChanges: changes,
        deactivated: result.didDocumentMetadata.deactivated === true,
      };
      ctx.sendJson(200, answer);
    },
  };
}
