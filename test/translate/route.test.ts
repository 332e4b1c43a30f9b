/**
 * `GET /1.0/translate/{did}?to=` on the driver (createDriver, loopback), with did:key and DIDs of the embedded
 * sandbox: answers, statuses, error bodies and profiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAdapters, SANDBOX_BINDINGS } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { parseTranslateTarget } from '../../src/http/translate-route.js';
import { encodeHex } from '../../src/keys/codecs.js';
import { decodeMultikey } from '../../src/keys/multikey.js';
import { Resolver } from '../../src/resolver.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../../src/sandbox/embedded.js';
import { request } from '../http/request.js';

const KEY_DID = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
const BID_DID = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';
const UNKNOWN_BID_DID = 'did:bid:efJgt44mNDewKK1VEN454R17cjso3mSG';
const ERROR_BASE = 'https://www.w3.org/ns/did#';

let embedded: EmbeddedSandbox;
let driver: Driver;
let base: string;

beforeAll(async () => {
  embedded = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: {}, mode: 'auto', enabledAdapters: ['bid', 'weid'] });
  const resolver = new Resolver({ adapters: defaultAdapters(embedded.adapters, ['key', 'bid', 'weid']) });
  driver = createDriver({ resolver, config: loadConfig({ env: {} }) });
  const address = await driver.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await driver?.close();
  await embedded?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => request(base, path, { headers });

describe('GET /1.0/translate/{did}', () => {
  it('did:key to w3c (the default): the document, no changes, JSON', async () => {
    const r = await get(`/1.0/translate/${KEY_DID}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    expect(Object.keys(body).sort()).toStrictEqual(['changes', 'didDocumentMetadata', 'document']);
    expect(body.document.id).toBe(KEY_DID);
    expect(body.document['@context'][0]).toBe('https://www.w3.org/ns/did/v1');
    expect(body.changes).toStrictEqual([]);
  });

  it('did:key to bid, URL-encoded: the key BIF-encoded, the render changes tagged', async () => {
    const r = await get(`/1.0/translate/${encodeURIComponent(KEY_DID)}?to=bid`);
    expect(r.status).toBe(200);
    const body = r.json();
    const key = decodeMultikey(KEY_DID.slice('did:key:'.length));
    expect(body.document.publicKey[0].publicKeyHex).toBe(`b06566${encodeHex(key.bytes)}`);
    expect(body.changes.length).toBeGreaterThan(0);
    expect(body.changes.every((c: { step: string }) => c.step === 'render')).toBe(true);
  });

  it('a sandbox did:bid to w3c carries the change record and the preserved data; to bid restores the upstream document', async () => {
    const w3c = (await get(`/1.0/translate/${BID_DID}?to=w3c`)).json();
    expect(w3c.document.id).toBe(BID_DID);
    expect(w3c.changes.some((c: { rule: string; step: string }) => c.rule.startsWith('bid.') && c.step === 'translate')).toBe(true);
    expect(w3c.didDocumentMetadata.didbridgePreserved).toMatchObject({ format: 'application/json', shape: 'bid' });
    const bid = await get(`/1.0/translate/${BID_DID}?to=bid`);
    expect(bid.status).toBe(200);
    const upstream = (await (await fetch(`${embedded.sandbox!.baseUrlFor('bid')}/${BID_DID}`)).json()) as { data: { didDocument: unknown } };
    expect(JSON.stringify(bid.json().document)).toBe(JSON.stringify(upstream.data.didDocument));
  });

  it('a sandbox did:bid to weid-v1', async () => {
    const r = await get(`/1.0/translate/${BID_DID}?to=weid-v1`);
    expect(r.status).toBe(200);
    expect(r.json().document.id).toBe(BID_DID);
  });

  it('400 INVALID_OPTIONS for an unknown shape, naming the shapes; the uniresolver profile writes the bare token', async () => {
    const r = await get(`/1.0/translate/${KEY_DID}?to=pdf`);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/json');
    const body = r.json();
    expect(body.didDocument).toBeNull();
    expect(body.didDocumentMetadata).toStrictEqual({});
    expect(body.didResolutionMetadata.error.type).toBe(`${ERROR_BASE}INVALID_OPTIONS`);
    expect(body.didResolutionMetadata.error.detail).toMatch(/available shapes: w3c, .*bid.*weid/);
    const uni = await get(`/1.0/translate/${KEY_DID}?to=pdf&_errorProfile=uniresolver`);
    expect(uni.status).toBe(400);
    expect(uni.json().didResolutionMetadata.error.type).toBe('INVALID_OPTIONS');
    const byHeader = await get(`/1.0/translate/${KEY_DID}?to=pdf`, { 'x-error-profile': 'uniresolver' });
    expect(byHeader.json().didResolutionMetadata.error.type).toBe('INVALID_OPTIONS');
  });

  it('404 NOT_FOUND for a DID the registry does not know', async () => {
    const r = await get(`/1.0/translate/${UNKNOWN_BID_DID}?to=bid`);
    expect(r.status).toBe(404);
    expect(r.json().didResolutionMetadata.error.type).toBe(`${ERROR_BASE}NOT_FOUND`);
  });

  it('400 for an invalid DID, a DID URL, a repeated parameter, an unknown option; 501 for an unknown method', async () => {
    expect((await get('/1.0/translate/did:key:nope')).status).toBe(400);
    const url = await get(`/1.0/translate/${encodeURIComponent(`${KEY_DID}#key-1`)}`);
    expect(url.status).toBe(400);
    expect(url.json().didResolutionMetadata.error.type).toBe(`${ERROR_BASE}INVALID_DID`);
    const twice = await get(`/1.0/translate/${KEY_DID}?to=bid&to=weid`);
    expect(twice.status).toBe(400);
    expect(twice.json().didResolutionMetadata.error.type).toBe(`${ERROR_BASE}INVALID_OPTIONS`);
    expect((await get(`/1.0/translate/${KEY_DID}?_secret=1`)).status).toBe(400);
    const method = await get('/1.0/translate/did:nope:123');
    expect(method.status).toBe(501);
    expect((await get('/1.0/translate/')).status).toBe(400);
  });

  it('410 with document null for a deactivated DID', async () => {
    const sandbox = embedded.sandbox!;
    const emulator = sandbox.emulators.get('bid')!;
    const ctx = sandbox.contextFor('bid');
    const created = await emulator.create(ctx, { keyType: 'ed25519' });
    await emulator.deactivate!(ctx, { did: created.did });
    const r = await get(`/1.0/translate/${created.did}?to=bid`);
    expect(r.status).toBe(410);
    expect(r.json().document).toBeNull();
    expect(r.json().didDocumentMetadata.deactivated).toBe(true);
  });

  it('405 for POST, and the route is listed', async () => {
    const r = await request(base, `/1.0/translate/${KEY_DID}`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(405);
    expect(driver.routes.list().some((route) => route.path === '/1.0/translate/' && route.prefix)).toBe(true);
  });
});

describe('parseTranslateTarget', () => {
  it('reads raw and encoded DIDs, percent-decodes values, and keeps options apart', () => {
    expect(parseTranslateTarget(KEY_DID, undefined)).toStrictEqual({ did: KEY_DID, to: 'w3c', profile: undefined, options: {} });
    expect(parseTranslateTarget('did%3Aweb%3Aexample.com%253A8443', 'to=weid-v1&versionId=2&_errorProfile=spec')).toStrictEqual({
      did: 'did:web:example.com%3A8443',
      to: 'weid-v1',
      profile: 'spec',
      options: { versionId: '2' },
    });
    for (const [rest, query] of [['did%3Akey%3A%E0%A4%A', undefined], [KEY_DID, 'to=%E0%A4%A'], [KEY_DID, '__proto__=1'], [KEY_DID, '=x']] as const) {
      expect(() => parseTranslateTarget(rest, query)).toThrow();
    }
    expect(() => parseTranslateTarget(KEY_DID, Array.from({ length: 65 }, (_, i) => `o${i}=1`).join('&'))).toThrow(/more than 64/);
  });
});
