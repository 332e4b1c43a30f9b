/**
 * JWT-secured credentials and presentations: the VC Data Model 1.1 JWT encoding (`vc` / `vp` claims, §6.3.1) and the
 * VC Data Model 2.0 JOSE form (the payload is the credential itself, `typ: vc+jwt` / `vp+jwt`), signed with EdDSA
 * (Ed25519), ES256 (P-256), ES256K (secp256k1) or SM2 (see `sm2-jwt.ts`).
 *
 * **Verification path.** Signatures are verified here, not by did-jwt: node:crypto for EdDSA and ES256 (prepared
 * KeyObjects cached per key), @noble/curves for ES256K (low-S not required, as RFC 8812 does not require it) and
 * `src/keys/sm2.ts` for SM2. That lets the report name every check separately (did-jwt answers one error string),
 * covers keys did-jwt cannot read (SM2 Multikey, any key in a translated domestic document) and is the fast path the
 * benchmark measures. did-jwt-vc 4 stays as an independent cross-check: with `crossCheck: true` the same JWT goes
 * through its `verifyCredential` / `verifyPresentation` over the same resolver, and a disagreement fails the report.
 * The check detail always names the path used.
 *
 * **Key selection.** The issuer is `iss` (1.1) or `issuer` (2.0); a `kid` header must be a key of that DID and is
 * used alone; without `kid` every method of a fitting key type is tried, those under `assertionMethod` (credentials)
 * or `authentication` (presentations) first (`issuer-key.ts`).
 *
 * @see https://www.w3.org/TR/vc-data-model/#jwt-encoding (VC Data Model 1.1 §6.3.1)
 * @see https://www.w3.org/TR/vc-jose-cose/ (Securing Verifiable Credentials using JOSE and COSE)
 * @see https://www.rfc-editor.org/rfc/rfc7515 (JWS), https://www.rfc-editor.org/rfc/rfc7518 (ES256),
 *   https://www.rfc-editor.org/rfc/rfc8037 (EdDSA), https://www.rfc-editor.org/rfc/rfc8812 (ES256K)
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { verifyCredential as didJwtVerifyCredential, verifyPresentation as didJwtVerifyPresentation } from 'did-jwt-vc';
import { decompressPoint } from '../keys/curves.js';
import { encodeHex } from '../keys/codecs.js';
import type { KeyType, PublicKey } from '../keys/multikey.js';
import type { Resolver } from '../resolver.js';
import { VALIDITY_KIND, readNumericDate, readXmlDatetime, type ValidityBound, type ValiditySource } from './clock.js';
import { isCompactJws, wrappedJwt } from './detect.js';
import type { FormatVerifier, VerifyContext } from './format.js';
import { verifyWithCandidates, type KeyRelationship, type SignatureAttempt } from './issuer-key.js';
import { ReportBuilder, type VerificationReport } from './report.js';
import { REFUSED_SM2_ALGORITHM_NAMES, SM2_JWS_ALGORITHM, verifySm2JwsSignature } from './sm2-jwt.js';

/** The base contexts of VC Data Model 1.1 and 2.0. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';

/** Longest compact JWS accepted by the JWT verifier (a presentation carrying many credentials is the large case). */
export const MAX_JWT_LENGTH = 1024 * 1024;

/** A decoded compact JWS. */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `BASE64URL(header) '.' BASE64URL(payload)`, the bytes the signature covers (ASCII). */
  signingInput: string;
  signature: Uint8Array;
}

/** Why a JWT could not be decoded. */
export interface JwsProblem {
  detail: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function decodeJsonSegment(segment: string): unknown {
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  // A reviver makes JSON.parse several times slower; only pay for it when there is a "__proto__" key to drop.
  return text.includes('__proto__')
    ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value))
    : JSON.parse(text);
}

/**
 * Decodes a compact JWS (RFC 7515 §7.1): three base64url segments, a JSON object header with a string `alg`, a JSON
 * object payload. Refuses `crit` (RFC 7515 §4.1.11: extensions we do not understand must be rejected) and the
 * unencoded payload option (`b64: false`, RFC 7797).
 */
