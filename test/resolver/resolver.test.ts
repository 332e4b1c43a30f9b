/**
 * The resolver core (DID Resolution §resolving algorithm) over an in-test `did:test` plugin.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodResolution } from '../../src/adapter.js';
import { MemoryCache, type CachedOutcome, type ResolutionCache } from '../../src/cache.js';
import { DidBridgeError, ERROR_TITLES, NotFoundError, UpstreamError } from '../../src/errors.js';
import { Resolver, errorResult, type ResolutionEvent, type ResolverConfig } from '../../src/resolver.js';
import type { DIDResolutionResult, ErrorName, ResolutionOptions } from '../../src/spec.js';
import { documentFor, noNetwork, resolved, testAdapter, type Behaviour } from './test-adapter.js';

const DID = 'did:test:alice';

function makeResolver(registry: Record<string, Behaviour>, config: Partial<ResolverConfig> & Parameters<typeof testAdapter>[1] = {}) {
  const { methods, capabilities, pattern, id, ...rest } = config;
  const adapter = testAdapter(registry, { methods, capabilities, pattern, id });
  const resolver = new Resolver({ adapters: [adapter], http: noNetwork, ...rest });
  return { resolver, adapter };
}

function expectError(result: DIDResolutionResult, code: ErrorName): void {
  const error = result.didResolutionMetadata.error;
  expect(error, JSON.stringify(result)).toBeDefined();
  expect(error!.type).toBe(`https://www.w3.org/ns/did#${code}`);
  expect(error!.title).toBe(ERROR_TITLES[code]);
  expect(typeof error!.detail).toBe('string');
  // DID Resolution §resolving: every error result has no document and empty document metadata.
  expect(result.didDocument).toBeNull();
  expect(result.didDocumentMetadata).toEqual({});
}

afterEach(() => {
  vi.useRealTimers();
});

describe('7.1 resolve: errors', () => {
  it.each(['not-a-did', 'did:example', 'did:TEST:alice', 'did:test:', 'did:test:alice:', '', 'did:test:a b'])(
    'INVALID_DID for the bad syntax %j, without calling the adapter',
    async (input) => {
      const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) });
      expectError(await resolver.resolve(input), 'INVALID_DID');
      expect(adapter.resolve).not.toHaveBeenCalled();
    },
  );

  it.each([`${DID}#key-1`, `${DID}?versionId=1`, `${DID}/path`])('INVALID_DID for the DID URL %s, saying it is a DID URL', async (url) => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) });
    const result = await resolver.resolve(url);
    expectError(result, 'INVALID_DID');
    expect(result.didResolutionMetadata.error!.detail).toMatch(/is a DID URL, not a DID/);
  });

  it('INVALID_DID for a value that is not a string at all', async () => {
    const { resolver } = makeResolver({});
    expectError(await resolver.resolve(undefined as unknown as string), 'INVALID_DID');
    expectError(await resolver.resolve(42 as unknown as string), 'INVALID_DID');
  });

  it('INVALID_DID when the adapter pattern or validate() refuses a syntactically valid DID', async () => {
    const { resolver } = makeResolver({}, { pattern: /^did:test:[a-z]+$/ });
    expectError(await resolver.resolve('did:test:123'), 'INVALID_DID');
    const adapter = testAdapter({ 'did:test:abc': resolved(documentFor('did:test:abc')) });
    const { InvalidDidError } = await import('../../src/errors.js');
    const validating = new Resolver({
      adapters: [{ ...adapter, validate: () => { throw new InvalidDidError('checksum mismatch'); } }],
      http: noNetwork,
    });
    const result = await validating.resolve('did:test:abc');
    expectError(result, 'INVALID_DID');
    expect(result.didResolutionMetadata.error!.detail).toBe('checksum mismatch');
  });

  it('METHOD_NOT_SUPPORTED for a method no adapter serves, naming the supported ones', async () => {
    const { resolver } = makeResolver({});
    const result = await resolver.resolve('did:unsupported:123');
    expectError(result, 'METHOD_NOT_SUPPORTED');
    expect(result.didResolutionMetadata.error!.detail).toMatch(/supported methods: test/);
  });

  it('INVALID_OPTIONS when versionId and versionTime are both given (they are mutually exclusive)', async () => {
    const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { versionId: true, versionTime: true } });
    expectError(await resolver.resolve(DID, { versionId: '1', versionTime: '2021-01-01T00:00:00Z' }), 'INVALID_OPTIONS');
    expect(adapter.resolve).not.toHaveBeenCalled();
  });

  it.each<[string, ResolutionOptions]>([
    ['noCache "yes"', { noCache: 'yes' as 'true' }],
    ['noCache 1', { noCache: 1 as unknown as boolean }],
    ['expandRelativeUrls "TRUE"', { expandRelativeUrls: 'TRUE' as 'true' }],
    ['expandRelativeUrls null', { expandRelativeUrls: null as unknown as boolean }],
    ['an empty versionId', { versionId: '' }],
    ['a non-ASCII versionId', { versionId: 'versión' }],
    ['a numeric versionId', { versionId: 3 as unknown as string }],
    ['a versionTime Date.parse would guess at ("foo 1")', { versionTime: 'foo 1' }],
    ['a versionTime on 30 February', { versionTime: '2021-02-30T00:00:00Z' }],
    ['a versionTime with hour 25', { versionTime: '2021-01-01T25:00:00Z' }],
    ['an accept that is not a string', { accept: 42 as unknown as string }],
  ])('INVALID_OPTIONS for %s', async (_name, options) => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { versionId: true, versionTime: true } });
    expectError(await resolver.resolve(DID, options), 'INVALID_OPTIONS');
  });

  it('FEATURE_NOT_SUPPORTED for versionId / versionTime when the adapter lacks the capability', async () => {
    const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { versionTime: true } });
    expectError(await resolver.resolve(DID, { versionId: '2' }), 'FEATURE_NOT_SUPPORTED');
    const other = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { versionId: true } });
    expectError(await other.resolver.resolve(DID, { versionTime: '2021-01-01T00:00:00Z' }), 'FEATURE_NOT_SUPPORTED');
    expect(adapter.resolve).not.toHaveBeenCalled();
  });

  it('passes versionId through and versionTime normalised to UTC to a capable adapter', async () => {
    const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { versionId: true, versionTime: true } });
    await resolver.resolve(DID, { versionId: 'v7' });
    expect(adapter.resolve.mock.calls[0]![1]).toMatchObject({ versionId: 'v7' });
    await resolver.resolve(DID, { versionTime: '2021-05-10T19:00:00.250+02:00' });
    expect(adapter.resolve.mock.calls[1]![1]).toMatchObject({ versionTime: '2021-05-10T17:00:00Z' });
  });

  it.each(['image/png', 'application/did+json;q=0', 'text/html, application/xml;q=0.9'])(
    'REPRESENTATION_NOT_SUPPORTED for accept %j',
    async (accept) => {
      const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) });
      expectError(await resolver.resolve(DID, { accept }), 'REPRESENTATION_NOT_SUPPORTED');
    },
  );

  it('NOT_FOUND when the adapter says so', async () => {
    const { resolver } = makeResolver({});
    const result = await resolver.resolve('did:test:nobody');
    expectError(result, 'NOT_FOUND');
    expect(result.didResolutionMetadata.error!.detail).toMatch(/not in the test registry/);
  });

  it.each<[string, () => MethodResolution]>([
    ['a plain Error', () => { throw new TypeError('cannot read properties of undefined'); }],
    ['a string', () => { throw 'upstream exploded'; }],
    ['an UpstreamError', () => { throw new UpstreamError('VDR answered 502'); }],
    ['null instead of a resolution', () => null as unknown as MethodResolution],
    ['a document that cannot be cloned', () => resolved({ id: DID, bad: () => 1 } as never)],
  ])('INTERNAL_ERROR when the adapter throws or returns %s', async (_name, behaviour) => {
    const { resolver } = makeResolver({ [DID]: behaviour });
    expectError(await resolver.resolve(DID), 'INTERNAL_ERROR');
  });

  it('keeps the detail of a non-DidBridgeError throw', async () => {
    const { resolver } = makeResolver({ [DID]: () => { throw new Error('socket hang up'); } });
    expect((await resolver.resolve(DID)).didResolutionMetadata.error!.detail).toBe('socket hang up');
  });

  it('errorResult has the shape of every error result', () => {
    const r = errorResult(new DidBridgeError('NOT_FOUND', 'gone'), { duration: 1 });
    expect(r).toEqual({
      didResolutionMetadata: { error: { type: 'https://www.w3.org/ns/did#NOT_FOUND', title: 'Not found', detail: 'gone' }, duration: 1 },
      didDocument: null,
      didDocumentMetadata: {},
    });
  });

  it('throws TypeError only for programmer errors: options that are not an object, conflicting adapters', async () => {
    const { resolver } = makeResolver({});
    await expect(resolver.resolve(DID, null as unknown as ResolutionOptions)).rejects.toBeInstanceOf(TypeError);
    expect(() => new Resolver({ adapters: [testAdapter({}), testAdapter({}, { id: 'other' })], http: noNetwork })).toThrow(
      /served by both/,
    );
  });
});

describe('7.1 resolve: success', () => {
  it('returns the document, metadata and contentType', async () => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID), { resolutionMetadata: { network: 'testnet' } }) });
    const result = await resolver.resolve(DID);
    expect(result.didResolutionMetadata.error).toBeUndefined();
    expect(result.didDocument).toMatchObject({ id: DID, authentication: [`${DID}#key-1`] });
    expect(result.didResolutionMetadata).toMatchObject({ contentType: 'application/did', network: 'testnet', servedFromCache: false });
    expect(result.didResolutionMetadata.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // DID Core §7.3: metadata values are strings, maps, lists, sets, booleans or null; no numeric `duration`.
    expect(Object.values(result.didResolutionMetadata).some((v) => typeof v === 'number')).toBe(false);
  });

  it('reports translation changes as didbridgeChanges, and omits the key when there are none', async () => {
    const change = { rule: 'test.rename', from: '/publicKey', to: '/verificationMethod', reason: 'DID Core §5.2' };
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID), { changes: [change] }), 'did:test:bob': resolved(documentFor('did:test:bob')) });
    expect((await resolver.resolve(DID)).didResolutionMetadata.didbridgeChanges).toEqual([change]);
    expect('didbridgeChanges' in (await resolver.resolve('did:test:bob')).didResolutionMetadata).toBe(false);
  });

  it('normalises metadata datetimes to YYYY-MM-DDTHH:MM:SSZ (ms and offsets truncated, epoch seconds and ms)', async () => {
    const { resolver } = makeResolver({
      [DID]: resolved(documentFor(DID), {
        didDocumentMetadata: {
          created: '2020-12-20T19:17:47.999Z',
          updated: '2020-12-21T03:17:47+08:00',
          nextUpdate: 1608491867 as unknown as string,
          deactivated: false,
          versionId: '3',
        },
      }),
      'did:test:ms': resolved(documentFor('did:test:ms'), {
        didDocumentMetadata: { created: 1608491867123 as unknown as string, updated: 'yesterday-ish' },
      }),
    });
    expect((await resolver.resolve(DID)).didDocumentMetadata).toEqual({
      created: '2020-12-20T19:17:47Z',
      updated: '2020-12-20T19:17:47Z',
      nextUpdate: '2020-12-20T19:17:47Z',
      versionId: '3',
    });
    // Unreadable datetimes are dropped rather than passed on in a form consumers reject.
    expect((await resolver.resolve('did:test:ms')).didDocumentMetadata).toEqual({ created: '2020-12-20T19:17:47Z' });
  });

  it('gives didDocument null and deactivated: true for a deactivated DID, without an error', async () => {
    const { resolver } = makeResolver({
      [DID]: resolved(documentFor(DID), { didDocumentMetadata: { deactivated: true, updated: '2022-01-01T00:00:00Z' } }),
    });
    const result = await resolver.resolve(DID);
    expect(result.didResolutionMetadata.error).toBeUndefined();
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata).toEqual({ deactivated: true, updated: '2022-01-01T00:00:00Z' });
  });

  describe('representations', () => {
    it('application/did+ld+json has @context first', async () => {
      const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) });
      const result = await resolver.resolve(DID, { accept: 'application/did+ld+json' });
      expect(result.didResolutionMetadata.contentType).toBe('application/did+ld+json');
      expect(Object.keys(result.didDocument!)[0]).toBe('@context');
      expect(result.didDocument!['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    });

    it("keeps the document's own @context, moved first", async () => {
      const ctx = ['https://www.w3.org/ns/did/v1', 'https://example.org/ctx'];
      const { resolver } = makeResolver({ [DID]: resolved({ ...documentFor(DID), '@context': ctx }) });
      const doc = (await resolver.resolve(DID, { accept: 'application/did+ld+json' })).didDocument!;
      expect(Object.keys(doc)[0]).toBe('@context');
      expect(doc['@context']).toEqual(ctx);
    });

    it('application/did+json has no @context', async () => {
      const { resolver } = makeResolver({ [DID]: resolved({ ...documentFor(DID), '@context': 'https://www.w3.org/ns/did/v1' }) });
      const result = await resolver.resolve(DID, { accept: 'application/did+json' });
      expect(result.didResolutionMetadata.contentType).toBe('application/did+json');
      expect('@context' in result.didDocument!).toBe(false);
      expect(result.didDocument!.id).toBe(DID);
    });

    it.each([
      [undefined, 'application/did'],
      ['', 'application/did'],
      ['*/*', 'application/did'],
      ['application/*', 'application/did'],
      ['application/json', 'application/did'],
      ['application/ld+json;profile="https://w3id.org/did-resolution"', 'application/did'],
      ['application/did+json, application/did+ld+json;q=0.5', 'application/did+json'],
      ['application/did+json;q=0.4, application/did+ld+json;q=0.5', 'application/did+ld+json'],
      ['text/html, application/did+ld+json', 'application/did+ld+json'],
    ])('accept %j gives %s', async (accept, contentType) => {
      const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) });
      const result = await resolver.resolve(DID, accept === undefined ? {} : { accept });
      expect(result.didResolutionMetadata.contentType).toBe(contentType);
    });
  });

  it('expandRelativeUrls rewrites relative ids and references as absolute DID URLs', async () => {
    const doc = {
      id: DID,
      verificationMethod: [{ id: '#key-1', type: 'Multikey', controller: DID, publicKeyMultibase: 'z6Mk' }],
      authentication: ['#key-1', { id: '#key-2', type: 'Multikey', controller: '#', publicKeyMultibase: 'z6Mk' }],
      assertionMethod: [`${DID}#key-1`],
      service: [{ id: '#files', type: 'Files', serviceEndpoint: 'https://files.example/' }],
    };
    const { resolver } = makeResolver({ [DID]: resolved(doc) });
    const expanded = (await resolver.resolve(DID, { expandRelativeUrls: true })).didDocument!;
    expect(expanded.verificationMethod![0]!.id).toBe(`${DID}#key-1`);
    expect(expanded.authentication).toEqual([
      `${DID}#key-1`,
      { id: `${DID}#key-2`, type: 'Multikey', controller: `${DID}#`, publicKeyMultibase: 'z6Mk' },
    ]);
    expect(expanded.assertionMethod).toEqual([`${DID}#key-1`]);
    expect(expanded.service![0]!.id).toBe(`${DID}#files`);
    // The string form of the option works too, and without it nothing is rewritten.
    expect((await resolver.resolve(DID, { expandRelativeUrls: 'true' })).didDocument!.service![0]!.id).toBe(`${DID}#files`);
    expect((await resolver.resolve(DID, { expandRelativeUrls: 'false' })).didDocument!.service![0]!.id).toBe('#files');
  });

  it('expandRelativeUrls leaves malformed entries alone instead of failing', async () => {
    const doc = { id: DID, verificationMethod: [null, 7, { id: 5, controller: ['x'] }], authentication: [null], service: ['x'] };
    const { resolver } = makeResolver({ [DID]: resolved(doc as never) });
    const result = await resolver.resolve(DID, { expandRelativeUrls: true });
    expect(result.didResolutionMetadata.error).toBeUndefined();
    expect(result.didDocument!.verificationMethod).toEqual([null, 7, { id: 5, controller: ['x'] }]);
  });

  it('matches an identifierPattern that has the g flag every time (lastIndex is reset)', async () => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) }, { pattern: /^did:test:[a-z]+$/g });
    for (let i = 0; i < 4; i++) {
      expect((await resolver.resolve(DID, { noCache: true })).didResolutionMetadata.error).toBeUndefined();
    }
  });

  it('resolve() still answers when the onResolved hook throws', async () => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)) }, {
      onResolved: () => {
        throw new Error('metrics backend down');
      },
    });
    expect((await resolver.resolve(DID)).didDocument!.id).toBe(DID);
  });

  it('lists methods, test identifiers and traits from the adapters', () => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID)), 'did:other:x': resolved(null) }, { methods: ['test', 'demo'] });
    expect(resolver.methods()).toEqual(['test', 'demo']);
    expect(resolver.testIdentifiers()).toEqual({ test: [DID], demo: [] });
    expect(resolver.traits().demo!.deactivatable).toBe(true);
  });
});

