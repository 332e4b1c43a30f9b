/**
 * The `legacy-1.0` response profile over loopback HTTP (resolver-contract.md §2, §2.1, §2.2, §7): DID Core 1.0 era
 * results with camelCase error strings, a top-level `@context` and the profiled `application/ld+json` type, with the
 * statuses of the DID Resolution HTTP(S) binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { parseErrorName } from '../../src/errors.js';
import { LEGACY_ERROR_STRINGS, LEGACY_RESULT_CONTEXT } from '../../src/http/render.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import { ERROR_NAMES } from '../../src/spec.js';
import { createTestAdapter, DEFAULT_TEST_RECORDS } from '../helpers/test-adapter.js';
import { request } from './request.js';

const LEGACY_TYPE = 'application/ld+json;profile="https://w3id.org/did-resolution"';
const enc = encodeURIComponent;

interface Running {
  driver: Driver;
  base: string;
}

async function start(overrides: ConfigOverrides = {}): Promise<Running> {
  // The default records plus one whose method reports an invalid document (INVALID_DID_DOCUMENT).
  const adapter = createTestAdapter({ records: { ...DEFAULT_TEST_RECORDS, malformed: { fail: 'INVALID_DID_DOCUMENT' } } });
  const resolver = new Resolver({ adapters: [adapter, createKeyAdapter()] });
  const driver = createDriver({ resolver, config: loadConfig({ env: {}, overrides }) });
  const address = await driver.listen(0, '127.0.0.1');
  return { driver, base: `http://127.0.0.1:${address.port}` };
}

describe('LEGACY_ERROR_STRINGS', () => {
  it('gives every DID Resolution error name a camelCase string that reads back as the same name', () => {
    for (const name of ERROR_NAMES) {
      const legacy = LEGACY_ERROR_STRINGS[name];
      expect(legacy, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(parseErrorName(legacy), name).toBe(name);
    }
  });

  it('uses the strings of the resolver-contract.md §2.1 table where the legacy generation had one', () => {
    expect(LEGACY_ERROR_STRINGS).toMatchObject({
      INVALID_DID: 'invalidDid',
      INVALID_DID_URL: 'invalidDidUrl',
      INVALID_OPTIONS: 'invalidOptions',
      NOT_FOUND: 'notFound',
      REPRESENTATION_NOT_SUPPORTED: 'representationNotSupported',
      METHOD_NOT_SUPPORTED: 'methodNotSupported',
      INTERNAL_ERROR: 'internalError',
    });
  });
});

describe('driver, legacy-1.0 profile', () => {
  let d: Running;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    await d.driver.close();
  });
  const legacy = (path: string, headers: Record<string, string> = {}) =>
    request(d.base, path, { headers: { 'x-error-profile': 'legacy-1.0', accept: LEGACY_TYPE, ...headers } });

  describe('every error name of the §2.1 table, with the binding status', () => {
    const rows: Array<{ name: string; path: string; status: number; error: string; accept?: string; dereferencing?: boolean }> = [
      { name: 'INVALID_DID', path: '/1.0/identifiers/not-a-did', status: 400, error: 'invalidDid' },
      { name: 'INVALID_DID_URL', path: '/1.0/identifiers/did:test:alice/%zz', status: 400, error: 'invalidDidUrl', dereferencing: true },
      {
        name: 'INVALID_OPTIONS',
        path: `/1.0/identifiers/${enc('did:test:alice')}?versionId=1&versionTime=2024-01-01T00:00:00Z`,
        status: 400,
        error: 'invalidOptions',
      },
      { name: 'NOT_FOUND', path: '/1.0/identifiers/did:test:nobody', status: 404, error: 'notFound' },
      {
        name: 'REPRESENTATION_NOT_SUPPORTED',
        path: '/1.0/identifiers/did:test:alice',
        status: 406,
        error: 'representationNotSupported',
        accept: 'application/x-unsupported-did-representation',
      },
      { name: 'METHOD_NOT_SUPPORTED', path: '/1.0/identifiers/did:unsupported:123456789abcdefghi', status: 501, error: 'methodNotSupported' },
      {
        name: 'FEATURE_NOT_SUPPORTED',
        path: `/1.0/identifiers/${enc('did:test:alice')}?versionTime=2024-01-01T00:00:00Z`,
        status: 501,
        error: 'featureNotSupported',
      },
      { name: 'INVALID_DID_DOCUMENT', path: '/1.0/identifiers/did:test:malformed', status: 500, error: 'invalidDidDocument' },
      { name: 'INTERNAL_ERROR', path: '/1.0/identifiers/did:test:broken', status: 500, error: 'internalError' },
      {
        name: 'INVALID_VERIFICATION_METHOD',
        path: `/1.0/identifiers/${enc('did:test:alice#files')}?verificationRelationship=authentication`,
        status: 500,
        error: 'invalidVerificationMethod',
        dereferencing: true,
      },
      {
        name: 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
        path: `/1.0/identifiers/${enc('did:test:alice#key-1')}?verificationRelationship=keyAgreement`,
        status: 500,
        error: 'invalidRelationshipForVerificationMethod',
        dereferencing: true,
      },
    ];

    it('covers every error name', () => {
      expect(rows.map((r) => r.name).sort()).toEqual([...ERROR_NAMES].sort());
    });

    for (const row of rows) {
      it(`${row.name} -> ${row.status} "${row.error}"`, async () => {
        const r = await legacy(row.path, row.accept ? { accept: row.accept } : {});
        expect(r.status).toBe(row.status);
        // Asked for the legacy result, or for something a whole result cannot be: the legacy full-result type.
        expect(r.headers['content-type']).toBe(LEGACY_TYPE);
        expect(r.headers['cache-control']).toBe('no-store');
        const body = r.json();
        expect(Object.keys(body)[0]).toBe('@context');
        expect(body['@context']).toBe(LEGACY_RESULT_CONTEXT);
        if (row.dereferencing) {
          expect(body.didDereferencingMetadata.error).toBe(row.error);
          expect(body.dereferencingMetadata).toEqual(body.didDereferencingMetadata);
          expect(typeof body.didDereferencingMetadata.errorMessage).toBe('string');
          expect(body.contentStream).toBeNull();
          expect(body.didDocument).toBeNull();
          expect(body.contentMetadata).toEqual({});
        } else {
          expect(body.didResolutionMetadata.error).toBe(row.error);
          expect(typeof body.didResolutionMetadata.errorMessage).toBe('string');
          expect(body.didResolutionMetadata.errorMessage.length).toBeGreaterThan(0);
          expect(body.didDocument).toBeNull();
          expect(body.didDocumentMetadata).toEqual({});
        }
      });
    }

    it('without the legacy Accept an error comes as application/did-resolution, still in the legacy form', async () => {
      const r = await request(d.base, '/1.0/identifiers/did:test:nobody', { headers: { 'x-error-profile': 'legacy-1.0' } });
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      expect(r.json()).toMatchObject({ '@context': LEGACY_RESULT_CONTEXT, didResolutionMetadata: { error: 'notFound' } });
    });
  });

  describe('successes', () => {
    it('the whole result with @context first, as the profiled ld+json type asked for', async () => {
      const r = await legacy('/1.0/identifiers/did:test:alice');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(LEGACY_TYPE);
      const body = r.json();
      expect(Object.keys(body)).toEqual(['@context', 'didDocument', 'didResolutionMetadata', 'didDocumentMetadata']);
      expect(body['@context']).toBe(LEGACY_RESULT_CONTEXT);
      expect(body.didDocument.id).toBe('did:test:alice');
      expect(body.didDocument['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
      // The same bytes the CR calls application/did, under the name legacy readers know.
      expect(body.didResolutionMetadata.contentType).toBe('application/did+ld+json');
      expect(body.didResolutionMetadata).not.toHaveProperty('error');
      expect(body.didDocumentMetadata).toEqual({ created: '2024-01-02T03:04:05Z', versionId: '1' });
    });

    it('application/did-resolution under the legacy profile keeps its type, with the legacy body', async () => {
      const r = await legacy('/1.0/identifiers/did:test:bob', { accept: 'application/did-resolution' });
      expect(r.headers['content-type']).toBe('application/did-resolution');
      expect(r.json()['@context']).toBe(LEGACY_RESULT_CONTEXT);
    });

    it('bare documents are the same as in the spec profile', async () => {
      for (const accept of ['application/did+ld+json', 'application/did+json']) {
        const [a, b] = await Promise.all([
          legacy('/1.0/identifiers/did:test:alice', { accept }),
          request(d.base, '/1.0/identifiers/did:test:alice', { headers: { accept, 'x-error-profile': 'spec' } }),
        ]);
        expect(a.status, accept).toBe(200);
        expect(a.headers['content-type'], accept).toBe(accept);
        expect(a.json(), accept).toEqual(b.json());
      }
    });

    it('a deactivated DID is 410 and, as the legacy generation did, comes with its document; spec still has none', async () => {
      const r = await legacy('/1.0/identifiers/did:test:gone');
      expect(r.status).toBe(410);
      expect(r.headers['content-type']).toBe(LEGACY_TYPE);
      const body = r.json();
      expect(body['@context']).toBe(LEGACY_RESULT_CONTEXT);
      expect(body.didDocument?.id).toBe('did:test:gone');
      expect(body.didDocumentMetadata.deactivated).toBe(true);
      const spec = await request(d.base, '/1.0/identifiers/did:test:gone', { headers: { 'x-error-profile': 'spec' } });
      expect(spec.status).toBe(410);
      expect(spec.json().didDocument).toBeNull();
      const bare = await legacy('/1.0/identifiers/did:test:gone', { accept: 'application/did+ld+json' });
      expect(bare.status).toBe(410);
      expect(bare.headers['content-type']).toBe(LEGACY_TYPE);
    });

    it('dereferencing a fragment: the verification method as content and as didDocument, didDereferencingMetadata', async () => {
      const r = await legacy(`/1.0/identifiers/${enc('did:test:alice#key-1')}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(LEGACY_TYPE);
      const body = r.json();
      expect(Object.keys(body)[0]).toBe('@context');
      expect(body.content).toMatchObject({ id: 'did:test:alice#key-1', type: 'Multikey', controller: 'did:test:alice' });
      expect(JSON.parse(body.contentStream)).toEqual(body.content);
      expect(body.didDocument).toEqual(body.content);
      expect(body.didDereferencingMetadata).toEqual(body.dereferencingMetadata);
      expect(body.didDereferencingMetadata).not.toHaveProperty('error');
      expect(body.didDocumentMetadata).toEqual(body.contentMetadata);
    });
  });

  describe('selection', () => {
    it('by the _errorProfile query parameter on the encoded form (and its short alias "legacy")', async () => {
      for (const value of ['legacy-1.0', 'legacy', 'LEGACY-1.0']) {
        const r = await request(d.base, `/1.0/identifiers/${enc('did:test:nobody')}?_errorProfile=${value}`);
        expect(r.status, value).toBe(404);
        expect(r.json(), value).toMatchObject({ '@context': LEGACY_RESULT_CONTEXT, didResolutionMetadata: { error: 'notFound' } });
      }
    });

    it('by configuration default; a request can still choose spec or uniresolver', async () => {
      const other = await start({ errorProfile: 'legacy-1.0' });
      try {
        const r = await request(other.base, '/1.0/identifiers/did:test:nobody', { headers: { accept: LEGACY_TYPE } });
        expect(r.status).toBe(404);
        expect(r.headers['content-type']).toBe(LEGACY_TYPE);
        expect(r.json().didResolutionMetadata.error).toBe('notFound');
        const spec = await request(other.base, '/1.0/identifiers/did:test:nobody', { headers: { 'x-error-profile': 'spec' } });
        expect(spec.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
        expect(spec.json()).not.toHaveProperty('@context');
        const uni = await request(other.base, '/1.0/identifiers/did:test:nobody', { headers: { 'x-error-profile': 'uniresolver' } });
        expect(uni.json().didResolutionMetadata.error.type).toBe('NOT_FOUND');
        const props = await request(other.base, '/1.0/properties');
        expect(props.json()).toMatchObject({ errorProfile: 'legacy-1.0', errorProfiles: ['spec', 'uniresolver', 'legacy-1.0'] });
      } finally {
        await other.driver.close();
      }
    });

    it('the response cache keeps legacy and spec answers apart', async () => {
      const path = '/1.0/identifiers/did:test:alice';
      const first = await legacy(path);
      const second = await legacy(path);
      expect(second.headers['x-cache']).toBe('hit');
      expect(second.text).toBe(first.text);
      const spec = await request(d.base, path, { headers: { accept: LEGACY_TYPE } });
      expect(spec.headers['content-type']).toBe(LEGACY_TYPE);
      expect(spec.json()).not.toHaveProperty('@context');
      expect(spec.json().didResolutionMetadata.contentType).toBe('application/did');
    });
  });
});
