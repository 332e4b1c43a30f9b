/**
 * Input limits at the driver level, each set through configuration as an operator would: DID and DID URL length,
 * request target length, request body size, upstream document size and JSON depth, options count; and JSON bodies
 * that try prototype pollution. Every refusal is a full resolution result with the right error and status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestResponse } from '../http/request.js';
import { documentFor, startDriver, startUpstream, type RunningDriver, type Upstream } from './harness.js';

let upstream: Upstream;
let d: RunningDriver;

beforeAll(async () => {
  upstream = await startUpstream();
  d = await startDriver({
    upstreamBase: upstream.origin(),
    overrides: {
      limits: { maxDidLength: 100, maxUrlLength: 1_024, maxBodyBytes: 512 },
      http: { maxBytes: 4 * 1024, maxJsonDepth: 10, retries: 0 },
    },
  });
});

afterAll(async () => {
  await d.close();
  await upstream.close();
});

function expectError(r: TestResponse, status: number, name: string, detail?: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/did-resolution');
  const body = r.json();
  expect(body.didResolutionMetadata.error.type).toBe(`https://www.w3.org/ns/did#${name}`);
  expect(body.didDocument).toBeNull();
  if (detail) expect(body.didResolutionMetadata.error.detail).toMatch(detail);
}

describe('configured limits', () => {
  it('DID length (DIDBRIDGE_MAX_DID_LENGTH): one character over is INVALID_DID, without contacting the upstream', async () => {
    const atLimit = `did:up:${'a'.repeat(100 - 'did:up:'.length)}`;
    const over = `${atLimit}a`;
    expect(atLimit).toHaveLength(100);
    const ok = await request(d.base, `/1.0/identifiers/${atLimit}`);
    // At the limit the DID is valid syntax; did:up's own pattern (at most 64 characters) then refuses it.
    expectError(ok, 400, 'INVALID_DID', /not a valid did:up identifier/);
    const r = await request(d.base, `/1.0/identifiers/${over}`);
    expectError(r, 400, 'INVALID_DID', /101 characters long; the limit is 100/);
    expect(upstream.hits(`/dids/${over.slice(7)}`)).toBe(0);
  });

  it('DID URL length: INVALID_DID_URL', async () => {
    const url = `did:up:alice?service=${'s'.repeat(120)}`;
    const r = await request(d.base, `/1.0/identifiers/${encodeURIComponent(url)}`);
    expect(r.status).toBe(400);
    expect(r.json().dereferencingMetadata.error.type).toBe('https://www.w3.org/ns/did#INVALID_DID_URL');
    expect(r.json().dereferencingMetadata.error.detail).toMatch(/limit is 100/);
  });

  it('request target length (DIDBRIDGE_MAX_URL_LENGTH): 414 with a full result', async () => {
    const r = await request(d.base, `/1.0/identifiers/did:up:${'a'.repeat(1_100)}`);
    expectError(r, 414, 'INVALID_DID', /limit is 1024/);
  });

  it('request body size (DIDBRIDGE_MAX_BODY_BYTES): 413 and the connection is closed', async () => {
    const body = JSON.stringify({ accept: 'application/did', padding: 'x'.repeat(600) });
    const r = await request(d.base, '/1.0/identifiers/did:up:alice', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expectError(r, 413, 'INVALID_OPTIONS', /limit (is|of) 512 bytes/);
    expect(r.headers.connection).toBe('close');
  });

  it('upstream document size (DIDBRIDGE_HTTP_MAX_BYTES): INTERNAL_ERROR naming the limit', async () => {
    const doc = { ...documentFor('did:up:fat'), padding: 'x'.repeat(5_000) };
    upstream.set('/dids/fat', { kind: 'json', body: doc });
    expectError(await request(d.base, '/1.0/identifiers/did:up:fat'), 500, 'INTERNAL_ERROR', /limit (is|of) 4096/);
  });

  it('upstream JSON depth (DIDBRIDGE_HTTP_MAX_JSON_DEPTH): refused before parsing', async () => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < 12; i++) nested = { n: nested };
    upstream.set('/dids/deep', { kind: 'json', body: { ...documentFor('did:up:deep'), nested } });
    expectError(await request(d.base, '/1.0/identifiers/did:up:deep'), 500, 'INTERNAL_ERROR', /nests deeper than the limit of 10/);
    let shallow: unknown = 'bottom';
    for (let i = 0; i < 5; i++) shallow = { n: shallow };
    upstream.set('/dids/shallow', { kind: 'json', body: { ...documentFor('did:up:shallow'), shallow } });
    expect((await request(d.base, '/1.0/identifiers/did:up:shallow')).status).toBe(200);
  });

  it('more than 64 options: INVALID_OPTIONS', async () => {
    const query = Array.from({ length: 65 }, (_, i) => `o${i}=1`).join('&');
    expectError(await request(d.base, `/1.0/identifiers/did%3Aup%3Aalice?${query}`), 400, 'INVALID_OPTIONS', /more than 64 options/);
  });
});

describe('prototype pollution through JSON bodies and queries', () => {
  it('a POST body with __proto__ pollutes nothing; the key is dropped and the request is answered', async () => {
    upstream.set('/dids/alice', { kind: 'json', body: documentFor('did:up:alice') });
    const body = '{"__proto__": {"polluted": "yes", "accept": "application/did+json"}, "noCache": "true"}';
    const r = await request(d.base, '/1.0/identifiers/did:up:alice', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    // The __proto__ member did not become options: the default representation (whole result) was produced.
    expect(r.headers['content-type']).toBe('application/did-resolution');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('constructor / prototype as option names are refused', async () => {
    for (const body of ['{"constructor": {"prototype": {"polluted": "yes"}}}', '{"prototype": {"x": 1}}']) {
      const r = await request(d.base, '/1.0/identifiers/did:up:alice', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expectError(r, 400, 'INVALID_OPTIONS', /is not an option name/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a JSON query object with __proto__ is harmless too', async () => {
    const query = encodeURIComponent('{"__proto__": {"polluted": "yes"}, "noCache": "true"}');
    const r = await request(d.base, `/1.0/identifiers/did%3Aup%3Aalice?${query}`);
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an upstream document with __proto__ members cannot pollute either', async () => {
    upstream.set('/dids/proto', {
      kind: 'raw',
      body: `{"id": "did:up:proto", "__proto__": {"polluted": "yes"}, "service": [{"id": "#s", "type": "X", "serviceEndpoint": "http://x.test/", "__proto__": {"polluted": "yes"}}]}`,
    });
    const r = await request(d.base, '/1.0/identifiers/did:up:proto');
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json().didDocument)).not.toContain('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