describe('caching', () => {
  it('serves the second resolution from the cache: one adapter call, servedFromCache true', async () => {
    const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) });
    const first = await resolver.resolve(DID);
    const second = await resolver.resolve(DID, { accept: 'application/did+json' });
    expect(adapter.resolve).toHaveBeenCalledTimes(1);
    expect(first.didResolutionMetadata.servedFromCache).toBe(false);
    expect(second.didResolutionMetadata.servedFromCache).toBe(true);
    // One entry serves every representation.
    expect('@context' in second.didDocument!).toBe(false);
  });

  it('noCache bypasses the cache (boolean and string forms)', async () => {
    const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)) });
    await resolver.resolve(DID);
    const bypass = await resolver.resolve(DID, { noCache: true });
    await resolver.resolve(DID, { noCache: 'true' });
    expect(adapter.resolve).toHaveBeenCalledTimes(3);
    expect(bypass.didResolutionMetadata.servedFromCache).toBe(false);
  });

  it('does not cache for adapters that declare cacheable: false, nor when the cache is disabled', async () => {
    const a = makeResolver({ [DID]: resolved(documentFor(DID)) }, { capabilities: { cacheable: false } });
    await a.resolver.resolve(DID);
    await a.resolver.resolve(DID);
    expect(a.adapter.resolve).toHaveBeenCalledTimes(2);
    const b = makeResolver({ [DID]: resolved(documentFor(DID)) }, { cache: false });
    await b.resolver.resolve(DID);
    await b.resolver.resolve(DID);
    expect(b.adapter.resolve).toHaveBeenCalledTimes(2);
  });

  it('keys versions apart, and adapter-declared options apart', async () => {
    const { resolver, adapter } = makeResolver(
      { [DID]: (options) => resolved(documentFor(DID, { alsoKnownAs: [`https://${String(options.network ?? 'main')}.example/${String(options.versionId ?? 'latest')}`] })) },
      { capabilities: { versionId: true, options: ['network'] } },
    );
    const aka = async (options: ResolutionOptions) => (await resolver.resolve(DID, options)).didDocument!.alsoKnownAs;
    expect(await aka({})).toEqual(['https://main.example/latest']);
    expect(await aka({ versionId: '1' })).toEqual(['https://main.example/1']);
    expect(await aka({ network: 'testnet' })).toEqual(['https://testnet.example/latest']);
    expect(await aka({ network: 'testnet' })).toEqual(['https://testnet.example/latest']);
    expect(await aka({ unrelated: 'x' })).toEqual(['https://main.example/latest']);
    expect(adapter.resolve).toHaveBeenCalledTimes(3);
  });

  it('hands each caller its own copy: editing a result does not change the cached one', async () => {
    const { resolver } = makeResolver({ [DID]: resolved(documentFor(DID), { didDocumentMetadata: { equivalentId: ['did:test:alias'] } }) });
    const first = await resolver.resolve(DID);
    first.didDocument!.authentication!.push('did:test:mallory#key-1');
    (first.didDocument!.verificationMethod![0] as { controller: string }).controller = 'did:test:mallory';
    first.didDocumentMetadata.equivalentId!.push('did:test:mallory');
    const second = await resolver.resolve(DID);
    expect(second.didResolutionMetadata.servedFromCache).toBe(true);
    expect(second.didDocument!.authentication).toEqual([`${DID}#key-1`]);
    expect(second.didDocument!.verificationMethod![0]!.controller).toBe(DID);
    expect(second.didDocumentMetadata.equivalentId).toEqual(['did:test:alias']);
  });

  describe('TTL', () => {
    /** A cache that records the TTL the resolver asks for, and otherwise behaves like the default. */
    class RecordingCache implements ResolutionCache {
      readonly inner = new MemoryCache();
      readonly ttls: Array<{ key: string; ttlMs: number; kind: CachedOutcome['kind'] }> = [];
      get(key: string) {
        return this.inner.get(key);
      }
      set(key: string, value: CachedOutcome, ttlMs: number) {
        this.ttls.push({ key, ttlMs, kind: value.kind });
        this.inner.set(key, value, ttlMs);
      }
      delete(key: string) {
        this.inner.delete(key);
      }
    }

    it.each([
      ['the method TTL', 120, 120_000],
      ['the policy maximum when the method asks for more', 86_400, 600_000],
      ['the default when the method says nothing', undefined, 60_000],
      ['the default when the method TTL is not a number', Number.NaN, 60_000],
    ])('uses %s', async (_name, ttlSeconds, expectedMs) => {
      const cache = new RecordingCache();
      const { resolver } = makeResolver(
        { [DID]: resolved(documentFor(DID), ttlSeconds === undefined ? {} : { ttlSeconds }) },
        { cache, cachePolicy: { defaultTtlSeconds: 60, maxTtlSeconds: 600 } },
      );
      await resolver.resolve(DID);
      expect(cache.ttls).toEqual([{ key: DID, ttlMs: expectedMs, kind: 'resolved' }]);
    });

    it('does not store a result whose method TTL is zero or negative', async () => {
      for (const ttlSeconds of [0, -5]) {
        const cache = new RecordingCache();
        const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID), { ttlSeconds }) }, { cache });
        await resolver.resolve(DID);
        await resolver.resolve(DID);
        expect(cache.ttls).toEqual([]);
        expect(adapter.resolve).toHaveBeenCalledTimes(2);
      }
    });

    it('resolves again once the TTL has passed', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
      const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID), { ttlSeconds: 30 }) });
      await resolver.resolve(DID);
      vi.setSystemTime(new Date('2024-01-01T00:00:29Z'));
      expect((await resolver.resolve(DID)).didResolutionMetadata.servedFromCache).toBe(true);
      vi.setSystemTime(new Date('2024-01-01T00:00:31Z'));
      expect((await resolver.resolve(DID)).didResolutionMetadata.servedFromCache).toBe(false);
      expect(adapter.resolve).toHaveBeenCalledTimes(2);
    });
  });

  describe('negative caching', () => {
    it('caches NOT_FOUND for negativeTtlSeconds', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
      const { resolver, adapter } = makeResolver({}, { cachePolicy: { negativeTtlSeconds: 10 } });
      expectError(await resolver.resolve('did:test:ghost'), 'NOT_FOUND');
      const cached = await resolver.resolve('did:test:ghost');
      expectError(cached, 'NOT_FOUND');
      expect(cached.didResolutionMetadata.error!.cached).toBe(true);
      expect(adapter.resolve).toHaveBeenCalledTimes(1);
      vi.setSystemTime(new Date('2024-01-01T00:00:11Z'));
      expectError(await resolver.resolve('did:test:ghost'), 'NOT_FOUND');
      expect(adapter.resolve).toHaveBeenCalledTimes(2);
    });

    it('does not cache other errors, nor NOT_FOUND when negativeTtlSeconds is 0', async () => {
      const failing = makeResolver({ [DID]: () => { throw new UpstreamError('timeout'); } });
      await failing.resolver.resolve(DID);
      await failing.resolver.resolve(DID);
      expect(failing.adapter.resolve).toHaveBeenCalledTimes(2);
      const off = makeResolver({}, { cachePolicy: { negativeTtlSeconds: 0 } });
      await off.resolver.resolve('did:test:ghost');
      await off.resolver.resolve('did:test:ghost');
      expect(off.adapter.resolve).toHaveBeenCalledTimes(2);
    });
  });

  describe('single flight', () => {
    function gate<T>() {
      let open!: (value: T) => void;
      let fail!: (err: unknown) => void;
      const promise = new Promise<T>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
      return { promise, open, fail };
    }

    it('10 concurrent resolutions of one DID make 1 adapter call', async () => {
      const g = gate<MethodResolution>();
      const events: ResolutionEvent[] = [];
      const { resolver, adapter } = makeResolver({ [DID]: () => g.promise }, { onResolved: (e) => events.push(e) });
      const pending = Array.from({ length: 10 }, () => resolver.resolve(DID));
      await vi.waitFor(() => expect(adapter.resolve).toHaveBeenCalledTimes(1));
      g.open(resolved(documentFor(DID)));
      const results = await Promise.all(pending);
      expect(adapter.resolve).toHaveBeenCalledTimes(1);
      for (const r of results) expect(r.didDocument!.id).toBe(DID);
      expect(results.filter((r) => r.didResolutionMetadata.servedFromCache).length).toBe(9);
      expect(events.map((e) => e.cache).sort()).toEqual(['miss', ...Array(9).fill('shared')].sort());
    });

    it('shares a failure too, and does not cache it', async () => {
      const g = gate<MethodResolution>();
      const { resolver, adapter } = makeResolver({ [DID]: () => g.promise }, { cache: false });
      const pending = Array.from({ length: 10 }, () => resolver.resolve(DID));
      await vi.waitFor(() => expect(adapter.resolve).toHaveBeenCalledTimes(1));
      g.fail(new NotFoundError('gone'));
      for (const r of await Promise.all(pending)) expectError(r, 'NOT_FOUND');
      expect(adapter.resolve).toHaveBeenCalledTimes(1);
      // The flight is over: the next resolution calls the adapter again.
      await resolver.resolve(DID);
      expect(adapter.resolve).toHaveBeenCalledTimes(2);
    });

    it('different DIDs fly separately', async () => {
      const { resolver, adapter } = makeResolver({ [DID]: resolved(documentFor(DID)), 'did:test:bob': resolved(documentFor('did:test:bob')) });
      await Promise.all([resolver.resolve(DID), resolver.resolve('did:test:bob'), resolver.resolve(DID)]);
      expect(adapter.resolve).toHaveBeenCalledTimes(2);
    });
  });
});

