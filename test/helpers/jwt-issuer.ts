/**
 * Test issuers and holders that sign JWT credentials and presentations: did:key identities of every key type we
 * verify (fresh keys per call), signed with did-jwt's own signers (EdDSASigner, ES256KSigner, ES256Signer) so the
 * JWTs are produced by an implementation independent of the verifier, and SM2 with `createSm2Jwt` (did-jwt cannot
 * sign SM2). Also builders for VC Data Model 1.1 / 2.0 payloads and for tampered tokens.
 *
 * Part B's `didbridge issue` is the production signer; this is test scaffolding only.
 */
import { ES256KSigner, ES256Signer, EdDSASigner, createJWS, type Signer } from 'did-jwt';
import { createSm2Jwt } from '../../src/credentials/sm2-jwt.js';
import { generateKeyPair, type GeneratableKeyType } from '../../src/keys/generate.js';
import { encodeMultikey } from '../../src/keys/multikey.js';

export const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

/** The JWS alg each key type signs with. */
export const ALG_FOR: Record<GeneratableKeyType, string> = { Ed25519: 'EdDSA', secp256k1: 'ES256K', 'P-256': 'ES256', SM2: 'SM2', 'P-384': 'ES384' };

/** A signing identity: a DID, the verification method its key is, and the key pair. */
export interface TestSigner {
  did: string;
  /** The verification method id (`kid`). */
  kid: string;
  keyType: GeneratableKeyType;
  alg: string;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A did:key identity with a fresh key pair. */
export function didKeySigner(keyType: GeneratableKeyType): TestSigner {
  const pair = generateKeyPair({ type: keyType });
  const mb = encodeMultikey({ type: keyType, bytes: pair.publicKey });
  const did = `did:key:${mb}`;
  return { did, kid: `${did}#${mb}`, keyType, alg: ALG_FOR[keyType], privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** A signer identity for an existing DID and key (a sandbox DID, a test document). */
export function signerFor(options: { did: string; kid: string; keyType: GeneratableKeyType; privateKey: Uint8Array; publicKey?: Uint8Array }): TestSigner {
  return { ...options, alg: ALG_FOR[options.keyType], publicKey: options.publicKey ?? new Uint8Array() };
}

function didJwtSigner(signer: TestSigner): Signer {
  switch (signer.keyType) {
    case 'Ed25519':
      return EdDSASigner(signer.privateKey);
    case 'secp256k1':
      return ES256KSigner(signer.privateKey);
    case 'P-256':
      return ES256Signer(signer.privateKey);
    default:
      throw new TypeError(`did-jwt has no signer for ${signer.keyType}`);
  }
}

/** Options of {@link signJwt}. */
export interface SignJwtOptions {
  /** `kid` header: the signer's method id by default; false to leave it out; a string to name another. */
  kid?: string | false;
  /** Extra header members (`typ`). */
  header?: Record<string, unknown>;
  /** Override the `iss` claim (default: the signer's DID; null to leave it out). */
  iss?: string | null;
}

/**
 * Signs a payload as a JWT with the signer's algorithm. `iss` defaults to the signer's DID. Timestamps are only what
 * the payload says (did-jwt would add `iat` = wall clock otherwise; tests run on fixed clocks).
 */
export async function signJwt(signer: TestSigner, payload: Record<string, unknown>, options: SignJwtOptions = {}): Promise<string> {
  const kid = options.kid === false ? undefined : (options.kid ?? signer.kid);
  const header: Record<string, unknown> = { typ: 'JWT', ...(options.header ?? {}), ...(kid ? { kid } : {}) };
  const iss = options.iss === null ? undefined : (options.iss ?? signer.did);
  const claims: Record<string, unknown> = { iat: undefined, ...payload, ...(iss === undefined ? {} : { iss }) };
  if (signer.keyType === 'SM2') {
    return createSm2Jwt({ payload: JSON.parse(JSON.stringify(claims)) as Record<string, unknown>, privateKey: signer.privateKey, header });
  }
  // did-jwt's createJWS signs exactly these claims (createJWT would insist on an issuer and add a wall-clock iat).
  return createJWS(JSON.parse(JSON.stringify(claims)) as Record<string, unknown>, didJwtSigner(signer), { ...header, alg: signer.alg });
}

/** Seconds since the epoch of an XML datetime. */
export function seconds(datetime: string): number {
  return Math.floor(Date.parse(datetime) / 1000);
}

/** A VC Data Model 1.1 JWT payload (`vc` claim, `nbf`/`exp`/`jti`/`sub` per §6.3.1). */
export function vc11Payload(options: {
  subject?: string;
  nbf?: string;
  exp?: string;
  iat?: string;
  jti?: string;
  claims?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  vc?: Record<string, unknown>;
} = {}): Record<string, unknown> {
  const subject: Record<string, unknown> = { ...(options.claims ?? { degree: { type: 'BachelorDegree', name: 'Bachelor of Science' } }) };
  return {
    ...(options.nbf ? { nbf: seconds(options.nbf) } : {}),
    ...(options.exp ? { exp: seconds(options.exp) } : {}),
    ...(options.iat ? { iat: seconds(options.iat) } : {}),
    ...(options.jti ? { jti: options.jti } : {}),
    ...(options.subject ? { sub: options.subject } : {}),
    vc: {
      '@context': [VC_V1],
      type: ['VerifiableCredential', 'UniversityDegreeCredential'],
      credentialSubject: subject,
      ...(options.vc ?? {}),
    },
    ...(options.extra ?? {}),
  };
}

/** A VC Data Model 2.0 credential (the payload of a `vc+jwt`). */
export function vc20Payload(options: { issuer: string; subject?: string; validFrom?: string; validUntil?: string; extra?: Record<string, unknown> }): Record<string, unknown> {
  return {
    '@context': [VC_V2],
    type: ['VerifiableCredential', 'ExampleDegreeCredential'],
    issuer: options.issuer,
    ...(options.validFrom ? { validFrom: options.validFrom } : {}),
    ...(options.validUntil ? { validUntil: options.validUntil } : {}),
    credentialSubject: { ...(options.subject ? { id: options.subject } : {}), degree: { type: 'ExampleBachelorDegree', name: 'Bachelor of Science and Arts' } },
    ...(options.extra ?? {}),
  };
}

/** A VC Data Model 1.1 presentation payload (`vp` claim) carrying the given credentials. */
export function vp11Payload(options: { credentials: unknown[]; aud?: string; nonce?: string; nbf?: string; exp?: string; holder?: string }): Record<string, unknown> {
  return {
    ...(options.aud ? { aud: options.aud } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
    ...(options.nbf ? { nbf: seconds(options.nbf) } : {}),
    ...(options.exp ? { exp: seconds(options.exp) } : {}),
    vp: {
      '@context': [VC_V1],
      type: ['VerifiablePresentation'],
      verifiableCredential: options.credentials,
      ...(options.holder ? { holder: options.holder } : {}),
    },
  };
}

/** Replaces the payload of a JWT without re-signing it (a tampered token). */
export function tamperPayload(jwt: string, change: (payload: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

/** Replaces the header of a JWT without re-signing it. */
export function tamperHeader(jwt: string, change: (header: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(header);
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`;
}
