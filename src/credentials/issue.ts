/**
 * Issuing test credentials with the keys of sandbox DIDs (any method) or of generated did:key keys, so that
 * cross-border flows can be tested end to end: a did:bid issuer's JWT verified abroad, a did:key issuer's Data
 * Integrity credential verified at home, a did:weid issuer's CredentialPojo verified anywhere.
 *
 * | format | keys | how |
 * |---|---|---|
 * | `jwt` | Ed25519 (`EdDSA`), secp256k1 (`ES256K`), P-256 (`ES256`) | did-jwt's signers and `createJWT` |
 * | `jwt` | SM2 (`SM2`) | `createSm2Jwt` (src/credentials/sm2-jwt.ts; did-jwt's algorithm set is closed) |
 * | `di` | Ed25519 | `eddsa-rdfc-2022` (default) or `Ed25519Signature2020` (src/credentials/data-integrity/sign.ts) |
 * | `di` | P-256, P-384 | `ecdsa-rdfc-2019` (SHA-256 / SHA-384; src/credentials/data-integrity/sign.ts) |
 * | `weid` | secp256k1, SM2 of a did:weid DID | WeIdentity CredentialPojo (src/credentials/weid/sign.ts) |
 *
 * Key files: `didbridge sandbox create` writes `didbridge-sandbox-key/1` (`src/sandbox/key-file.ts`: the DID, its
 * verification method id, the key pair in hex); `didbridge keys generate --out` writes `didbridge-key/1`, which is
 * issued as the did:key DID of its public key (`type` Ed25519, secp256k1, SM2, P-256 or P-384, all of which
 * `keys generate` writes). This is a test tool: the private key is read from a file and used in
 * memory, and it never appears in the output.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 * @see https://www.w3.org/TR/vc-data-model/#json-web-token (1.1 JWT encoding)
 */
import { ES256KSigner, ES256Signer, EdDSASigner, createJWT } from 'did-jwt';
import { randomUUID } from 'node:crypto';
import { decompressPoint } from '../keys/curves.js';
import { decodeHex, encodeHex } from '../keys/codecs.js';
import { encodeMultikey, type KeyType } from '../keys/multikey.js';
import { publicKeyFromPrivateKey, type GeneratableKeyType } from '../keys/generate.js';
import { parseKeyFile, KEY_FILE_FORMAT } from '../sandbox/key-file.js';
import { CONTEXT_URLS } from './contexts/index.js';
import { signDataIntegrity } from './data-integrity/sign.js';
import { SUITE_KEY_TYPES, type SupportedSuite } from './data-integrity/suites.js';
import { createSm2Jwt } from './sm2-jwt.js';
import type { SignatureLayout } from './weid/signature.js';
import { signCredentialPojo } from './weid/sign.js';

/** The formats `issueCredential` writes. */
export const ISSUE_FORMATS = ['jwt', 'di', 'weid'] as const;
export type IssueFormat = (typeof ISSUE_FORMATS)[number];

/** The JWS algorithm of each key type. */
export const JWT_ALG_FOR_KEY: Readonly<Partial<Record<KeyType, string>>> = { Ed25519: 'EdDSA', secp256k1: 'ES256K', 'P-256': 'ES256', SM2: 'SM2' };

/** The `format` of key files written by `didbridge keys generate --out`. */
export const GENERATED_KEY_FILE_FORMAT = 'didbridge-key/1';

/** The key types an issuer key may have: the generatable ones (P-384 signs Data Integrity `ecdsa-rdfc-2019` only). */
export type IssuerKeyType = GeneratableKeyType;

/** A signing identity read from a key file. */
export interface IssuerKey {
  did: string;
  /** The verification method id proofs name. */
  verificationMethod: string;
  keyType: IssuerKeyType;
  privateKey: Uint8Array;
  /** The DID method (`key`, `bid`, `weid`, …). */
  method: string;
}

const KEY_TYPES: Readonly<Record<string, IssuerKeyType>> = {
  ed25519: 'Ed25519',
  secp256k1: 'secp256k1',
  sm2: 'SM2',
  'p-256': 'P-256',
  p256: 'P-256',
  'p-384': 'P-384',
  p384: 'P-384',
};

/** Private key lengths in bytes: 32, except P-384's 48-byte scalar. */
function privateKeyLength(keyType: IssuerKeyType): number {
  return keyType === 'P-384' ? 48 : 32;
}

