import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { createEmulatorContext, sandboxRequest } from '../../src/sandbox/emulator.js';
import { GARBAGE_BODY } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox, type SandboxRequestEvent } from '../../src/sandbox/server.js';
import { SandboxStore } from '../../src/sandbox/store.js';
import { TOY_SEED_DID, TOY_SEED_SOURCE, toyEmulator } from './toy-emulator.js';

async function call(url: string, init: { method?: string; body?: unknown; text?: string } = {}) {
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.text !== undefined ? 'POST' : 'GET'),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
    ...(init.text !== undefined ? { body: init.text } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Sends a raw request with node:http and reports how it ended (for resets, where fetch hides the details). */
function rawGet(url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode! }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

async function upstreamError(promise: Promise<unknown>): Promise<DidBridgeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DidBridgeError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('sandbox server', () => {
  let sandbox: Sandbox;
  let base: string;
  let events: SandboxRequestEvent[];

  beforeEach(async () => {
    events = [];
    sandbox = await startSandbox({
      emulators: [toyEmulator(), toyEmulator({ mount: 'toy-b' })],
      limits: { maxBodyBytes: 4096, maxJsonDepth: 8 },
      onRequest: (e) => events.push(e),
    });
    base = sandbox.baseUrlFor('toy');
  });
  afterEach(async () => {
    await sandbox.close();
  });

  describe('routing and mounts', () => {
    it('listens on loopback and mounts each emulator under /<mount>', () => {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.baseUrlFor('toy')).toBe(`${sandbox.url}/toy`);
      expect(sandbox.baseUrlFor('toy-b')).toBe(`${sandbox.url}/toy-b`);
      expect(() => sandbox.baseUrlFor('nope')).toThrow(TypeError);
    });

    it('seeds sample documents with provenance by default', async () => {
      expect(sandbox.store.get(TOY_SEED_DID)!.source).toBe(TOY_SEED_SOURCE);
      const res = await call(`${base}/v1/did/${TOY_SEED_DID}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        code: 0,
        msg: 'ok',
        data: { document: { id: TOY_SEED_DID, key: [] }, meta: { versionId: 1, updated: expect.any(String), deactivated: false } },
      });
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    });

    it('hands the emulator the path below its mount, with a percent-encoded DID decoded', async () => {
      const res = await call(`${base}/v1/did/${encodeURIComponent(TOY_SEED_DID)}`);
      expect(res.json.code).toBe(0);
      const missing = await call(`${base}/v1/did/did:toy:missing`);
      expect(missing).toMatchObject({ status: 200, json: { code: 1404, msg: 'not found' } });
    });

    it('passes POST bodies parsed, and leaves unparseable bodies to the emulator', async () => {
      expect((await call(`${base}/v1/query`, { body: { did: TOY_SEED_DID } })).json.code).toBe(0);
      expect((await call(`${base}/v1/query`, { text: 'did=' })).json).toEqual({ code: 1400, msg: 'bad request' });
      // Deeper than maxJsonDepth: not parsed, so the upstream's own "bad request" envelope answers.
      const deep = `{"did":${'['.repeat(20)}${']'.repeat(20)}}`;
      expect((await call(`${base}/v1/query`, { text: deep })).json).toEqual({ code: 1400, msg: 'bad request' });
    });

    it('answers 404 problems for unknown mounts and for routes the emulator does not have', async () => {
      const unknown = await call(`${sandbox.url}/nope/x`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      expect(unknown.json).toMatchObject({ type: 'https://www.w3.org/ns/did#METHOD_NOT_SUPPORTED', reason: 'UNKNOWN_EMULATOR' });
      const noRoute = await call(`${base}/v2/elsewhere`);
      expect(noRoute).toMatchObject({ status: 404, json: { reason: 'NO_ROUTE' } });
      expect((await call(`${sandbox.url}/`)).status).toBe(404);
    });

    it('turns an emulator crash into a 500 problem and keeps serving', async () => {
      const res = await call(`${base}/v1/boom`);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ reason: 'EMULATOR_FAILED', detail: 'toy emulator exploded' });
      expect((await call(`${base}/v1/did/${TOY_SEED_DID}`)).status).toBe(200);
    });

    it('reports each request to onRequest without bodies', async () => {
      await call(`${base}/v1/query`, { body: { did: TOY_SEED_DID } });
      const event = events.at(-1)!;
      expect(event).toMatchObject({ mount: 'toy', method: 'POST', path: '/toy/v1/query', status: 200 });
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
      expect(Object.keys(event).sort()).toEqual(['durationMs', 'method', 'mount', 'path', 'status']);
    });

    it('builds the same request objects without HTTP (sandboxRequest)', async () => {
      const req = sandboxRequest({
        method: 'post',
        path: '/v1/did/did%3Atoy%3Aa?version=2&version=3&x=%20y',
        headers: { 'X-Trace': 't' },
        body: { did: 'did:toy:a' },
      });
      expect(req).toEqual({
        method: 'POST',
        path: '/v1/did/did%3Atoy%3Aa',
        segments: ['v1', 'did', 'did:toy:a'],
        query: { version: '2', x: ' y' },
        headers: { 'x-trace': 't' },
        text: '{"did":"did:toy:a"}',
        body: { did: 'did:toy:a' },
      });
      expect(() => sandboxRequest({ path: '/bad/%E0%A4%A' })).toThrow(TypeError);
      const ctx = createEmulatorContext({ store: sandbox.store });
      const reply = await toyEmulator().handle(sandboxRequest({ path: `/v1/did/${TOY_SEED_DID}` }), ctx);
      expect(reply).toMatchObject({ status: 200, body: { code: 0 } });
    });

    it('answers a malformed percent-escape with 400', async () => {
      const res = await rawGet(`${base}/v1/did/%E0%A4%A`);
      expect(res.status).toBe(400);
    });
  });

  describe('body limits', () => {
    it('accepts a body up to maxBodyBytes', async () => {
      const body = { did: TOY_SEED_DID, pad: 'x'.repeat(4000) };
      expect(JSON.stringify(body).length).toBeLessThanOrEqual(4096);
      expect((await call(`${base}/v1/query`, { body })).json.code).toBe(0);
    });

    it('answers 413 past maxBodyBytes, on emulator and admin routes alike', async () => {
      const big = { did: TOY_SEED_DID, pad: 'x'.repeat(5000) };
      const res = await call(`${base}/v1/query`, { body: big });
      expect(res.status).toBe(413);
      expect(res.json).toMatchObject({ reason: 'BODY_TOO_LARGE' });
      expect((await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'ed25519', pad: 'x'.repeat(5000) } })).status).toBe(413);
      expect(sandbox.store.count()).toBe(1);
    });

    it('answers 413 at once when content-length already declares too much', async () => {
      const small = await startSandbox({ emulators: [toyEmulator()], limits: { maxBodyBytes: 100, maxDrainBytes: 100 } });
      try {
        const outcome = await new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
          const req = httpRequest(`${small.url}/toy/v1/query`, { method: 'POST', agent: false, headers: { 'content-length': '100000' } }, (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
          // Only part of the declared body is ever sent: the answer must not wait for the rest.
          req.write('x'.repeat(50));
        });
        expect(outcome.status).toBe(413);
        expect(JSON.parse(outcome.body!)).toMatchObject({ reason: 'BODY_TOO_LARGE', detail: expect.stringContaining('100000') });
      } finally {
        await small.close();
      }
    });

    it('drops the connection of a body that goes on past the drain allowance', async () => {
      const small = await startSandbox({ emulators: [toyEmulator()], limits: { maxBodyBytes: 16, maxDrainBytes: 1024 } });
      try {
        const outcome = await new Promise<{ status?: number; error?: string }>((resolve) => {
          const req = httpRequest(`${small.url}/toy/v1/query`, { method: 'POST', agent: false }, (res) => {
            res.resume();
            resolve({ status: res.statusCode! });
          });
          req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
          // Chunked, so no content-length tells the server up front.
          const chunk = Buffer.alloc(512, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < 64 && req.write(chunk)) sent++;
            if (sent < 64) req.once('drain', pump);
            else req.end();
          };
          pump();
        });
        expect(outcome.status).toBeUndefined();
        expect(outcome.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      } finally {
        await small.close();
      }
    });
  });

  describe('admin surface', () => {
    it('lists the emulators with their base URLs and operations', async () => {
      const res = await call(`${sandbox.url}/_admin/emulators`);
      expect(res.json.emulators).toEqual([
        {
          mount: 'toy',
          method: 'toy',
          description: 'toy upstream for tests',
          baseUrl: base,
          keyTypes: ['ed25519'],
          createParams: { label: 'a label copied into the document' },
          update: false,
          deactivate: true,
        },
        {
          mount: 'toy-b',
          method: 'toy',
          description: 'toy upstream for tests',
          baseUrl: sandbox.baseUrlFor('toy-b'),
          keyTypes: ['ed25519'],
          createParams: { label: 'a label copied into the document' },
          update: false,
          deactivate: true,
        },
      ]);
    });

    it('creates a DID, answering 201 with the key file JSON; the DID then resolves on the emulator route', async () => {
      const res = await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'ed25519', label: 'hello' } });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({
        format: 'didbridge-sandbox-key/1',
        method: 'toy',
        mount: 'toy',
        did: expect.stringMatching(/^did:toy:[0-9a-f]{40}$/),
        verificationMethodId: `${res.json.did}#key-1`,
        keyType: 'ed25519',
        publicKeyHex: expect.stringMatching(/^[0-9a-f]{64}$/),
        privateKeyHex: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const resolved = await call(`${base}/v1/did/${res.json.did}`);
      expect(resolved.json.data.document).toEqual({
        id: res.json.did,
        key: [{ id: `${res.json.did}#key-1`, type: 'Ed25519', publicKeyHex: res.json.publicKeyHex }],
        label: 'hello',
      });
    });

    it('refuses key types the emulator does not list, bad bodies and unknown mounts', async () => {
      expect((await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'rsa' } })).json).toMatchObject({
        reason: 'UNSUPPORTED_KEY_TYPE',
      });
      expect((await call(`${sandbox.url}/_admin/toy/create`, { text: '{"keyType":' })).status).toBe(400);
      expect((await call(`${sandbox.url}/_admin/toy/create`, { method: 'POST' })).json).toMatchObject({ reason: 'INVALID_REQUEST' });
      expect((await call(`${sandbox.url}/_admin/toy/create`, { body: [] })).json).toMatchObject({ reason: 'INVALID_REQUEST' });
      expect((await call(`${sandbox.url}/_admin/nope/create`, { body: { keyType: 'ed25519' } })).status).toBe(404);
      expect((await call(`${sandbox.url}/_admin/toy/create`)).json).toMatchObject({ reason: 'NO_ROUTE' });
      expect(sandbox.store.count()).toBe(1);
    });

    it('updates (storing the document verbatim when the emulator has no update) and keeps the history', async () => {
      const { json: key } = await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'ed25519' } });
      const res = await call(`${sandbox.url}/_admin/toy/update`, { body: { did: key.did, document: { id: key.did, v: 2 } } });
      expect(res.status).toBe(200);
      expect(res.json.record).toMatchObject({ did: key.did, versionId: 2, document: { id: key.did, v: 2 }, extra: { chain: 'toy-1' } });
      expect((await call(`${base}/v1/did/${key.did}?version=1`)).json.data.document.key).toHaveLength(1);
      expect((await call(`${base}/v1/did/${key.did}`)).json.data.document).toEqual({ id: key.did, v: 2 });
      expect((await call(`${sandbox.url}/_admin/toy/update`, { body: { did: key.did } })).json).toMatchObject({ reason: 'NOT_SUPPORTED' });
      expect((await call(`${sandbox.url}/_admin/toy/update`, { body: { did: 'did:toy:none', document: {} } })).status).toBe(404);
    });

    it('deactivates through the emulator; the upstream then reports it, and further writes conflict', async () => {
      const { json: key } = await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'ed25519' } });
      const res = await call(`${sandbox.url}/_admin/toy/deactivate`, { body: { did: key.did } });
      expect(res.json.record).toMatchObject({ versionId: 2, deactivated: true, document: { id: key.did, tombstone: true } });
      expect((await call(`${base}/v1/did/${key.did}`)).json).toMatchObject({ code: 1410, data: { meta: { deactivated: true } } });
      expect((await call(`${base}/v1/did/${key.did}?version=1`)).json.code).toBe(0);
      const again = await call(`${sandbox.url}/_admin/toy/update`, { body: { did: key.did, document: {} } });
      expect(again).toMatchObject({ status: 409, json: { reason: 'DID_DEACTIVATED' } });
    });

    it('lists DIDs with summaries, filters by method, and shows one DID with its history', async () => {
      const { json: key } = await call(`${sandbox.url}/_admin/toy/create`, { body: { keyType: 'ed25519' } });
      await call(`${sandbox.url}/_admin/toy/update`, { body: { did: key.did, document: { v: 2 } } });
      const list = await call(`${sandbox.url}/_admin/dids`);
      expect(list.json.count).toBe(2);
      expect(list.json.dids).toContainEqual({
        method: 'toy',
        did: TOY_SEED_DID,
        created: expect.any(String),
        updated: expect.any(String),
        versionId: 1,
        deactivated: false,
        source: TOY_SEED_SOURCE,
      });
      expect((await call(`${sandbox.url}/_admin/dids?method=other`)).json).toEqual({ count: 0, dids: [] });
      expect((await call(`${sandbox.url}/_admin/dids?limit=1`)).json.dids).toHaveLength(1);
      expect((await call(`${sandbox.url}/_admin/dids?limit=0`)).status).toBe(400);
      const one = await call(`${sandbox.url}/_admin/dids/${encodeURIComponent(key.did)}`);
      expect(one.json.record).toMatchObject({ did: key.did, versionId: 2 });
      expect(one.json.history.map((v: { versionId: number }) => v.versionId)).toEqual([1, 2]);
      expect(one.json.record.documentJson).toBeUndefined();
      expect((await call(`${sandbox.url}/_admin/dids/did:toy:none`)).status).toBe(404);
    });

    it('does not serve the admin surface when disabled, and refuses it on a non-loopback host', async () => {
      const quiet = await startSandbox({ emulators: [toyEmulator()], admin: false });
      try {
        expect((await call(`${quiet.url}/_admin/emulators`)).status).toBe(404);
      } finally {
        await quiet.close();
      }
      await expect(startSandbox({ emulators: [toyEmulator()], host: '0.0.0.0' })).rejects.toThrow(/"options.host"/);
    });
  });

  describe('fault injection', () => {
    const seedUrl = () => `${base}/v1/did/${TOY_SEED_DID}`;
    let http: UndiciHttpClient;
    beforeEach(() => {
      http = createHttpClient({ timeoutMs: 2_000, maxBytes: 1024 * 1024 });
    });
    afterEach(async () => {
      await http.close();
    });

    it('status: answers the chosen status once, then the emulator answers again', async () => {
      sandbox.faults.add({ kind: 'status', mount: 'toy', status: 502, body: 'bad gateway' });
      const first = await call(seedUrl());
      expect(first).toMatchObject({ status: 502, text: 'bad gateway' });
      expect((await call(seedUrl())).status).toBe(200);
      expect(sandbox.faults.list()).toEqual([]);
      expect(events.filter((e) => e.fault).map((e) => [e.fault, e.status])).toEqual([['status', 502]]);
    });

    it('status: hits a given number of times, or always until removed', async () => {
      sandbox.faults.add({ kind: 'status', times: 2 });
      expect((await call(seedUrl())).status).toBe(503);
      expect((await call(seedUrl())).status).toBe(503);
      expect((await call(seedUrl())).status).toBe(200);
      const id = sandbox.faults.add({ kind: 'status', status: 500, times: 'always' });
      for (let i = 0; i < 3; i++) expect((await call(seedUrl())).status).toBe(500);
      expect(sandbox.faults.list()).toMatchObject([{ id, hits: 3, times: 'always' }]);
      expect(sandbox.faults.remove(id)).toBe(true);
      expect((await call(seedUrl())).status).toBe(200);
    });

    it('delay: answers normally after the delay, and trips a client timeout', async () => {
      sandbox.faults.add({ kind: 'delay', delayMs: 300 });
      const started = performance.now();
      const res = await call(seedUrl());
      expect(performance.now() - started).toBeGreaterThanOrEqual(280);
      expect(res.json.code).toBe(0);
      sandbox.faults.add({ kind: 'delay', delayMs: 2_000 });
      const err = await upstreamError(http.request(seedUrl(), { timeoutMs: 150 }));
      expect(err.extensions).toMatchObject({ reason: 'timeout' });
    });

    it('garbage: a 200 JSON response that does not parse', async () => {
      sandbox.faults.add({ kind: 'garbage' });
      const res = await http.request(seedUrl());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text()).toBe(GARBAGE_BODY);
      expect(() => res.json()).toThrow(DidBridgeError);
    });

    it('oversized: the client hits its size limit, with and without content-length', async () => {
      sandbox.faults.add({ kind: 'oversized' });
      expect((await upstreamError(http.request(seedUrl()))).extensions).toMatchObject({ reason: 'too-large' });
      sandbox.faults.add({ kind: 'oversized', chunked: true, bytes: 3 * 1024 * 1024 });
      expect((await upstreamError(http.request(seedUrl()))).extensions).toMatchObject({ reason: 'too-large' });
      // Within a larger limit the body arrives whole and is JSON.
      sandbox.faults.add({ kind: 'oversized', bytes: 200_000 });
      const whole = await http.request(seedUrl());
      expect(whole.body.length).toBe(200_000);
      expect(Object.keys(whole.json() as object)).toEqual(['padding']);
    });

    it('reset: the connection drops before any answer', async () => {
      sandbox.faults.add({ kind: 'reset' });
      expect((await upstreamError(http.request(seedUrl()))).extensions).toMatchObject({ reason: 'transport' });
      sandbox.faults.add({ kind: 'reset' });
      const raw = await rawGet(seedUrl());
      expect(raw.status).toBeUndefined();
      expect(raw.error).toMatch(/ECONNRESET|socket hang up/);
      expect((await call(seedUrl())).status).toBe(200);
    });

    it('scopes a fault to a DID mentioned in the path, query or body, and not to a longer DID', async () => {
      const other = `${TOY_SEED_DID}0`;
      sandbox.faults.add({ kind: 'status', did: TOY_SEED_DID, times: 'always' });
      expect((await call(`${base}/v1/did/${other}`)).status).toBe(200);
      expect((await call(`${base}/v1/did/did:toy:else`)).status).toBe(200);
      expect((await call(seedUrl())).status).toBe(503);
      expect((await call(`${base}/v1/did/${encodeURIComponent(TOY_SEED_DID)}`)).status).toBe(503);
      expect((await call(`${base}/v1/query`, { body: { did: TOY_SEED_DID } })).status).toBe(503);
      expect((await call(`${base}/v1/query`, { body: { did: other } })).status).toBe(200);
    });

    it('scopes a fault to a path, exactly or by prefix', async () => {
      sandbox.faults.add({ kind: 'status', path: '/v1/query', times: 'always' });
      expect((await call(seedUrl())).status).toBe(200);
      expect((await call(`${base}/v1/query`, { body: { did: TOY_SEED_DID } })).status).toBe(503);
      sandbox.faults.clear();
      sandbox.faults.add({ kind: 'status', path: '/v1/did/*', times: 'always' });
      expect((await call(seedUrl())).status).toBe(503);
      expect((await call(`${base}/v1/query`, { body: { did: TOY_SEED_DID } })).status).toBe(200);
    });

    it('scopes a fault to one emulator, or to all when global; never to the admin surface', async () => {
      const other = `${sandbox.baseUrlFor('toy-b')}/v1/did/${TOY_SEED_DID}`;
      sandbox.faults.add({ kind: 'status', mount: 'toy-b', times: 'always' });
      expect((await call(seedUrl())).status).toBe(200);
      expect((await call(other)).status).toBe(503);
      sandbox.faults.clear();
      sandbox.faults.add({ kind: 'status', times: 'always' });
      expect((await call(seedUrl())).status).toBe(503);
      expect((await call(other)).status).toBe(503);
      expect((await call(`${sandbox.url}/_admin/faults`)).status).toBe(200);
    });

    it('is driven through the admin surface: add global and per-emulator faults, list, remove one, clear', async () => {
      const global = await call(`${sandbox.url}/_admin/faults`, { body: { kind: 'status', status: 504, times: 'always', mount: 'toy-b' } });
      expect(global.status).toBe(201);
      const scoped = await call(`${sandbox.url}/_admin/toy/faults`, { body: { kind: 'garbage', times: 'always' } });
      expect(scoped.status).toBe(201);
      const listed = await call(`${sandbox.url}/_admin/faults`);
      expect(listed.json.faults).toEqual([
        { id: global.json.id, kind: 'status', status: 504, mount: 'toy-b', times: 'always', hits: 0 },
        { id: scoped.json.id, kind: 'garbage', mount: 'toy', times: 'always', hits: 0 },
      ]);
      expect((await call(seedUrl())).text).toBe(GARBAGE_BODY);
      expect((await call(`${sandbox.baseUrlFor('toy-b')}/v1/did/${TOY_SEED_DID}`)).status).toBe(504);
      expect((await call(`${sandbox.url}/_admin/faults/${scoped.json.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(seedUrl())).status).toBe(200);
      expect((await call(`${sandbox.url}/_admin/faults/${scoped.json.id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await call(`${sandbox.url}/_admin/toy-b/faults`, { method: 'DELETE' })).status).toBe(204);
      expect(sandbox.faults.list()).toEqual([]);
      await call(`${sandbox.url}/_admin/faults`, { body: { kind: 'reset', times: 'always' } });
      expect((await call(`${sandbox.url}/_admin/faults`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(seedUrl())).status).toBe(200);
    });

    it('refuses malformed faults: 400 over the admin surface, TypeError through the API', async () => {
      const bad = [
        { kind: 'explode' },
        { kind: 'status', status: 200 },
        { kind: 'delay', delayMs: 10_000_000 },
        { kind: 'status', delayMs: 5 },
        { kind: 'status', times: 0 },
        { kind: 'status', surprise: true },
        { kind: 'status', path: 'no-slash' },
      ];
      for (const spec of bad) {
        const res = await call(`${sandbox.url}/_admin/faults`, { body: spec });
        expect(res.status, JSON.stringify(spec)).toBe(400);
        expect(res.json.reason).toBe('INVALID_REQUEST');
        expect(() => sandbox.faults.add(spec as never)).toThrow(TypeError);
      }
      expect((await call(`${sandbox.url}/_admin/faults`, { body: { kind: 'status', mount: 'nope' } })).status).toBe(404);
      expect((await call(`${sandbox.url}/_admin/toy/faults`, { body: { kind: 'status', mount: 'toy-b' } })).status).toBe(400);
      expect(sandbox.faults.list()).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('close() cuts a request stuck in a delay, is idempotent, and closes the store it created', async () => {
      const own = await startSandbox({ emulators: [toyEmulator()] });
      own.faults.add({ kind: 'delay', delayMs: 60_000 });
      const pending = rawGet(`${own.baseUrlFor('toy')}/v1/did/${TOY_SEED_DID}`);
      await new Promise((r) => setTimeout(r, 100));
      const started = performance.now();
      await Promise.all([own.close(), own.close()]);
      const outcome = await pending;
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(outcome.status).toBeUndefined();
      expect(own.store.closed).toBe(true);
    });

    it('leaves a store passed in open, and seed: false starts empty', async () => {
      const store = new SandboxStore();
      const own = await startSandbox({ emulators: [toyEmulator()], store, seed: false });
      expect(store.count()).toBe(0);
      await own.close();
      expect(store.closed).toBe(false);
      store.close();
    });

    it('refuses malformed emulator lists with TypeError naming the member', async () => {
      await expect(startSandbox({ emulators: [toyEmulator(), toyEmulator()] })).rejects.toThrow(/options.emulators\[1\].mount/);
      await expect(startSandbox({ emulators: [toyEmulator({ mount: 'dids' })] })).rejects.toThrow(/options.emulators\[0\].mount/);
      await expect(startSandbox({ emulators: [{ ...toyEmulator(), method: 'Bad' }] })).rejects.toThrow(/options.emulators\[0\].method/);
      await expect(startSandbox({ emulators: [toyEmulator()], limits: { maxBodyBytes: -1 } })).rejects.toThrow(/maxBodyBytes/);
    });

    it('closes again and rethrows when a seed fails', async () => {
      const store = new SandboxStore();
      const broken = { ...toyEmulator(), seed: () => { throw new Error('seed failed'); } };
      await expect(startSandbox({ emulators: [broken], store })).rejects.toThrow('seed failed');
      store.close();
    });
  });
});
