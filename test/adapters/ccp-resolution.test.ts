/**
 * did:ccp resolution through the core Resolver: against the sandbox emulator (seeded, created, updated, deactivated
 * DIDs, versions, fault injection) and against recorded and malformed resolver answers served from a loopback HTTP
 * server (fixtures/ccp/invalid/responses.json). Nothing leaves 127.0.0.1.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base58btc } from 'multiformats/bases/base58';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ccpEmulator, ccpSeedDocument, createCcpAdapter, CCP_SANDBOX_ERRORS } from '../../adapters/ccp/index.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { createDid, deactivateDid, startSandbox, updateDid, type Sandbox } from '../../src/sandbox/index.js';
import type { DIDResolutionResult, ResolutionOptions } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { errorName, multikeyHex as multikey } from '../helpers/results.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ccp/${path}`, import.meta.url), 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const LD = { accept: 'application/did+ld+json' };

function detail(result: DIDResolutionResult): string {
  return String(result.didResolutionMetadata.error?.detail ?? '');
}

describe('did:ccp resolution against the sandbox emulator', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let seed: Awaited<ReturnType<typeof ccpSeedDocument>>;
  let upstreamRequests = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [ccpEmulator()], onRequest: (event) => void (event.mount === 'ccp' && upstreamRequests++) });
    resolver = new Resolver({ adapters: [createCcpAdapter({ baseUrl: sandbox.baseUrlFor('ccp'), timeoutMs: 1500 })], cache: false });
    seed = await ccpSeedDocument();
  });
  afterAll(async () => {
    await resolver?.close();
    await sandbox?.close();
  });
  afterEach(() => sandbox.faults.clear());

  const create = () => createDid({ emulator: ccpEmulator(), ctx: sandbox.contextFor('ccp'), params: { keyType: 'secp256k1' } });

  it('resolves the seeded specification Base DID Document to the golden W3C document', async () => {
    const result = await resolver.resolve(seed.did, LD);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(fixture('expected/01-spec-base-did-document.json').didDocument);
    expect(result.didDocumentMetadata).toMatchObject({ created: '2019-10-21T11:12:13Z', updated: '2019-10-21T11:17:49Z', versionId: '1' });
    const rules = (result.didResolutionMetadata.didbridgeChanges ?? []).map((c) => c.rule);
    expect(rules).toEqual(expect.arrayContaining(['ccp.reference-repaired', 'ccp.key-unusable', 'ccp.recovery-preserved', 'ccp.version-to-metadata-versionId']));
    // The upstream's request id is reported.
    expect(result.didResolutionMetadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers NOT_FOUND for a valid DID the resolver does not know (the sandbox\'s {code: 404} envelope)', async () => {
    const result = await resolver.resolve('did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd');
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(detail(result)).toContain(`code ${CCP_SANDBOX_ERRORS.notFound.code}`);
  });

  it('resolves a created DID to its key, and the DID is the hash of its Base DID Document (self-consistent only)', async () => {
    const key = await create();
    const result = await resolver.resolve(key.did, LD);
    expect(errorName(result)).toBeUndefined();
    const vm = result.didDocument!.verificationMethod!.find((m) => m.id === key.verificationMethodId)!;
    // The key file's private key gives the document's key (recomputed with @noble/curves).
    const publicKey = secp256k1.getPublicKey(Buffer.from(key.privateKeyHex, 'hex'), true);
    expect(multikey(vm.publicKeyMultibase)).toBe(`e7:${hex(publicKey)}`);
    expect(result.didDocument!.authentication).toEqual([key.verificationMethodId]);
    expect(result.didDocument!.assertionMethod).toEqual([key.verificationMethodId]);
    // Known answer of the derivation: base58btc(RIPEMD-160(SHA-256(Base DID Document text))), recomputed here.
    const record = sandbox.store.get(key.did)!;
    const baseText = String(record.extra.baseDocument);
    expect(key.did).toBe(`did:ccp:${base58btc.encode(ripemd160(sha256(new TextEncoder().encode(baseText)))).slice(1)}`);
    const base = JSON.parse(baseText);
    expect(base.publicKey[0]).toEqual({ id: '#keys-1', type: 'Secp256k1', publicKeyHex: hex(publicKey) });
    expect(base.authentication).toEqual(['#keys-1']);
    expect(base.recovery).toEqual(['#keys-2']);
  });

  it('passes versionId through: each version resolves, an unknown one is NOT_FOUND, a malformed one INVALID_OPTIONS', async () => {
    const key = await create();
    await updateDid({
      emulator: ccpEmulator(),
      ctx: sandbox.contextFor('ccp'),
      params: { did: key.did, service: [{ id: `${key.did}#hub`, type: 'IdentityHub', serviceEndpoint: 'https://hub.example.com/' }] },
    });
    const latest = await resolver.resolve(key.did, LD);
    expect(latest.didDocumentMetadata.versionId).toBe('2');
    expect(latest.didDocument!.service).toEqual([{ id: `${key.did}#hub`, type: 'IdentityHub', serviceEndpoint: 'https://hub.example.com/' }]);
    const first = await resolver.resolve(key.did, { ...LD, versionId: '1' });
    expect(first.didDocumentMetadata.versionId).toBe('1');
    expect(first.didDocument!.service).toBeUndefined();
    expect(errorName(await resolver.resolve(key.did, { versionId: '3' }))).toBe('NOT_FOUND');
    // Refused before any request reaches the upstream.
    const requestsBefore = upstreamRequests;
    expect(errorName(await resolver.resolve(key.did, { versionId: 'v1' }))).toBe('INVALID_OPTIONS');
    expect(errorName(await resolver.resolve(key.did, { versionTime: '2024-01-01T00:00:00Z' }))).toBe('FEATURE_NOT_SUPPORTED');
    expect(upstreamRequests).toBe(requestsBefore);
  });

  it('reports a deactivated DID with deactivated: true and no document', async () => {
    const key = await create();
    await deactivateDid({ emulator: ccpEmulator(), ctx: sandbox.contextFor('ccp'), params: { did: key.did } });
    const result = await resolver.resolve(key.did);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata.deactivated).toBe(true);
  });

  it('keeps the native document and the preserved data, so a resolution restores the native document', async () => {
    const key = await create();
    const adapter = createCcpAdapter({ baseUrl: sandbox.baseUrlFor('ccp') });
    const http = createHttpClient();
    try {
      const resolution = await adapter.resolve(parseDid(key.did), {}, { http, now: () => new Date() });
      expect(resolution.original).toEqual(sandbox.store.get(key.did)!.document);
      const rendered = adapter.renderers![0]!.render(resolution.didDocument!, resolution.didDocumentMetadata);
      expect(JSON.stringify(rendered.document)).toBe(sandbox.store.get(key.did)!.documentJson);
    } finally {
      await http.close();
    }
  });

  describe('fault injection: every failure is INTERNAL_ERROR naming the upstream', () => {
    it.each([
      ['HTTP 503 with an empty body', { kind: 'status', status: 503 }, /Baidu DID resolver answered HTTP 503 with a body that is not JSON/],
      ['HTTP 500 with a JSON body that is no envelope', { kind: 'status', status: 500, body: '{"error":"boom"}', contentType: 'application/json' }, /HTTP 500 with an envelope whose "code" is missing/],
      ['a garbage body', { kind: 'garbage' }, /HTTP 200 with a body that is not JSON/],
      ['a connection reset', { kind: 'reset' }, /Baidu DID resolver: request to 127\.0\.0\.1:\d+ failed/],
      ['an oversized body', { kind: 'oversized' }, /Baidu DID resolver: response from 127\.0\.0\.1:\d+ is \d+ bytes; the limit is 1048576/],
      ['an oversized chunked body', { kind: 'oversized', chunked: true }, /exceeds the limit of 1048576 bytes/],
      ['a slow answer', { kind: 'delay', delayMs: 5000 }, /no answer from 127\.0\.0\.1:\d+ within 1500 ms/],
    ] as const)('%s', async (_name, fault, pattern) => {
      sandbox.faults.add({ ...fault, mount: 'ccp' });
      const started = Date.now();
      const result = await resolver.resolve(seed.did);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(detail(result)).toMatch(pattern);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('the caller\'s abort signal ends the upstream request early', async () => {
      sandbox.faults.add({ kind: 'delay', delayMs: 5000, mount: 'ccp' });
      const adapter = createCcpAdapter({ baseUrl: sandbox.baseUrlFor('ccp'), timeoutMs: 10_000 });
      const http = createHttpClient();
      const started = Date.now();
      try {
        await expect(
          adapter.resolve(parseDid(seed.did), {}, { http, signal: AbortSignal.timeout(200), now: () => new Date() }),
        ).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
        expect(Date.now() - started).toBeLessThan(3000);
      } finally {
        await http.close();
      }
    });
  });
});

// ---- a loopback server replaying recorded and malformed answers -----------------------------------------------------

interface Reply {
  status: number;
  contentType: string;
  body: string | object;
}
interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe('did:ccp resolution against recorded answers served from loopback', () => {
  let server: Server;
  let baseUrl: string;
  let reply: Reply;
  const seen: SeenRequest[] = [];
  const responses = fixture('invalid/responses.json');
  const DID: string = responses.did;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      req.resume();
      req.on('end', () => {
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': reply.contentType }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function resolveWith(answer: Reply, options: ResolutionOptions = {}, config = {}): Promise<DIDResolutionResult> {
    reply = answer;
    const resolver = new Resolver({ adapters: [createCcpAdapter({ baseUrl, ...config })], cache: false });
    try {
      return await resolver.resolve(DID, options);
    } finally {
      await resolver.close();
    }
  }

  it('sends GET {baseUrl}/v1/did/resolve/{did}, with ?versionId= and the configured headers', async () => {
    const ok = { status: 200, contentType: 'application/json;charset=UTF-8', body: fixture('constructed/02-resolve-response.json') };
    seen.length = 0;
    await resolveWith(ok, { versionId: '2' }, { headers: { 'x-api-key': 'k-123' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: `/api/v1/did/resolve/${DID}?versionId=2` });
    expect(seen[0]!.headers['x-api-key']).toBe('k-123');
    expect(seen[0]!.headers.accept).toBe('application/json');
  });

  it('translates the recorded success envelope to the golden document (fixtures/ccp/expected/02)', async () => {
    const expected = fixture('expected/02-resolve-response.json');
    const result = await resolveWith({ status: 200, contentType: 'application/json', body: fixture('constructed/02-resolve-response.json') }, LD);
    expect(result.didDocument).toEqual(expected.didDocument);
    const { didbridgePreserved, ...metadata } = result.didDocumentMetadata;
    expect(metadata).toEqual(expected.didDocumentMetadata);
    expect(didbridgePreserved).toMatchObject({ format: 'application/json', method: 'ccp', shape: 'ccp' });
  });

  it('reads a code written as a string and envelope members in another case', async () => {
    const recorded = fixture('constructed/02-resolve-response.json');
    const shouted = { Code: '0', Message: 'OK', RequestID: 'r-1', Content: { DidDocument: recorded.content.didDocument } };
    const result = await resolveWith({ status: 200, contentType: 'application/json', body: shouted }, LD);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(fixture('expected/02-resolve-response.json').didDocument);
    expect(result.didResolutionMetadata.requestId).toBe('r-1');
  });

  it('reads deactivation from content.didDocumentMetadata', async () => {
    const recorded = fixture('constructed/02-resolve-response.json');
    recorded.content.didDocumentMetadata = { deactivated: true };
    const result = await resolveWith({ status: 200, contentType: 'application/json', body: recorded });
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata.deactivated).toBe(true);
  });

  it('maps the codes a deployment lists in notFoundCodes to NOT_FOUND', async () => {
    const answer = { status: 200, contentType: 'application/json', body: '{"code":2001,"message":"invalid identifier state"}' };
    expect(errorName(await resolveWith(answer))).toBe('INTERNAL_ERROR');
    expect(errorName(await resolveWith(answer, {}, { notFoundCodes: [2001] }))).toBe('NOT_FOUND');
  });

  it('refuses a document listing more keys than maxEntries (default 256), and reads it when the limit allows', async () => {
    const recorded = fixture('constructed/02-resolve-response.json');
    const key = recorded.content.didDocument.publicKey[0];
    recorded.content.didDocument.publicKey = Array.from({ length: 300 }, (_, i) => ({ ...key, id: `${DID}#key-${i + 1}` }));
    const answer = { status: 200, contentType: 'application/json', body: recorded };
    const refused = await resolveWith(answer);
    expect(errorName(refused)).toBe('INVALID_DID_DOCUMENT');
    expect(detail(refused)).toMatch(/lists 300 entries under "publicKey"; at most 256 are read \(maxEntries\)/);
    const read = await resolveWith(answer, {}, { maxEntries: 300 });
    expect(read.didDocument?.verificationMethod).toHaveLength(300);
  });

  it.each(responses.cases as Array<Reply & { name: string; error: string; detail: string }>)('$name → $error', async (testCase) => {
    const result = await resolveWith(testCase);
    expect(errorName(result)).toBe(testCase.error);
    expect(detail(result)).toMatch(new RegExp(testCase.detail));
    expect(result.didDocument).toBeNull();
  });
});

describe('did:ccp adapter configuration', () => {
  it.each([
    [{ baseUrl: 'ftp://example.com' }, /"baseUrl" must be an http or https URL/],
    [{ baseUrl: 'not a url' }, /"baseUrl" must be an absolute http\(s\) URL/],
    [{ baseUrl: 'https://example.com/?a=1' }, /must not have a query/],
    [{ baseUrl: 'https://user:pw@example.com' }, /must not carry credentials/],
    [{ timeoutMs: 0 }, /"timeoutMs" must be an integer from 1 to 600000/],
    [{ maxBytes: -1 }, /"maxBytes"/],
    [{ headers: { 'bad header': 'x' } }, /invalid header name/],
    [{ headers: { 'x-a': 'line\r\nbreak' } }, /without line breaks/],
    [{ notFoundCodes: [0] }, /"notFoundCodes"/],
    [{ maxEntries: 0 }, /"maxEntries" must be an integer from 1 to 100000/],
    [{ testIdentifiers: ['did:key:z6Mk'] }, /not a did:ccp DID/],
    [{ baseUrl: 'https://example.com', nope: 1 }, /unknown did:ccp adapter setting "nope"/],
  ])('refuses %j with a TypeError naming the setting', (config, message) => {
    expect(() => createCcpAdapter(config as never)).toThrow(TypeError);
    expect(() => createCcpAdapter(config as never)).toThrow(message);
  });

  it('declares its capabilities: versionId, cacheable; the UR test identifiers by default', () => {
    const adapter = createCcpAdapter();
    expect(adapter.capabilities).toMatchObject({ versionId: true, cacheable: true });
    expect(adapter.capabilities.versionTime).toBeFalsy();
    expect(adapter.testIdentifiers()).toEqual(['did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw', 'did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd']);
    expect(adapter.renderers?.map((r) => r.shape)).toEqual(['ccp']);
  });
});
