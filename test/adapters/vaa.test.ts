/**
 * did:vaa (domestic-methods.md §9): identifiers (contract forms refused), translation of the published document and
 * read response against hand-written goldens (RSA PEM → JWK checked with node:crypto as well), resolution through the
 * Resolver against the emulator in both API styles and against recorded responses, faults, created and revoked DIDs.
 */
import { constants, createPrivateKey, createPublicKey, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  VAA_DID_PATTERN,
  VAA_TEST_IDENTIFIERS,
  createVaaAdapter,
  readVaaDatetime,
  translateVaaDocument,
  unwrapVaaDocument,
  vaaUpstreamUrl,
  type VaaApiStyle,
} from '../../adapters/vaa/index.js';
import { sandboxVaaIdentifier, vaaEmulator } from '../../adapters/vaa/sandbox.js';
import { commonVaaForm } from '../../adapters/vaa/translate.js';
import { checkDocument, mustFailures } from '../../conformance/index.js';
import { DidBridgeError } from '../../src/errors.js';
import { base58Bitcoin } from '../../src/keys/codecs.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { readPreserved } from '../../src/preserved.js';
import { Resolver } from '../../src/resolver.js';
import { rawReply, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import { startSandbox, type Sandbox, type SandboxRequestEvent } from '../../src/sandbox/server.js';
import { type DIDResolutionResult, type JsonObject } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { methodFixtures, type Golden } from '../helpers/goldens.js';
import { errorName } from '../helpers/results.js';

const { readText, readJson, goldens, inputOf } = methodFixtures('vaa');

const SPEC_DID = 'did:vaa:gxAcE6upFw6DNbG3rfngM3VxCNB';
const errorDetail = (r: DIDResolutionResult) => String(r.didResolutionMetadata.error?.detail ?? '');
const withoutPreserved = ({ didbridgePreserved: _p, ...rest }: Record<string, unknown>) => rest;

describe('did:vaa identifiers (§9)', () => {
  const adapter = createVaaAdapter();
  const accepts = (did: string) => {
    if (!VAA_DID_PATTERN.test(did)) return false;
    adapter.validate!(parseDid(did));
    return true;
  };
  it.each([SPEC_DID, 'did:vaa:3wJVWDQWtDFx27FqvSqyo5xsTsxC'])('accepts %s', (did) => expect(accepts(did)).toBe(true));

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

  it('the specification example id is base58 of the text "1q2w3e4r5t6y7u8i9o0p", 20 bytes', () => {
    expect(Buffer.from(base58Bitcoin.decode('gxAcE6upFw6DNbG3rfngM3VxCNB')).toString('latin1')).toBe('1q2w3e4r5t6y7u8i9o0p');
  });

  it('checks its settings and builds both request URLs', () => {
    expect(() => createVaaAdapter({ apiStyle: 'grpc' as VaaApiStyle })).toThrow(/"apiStyle"/);
    expect(createVaaAdapter().testIdentifiers()).toEqual(VAA_TEST_IDENTIFIERS);
    expect(vaaUpstreamUrl('http://h/vaa-resolver', 'driver', SPEC_DID)).toBe(`http://h/vaa-resolver/v1/did/resolve?didname=${encodeURIComponent(SPEC_DID)}`);
    expect(vaaUpstreamUrl('http://h', 'spec', SPEC_DID)).toBe(`http://h/${SPEC_DID}`);
  });
});

describe('translation (RSA publicKeyPem → JsonWebKey, controllor, 2019 context)', () => {
  it.each(goldens)('%s equals the hand-written golden and passes the DID Core checks', (_name, golden) => {
    const translation = translateVaaDocument(inputOf(golden));
    expect(translation.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(translation.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect([...new Set(translation.changes.map((c) => c.rule))].sort()).toEqual(golden.rules);
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json' }))).toEqual([]);
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata }))).toEqual([]);
  });

  it.each(goldens)('%s: preserves the native document it read (not a copy) and nothing else', (_name, golden) => {
    const input = inputOf(golden);
    const native = unwrapVaaDocument(input)!;
    const translation = createVaaAdapter().translate!(input);
    expect(translation.preserved).toStrictEqual({ method: 'vaa', shape: 'vaa', document: native });
    expect(translation.preserved!.document).toBe(native);
    expect(readPreserved(translation.didDocumentMetadata, { method: 'vaa', shape: 'vaa' })).toEqual({ method: 'vaa', shape: 'vaa', document: JSON.parse(JSON.stringify(native)) as JsonObject });
  });

  it('commonVaaForm: what unwrapVaaDocument returns, where it decides (the document, or none)', () => {
    const name = fc.constantFrom('id', 'ID', ' id', 'data', 'Data', 'document', ' document', 'didDocument', 'DIDDOCUMENT', 'publicKey', 'x', '');
    const value = fc.oneof(fc.constantFrom(SPEC_DID, ` ${SPEC_DID}`, 'did:web:example.com', 'x'), fc.constant({ id: SPEC_DID }), fc.constant({ document: { id: SPEC_DID } }), fc.constant(1));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 5 }), (members) => {
        const document = Object.fromEntries(members) as JsonObject;
        const common = commonVaaForm(document);
        if (common !== undefined) expect(common ?? undefined).toBe(unwrapVaaDocument(document));
      }),
      { numRuns: 3000, seed: 20261126 },
    );
    const spec = readJson('upstream/01-spec-vaa-document.json') as JsonObject;
    expect(commonVaaForm(spec)).toBe(spec);
    expect(commonVaaForm(readJson('upstream/02-spec-vaa-read-response.json'))).toBeUndefined();
    expect(commonVaaForm({ id: 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2' })).toBeNull();
    expect(commonVaaForm([spec])).toBeNull();
    expect(createVaaAdapter().recognise!({ id: 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2' })).toBe(false);
  });

  it('the JWK is the same public key as the PEM: a signature made for the PEM key verifies with the JWK', () => {
    // A fresh RSA key in the published shape (PEM with CRLF) stands in for the example's, whose private key is unknown.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = String(publicKey.export({ type: 'spki', format: 'pem' })).trim().replace(/\n/g, '\r\n');
    const did = SPEC_DID;
    const translation = translateVaaDocument({ id: did, verificationMethod: [{ id: `${did}#key1`, type: 'RsaVerificationKey2018', controller: did, publicKeyPem: pem }] });
    const jwk = translation.didDocument.verificationMethod![0]!.publicKeyJwk!;
    const signature = createSign('sha256').update('didbridge').sign({ key: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })), padding: constants.RSA_PKCS1_PSS_PADDING });
    expect(createVerify('sha256').update('didbridge').verify({ key: createPublicKey({ key: jwk as never, format: 'jwk' }), padding: constants.RSA_PKCS1_PSS_PADDING }, signature)).toBe(true);
  });

  it('reads the older publicKey[] form without controllers and compact datetimes (the spec\'s create/read examples)', () => {
    const native = readJson('upstream/01-spec-vaa-document.json') as JsonObject;
    const older = {
      '@context': 'https://w3id.org/did/v1',
      id: SPEC_DID,
      publicKey: [{ id: `${SPEC_DID}#key1`, type: 'RsaVerificationKey2018', publicKeyPem: (native.verificationMethod as JsonObject[])[0]!.publicKeyPem }],
      service: [{ id: `${SPEC_DID}#resolver`, type: 'DIDResolve', serviceEndpoint: 'http://bidspace.cn/' }],
      created: '20200101235959',
      updated: '20200101235959',
    };
    const translation = translateVaaDocument(older);
    expect(translation.didDocument.verificationMethod![0]!.controller).toBe(SPEC_DID);
    expect(translation.didDocumentMetadata.created).toBe('2020-01-01T23:59:59Z');
    expect(translation.changes.map((c) => c.rule)).toEqual(expect.arrayContaining(['vaa.publicKey-to-verificationMethod', 'vaa.controller-added', 'vaa.context-normalised']));
    expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata }))).toEqual([]);
  });

  it('reads compact datetimes as UTC, never as epoch numbers', () => {
    expect(readVaaDatetime('20200101235959')).toBe('2020-01-01T23:59:59Z');
    expect(readVaaDatetime('2020-01-01T15:09:03.3712946+13:00')).toBe('2020-01-01T02:09:03Z');
    expect(readVaaDatetime('20201301000000')).toBeUndefined();
  });

  it('reports revoked documents and keeps relationships a document lists itself', () => {
    const native = structuredClone(readJson('upstream/01-spec-vaa-document.json')) as JsonObject;
    native.revoked = '2020-01-01T15:09:03.3712946+13:00';
    native.authentication = [`${SPEC_DID}#key1`];
    const translation = translateVaaDocument(native);
    expect(translation.revoked).toBe(true);
    expect(translation.didDocumentMetadata.deactivated).toBe(true);
    expect(translation.didDocument.assertionMethod).toBeUndefined();
    expect(translation.changes.map((c) => c.rule)).toContain('vaa.revoked-to-deactivated');
  });

  it('refuses private keys and placeholder PEMs as INVALID_DID_DOCUMENT', () => {
    for (const file of ['document-private-key-pem.json', 'document-pem-not-a-key.json']) {
      let error: unknown;
      try {
        translateVaaDocument(readJson(`invalid/responses/${file}`));
      } catch (err) {
        error = err;
      }
      expect((error as DidBridgeError).code, file).toBe('INVALID_DID_DOCUMENT');
    }
  });

  it('recognises documents and both envelopes', () => {
    const adapter = createVaaAdapter();
    expect(adapter.recognise!(readJson('upstream/01-spec-vaa-document.json'))).toBe(true);
    expect(adapter.recognise!(readJson('upstream/02-spec-vaa-read-response.json'))).toBe(true);
    expect(adapter.recognise!({ resCode: 0, data: readJson('upstream/01-spec-vaa-document.json') })).toBe(true);
    expect(adapter.recognise!({ id: 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2' })).toBe(false);
  });
});

describe('hostile input', () => {
  it('translation of the specification document with any one member replaced by any JSON either fails typed or is conformant', () => {
    const sample = readJson('upstream/02-spec-vaa-read-response.json');
    const pointers = (value: unknown, at = ''): string[] =>
      value !== null && typeof value === 'object' ? [at, ...Object.entries(value).flatMap(([k, v]) => pointers(v, `${at}/${k}`))] : [at];
    const paths = pointers(sample);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }), (index, replacement) => {
        const input = structuredClone(sample) as Record<string, unknown>;
        const tokens = paths[index]!.split('/').slice(1);
        let target: unknown = input;
        if (tokens.length === 0) target = replacement;
        else {
          let node = input as Record<string, unknown>;
          for (const t of tokens.slice(0, -1)) node = node[t] as Record<string, unknown>;
          node[tokens.at(-1)!] = replacement;
        }
        try {
          const translation = translateVaaDocument(target);
          expect(mustFailures(checkDocument(translation.didDocument, { representation: 'application/did+ld+json', metadata: translation.didDocumentMetadata }))).toEqual([]);
        } catch (err) {
          expect(err).toBeInstanceOf(DidBridgeError);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });
});

describe.each(['driver', 'spec'] as const)('resolution against the emulator (apiStyle %s)', (apiStyle) => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  const events: SandboxRequestEvent[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ emulators: [vaaEmulator], onRequest: (e) => events.push(e) });
    resolver = new Resolver({ adapters: [createVaaAdapter({ baseUrl: sandbox.baseUrlFor('vaa'), apiStyle, timeoutMs: 2_000 })], cache: false });
  });
  afterAll(async () => {
    await resolver.close();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.faults.clear();
    events.length = 0;
  });

  it('resolves the seeded specification document to its golden translation', async () => {
    const golden = readJson('expected/01-spec-vaa-document.json') as Golden;
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBeUndefined();
    expect(result.didDocument).toEqual(golden.didDocument);
    expect(withoutPreserved(result.didDocumentMetadata)).toEqual(golden.didDocumentMetadata);
    expect(events.map((e) => e.path)).toEqual([apiStyle === 'driver' ? '/vaa/v1/did/resolve' : `/vaa/${SPEC_DID}`]);
  });

  it('answers NOT_FOUND for an unknown DID', async () => {
    const result = await resolver.resolve('did:vaa:3wJVWDQWtDFx27FqvSqyo5xsTsxC');
    expect(errorName(result)).toBe('NOT_FOUND');
    expect(errorDetail(result)).toMatch(apiStyle === 'driver' ? /resCode 1 \(document not exist\)/ : /responseCode 1 \(document not exist\)/);
  });

  it('refuses invalid identifiers, including the contract form, before any request', async () => {
    for (const { did } of (readJson('invalid/identifiers.json') as { reject: Array<{ did: string }> }).reject) {
      expect(errorName(await resolver.resolve(did)), did).toBe('INVALID_DID');
    }
    expect(errorDetail(await resolver.resolve('did:vaa:IDcontract1:86.100.1234/abcdfe.123'))).toMatch(/DID URL/);
    expect(events).toEqual([]);
  });

  it.each(['rsa', 'secp256k1'])('resolves a created %s DID, then reports it deactivated once revoked', async (keyType) => {
    const ctx = sandbox.contextFor('vaa');
    const created = await vaaEmulator.create(ctx, { keyType });
    expect(created.did).toBe(sandboxVaaIdentifier(created.publicKey));
    const result = await resolver.resolve(created.did);
    expect(errorName(result)).toBeUndefined();
    const vm = result.didDocument!.verificationMethod![0]!;
    const expected = createPublicKey({ key: Buffer.from(created.publicKey), format: 'der', type: 'spki' });
    if (keyType === 'rsa') {
      expect(vm.type).toBe('JsonWebKey');
      expect(vm.publicKeyJwk).toEqual(expected.export({ format: 'jwk' }));
    } else {
      expect(vm.type).toBe('Multikey');
      expect(vm.publicKeyMultibase!.startsWith('zQ3s')).toBe(true);
    }
    expect(mustFailures(checkDocument(result.didDocument, { representation: 'application/did+ld+json', metadata: result.didDocumentMetadata }))).toEqual([]);
    await vaaEmulator.deactivate!(ctx, { did: created.did });
    const revoked = await resolver.resolve(created.did);
    expect(revoked.didDocument).toBeNull();
    expect(revoked.didDocumentMetadata.deactivated).toBe(true);
  });

  it.each([
    ['an HTTP 500', { kind: 'status', status: 500 }, /HTTP 500/],
    ['a body that is not JSON', { kind: 'garbage' }, /not JSON/],
    ['a reset connection', { kind: 'reset' }, /failed/],
    ['an oversized body', { kind: 'oversized' }, /limit/],
    ['an answer slower than timeoutMs', { kind: 'delay', delayMs: 4_000 }, /within 2000 ms/],
  ] as const)('maps %s to INTERNAL_ERROR naming the upstream', async (_name, fault, detail) => {
    sandbox.faults.add({ ...fault, mount: 'vaa' });
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe('INTERNAL_ERROR');
    expect(errorDetail(result)).toMatch(/did:vaa resolver at 127\.0\.0\.1/);
    expect(errorDetail(result)).toMatch(detail);
  });
});