/** An error in what the caller asked for (bad key file, a format the key cannot sign): the CLI's usage errors. */
export class IssueInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssueInputError';
  }
}

/**
 * Reads a key file (`didbridge-sandbox-key/1` or `didbridge-key/1`) into an issuer key. Checks that the private key
 * matches the public key the file states, so a corrupted or mixed-up file fails here rather than as a bad signature.
 *
 * @throws IssueInputError naming what is wrong
 */
export function readIssuerKey(value: unknown): IssuerKey {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new IssueInputError('a key file must be a JSON object');
  const format = (value as Record<string, unknown>).format;
  let did: string;
  let verificationMethod: string;
  let keyType: IssuerKeyType | undefined;
  let privateKeyHex: string;
  let publicKeyHex: string;
  let method: string;
  if (format === KEY_FILE_FORMAT) {
    let file;
    try {
      file = parseKeyFile(value);
    } catch (err) {
      throw new IssueInputError((err as Error).message);
    }
    ({ did, privateKeyHex, publicKeyHex, method } = file);
    verificationMethod = file.verificationMethodId;
    keyType = KEY_TYPES[file.keyType.toLowerCase()];
    if (!keyType) throw new IssueInputError(`key type ${JSON.stringify(file.keyType)} cannot sign credentials here; known: ${Object.keys(KEY_TYPES).join(', ')}`);
  } else if (format === GENERATED_KEY_FILE_FORMAT) {
    const v = value as Record<string, unknown>;
    keyType = typeof v.type === 'string' ? Object.values(KEY_TYPES).find((t) => t === v.type) : undefined;
    if (!keyType) throw new IssueInputError(`key file "type" must be one of Ed25519, secp256k1, SM2, P-256, P-384`);
    if (typeof v.publicKeyMultibase !== 'string' || typeof v.privateKeyHex !== 'string' || typeof v.publicKeyHex !== 'string') {
      throw new IssueInputError('a didbridge-key/1 file needs publicKeyMultibase, publicKeyHex and privateKeyHex');
    }
    did = `did:key:${v.publicKeyMultibase}`;
    verificationMethod = `${did}#${v.publicKeyMultibase}`;
    privateKeyHex = v.privateKeyHex;
    publicKeyHex = v.publicKeyHex;
    method = 'key';
  } else {
    throw new IssueInputError(`unknown key file format ${JSON.stringify(format ?? null)}; expected ${KEY_FILE_FORMAT} (didbridge sandbox create) or ${GENERATED_KEY_FILE_FORMAT} (didbridge keys generate)`);
  }
  let privateKey: Uint8Array;
  try {
    privateKey = decodeHex(privateKeyHex);
  } catch {
    throw new IssueInputError('the key file\'s privateKeyHex is not hex');
  }
  const expectedLength = privateKeyLength(keyType);
  if (privateKey.length !== expectedLength) {
    throw new IssueInputError(`the key file's private key is ${privateKey.length} bytes; ${expectedLength} expected for ${keyType}`);
  }
  // The public key must be the private key's: compare in compressed form, whatever form the file used.
  let derived;
  try {
    derived = publicKeyFromPrivateKey({ type: keyType, privateKey });
  } catch (err) {
    throw new IssueInputError(`the key file's private key is not a valid ${keyType} key: ${(err as Error).message}`);
  }
  // Key files hold the key in the form the method's SDK uses (raw, compressed, 04‖X‖Y or WeIdentity's bare X‖Y).
  const forms = new Set([encodeHex(derived.bytes)]);
  if (keyType !== 'Ed25519') {
    const full = encodeHex(decompressPoint(keyType, derived.bytes));
    forms.add(full);
    forms.add(full.slice(2));
  }
  if (!forms.has(publicKeyHex.toLowerCase())) throw new IssueInputError("the key file's private key does not belong to its public key");
  if (!verificationMethod.startsWith(did)) verificationMethod = verificationMethod.startsWith('#') ? `${did}${verificationMethod}` : `${did}#${verificationMethod}`;
  return { did, verificationMethod, keyType, privateKey, method };
}

