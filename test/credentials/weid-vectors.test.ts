/**
 * WeIdentity CredentialPojo known-answer vectors (fixtures/credentials/weid/vectors.json, made by didbridge's signer:
 * @noble/curves secp256k1, sm-crypto-v2 SM2) checked by implementations that share no code with that signer:
 *
 * - secp256k1: ECDSA verification (SEC 1 §4.1.4) with OpenSSL's scalar multiplication through node:crypto (`ECDH` for
 *   u1·G and u2·Q, the key imported as a DER SPKI `KeyObject` so OpenSSL checks the point), and the two additions done
 *   here in BigInt;
 * - SM2: sm-crypto 0.5.8 (jsbn) verifying over the SM3 digest with the default user id, and sm-crypto's SM3 recomputing
 *   the digest of the thumbprint.
 *
 * And the thumbprint itself: recomputed by the code under test, and for one vector written out by hand from the rules
 * of domestic-methods.md §3.7.
 */
import { createECDH, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/credentials/verify.js';
import { weidCredentialFormatVerifier } from '../../src/credentials/weid/verify.js';
import { Resolver } from '../../src/resolver.js';
import { credentialThumbprint, sortedCompactJson, thumbprintDigest, type WeidProofType } from '../../src/credentials/weid/pojo.js';
import { readWeidSignature, recoverSecp256k1, verifySecp256k1, verifySm2 } from '../../src/credentials/weid/signature.js';
import { decodeDecimalPublicKey, encodeHex } from '../../src/keys/codecs.js';
import { keccak256 } from '../../src/keys/hash.js';
import { expectMutationsNeverVerify } from '../helpers/mutations.js';

interface Vector {
  name: string;
  keyType: 'secp256k1' | 'SM2';
  did: string;
  publicKeyDecimal: string;
  thumbprint: string;
  digestHex: string;
  sm2UserId?: string;
  credential: Record<string, any>;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/credentials/weid/vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] };
const smCrypto = createRequire(import.meta.url)('sm-crypto') as {
  sm2: { doVerifySignature(msg: number[], signatureHex: string, publicKeyHex: string, options: { hash: boolean; userId?: string }): boolean };
  sm3(input: number[] | string): string;
};

// ---- secp256k1 ECDSA verification on OpenSSL's scalar multiplication ------------------------------------------------
// Curve constants from SEC 2 v2 §2.4.1.
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SPKI_PREFIX = Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex'); // id-ecPublicKey, secp256k1

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function pow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}
const inv = (a: bigint, m: bigint) => pow(a, m - 2n, m);
const big = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const bytes32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
type Point = { x: bigint; y: bigint } | null;
function add(a: Point, b: Point): Point {
  if (!a) return b;
  if (!b) return a;
  if (a.x === b.x && mod(a.y + b.y, P) === 0n) return null;
  const l = a.x === b.x ? mod(3n * a.x * a.x * inv(2n * a.y, P), P) : mod((b.y - a.y) * inv(b.x - a.x, P), P);
  const x = mod(l * l - a.x - b.x, P);
  return { x, y: mod(l * (a.x - x) - a.y, P) };
}
/** k·Q with OpenSSL: x from ECDH, y fixed by also asking for x((k+1)·Q). */
function multiply(k: bigint, q: Buffer): Point {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(bytes32(k));
  const x = big(ecdh.computeSecret(q));
  const y0 = pow(x * x * x + 7n, (P + 1n) / 4n, P);
  const next = createECDH('secp256k1');
  next.setPrivateKey(bytes32(mod(k + 1n, N)));
  const xNext = big(next.computeSecret(q));
  const qPoint = { x: big(q.subarray(1, 33)), y: big(q.subarray(33)) };
  for (const y of [y0, P - y0]) if (add({ x, y }, qPoint)?.x === xNext) return { x, y };
  throw new Error('no consistent y');
}
function opensslVerify(digest: Uint8Array, r: Uint8Array, s: Uint8Array, publicKey: Buffer): boolean {
  // OpenSSL parses and checks the point (throws for a point off the curve).
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  const rn = big(r);
  const sn = big(s);
  if (rn < 1n || rn >= N || sn < 1n || sn >= N) return false;
  const w = inv(sn, N);
  const u1 = mod(big(digest) * w, N);
  const u2 = mod(rn * w, N);
  const g = createECDH('secp256k1');
  g.setPrivateKey(bytes32(u1));
  const G1 = g.getPublicKey();
  const R = add({ x: big(G1.subarray(1, 33)), y: big(G1.subarray(33)) }, multiply(u2, publicKey));
  return R !== null && mod(R.x, N) === rn;
}

const uncompressed = (decimal: string) => Buffer.concat([Buffer.from([4]), Buffer.from(decodeDecimalPublicKey(decimal))]);

