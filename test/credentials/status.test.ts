/**
 * Bitstring Status List and StatusList2021 through `verify()`: status list credentials are served by a loopback HTTP
 * server (the resolver's HTTP client allows loopback explicitly; by default the SSRF guard refuses it), signed by the
 * same did:key issuer as the credentials (Data Integrity, or a JWT made with did-jwt), and tampered, unsigned,
 * truncated and oversized lists fail with the right code.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { signDataIntegrity } from '../../src/credentials/data-integrity/sign.js';
import { dataIntegrityFormatVerifier } from '../../src/credentials/data-integrity/verify.js';
import { jwtFormatVerifier } from '../../src/credentials/jwt.js';
import type { VerificationReport } from '../../src/credentials/report.js';
import {
  decodeStatusList,
  encodeStatusList,
  MIN_STATUS_LIST_BITS,
  readStatus,
  statusListCheckers,
  StatusListDecodeError,
} from '../../src/credentials/status/index.js';
import { verify, type VerifyCallOptions } from '../../src/credentials/verify.js';
import { encodeMultikey } from '../../src/keys/multikey.js';
import { Resolver } from '../../src/resolver.js';
import { signJwt, signerFor } from '../helpers/jwt-issuer.js';

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const SL2021 = 'https://w3id.org/vc/status-list/2021/v1';
const NOW = '2025-06-01T00:00:00Z';

const privateKey = ed25519.utils.randomSecretKey();
const mb = encodeMultikey({ type: 'Ed25519', bytes: ed25519.getPublicKey(privateKey) });
const issuer = { did: `did:key:${mb}`, vm: `did:key:${mb}#${mb}` };

/** Served bodies by path; `hits` counts requests per path. */
const routes = new Map<string, { status?: number; type?: string; body: string }>();
const hits = new Map<string, number>();

function statusFor(check: VerificationReport['checks']) {
  return check.find((c) => c.name === 'status');
}

async function bitstringListCredential(url: string, purpose: string, encodedList: string): Promise<Record<string, unknown>> {
  return signDataIntegrity({
    document: {
      '@context': [VC_V2],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: issuer.did,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList },
    },
    privateKey,
    verificationMethod: issuer.vm,
  });
}

async function credentialWithStatus(credentialStatus: unknown): Promise<Record<string, unknown>> {
  return signDataIntegrity({
    document: {
      '@context': [VC_V2],
      type: ['VerifiableCredential'],
      issuer: issuer.did,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
      credentialStatus,
    },
    privateKey,
    verificationMethod: issuer.vm,
  });
}

