/**
 * The translate service (src/translate.ts) over the adapters' published fixtures and the embedded sandbox:
 * recognition, equality with each adapter's own translation, rendering by shape, round trips, W3C inputs, errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_FACTORIES, defaultAdapters, SANDBOX_BINDINGS } from '../../adapters/index.js';
import type { MethodAdapter } from '../../src/adapter.js';
import { DidBridgeError } from '../../src/errors.js';
import { encodeHex } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { decodeMultikey } from '../../src/keys/multikey.js';
import { PRESERVED_MEMBER, wrapPreserved } from '../../src/preserved.js';
import { Resolver } from '../../src/resolver.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../../src/sandbox/embedded.js';
import type { DIDDocument, JsonObject } from '../../src/spec.js';
import { availableShapes, looksLikeDidCoreDocument, translateDid, translateInput, type TranslateResult } from '../../src/translate.js';
import { getAtPointer } from '../../src/translation.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const DOMESTIC = ['bid', 'cndid', 'vaa', 'weid', 'tdid', 'ccp', 'ctid'];
const ED25519_KEY_DID = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
const SECP256K1_KEY_DID = 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme';
const SANDBOX_BID = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';

const adapters = defaultAdapters();

function json(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

/** Every JSON file under fixtures/<method>/upstream and constructed (recorded and constructed upstream answers). */
function upstreamFixtures(method: string): string[] {
  const out: string[] = [];
  for (const folder of ['upstream', 'constructed']) {
    let names: string[];
    try {
      names = readdirSync(join(FIXTURES, method, folder));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) out.push(`${method}/${folder}/${name}`);
  }
  return out;
}

function thrown(fn: () => unknown): DidBridgeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DidBridgeError);
    return err as DidBridgeError;
  }
  throw new Error('expected a DidBridgeError');
}

const withoutStep = (r: TranslateResult) => r.changes.map(({ step, ...c }) => (expect(step).toBe('translate'), c));

describe('translateInput: every upstream fixture an adapter recognises translates as that adapter does', () => {
  for (const method of DOMESTIC) {
    const own: MethodAdapter = ADAPTER_FACTORIES[method]!();
    const files = upstreamFixtures(method).filter((f) => own.recognise!(json(f)));
    it(`${method}: ${files.length} fixture(s)`, () => {
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const input = json(file);
        const expected = own.translate!(structuredClone(input));
        const result = translateInput(input, { adapters, to: 'w3c' });
        expect(result.from.adapter, file).toBe(method);
        expect(result.to).toBe('w3c');
        expect(result.document, file).toStrictEqual(expected.didDocument);
        expect(withoutStep(result), file).toStrictEqual(expected.changes);
        const metadata: JsonObject = { ...(expected.didDocumentMetadata as JsonObject) };
        if (expected.preserved && metadata[PRESERVED_MEMBER] === undefined) metadata[PRESERVED_MEMBER] = wrapPreserved(expected.preserved);
        expect(result.metadata, file).toStrictEqual(metadata);
      }
    });
  }

  it('an envelope two adapters recognise goes to the adapter of the DID inside (bid create request, also a cndid envelope shape)', () => {
    const input = json('bid/upstream/02-spec-create-request.json');
    expect(ADAPTER_FACTORIES.cndid!().recognise!(input)).toBe(true);
    // Asked first, did:cndid fails on the did:bid id inside; the did:bid adapter then translates it.
    const result = translateInput(input, { adapters: [...adapters].reverse(), to: 'w3c' });
    expect(result.from).toStrictEqual({ shape: 'bid', adapter: 'bid' });
    expect((result.document as DIDDocument).id).toBe(SANDBOX_BID);
  });

  it('upstream error answers, requests and foreign JSON are INVALID_DID_DOCUMENT naming the supported shapes', () => {
    for (const file of [
      'bid/upstream/03-spec-create-response-error.json',
      'bid/upstream/06-spec-read-response-notfound.json',
      'cndid/upstream/03-driver-response-not-exist.json',
      'weid/upstream/05-rest-createWeId-response.json',
    ]) {
      const err = thrown(() => translateInput(json(file), { adapters }));
      expect(err.code, file).toBe('INVALID_DID_DOCUMENT');
      expect(err.message).toMatch(/W3C DID Core document.*did:bid.*did:ctid/);
    }
    for (const input of [null, 42, 'did:key:z6Mk', [], {}, { id: 'not-a-did', verificationMethod: [] }]) {
      expect(thrown(() => translateInput(input, { adapters })).code).toBe('INVALID_DID_DOCUMENT');
    }
  });

  it('a recognised document the adapter cannot read fails with the adapter error, typed', () => {
    const doc = structuredClone(json('bid/upstream/01-spec-bid-document-example.json')) as { publicKey: Array<Record<string, unknown>> };
    doc.publicKey[0]!.publicKeyHex = 'zz-not-hex';
    const err = thrown(() => translateInput(doc, { adapters }));
    expect(err.code).toBe('INVALID_DID_DOCUMENT');
  });
});

