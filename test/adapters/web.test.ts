/**
 * did:web: identifier → URL mapping (did-method-web §Read (Resolve) steps 1-5), then resolution through the core
 * Resolver against a real loopback HTTPS server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAdapter, didWebDocumentUrl, DID_WEB_ACCEPT } from '../../adapters/web/index.js';
import type { AdapterContext, MethodAdapter } from '../../src/adapter.js';
import { DidBridgeError } from '../../src/errors.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { ERROR_TYPE_BASE, type DIDResolutionResult } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { resetConnection, startTestServer, type TestServer } from '../helpers/https-server.js';

const FIXTURE_DID = 'did:web:example.com';

/** A fixture document with its placeholder DID replaced by `did` everywhere (see fixtures/web/SOURCE.txt). */
function fixture(name: string, did: string): Record<string, unknown> {
  const text = readFileSync(new URL(`../../fixtures/web/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text.split(FIXTURE_DID).join(did)) as Record<string, unknown>;
}

/** The DID Resolution error name of a result (the fragment of the URL `type`), or undefined on success. */
function errorName(result: DIDResolutionResult): string | undefined {
  const type = result.didResolutionMetadata.error?.type;
  if (type === undefined) return undefined;
  expect(type.startsWith(ERROR_TYPE_BASE)).toBe(true);
  return type.slice(ERROR_TYPE_BASE.length);
}

function errorDetail(result: DIDResolutionResult): string {
  return String(result.didResolutionMetadata.error?.detail ?? '');
}

describe('didWebDocumentUrl(): did-method-web §Read (Resolve) steps 1-5', () => {
  // The worked examples of https://w3c-ccg.github.io/did-method-web/ (§Method-specific identifier, §Create).
  it.each([
    ['did:web:w3c-ccg.github.io', 'https://w3c-ccg.github.io/.well-known/did.json'],
    ['did:web:w3c-ccg.github.io:user:alice', 'https://w3c-ccg.github.io/user/alice/did.json'],
    ['did:web:example.com%3A3000', 'https://example.com:3000/.well-known/did.json'],
    ['did:web:example.com%3A3000:user:alice', 'https://example.com:3000/user/alice/did.json'],
    ['did:web:example.com:u:bob', 'https://example.com/u/bob/did.json'],
  ])('spec example %s → %s', (did, url) => {
    expect(didWebDocumentUrl(did).href).toBe(url);
  });

  it.each([
    ['a lower-case %3a port colon', 'did:web:example.com%3a8443', 'https://example.com:8443/.well-known/did.json'],
    ['an upper-case domain (DNS is case-insensitive)', 'did:web:Example.COM', 'https://example.com/.well-known/did.json'],
    ['a single-label host', 'did:web:localhost%3A8080', 'https://localhost:8080/.well-known/did.json'],
    ['a percent-encoded UTF-8 path segment', 'did:web:example.com:caf%C3%A9', 'https://example.com/caf%C3%A9/did.json'],
    ['an encoded unreserved character, normalised', 'did:web:example.com:%7Ealice', 'https://example.com/~alice/did.json'],
    ['the default port, which the URL drops', 'did:web:example.com%3A443', 'https://example.com/.well-known/did.json'],
    ['a digit-led label that is not the last', 'did:web:1password.example', 'https://1password.example/.well-known/did.json'],
  ])('maps %s', (_name, did, url) => {
    expect(didWebDocumentUrl(did).href).toBe(url);
  });

  // §Method-specific identifier: "it MUST NOT include IP addresses", "the colon MUST be percent encoded".
  it.each([
    ['an IPv4 address', 'did:web:127.0.0.1', /IP address/],
    ['an IPv4 address with a port', 'did:web:10.0.0.1%3A443:user', /IP address/],
    ['a short-form IPv4 address URL parsers accept', 'did:web:127.1', /IP address/],
    ['a hex IPv4 address', 'did:web:0x7f000001', /IP address/],
    ['a numeric last label', 'did:web:example.123', /IP address/],
    ['port 0', 'did:web:example.com%3A0', /port/],
    ['port 65536', 'did:web:example.com%3A65536', /port/],
    ['a port with a leading zero', 'did:web:example.com%3A0443', /port/],
    ['an empty port', 'did:web:example.com%3A', /domain name/],
    ['an unencoded port colon (read as a path)', 'did:web:example.com:3000', null],
    ['an empty path segment', 'did:web:example.com::alice', /empty/],
    ['a ".." segment', 'did:web:example.com:..:admin', /dot segment/],
    ['an encoded ".." segment', 'did:web:example.com:%2E%2E:admin', /dot segment/],
    ['an encoded "." segment', 'did:web:example.com:%2e', /dot segment/],
    ['an encoded "/"', 'did:web:example.com:a%2Fb', /"\/"/],
    ['an encoded "?"', 'did:web:example.com:a%3Fb', /"\?"/],
    ['an encoded NUL', 'did:web:example.com:a%00', /control/],
    ['percent-encoding that is not UTF-8', 'did:web:example.com:%FF', /UTF-8/],
    ['a label starting with "-"', 'did:web:-example.com', /domain label/],
    ['an underscore in the domain', 'did:web:exa_mple.com', /domain name/],
    ['an empty label', 'did:web:example..com', /domain label/],
    ['a trailing dot', 'did:web:example.com.', /domain label/],
    ['a label over 63 characters', `did:web:${'a'.repeat(64)}.com`, /domain label/],
    ['a domain over 253 characters', `did:web:${Array(64).fill('abc').join('.')}.com`, /253/],
    ['percent-encoding in the domain', 'did:web:example%2Ecom', /domain name/],
    ['another method', 'did:key:z6Mk', /not "web"/],
    ['not a DID', 'https://example.com', /DID/],
  ])('refuses %s with INVALID_DID', (_name, did, message) => {
    if (message === null) {
      // Not an error: "example.com:3000" is the path segment "3000", as the spec's colon rule implies.
      expect(didWebDocumentUrl(did).href).toBe('https://example.com/3000/did.json');
      return;
    }
    let caught: unknown;
    try {
      didWebDocumentUrl(did);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DidBridgeError);
    expect((caught as DidBridgeError).code).toBe('INVALID_DID');
    expect((caught as DidBridgeError).message).toMatch(message);
  });

  it('uses http: only for hosts allowHttp names', () => {
    expect(didWebDocumentUrl('did:web:localhost%3A8080', { allowHttp: true }).protocol).toBe('http:');
    expect(didWebDocumentUrl('did:web:localhost%3A8080', { allowHttp: ['localhost:8080'] }).protocol).toBe('http:');
    expect(didWebDocumentUrl('did:web:localhost%3A8081', { allowHttp: ['localhost:8080'] }).protocol).toBe('https:');
    expect(didWebDocumentUrl('did:web:dev.example%3A9000', { allowHttp: ['dev.example'] }).protocol).toBe('http:');
    expect(didWebDocumentUrl('did:web:localhost%3A8080', { allowHttp: false }).protocol).toBe('https:');
  });

  it('throws TypeError for a non-string DID', () => {
    expect(() => didWebDocumentUrl(undefined as unknown as string)).toThrow(/"did"/);
  });
});

describe('createWebAdapter()', () => {
  it('fits the adapter registry signature', () => {
    const factory: (config?: Record<string, unknown>) => MethodAdapter = createWebAdapter;
    expect(factory().methods).toEqual(['web']);
  });

  it('declares what did:web can do', () => {
    const adapter = createWebAdapter();
    expect(adapter.id).toBe('web');
    expect(adapter.traits).toEqual({
      updatable: true,
      deactivatable: true,
      enumerable: false,
      historyAvailable: false,
      humanReadable: true,
    });
    expect(adapter.capabilities.versionId).toBeFalsy();
    expect(adapter.capabilities.versionTime).toBeFalsy();
    expect(adapter.identifierPattern.test('did:web:example.com%3A3000:user:alice')).toBe(true);
    expect(adapter.identifierPattern.test('did:web:')).toBe(false);
    expect(adapter.identifierPattern.test('did:webs:example.com')).toBe(false);
  });

  it('serves its configured test identifiers', () => {
    const adapter = createWebAdapter({ testIdentifiers: ['did:web:did.example.org'] });
    expect(adapter.testIdentifiers()).toEqual(['did:web:did.example.org']);
    expect(createWebAdapter().testIdentifiers()).toEqual([]);
  });

  it('throws TypeError naming the option for bad configuration', () => {
    expect(() => createWebAdapter({ testIdentifiers: ['did:web:127.0.0.1'] })).toThrow(/"testIdentifiers".*IP address/);
    expect(() => createWebAdapter({ testIdentifiers: 'did:web:a.example' as unknown as string[] })).toThrow(TypeError);
    expect(() => createWebAdapter({ allowHttp: 'yes' as unknown as boolean })).toThrow(/"allowHttp"/);
    expect(() => createWebAdapter(null as unknown as object)).toThrow(/"config"/);
  });
});

describe('did:web resolution against a loopback HTTPS server', () => {
  let server: TestServer;
  let http: UndiciHttpClient;
  let resolver: Resolver;
  let rootDid: string;
  let aliceDid: string;
  const clients: UndiciHttpClient[] = [];

  /** A resolver over a fresh client (other limits, other address policy), closed after the suite. */
  function resolverWith(config: Parameters<typeof createHttpClient>[0], adapterConfig = {}): Resolver {
    const client = createHttpClient({ tls: { ca: server.ca }, ...config });
    clients.push(client);
    return new Resolver({ adapters: [createWebAdapter(adapterConfig)], http: client, cache: false });
  }

  /** Serves `body` at the DID's document path and returns the DID (`did:web:localhost%3A<port>:<segments>`). */
  function serve(segments: string, route: Parameters<TestServer['route']>[1]): string {
    server.route(`/${segments.split(':').join('/')}/did.json`, route);
    return `${rootDid}:${segments}`;
  }

  beforeAll(async () => {
    server = await startTestServer();
    rootDid = `did:web:localhost%3A${server.port}`;
    aliceDid = `${rootDid}:user:alice`;
    server.route('/.well-known/did.json', { body: fixture('01-spec-jwk-document.json', rootDid) });
    server.route('/user/alice/did.json', { body: fixture('02-spec-ethereum-address-document.json', aliceDid) });
    http = createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allow: ['loopback'] } });
    clients.push(http);
    resolver = new Resolver({ adapters: [createWebAdapter()], http, cache: false });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });

  it('resolves did:web:localhost%3A<port> from /.well-known/did.json', async () => {
    const before = server.requests.length;
    const result = await resolver.resolve(rootDid);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(fixture('01-spec-jwk-document.json', rootDid));
    expect(result.didResolutionMetadata.contentType).toBe('application/did');
    expect(result.didResolutionMetadata.didbridgeChanges).toBeUndefined();
    const request = server.requests[before]!;
    expect(request.path).toBe('/.well-known/did.json');
    expect(request.method).toBe('GET');
    expect(request.headers.accept).toBe(DID_WEB_ACCEPT);
  });

  it('resolves did:web:localhost%3A<port>:user:alice from /user/alice/did.json', async () => {
    const result = await resolver.resolve(aliceDid);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(fixture('02-spec-ethereum-address-document.json', aliceDid));
    expect(server.requests.at(-1)!.path).toBe('/user/alice/did.json');
  });

  it('follows a redirect to where the host keeps the document', async () => {
    const did = serve('moved', { status: 301, headers: { location: '/store/moved.json' } });
    server.route('/store/moved.json', { body: fixture('01-spec-jwk-document.json', did) });
    const result = await resolver.resolve(did);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument?.id).toBe(did);
  });

  describe('documents are returned untranslated (did:web is DID Core by contract)', () => {
    const context = (): AdapterContext => ({ http, now: () => new Date() });

    it.each([
      ['a pre-DID-Core document using publicKey', '03-web-did-resolver-readme-publickey.json', 'legacy'],
      ['a document without @context', '04-no-context-document.json', 'nocontext'],
    ])('%s', async (_name, file, segment) => {
      const did = `${rootDid}:${segment}`;
      const served = fixture(file, did);
      serve(segment, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(served) });
      const resolution = await createWebAdapter().resolve(parseDid(did), {}, context());
      expect(resolution.didDocument).toEqual(served);
      expect(resolution.changes).toEqual([]);
    });

    it('gives the served document back byte-for-byte in application/did+json when it has no @context', async () => {
      const did = `${rootDid}:plain`;
      const served = fixture('04-no-context-document.json', did);
      serve('plain', { body: served });
      const result = await resolver.resolve(did, { accept: 'application/did+json' });
      expect(JSON.stringify(result.didDocument)).toBe(JSON.stringify(served));
    });
  });

  describe('errors, as DID Resolution error names', () => {
    it('refuses an IP-address DID with INVALID_DID before fetching anything', async () => {
      const before = server.requests.length;
      const result = await resolver.resolve(`did:web:127.0.0.1%3A${server.port}`);
      expect(errorName(result)).toBe('INVALID_DID');
      expect(errorDetail(result)).toContain('IP address');
      expect(server.requests.length).toBe(before);
    });

    it('404 → NOT_FOUND', async () => {
      const result = await resolver.resolve(`${rootDid}:nobody`);
      expect(errorName(result)).toBe('NOT_FOUND');
      expect(errorDetail(result)).toContain('/nobody/did.json');
      expect(result.didDocument).toBeNull();
    });

    it('410 Gone → deactivated: no document, deactivated: true, no error', async () => {
      const did = serve('gone', { status: 410, body: 'removed' });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBeUndefined();
      expect(result.didDocument).toBeNull();
      expect(result.didDocumentMetadata.deactivated).toBe(true);
    });

    it.each([500, 502, 403, 401, 429])('HTTP %i → INTERNAL_ERROR naming the status', async (status) => {
      const did = serve(`status${status}`, { status, body: 'nope' });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain(`HTTP ${status}`);
      // DID Core §7.3: metadata carries no numbers, so the status is a string.
      expect(result.didResolutionMetadata.error?.upstreamStatus).toBe(String(status));
    });

    it('204 No Content (a success with no body) → INTERNAL_ERROR, not JSON', async () => {
      const did = serve('empty', { status: 204 });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('not JSON');
    });

    it('a body that is not JSON → INTERNAL_ERROR', async () => {
      const did = serve('html', { headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>Welcome</p>' });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('not JSON');
    });

    it.each([
      ['an array', '[]', 'an array'],
      ['a string', '"did"', 'a string'],
      ['null', 'null', 'null'],
      ['a number', '42', 'a number'],
    ])('JSON that is %s → INVALID_DID_DOCUMENT', async (_name, body, kind) => {
      const did = serve(`json${kind.replace(/\W/g, '')}`, { headers: { 'content-type': 'application/json' }, body });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INVALID_DID_DOCUMENT');
      expect(errorDetail(result)).toContain(kind);
    });

    it('a document whose id is another DID → INVALID_DID_DOCUMENT (§Read (Resolve): ids must match)', async () => {
      // The root DID's document, served at another DID's path: one path cannot speak for another DID.
      const did = serve('mallory', { body: fixture('01-spec-jwk-document.json', rootDid) });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INVALID_DID_DOCUMENT');
      expect(errorDetail(result)).toContain(JSON.stringify(rootDid));
      expect(errorDetail(result)).toContain('match');
    });

    it('a document without id → INVALID_DID_DOCUMENT', async () => {
      const { id: _id, ...noId } = fixture('01-spec-jwk-document.json', rootDid);
      const did = serve('noid', { body: noId });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INVALID_DID_DOCUMENT');
      expect(errorDetail(result)).toContain('no string id');
    });

    it('a body over maxBytes → INTERNAL_ERROR naming the limit', async () => {
      const padded = { ...fixture('01-spec-jwk-document.json', rootDid), padding: 'x'.repeat(8192) };
      const did = serve('huge', { body: { ...padded, id: `${rootDid}:huge` } });
      const small = resolverWith({ maxBytes: 4096, addressPolicy: { allow: ['loopback'] } });
      const result = await small.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('4096');
      // The same document resolves under the default limit.
      expect(errorName(await resolver.resolve(did))).toBeUndefined();
    });

    it('a server slower than the timeout → INTERNAL_ERROR', async () => {
      const did = serve('slow', () => undefined);
      const quick = resolverWith({ timeoutMs: 300, addressPolicy: { allow: ['loopback'] } });
      const started = Date.now();
      const result = await quick.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('no answer');
      // Generous: the point is that it ends, not how fast.
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('a redirect loop → INTERNAL_ERROR after maxRedirects', async () => {
      const did = serve('loop', { status: 302, headers: { location: '/loop/again' } });
      server.route('/loop/again', { status: 302, headers: { location: '/loop/did.json' } });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('redirects');
    });

    it('a redirect to a refused address → INTERNAL_ERROR mentioning the refusal', async () => {
      const did = serve('pivot', { status: 302, headers: { location: 'https://169.254.169.254/latest/meta-data/iam' } });
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('refused to connect');
      expect(errorDetail(result)).toContain('metadata');
    });

    it('a redirect to plain http → INTERNAL_ERROR (did:web requires HTTPS)', async () => {
      const did = serve('downgrade', (_req, res, self) => {
        res.writeHead(302, { location: `http://localhost:${self.port}/.well-known/did.json` });
        res.end();
      });
      const before = server.requests.length;
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('to plain http');
      expect(result.didResolutionMetadata.error?.reason).toBe('insecure-redirect');
      expect(server.requests.length - before).toBe(1);
    });

    it('a connection reset → INTERNAL_ERROR', async () => {
      const did = serve('reset', (_req, res) => resetConnection(res));
      const result = await resolver.resolve(did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toMatch(/ECONNRESET|closed|socket/i);
    });
  });

  describe('SSRF guard', () => {
    it('without allow: ["loopback"] the same DID is refused, and nothing reaches the server', async () => {
      const guarded = resolverWith({});
      const before = server.requests.length;
      const result = await guarded.resolve(rootDid);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(errorDetail(result)).toContain('refused to connect to localhost');
      expect(errorDetail(result)).toContain('loopback');
      expect(result.didResolutionMetadata.error?.reason).toBe('ssrf-refused');
      expect(server.requests.length).toBe(before);
    });
  });

  describe('caching follows Cache-Control', () => {
    function cachedResolver(): Resolver {
      return new Resolver({ adapters: [createWebAdapter()], http });
    }

    it('max-age: the second resolution is served from the cache', async () => {
      const did = serve('cached', { headers: { 'cache-control': 'max-age=60' }, body: fixture('04-no-context-document.json', `${rootDid}:cached`) });
      const r = cachedResolver();
      const before = server.requests.length;
      const first = await r.resolve(did);
      const second = await r.resolve(did);
      expect(first.didResolutionMetadata.servedFromCache).toBe(false);
      expect(second.didResolutionMetadata.servedFromCache).toBe(true);
      expect(second.didDocument).toEqual(first.didDocument);
      expect(server.requests.length - before).toBe(1);
    });

    it.each(['no-store', 'no-cache', 'max-age=0'])('%s: every resolution fetches again', async (directive) => {
      const segment = `fresh${directive.replace(/\W/g, '')}`;
      const did = serve(segment, {
        headers: { 'cache-control': directive },
        body: fixture('04-no-context-document.json', `${rootDid}:${segment}`),
      });
      const r = cachedResolver();
      const before = server.requests.length;
      await r.resolve(did);
      const second = await r.resolve(did);
      expect(second.didResolutionMetadata.servedFromCache).toBe(false);
      expect(server.requests.length - before).toBe(2);
    });

    it('reports ttlSeconds to the core', async () => {
      const context: AdapterContext = { http, now: () => new Date() };
      const adapter = createWebAdapter();
      const withAge = serve('ttl', {
        headers: { 'cache-control': 'public, max-age=120', age: '20' },
        body: fixture('04-no-context-document.json', `${rootDid}:ttl`),
      });
      expect((await adapter.resolve(parseDid(withAge), {}, context)).ttlSeconds).toBe(100);
      const silent = serve('nottl', { body: fixture('04-no-context-document.json', `${rootDid}:nottl`) });
      expect((await adapter.resolve(parseDid(silent), {}, context)).ttlSeconds).toBeUndefined();
    });
  });
});

