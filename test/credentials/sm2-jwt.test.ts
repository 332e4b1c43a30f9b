/**
 * SM2 JWTs (`alg: "SM2"`: SM2 with SM3 over the JWS signing input, GM/T 0009 default user id, raw r‖s base64url),
 * cross-checked against sm-crypto (jsbn-based, an implementation independent of sm-crypto-v2 that src/keys/sm2.ts
 * uses): tokens we sign verify in sm-crypto, and tokens sm-crypto signs verify in `verify()`. The user id is part of
 * the signature: a different one must fail.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { createSm2Jwt, sm2JwsSigner, verifySm2JwsSignature, SM2_JWS_ALGORITHM } from '../../src/credentials/sm2-jwt.js';
import { verify } from '../../src/credentials/verify.js';
import { encodeHex } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { SM2_DEFAULT_USER_ID } from '../../src/keys/sm2.js';
import { Resolver } from '../../src/resolver.js';
import { didKeySigner, vc11Payload } from '../helpers/jwt-issuer.js';

interface SmCryptoOracle {
  sm2: {
    doSignature(msg: string, privateKeyHex: string, options: { hash: boolean; der?: boolean; userId?: string }): string;
    doVerifySignature(msg: string, signatureHex: string, publicKeyHex: string, options: { hash: boolean; der?: boolean; userId?: string }): boolean;
  };
}
const oracle = createRequire(import.meta.url)('sm-crypto') as SmCryptoOracle;

const NOW = '2025-06-01T00:00:00Z';
const resolver = new Resolver({ adapters: [createKeyAdapter()] });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed by sm-crypto, with the header and payload we choose. */
function oracleJwt(options: { privateKey: Uint8Array; header: Record<string, unknown>; payload: Record<string, unknown>; userId?: string; der?: boolean }): string {
  const signingInput = `${b64(options.header)}.${b64(options.payload)}`;
  const signatureHex = oracle.sm2.doSignature(signingInput, encodeHex(options.privateKey), {
    hash: true,
    der: options.der === true,
    ...(options.userId ? { userId: options.userId } : {}),
  });
  return `${signingInput}.${Buffer.from(signatureHex, 'hex').toString('base64url')}`;
}

describe('SM2 JWTs (alg "SM2")', () => {
  const issuer = didKeySigner('SM2');
  const publicHex = encodeHex(decompressPoint('SM2', issuer.publicKey));
  const payload = { iss: issuer.did, ...vc11Payload({ nbf: '2025-01-01T00:00:00Z' }) };

  it('createSm2Jwt writes alg SM2 and a 64-byte r‖s signature that sm-crypto verifies with the default user id', () => {
    const jwt = createSm2Jwt({ payload, privateKey: issuer.privateKey, header: { kid: issuer.kid, typ: 'JWT' } });
    const [h, p, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ kid: issuer.kid, typ: 'JWT', alg: SM2_JWS_ALGORITHM });
    const signature = Buffer.from(s!, 'base64url');
    expect(signature.length).toBe(64);
    expect(oracle.sm2.doVerifySignature(`${h}.${p}`, signature.toString('hex'), publicHex, { hash: true })).toBe(true);
    expect(oracle.sm2.doVerifySignature(`${h}.${p}`, signature.toString('hex'), publicHex, { hash: true, userId: 'someone-else' })).toBe(false);
    expect(SM2_DEFAULT_USER_ID).toBe('1234567812345678');
  });

  it('a JWT signed by sm-crypto verifies end to end through a did:key SM2 issuer', async () => {
    const jwt = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'SM2', kid: issuer.kid, typ: 'JWT' }, payload });
    const report = await verify(jwt, { resolver, now: NOW });
    expect(report.verified).toBe(true);
    expect(report.key).toMatchObject({ keyType: 'SM2', verificationMethod: issuer.kid });
    expect(report.checks.find((c) => c.name === 'signature')?.detail).toContain('GM/T 0009 default');
  });

  it('the user id is part of the signature: another one fails unless the verifier is told', async () => {
    const jwt = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'SM2', kid: issuer.kid }, payload, userId: 'ALICE123@YAHOO.COM' });
    const report = await verify(jwt, { resolver, now: NOW });
    expect(report.verified).toBe(false);
    expect(report.errors).toContainEqual(expect.objectContaining({ check: 'signature', code: 'CRYPTOGRAPHIC_SECURITY_ERROR' }));
    expect((await verify(jwt, { resolver, now: NOW, sm2UserId: 'ALICE123@YAHOO.COM' })).verified).toBe(true);
  });

  it('a DER-encoded signature is refused (JWS carries r‖s)', async () => {
    const jwt = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'SM2', kid: issuer.kid }, payload, der: true });
    const report = await verify(jwt, { resolver, now: NOW });
    expect(report.errors).toContainEqual(expect.objectContaining({ check: 'signature', code: 'CRYPTOGRAPHIC_SECURITY_ERROR' }));
  });

  it('ONT ID\'s "SM" is not accepted as an SM2 algorithm name, even with a valid SM2 signature', async () => {
    const jwt = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'SM', kid: issuer.kid }, payload });
    const report = await verify(jwt, { resolver, now: NOW });
    expect(report.errors).toContainEqual(expect.objectContaining({ check: 'signature', code: 'FEATURE_NOT_SUPPORTED' }));
    expect(report.checks.find((c) => c.name === 'signature')?.detail).toContain('"SM2"');
  });

  it('an SM2 signature does not verify as ES256 (alg confusion) and an Ed25519 issuer cannot sign SM2', async () => {
    const jwt = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'ES256', kid: issuer.kid }, payload });
    expect((await verify(jwt, { resolver, now: NOW })).verified).toBe(false);
    const ed = didKeySigner('Ed25519');
    const wrong = oracleJwt({ privateKey: issuer.privateKey, header: { alg: 'SM2', kid: ed.kid }, payload: { ...payload, iss: ed.did } });
    const report = await verify(wrong, { resolver, now: NOW });
    expect(report.errors).toContainEqual(expect.objectContaining({ check: 'key-authorised', code: 'INVALID_VERIFICATION_METHOD' }));
  });

  it('sm2JwsSigner and verifySm2JwsSignature agree with sm-crypto in both directions', async () => {
    const message = 'eyJhbGciOiJTTTIifQ.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0';
    const ours = Buffer.from(await sm2JwsSigner(issuer.privateKey)(message), 'base64url');
    expect(oracle.sm2.doVerifySignature(message, ours.toString('hex'), publicHex, { hash: true })).toBe(true);
    const theirs = Buffer.from(oracle.sm2.doSignature(message, encodeHex(issuer.privateKey), { hash: true }), 'hex');
    expect(verifySm2JwsSignature({ signingInput: message, signature: theirs, publicKey: issuer.publicKey })).toBe(true);
    theirs[10]! ^= 0x01;
    expect(verifySm2JwsSignature({ signingInput: message, signature: theirs, publicKey: issuer.publicKey })).toBe(false);
    expect(verifySm2JwsSignature({ signingInput: message, signature: theirs.subarray(0, 63), publicKey: issuer.publicKey })).toBe(false);
  });

  it('misuse throws TypeError naming the parameter', () => {
    expect(() => createSm2Jwt({ payload: [] as unknown as Record<string, unknown>, privateKey: issuer.privateKey })).toThrow(/"payload"/);
    expect(() => createSm2Jwt({ payload, privateKey: new Uint8Array(31) })).toThrow(/"privateKey"/);
    expect(() => sm2JwsSigner(new Uint8Array(5))).toThrow(/"privateKey"/);
  });
});
