/**
 * Options in the `X-Config` request header (a JSON object, as the Universal Resolver accepts them;
 * resolver-contract.md §3.5) over loopback HTTP: they take effect, URL and POST body options win over them, bad
 * values are 400 INVALID_OPTIONS with a whole result, and answers to requests carrying the header are never served
 * from (or stored in) the response cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter, KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter, type TestAdapter } from '../helpers/test-adapter.js';
import { request, type TestRequest } from './request.js';

const enc = encodeURIComponent;
const KEY_DID = KEY_TEST_IDENTIFIERS[0]!;

interface Running {
  driver: Driver;
  base: string;
  adapter: TestAdapter;
}

async function start(overrides: ConfigOverrides = {}): Promise<Running> {
  const adapter = createTestAdapter();
  const resolver = new Resolver({ adapters: [adapter, createKeyAdapter()] });
  const driver = createDriver({ resolver, config: loadConfig({ env: {}, overrides }) });
  const address = await driver.listen(0, '127.0.0.1');
  return { driver, base: `http://127.0.0.1:${address.port}`, adapter };
}

function expectInvalidOptions(r: { status: number; headers: Record<string, unknown>; json(): any }, why: string): void {
  expect(r.status, why).toBe(400);
  expect(r.headers['content-type'], why).toBe('application/did-resolution');
  const body = r.json();
  expect(body.didResolutionMetadata.error.type, why).toBe('https://www.w3.org/ns/did#INVALID_OPTIONS');
  expect(typeof body.didResolutionMetadata.error.detail, why).toBe('string');
  expect(body.didDocument, why).toBeNull();
  expect(body.didDocumentMetadata, why).toEqual({});
}

describe('X-Config header', () => {
  let d: Running;
  beforeAll(async () => {
    d = await start();
  });
  afterAll(async () => {
    await d.driver.close();
  });
  const send = (path: string, xConfig: string | string[] | undefined, init: TestRequest = {}) =>
    request(d.base, path, {
      ...init,
      headers: { ...(init.headers ?? {}), ...(xConfig === undefined ? {} : { 'x-config': xConfig as string }) },
    });

  describe('options from the header take effect', () => {
    it('accept picks the representation inside the whole result', async () => {
      const r = await send('/1.0/identifiers/did:test:alice', '{"accept":"application/did+json"}');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/did-resolution');
      const body = r.json();
      expect(body.didResolutionMetadata.contentType).toBe('application/did+json');
      expect(body.didDocument).not.toHaveProperty('@context');
    });

    it('versionId: an unknown version is NOT_FOUND; a method without versions answers FEATURE_NOT_SUPPORTED', async () => {
      const unknown = await send('/1.0/identifiers/did:test:alice', '{"versionId":"7"}');
      expect(unknown.status).toBe(404);
      expect(unknown.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
      const refused = await send(`/1.0/identifiers/${KEY_DID}`, '{"versionId":"1"}');
      expect(refused.status).toBe(501);
      expect(refused.json().didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#FEATURE_NOT_SUPPORTED');
    });

    it('dereferencing options apply to DID URLs in the raw form', async () => {
      const vm = await send(`/1.0/identifiers/${enc('did:test:alice#files')}`, '{"verificationRelationship":"authentication"}');
      expect(vm.status).toBe(500);
      expect(vm.json().dereferencingMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_VERIFICATION_METHOD');
    });

    it('_errorProfile is an internal parameter there too, and the one in the URL wins over it', async () => {
      const legacy = await send('/1.0/identifiers/did:test:nobody', '{"_errorProfile":"legacy-1.0"}');
      expect(legacy.status).toBe(404);
      expect(legacy.json().didResolutionMetadata.error).toBe('notFound');
      const urlWins = await send(`/1.0/identifiers/${enc('did:test:nobody')}?_errorProfile=uniresolver`, '{"_errorProfile":"legacy-1.0"}');
      expect(urlWins.json().didResolutionMetadata.error.type).toBe('NOT_FOUND');
    });

    it('an empty or blank header means no options, as an empty POST body does', async () => {
      const r = await send('/1.0/identifiers/did:test:alice', '  ');
      expect(r.status).toBe(200);
      expect(r.json().didResolutionMetadata.contentType).toBe('application/did');
    });
  });

  describe('precedence: URL > POST body > X-Config', () => {
    it('URL options win over the header', async () => {
      const r = await send(`/1.0/identifiers/${enc('did:test:alice')}?versionId=1`, '{"versionId":"7"}');
      expect(r.status).toBe(200);
      expect(r.json().didDocumentMetadata.versionId).toBe('1');
    });

    it('POST body options win over the header, and the header fills in what the body lacks', async () => {
      const post = (body: string, xConfig: string) =>
        send('/1.0/identifiers/did:test:alice', xConfig, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const bodyWins = await post('{"versionId":"1"}', '{"versionId":"7"}');
      expect(bodyWins.status).toBe(200);
      const bodyWinsTheOtherWay = await post('{"versionId":"7"}', '{"versionId":"1"}');
      expect(bodyWinsTheOtherWay.status).toBe(404);
      const merged = await post('{"versionId":"1"}', '{"accept":"application/did+json"}');
      expect(merged.status).toBe(200);
      expect(merged.json().didResolutionMetadata.contentType).toBe('application/did+json');
    });
  });

  describe('bad values are 400 INVALID_OPTIONS with a whole result', () => {
    const cases: Array<[string, string | string[]]> = [
      ['malformed JSON', '{"versionId":'],
      ['an array', '["versionId"]'],
      ['a string', '"versionId=1"'],
      ['null', 'null'],
      ['a number', '42'],
      ['nested 17 deep', `{"a":${'['.repeat(16)}${']'.repeat(16)}}`],
      ['non-ASCII (UTF-8 bytes node would read as latin1)', Buffer.from('{"versionId":"版本"}', 'utf8').toString('latin1')],
      ['a latin1 character', '{"versionId":"caf\u00e9"}'],
      ['the header twice', ['{"versionId":"1"}', '{"accept":"application/did"}']],
    ];
    for (const [why, value] of cases) {
      it(why, async () => {
        expectInvalidOptions(await send('/1.0/identifiers/did:test:alice', value), why);
      });
    }

    it('the same value nested 16 deep is accepted (the body limit)', async () => {
      const r = await send('/1.0/identifiers/did:test:alice', `{"a":${'['.repeat(15)}${']'.repeat(15)}}`);
      expect(r.status).toBe(200);
    });

    it('JSON \\u escapes are decoded: an escaped non-ASCII versionId reaches the resolver as such', async () => {
      // Read literally, "\\u7248" would be an ASCII versionId (404); decoded, it is refused as non-ASCII.
      const r = await send('/1.0/identifiers/did:test:alice', '{"versionId":"\\u7248"}');
      expectInvalidOptions(r, 'escaped');
      expect(r.json().didResolutionMetadata.error.detail).toContain('"versionId" must be a non-empty ASCII string');
    });

    it('a value longer than limits.maxBodyBytes', async () => {
      const small = await start({ limits: { maxBodyBytes: 1024 } });
      try {
        const padded = JSON.stringify({ _pad: 'x'.repeat(1100) });
        expectInvalidOptions(await request(small.base, '/1.0/identifiers/did:test:alice', { headers: { 'x-config': padded } }), 'too long');
        const fits = JSON.stringify({ _pad: 'x'.repeat(900) });
        expect((await request(small.base, '/1.0/identifiers/did:test:alice', { headers: { 'x-config': fits } })).status).toBe(200);
      } finally {
        await small.driver.close();
      }
    });
  });

  describe('response cache and Vary', () => {
    it('names X-Config in Vary', async () => {
      const r = await send('/1.0/identifiers/did:test:bob', undefined);
      expect(r.headers.vary).toContain('X-Config');
    });

    it('two requests differing only in X-Config never share a cached answer', async () => {
      const path = `/1.0/identifiers/${enc('did:test:alice')}?noise=1`;
      const stored = await send(path, undefined);
      expect(stored.status).toBe(200);
      expect(stored.headers['x-cache']).toBe('miss');
      expect((await send(path, undefined)).headers['x-cache']).toBe('hit');

      const asJson = await send(path, '{"accept":"application/did+json"}');
      expect(asJson.headers['x-cache']).toBeUndefined();
      expect(asJson.headers['cache-control']).toBe('no-store');
      expect(asJson.json().didResolutionMetadata.contentType).toBe('application/did+json');

      const v1 = await send(path, '{"versionId":"1"}');
      const v7 = await send(path, '{"versionId":"7"}');
      expect(v1.status).toBe(200);
      expect(v7.status).toBe(404);
      // Repeating a header request is resolved again (the resolver's own cache may still answer it), not replayed.
      const again = await send(path, '{"versionId":"7"}');
      expect(again.status).toBe(404);
      expect(again.headers['x-cache']).toBeUndefined();
      // And the stored answer without the header is unchanged.
      const plain = await send(path, undefined);
      expect(plain.headers['x-cache']).toBe('hit');
      expect(plain.text).toBe(stored.text);
    });
  });

  it('CORS preflight allows the header', async () => {
    const open = await start({ corsOrigin: '*' });
    try {
      const r = await request(open.base, '/1.0/identifiers/did:test:alice', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-headers': 'x-config' },
      });
      expect(r.status).toBe(204);
      expect(String(r.headers['access-control-allow-headers'])).toContain('X-Config');
    } finally {
      await open.driver.close();
    }
  });
});