/** Options of {@link issueCredential}. */
export interface IssueCredentialOptions {
  key: IssuerKey;
  format: IssueFormat;
  /** The claims: `credentialSubject` (JWT, Data Integrity) or `claim` (WeIdentity). */
  subject: Record<string, unknown>;
  /** JWT: the JWS algorithm; must be the key's (EdDSA, ES256K, ES256, SM2). Default: the key's. */
  alg?: string;
  /** JWT and Data Integrity: VC Data Model version. Default `2.0` for Data Integrity, `1.1` for JWT (the `vc` claim). */
  vcVersion?: '1.1' | '2.0';
  /** Data Integrity suite. Default: `eddsa-rdfc-2022` for Ed25519 keys, `ecdsa-rdfc-2019` for P-256 and P-384 keys. */
  suite?: SupportedSuite;
  /** Extra credential types after `VerifiableCredential`. */
  types?: readonly string[];
  /** The credential id (a URL). Default: `urn:uuid:<random>`. */
  id?: string;
  /** Validity bounds. Default: from now, no end. */
  validFrom?: Date;
  validUntil?: Date;
  /** A `credentialStatus` entry (BitstringStatusListEntry, StatusList2021Entry). */
  credentialStatus?: Record<string, unknown>;
  /** WeIdentity: the CPT id (default 2000000, the first non-authority id) and credential type. */
  cptId?: number;
  weidType?: 'original' | 'lite1';
  /** WeIdentity: the signature layout (default `rsv`, the v3 SDK's). */
  layout?: SignatureLayout;
  /** The clock (tests pass one). */
  now?: Date;
}

/** An issued credential. */
export interface IssuedCredential {
  format: IssueFormat;
  /** A compact JWT (format `jwt`) or a JSON credential. */
  credential: string | Record<string, unknown>;
  issuer: string;
  verificationMethod: string;
  /** The JWS alg, Data Integrity suite, or WeIdentity proof type. */
  algorithm: string;
}