describe('WeIdentity known-answer vectors, checked by independent implementations', () => {
  it('the fixture covers both curves, both layouts, lite1 and selective disclosure', () => {
    expect(fixture.vectors.map((v) => v.name)).toEqual([
      'secp256k1-original-rsv',
      'secp256k1-original-vrs',
      'secp256k1-lite1',
      'secp256k1-original-disclosed',
      'sm2-original',
      'sm2-lite1',
      'sm2-original-disclosed',
    ]);
  });

  for (const v of fixture.vectors) {
    const proofType: WeidProofType = v.keyType === 'SM2' ? 'SM2' : 'Secp256k1';
    describe(v.name, () => {
      const signature = readWeidSignature(v.credential.proof.signatureValue);
      const reading = signature.readings[0]!;
      const digest = Buffer.from(v.digestHex, 'hex');
      const publicKey = uncompressed(v.publicKeyDecimal);

      it('the thumbprint and its digest are recomputed exactly', () => {
        expect(credentialThumbprint({ credential: v.credential, proofType }).text).toBe(v.thumbprint);
        expect(encodeHex(thumbprintDigest(proofType, v.thumbprint))).toBe(v.digestHex);
        if (proofType === 'SM2') expect(smCrypto.sm3(Array.from(Buffer.from(v.thumbprint, 'utf8')))).toBe(v.digestHex);
      });

      it('the DID is the address of the key (Keccak-256 or SM3 of X‖Y)', () => {
        const xy = Array.from(publicKey.subarray(1));
        const hash = proofType === 'SM2' ? smCrypto.sm3(xy) : encodeHex(keccak256(Uint8Array.from(xy)));
        expect(v.did).toBe(`did:weid:101:0x${hash.slice(-40)}`);
      });

      it('the signature layout is the one the vector names', () => {
        expect(signature.problem).toBeUndefined();
        expect(signature.readings).toHaveLength(1);
        expect(reading.layout).toBe(v.name.endsWith('-vrs') ? 'vrs' : 'rsv');
      });

      if (proofType === 'Secp256k1') {
        it('OpenSSL (node:crypto) verifies the ECDSA signature over the Keccak-256 digest; a flipped digest bit fails', () => {
          expect(opensslVerify(digest, reading.r, reading.s, publicKey)).toBe(true);
          const other = Buffer.from(digest);
          other[31]! ^= 1;
          expect(opensslVerify(other, reading.r, reading.s, publicKey)).toBe(false);
        });
        it('the code under test recovers the same key and verifies', () => {
          expect(Buffer.from(recoverSecp256k1(digest, reading)!)).toEqual(publicKey);
          expect(verifySecp256k1(digest, reading, publicKey)).toBe(true);
        });
      } else {
        it('sm-crypto (jsbn) verifies the SM2 signature over the SM3 digest with the default user id', () => {
          const sig = encodeHex(reading.r) + encodeHex(reading.s);
          expect(reading.recovery).toBe(0);
          expect(smCrypto.sm2.doVerifySignature(Array.from(digest), sig, publicKey.toString('hex'), { hash: true })).toBe(true);
          expect(smCrypto.sm2.doVerifySignature(Array.from(digest), sig, publicKey.toString('hex'), { hash: true, userId: 'someone-else' })).toBe(false);
        });
        it('the code under test verifies, and not under another user id', () => {
          expect(verifySm2(digest, reading, publicKey)).toBe(true);
          expect(verifySm2(digest, reading, publicKey, 'someone-else')).toBe(false);
        });
      }
    });
  }

  it('the lite1 thumbprint, written out by hand from §3.7 (no context, type "lite1", raw claim, sorted keys)', () => {
    const v = fixture.vectors.find((x) => x.name === 'secp256k1-lite1')!;
    const c = v.credential;
    const byHand =
      `{"claim":{"age":18,"degree":{"major":"计算机科学","year":2024},"gender":"F","name":"zhangsan"},` +
      `"cptId":2000082,"expirationDate":1767225600,"id":"c85cbaea-753b-4ae7-830f-20fb718b01b7","issuanceDate":1735689600,` +
      `"issuer":"${c.issuer}","type":"lite1"}`;
    expect(v.thumbprint).toBe(byHand);
  });

  it('an original thumbprint salts each leaf as 0x + Keccak-256(String(value) + salt)', () => {
    const v = fixture.vectors.find((x) => x.name === 'secp256k1-original-rsv')!;
    const parsed = JSON.parse(v.thumbprint);
    expect(parsed.claim.age).toBe(`0x${encodeHex(keccak256('18exkEX'))}`);
    expect(parsed.claim.degree.major).toBe(`0x${encodeHex(keccak256('计算机科学Lp3Zt'))}`);
    expect(parsed.proof).toBeUndefined();
    expect(v.thumbprint).toBe(sortedCompactJson(parsed));
  });

  it('the disclosed vector keeps the signature of the full one', () => {
    const full = fixture.vectors.find((x) => x.name === 'secp256k1-original-rsv')!;
    const disclosed = fixture.vectors.find((x) => x.name === 'secp256k1-original-disclosed')!;
    expect(disclosed.credential.proof.signatureValue).toBe(full.credential.proof.signatureValue);
    expect(disclosed.thumbprint).toBe(full.thumbprint);
    expect(disclosed.credential.proof.salt.age).toBe('0');
    expect(disclosed.credential.claim.age).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('bad input never throws: random replacements anywhere in a vector give a report, never a verified one', async () => {
    // No adapters: issuer resolution fails, so a verified report could only come from a bug in the parsing paths.
    const resolver = new Resolver({ adapters: [] });
    const base = fixture.vectors[0]!.credential;
    try {
      await expectMutationsNeverVerify(
        base,
        (mutated) => verify(mutated, { resolver, formats: [weidCredentialFormatVerifier()], now: '2025-06-01T00:00:00Z' }),
        {
          numRuns: 150,
          maxDepth: 3,
          alsoExpect: (report) => {
            expect(Array.isArray(report.checks)).toBe(true);
            expect(report.errors.length).toBeGreaterThan(0);
          },
        },
      );
    } finally {
      await resolver.close();
    }
  });
});