function entry(url: string, index: number, purpose = 'revocation'): Record<string, unknown> {
  return { id: `${url}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: url };
}

describe('status list codec', () => {
  it('decodes the 16 KiB all-zero list published in Bitstring Status List v1.0 §2.1 (example "uH4sI…")', () => {
    // The encodedList of EXAMPLE 2 of the W3C Recommendation (https://www.w3.org/TR/vc-bitstring-status-list/).
    const bits = decodeStatusList({ encodedList: 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA', style: 'multibase' });
    expect(bits.length).toBe(16_384);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it('bit 0 is the most significant bit of the first byte; multi-bit entries read big-endian', () => {
    const list = encodeStatusList({ length: 16, set: [0, 9] });
    const bits = decodeStatusList({ encodedList: list, style: 'multibase' });
    expect([...bits]).toEqual([0b1000_0000, 0b0100_0000]);
    expect(readStatus(bits, 0)).toBe(1);
    expect(readStatus(bits, 1)).toBe(0);
    expect(readStatus(bits, 9)).toBe(1);
    const two = decodeStatusList({ encodedList: encodeStatusList({ length: 8, size: 2, set: new Map([[1, 0b10], [3, 0b11]]) }), style: 'multibase' });
    expect([...two]).toEqual([0b0010_0011, 0]);
    expect(readStatus(two, 1, 2)).toBe(2);
    expect(readStatus(two, 3, 2)).toBe(3);
    expect(() => readStatus(bits, 16)).toThrow(RangeError);
  });

  it('refuses malformed values and bounds decompression', () => {
    expect(() => decodeStatusList({ encodedList: 'H4sI', style: 'multibase' })).toThrow(/prefix "u"/);
    expect(() => decodeStatusList({ encodedList: 'u!!', style: 'multibase' })).toThrow(StatusListDecodeError);
    expect(() => decodeStatusList({ encodedList: `u${Buffer.from('not gzip').toString('base64url')}`, style: 'multibase' })).toThrow(/GZIP/);
    // 1 MiB of zeros compresses to about 1 KiB; with a 64 Kibit limit it must be refused, not inflated.
    const bomb = `u${gzipSync(Buffer.alloc(1024 * 1024)).toString('base64url')}`;
    expect(bomb.length).toBeLessThan(2048);
    let caught: unknown;
    try {
      decodeStatusList({ encodedList: bomb, style: 'multibase', maxBits: 65_536 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusListDecodeError);
    expect((caught as StatusListDecodeError).verificationCode).toBe('LIMIT_EXCEEDED');
    // StatusList2021 lists are plain base64 or base64url.
    const plain = gzipSync(Buffer.from([0x80])).toString('base64');
    expect([...decodeStatusList({ encodedList: plain, style: 'base64' })]).toEqual([0x80]);
  });
});

describe('status checks through verify()', () => {
  let server: Server;
  let base: string;
  let resolver: Resolver;
  let options: VerifyCallOptions;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const route = routes.get(path);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/vc+ld+json' });
      res.end(route.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolver = new Resolver({ adapters: [createKeyAdapter()], httpConfig: { addressPolicy: { allow: ['loopback'] } } });
    const revocation = encodeStatusList({ set: [7, 131_071] });
    routes.set('/revocation', { body: JSON.stringify(await bitstringListCredential(`${base}/revocation`, 'revocation', revocation)) });
    routes.set('/suspension', { body: JSON.stringify(await bitstringListCredential(`${base}/suspension`, 'suspension', encodeStatusList({ set: [3] }))) });
  });
  beforeEach(() => {
    hits.clear();
    // A fresh checker per test, so its list cache starts empty.
    options = {
      resolver,
      formats: [jwtFormatVerifier(), dataIntegrityFormatVerifier()],
      statusCheckers: statusListCheckers(),
      now: NOW,
    };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await resolver.close();
  });

  it('an entry whose bit is clear passes; the list credential itself was verified', async () => {
    const report = await verify(await credentialWithStatus(entry(`${base}/revocation`, 42)), options);
    expect(report.verified).toBe(true);
    const status = statusFor(report.checks)!;
    expect(status.outcome).toBe('pass');
    expect(status.detail).toMatch(/^not revoked: entry 42 of/);
    expect(status.data).toMatchObject({ value: 0, listVerified: true, listIssuer: issuer.did });
  });

  it('a set bit fails the status check: REVOKED and SUSPENDED', async () => {
    const revoked = await verify(await credentialWithStatus(entry(`${base}/revocation`, 7)), options);
    expect(revoked.verified).toBe(false);
    expect(revoked.errors).toEqual([expect.objectContaining({ code: 'REVOKED', check: 'status' })]);
    // The last entry of a minimum-length list is inside it.
    const last = await verify(await credentialWithStatus(entry(`${base}/revocation`, 131_071)), options);
    expect(last.errors[0]?.code).toBe('REVOKED');
    const suspended = await verify(await credentialWithStatus(entry(`${base}/suspension`, 3, 'suspension')), options);
    expect(suspended.errors).toEqual([expect.objectContaining({ code: 'SUSPENDED', check: 'status' })]);
  });

  it('two entries (revocation and suspension) are both checked', async () => {
    const report = await verify(await credentialWithStatus([entry(`${base}/revocation`, 1), entry(`${base}/suspension`, 3, 'suspension')]), options);
    expect(report.errors[0]?.code).toBe('SUSPENDED');
  });

  it('reuses a fetched list within its TTL', async () => {
    const credential = await credentialWithStatus(entry(`${base}/revocation`, 42));
    await verify(credential, options);
    await verify(credential, options);
    expect(hits.get('/revocation')).toBe(1);
  });

  it('an index outside the list is RANGE_ERROR; a purpose mismatch is STATUS_UNCHECKED', async () => {
    const outside = await verify(await credentialWithStatus(entry(`${base}/revocation`, MIN_STATUS_LIST_BITS)), options);
    expect(outside.errors[0]).toMatchObject({ code: 'RANGE_ERROR', check: 'status' });
    const mismatch = await verify(await credentialWithStatus(entry(`${base}/suspension`, 0, 'revocation')), options);
    expect(mismatch.errors[0]).toMatchObject({ code: 'STATUS_UNCHECKED' });
    expect(mismatch.errors[0]?.message).toMatch(/for suspension, not revocation/);
  });

  it('a list credential whose bits were changed after signing is not trusted (STATUS_UNCHECKED)', async () => {
    const signed = (await bitstringListCredential(`${base}/tampered`, 'revocation', encodeStatusList({ set: [5] }))) as any;
    signed.credentialSubject.encodedList = encodeStatusList({ set: [] });
    routes.set('/tampered', { body: JSON.stringify(signed) });
    const report = await verify(await credentialWithStatus(entry(`${base}/tampered`, 5)), options);
    expect(report.verified).toBe(false);
    expect(report.errors[0]).toMatchObject({ code: 'STATUS_UNCHECKED', check: 'status' });
    expect(report.errors[0]?.message).toMatch(/does not verify \(signature:/);
  });

  it('an unsigned list is read but only warns when clear; a set bit still fails', async () => {
    routes.set('/unsigned', {
      body: JSON.stringify({
        '@context': [VC_V2],
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: issuer.did,
        credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeStatusList({ set: [9] }) },
      }),
    });
    const clear = await verify(await credentialWithStatus(entry(`${base}/unsigned`, 8)), options);
    expect(clear.verified).toBe(true);
    expect(statusFor(clear.checks)).toMatchObject({ outcome: 'warn' });
    expect(clear.warnings?.[0]).toMatch(/no proof/);
    const set = await verify(await credentialWithStatus(entry(`${base}/unsigned`, 9)), options);
    expect(set.errors[0]?.code).toBe('REVOKED');
  });

  it('a list shorter than 131,072 entries is refused (herd privacy)', async () => {
    routes.set('/short', { body: JSON.stringify(await bitstringListCredential(`${base}/short`, 'revocation', encodeStatusList({ length: 1024 }))) });
    const report = await verify(await credentialWithStatus(entry(`${base}/short`, 1)), options);
    expect(report.errors[0]).toMatchObject({ code: 'RANGE_ERROR' });
    expect(report.errors[0]?.message).toMatch(/STATUS_LIST_LENGTH_ERROR/);
  });

  it('unreachable lists: HTTP 404, not a list, and the SSRF guard without loopback allowed', async () => {
    const missing = await verify(await credentialWithStatus(entry(`${base}/nowhere`, 1)), options);
    expect(missing.errors[0]).toMatchObject({ code: 'STATUS_UNCHECKED' });
    expect(missing.errors[0]?.message).toMatch(/HTTP 404/);
    routes.set('/html', { type: 'text/html', body: '<html>hello</html>' });
    const html = await verify(await credentialWithStatus(entry(`${base}/html`, 1)), options);
    expect(html.errors[0]?.message).toMatch(/neither JSON nor a JWT/);
    const guarded = new Resolver({ adapters: [createKeyAdapter()] });
    try {
      const refused = await verify(await credentialWithStatus(entry(`${base}/revocation`, 42)), { ...options, resolver: guarded });
      expect(refused.errors[0]).toMatchObject({ code: 'STATUS_UNCHECKED', check: 'status' });
      expect(refused.errors[0]?.message).toMatch(/refused to connect.*loopback/);
    } finally {
      await guarded.close();
    }
  });

  it('inside a presentation the list credential cannot be verified one level deeper: the check warns and says why', async () => {
    const holderKey = ed25519.utils.randomSecretKey();
    const hmb = encodeMultikey({ type: 'Ed25519', bytes: ed25519.getPublicKey(holderKey) });
    const credential = await credentialWithStatus(entry(`${base}/revocation`, 42));
    const presentation = await signDataIntegrity({
      document: { '@context': [VC_V2], type: ['VerifiablePresentation'], holder: `did:key:${hmb}`, verifiableCredential: [credential] },
      privateKey: holderKey,
      verificationMethod: `did:key:${hmb}#${hmb}`,
      challenge: 'c',
    });
    const report = await verify(presentation, options);
    const inner = report.presentation!.credentials[0]!;
    const status = statusFor(inner.checks)!;
    expect(status.outcome).toBe('warn');
    expect(status.detail).toMatch(/could not be verified here \(LIMIT_EXCEEDED/);
    expect(status.detail).not.toMatch(/carries no proof/);
    // A revoked entry still fails there.
    const revoked = await signDataIntegrity({
      document: { '@context': [VC_V2], type: ['VerifiablePresentation'], holder: `did:key:${hmb}`, verifiableCredential: [await credentialWithStatus(entry(`${base}/revocation`, 7))] },
      privateKey: holderKey,
      verificationMethod: `did:key:${hmb}#${hmb}`,
      challenge: 'c',
    });
    const revokedReport = await verify(revoked, options);
    expect(revokedReport.verified).toBe(false);
    expect(revokedReport.presentation!.credentials[0]!.errors[0]?.code).toBe('REVOKED');
  });

  it('StatusList2021: a JWT status list credential (did-jwt EdDSA) with a base64 list', async () => {
    const signer = signerFor({ did: issuer.did, kid: issuer.vm, keyType: 'Ed25519', privateKey });
    const jwt = await signJwt(signer, {
      nbf: Math.floor(Date.parse('2025-01-01T00:00:00Z') / 1000),
      jti: `${base}/sl2021`,
      vc: {
        '@context': [VC_V1, SL2021],
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        credentialSubject: { id: `${base}/sl2021#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: encodeStatusList({ set: [11], style: 'base64' }) },
      },
    });
    routes.set('/sl2021', { type: 'application/vc+jwt', body: jwt });
    const credential = (index: number) =>
      signDataIntegrity({
        document: {
          '@context': [VC_V1, SL2021],
          type: ['VerifiableCredential'],
          issuer: issuer.did,
          issuanceDate: '2025-01-01T00:00:00Z',
          credentialSubject: { id: 'did:example:holder' },
          credentialStatus: { id: `${base}/sl2021#${index}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: `${base}/sl2021` },
        },
        privateKey,
        verificationMethod: issuer.vm,
      });
    const clear = await verify(await credential(10), options);
    expect(clear.verified).toBe(true);
    expect(statusFor(clear.checks)?.data).toMatchObject({ type: 'StatusList2021Entry', value: 0, listVerified: true });
    const revoked = await verify(await credential(11), options);
    expect(revoked.errors[0]).toMatchObject({ code: 'REVOKED', check: 'status' });
  });

  it('without status checkers an entry is STATUS_UNCHECKED (the core rule), so the checkers are what makes it pass', async () => {
    const report = await verify(await credentialWithStatus(entry(`${base}/revocation`, 42)), { ...options, statusCheckers: [] });
    expect(report.errors[0]).toMatchObject({ code: 'STATUS_UNCHECKED' });
  });
});
