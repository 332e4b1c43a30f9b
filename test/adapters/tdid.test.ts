/**
 * did:tdid: identifiers, translation of the specification's document (golden), the §6 known answer, round trips,
 * and resolution through the Resolver against the sandbox emulator (GetTDidDocument envelope, no signing) and
 * against recorded responses served from loopback, including errors, malformed answers and injected faults.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTdidAdapter, TDID_DID_PATTERN, tdidEmulator } from '../../adapters/tdid/index.js';
import { PRESERVED_MEMBER, wrapPreserved } from '../../adapters/weid/preserved.js';
import { renderFamilyDocument } from '../../adapters/weid/render.js';
import { translateFamily, translateFamilyDocument } from '../../adapters/weid/translate.js';
import { checkDocument } from '../../conformance/checks/did-core.js';
import { DidBridgeError } from '../../src/errors.js';
import { decodeDecimalPublicKey, encodeDecimalPublicKey } from '../../src/keys/codecs.js';
import { compressPoint, decompressPoint } from '../../src/keys/curves.js';
import { deriveDid } from '../../src/keys/derive.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { decodeMultikey, encodeMultikey } from '../../src/keys/multikey.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { createDid, deactivateDid, updateDid } from '../../src/sandbox/operations.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import type { DIDDocument, DIDResolutionResult, JsonObject } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { startTestServer, type TestServer } from '../helpers/https-server.js';
import { errorName } from '../helpers/results.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/tdid');
const readText = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const readJson = (path: string) => JSON.parse(readText(path));

const SPEC = readJson('upstream/01-spec-tdid-document.json');
const SPEC_DID = SPEC.id as string;

const errorDetail = (r: DIDResolutionResult) => r.didResolutionMetadata.error?.detail ?? '';
const mustFailures = (doc: unknown, metadata?: unknown) =>
  checkDocument(doc, { representation: 'application/did+ld+json', ...(metadata === undefined ? {} : { metadata }) })
    .filter((c) => c.level === 'MUST' && c.status === 'fail')
    .map((c) => c.check);

describe('did:tdid identifiers (domestic-methods.md §6)', () => {
  const adapter = createTdidAdapter();
  it.each([SPEC_DID, 'did:tdid:w1:0x05cdde231b90dbcb1e0a9e7a616bf17c7168c2ac', 'did:tdid:abcdefghij:0x1E7115081C178459BE8D3844DD129B2234EDC6BE'])('accepts %s', (did) => {
    expect(TDID_DID_PATTERN.test(did)).toBe(true);
    expect(() => adapter.validate!(parseDid(did))).not.toThrow();
  });
  it.each(readJson('invalid/identifiers.json').cases as Array<{ did: string; why: string }>)('rejects $did ($why)', ({ did }) => {
    expect(TDID_DID_PATTERN.test(did)).toBe(false);
    expect(() => adapter.validate!(parseDid(did))).toThrow(expect.objectContaining({ code: 'INVALID_DID' }));
  });
});

describe('translation', () => {
  const adapter = createTdidAdapter();

  it('the specification document equals the golden file and conforms', () => {
    const golden = readJson('expected/01-spec-tdid-document.json');
    expect(adapter.recognise!(SPEC)).toBe(true);
    expect(adapter.recognise!({ id: 'did:weid:1:0x1e7115081c178459be8d3844dd129b2234edc6be' })).toBe(false);
    const t = adapter.translate!(SPEC);
    expect(t.didDocument).toStrictEqual(golden.didDocument);
    expect(t.didDocumentMetadata).toStrictEqual(golden.didDocumentMetadata);
    expect([...new Set(t.changes.map((c) => c.rule))].sort()).toStrictEqual([...golden.rules].sort());
    expect(mustFailures(t.didDocument, { ...t.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(t.preserved as JsonObject) })).toStrictEqual([]);
  });

  it('§6 known answer: the decimal key gives the address of the DID (the WeIdentity derivation unchanged)', () => {
    const xy = decodeDecimalPublicKey(SPEC.verificationMethod[0].publicKey);
    expect(`0x${Buffer.from(keccak_256(xy)).toString('hex').slice(24)}`).toBe('0x1e7115081c178459be8d3844dd129b2234edc6be');
    const t = adapter.translate!(SPEC);
    const key = decodeMultikey(t.didDocument.verificationMethod![0]!.publicKeyMultibase);
    expect(deriveDid({ method: 'tdid', publicKey: key, chainId: 'cb534-15' }).did).toBe(SPEC_DID);
  });

  it('round trip native → W3C → native restores the document, updated: null included', () => {
    const t = translateFamilyDocument(SPEC, { method: 'tdid' });
    const metadata = { ...t.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(t.preserved as JsonObject) };
    const [renderer] = createTdidAdapter().renderers!;
    expect(renderer!.shape).toBe('tdid');
    const { document, changes } = renderer!.render(t.didDocument, metadata);
    expect(JSON.stringify(document)).toBe(JSON.stringify(SPEC));
    expect(changes).toStrictEqual([]);
  });

  it('preserved data is the specification document itself; the renderer translates it again to compare', () => {
    const t = adapter.translate!(SPEC);
    expect(t.preserved).toStrictEqual({ method: 'tdid', shape: 'tdid', document: SPEC });
    expect(t.preserved!.document).toBe(SPEC);
    const [renderer] = adapter.renderers!;
    const metadata = (preserved: JsonObject) => ({ ...t.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(preserved) });
    const fromCarried = renderer!.render(t.didDocument, metadata(t.preserved as JsonObject));
    expect(JSON.stringify(fromCarried.document)).toBe(JSON.stringify(SPEC));
    // The earlier piece-by-piece form (what the detailed mode builds) renders the same.
    const earlier = translateFamily(SPEC, { method: 'tdid' }, true).preserved as JsonObject;
    expect(earlier).toMatchObject({ method: 'tdid', shape: 'tdid', order: Object.keys(SPEC) });
    expect(renderer!.render(t.didDocument, metadata(earlier))).toStrictEqual(fromCarried);
    // A carried document whose id is no did:tdid does not translate: as if nothing were preserved (a member with no
    // DID Core place, restored from preserved data only, shows the difference).
    const noted = { ...SPEC, note: 'kept by preserved data only' };
    const tn = adapter.translate!(noted);
    const withNote = renderer!.render(tn.didDocument, { ...tn.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(tn.preserved as JsonObject) });
    expect(withNote.document).toStrictEqual(noted);
    const bare = renderer!.render(tn.didDocument, tn.didDocumentMetadata);
    expect(bare.document).not.toHaveProperty('note');
    const invalid = { method: 'tdid', shape: 'tdid', document: { ...noted, id: 'did:tdid:UPPER:0x1e7115081c178459be8d3844dd129b2234edc6be' } };
    expect(renderer!.render(tn.didDocument, { ...tn.didDocumentMetadata, [PRESERVED_MEMBER]: wrapPreserved(invalid) })).toStrictEqual(bare);
    // An edited key is rendered from the W3C document, not from the stale original.
    const other = generateKeyPair({ type: 'secp256k1' });
    const edited = structuredClone(t.didDocument) as DIDDocument;
    edited.verificationMethod![0]!.publicKeyMultibase = encodeMultikey({ type: 'secp256k1', bytes: other.publicKey });
    const r = renderer!.render(edited, metadata(t.preserved as JsonObject));
    expect(((r.document as JsonObject).verificationMethod as JsonObject[])[0]!.publicKey).toBe(encodeDecimalPublicKey(decompressPoint('secp256k1', other.publicKey)));
    expect(r.changes.map((c) => c.rule)).toContain('tdid.render.original-superseded');
    expect((r.document as JsonObject).created).toBe(SPEC.created);
  });

  it('round trip W3C → TDID → W3C keeps the secp256k1 key and its relationships', () => {
    const pair = generateKeyPair({ type: 'secp256k1' });
    const fingerprint = encodeMultikey({ type: 'secp256k1', bytes: pair.publicKey });
    const did = `did:key:${fingerprint}`;
    const id = `${did}#${fingerprint}`;
    const w3c: DIDDocument = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint }],
      authentication: [id],
      assertionMethod: [id],
      capabilityInvocation: [id],
    };
    const bare = renderFamilyDocument({ shape: 'tdid', document: w3c, carry: false });
    expect((bare.document.verificationMethod as JsonObject[])[0]).toStrictEqual({
      id: `${did}#keys-0`,
      type: 'Secp256k1',
      controller: did,
      publicKey: encodeDecimalPublicKey(decompressPoint('secp256k1', pair.publicKey)),
    });
    const back = translateFamilyDocument(bare.document, { method: 'tdid', anyDid: true }).didDocument;
    expect(back.verificationMethod!.map((m) => m.publicKeyMultibase)).toStrictEqual([fingerprint]);
    expect(back.authentication).toStrictEqual([`${did}#keys-0`]);
    expect(back.assertionMethod).toStrictEqual([`${did}#keys-0`]);
    const carried = renderFamilyDocument({ shape: 'tdid', document: w3c });
    expect(translateFamilyDocument(carried.document, { method: 'tdid', anyDid: true }).didDocument).toStrictEqual(w3c);
    // SM2 keys have no place in TDID (secp256k1 only).
    const sm2 = generateKeyPair({ type: 'SM2' });
    const withSm2 = { ...w3c, verificationMethod: [...w3c.verificationMethod!, { id: `${did}#sm2`, type: 'Multikey', controller: did, publicKeyMultibase: encodeMultikey({ type: 'SM2', bytes: sm2.publicKey }) }] };
    const r = renderFamilyDocument({ shape: 'tdid', document: withSm2, carry: false });
    expect(r.document.verificationMethod).toHaveLength(1);
    expect(r.changes.find((c) => c.rule === 'tdid.render.key-left-out')?.reason).toMatch(/secp256k1 keys only.*SM2/);
  });

  it('in-document deactivated and versionId move to metadata', () => {
    const t = translateFamilyDocument({ ...SPEC, deactivated: true, versionId: 3 }, { method: 'tdid' });
    expect(t.didDocumentMetadata).toStrictEqual({ created: '2022-01-24T02:46:41Z', deactivated: true, versionId: '3' });
    expect(t.didDocument).not.toHaveProperty('deactivated');
  });
});

let http: UndiciHttpClient;
beforeAll(() => {
  http = createHttpClient({ timeoutMs: 5000 });
});
afterAll(async () => {
  await http.close();
});

describe('resolution against the sandbox emulator', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [tdidEmulator()] });
    resolver = new Resolver({ adapters: [createTdidAdapter({ baseUrl: sandbox.baseUrlFor('tdid'), timeoutMs: 1500, region: 'ap-guangzhou' })], http, cache: false });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => sandbox.faults.clear());
  const ctx = () => sandbox.contextFor('tdid');
  const emulator = () => sandbox.emulators.get('tdid')!;

  it('resolves the seeded specification document and renders it back', async () => {
    const r = await resolver.resolve(SPEC_DID);
    expect(errorName(r)).toBeUndefined();
    expect(r.didDocument).toStrictEqual(readJson('expected/01-spec-tdid-document.json').didDocument);
    expect(r.didDocumentMetadata.created).toBe('2022-01-24T02:46:41Z');
    expect(r.didResolutionMetadata.upstreamRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mustFailures(r.didDocument, r.didDocumentMetadata)).toStrictEqual([]);
    const { document } = createTdidAdapter().renderers![0]!.render(r.didDocument!, r.didDocumentMetadata);
    expect(document).toStrictEqual(SPEC);
  });

  it('NOT_FOUND for an unknown DID (ResourceNotFound)', async () => {
    const r = await resolver.resolve('did:tdid:w1:0x00000000000000000000000000000000000000ff');
    expect(errorName(r)).toBe('NOT_FOUND');
    expect(errorDetail(r)).toMatch(/ResourceNotFound/);
  });

  it('a created DID: derived address, decimal key, created in epoch seconds; deactivation', async () => {
    const key = await createDid({ emulator: emulator(), ctx: ctx(), params: { keyType: 'secp256k1', routerId: 'tx-1' } });
    const uncompressed = Buffer.from(key.publicKeyHex, 'hex');
    expect(key.did).toBe(`did:tdid:tx-1:0x${Buffer.from(keccak_256(uncompressed.subarray(1))).toString('hex').slice(24)}`);
    const stored = sandbox.store.get(key.did)!;
    expect(stored.document).toMatchObject({ updated: null, verificationMethod: [{ type: 'Secp256k1', publicKey: encodeDecimalPublicKey(uncompressed) }] });
    const r = await resolver.resolve(key.did);
    expect(errorName(r)).toBeUndefined();
    expect(decodeMultikey(r.didDocument!.verificationMethod![0]!.publicKeyMultibase)).toStrictEqual({ type: 'secp256k1', bytes: compressPoint('secp256k1', uncompressed) });
    expect(r.didDocumentMetadata.created).toBe(stored.created.replace(/\.\d+Z$/, 'Z'));
    expect(mustFailures(r.didDocument, r.didDocumentMetadata)).toStrictEqual([]);

    await deactivateDid({ emulator: emulator(), ctx: ctx(), params: { did: key.did } });
    const gone = await resolver.resolve(key.did);
    expect(errorName(gone)).toBeUndefined();
    expect(gone.didDocument).toBeNull();
    expect(gone.didDocumentMetadata.deactivated).toBe(true);
    await expect(createDid({ emulator: emulator(), ctx: ctx(), params: { keyType: 'sm2' } })).rejects.toMatchObject({ reason: 'UNSUPPORTED_KEY_TYPE' });
    // TDID has no update operation; the generic admin path needs a document.
    await expect(updateDid({ emulator: emulator(), ctx: ctx(), params: { did: SPEC_DID } })).rejects.toMatchObject({ reason: 'NOT_SUPPORTED' });
  });

  it.each([
    ['5xx', { kind: 'status', status: 503 }, /HTTP 503/],
    ['garbage', { kind: 'garbage' }, /not JSON/],
    ['timeout', { kind: 'delay', delayMs: 4000 }, /within 1500 ms/],
    ['reset', { kind: 'reset' }, /failed/],
    ['oversized', { kind: 'oversized' }, /limit/],
  ] as const)('fault %s → INTERNAL_ERROR', async (_name, fault, detail) => {
    sandbox.faults.add({ mount: 'tdid', ...fault } as never);
    const r = await resolver.resolve(SPEC_DID);
    expect(errorName(r)).toBe('INTERNAL_ERROR');
    expect(errorDetail(r)).toMatch(detail);
  });

  it('no baseUrl: METHOD_NOT_SUPPORTED saying the Tencent Cloud API needs a signing proxy', async () => {
    const r = await new Resolver({ adapters: [createTdidAdapter()], http, cache: false }).resolve(SPEC_DID);
    expect(errorName(r)).toBe('METHOD_NOT_SUPPORTED');
    expect(errorDetail(r)).toMatch(/signing proxy/);
    expect(createTdidAdapter().testIdentifiers()).toStrictEqual([]);
  });

  it('passes the caller\'s abort signal', async () => {
    sandbox.faults.add({ mount: 'tdid', kind: 'delay', delayMs: 5000 });
    const adapter = createTdidAdapter({ baseUrl: sandbox.baseUrlFor('tdid'), timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const err = await adapter.resolve(parseDid(SPEC_DID), {}, { http, now: () => new Date(), signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DidBridgeError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    [{ baseUrl: 'tdid.tencentcloudapi.com' }, /"baseUrl"/],
    [{ region: 'AP GZ' }, /"region"/],
    [{ dapId: -1 }, /"dapId"/],
    [{ testIdentifiers: ['did:weid:1:0x1e7115081c178459be8d3844dd129b2234edc6be'] }, /"testIdentifiers"/],
  ])('configuration %j is a TypeError naming the parameter', (config, message) => {
    expect(() => createTdidAdapter(config as never)).toThrow(message);
  });
});

describe('resolution against recorded responses served from loopback', () => {
  let server: TestServer;
  let body: { status: number; text: string; contentType: string };
  let received: Array<{ headers: IncomingMessage['headers']; body: string; path: string }>;
  let resolver: Resolver;
  beforeAll(async () => {
    received = [];
    server = await startTestServer({ tls: false });
    server.route('/', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' });
        res.writeHead(body.status, { 'content-type': body.contentType });
        res.end(body.text);
      });
    });
    resolver = new Resolver({ adapters: [createTdidAdapter({ baseUrl: `http://127.0.0.1:${server.port}`, dapId: 1, region: 'ap-guangzhou', headers: { authorization: 'proxy-token' } })], http, cache: false });
  });
  afterAll(async () => {
    await server.close();
  });
  const serve = (text: string, status = 200, contentType = 'application/json') => {
    body = { status, text, contentType };
  };

  it('success: sends the GetTDidDocument envelope and reads the Document string', async () => {
    const response = readJson('upstream/responses/success.json');
    serve(response.body);
    const r = await resolver.resolve(response.did);
    expect(errorName(r)).toBeUndefined();
    expect(r.didDocument).toStrictEqual(readJson('expected/01-spec-tdid-document.json').didDocument);
    expect(r.didResolutionMetadata.upstreamRequestId).toBe('6a0e5bd4-3f4f-4b4b-9d25-4b1b6f2b9c11');
    const sent = received.at(-1)!;
    expect(sent.path).toBe('/');
    expect(JSON.parse(sent.body)).toStrictEqual({ Did: SPEC_DID, DAPId: 1 });
    expect(sent.headers).toMatchObject({ 'x-tc-action': 'GetTDidDocument', 'x-tc-version': '2021-05-19', 'x-tc-region': 'ap-guangzhou', authorization: 'proxy-token' });
    expect(sent.headers['x-tc-timestamp']).toMatch(/^\d{10}$/);
  });

  it('deactivated.json → deactivated result with versionId', async () => {
    const response = readJson('upstream/responses/deactivated.json');
    serve(response.body);
    const r = await resolver.resolve(response.did);
    expect(r.didDocument).toBeNull();
    expect(r.didDocumentMetadata).toMatchObject({ deactivated: true, versionId: '2' });
  });

  it.each([
    ['not-found.json', 'NOT_FOUND', /ResourceNotFound/],
    ['auth-failure.json', 'INTERNAL_ERROR', /AuthFailure\.SignatureFailure.*signing proxy/],
    ['internal-error.json', 'INTERNAL_ERROR', /InternalError/],
  ])('%s → %s', async (file, code, detail) => {
    const response = readJson(`upstream/responses/${file}`);
    serve(response.body);
    const r = await resolver.resolve(response.did);
    expect(errorName(r)).toBe(code);
    expect(errorDetail(r)).toMatch(detail);
  });

  it.each(readJson('invalid/responses.json').cases as Array<{ name: string; did: string; status: number; body: string; contentType?: string; error: string; detail: string }>)(
    'malformed: $name → $error',
    async (c) => {
      serve(c.body, c.status, c.contentType);
      const r = await resolver.resolve(c.did);
      expect(errorName(r)).toBe(c.error);
      expect(errorDetail(r)).toMatch(new RegExp(c.detail));
    },
  );
});
