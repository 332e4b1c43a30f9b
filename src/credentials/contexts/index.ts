/**
 * The JSON-LD contexts didbridge ships, so that Data Integrity verification (RDF canonicalisation needs every context
 * a credential names) never fetches one. Verifying a credential must not depend on, or reveal anything to, the hosts
 * that publish contexts: a context fetched at verification time is both a tracking beacon and a way to change what a
 * signed credential means after it was signed (VC Data Model 2.0 §5.2, "the contents of a context could change").
 *
 * Each file is a verbatim copy of the context published at its URL; `PROVENANCE.md` in this folder names the source
 * repository or package and the commit or version of each. `didbridge-weid-v1.json` is our own (the terms of the
 * VC Data Model 2.0 translation of WeIdentity credentials).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#contexts
 * @see https://www.w3.org/TR/vc-data-integrity/#contexts-and-vocabularies
 * @see https://www.w3.org/TR/json-ld11/#remote-context-loading
 */
import bitstringStatusListV1 from './bitstring-status-list-v1.json' with { type: 'json' };
import credentialsExamplesV1 from './credentials-examples-v1.json' with { type: 'json' };
import credentialsExamplesV2 from './credentials-examples-v2.json' with { type: 'json' };
import credentialsUndefinedTermsV2 from './credentials-undefined-terms-v2.json' with { type: 'json' };
import credentialsV1 from './credentials-v1.json' with { type: 'json' };
import credentialsV2 from './credentials-v2.json' with { type: 'json' };
import dataIntegrityV1 from './data-integrity-v1.json' with { type: 'json' };
import dataIntegrityV2 from './data-integrity-v2.json' with { type: 'json' };
import didbridgeWeidV1 from './didbridge-weid-v1.json' with { type: 'json' };
import didV1 from './did-v1.json' with { type: 'json' };
import ed25519Signature2020V1 from './ed25519-2020-v1.json' with { type: 'json' };
import jwkV1 from './jwk-v1.json' with { type: 'json' };
import multikeyV1 from './multikey-v1.json' with { type: 'json' };
import odrl from './odrl.json' with { type: 'json' };
import securityV1 from './security-v1.json' with { type: 'json' };
import securityV2 from './security-v2.json' with { type: 'json' };
import statusList2021V1 from './status-list-2021-v1.json' with { type: 'json' };

/** Well-known context URLs, by what they are. */
export const CONTEXT_URLS = {
  credentialsV1: 'https://www.w3.org/2018/credentials/v1',
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  credentialsExamplesV1: 'https://www.w3.org/2018/credentials/examples/v1',
  credentialsExamplesV2: 'https://www.w3.org/ns/credentials/examples/v2',
  credentialsUndefinedTermsV2: 'https://www.w3.org/ns/credentials/undefined-terms/v2',
  dataIntegrityV1: 'https://w3id.org/security/data-integrity/v1',
  dataIntegrityV2: 'https://w3id.org/security/data-integrity/v2',
  multikeyV1: 'https://w3id.org/security/multikey/v1',
  jwkV1: 'https://w3id.org/security/jwk/v1',
  ed25519Signature2020V1: 'https://w3id.org/security/suites/ed25519-2020/v1',
  securityV1: 'https://w3id.org/security/v1',
  securityV2: 'https://w3id.org/security/v2',
  didV1: 'https://www.w3.org/ns/did/v1',
  statusList2021V1: 'https://w3id.org/vc/status-list/2021/v1',
  bitstringStatusListV1: 'https://www.w3.org/ns/credentials/status/v1',
  /** ODRL 2.2, named by the VC 1.1 examples context (`credentialsExamplesV1`), so that context cannot be used without it. */
  odrl: 'https://www.w3.org/ns/odrl.jsonld',
} as const;

/**
 * The didbridge context for the terms of translated WeIdentity credentials. It has no URL of its own: translations
 * embed it inline (an object inside `@context`), so processing them needs nothing fetched.
 */
export const DIDBRIDGE_WEID_CONTEXT: Readonly<Record<string, unknown>> = deepFreeze(
  (didbridgeWeidV1 as { '@context': Record<string, unknown> })['@context'],
);

/** A context document as JSON-LD loads it: an object with an `@context` member. */
export type ContextDocument = Readonly<Record<string, unknown>>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/**
 * Every bundled context by URL. Frozen: JSON-LD processors must not be able to change a context for the next
 * verification (jsonld.js does not mutate loaded documents, but a cache shared across verifications must not depend
 * on that).
 */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, ContextDocument> = new Map<string, ContextDocument>(
  (
    [
      [CONTEXT_URLS.credentialsV1, credentialsV1],
      [CONTEXT_URLS.credentialsV2, credentialsV2],
      [CONTEXT_URLS.credentialsExamplesV1, credentialsExamplesV1],
      [CONTEXT_URLS.credentialsExamplesV2, credentialsExamplesV2],
      [CONTEXT_URLS.credentialsUndefinedTermsV2, credentialsUndefinedTermsV2],
      [CONTEXT_URLS.dataIntegrityV1, dataIntegrityV1],
      [CONTEXT_URLS.dataIntegrityV2, dataIntegrityV2],
      [CONTEXT_URLS.multikeyV1, multikeyV1],
      [CONTEXT_URLS.jwkV1, jwkV1],
      [CONTEXT_URLS.ed25519Signature2020V1, ed25519Signature2020V1],
      [CONTEXT_URLS.securityV1, securityV1],
      [CONTEXT_URLS.securityV2, securityV2],
      [CONTEXT_URLS.didV1, didV1],
      [CONTEXT_URLS.statusList2021V1, statusList2021V1],
      [CONTEXT_URLS.bitstringStatusListV1, bitstringStatusListV1],
      [CONTEXT_URLS.odrl, odrl],
    ] as Array<[string, unknown]>
  ).map(([url, doc]) => [url, deepFreeze(doc as ContextDocument)]),
);

/**
 * The bundled context for a URL, or undefined. The lookup is exact (JSON-LD context URLs are compared as strings),
 * except that a trailing `#fragment` is ignored, as the context is the document at the URL without it.
 */
export function bundledContext(url: string): ContextDocument | undefined {
  if (typeof url !== 'string') throw new TypeError('"url" must be a string');
  const hash = url.indexOf('#');
  return BUNDLED_CONTEXTS.get(hash < 0 ? url : url.slice(0, hash));
}