describe('allowHttp against a plain HTTP server', () => {
  let plain: TestServer;
  let client: UndiciHttpClient;
  let did: string;

  beforeAll(async () => {
    plain = await startTestServer({ tls: false });
    did = `did:web:localhost%3A${plain.port}`;
    plain.route('/.well-known/did.json', { body: fixture('01-spec-jwk-document.json', did) });
    client = createHttpClient({ addressPolicy: { allow: ['loopback'] } });
  });

  afterAll(async () => {
    await client?.close();
    await plain?.close();
  });

  it('is not used without the flag: the https attempt fails', async () => {
    const r = new Resolver({ adapters: [createWebAdapter()], http: client, cache: false });
    const result = await r.resolve(did);
    expect(errorName(result)).toBe('INTERNAL_ERROR');
    // A TLS ClientHello answered by an HTTP server.
    expect(errorDetail(result)).toMatch(/SSL|EPROTO/);
    expect(plain.requests).toHaveLength(0);
  });

  it('fetches over http for a listed host:port', async () => {
    const adapter = createWebAdapter({ allowHttp: [`localhost:${plain.port}`] });
    const r = new Resolver({ adapters: [adapter], http: client, cache: false });
    const result = await r.resolve(did);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument?.id).toBe(did);
  });

  it('refuses a document that an allowed http host redirects to an http host not on the list', async () => {
    const moved = `${did}:moved`;
    plain.route('/moved/did.json', (_req, res, self) => {
      res.writeHead(302, { location: `http://127.0.0.1:${self.port}/elsewhere.json` });
      res.end();
    });
    plain.route('/elsewhere.json', { body: fixture('01-spec-jwk-document.json', moved) });
    const adapter = createWebAdapter({ allowHttp: [`localhost:${plain.port}`] });
    const r = new Resolver({ adapters: [adapter], http: client, cache: false });
    const result = await r.resolve(moved);
    expect(errorName(result)).toBe('INTERNAL_ERROR');
    expect(result.didResolutionMetadata.error?.reason).toBe('insecure-transport');
    expect(errorDetail(result)).toContain('requires HTTPS');
  });
});