describe('resolution against recorded responses on loopback', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let http: UndiciHttpClient;
  let reply = { status: 200, text: '' };
  const recorded: UpstreamEmulator = {
    method: 'vaa',
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
    resolver = new Resolver({ adapters: [createVaaAdapter({ baseUrl: sandbox.baseUrlFor('recorded'), apiStyle: 'spec' })], http, cache: false });
  });
  afterAll(async () => {
    await http.close();
    await sandbox.close();
  });

  it('reads the specification\'s Read response (sample 02) and the driver\'s {resCode, didDocument}', async () => {
    const golden = readJson('expected/02-spec-vaa-read-response.json') as Golden;
    reply = { status: 200, text: readText('upstream/02-spec-vaa-read-response.json') };
    expect((await resolver.resolve(SPEC_DID)).didDocument).toEqual(golden.didDocument);
    reply = { status: 200, text: JSON.stringify({ resCode: 0, didDocument: readJson('upstream/01-spec-vaa-document.json') }) };
    expect((await resolver.resolve(SPEC_DID)).didDocument).toEqual(golden.didDocument);
    reply = { status: 200, text: JSON.stringify({ ResCode: '0', data: { didDocument: readJson('upstream/01-spec-vaa-document.json') } }) };
    expect((await resolver.resolve(SPEC_DID)).didDocument).toEqual(golden.didDocument);
  });

  it.each([
    ['invalid/responses/text-503.txt', 503, 'INTERNAL_ERROR', /HTTP 503: "Service Unavailable"/],
    ['invalid/responses/text-503.txt', 200, 'INTERNAL_ERROR', /not JSON/],
    ['invalid/responses/envelope-without-code.json', 200, 'INTERNAL_ERROR', /without a numeric resCode/],
    ['invalid/responses/envelope-code-0-without-document.json', 200, 'INTERNAL_ERROR', /without a did:vaa document \(found null\)/],
    ['invalid/responses/envelope-code-0-document-is-string.json', 200, 'INTERNAL_ERROR', /found a string/],
    ['invalid/responses/document-pem-not-a-key.json', 200, 'INVALID_DID_DOCUMENT', /publicKeyPem is not a PEM public key/],
    ['invalid/responses/document-private-key-pem.json', 200, 'INVALID_DID_DOCUMENT', /holds a private key/],
  ] as const)('maps %s (HTTP %i) to %s', async (file, status, code, detail) => {
    reply = { status, text: readText(file) };
    const result = await resolver.resolve(SPEC_DID);
    expect(errorName(result)).toBe(code);
    expect(errorDetail(result)).toMatch(detail);
  });

  it('refuses a document about another DID', async () => {
    reply = { status: 200, text: readText('upstream/02-spec-vaa-read-response.json') };
    const result = await resolver.resolve('did:vaa:3wJVWDQWtDFx27FqvSqyo5xsTsxC');
    expect(errorName(result)).toBe('INVALID_DID_DOCUMENT');
  });
});
