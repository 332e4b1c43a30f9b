/**
 * did:ctid resolution through the core Resolver: against the sandbox emulator (the seeded specification document,
 * created, updated and revoked DIDs, the emulator's own write endpoints, fault injection) and against recorded and
 * malformed service answers served from a loopback HTTP server (fixtures/ctid/invalid/responses.json). Nothing
 * leaves 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sm2, sm3 as sm3Oracle } from 'sm-crypto-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCtidAdapter, ctidEmulator, CTID_SANDBOX_ERRORS, CTID_SANDBOX_OPERATOR_PUBLIC_KEY } from '../../adapters/ctid/index.js';
import { sm2Verify } from '../../src/keys/sm2.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { createDid, deactivateDid, startSandbox, updateDid, type Sandbox } from '../../src/sandbox/index.js';
import type { DIDResolutionResult, JsonObject } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { errorName, multikeyHex as multikey } from '../helpers/results.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ctid/${path}`, import.meta.url), 'utf8'));
const LD = { accept: 'application/did+ld+json' };
const SPEC_DID = 'did:ctid:16D44117484372A2D010BDAA56703E723FB4C5C06CA44105F0C9C5B8020A7073';

function detail(result: DIDResolutionResult): string {
  return String(result.didResolutionMetadata.error?.detail ?? '');
}

describe('did:ctid resolution against the sandbox emulator', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;

  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [ctidEmulator()] });
    resolver = new Resolver({ adapters: [createCtidAdapter({ baseUrl: sandbox.baseUrlFor('ctid'), timeoutMs: 1500 })], cache: false });
  });
  afterAll(async () => {
    await resolver?.close();
    await sandbox?.close();
  });
  afterEach(() => sandbox.faults.clear());

  const create = (params: Record<string, string> = {}) =>
    createDid({ emulator: ctidEmulator(), ctx: sandbox.contextFor('ctid'), params: { keyType: 'sm2', ...params } });
  const post = async (operation: string, body: unknown) => {
    const res = await fetch(`${sandbox.baseUrlFor('ctid')}/didservice/v1/did/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as JsonObject;
  };

  it('resolves the seeded specification read response to the golden W3C document, with txid and blockHeight', async () => {
    const result = await resolver.resolve(SPEC_DID, LD);
    expect(errorName(result)).toBeUndefined();
    const expected = fixture('expected/01-spec-ctid-document.json');
    expect(result.didDocument).toEqual(expected.didDocument);
    const { didbridgePreserved, ...metadata } = result.didDocumentMetadata;
    expect(metadata).toEqual(expected.didDocumentMetadata);
    expect(didbridgePreserved).toMatchObject({ method: 'ctid', shape: 'ctid' });
    expect(result.didResolutionMetadata).toMatchObject({ txid: '236357c77285355f64b99b2ac2a1f…', blockHeight: '155522625' });
  });

  it('answers NOT_FOUND for a valid DID the service does not hold', async () => {
    const result = await resolver.resolve(`did:ctid:${'A'.repeat(64)}`);
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(detail(result)).toContain(`code "${CTID_SANDBOX_ERRORS.notFound.code}"`);
  });

  it('creates from identity attributes: the id is the upper-case SM3 of the attribute text (recomputed with sm-crypto-v2)', async () => {
    const attributes = 'synthetic|张三|110101199003070000';
    const key = await create({ attributes });
    expect(key.did).toBe(`did:ctid:${sm3Oracle(attributes).toUpperCase()}`);
    // The attributes are personal data: the sandbox keeps only the derived id.
    expect(JSON.stringify(sandbox.store.get(key.did))).not.toContain('110101199003070000');
    const result = await resolver.resolve(key.did, LD);
    expect(errorName(result)).toBeUndefined();
    const vm = result.didDocument!.verificationMethod![0]!;
    expect(vm.id).toBe(key.verificationMethodId);
    // The key file's private key gives the document's key (recomputed with sm-crypto-v2).
    const publicKey = sm2.getPublicKeyFromPrivateKey(key.privateKeyHex);
    expect(multikey(vm.publicKeyMultibase)).toBe(`1206:${sm2.compressPublicKeyHex(publicKey)}`);
    expect(result.didDocument!.authentication).toEqual([key.verificationMethodId]);
    expect(result.didDocument!.assertionMethod).toEqual([key.verificationMethodId]);
    expect(result.didDocumentMetadata.versionId).toBe('v1');
    expect(result.didResolutionMetadata.txid).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to create the same identity twice', async () => {
    await create({ attributes: 'synthetic|twice' });
    await expect(create({ attributes: 'synthetic|twice' })).rejects.toMatchObject({ reason: 'DID_EXISTS' });
  });

  it('signs created documents as the sandbox operator (DER SM2, default user id), which the adapter only reports', async () => {
    const key = await create();
    const stored = sandbox.store.get(key.did)!.document as JsonObject;
    const { proof, ...unsigned } = stored;
    const signature = Buffer.from(String((proof as JsonObject).signatureValue), 'hex');
    expect(signature[0]).toBe(0x30);
    expect(sm2Verify(JSON.stringify(unsigned), signature, Buffer.from(CTID_SANDBOX_OPERATOR_PUBLIC_KEY, 'hex'), { encoding: 'der' })).toBe(true);
    const result = await resolver.resolve(key.did);
    expect(result.didDocumentMetadata.proof).toEqual(proof);
  });

  it('an update bumps versionId (v2) and the update time', async () => {
    const key = await create();
    const record = await updateDid({ emulator: ctidEmulator(), ctx: sandbox.contextFor('ctid'), params: { did: key.did } });
    expect((record.document as JsonObject).versionId).toBe('v2');
    const result = await resolver.resolve(key.did);
    expect(result.didDocumentMetadata.versionId).toBe('v2');
  });

  it('a revoked DID resolves as deactivated: true with no document', async () => {
    const key = await create();
    const record = await deactivateDid({ emulator: ctidEmulator(), ctx: sandbox.contextFor('ctid'), params: { did: key.did } });
    expect((record.document as JsonObject).revoked).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const result = await resolver.resolve(key.did);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata.deactivated).toBe(true);
  });

  it('speaks the specification\'s write API: create, update and del over POST', async () => {
    const did = `did:ctid:${'C'.repeat(64)}`;
    const doc = { ...fixture('upstream/01-spec-ctid-document.json'), id: did };
    doc.authentication = doc.authentication.map((k: JsonObject) => ({ ...k, id: String(k.id).replace(SPEC_DID, did) }));
    expect(await post('create', { did, operate: 'create', doc })).toMatchObject({ code: '200', msg: 'ok' });
    expect(await post('create', { did, operate: 'create', doc })).toMatchObject(CTID_SANDBOX_ERRORS.exists);
    expect(await post('get', { did })).toMatchObject({ code: '200', doc });
    expect((await resolver.resolve(did)).didDocument?.id).toBe(did);
    expect(await post('update', { did, operate: 'update', doc })).toMatchObject({ code: '200' });
    expect(((await post('get', { did })).doc as JsonObject).versionId).toBe('v2');
    expect(await post('del', { did, operate: 'delete' })).toMatchObject({ code: '200' });
    expect(await post('del', { did, operate: 'delete' })).toMatchObject(CTID_SANDBOX_ERRORS.revoked);
    expect((await resolver.resolve(did)).didDocumentMetadata.deactivated).toBe(true);
    expect(await post('get', { nope: 1 })).toMatchObject(CTID_SANDBOX_ERRORS.invalidRequest);
    expect(await post('update', { did: `did:ctid:${'D'.repeat(64)}`, operate: 'update', doc: { id: `did:ctid:${'D'.repeat(64)}` } })).toMatchObject(CTID_SANDBOX_ERRORS.notFound);
  });

  it('without a configured service, valid DIDs are METHOD_NOT_SUPPORTED and invalid ones still INVALID_DID', async () => {
    const bare = new Resolver({ adapters: [createCtidAdapter()], cache: false });
    try {
      const result = await bare.resolve(SPEC_DID);
      expect(errorName(result)).toBe('METHOD_NOT_SUPPORTED');
      expect(detail(result)).toMatch(/"baseUrl"/);
      expect(errorName(await bare.resolve(SPEC_DID.toLowerCase()))).toBe('INVALID_DID');
    } finally {
      await bare.close();
    }
  });

  describe('fault injection: every failure is INTERNAL_ERROR naming the upstream', () => {
    it.each([
      ['HTTP 503 with an empty body', { kind: 'status', status: 503 }, /CTID DID service answered HTTP 503 with a body that is not JSON/],
      ['a garbage body', { kind: 'garbage' }, /HTTP 200 with a body that is not JSON/],
      ['a connection reset', { kind: 'reset' }, /CTID DID service: request to 127\.0\.0\.1:\d+ failed/],
      ['an oversized body', { kind: 'oversized' }, /CTID DID service: response from 127\.0\.0\.1:\d+ is \d+ bytes; the limit is 1048576/],
      ['an oversized chunked body', { kind: 'oversized', chunked: true }, /exceeds the limit of 1048576 bytes/],
      ['a slow answer', { kind: 'delay', delayMs: 5000 }, /no answer from 127\.0\.0\.1:\d+ within 1500 ms/],
    ] as const)('%s', async (_name, fault, pattern) => {
      sandbox.faults.add({ ...fault, mount: 'ctid', did: SPEC_DID });
      const started = Date.now();
      const result = await resolver.resolve(SPEC_DID);
      expect(errorName(result)).toBe('INTERNAL_ERROR');
      expect(detail(result)).toMatch(pattern);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('the caller\'s abort signal ends the upstream request early', async () => {
      sandbox.faults.add({ kind: 'delay', delayMs: 5000, mount: 'ctid' });
      const adapter = createCtidAdapter({ baseUrl: sandbox.baseUrlFor('ctid'), timeoutMs: 10_000 });
      const http = createHttpClient();
      const started = Date.now();
      try {
        await expect(adapter.resolve(parseDid(SPEC_DID), {}, { http, signal: AbortSignal.timeout(200), now: () => new Date() })).rejects.toMatchObject({
          code: 'INTERNAL_ERROR',
        });
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

describe('did:ctid resolution against recorded answers served from loopback', () => {
  let server: Server;
  let baseUrl: string;
  let reply: Reply;
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const responses = fixture('invalid/responses.json');
  const DID: string = responses.did;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': reply.contentType }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function resolveWith(answer: Reply, config = {}): Promise<DIDResolutionResult> {
    reply = answer;
    const resolver = new Resolver({ adapters: [createCtidAdapter({ baseUrl, ...config })], cache: false });
    try {
      return await resolver.resolve(DID, LD);
    } finally {
      await resolver.close();
    }
  }

  it('sends POST {baseUrl}/didservice/v1/did/get with {"did": …} as JSON and the configured headers', async () => {
    seen.length = 0;
    await resolveWith({ status: 200, contentType: 'application/json', body: fixture('upstream/02-spec-read-response.json') }, { headers: { authorization: 'Bearer t' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/gateway/didservice/v1/did/get' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ did: DID });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers.authorization).toBe('Bearer t');
  });

  it('translates the specification\'s read response to the golden document', async () => {
    const result = await resolveWith({ status: 200, contentType: 'application/json', body: fixture('upstream/02-spec-read-response.json') });
    expect(result.didDocument).toEqual(fixture('expected/01-spec-ctid-document.json').didDocument);
  });

  it('reads a revoked document as deactivated', async () => {
    const result = await resolveWith({ status: 200, contentType: 'application/json', body: fixture('constructed/03-revoked-read-response.json') });
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata.deactivated).toBe(true);
  });

  it('accepts the code as a number and envelope members in another case', async () => {
    const recorded = fixture('upstream/02-spec-read-response.json');
    const body = { CODE: 200, Msg: 'ok', TxId: 'abc', BlockHeight: 7, Doc: recorded.doc };
    const result = await resolveWith({ status: 200, contentType: 'application/json', body });
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument?.id).toBe(DID);
    expect(result.didResolutionMetadata).toMatchObject({ txid: 'abc', blockHeight: '7' });
  });

  it('maps the codes a deployment lists in notFoundCodes to NOT_FOUND', async () => {
    const answer = { status: 200, contentType: 'application/json', body: '{"code":"E1002","msg":"unknown identifier"}' };
    expect(errorName(await resolveWith(answer))).toBe('INTERNAL_ERROR');
    expect(errorName(await resolveWith(answer, { notFoundCodes: ['E1002'] }))).toBe('NOT_FOUND');
  });

  it.each(responses.cases as Array<Reply & { name: string; error: string; detail: string }>)('$name → $error', async (testCase) => {
    const result = await resolveWith(testCase);
    expect(errorName(result)).toBe(testCase.error);
    expect(detail(result)).toMatch(new RegExp(testCase.detail));
    expect(result.didDocument).toBeNull();
  });
});

describe('did:ctid adapter configuration', () => {
  it.each([
    [{ baseUrl: 'file:///etc' }, /"baseUrl" must be an http or https URL/],
    [{ timeoutMs: 600_001 }, /"timeoutMs" must be an integer from 1 to 600000/],
    [{ notFoundCodes: ['200'] }, /"notFoundCodes"/],
    [{ maxEntries: 'many' }, /"maxEntries"/],
    [{ testIdentifiers: [SPEC_DID.toLowerCase()] }, /not a did:ctid DID/],
    [{ endpoint: 'https://x' }, /unknown did:ctid adapter setting "endpoint"/],
  ])('refuses %j with a TypeError naming the setting', (config, message) => {
    expect(() => createCtidAdapter(config as never)).toThrow(TypeError);
    expect(() => createCtidAdapter(config as never)).toThrow(message);
  });

  it('declares no versionId support (the read API has none) and no test identifiers without a deployment', () => {
    const adapter = createCtidAdapter();
    expect(adapter.capabilities.versionId).toBeFalsy();
    expect(adapter.testIdentifiers()).toEqual([]);
    expect(createCtidAdapter({ testIdentifiers: [SPEC_DID] }).testIdentifiers()).toEqual([SPEC_DID]);
    expect(adapter.renderers?.map((r) => r.shape)).toEqual(['ctid']);
  });
});