function xml(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Issues a credential (see the module comment).
 *
 * @throws IssueInputError when the key cannot sign the format (a did:key issuing WeIdentity, an SM2 key issuing Data
 *   Integrity) or the options conflict; TypeError for programmer misuse
 * @example
 * const key = readIssuerKey(JSON.parse(await readFile('bid.key.json', 'utf8')))
 * const { credential } = await issueCredential({ key, format: 'jwt', subject: { id: holder, degree: 'BSc' } })
 */
export async function issueCredential(options: IssueCredentialOptions): Promise<IssuedCredential> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { key, format, subject } = options;
  if (!key || typeof key.did !== 'string' || !(key.privateKey instanceof Uint8Array)) throw new TypeError('"options.key" must be an IssuerKey (readIssuerKey)');
  if (!ISSUE_FORMATS.includes(format)) throw new IssueInputError(`format must be one of ${ISSUE_FORMATS.join(', ')}`);
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) throw new IssueInputError('the subject must be a JSON object');
  const now = options.now ?? new Date();
  const validFrom = options.validFrom ?? now;
  const id = options.id ?? `urn:uuid:${randomUUID()}`;
  const types = ['VerifiableCredential', ...(options.types ?? [])];

  if (format === 'weid') {
    if (key.method !== 'weid') throw new IssueInputError(`WeIdentity credentials are issued by did:weid DIDs; ${key.did} is did:${key.method}`);
    if (key.keyType !== 'secp256k1' && key.keyType !== 'SM2') throw new IssueInputError('WeIdentity credentials are signed with secp256k1 or SM2 keys');
    const proofType = key.keyType === 'SM2' ? 'SM2' : 'Secp256k1';
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    const credential = signCredentialPojo({
      issuer: key.did,
      creator: key.verificationMethod,
      cptId: options.cptId ?? 2_000_000,
      claim: subject,
      privateKey: key.privateKey,
      proofType,
      type: options.weidType ?? 'original',
      layout: options.layout ?? 'rsv',
      issuanceDate: seconds(validFrom),
      ...(options.validUntil ? { expirationDate: seconds(options.validUntil) } : {}),
      id: id.replace(/^urn:uuid:/, ''),
    });
    return { format, credential, issuer: key.did, verificationMethod: key.verificationMethod, algorithm: proofType };
  }

  const version = options.vcVersion ?? (format === 'di' ? '2.0' : '1.1');
  const base = version === '2.0' ? CONTEXT_URLS.credentialsV2 : CONTEXT_URLS.credentialsV1;
  const document: Record<string, unknown> = {
    '@context': [base],
    id,
    type: types,
    issuer: key.did,
    ...(version === '2.0'
      ? { validFrom: xml(validFrom), ...(options.validUntil ? { validUntil: xml(options.validUntil) } : {}) }
      : { issuanceDate: xml(validFrom), ...(options.validUntil ? { expirationDate: xml(options.validUntil) } : {}) }),
    credentialSubject: subject,
    ...(options.credentialStatus ? { credentialStatus: options.credentialStatus } : {}),
  };

  if (format === 'di') {
    const keyType = key.keyType;
    if (keyType !== 'Ed25519' && keyType !== 'P-256' && keyType !== 'P-384') {
      throw new IssueInputError(
        `Data Integrity issuance needs an Ed25519 key (eddsa-rdfc-2022, Ed25519Signature2020) or a P-256 / P-384 key (ecdsa-rdfc-2019); this key is ${keyType}`,
      );
    }
    const suite = options.suite ?? (keyType === 'Ed25519' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019');
    if (!(SUITE_KEY_TYPES[suite] as readonly string[] | undefined)?.includes(keyType)) {
      throw new IssueInputError(`the ${String(suite)} suite signs with ${SUITE_KEY_TYPES[suite]?.join(' or ') ?? 'other'} keys; this key is ${keyType}`);
    }
    // Claims outside the VC vocabulary need a vocabulary, or RDF canonicalisation (safe mode) refuses them.
    (document['@context'] as string[]).push(version === '2.0' ? CONTEXT_URLS.credentialsExamplesV2 : CONTEXT_URLS.credentialsExamplesV1);
    const signed = await signDataIntegrity({
      document,
      privateKey: key.privateKey,
      keyType,
      verificationMethod: key.verificationMethod,
      suite,
      created: xml(now),
    });
    return { format, credential: signed, issuer: key.did, verificationMethod: key.verificationMethod, algorithm: suite };
  }

  const keyAlg = JWT_ALG_FOR_KEY[key.keyType];
  if (keyAlg === undefined) {
    throw new IssueInputError(`${key.keyType} keys sign Data Integrity credentials here (--format di, ecdsa-rdfc-2019), not JWTs`);
  }
  const alg = options.alg ?? keyAlg;
  if (alg === undefined || alg !== keyAlg) {
    throw new IssueInputError(`a ${key.keyType} key signs JWTs with ${JWT_ALG_FOR_KEY[key.keyType]}, not ${String(alg)}`);
  }
  const header = { kid: key.verificationMethod, typ: version === '2.0' ? 'vc+jwt' : 'JWT' };
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  let payload: Record<string, unknown>;
  if (version === '2.0') {
    payload = { ...document, iss: key.did, iat: seconds(now) };
  } else {
    const { issuer: _issuer, issuanceDate: _from, expirationDate: _until, id: _id, ...vc } = document;
    const subjectId = typeof subject.id === 'string' ? subject.id : undefined;
    payload = {
      iss: key.did,
      ...(subjectId ? { sub: subjectId } : {}),
      jti: id,
      nbf: seconds(validFrom),
      iat: seconds(now),
      ...(options.validUntil ? { exp: seconds(options.validUntil) } : {}),
      vc,
    };
  }
  let jwt: string;
  if (key.keyType === 'SM2') {
    jwt = createSm2Jwt({ payload, privateKey: key.privateKey, header });
  } else {
    const signer = key.keyType === 'Ed25519' ? EdDSASigner(key.privateKey) : key.keyType === 'secp256k1' ? ES256KSigner(key.privateKey) : ES256Signer(key.privateKey);
    // did-jwt types `typ` as the literal 'JWT'; VC-JOSE-COSE's `vc+jwt` is a valid value all the same.
    jwt = await createJWT(payload, { issuer: key.did, signer, alg }, header as unknown as Parameters<typeof createJWT>[2]);
  }
  return { format, credential: jwt, issuer: key.did, verificationMethod: key.verificationMethod, algorithm: alg };
}

/** The did:key key-file form of a generated key (for tests and callers holding raw keys). */
export function didKeyIssuer(options: { keyType: IssuerKeyType; privateKey: Uint8Array }): IssuerKey {
  const publicKey = publicKeyFromPrivateKey({ type: options.keyType, privateKey: options.privateKey });
  const mb = encodeMultikey(publicKey);
  return { did: `did:key:${mb}`, verificationMethod: `did:key:${mb}#${mb}`, keyType: options.keyType, privateKey: options.privateKey, method: 'key' };
}
