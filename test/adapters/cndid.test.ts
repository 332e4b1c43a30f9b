/**
 * did:cndid: the did:bid code under another method name (domestic-methods.md §5) behind the `{status, message,
 * data}` envelope of the did:cndid driver and its resolution service: identifiers, translation of the constructed
 * driver response against its hand-written golden, resolution through the Resolver against the emulator (both API
 * styles) and recorded responses, faults, derivations of created DIDs and round trips.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { translateBifDocument, unwrapBifDocument } from '../../adapters/bid/index.js';
import { translateBifDocumentDetailed } from '../../adapters/bid/translate.js';
import { wrapPreserved } from '../../src/preserved.js';
import {
  CNDID_DID_PATTERN,
  CNDID_TEST_IDENTIFIERS,
  cndidRenderer,
  cndidUpstreamUrl,
  createCndidAdapter,
  type CndidApiStyle,
} from '../../adapters/cndid/index.js';
import { cndidDriverView, cndidEmulator } from '../../adapters/cndid/sandbox.js';
import { checkDocument, mustFailures } from '../../conformance/index.js';
import { DidBridgeError } from '../../src/errors.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { decodeMultikey } from '../../src/keys/multikey.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { rawReply, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import { startSandbox, type Sandbox, type SandboxRequestEvent } from '../../src/sandbox/server.js';
import { type DIDResolutionResult, type JsonObject } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { errorName } from '../helpers/results.js';
import { methodFixtures, type Golden } from '../helpers/goldens.js';

const { readText, readJson, goldens, inputOf } = methodFixtures('cndid');

const SEEDED = 'did:cndid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9';

const errorDetail = (result: DIDResolutionResult) => String(result.didResolutionMetadata.error?.detail ?? '');
const withoutPreserved = ({ didbridgePreserved: _p, ...rest }: Record<string, unknown>) => rest;

describe('did:cndid identifiers (domestic-methods.md §5)', () => {
  const adapter = createCndidAdapter();
  const accepts = (did: string) => {
    if (!CNDID_DID_PATTERN.test(did)) return false;
    adapter.validate!(parseDid(did));
    return true;
  };
  it.each([
    ['did:cndid:sf24eYrmwXt6nx4fig3XJm7n9UP6PNRJ3', 'the Universal Resolver test identifier (secp256k1)'],
    [SEEDED, 'an Ed25519 identifier'],
    ['did:cndid:a1b2:sf24eYrmwXt6nx4fig3XJm7n9UP6PNRJ3', 'with a sub-chain code'],
    ['did:cndid:a1b2', 'the bare sub-chain form of the shared ABNF'],
  ])('accepts %s (%s)', (did) => expect(accepts(did)).toBe(true));

  const rejects = (readJson('invalid/identifiers.json') as { reject: Array<{ did: string; why: string }> }).reject;
  it.each(rejects.map((r) => [r.did, r.why]))('refuses %j: %s', (did) => {
    let refused = false;
    try {
      refused = !accepts(did);
    } catch (err) {
      expect((err as DidBridgeError).code).toBe('INVALID_DID');
      refused = true;
    }
    expect(refused).toBe(true);
  });

  it('does not route did:bid identifiers', () => {
    expect(CNDID_DID_PATTERN.test('did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9')).toBe(false);
  });

  it('checks its settings', () => {
    expect(() => createCndidAdapter({ apiStyle: 'soap' as CndidApiStyle })).toThrow(/"apiStyle"/);
    expect(() => createCndidAdapter({ baseUrl: 'not a url' })).toThrow(/"baseUrl"/);
    expect(createCndidAdapter().testIdentifiers()).toEqual(CNDID_TEST_IDENTIFIERS);
  });

  it('builds the upstream URLs of both API styles (the resolution service encodes the id as a query value)', () => {
    expect(cndidUpstreamUrl('http://h:1', 'resolve', SEEDED)).toBe(`http://h:1/resolve?id=${encodeURIComponent(SEEDED)}`);
    expect(cndidUpstreamUrl('http://h:1', 'driver', SEEDED)).toBe(`http://h:1/1.0/identifiers/${SEEDED}`);
  });
});

describe('translation (the did:bid rules under cndid.*)', () => {
  it.each(goldens)('%s equals the hand-written golden and passes the DID Core checks', (_name, golden) => {
    const translation = translateBifDocument(inputOf(golden), { method: 'cndid' });
    expect(translation.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(translation.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect([...new Set(translation.changes.map((c) => c.rule))].sort()).toEqual(golden.rules);
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata }))).toEqual([]);
  });

  it('renames context to @context with a change record pointing at the native member', () => {
    const translation = translateBifDocument(readJson('upstream/01-constructed-driver-response.json'), { method: 'cndid' });
    expect(translation.changes.find((c) => c.rule === 'cndid.context-to-@context')).toMatchObject({ from: '/context', to: '/@context' });
  });

  it('the adapter translates and recognises driver responses, and not did:bid documents', () => {
    const adapter = createCndidAdapter();
    expect(adapter.recognise!(readJson('upstream/01-constructed-driver-response.json'))).toBe(true);
    expect(adapter.recognise!(readJson('../bid/upstream/01-spec-bid-document-example.json'))).toBe(false);
    expect(adapter.translate!(readJson('upstream/01-constructed-driver-response.json')).didDocument.id).toBe(SEEDED);
    expect(() => adapter.translate!(readJson('../bid/upstream/01-spec-bid-document-example.json'))).toThrow(/not a did:cndid DID/);
  });

  it('the emulator\'s driver view of the fixture is the fixture (the fixture follows the driver\'s serialisation)', () => {
    const data = (readJson('upstream/01-constructed-driver-response.json') as JsonObject).data!;
    expect(JSON.stringify(cndidDriverView(data))).toBe(JSON.stringify(data));
  });
});

describe.each(['resolve', 'driver'] as const)('resolution against the emulator (apiStyle %s)', (apiStyle) => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  const events: SandboxRequestEvent[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [cndidEmulator], onRequest: (e) => events.push(e) });
    resolver = new Resolver({ adapters: [createCndidAdapter({ baseUrl: sandbox.baseUrlFor('cndid'), apiStyle, timeoutMs: 2_000 })], cache: false });
  });
  afterAll(async () => {
    await resolver.close();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.faults.clear();
    events.length = 0;
  });

  it('resolves the seeded document to its golden translation, on the API path of the style', async () => {
    const golden = readJson('expected/01-constructed-driver-response.json') as Golden;
    const result = await resolver.resolve(SEEDED);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(result.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect(events.map((e) => e.path)).toEqual([apiStyle === 'resolve' ? '/cndid/resolve' : `/cndid/1.0/identifiers/${SEEDED}`]);
  });

  it('answers NOT_FOUND for an unknown DID (status 404)', async () => {
    const result = await resolver.resolve('did:cndid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF');
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(errorDetail(result)).toMatch(/status 404/);
  });

  it('refuses invalid identifiers before any request', async () => {
    for (const { did } of (readJson('invalid/identifiers.json') as { reject: Array<{ did: string }> }).reject) {
      expect(errorName(await resolver.resolve(did)), did).toBe('INVALID_DID');
    }
    expect(events).toEqual([]);
  });

  it('resolves created Ed25519 and SM2 DIDs, then a deactivated one', async () => {
    const ctx = sandbox.contextFor('cndid');
    for (const keyType of ['ed25519', 'sm2']) {
      const created = await cndidEmulator.create(ctx, { keyType });
      expect(created.did).toMatch(keyType === 'sm2' ? /^did:cndid:zf/ : /^did:cndid:ef/);
      const result = await resolver.resolve(created.did);
      expect(errorName(result)).toBeUndefined();
      const key = decodeMultikey(result.didDocument!.verificationMethod![0]!.publicKeyMultibase);
      const raw = key.type === 'Ed25519' ? key.bytes : decompressPoint('SM2', key.bytes);
      expect(Buffer.from(raw).equals(Buffer.from(created.publicKey))).toBe(true);
      expect(result.didResolutionMetadata.didbridgeChanges!.map((c) => c.rule)).toContain('cndid.context-to-@context');
      expect(mustFailures(checkDocument(result.didDocument, { representation: 'application/did+ld+json', metadata: result.didDocumentMetadata }))).toEqual([]);
      await cndidEmulator.deactivate!(ctx, { did: created.did });
      const deactivated = await resolver.resolve(created.did);
      expect(deactivated.didDocument).toBeNull();
      expect(deactivated.didDocumentMetadata.deactivated).toBe(true);
    }
  });

  it.each([
    ['an HTTP 502 without an envelope', { kind: 'status', status: 502, body: 'bad gateway' }, 'INTERNAL_ERROR', /HTTP 502/],
    ['a body that is not JSON', { kind: 'garbage' }, 'INTERNAL_ERROR', /not JSON/],
    ['a reset connection', { kind: 'reset' }, 'INTERNAL_ERROR', /failed/],
    ['an oversized body', { kind: 'oversized' }, 'INTERNAL_ERROR', /limit/],
    ['an answer slower than timeoutMs', { kind: 'delay', delayMs: 4_000 }, 'INTERNAL_ERROR', /within 2000 ms/],
  ] as const)('maps %s to %s naming the upstream', async (_name, fault, code, detail) => {
    sandbox.faults.add({ ...fault, mount: 'cndid' });
    const result = await resolver.resolve(SEEDED);
    expect(errorName(result)).toBe(code);
    expect(errorDetail(result)).toMatch(/did:cndid (resolution service|driver) at 127\.0\.0\.1/);
    expect(errorDetail(result)).toMatch(detail);
  });
});

describe('the emulator\'s wire format', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [cndidEmulator] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('answers like the Go driver: status in the body, 451 for an invalid address, sorted members, null attributes', async () => {
    const base = sandbox.baseUrlFor('cndid');
    const invalid = await fetch(`${base}/1.0/identifiers/did:cndid:nothing-valid`);
    expect(invalid.status).toBe(451);
    expect(await invalid.json()).toEqual(readJson('upstream/02-driver-response-invalid-address.json'));
    const missing = await fetch(`${base}/1.0/identifiers/did:cndid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(readJson('upstream/03-driver-response-not-exist.json'));
    const created = await cndidEmulator.create(sandbox.contextFor('cndid'), { keyType: 'ed25519' });
    const found = await fetch(`${base}/1.0/identifiers/${created.did}`);
    expect(found.headers.get('content-type')).toBe('application/json');
    const body = (await found.json()) as { status: number; message: string; data: JsonObject };
    expect(body.status).toBe(200);
    expect(body.message).toBe('Success');
    expect(Object.keys(body.data)).toEqual([...Object.keys(body.data)].sort());
    expect(body.data).not.toHaveProperty('@context');
    expect(body.data.context).toEqual(['https://www.w3.org/ns/did/v1']);
    expect(body.data.extension).toEqual({ attributes: null, ttl: 86400, type: 101 });
  });
});

describe('resolution against recorded responses on loopback', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let http: UndiciHttpClient;
  let reply = { status: 200, text: '' };
  const recorded: UpstreamEmulator = {
    method: 'cndid',
    mount: 'recorded',
    keyTypes: [],
    handle: () => rawReply(reply.text, { status: reply.status }),
    create() {
      throw new Error('recorded responses only');
    },
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [recorded] });
    http = createHttpClient({ timeoutMs: 2_000 });
    resolver = new Resolver({ adapters: [createCndidAdapter({ baseUrl: sandbox.baseUrlFor('recorded'), apiStyle: 'driver' })], http, cache: false });
  });
  afterAll(async () => {
    await http.close();
    await sandbox.close();
  });

  it.each([
    ['upstream/01-constructed-driver-response.json', 200, undefined, undefined],
    ['upstream/02-driver-response-invalid-address.json', 451, 'INVALID_DID', /refused the identifier .* status 451 \(Invalid DID Address\)/],
    ['upstream/03-driver-response-not-exist.json', 404, 'NOT_FOUND', /status 404 \(Failed to resolve DID, not exist\)/],
    ['upstream/04-driver-response-failed.json', 500, 'INTERNAL_ERROR', /status 500 \(Failed to resolve DID\)/],
    ['invalid/responses/html-504-gateway-timeout.html', 504, 'INTERNAL_ERROR', /HTTP 504/],
    ['invalid/responses/envelope-without-status.json', 200, 'INTERNAL_ERROR', /without a numeric "status"/],
    ['invalid/responses/envelope-status-200-without-data.json', 200, 'INTERNAL_ERROR', /without "data"/],
    ['invalid/responses/envelope-status-200-data-is-number.json', 200, 'INTERNAL_ERROR', /a number where the cndid document belongs/],
    ['invalid/responses/envelope-status-503.json', 200, 'INTERNAL_ERROR', /status 503 \(chain node unavailable\)/],
    ['invalid/responses/document-for-another-did.json', 200, 'INVALID_DID_DOCUMENT', /efZfEe.* when asked for did:cndid:efj3/],
  ] as const)('maps %s (HTTP %i) to %s', async (file, status, code, detail) => {
    reply = { status, text: readText(file) };
    const result = await resolver.resolve(SEEDED);
    expect(errorName(result)).toBe(code);
    if (detail) expect(errorDetail(result)).toMatch(detail);
  });

  it('reads a 404 without a body as NOT_FOUND, as the driver reads the resolution service', async () => {
    reply = { status: 404, text: '' };
    expect(errorName(await resolver.resolve(SEEDED))).toBe('NOT_FOUND');
  });
});

describe('derivations and round trips', () => {
  it('derives created DIDs with the did:bid rule under did:cndid (BIF alphabet assumed, unconfirmed)', async () => {
    const sandbox = await startSandbox({ emulators: [cndidEmulator], seed: false });
    try {
      const created = await cndidEmulator.create(sandbox.contextFor('cndid'), { keyType: 'ed25519', privateKey: 'priSPKhJ59Y6EePWbFybWzNkhPGjJ1ReQBeFk3KgaC2nFz4Nfy' });
      expect(created.did).toBe('did:cndid:efZfEeQAE1jup1H9musAZP1S3PqV3UdF');
      const extra = sandbox.store.get(created.did)!.extra;
      expect(extra.hash).toBe('sha256');
    } finally {
      await sandbox.close();
    }
  });

  it('cndid → W3C → cndid restores the constructed driver document exactly', () => {
    const native = unwrapBifDocument(readJson('upstream/01-constructed-driver-response.json'), 'cndid')!;
    const translation = translateBifDocument(native, { method: 'cndid' });
    const rendered = cndidRenderer.render(translation.didDocument, translation.didDocumentMetadata);
    expect(JSON.stringify(rendered.document)).toBe(JSON.stringify(native));
    expect(rendered.changes).toEqual([]);
  });

  it('preserves the native document it read; renders back from it and from the earlier piece-by-piece form alike', () => {
    const input = readJson('upstream/01-constructed-driver-response.json');
    const native = unwrapBifDocument(input, 'cndid')!;
    const translation = createCndidAdapter().translate!(input);
    expect(translation.preserved).toStrictEqual({ method: 'cndid', shape: 'bid', document: native });
    expect(translation.preserved!.document).toBe(native);
    const detailed = translateBifDocumentDetailed(native, { method: 'cndid' });
    expect(JSON.stringify([detailed.didDocument, withoutPreserved(detailed.didDocumentMetadata), detailed.changes])).toBe(
      JSON.stringify([translation.didDocument, withoutPreserved(translation.didDocumentMetadata), translation.changes]),
    );
    expect(detailed.preserved).toMatchObject({ method: 'cndid', shape: 'bid', did: translation.didDocument.id });
    const earlier = { ...withoutPreserved(translation.didDocumentMetadata), didbridgePreserved: wrapPreserved(detailed.preserved!) };
    for (const metadata of [translation.didDocumentMetadata, earlier]) {
      const rendered = cndidRenderer.render(translation.didDocument, metadata);
      expect(JSON.stringify(rendered.document)).toBe(JSON.stringify(native));
      expect(rendered.changes).toEqual([]);
    }
    // A carried document that is not a did:cndid document reads as absent preserved data.
    const absent = cndidRenderer.render(translation.didDocument, withoutPreserved(translation.didDocumentMetadata));
    const broken = { ...withoutPreserved(translation.didDocumentMetadata), didbridgePreserved: wrapPreserved({ ...translation.preserved!, document: { ...native, id: 'did:cndid:x' } }) };
    expect(cndidRenderer.render(translation.didDocument, broken)).toEqual(absent);
  });

  it('renders a W3C document in the cndid shape with "context", and ignores preserved data made for did:bid', () => {
    const bid = translateBifDocument(readJson('../bid/upstream/01-spec-bid-document-example.json'), { method: 'bid' });
    const rendered = cndidRenderer.render(bid.didDocument, bid.didDocumentMetadata);
    expect(cndidRenderer.shape).toBe('cndid');
    expect(rendered.document).toHaveProperty('context', ['https://www.w3.org/ns/did/v1']);
    expect(rendered.document).not.toHaveProperty('@context');
    expect(rendered.changes.map((c) => c.rule)).toContain('cndid.render.preserved-ignored');
  });
});