describe('resolveShared (read-only callers)', () => {
  it('hands out the cached document without copying it, frozen, while resolve() still gives editable copies', async () => {
    const did = 'did:test:shared';
    const adapter = testAdapter({ [did]: resolved(documentFor(did)) });
    const resolver = new Resolver({ adapters: [adapter], http: noNetwork });
    const first = await resolver.resolveShared(did);
    expect(first.didDocument?.id).toBe(did);
    expect(first.didResolutionMetadata.servedFromCache).toBe(false);

    const hitA = await resolver.resolveShared(did);
    const hitB = await resolver.resolveShared(did);
    expect(hitA.didResolutionMetadata.servedFromCache).toBe(true);
    // The representation may put `@context` first in a new top-level object; what it holds is the stored copy.
    expect(hitA.didDocument!.verificationMethod).toBe(hitB.didDocument!.verificationMethod);
    expect(Object.isFrozen(hitA.didDocument!.verificationMethod)).toBe(true);
    expect(() => {
      (hitA.didDocument!.verificationMethod as unknown[]).push({});
    }).toThrow(TypeError);

    const copy = await resolver.resolve(did);
    expect(copy.didDocument!.verificationMethod).not.toBe(hitA.didDocument!.verificationMethod);
    expect(copy.didDocument).toEqual(hitA.didDocument);
    copy.didDocument!.id = 'did:test:edited';
    expect((await resolver.resolve(did)).didDocument?.id).toBe(did);
    expect(adapter.resolve).toHaveBeenCalledTimes(1);
  });

  it('reports errors as resolve() does', async () => {
    const resolver = new Resolver({ adapters: [testAdapter({})], http: noNetwork });
    const result = await resolver.resolveShared('did:test:missing');
    expect(result.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
    expect((await resolver.resolveShared('not a did')).didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
  });
});