describe('translateInput: W3C documents', () => {
  it('a W3C document no adapter claims is kept as is with no change (did:web spec example)', () => {
    const input = json('web/01-spec-jwk-document.json');
    const result = translateInput(input, { adapters });
    expect(result.from).toStrictEqual({ shape: 'w3c' });
    expect(result.document).toStrictEqual(input);
    expect(result.changes).toStrictEqual([]);
    expect(result.metadata).toStrictEqual({});
  });

  it('a W3C document an adapter recognises but leaves unchanged is reported as w3c', () => {
    const w3c = translateInput(json('bid/upstream/01-spec-bid-document-example.json'), { adapters }).document as DIDDocument;
    const again = translateInput(w3c, { adapters });
    expect(again.from).toStrictEqual({ shape: 'w3c', adapter: 'bid' });
    expect(again.document).toStrictEqual(w3c);
    expect(again.changes).toStrictEqual([]);
  });

  it('a native document with the outline of a W3C one (did:tdid, DID Core context and verificationMethod) is still translated', () => {
    const input = json('tdid/upstream/01-spec-tdid-document.json');
    expect(looksLikeDidCoreDocument(input)).toBe(true);
    const result = translateInput(input, { adapters });
    expect(result.from).toStrictEqual({ shape: 'tdid', adapter: 'tdid' });
    expect(result.changes.length).toBeGreaterThan(0);
  });

  it('a DID Resolution result carries its metadata, so the preserved data restores the native document', () => {
    const input = json('weid/upstream/01-v1-getWeIdDocumentJson.json');
    const w3c = translateInput(input, { adapters });
    expect(w3c.from).toStrictEqual({ shape: 'weid-v1', adapter: 'weid' });
    const asResult = { didDocument: w3c.document, didDocumentMetadata: w3c.metadata, didResolutionMetadata: {} };
    const back = translateInput(asResult, { adapters, to: 'weid-v1' });
    expect(back.from.shape).toBe('w3c');
    expect(back.document).toStrictEqual(input);
    expect(back.changes.every((c) => c.step === 'render')).toBe(true);
  });
});

describe('translateInput: round trips native → w3c → native restore the original', () => {
  const cases: Array<[string, string]> = [
    ['bid/upstream/01-spec-bid-document-example.json', ''],
    ['bid/upstream/04-spec-read-response-success.json', '/data/didDocument'],
    ['bid/upstream/08-sdk-isValidProof-document-real-encoded-key.json', '/didDocument'],
    ['cndid/upstream/01-constructed-driver-response.json', '/data'],
    ['weid/upstream/01-v1-getWeIdDocumentJson.json', ''],
    ['weid/upstream/03-v3-getWeIdDocumentJson.transcribed.json', ''],
    ['weid/upstream/04-rest-getWeIdDocument-response.json', '/respBody'],
    ['tdid/upstream/01-spec-tdid-document.json', ''],
    ['ccp/upstream/01-spec-base-did-document.json', ''],
    ['ccp/constructed/02-resolve-response.json', '/content/didDocument'],
    ['ctid/upstream/01-spec-ctid-document.json', ''],
    ['ctid/upstream/02-spec-read-response.json', '/doc'],
  ];
  for (const [file, inner] of cases) {
    it(`${file}${inner ? ` (the document at ${inner})` : ''}`, () => {
      const input = json(file);
      const w3c = translateInput(input, { adapters, to: 'w3c' });
      expect(availableShapes(adapters)).toContain(w3c.from.shape);
      // Through this service's own output, as `didbridge translate --json` writes it.
      const carried = JSON.parse(JSON.stringify({ document: w3c.document, changes: w3c.changes, metadata: w3c.metadata, from: w3c.from, to: w3c.to }));
      const back = translateInput(carried, { adapters, to: w3c.from.shape });
      expect(JSON.stringify(back.document)).toBe(JSON.stringify(getAtPointer(input, inner)));
    });
  }
});

