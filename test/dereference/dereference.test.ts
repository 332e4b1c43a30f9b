/**
 * DID URL dereferencing (DID Resolution §dereferencing; resolver-contract §4.5) over the in-test `did:test` plugin.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_URI_LIST_LENGTH, dereference, resolveUriReference, type DereferenceOutcome } from '../../src/dereference.js';
import { ERROR_TITLES, UpstreamError } from '../../src/errors.js';
import { Resolver } from '../../src/resolver.js';
import type { DIDDocument, DereferencingOptions, ErrorName } from '../../src/spec.js';
import { noNetwork, resolved, testAdapter, type Behaviour } from '../resolver/test-adapter.js';

const DID = 'did:test:alice';

/** A document exercising every kind of node dereferencing can land on. */
function aliceDocument(): DIDDocument {
  return {
    id: DID,
    verificationMethod: [
      { id: '#key-1', type: 'Multikey', controller: DID, publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' },
      { id: `${DID}#key-2`, type: 'JsonWebKey', controller: DID, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } },
      { id: '#no-controller', type: 'Multikey', publicKeyMultibase: 'z6Mk' } as never,
      { id: '#leaky', type: 'JsonWebKey', controller: DID, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AA', d: 'secret' } },
      { id: '#not-a-did-controller', type: 'Multikey', controller: 'https://example.org/me', publicKeyMultibase: 'z6Mk' },
    ],
    authentication: ['#key-1', { id: '#key-3', type: 'Multikey', controller: DID, publicKeyMultibase: 'z6MkEmbedded' }],
    assertionMethod: [`${DID}#key-2`, '#no-controller', '#leaky', '#not-a-did-controller'],
    service: [
      { id: '#files', type: 'Files', serviceEndpoint: 'https://files.example/base/' },
      {
        id: `${DID}#agent`,
        type: ['Agent', 'DIDCommMessaging'],
        serviceEndpoint: ['https://agent.example/in', { uri: 'https://map.example/' }, 'https://agent2.example/x?y=1'],
      },
      { id: '#map', type: 'Files', serviceEndpoint: { origins: ['https://origin.example/'] } },
      { id: '#frag', type: 'Frag', serviceEndpoint: 'https://frag.example/page#top' },
      { id: '#evil', type: 'Evil', serviceEndpoint: ['https://ok.example/\r\nSet-Cookie: x=1', 'not a uri', '/relative'] },
    ],
  };
}

function setup(registry: Record<string, Behaviour> = {}, capabilities = {}) {
  const adapter = testAdapter(
    {
      [DID]: resolved(aliceDocument(), { didDocumentMetadata: { created: '2021-01-01T00:00:00.123Z', versionId: '3' } }),
      'did:test:gone': resolved(aliceDocument(), { didDocumentMetadata: { deactivated: true } }),
      ...registry,
    },
    { capabilities: { versionId: true, versionTime: true, options: ['network'], ...capabilities } },
  );
  const resolver = new Resolver({ adapters: [adapter], http: noNetwork });
  return { resolver, adapter, deref: (url: string, options?: DereferencingOptions) => dereference(resolver, url, options) };
}

function expectError(outcome: DereferenceOutcome, code: ErrorName): void {
  expect(outcome.dereferencingMetadata.error, JSON.stringify(outcome)).toMatchObject({
    type: `https://www.w3.org/ns/did#${code}`,
    title: ERROR_TITLES[code],
  });
  expect(typeof outcome.dereferencingMetadata.error!.detail).toBe('string');
  expect(outcome.content).toBeNull();
  expect(outcome.contentStream).toBeNull();
  expect(outcome.contentMetadata).toEqual({});
  expect(outcome.uriList).toBeUndefined();
}

function expectSuccess(outcome: DereferenceOutcome, contentType: string): void {
  expect(outcome.dereferencingMetadata.error, JSON.stringify(outcome.dereferencingMetadata.error)).toBeUndefined();
  expect(outcome.dereferencingMetadata.contentType).toBe(contentType);
  expect(outcome.content).not.toBeNull();
  if (typeof outcome.content === 'string') expect(outcome.contentStream).toBe(outcome.content);
  else expect(JSON.parse(outcome.contentStream as string)).toEqual(outcome.content);
}

describe('errors are data, never throws', () => {
  it.each(['not-a-did', 'did:test', 'did:TEST:alice#key-1', `${DID}#a#b`, `${DID}/a b`, ''])('INVALID_DID_URL for %j', async (url) => {
    const { deref, adapter } = setup();
    expectError(await deref(url), 'INVALID_DID_URL');
    expect(adapter.resolve).not.toHaveBeenCalled();
  });

  it('INVALID_DID_URL for a value that is not a string', async () => {
    const { resolver } = setup();
    expectError(await dereference(resolver, undefined as unknown as string), 'INVALID_DID_URL');
    expectError(await dereference(resolver, { toString: () => DID } as unknown as string), 'INVALID_DID_URL');
  });

  it('INVALID_OPTIONS for options that are not an object, or a bad accept / verificationRelationship', async () => {
    const { resolver, deref } = setup();
    expectError(await dereference(resolver, DID, null as unknown as DereferencingOptions), 'INVALID_OPTIONS');
    expectError(await dereference(resolver, DID, 'accept' as unknown as DereferencingOptions), 'INVALID_OPTIONS');
    expectError(await deref(DID, { accept: 1 as unknown as string }), 'INVALID_OPTIONS');
    expectError(await deref(`${DID}#key-1`, { verificationRelationship: 7 as unknown as string }), 'INVALID_OPTIONS');
    expectError(await deref(`${DID}#key-1`, { verificationRelationship: '' }), 'INVALID_OPTIONS');
  });

  it('passes resolution errors through: METHOD_NOT_SUPPORTED, NOT_FOUND, INTERNAL_ERROR', async () => {
    const { deref } = setup({ 'did:test:broken': () => { throw new UpstreamError('VDR down'); } });
    expectError(await deref('did:other:1#key-1'), 'METHOD_NOT_SUPPORTED');
    expectError(await deref('did:test:nobody#key-1'), 'NOT_FOUND');
    const broken = await deref('did:test:broken?service=files');
    expectError(broken, 'INTERNAL_ERROR');
    expect(broken.dereferencingMetadata.error!.detail).toBe('VDR down');
  });

  it('passes INVALID_OPTIONS from resolution for versionId and versionTime together', async () => {
    const { deref } = setup();
    expectError(await deref(`${DID}?versionId=1&versionTime=2021-05-10T17:00:00Z`), 'INVALID_OPTIONS');
  });
});

describe('4. the DID document', () => {
  it('returns the document with contentMetadata = didDocumentMetadata, in content and contentStream', async () => {
    const { deref } = setup();
    const outcome = await deref(DID);
    expectSuccess(outcome, 'application/did');
    expect((outcome.content as DIDDocument).id).toBe(DID);
    expect(Object.keys(outcome.content as object)[0]).toBe('@context');
    expect(outcome.contentMetadata).toEqual({ created: '2021-01-01T00:00:00Z', versionId: '3' });
    expect(outcome.uriList).toBeUndefined();
  });

  it.each([
    ['application/did+json', 'application/did+json'],
    ['application/did+ld+json', 'application/did+ld+json'],
    ['application/did-url-dereferencing', 'application/did'],
    ['application/did-url-dereferencing,*/*', 'application/did'],
    ['application/did-url-dereferencing,application/did+json', 'application/did+json'],
    ['', 'application/did'],
  ])('accept %j gives %s', async (accept, contentType) => {
    const { deref } = setup();
    const outcome = await deref(DID, { accept });
    expectSuccess(outcome, contentType);
    expect('@context' in (outcome.content as object)).toBe(contentType !== 'application/did+json');
  });

  it.each(['text/uri-list', 'image/png'])('REPRESENTATION_NOT_SUPPORTED for accept %s', async (accept) => {
    const { deref } = setup();
    expectError(await deref(DID, { accept }), 'REPRESENTATION_NOT_SUPPORTED');
  });

  it('passes the versionId / versionTime DID parameters and the options to resolution', async () => {
    const { deref, adapter } = setup();
    await deref(`${DID}?versionId=2`, { network: 'testnet' });
    expect(adapter.resolve.mock.calls.at(-1)![1]).toMatchObject({ versionId: '2', network: 'testnet' });
    await deref(`${DID}?versionTime=2021-05-10T17:00:00Z`);
    expect(adapter.resolve.mock.calls.at(-1)![1]).toMatchObject({ versionTime: '2021-05-10T17:00:00Z' });
    // noCache reaches the resolver: a second identical dereference calls the adapter again.
    const before = adapter.resolve.mock.calls.length;
    await deref(DID, { noCache: true });
    await deref(DID, { noCache: true });
    expect(adapter.resolve.mock.calls.length).toBe(before + 2);
    // An option identical to the DID parameter is fine; a different one is not.
    expectSuccess(await deref(`${DID}?versionId=2`, { versionId: '2' }), 'application/did');
    expectError(await deref(`${DID}?versionId=2`, { versionId: '3' }), 'INVALID_OPTIONS');
  });

  it('FEATURE_NOT_SUPPORTED from resolution when the method cannot select versions', async () => {
    const { deref } = setup({}, { versionId: false });
    expectError(await deref(`${DID}?versionId=2`), 'FEATURE_NOT_SUPPORTED');
  });

  it('a deactivated DID gives content null and deactivated: true; anything inside it is NOT_FOUND', async () => {
    const { deref } = setup();
    const outcome = await deref('did:test:gone');
    expect(outcome.dereferencingMetadata.error).toBeUndefined();
    expect(outcome.content).toBeNull();
    expect(outcome.contentMetadata).toEqual({ deactivated: true });
    expectError(await deref('did:test:gone#key-1'), 'NOT_FOUND');
    expectError(await deref('did:test:gone?service=files'), 'NOT_FOUND');
  });
});

describe('6. paths and other query parameters', () => {
  it.each([`${DID}/`, `${DID}/path/to`, `${DID}?foo=bar`, `${DID}?service=files&foo=bar`])('NOT_FOUND for %s', async (url) => {
    const { deref } = setup();
    expectError(await deref(url), 'NOT_FOUND');
  });

  it('FEATURE_NOT_SUPPORTED for hl: hashlinks are not verified, so they are not silently ignored', async () => {
    const { deref } = setup();
    expectError(await deref(`${DID}?hl=zQmWvQxTqbG2Z9HPJgG57jjwR154cKhbtJenbyYTWkjgF3e`), 'FEATURE_NOT_SUPPORTED');
  });
});

describe('5. service selection', () => {
  it('returns the document with only the selected service, with the document metadata', async () => {
    const { deref } = setup();
    const outcome = await deref(`${DID}?service=files`);
    expectSuccess(outcome, 'application/did');
    const doc = outcome.content as DIDDocument;
    expect(doc.service).toEqual([{ id: '#files', type: 'Files', serviceEndpoint: 'https://files.example/base/' }]);
    expect(doc.verificationMethod).toHaveLength(5);
    expect(outcome.contentMetadata).toEqual({ created: '2021-01-01T00:00:00Z', versionId: '3' });
  });

  it.each([
    ['service=agent (absolute id in the document)', 'service=agent', ['did:test:alice#agent']],
    ['service=%23agent', 'service=%23agent', ['did:test:alice#agent']],
    ['service=<the full DID URL>', 'service=did%3Atest%3Aalice%23agent', ['did:test:alice#agent']],
    ['serviceType=Files', 'serviceType=Files', ['#files', '#map']],
    ['serviceType matching one of several types', 'serviceType=DIDCommMessaging', ['did:test:alice#agent']],
    ['service and serviceType together', 'service=files&serviceType=Files', ['#files']],
  ])('selects by %s', async (_name, query, ids) => {
    const { deref } = setup();
    const outcome = await deref(`${DID}?${query}`, { accept: 'application/did+json' });
    expectSuccess(outcome, 'application/did+json');
    expect((outcome.content as DIDDocument).service!.map((s) => s.id)).toEqual(ids);
    expect('@context' in (outcome.content as object)).toBe(false);
  });

  it.each(['service=nope', 'serviceType=Nope', 'service=files&serviceType=Agent'])('NOT_FOUND when %s selects nothing', async (query) => {
    const { deref } = setup();
    expectError(await deref(`${DID}?${query}`), 'NOT_FOUND');
  });

  it('NOT_FOUND when the document has no services at all', async () => {
    const { deref } = setup({ 'did:test:bare': resolved({ id: 'did:test:bare' }) });
    expectError(await deref('did:test:bare?service=files'), 'NOT_FOUND');
  });

  it('REPRESENTATION_NOT_SUPPORTED for an accept that is neither a document type nor text/uri-list', async () => {
    const { deref } = setup();
    expectError(await deref(`${DID}?service=files`, { accept: 'application/pdf' }), 'REPRESENTATION_NOT_SUPPORTED');
  });

  describe('text/uri-list', () => {
    async function uris(url: string, accept = 'text/uri-list') {
      const { deref } = setup();
      const outcome = await deref(url, { accept });
      expectSuccess(outcome, 'text/uri-list');
      expect(outcome.content).toBe(outcome.uriList!.map((u) => `${u}\r\n`).join(''));
      expect(outcome.contentMetadata).toEqual({});
      return outcome.uriList;
    }

    it('lists the endpoint of the selected service', async () => {
      expect(await uris(`${DID}?service=files`)).toEqual(['https://files.example/base/']);
    });

    it('lists the string endpoints of a set and skips maps', async () => {
      expect(await uris(`${DID}?service=agent`)).toEqual(['https://agent.example/in', 'https://agent2.example/x?y=1']);
      expect(await uris(`${DID}?serviceType=Files`)).toEqual(['https://files.example/base/']);
    });

    it('prefers text/uri-list when the client ranks it first', async () => {
      expect(await uris(`${DID}?service=files`, 'application/did;q=0.5, text/uri-list')).toEqual(['https://files.example/base/']);
      expect(await uris(`${DID}?service=files`, 'text/*')).toEqual(['https://files.example/base/']);
    });

    it.each([
      ['an absolute path', 'service=files&relativeRef=%2Fa%2Fb%3Fq%3D1', ['https://files.example/a/b?q=1']],
      ['a relative path', 'service=files&relativeRef=sub%2Fdoc.pdf', ['https://files.example/base/sub/doc.pdf']],
      ['a query only, against every endpoint of a set', 'service=agent&relativeRef=%3Fz%3D2', ['https://agent.example/in?z=2', 'https://agent2.example/x?z=2']],
      ['a relativeRef left unencoded as in the DID Core example', 'service=files&relativeRef=/credentials', ['https://files.example/credentials']],
      ['percent-encoding normalised to upper-case hex', 'service=files&relativeRef=a%252fb%252F', ['https://files.example/base/a%2Fb%2F']],
      ['a single dot segment', 'service=files&relativeRef=.%2Fx', ['https://files.example/base/x']],
    ])('resolves relativeRef (%s) per RFC 3986 §5.2', async (_name, query, expected) => {
      expect(await uris(`${DID}?${query}`)).toEqual(expected);
    });

    it('appends the DID URL fragment to each endpoint URL', async () => {
      expect(await uris(`${DID}?service=agent#sec`)).toEqual(['https://agent.example/in#sec', 'https://agent2.example/x?y=1#sec']);
      expect(await uris(`${DID}?service=files&relativeRef=doc#p2`)).toEqual(['https://files.example/base/doc#p2']);
    });

    it('INVALID_DID_URL when the endpoint URL already has a fragment and the DID URL brings another', async () => {
      const { deref } = setup();
      expectError(await deref(`${DID}?service=frag#x`, { accept: 'text/uri-list' }), 'INVALID_DID_URL');
      expectError(await deref(`${DID}?service=files&relativeRef=a%23b#x`, { accept: 'text/uri-list' }), 'INVALID_DID_URL');
      // Without a fragment of its own, the endpoint's fragment is kept.
      expect(await uris(`${DID}?service=frag`)).toEqual(['https://frag.example/page#top']);
    });

    it('NOT_FOUND when the selected services have only map endpoints', async () => {
      const { deref } = setup();
      expectError(await deref(`${DID}?service=map`, { accept: 'text/uri-list' }), 'NOT_FOUND');
      expectError(await deref(`${DID}?service=map&relativeRef=x`, { accept: 'text/uri-list' }), 'NOT_FOUND');
    });

    it('never lists an endpoint that is not an absolute URI (a CR LF in a document must not reach a Location header)', async () => {
      const { deref } = setup();
      const outcome = await deref(`${DID}?service=evil`, { accept: 'text/uri-list' });
      expectError(outcome, 'NOT_FOUND');
      expect(outcome.dereferencingMetadata.error!.detail).toMatch(/not absolute URIs are skipped/);
    });

    it(`lists at most ${MAX_URI_LIST_LENGTH} URLs`, async () => {
      const endpoints = Array.from({ length: 1500 }, (_, i) => `https://e${i}.example/`);
      const { deref } = setup({ 'did:test:many': resolved({ id: 'did:test:many', service: [{ id: '#s', type: 'S', serviceEndpoint: endpoints }] }) });
      const outcome = await deref('did:test:many?service=s', { accept: 'text/uri-list' });
      expect(outcome.uriList).toHaveLength(MAX_URI_LIST_LENGTH);
      expect(outcome.uriList![0]).toBe('https://e0.example/');
    });
  });
});

describe('7. fragments', () => {
  it('returns the verification method, with its id made absolute and the @context first', async () => {
    const { deref } = setup();
    const outcome = await deref(`${DID}#key-1`);
    expectSuccess(outcome, 'application/did');
    expect(outcome.content).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/jwk/v1'],
      id: `${DID}#key-1`,
      type: 'Multikey',
      controller: DID,
      publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
    });
    expect(Object.keys(outcome.content as object)[0]).toBe('@context');
    expect(outcome.contentMetadata).toEqual({});
  });

  it.each([
    ['an absolute id in the document', 'key-2', 'JsonWebKey'],
    ['a method embedded in a relationship', 'key-3', 'Multikey'],
    ['a service', 'files', 'Files'],
  ])('finds %s', async (_name, fragment, type) => {
    const { deref } = setup();
    const outcome = await deref(`${DID}#${fragment}`, { accept: 'application/did+json' });
    expectSuccess(outcome, 'application/did+json');
    expect(outcome.content).toMatchObject({ id: `${DID}#${fragment}`, type });
    expect('@context' in (outcome.content as object)).toBe(false);
  });

  it('dereferences a fragment of a version', async () => {
    const { deref, adapter } = setup();
    expectSuccess(await deref(`${DID}?versionId=2#key-1`), 'application/did');
    expect(adapter.resolve.mock.calls.at(-1)![1]).toMatchObject({ versionId: '2' });
  });

  it.each([`${DID}#nope`, `${DID}#`, `${DID}#KEY-1`])('NOT_FOUND for %s', async (url) => {
    const { deref } = setup();
    expectError(await deref(url), 'NOT_FOUND');
  });

  it('REPRESENTATION_NOT_SUPPORTED for text/uri-list', async () => {
    const { deref } = setup();
    expectError(await deref(`${DID}#key-1`, { accept: 'text/uri-list' }), 'REPRESENTATION_NOT_SUPPORTED');
  });

  describe('verificationRelationship', () => {
    it.each([
      ['authentication', 'key-1'],
      ['authentication', 'key-3'],
      ['assertionMethod', 'key-2'],
    ])('%s authorises #%s', async (relationship, fragment) => {
      const { deref } = setup();
      expectSuccess(await deref(`${DID}#${fragment}`, { verificationRelationship: relationship }), 'application/did');
    });

    it.each<[string, string, ErrorName]>([
      ['assertionMethod', 'key-1', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD'],
      ['keyAgreement', 'key-1', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD'],
      ['madeUpRelationship', 'key-1', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD'],
      ['__proto__', 'key-1', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD'],
      ['id', 'key-1', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD'],
      ['authentication', 'files', 'INVALID_VERIFICATION_METHOD'],
      ['assertionMethod', 'no-controller', 'INVALID_VERIFICATION_METHOD'],
      ['assertionMethod', 'leaky', 'INVALID_VERIFICATION_METHOD'],
      ['assertionMethod', 'not-a-did-controller', 'INVALID_VERIFICATION_METHOD'],
      ['authentication', 'nope', 'NOT_FOUND'],
    ])('%s with #%s gives %s', async (relationship, fragment, code) => {
      const { deref } = setup();
      expectError(await deref(`${DID}#${fragment}`, { verificationRelationship: relationship }), code);
    });

    it('INVALID_OPTIONS without a fragment, or with service selection', async () => {
      const { deref } = setup();
      expectError(await deref(DID, { verificationRelationship: 'authentication' }), 'INVALID_OPTIONS');
      expectError(await deref(`${DID}?service=files#key-1`, { verificationRelationship: 'authentication' }), 'INVALID_OPTIONS');
    });
  });
});

describe('resolveUriReference: RFC 3986 §5.4 examples', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../fixtures/syntax/rfc3986-reference-resolution.json', import.meta.url), 'utf8'),
  ) as { base: string; normal: Array<{ reference: string; target: string }>; abnormal: Array<{ reference: string; target: string }> };

  it.each([...vectors.normal, ...vectors.abnormal].map((v) => [v.reference, v.target] as const))('%j → %s', (reference, target) => {
    expect(resolveUriReference(vectors.base, reference)).toBe(target);
  });

  it('works for bases the WHATWG URL parser refuses, and does not normalise', () => {
    expect(resolveUriReference('urn:example:a', '#frag')).toBe('urn:example:a#frag');
    expect(resolveUriReference('did:example:123', '?service=x')).toBe('did:example:123?service=x');
    expect(resolveUriReference('HTTPS://Files.Example/a/b', 'c%7e')).toBe('HTTPS://Files.Example/a/c%7e');
    expect(resolveUriReference('https://files.example', 'doc')).toBe('https://files.example/doc');
  });
});
