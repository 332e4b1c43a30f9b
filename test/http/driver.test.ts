/**
 * The Universal Resolver driver over loopback HTTP: DID Resolution HTTP(S) binding status codes and media types,
 * both error profiles, options in the URL and in POST bodies, content negotiation, CORS, request ids, limits,
 * health, the descriptive endpoints, the response cache, and graceful shutdown.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKeyAdapter, KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter, type TestAdapter } from '../helpers/test-adapter.js';
import { request } from './request.js';

const ED25519_DID = KEY_TEST_IDENTIFIERS[0]!;

interface Running {
  driver: Driver;
  base: string;
  adapter: TestAdapter;
  resolver: Resolver;
  logLines: string[];
}

async function start(overrides: ConfigOverrides = {}): Promise<Running> {
  const adapter = createTestAdapter();
  const resolver = new Resolver({ adapters: [adapter, createKeyAdapter()] });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', stream: { write: (line: string) => logLines.push(line) } as never });
  const config = loadConfig({ env: {}, overrides });
  const driver = createDriver({ resolver, config, logger });
  const address = await driver.listen(0, '127.0.0.1');
  return { driver, base: `http://127.0.0.1:${address.port}`, adapter, resolver, logLines };
}

const enc = encodeURIComponent;

describe('driver', () => {
  let d: Running;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    await d.driver.close();
  });
  const get = (path: string, headers: Record<string, string> = {}) => request(d.base, path, { headers });

  describe('resolution: content negotiation (binding §resolving; resolver-contract §3.5)', () => {
    it('no Accept: the whole result as application/did-resolution, document as application/did', async () => {
      const r = await get('/1.0/identifiers/did:test:alice');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      const body = r.json();
      expect(body.didDocument.id).toBe('did:test:alice');
      expect(body.didDocument['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
      expect(body.didResolutionMetadata.contentType).toBe('application/did');
      expect(body.didDocumentMetadata).toEqual({ created: '2024-01-02T03:04:05Z', versionId: '1' });
    });

    it('Accept: application/did-resolution and */* give the whole result', async () => {
      for (const accept of ['application/did-resolution', '*/*', 'application/*']) {
        const r = await get('/1.0/identifiers/did:test:bob', { accept });
        expect(r.status, accept).toBe(200);
        expect(r.headers['content-type'], accept).toBe('application/did-resolution');
        expect(r.json().didDocument.id).toBe('did:test:bob');
      }
    });

    it('the legacy profiled ld+json type gets the whole result and is echoed', async () => {
      const legacy = 'application/ld+json;profile="https://w3id.org/did-resolution"';
      const r = await get('/1.0/identifiers/did:test:bob', { accept: legacy });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(legacy);
      expect(r.json().didResolutionMetadata.contentType).toBe('application/did');
      const failed = await get('/1.0/identifiers/did:test:nobody', { accept: legacy });
      expect(failed.status).toBe(404);
      expect(failed.headers['content-type']).toBe('application/did-resolution');
    });

    it('a DID document type gets the bare document, Content-Type = didResolutionMetadata.contentType', async () => {
      const cases: Array<[string, string, boolean]> = [
        ['application/did', 'application/did', true],
        ['application/did+ld+json', 'application/did+ld+json', true],
        ['application/did+json', 'application/did+json', false],
        ['application/json', 'application/did', true],
        ['application/ld+json', 'application/did', true],
      ];
      for (const [accept, contentType, hasContext] of cases) {
        const r = await get('/1.0/identifiers/did:test:alice', { accept });
        expect(r.status, accept).toBe(200);
        expect(r.headers['content-type'], accept).toBe(contentType);
        const doc = r.json();
        expect(doc.id).toBe('did:test:alice');
        expect(doc).not.toHaveProperty('didResolutionMetadata');
        expect('@context' in doc, accept).toBe(hasContext);
      }
    });

    it('q values order the preferences', async () => {
      const r = await get('/1.0/identifiers/did:test:bob', {
        accept: 'application/did-resolution;q=0.2, application/did+json;q=0.9',
      });
      expect(r.headers['content-type']).toBe('application/did+json');
      const r2 = await get('/1.0/identifiers/did:test:bob', { accept: 'text/html, application/did-resolution;q=0.5' });
      expect(r2.headers['content-type']).toBe('application/did-resolution');
    });

    it('an unproducible Accept is 406 with a whole result body', async () => {
      const r = await get('/1.0/identifiers/did:test:alice', { accept: 'application/x-unsupported-did-representation-99999' });
      expect(r.status).toBe(406);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      const body = r.json();
      expect(body.didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#REPRESENTATION_NOT_SUPPORTED');
      expect(body.didDocument).toBeNull();
      expect(body.didDocumentMetadata).toEqual({});
    });

    it('an invalid DID with an unproducible Accept is still 400: the DID is checked first', async () => {
      const r = await get('/1.0/identifiers/not-a-did', { accept: 'text/html' });
      expect(r.status).toBe(400);
      expect(r.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
    });

    it('the accept option in the URL picks the representation inside the whole result', async () => {
      const r = await get(`/1.0/identifiers/${enc('did:test:alice')}?accept=${enc('application/did+json')}`);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      const body = r.json();
      expect(body.didResolutionMetadata.contentType).toBe('application/did+json');
      expect(body.didDocument).not.toHaveProperty('@context');
    });
  });

  describe('status codes and error bodies, in both error profiles (binding status table; resolver-contract §2.1)', () => {
    const table: Array<{ name: string; path: string; status: number; error?: string; headers?: Record<string, string> }> = [
      { name: 'not a DID', path: '/1.0/identifiers/not-a-did', status: 400, error: 'INVALID_DID' },
      { name: 'did:example (no method-specific id)', path: '/1.0/identifiers/did:example', status: 400, error: 'INVALID_DID' },
      { name: 'valid syntax, invalid for the method', path: '/1.0/identifiers/did:test:Not.Valid', status: 400, error: 'INVALID_DID' },
      { name: 'unknown method', path: '/1.0/identifiers/did:unsupported:123456789abcdefghi', status: 501, error: 'METHOD_NOT_SUPPORTED' },
      { name: 'not found', path: '/1.0/identifiers/did:test:nobody', status: 404, error: 'NOT_FOUND' },
      { name: 'upstream failure', path: '/1.0/identifiers/did:test:broken', status: 500, error: 'INTERNAL_ERROR' },
      {
        name: 'versionId and versionTime together',
        path: `/1.0/identifiers/${enc('did:test:alice')}?versionId=1&versionTime=2024-01-01T00:00:00Z`,
        status: 400,
        error: 'INVALID_OPTIONS',
      },
      {
        name: 'versionTime the method cannot honour',
        path: `/1.0/identifiers/${enc('did:test:alice')}?versionTime=2024-01-01T00:00:00Z`,
        status: 501,
        error: 'FEATURE_NOT_SUPPORTED',
      },
      { name: 'unknown version', path: `/1.0/identifiers/${enc('did:test:alice')}?versionId=7`, status: 404, error: 'NOT_FOUND' },
      { name: 'option given twice', path: `/1.0/identifiers/${enc('did:test:alice')}?versionId=1&versionId=1`, status: 400, error: 'INVALID_OPTIONS' },
      { name: 'error with a document Accept', path: '/1.0/identifiers/did:test:nobody', status: 404, error: 'NOT_FOUND', headers: { accept: 'application/did+ld+json' } },
      { name: 'invalid DID URL', path: '/1.0/identifiers/did:test:alice/%zz', status: 400, error: 'INVALID_DID_URL' },
      { name: 'no identifier at all', path: '/1.0/identifiers/', status: 400, error: 'INVALID_DID' },
    ];

    for (const profile of ['spec', 'uniresolver'] as const) {
      describe(`profile ${profile} (by X-Error-Profile header)`, () => {
        for (const row of table) {
          it(`${row.name} -> ${row.status}`, async () => {
            const r = await get(row.path, { ...(row.headers ?? {}), 'x-error-profile': profile });
            expect(r.status).toBe(row.status);
            expect(r.headers['content-type']).toMatch(/^application\/did-(resolution|url-dereferencing)$/);
            const body = r.json();
            const metadata = body.didResolutionMetadata ?? body.dereferencingMetadata;
            const expectedType = profile === 'spec' ? `https://www.w3.org/ns/did#${row.error}` : row.error;
            expect(metadata.error.type).toBe(expectedType);
            expect(typeof metadata.error.title).toBe('string');
            expect(typeof metadata.error.detail).toBe('string');
            if (body.didResolutionMetadata) {
              expect(body.didDocument).toBeNull();
              expect(body.didDocumentMetadata).toEqual({});
            } else {
              expect(body.contentStream).toBeNull();
              expect(body.contentMetadata).toEqual({});
            }
            expect(r.headers['cache-control']).toBe('no-store');
          });
        }
      });
    }

    it('deactivated -> 410 with a whole result (document null, deactivated true), whatever the Accept', async () => {
      for (const accept of ['application/did-resolution', 'application/did+ld+json']) {
        const r = await get('/1.0/identifiers/did:test:gone', { accept });
        expect(r.status).toBe(410);
        expect(r.headers['content-type']).toBe('application/did-resolution');
        const body = r.json();
        expect(body.didDocument).toBeNull();
        expect(body.didDocumentMetadata.deactivated).toBe(true);
      }
    });

    it('the profile can be chosen with _errorProfile on the encoded form, which is not a resolution option', async () => {
      const r = await get(`/1.0/identifiers/${enc('did:test:nobody')}?_errorProfile=uniresolver`);
      expect(r.status).toBe(404);
      expect(r.json().didResolutionMetadata.error.type).toBe('NOT_FOUND');
      // On the raw form a query belongs to the DID URL, so it is dereferenced, not read as options.
      const raw = await get('/1.0/identifiers/did:test:nobody?_errorProfile=uniresolver');
      expect(raw.status).toBe(404);
      expect(raw.json().dereferencingMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
    });

    it('the default profile comes from configuration', async () => {
      const other = await start({ errorProfile: 'uniresolver' });
      try {
        const r = await request(other.base, '/1.0/identifiers/did:test:nobody');
        expect(r.json().didResolutionMetadata.error.type).toBe('NOT_FOUND');
        const spec = await request(other.base, '/1.0/identifiers/did:test:nobody', { headers: { 'x-error-profile': 'spec' } });
        expect(spec.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
      } finally {
        await other.driver.close();
      }
    });
  });

  describe('identifier forms and options', () => {
    it('accepts URL-encoded DIDs, in either hex case', async () => {
      for (const path of [`/1.0/identifiers/${enc('did:test:alice')}`, '/1.0/identifiers/did%3atest%3aalice']) {
        const r = await get(path);
        expect(r.status, path).toBe(200);
        expect(r.json().didDocument.id).toBe('did:test:alice');
      }
    });

    it('reads options from the query of the encoded form only', async () => {
      const ok = await get(`/1.0/identifiers/${enc('did:test:alice')}?versionId=1`);
      expect(ok.status).toBe(200);
      const missing = await get(`/1.0/identifiers/${enc('did:test:alice')}?versionId=2`);
      expect(missing.status).toBe(404);
    });

    it('reads a query without "=" as a URL-encoded JSON object of options', async () => {
      const r = await get(`/1.0/identifiers/${enc('did:test:alice')}?${enc(JSON.stringify({ versionId: '2' }))}`);
      expect(r.status).toBe(404);
      expect(r.json().didResolutionMetadata.error.detail).toContain('no version 2');
    });

    it('keeps pct-encoded characters of a raw DID (did:web ports are %3A)', async () => {
      // did:test does not allow '%', so the raw form reaches the method-specific check undecoded.
      const r = await get('/1.0/identifiers/did:test:ali%63e');
      expect(r.status).toBe(400);
      expect(r.json().didResolutionMetadata.error.detail).toContain('ali%63e');
    });

    it('an undecodable encoded identifier is INVALID_DID', async () => {
      const r = await get('/1.0/identifiers/did%3Atest%3A%E0%A4%A');
      expect(r.status).toBe(400);
      expect(r.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
    });

    it('POST takes options as a JSON body; URL options win', async () => {
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        request(d.base, path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      const found = await post('/1.0/identifiers/did:test:alice', JSON.stringify({ versionId: '1' }));
      expect(found.status).toBe(200);
      expect(found.json().didDocument.id).toBe('did:test:alice');
      const missing = await post('/1.0/identifiers/did:test:alice', JSON.stringify({ versionId: '9' }));
      expect(missing.status).toBe(404);
      const urlWins = await post(`/1.0/identifiers/${enc('did:test:alice')}?versionId=1`, JSON.stringify({ versionId: '9' }));
      expect(urlWins.status).toBe(200);
      const bare = await post('/1.0/identifiers/did:test:alice', '{}', { accept: 'application/did+json' });
      expect(bare.headers['content-type']).toBe('application/did+json');
      const empty = await post('/1.0/identifiers/did:test:alice', '');
      expect(empty.status).toBe(200);
    });

    it('POST with a body that is not a JSON object is 400 INVALID_OPTIONS', async () => {
      for (const body of ['{not json', '[1,2]', '"text"', '['.repeat(100)]) {
        const r = await request(d.base, '/1.0/identifiers/did:test:alice', { method: 'POST', body });
        expect(r.status, body.slice(0, 20)).toBe(400);
        expect(r.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_OPTIONS');
      }
    });

    it('an oversized POST body is 413 with a whole result body', async () => {
      const small = await start({ limits: { maxBodyBytes: 1024 } });
      try {
        const body = JSON.stringify({ versionId: '1', padding: 'x'.repeat(5000) });
        const r = await request(small.base, '/1.0/identifiers/did:test:alice', { method: 'POST', body });
        expect(r.status).toBe(413);
        expect(r.headers['content-type']).toBe('application/did-resolution');
        expect(r.headers.connection).toBe('close');
        const result = r.json();
        expect(result.didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_OPTIONS');
        expect(result.didResolutionMetadata.error.detail).toContain('1024');
        expect(result.didDocument).toBeNull();
        // Streamed without a Content-Length: cut off while reading.
        const chunked = await new Promise<number>((resolve, reject) => {
          const url = new URL(small.base);
          import('node:http').then(({ default: http }) => {
            const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/1.0/identifiers/did:test:alice' }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
            req.write('x'.repeat(800));
            req.write('x'.repeat(800));
            req.end();
          }, reject);
        });
        expect(chunked).toBe(413);
        // The server still answers afterwards.
        expect((await request(small.base, '/health/live')).status).toBe(200);
      } finally {
        await small.driver.close();
      }
    });

    it('a request target over the limit is 414 with a whole result body', async () => {
      const r = await get(`/1.0/identifiers/did:test:${'a'.repeat(9000)}`);
      expect(r.status).toBe(414);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      expect(r.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
      const other = await get(`/1.0/methods?${'a'.repeat(9000)}`);
      expect(other.status).toBe(414);
      expect(other.headers['content-type']).toBe('application/problem+json');
    });
  });

  describe('dereferencing (binding §dereferencing)', () => {
    it('a DID URL with a fragment gives the whole dereferencing result, with contentStream and content', async () => {
      const r = await get(`/1.0/identifiers/${enc('did:test:alice#key-1')}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/did-url-dereferencing');
      const body = r.json();
      expect(body.dereferencingMetadata.contentType).toBe('application/did');
      expect(body.content.id).toBe('did:test:alice#key-1');
      expect(JSON.parse(body.contentStream).id).toBe('did:test:alice#key-1');
      expect(body.contentMetadata).toEqual({});
    });

    it('a content type in Accept gives only the content', async () => {
      const r = await get(`/1.0/identifiers/${enc('did:test:alice#key-1')}`, { accept: 'application/json' });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/did');
      const body = r.json();
      expect(body).not.toHaveProperty('dereferencingMetadata');
      expect(body.type).toBe('Multikey');
    });

    it('text/uri-list on a service selection is 303 with Location and an empty body', async () => {
      const r = await get('/1.0/identifiers/did:test:alice?service=files&relativeRef=%2Fdocs%2Fa.pdf', { accept: 'text/uri-list' });
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('https://files.example/docs/a.pdf');
      expect(r.text).toBe('');
    });

    it('dereferencing errors carry a whole dereferencing result with the status of the error', async () => {
      const missing = await get('/1.0/identifiers/did:test:alice?service=nothing');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toBe('application/did-url-dereferencing');
      expect(missing.json().dereferencingMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
      const unsupported = await get(`/1.0/identifiers/${enc('did:test:alice#key-1')}`, { accept: 'image/png' });
      expect(unsupported.status).toBe(406);
      expect(unsupported.json().dereferencingMetadata.error.type).toBe('https://www.w3.org/ns/did#REPRESENTATION_NOT_SUPPORTED');
    });

    it('a deactivated DID dereferences to 410', async () => {
      const r = await get('/1.0/identifiers/did:test:gone?versionId=1');
      expect(r.status).toBe(410);
      expect(r.json().contentMetadata.deactivated).toBe(true);
    });
  });

  describe('did:key through the driver', () => {
    it('resolves a did:key test vector', async () => {
      const r = await get(`/1.0/identifiers/${ED25519_DID}`, { accept: 'application/did-resolution' });
      expect(r.status).toBe(200);
      const body = r.json();
      expect(body.didDocument.id).toBe(ED25519_DID);
      expect(body.didDocument.verificationMethod[0].publicKeyMultibase).toBe(ED25519_DID.slice('did:key:'.length));
    });
  });

  it('writes text bodies as UTF-8 with their byte length, uncached and replayed alike (non-ASCII content)', async () => {
    const adapter = createTestAdapter({
      records: {
        zhang: {
          document: {
            '@context': ['https://www.w3.org/ns/did/v1'],
            alsoKnownAs: ['https://例え.example/張三', 'urn:name:Zoë'],
            service: [{ id: '#服务', type: 'LinkedDomains', serviceEndpoint: 'https://例え.example/' }],
          },
        },
      },
    });
    const driver = createDriver({ resolver: new Resolver({ adapters: [adapter] }), config: loadConfig({ env: {} }) });
    const address = await driver.listen(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${address.port}`;
      for (const path of ['/1.0/identifiers/did%3Atest%3Azhang?noCache=true', '/1.0/identifiers/did:test:zhang', '/1.0/identifiers/did:test:zhang']) {
        const r = await request(base, path);
        expect(r.status, r.text).toBe(200);
        expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.text, 'utf8'));
        expect(Number(r.headers['content-length'])).toBeGreaterThan(r.text.length);
        expect(r.json().didDocument.alsoKnownAs).toEqual(['https://例え.example/張三', 'urn:name:Zoë']);
      }
      const head = await request(base, '/1.0/identifiers/did%3Atest%3Azhang?noCache=true', { method: 'HEAD' });
      expect(head.text).toBe('');
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    } finally {
      await driver.close();
    }
  });

  describe('response cache', () => {
    it('replays the same bytes with an ETag, and answers If-None-Match with 304', async () => {
      const path = `/1.0/identifiers/${enc(ED25519_DID)}?_cacheTest=1`;
      const first = await get(path);
      expect(first.headers['x-cache']).toBe('miss');
      const before = d.logLines.length;
      const second = await get(path, { 'x-request-id': 'replayed-1' });
      expect(second.headers['x-cache']).toBe('hit');
      expect(second.headers['x-request-id']).toBe('replayed-1');
      expect(second.headers['access-control-allow-origin']).toBe('*');
      expect(second.headers['content-type']).toBe('application/did-resolution');
      expect(Number(second.headers['content-length'])).toBe(Buffer.byteLength(second.text));
      const line = d.logLines.slice(before).map((l) => JSON.parse(l)).find((l) => l.requestId === 'replayed-1');
      expect(line).toMatchObject({ msg: 'request', method: 'GET', status: 200, cache: 'hit', path: `/1.0/identifiers/${enc(ED25519_DID)}` });
      expect(second.text).toBe(first.text);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      const notModified = await get(path, { 'if-none-match': first.headers.etag as string });
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
    });

    it('keys entries by Accept and profile', async () => {
      const path = `/1.0/identifiers/${ED25519_DID}`;
      const full = await get(path, { accept: 'application/did-resolution' });
      const bare = await get(path, { accept: 'application/did+json' });
      expect(full.headers['content-type']).toBe('application/did-resolution');
      expect(bare.headers['content-type']).toBe('application/did+json');
      const bareAgain = await get(path, { accept: 'application/did+json' });
      expect(bareAgain.headers['x-cache']).toBe('hit');
      expect(bareAgain.text).toBe(bare.text);
      const otherProfile = await get(path, { accept: 'application/did+json', 'x-error-profile': 'uniresolver' });
      expect(otherProfile.headers['x-cache']).toBe('miss');
    });

    it('follows a TTL the result reports: max-age from it, and 0 is never replayed', async () => {
      const hinted = '/1.0/identifiers/did:test:hinted';
      await get(hinted);
      const hit = await get(hinted);
      expect(hit.headers['x-cache']).toBe('hit');
      const maxAge = Number(/max-age=(\d+)/.exec(String(hit.headers['cache-control']))![1]);
      expect(maxAge).toBeGreaterThan(50);
      expect(maxAge).toBeLessThanOrEqual(60);
      const short = '/1.0/identifiers/did:test:shortlived';
      await get(short);
      const again = await get(short);
      expect(again.status).toBe(200);
      expect(again.headers['x-cache']).toBeUndefined();
      expect(again.headers['cache-control']).toBe('no-store');
    });

    it('replays a method that states no TTL for at most the resolver policy default, as its own cache would', async () => {
      const path = '/1.0/identifiers/did:test:bob';
      const first = await get(path);
      expect(first.headers['x-cache']).toBe('miss');
      const again = await get(path);
      expect(again.status).toBe(200);
      expect(again.headers['x-cache']).toBe('hit');
      const maxAge = Number(/max-age=(\d+)/.exec(String(again.headers['cache-control']))![1]);
      expect(maxAge).toBeLessThanOrEqual(d.resolver.cachePolicy.defaultTtlSeconds);
      // Both answers came from one adapter call.
      expect(d.adapter.calls.get('did:test:bob')).toBe(1);
    });

    it('noCache=true bypasses both caches and is not stored', async () => {
      const path = `/1.0/identifiers/${enc('did:test:alice')}?noCache=true`;
      const before = d.adapter.calls.get('did:test:alice') ?? 0;
      const a = await get(path);
      const b = await get(path);
      expect(a.status).toBe(200);
      expect(b.headers['x-cache']).toBeUndefined();
      expect(b.headers['cache-control']).toBe('no-store');
      expect(d.adapter.calls.get('did:test:alice')).toBe(before + 2);
      const keyPath = `/1.0/identifiers/${enc(ED25519_DID)}?noCache=true`;
      await get(keyPath);
      expect((await get(keyPath)).headers['x-cache']).toBeUndefined();
    });

    it('never stores errors', async () => {
      await get('/1.0/identifiers/did:test:broken');
      const again = await get('/1.0/identifiers/did:test:broken');
      expect(again.status).toBe(500);
      expect(again.headers['x-cache']).toBeUndefined();
    });

    it('is off when the resolver has no cache', async () => {
      const resolver = new Resolver({ adapters: [createKeyAdapter()], cache: false });
      const driver = createDriver({ resolver });
      const { port } = await driver.listen(0, '127.0.0.1');
      try {
        const path = `/1.0/identifiers/${ED25519_DID}`;
        await request(`http://127.0.0.1:${port}`, path);
        expect((await request(`http://127.0.0.1:${port}`, path)).headers['x-cache']).toBeUndefined();
        expect(driver.responseCache.enabled).toBe(false);
      } finally {
        await driver.close();
      }
    });
  });

  describe('descriptive endpoints (Universal Resolver shapes, application/json)', () => {
    it('/1.0/methods is an array of method names', async () => {
      const r = await get('/1.0/methods');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json()).toEqual(['test', 'key']);
    });

    it('/1.0/testIdentifiers maps methods to DIDs that resolve', async () => {
      const body = (await get('/1.0/testIdentifiers')).json();
      expect(body.test).toContain('did:test:alice');
      expect(body.test).not.toContain('did:test:gone');
      expect(body.key).toContain(ED25519_DID);
      for (const did of body.test as string[]) expect((await get(`/1.0/identifiers/${did}`)).status, did).toBe(200);
    });

    it('/1.0/traits maps methods to the five boolean traits', async () => {
      const body = (await get('/1.0/traits')).json();
      expect(Object.keys(body).sort()).toEqual(['key', 'test']);
      expect(body.test).toEqual({ updatable: false, deactivatable: true, enumerable: false, historyAvailable: false, humanReadable: true });
    });

    it('/1.0/properties describes the driver without adapter options', async () => {
      const body = (await get('/1.0/properties')).json();
      expect(body.driver).toBe('didbridge');
      expect(body.methods.test.pattern).toBe('^did:test:[a-z0-9-]+$');
      expect(body.supportsOptions).toBe(true);
      expect(body.errorProfiles).toEqual(['spec', 'uniresolver', 'legacy-1.0']);
    });
  });

  describe('HTTP plumbing', () => {
    it('echoes an acceptable X-Request-Id and generates one otherwise', async () => {
      const echoed = await get('/1.0/methods', { 'x-request-id': 'trace-42.a' });
      expect(echoed.headers['x-request-id']).toBe('trace-42.a');
      const replaced = await get('/1.0/methods', { 'x-request-id': 'bad id with spaces' });
      expect(replaced.headers['x-request-id']).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
      const generated = await get('/1.0/methods');
      expect(generated.headers['x-request-id']).not.toBe(replaced.headers['x-request-id']);
    });

    it('sends CORS headers and answers preflight', async () => {
      const r = await get('/1.0/identifiers/did:test:alice');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['access-control-expose-headers']).toContain('X-Request-Id');
      const pre = await request(d.base, '/1.0/identifiers/did:test:alice', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-methods']).toContain('POST');
      expect(pre.headers['access-control-allow-headers']).toContain('Content-Type');
    });

    it('with an origin list, echoes only listed origins', async () => {
      const listed = await start({ corsOrigin: 'https://a.example, https://b.example' });
      try {
        const yes = await request(listed.base, '/1.0/methods', { headers: { origin: 'https://b.example' } });
        expect(yes.headers['access-control-allow-origin']).toBe('https://b.example');
        expect(yes.headers.vary).toContain('Origin');
        const no = await request(listed.base, '/1.0/methods', { headers: { origin: 'https://evil.example' } });
        expect(no.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await listed.driver.close();
      }
    });

    it('unknown paths are 404 and wrong methods 405, as problem details', async () => {
      const missing = await get('/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toBe('application/problem+json');
      const wrong = await request(d.base, '/1.0/methods', { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.allow).toContain('GET');
    });

    it('HEAD answers like GET without a body', async () => {
      const r = await request(d.base, '/1.0/identifiers/did:test:alice', { method: 'HEAD' });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      expect(r.text).toBe('');
    });

    it('other modules can add routes; a clash is a TypeError', async () => {
      d.driver.routes.add({ methods: ['GET'], path: '/1.0/echo', handler: (ctx) => ctx.sendJson(200, { requestId: ctx.requestId }) });
      const r = await get('/1.0/echo', { 'x-request-id': 'r-1' });
      expect(r.json()).toEqual({ requestId: 'r-1' });
      expect(() => d.driver.routes.add({ methods: ['GET'], path: '/1.0/methods', handler: () => undefined })).toThrow(TypeError);
    });

    it('logs one JSON line per request, with the request id and without bodies', async () => {
      const before = d.logLines.length;
      await request(d.base, '/1.0/identifiers/did:test:alice', {
        method: 'POST',
        body: JSON.stringify({ versionId: '1', apiToken: 'SECRET-VALUE-123' }),
        headers: { 'x-request-id': 'log-test', authorization: 'Bearer SECRET-VALUE-123' },
      });
      const lines = d.logLines.slice(before).map((l) => JSON.parse(l));
      const line = lines.find((l) => l.requestId === 'log-test');
      expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/1.0/identifiers/did:test:alice', status: 200 });
      expect(typeof line.durationMs).toBe('number');
      expect(d.logLines.join('\n')).not.toContain('SECRET-VALUE-123');
    });

    it('accessLog: false turns the per-request lines off, other logs stay', async () => {
      const quiet = await start({ accessLog: false });
      try {
        await request(quiet.base, '/1.0/methods');
        expect(quiet.logLines.map((l) => JSON.parse(l).msg)).toEqual(['listening']);
      } finally {
        await quiet.driver.close();
      }
    });
  });

  describe('health', () => {
    it('live and ready answer 200; a failing readiness check makes ready 503', async () => {
      expect((await get('/health/live')).status).toBe(200);
      const ready = await get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.json().status).toBe('ready');
      let upstreamUp = false;
      d.driver.addReadinessCheck('upstream', () => ({ ok: upstreamUp, detail: upstreamUp ? 'closed' : 'circuit open' }));
      const down = await get('/health/ready');
      expect(down.status).toBe(503);
      expect(down.json().checks.upstream).toEqual({ ok: false, detail: 'circuit open' });
      upstreamUp = true;
      expect((await get('/health/ready')).status).toBe(200);
    });
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests, refuses new connections, reports not ready, and closes the resolver', async () => {
    const s = await start();
    const closeSpy = vi.spyOn(s.resolver, 'close');
    const inFlight = request(s.base, '/1.0/identifiers/did:test:slow');
    await new Promise((r) => setTimeout(r, 100));
    const closing = s.driver.close();
    expect(s.driver.shuttingDown).toBe(true);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.json().didDocument.id).toBe('did:test:slow');
    expect(answer.headers.connection).toBe('close');
    await closing;
    expect(closeSpy).toHaveBeenCalledTimes(1);
    await expect(request(s.base, '/health/live')).rejects.toThrow(/ECONNREFUSED/);
    await s.driver.close(); // a second close is harmless
  });

  it('cuts connections that outlive the grace period', async () => {
    const s = await start({ limits: { shutdownGraceMs: 50 } });
    const inFlight = request(s.base, '/1.0/identifiers/did:test:slow');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await s.driver.close();
    expect(Date.now() - started).toBeLessThan(380);
    await expect(inFlight).rejects.toThrow();
  });
});