describe('translateInput: target shapes', () => {
  it('lists w3c and every renderer shape; an unknown shape is INVALID_OPTIONS naming them', () => {
    const shapes = availableShapes(adapters);
    expect(shapes[0]).toBe('w3c');
    expect([...shapes].sort()).toStrictEqual(['bid', 'ccp', 'cndid', 'ctid', 'tdid', 'w3c', 'weid', 'weid-v1']);
    const err = thrown(() => translateInput(json('web/01-spec-jwk-document.json'), { adapters, to: 'pdf' }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain(shapes.join(', '));
    expect(thrown(() => translateInput({}, { adapters, to: 7 as unknown as string })).code).toBe('INVALID_OPTIONS');
  });

  it('renders into another method shape with the render changes after the translation changes', () => {
    const result = translateInput(json('ccp/upstream/01-spec-base-did-document.json'), { adapters, to: 'bid' });
    const steps = result.changes.map((c) => c.step);
    expect(steps.indexOf('render')).toBeGreaterThan(steps.lastIndexOf('translate'));
    expect((result.document as JsonObject).publicKey).toBeInstanceOf(Array);
  });

  it('misuse is a TypeError naming the parameter', () => {
    expect(() => translateInput({}, null as never)).toThrow(/"options"/);
    expect(() => translateInput({}, { adapters: 'all' as never })).toThrow(/"adapters"/);
    const clash: MethodAdapter[] = [ADAPTER_FACTORIES.bid!(), { ...ADAPTER_FACTORIES.bid!(), id: 'bid-copy', methods: ['bid2'] }];
    expect(() => availableShapes(clash)).toThrow(/"bid" is rendered by both "bid" and "bid-copy"/);
  });
});

describe('translateDid', () => {
  let embedded: EmbeddedSandbox;
  let resolver: Resolver;
  let resolutions = 0;
  beforeAll(async () => {
    embedded = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: {}, mode: 'auto', enabledAdapters: ['bid', 'weid'] });
    resolver = new Resolver({
      adapters: defaultAdapters(embedded.adapters, ['key', 'bid', 'weid']),
      cache: false,
      onResolved: () => void resolutions++,
    });
  });
  afterAll(async () => {
    await resolver?.close();
    await embedded?.close();
  });

  it('--to bid of an Ed25519 did:key: the key as a BIF-encoded publicKeyHex (b0 65 66 ‖ key)', async () => {
    const result = await translateDid(ED25519_KEY_DID, { resolver, to: 'bid' });
    expect(result.from).toStrictEqual({ shape: 'w3c', adapter: 'key' });
    const doc = result.document as { id: string; publicKey: Array<{ type: string; publicKeyHex: string }>; authentication: string[] };
    expect(doc.id).toBe(ED25519_KEY_DID);
    const key = decodeMultikey(ED25519_KEY_DID.slice('did:key:'.length));
    expect(doc.publicKey[0]).toMatchObject({ type: 'Ed25519', publicKeyHex: `b06566${encodeHex(key.bytes)}` });
    expect(doc.authentication.length).toBeGreaterThan(0);
    expect(result.changes.every((c) => c.step === 'render')).toBe(true);
  });

  it('--to weid-v1 of a secp256k1 did:key: the key as the decimal X‖Y WeIdentity writes', async () => {
    const result = await translateDid(SECP256K1_KEY_DID, { resolver, to: 'weid-v1' });
    const doc = result.document as { publicKey: Array<{ type: string; publicKey: string }> };
    const key = decodeMultikey(SECP256K1_KEY_DID.slice('did:key:'.length));
    const xy = decompressPoint('secp256k1', key.bytes).subarray(1);
    expect(doc.publicKey[0]).toMatchObject({ type: 'Secp256k1', publicKey: BigInt(`0x${encodeHex(xy)}`).toString(10) });
  });

  it('--to bid of a sandbox did:bid gives back exactly the document the BID resolver serves', async () => {
    const result = await translateDid(SANDBOX_BID, { resolver, to: 'bid' });
    expect(result.from).toStrictEqual({ shape: 'bid', adapter: 'bid' });
    const res = await fetch(`${embedded.sandbox!.baseUrlFor('bid')}/${SANDBOX_BID}`);
    const envelope = (await res.json()) as { data: { didDocument: unknown } };
    expect(JSON.stringify(result.document)).toBe(JSON.stringify(envelope.data.didDocument));
    expect(result.changes.filter((c) => c.step === 'translate').length).toBeGreaterThan(0);
  });

  it('--to w3c and --to weid of a sandbox did:bid', async () => {
    const w3c = await translateDid(SANDBOX_BID, { resolver });
    expect(w3c.to).toBe('w3c');
    expect((w3c.document as DIDDocument).verificationMethod!.length).toBe(2);
    expect(w3c.metadata[PRESERVED_MEMBER]).toMatchObject({ format: 'application/json', method: 'bid', shape: 'bid' });
    const weid = await translateDid(SANDBOX_BID, { resolver, to: 'weid' });
    expect((weid.document as JsonObject).id).toBe(SANDBOX_BID);
  });

  it('a deactivated DID gives document null with deactivated metadata', async () => {
    const sandbox = embedded.sandbox!;
    const emulator = sandbox.emulators.get('bid')!;
    const ctx = sandbox.contextFor('bid');
    const created = await emulator.create(ctx, { keyType: 'ed25519' });
    await emulator.deactivate!(ctx, { did: created.did });
    const result = await translateDid(created.did, { resolver, to: 'bid' });
    expect(result.document).toBeNull();
    expect(result.metadata.deactivated).toBe(true);
  });

  it('resolution errors keep their code: NOT_FOUND, INVALID_DID, METHOD_NOT_SUPPORTED', async () => {
    await expect(translateDid('did:bid:efJgt44mNDewKK1VEN454R17cjso3mSG', { resolver })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(translateDid('did:key:nope', { resolver })).rejects.toMatchObject({ code: 'INVALID_DID' });
    await expect(translateDid('did:nope:123', { resolver })).rejects.toMatchObject({ code: 'METHOD_NOT_SUPPORTED' });
  });

  it('an unknown shape is refused before anything is resolved', async () => {
    const before = resolutions;
    await expect(translateDid(ED25519_KEY_DID, { resolver, to: 'nope' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(resolutions).toBe(before);
  });
});
