/**
 * The did:web adapter: a DID names an HTTPS URL, and the document served there is the DID document.
 *
 * did:web documents are DID Core documents by contract, so nothing is translated: a document without `@context`,
 * or one that still uses the pre-DID-Core `publicKey` property, is returned as it was served (`changes: []`).
 *
 * All fetching goes through the core's HTTP client as an *untrusted* request: the DID's controller picks the host,
 * so the SSRF guard, the timeouts, the redirect limit and the size limit of the client apply.
 *
 * @see https://w3c-ccg.github.io/did-method-web/
 */
import type { AdapterContext, HttpResponse, MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { InvalidDidDocumentError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { DIDDocument, ResolutionOptions } from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';
import { freshnessSeconds } from './cache-control.js';
import { DID_WEB_PATTERN, didWebDocumentUrl, httpAllowed, type AllowHttp } from './url.js';

export { didWebDocumentUrl, DID_WEB_PATTERN, type AllowHttp, type DidWebUrlOptions } from './url.js';
export { freshnessSeconds, parseCacheControl } from './cache-control.js';

/** What the adapter asks for: did:web hosts commonly serve `did.json` as plain `application/json`. */
export const DID_WEB_ACCEPT = 'application/did+json, application/json';

export interface WebAdapterConfig {
  /** DIDs that resolve in this deployment (served at `/1.0/testIdentifiers`). Default: none. */
  testIdentifiers?: readonly string[];
  /**
   * Hosts fetched over plain `http:` instead of `https:`: `true` for every host, or a list of `host` / `host:port`.
   * Default: none. The did:web specification requires HTTPS; use this only for development servers. Redirects from
   * HTTPS to HTTP are refused whatever this says.
   */
  allowHttp?: AllowHttp;
}

function checkConfig(config: WebAdapterConfig): void {
  if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
  const { testIdentifiers, allowHttp } = config;
  if (testIdentifiers !== undefined) {
    if (!Array.isArray(testIdentifiers) || testIdentifiers.some((d) => typeof d !== 'string')) {
      throw new TypeError('"testIdentifiers" must be an array of did:web DIDs');
    }
    for (const did of testIdentifiers) {
      try {
        didWebDocumentUrl(did);
      } catch (err) {
        throw new TypeError(`"testIdentifiers" contains ${JSON.stringify(did)}: ${(err as Error).message}`);
      }
    }
  }
  if (
    allowHttp !== undefined &&
    typeof allowHttp !== 'boolean' &&
    !(Array.isArray(allowHttp) && allowHttp.every((h) => typeof h === 'string'))
  ) {
    throw new TypeError('"allowHttp" must be a boolean or an array of "host" / "host:port" strings');
  }
}

/** Reads the body as a JSON object; a body that is not JSON is an upstream failure, not a document problem. */
function readDocument(res: HttpResponse, url: URL): Record<string, unknown> {
  let json: unknown;
  try {
    json = res.json();
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new UpstreamError(`the DID document at ${url.href} is not JSON (${why})`, {
      cause,
      extensions: { reason: 'not-json' },
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const kind = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
    throw new InvalidDidDocumentError(`the DID document at ${url.href} is ${kind}, not a JSON object`);
  }
  return json as Record<string, unknown>;
}

/**
 * Creates the did:web adapter.
 *
 * Outcomes, by what the host answers:
 * - 2xx with a JSON object whose `id` is the DID → the document, as served; `ttlSeconds` from `Cache-Control`
 *   (`s-maxage` / `max-age`, `no-store` / `no-cache` → 0) or `Expires`;
 * - 2xx whose `id` differs → INVALID_DID_DOCUMENT (did-method-web §Read (Resolve) step 7: "Verify that the ID of the
 *   resolved DID document matches the Web DID being resolved");
 * - 2xx with JSON that is not an object → INVALID_DID_DOCUMENT; a body that is not JSON → INTERNAL_ERROR;
 * - 404 → NOT_FOUND;
 * - 410 Gone → a deactivated DID (`deactivated: true`, no document). did-method-web §Deactivate (Revoke): "To delete
 *   the DID document, the did.json has to be removed"; a 410 is a host saying the removal is deliberate and
 *   permanent, which is what deactivation means, whereas a 404 cannot tell a deleted DID from one that never existed;
 * - any other status → INTERNAL_ERROR naming the status; transport failures, timeouts, oversized bodies, too many
 *   redirects and refused addresses → the client's INTERNAL_ERROR.
 *
 * Invalid identifiers (IP addresses, bad ports, dot segments) are INVALID_DID before anything is fetched.
 *
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 * @example
 * const resolver = new Resolver({ adapters: [createWebAdapter()] })
 * await resolver.resolve('did:web:w3c-ccg.github.io:user:alice')
 */
export function createWebAdapter(config: WebAdapterConfig = {}): MethodAdapter {
  checkConfig(config);
  const testIdentifiers = [...(config.testIdentifiers ?? [])];
  const allowHttp: AllowHttp = Array.isArray(config.allowHttp)
    ? config.allowHttp.map((h) => h.toLowerCase())
    : (config.allowHttp ?? false);

  return {
    id: 'web',
    methods: ['web'],
    identifierPattern: DID_WEB_PATTERN,
    traits: {
      updatable: true,
      deactivatable: true,
      enumerable: false,
      historyAvailable: false,
      humanReadable: true,
    },
    capabilities: { cacheable: true },
    testIdentifiers: () => testIdentifiers,

    validate(did: ParsedDid): void {
      didWebDocumentUrl(did.did, { allowHttp });
    },

    async resolve(did: ParsedDid, _options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution> {
      const url = didWebDocumentUrl(did.did, { allowHttp });
      const res = await context.http.request(url, { untrusted: true, headers: { accept: DID_WEB_ACCEPT } });
      // The client refuses https → http redirects; this also covers a client that does not.
      const finalUrl = new URL(res.url);
      if (finalUrl.protocol !== 'https:' && !httpAllowed(allowHttp, finalUrl.hostname, finalUrl.port)) {
        throw new UpstreamError(
          `the DID document of ${did.did} was served over ${finalUrl.protocol} (${finalUrl.href}); did:web requires HTTPS`,
          { extensions: { reason: 'insecure-transport' } },
        );
      }
      const ttlSeconds = freshnessSeconds(res.headers, context.now());
      if (res.status === 404) throw new NotFoundError(`no DID document at ${url.href} (HTTP 404)`);
      if (res.status === 410) {
        return {
          didDocument: null,
          didDocumentMetadata: { deactivated: true },
          changes: [],
          ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        };
      }
      if (res.status < 200 || res.status > 299) {
        throw new UpstreamError(`${url.host} answered HTTP ${res.status} for ${url.href}`, {
          extensions: { reason: 'upstream-status', upstreamStatus: res.status },
        });
      }
      const document = readDocument(res, url);
      if (document.id !== did.did) {
        const got = typeof document.id === 'string' ? JSON.stringify(document.id.slice(0, 200)) : 'no string id';
        throw new InvalidDidDocumentError(
          `the DID document at ${url.href} has ${got}, not "${did.did}"; did-method-web §Read (Resolve) requires the ` +
            'document id to match the DID being resolved',
        );
      }
      return {
        didDocument: document as DIDDocument,
        didDocumentMetadata: {},
        changes: [],
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      };
    },
  };
}