export function decodeCompactJws(jwt: string): DecodedJws | JwsProblem {
  if (typeof jwt !== 'string' || jwt.length > MAX_JWT_LENGTH || !isCompactJws(jwt)) {
    return { detail: `not a compact JWS (three base64url segments${jwt.length > MAX_JWT_LENGTH ? `, at most ${MAX_JWT_LENGTH} characters` : ''})` };
  }
  const first = jwt.indexOf('.');
  const second = jwt.indexOf('.', first + 1);
  const headerB64 = jwt.slice(0, first);
  const payloadB64 = jwt.slice(first + 1, second);
  let header: unknown;
  let payload: unknown;
  try {
    header = decodeJsonSegment(headerB64);
  } catch {
    return { detail: 'the JWS header is not base64url-encoded JSON' };
  }
  try {
    payload = decodeJsonSegment(payloadB64);
  } catch {
    return { detail: 'the JWS payload is not base64url-encoded JSON' };
  }
  if (!isObject(header)) return { detail: 'the JWS header is not a JSON object' };
  if (!isObject(payload)) return { detail: 'the JWT payload is not a JSON object (RFC 7519 §7.2)' };
  if (typeof header.alg !== 'string' || header.alg === '') return { detail: 'the JWS header has no "alg" (RFC 7515 §4.1.1)' };
  if (header.crit !== undefined) {
    return { detail: `the JWS header marks ${JSON.stringify(header.crit).slice(0, 100)} critical; no extension is understood here (RFC 7515 §4.1.11)` };
  }
  if (header.b64 === false) return { detail: 'unencoded payloads ("b64": false, RFC 7797) are not supported' };
  const signature = Buffer.from(jwt.slice(second + 1), 'base64url');
  return { header, payload, signingInput: `${headerB64}.${payloadB64}`, signature: new Uint8Array(signature.buffer, signature.byteOffset, signature.length) };
}

// ------------------------------------------------------------------------------------------------------------------
// Signature algorithms

/** The key a signature is checked with: the public key and a string naming its material (for the KeyObject cache). */
interface PreparedKey {
  publicKey: PublicKey;
  cacheKey: string;
}

