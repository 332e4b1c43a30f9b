/**
 * DID parameters (DID Core §3.2.1) and the security notes of resolver-contract §4.5, driven by the did-parameter
 * vectors of fixtures/syntax/did-urls.json: each is a syntactically valid DID URL that dereference() must refuse
 * with INVALID_DID_URL, and the upstream didParameters examples must get past the same checks.
 */
import { describe, expect, it } from 'vitest';
import type { MethodAdapter } from '../../src/adapter.js';
import { dereference } from '../../src/dereference.js';
import { Resolver } from '../../src/resolver.js';
import { isDidUrl, parseDidUrl } from '../../src/syntax/did-url.js';
import { loadDidUrls } from '../syntax/fixtures.js';
import { documentFor, noNetwork } from '../resolver/test-adapter.js';

const fixture = loadDidUrls();

/**
 * A plugin that resolves any DID of the methods the vectors use to a document with services named after the
 * `service` values the vectors use. Were a parameter check missing, these URLs would dereference successfully.
 */
function anyDidResolver(methods: string[]): Resolver {
  const adapter: MethodAdapter = {
    id: 'any',
    methods,
    identifierPattern: /^did:[a-z0-9]+:.+$/,
    traits: { updatable: false, deactivatable: false, enumerable: false, historyAvailable: false, humanReadable: false },
    capabilities: { versionId: true, versionTime: true },
    testIdentifiers: () => [],
    async resolve(did) {
      const service = ['files', 'a', 'agent', 'github', 'dogPicService', 'IssuerRegistry', 'algo-connect', 'hello'].map((name) => ({
        id: `#${name}`,
        type: 'Test',
        serviceEndpoint: `https://${name.toLowerCase()}.example/base/`,
      }));
      return { didDocument: documentFor(did.did, { service }), didDocumentMetadata: {}, changes: [] };
    },
  };
  return new Resolver({ adapters: [adapter], http: noNetwork, cache: false });
}

const layered = fixture.invalid.filter((v) => v.layer === 'did-parameter');
const methods = [...new Set([...fixture.valid, ...layered].map((v) => parseDidUrl(v.value).method))];
const resolver = anyDidResolver(methods);

describe('3.2.1 DID parameters refused by dereference()', () => {
  it.each(layered.map((v) => [String(v.value).slice(0, 140), v] as const))('INVALID_DID_URL for %s', async (_label, v) => {
    expect(isDidUrl(v.value)).toBe(true);
    for (const accept of [undefined, 'text/uri-list']) {
      const outcome = await dereference(resolver, v.value as string, accept === undefined ? {} : { accept });
      expect(outcome.dereferencingMetadata.error?.type, `${v.reason} (accept ${String(accept)})`).toBe('https://www.w3.org/ns/did#INVALID_DID_URL');
      expect(outcome.content).toBeNull();
      expect(outcome.contentStream).toBeNull();
      expect(outcome.uriList).toBeUndefined();
    }
  });

  it.each(fixture.disagreements.filter((d) => d.didbridgeDereference).map((d) => [d.value, d] as const))(
    '%s: %s',
    async (_label, d) => {
      const outcome = await dereference(resolver, d.value);
      expect(outcome.dereferencingMetadata.error?.type).toBe(`https://www.w3.org/ns/did#${d.didbridgeDereference}`);
    },
  );
});

describe('3.2.1 DID parameters accepted by dereference()', () => {
  const refused = new Set(layered.map((v) => v.value));
  const upstreamExamples = fixture.valid.filter(
    (v) => /didParameters|input\.didUrl/.test(v.origin) && v.query !== undefined && !refused.has(v.value),
  );

  it('has upstream examples to check', () => {
    expect(upstreamExamples.length).toBeGreaterThan(30);
  });

  it.each(upstreamExamples.map((v) => [v.value.slice(0, 140), v] as const))('%s gets past the parameter checks', async (_label, v) => {
    const outcome = await dereference(resolver, v.value);
    const error = outcome.dereferencingMetadata.error;
    // The URL may still name nothing here (NOT_FOUND) or ask for hashlink checks (FEATURE_NOT_SUPPORTED); what it
    // must not be is refused as an invalid DID URL.
    expect(error?.type, JSON.stringify(error)).not.toBe('https://www.w3.org/ns/did#INVALID_DID_URL');
    if (error) expect(['NOT_FOUND', 'FEATURE_NOT_SUPPORTED'].map((n) => `https://www.w3.org/ns/did#${n}`)).toContain(error.type);
  });

  it.each([
    ['did:example:123?service=files&relativeRef=%2Fa%2F.%2Fb', ['https://files.example/a/b']],
    ['did:example:123?service=files&relativeRef=a..b%2F..c', ['https://files.example/base/a..b/..c']],
    ['did:example:123?service=files&relativeRef=%2E%2Fx', ['https://files.example/base/x']],
    // relativeRef is a URI reference once decoded from the query: "%25" there is a literal "%", kept encoded.
    ['did:example:123?service=files&relativeRef=%2525', ['https://files.example/base/%25']],
    // Decoding "%2541" takes two more rounds ("%41", then "A") and reveals nothing: within the bound, accepted.
    ['did:example:123?service=files&relativeRef=%252541', ['https://files.example/base/%2541']],
  ])('dot-like but harmless relativeRef %s is resolved', async (url, uriList) => {
    const outcome = await dereference(resolver, url, { accept: 'text/uri-list' });
    expect(outcome.dereferencingMetadata.error).toBeUndefined();
    expect(outcome.uriList).toEqual(uriList);
  });
});