/** A JWS algorithm this module verifies. */
interface JwsAlgorithm {
  keyTypes: readonly KeyType[];
  verify(signingInput: string, signature: Uint8Array, key: PreparedKey, sm2UserId: string | undefined): SignatureAttempt;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/** node:crypto KeyObjects by key material: creating one parses DER (and decompresses EC points) each time. */
const KEY_OBJECT_LIMIT = 2048;
const keyObjects = new Map<string, KeyObject>();

function keyObjectFor(key: PreparedKey): KeyObject {
  const cacheKey = `${key.publicKey.type}|${key.cacheKey}`;
  let object = keyObjects.get(cacheKey);
  if (object) return object;
  // DER import, never JWK export: Node 20's Ed25519 JWK export can deadlock (dependencies.md §2).
  const der =
    key.publicKey.type === 'Ed25519'
      ? Buffer.concat([ED25519_SPKI_PREFIX, key.publicKey.bytes])
      : Buffer.concat([P256_SPKI_PREFIX, decompressPoint('P-256', key.publicKey.bytes)]);
  object = createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (keyObjects.size >= KEY_OBJECT_LIMIT) keyObjects.delete(keyObjects.keys().next().value as string);
  keyObjects.set(cacheKey, object);
  return object;
}

const ALGORITHMS: Readonly<Record<string, JwsAlgorithm>> = {
  EdDSA: {
    keyTypes: ['Ed25519'],
    verify(signingInput, signature, key) {
      if (signature.length !== 64) return { valid: false, path: 'node:crypto Ed25519 (RFC 8032)' };
      return { valid: cryptoVerify(null, Buffer.from(signingInput, 'latin1'), keyObjectFor(key), signature), path: 'node:crypto Ed25519 (RFC 8032)' };
    },
  },
  ES256: {
    keyTypes: ['P-256'],
    verify(signingInput, signature, key) {
      const path = 'node:crypto ECDSA P-256 SHA-256 (RFC 7518 §3.4)';
      if (signature.length !== 64) return { valid: false, path };
      return {
        valid: cryptoVerify('sha256', Buffer.from(signingInput, 'latin1'), { key: keyObjectFor(key), dsaEncoding: 'ieee-p1363' }, signature),
        path,
      };
    },
  },
  ES256K: {
    keyTypes: ['secp256k1'],
    verify(signingInput, signature, key) {
      const path = '@noble/curves secp256k1 ECDSA SHA-256 (RFC 8812)';
      if (signature.length !== 64) return { valid: false, path };
      const digest = sha256(Buffer.from(signingInput, 'latin1'));
      return { valid: secp256k1.verify(signature, digest, key.publicKey.bytes, { prehash: false, lowS: false, format: 'compact' }), path };
    },
  },
  [SM2_JWS_ALGORITHM]: {
    keyTypes: ['SM2'],
    verify(signingInput, signature, key, userId) {
      return {
        valid: verifySm2JwsSignature({ signingInput, signature, publicKey: key.publicKey.bytes, userId }),
        path: `sm-crypto-v2 SM2 with SM3, GB/T 32918.2 (user id ${userId === undefined ? 'GM/T 0009 default' : JSON.stringify(userId)})`,
      };
    },
  },
};

/** The JWS algorithms verified. `Ed25519` is the fully-specified name for EdDSA over Ed25519 (RFC 9864). */
export const JWT_ALGORITHMS: readonly string[] = [...Object.keys(ALGORITHMS), 'Ed25519'];

function algorithmFor(alg: string): JwsAlgorithm | undefined {
  return alg === 'Ed25519' ? ALGORITHMS.EdDSA : Object.prototype.hasOwnProperty.call(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
}

/**
 * Verifies a JWS signature with a given public key (no DID resolution): the signature layer of `verifyJwt`, for
 * published JWS test vectors and for callers that already hold the key. Returns undefined for an algorithm that is
 * not supported, and `valid: false` for a key of the wrong type.
 *
 * @example verifyJwsSignature({ alg: 'EdDSA', signingInput, signature, publicKey: { type: 'Ed25519', bytes } })
 */
export function verifyJwsSignature(options: {
  alg: string;
  signingInput: string;
  signature: Uint8Array;
  publicKey: PublicKey;
  sm2UserId?: string;
}): SignatureAttempt | undefined {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { alg, signingInput, signature, publicKey } = options;
  if (typeof signingInput !== 'string') throw new TypeError('"signingInput" must be a string');
  if (!(signature instanceof Uint8Array)) throw new TypeError('"signature" must be a Uint8Array');
  if (!publicKey || !(publicKey.bytes instanceof Uint8Array)) throw new TypeError('"publicKey" must be a PublicKey');
  const algorithm = algorithmFor(alg);
  if (!algorithm) return undefined;
  if (!algorithm.keyTypes.includes(publicKey.type)) return { valid: false, path: `a ${publicKey.type} key cannot verify ${alg}` };
  return algorithm.verify(signingInput, signature, { publicKey, cacheKey: `raw:${encodeHex(publicKey.bytes)}` }, options.sm2UserId);
}

function unsupportedAlgorithmDetail(alg: string): string {
  if (alg === 'none') return 'an unsecured JWT ("alg": "none") carries no proof';
  if (REFUSED_SM2_ALGORITHM_NAMES.includes(alg)) {
    return `"alg": ${JSON.stringify(alg)} is not accepted for SM2 signatures; didbridge writes and verifies "SM2" (SM2 with SM3 and the GM/T 0009 default user id), see src/credentials/README.md`;
  }
  return `"alg": ${JSON.stringify(alg.slice(0, 40))} is not supported; supported: ${JWT_ALGORITHMS.join(', ')}`;
}

// ------------------------------------------------------------------------------------------------------------------
// The data model

/** What a JWT carries, once classified. */
interface JwtCredentialView {
  kind: 'credential' | 'presentation';
  model: '1.1' | '2.0';
  /** The signer's DID: the issuer (credential) or holder (presentation). */
  signer: string | undefined;
  /** The credential or presentation object (the `vc` / `vp` claim, or the payload in the 2.0 form). */
  body: Record<string, unknown>;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.id === 'string') return value.id;
  return undefined;
}

function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return [];
}

function contextsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Classifies a payload; a string says why it is neither a credential nor a presentation. */
function classify(header: Record<string, unknown>, payload: Record<string, unknown>): JwtCredentialView | string {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (isObject(payload.vc) && isObject(payload.vp)) return 'the JWT carries both a "vc" and a "vp" claim';
  if (isObject(payload.vc)) return { kind: 'credential', model: '1.1', signer: typeof payload.iss === 'string' ? payload.iss : undefined, body: payload.vc };
  if (isObject(payload.vp)) return { kind: 'presentation', model: '1.1', signer: typeof payload.iss === 'string' ? payload.iss : undefined, body: payload.vp };
  const types = typesOf(payload.type);
  const vcTyp = typ === 'vc+jwt' || typ === 'vc+ld+json+jwt' || typ === 'vc+ld+jwt';
  const vpTyp = typ === 'vp+jwt' || typ === 'vp+ld+json+jwt' || typ === 'vp+ld+jwt';
  if (typ !== undefined && typ !== 'jwt' && !vcTyp && !vpTyp) {
    return `"typ" ${JSON.stringify(String(header.typ).slice(0, 60))} is not a credential or presentation media type (vc+jwt, vp+jwt, or JWT for the VC Data Model 1.1 encoding)`;
  }
  const cty = typeof header.cty === 'string' ? header.cty.toLowerCase().replace(/^application\//, '') : undefined;
  if (cty !== undefined && !['vc', 'vp', 'jwt', 'vc+ld+json', 'vp+ld+json', 'json'].includes(cty)) {
    return `"cty" ${JSON.stringify(String(header.cty).slice(0, 60))} is not a credential or presentation content type`;
  }
  if (payload.vc !== undefined || payload.vp !== undefined) {
    // VC-JOSE-COSE §3.1.1: the claim names vc and vp MUST NOT be present in a secured credential or presentation.
    return 'the JWT has "vc" / "vp" members that are not the VC Data Model 1.1 claims (objects); VC-JOSE-COSE forbids them in a secured credential';
  }
  if (vcTyp || (!vpTyp && types.includes('VerifiableCredential'))) {
    return { kind: 'credential', model: '2.0', signer: idOf(payload.issuer) ?? (typeof payload.iss === 'string' ? payload.iss : undefined), body: payload };
  }
  if (vpTyp || types.includes('VerifiablePresentation')) {
    return { kind: 'presentation', model: '2.0', signer: idOf(payload.holder) ?? (typeof payload.iss === 'string' ? payload.iss : undefined), body: payload };
  }
  return 'the JWT has no "vc" or "vp" claim (VC Data Model 1.1 §6.3.1) and is not a VC-JOSE-COSE credential or presentation (typ vc+jwt / vp+jwt, or a "type" naming one)';
}

/** Data-model problems of the credential or presentation (the `format` check). */
function shapeProblems(view: JwtCredentialView, payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const body = view.body;
  const contexts = contextsOf(body['@context']);
  const base = view.model === '1.1' ? [VC_CONTEXT_V1, VC_CONTEXT_V2] : [VC_CONTEXT_V2];
  if (contexts.length === 0) problems.push('"@context" is missing');
  else if (!base.includes(contexts[0] as string)) {
    problems.push(`the first "@context" must be ${base.join(' or ')}, got ${JSON.stringify(contexts[0]).slice(0, 80)}`);
  }
  const wantedType = view.kind === 'credential' ? 'VerifiableCredential' : 'VerifiablePresentation';
  if (!typesOf(body.type).includes(wantedType)) problems.push(`"type" must include "${wantedType}"`);
  if (!view.signer) {
    problems.push(view.kind === 'credential' ? 'no issuer ("iss" or "issuer")' : 'no holder ("iss" or "holder")');
  }
  if (view.kind === 'credential') {
    const subject = body.credentialSubject;
    if (!(isObject(subject) || (Array.isArray(subject) && subject.length > 0 && subject.every(isObject)))) {
      problems.push('"credentialSubject" must be an object or a non-empty array of objects');
    }
    const declared = idOf(body.issuer);
    if (body.issuer !== undefined && declared === undefined) problems.push('"issuer" must be a URL or an object with an "id"');
    if (declared !== undefined && view.signer !== undefined && declared !== view.signer) {
      problems.push(`"issuer" (${declared.slice(0, 100)}) and "iss" (${view.signer.slice(0, 100)}) name different issuers`);
    }
    if (view.model === '2.0' && typeof payload.iss === 'string' && declared !== undefined && payload.iss !== declared) {
      problems.push(`"iss" (${payload.iss.slice(0, 100)}) is not the credential's "issuer" (${declared.slice(0, 100)})`);
    }
    if (view.model === '1.1' && typeof payload.jti === 'string' && typeof body.id === 'string' && body.id !== payload.jti) {
      problems.push('"jti" and the credential "id" differ (VC Data Model 1.1 §6.3.1: jti MUST represent id)');
    }
  } else {
    const holder = idOf(body.holder);
    if (holder !== undefined && view.signer !== undefined && holder !== view.signer) {
      problems.push(`"holder" (${holder.slice(0, 100)}) and "iss" (${view.signer.slice(0, 100)}) differ`);
    }
  }
  return problems;
}

/** The validity bounds stated anywhere in the JWT; a string names a malformed one. */
function validityBounds(view: JwtCredentialView, payload: Record<string, unknown>): ValidityBound[] | string {
  const bounds: ValidityBound[] = [];
  for (const source of ['nbf', 'exp', 'iat'] as const) {
    const at = readNumericDate(payload[source]);
    if (at === null) return `"${source}" is not a NumericDate (seconds since the epoch, RFC 7519 §2)`;
    if (at !== undefined) bounds.push({ source, kind: VALIDITY_KIND[source], at });
  }
  const body = view.body;
  const members: ValiditySource[] =
    view.kind === 'credential' ? ['issuanceDate', 'expirationDate', 'validFrom', 'validUntil'] : ['validFrom', 'validUntil'];
  for (const source of members) {
    const at = readXmlDatetime(body[source]);
    if (at === null) return `"${source}" is not an XML Schema datetime`;
    if (at !== undefined) bounds.push({ source, kind: VALIDITY_KIND[source], at });
  }
  return bounds;
}

/** The credential as a status checker sees it: for 1.1, the `vc` claim with `issuer` and `id` from `iss` and `jti`. */
function normalisedCredential(view: JwtCredentialView, payload: Record<string, unknown>): Record<string, unknown> {
  // Without a status entry the status check only looks for one: no need to build the normalised copy.
  if (view.model === '2.0' || view.body.credentialStatus === undefined) return view.body;
  const out: Record<string, unknown> = { ...view.body };
  if (out.issuer === undefined && view.signer !== undefined) out.issuer = view.signer;
  if (out.id === undefined && typeof payload.jti === 'string') out.id = payload.jti;
  return out;
}

/** The subject ids a credential report's decoded credential names. */
function subjectIds(credential: unknown): string[] {
  if (!isObject(credential)) return [];
  const body = isObject(credential.vc) ? credential.vc : credential;
  const subjects = Array.isArray(body.credentialSubject) ? body.credentialSubject : [body.credentialSubject];
  const ids = subjects.map(idOf).filter((s): s is string => s !== undefined);
  if (ids.length === 0 && isObject(credential.vc) && typeof credential.sub === 'string') ids.push(credential.sub);
  return ids;
}

// ------------------------------------------------------------------------------------------------------------------
// did-jwt-vc cross-check

/**
 * Our Resolver as did-jwt's `Resolvable`. did-jwt 8 / did-jwt-vc 4 are typed against did-resolver 4.1, whose
 * `@context` type is narrower than did-resolver 6's, so the two shapes are equal at run time but not assignable:
 * one structural cast at this boundary (dependencies.md §2). did-jwt may pass a DID URL; our `resolve` takes DIDs.
 */
export function didJwtResolvable(resolver: Resolver): Parameters<typeof didJwtVerifyCredential>[1] {
  const resolvable = {
    resolve: (didUrl: string, options?: Record<string, unknown>) => {
      const end = didUrl.search(/[/?#]/);
      return resolver.resolve(end < 0 ? didUrl : didUrl.slice(0, end), options ?? {});
    },
  };
  return resolvable as unknown as Parameters<typeof didJwtVerifyCredential>[1];
}

/** Algorithms did-jwt 8 verifies (of those we verify). */
const DID_JWT_ALGORITHMS = new Set(['EdDSA', 'Ed25519', 'ES256', 'ES256K']);

async function crossCheck(jwt: string, view: JwtCredentialView, alg: string, ctx: VerifyContext, r: ReportBuilder): Promise<void> {
  if (view.model !== '1.1') {
    r.skip('cross-check', 'did-jwt-vc 4 handles the VC Data Model 1.1 JWT encoding only; not cross-checked');
    return;
  }
  if (!DID_JWT_ALGORITHMS.has(alg)) {
    r.skip('cross-check', `did-jwt 8 cannot verify "alg": ${JSON.stringify(alg.slice(0, 40))} (its algorithm set is closed); not cross-checked`);
    return;
  }
  const ours = ['format', 'issuer-resolution', 'signature', 'key-authorised', 'validity-period'].every(
    (name) => !r.report.checks.some((c) => c.name === name && c.outcome === 'fail'),
  );
  const options = {
    policies: { now: Math.floor(ctx.now().getTime() / 1000), aud: ctx.options.audience === undefined ? false : undefined },
    skewTime: ctx.skewSeconds,
    proofPurpose: (view.kind === 'credential' ? 'assertionMethod' : 'authentication') as KeyRelationship,
    ...(ctx.options.audience === undefined ? {} : { audience: ctx.options.audience, domain: ctx.options.audience }),
    ...(ctx.options.challenge === undefined ? {} : { challenge: ctx.options.challenge }),
  };
  let theirs: boolean;
  let why = '';
  try {
    const resolvable = didJwtResolvable(ctx.resolver);
    if (view.kind === 'credential') await didJwtVerifyCredential(jwt, resolvable, options);
    else await didJwtVerifyPresentation(jwt, resolvable, options);
    theirs = true;
  } catch (err) {
    theirs = false;
    why = (err instanceof Error ? err.message : String(err)).slice(0, 300);
  }
  const data = { library: 'did-jwt-vc 4 / did-jwt 8', verified: theirs, ...(why ? { error: why } : {}) };
  if (theirs === ours) {
    r.pass('cross-check', `did-jwt-vc agrees: ${theirs ? 'verified' : `rejected (${why})`}`, data);
  } else {
    r.fail(
      'cross-check',
      `did-jwt-vc disagrees: it ${theirs ? 'verified the JWT' : `rejected it (${why})`}, didbridge ${ours ? 'verified it' : 'rejected it'}`,
      'CROSS_CHECK_DISAGREEMENT',
      data,
    );
  }
}

// ------------------------------------------------------------------------------------------------------------------
// Verification

/**
 * Verifies a compact JWT credential or presentation. Never throws for bad input.
 *
 * @param via how the JWT arrived, for the format detail (`compact JWS`, `EnvelopedVerifiableCredential`, ...)
 */
export async function verifyJwt(jwt: string, ctx: VerifyContext, via = 'compact JWS'): Promise<VerificationReport> {
  const r = new ReportBuilder('jwt-vc');
  const decoded = decodeCompactJws(jwt);
  if ('detail' in decoded) return r.fail('format', decoded.detail, 'PARSING_ERROR').finish();
  const { header, payload, signingInput, signature } = decoded;
  const view = classify(header, payload);
  if (typeof view === 'string') return r.fail('format', view, 'MALFORMED_VALUE_ERROR').finish();
  r.report.format = view.kind === 'credential' ? 'jwt-vc' : 'jwt-vp';
  r.report.credential = payload;
  const alg = header.alg as string;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const relationship: KeyRelationship = view.kind === 'credential' ? 'assertionMethod' : 'authentication';

  const expect = ctx.options.expect;
  const problems = shapeProblems(view, payload);
  if (expect !== 'any' && expect !== view.kind) problems.unshift(`a ${expect} was expected, this is a ${view.kind}`);
  const encoding = view.model === '1.1' ? `VC Data Model 1.1 JWT encoding ("${view.kind === 'credential' ? 'vc' : 'vp'}" claim)` : `VC Data Model 2.0 JOSE form (${String(header.typ ?? 'no typ')})`;
  if (problems.length > 0) {
    r.fail('format', `${via}, ${encoding}: ${problems.join('; ')}`, 'MALFORMED_VALUE_ERROR');
    if (!view.signer) return r.finish();
  } else {
    r.pass('format', `${via} (alg ${alg}${kid ? `, kid ${kid.slice(0, 200)}` : ''}), ${encoding}; report.credential is the decoded JWT payload`, {
      model: view.model,
      alg,
      ...(kid ? { kid } : {}),
    });
  }
  const signer = view.signer!;

  const algorithm = algorithmFor(alg);
  const keys = await ctx.resolveIssuerKey({ did: signer, kid, relationship, keyTypes: algorithm?.keyTypes });
  r.report.issuer = keys.issuer;
  r.add(keys.resolution, keys.resolutionCode);
  if (!algorithm) {
    r.fail('signature', unsupportedAlgorithmDetail(alg), 'FEATURE_NOT_SUPPORTED', { alg: alg.slice(0, 40) });
    r.skip('key-authorised', 'not checked: the signature algorithm is not supported');
  } else {
    const checked = await verifyWithCandidates({
      resolution: keys,
      algorithm: alg,
      verify: (key) => algorithm.verify(signingInput, signature, key, ctx.options.sm2UserId),
    });
    r.add(checked.signature, checked.signatureCode);
    r.add(checked.keyAuthorised, checked.keyAuthorisedCode);
    if (checked.key) r.report.key = checked.key;
  }

  const bounds = validityBounds(view, payload);
  if (typeof bounds === 'string') r.fail('validity-period', bounds, 'MALFORMED_VALUE_ERROR');
  else {
    const validity = ctx.checkValidity(bounds);
    r.add(validity.check, validity.code);
  }

  if (view.kind === 'credential') {
    const status = await ctx.checkStatus(normalisedCredential(view, payload));
    r.add(status.check, status.code);
  } else {
    await verifyPresentationParts(view, payload, signer, ctx, r);
  }
  if (ctx.options.crossCheck) await crossCheck(jwt, view, alg, ctx, r);
  return r.finish();
}

/** Presentation checks: audience, challenge, holder binding, and the credentials inside. */
async function verifyPresentationParts(
  view: JwtCredentialView,
  payload: Record<string, unknown>,
  holder: string,
  ctx: VerifyContext,
  r: ReportBuilder,
): Promise<void> {
  const { audience, challenge, subjectBinding, maxCredentials } = ctx.options;
  const aud = typesOf(payload.aud);
  if (audience !== undefined) {
    if (aud.includes(audience)) r.pass('audience', `"aud" includes ${audience}`);
    else r.fail('audience', `the presentation is for ${aud.length > 0 ? aud.join(', ').slice(0, 200) : 'no stated audience'}, not ${audience}`, 'AUDIENCE_MISMATCH');
  } else if (aud.length > 0) {
    r.warn('audience', `the presentation is addressed to ${aud.join(', ').slice(0, 200)}; no expected audience was given, so it was not checked`);
  }
  if (challenge !== undefined) {
    if (payload.nonce === challenge) r.pass('challenge', '"nonce" is the expected challenge');
    else r.fail('challenge', `"nonce" is not the expected challenge`, 'CHALLENGE_MISMATCH');
  }

  const raw = view.body.verifiableCredential;
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const reports: VerificationReport[] = [];
  if (entries.length > maxCredentials) {
    r.fail('format', `the presentation carries ${entries.length} credentials; the limit is ${maxCredentials}`, 'LIMIT_EXCEEDED');
  } else {
    for (const entry of entries) reports.push(await ctx.verifyEmbedded(entry, { expect: 'credential' }));
  }
  r.report.presentation = { holder, credentials: reports };

  const signed = r.report.key !== undefined && !r.failed('key-authorised');
  const facts: string[] = [];
  let outcome: 'pass' | 'warn' | 'fail' = signed ? 'pass' : 'fail';
  facts.push(
    signed
      ? `signed by the holder ${holder.slice(0, 200)} with ${r.report.key!.verificationMethod.slice(0, 200)} (authentication)`
      : `not shown to be signed by the holder ${holder.slice(0, 200)} with an authentication key`,
  );
  if (subjectBinding !== 'off') {
    const others: string[] = [];
    reports.forEach((report, index) => {
      const ids = subjectIds(report.credential);
      if (ids.length > 0 && !ids.includes(holder)) others.push(`credential ${index} is about ${ids.join(', ').slice(0, 200)}`);
    });
    if (others.length > 0) {
      facts.push(`${others.join('; ')}, not the holder`);
      if (outcome === 'pass') outcome = subjectBinding === 'fail' ? 'fail' : 'warn';
    } else if (reports.length > 0) {
      facts.push('every credential subject with an id is the holder');
    }
  }
  const detail = facts.join('; ');
  if (outcome === 'pass') r.pass('holder-binding', detail);
  else if (outcome === 'warn') r.warn('holder-binding', detail);
  else r.fail('holder-binding', detail, 'HOLDER_MISMATCH');
}

/**
 * The JWT format verifier: compact JWS strings, `EnvelopedVerifiableCredential` / `EnvelopedVerifiablePresentation`
 * data URLs, and `{ proof: { type: 'JwtProof2020', jwt } }` wrappers.
 */
export function jwtFormatVerifier(): FormatVerifier {
  return {
    id: 'jwt',
    description: 'JWT VC / VP (VC Data Model 1.1 "vc"/"vp" claims, VC-JOSE-COSE vc+jwt/vp+jwt): EdDSA, ES256, ES256K, SM2',
    // verify() hands over strings only when they are compact JWS (anything else was parsed as JSON or refused);
    // decodeCompactJws checks the syntax again for direct callers.
    detect: (input) => typeof input === 'string' || wrappedJwt(input) !== undefined,
    verify: (input, ctx) => {
      if (typeof input === 'string') return verifyJwt(input, ctx);
      const jwt = wrappedJwt(input)!;
      const type = isObject(input) ? typesOf(input.type) : [];
      const via = type.includes('EnvelopedVerifiableCredential') || type.includes('EnvelopedVerifiablePresentation')
        ? `compact JWS in an ${type.find((t) => t.startsWith('Enveloped'))} data: URL`
        : 'compact JWS in a wrapper object';
      return verifyJwt(jwt, ctx, via);
    },
  };
}
