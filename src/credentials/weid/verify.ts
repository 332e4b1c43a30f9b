/**
 * The WeIdentity `CredentialPojo` format verifier (`weid-credential-pojo`): types `original` (salted, with selective
 * disclosure) and `lite1`; Secp256k1 and SM2 proofs; both 65-byte signature layouts. No peer verifies these.
 *
 * | step | check |
 * |---|---|
 * | shape of §3.7, supported type, 65-byte signature in a recognisable layout, every claim leaf salted | `format` |
 * | the issuer's WeID resolves through the bridge (did:weid adapter, translated to DID Core) | `issuer-resolution` |
 * | the thumbprint's digest verifies: secp256k1 ECDSA (public key recovered, compared with the issuer's keys) or SM2 with the issuer's key | `signature` |
 * | the key is listed under `assertionMethod` of the translated document | `key-authorised` |
 * | the recovered key derives the issuer's address (Keccak-256 / SM3 of X‖Y, last 20 bytes) | `issuer-address` (warn when not: WeIDs keep their address when keys rotate) |
 * | which claim fields are disclosed | `disclosure` |
 * | `issuanceDate` / `expirationDate` | `validity-period` |
 * | `report.credential` is the VC Data Model 2.0 translation | `translation` |
 *
 * SDK and REST envelopes (`{errorCode, result}`, `{respBody, errorCode}`) around a credential are unwrapped.
 *
 * @see /work/shared/docs/domestic-methods.md §3.7
 */
import { encodeHex } from '../../keys/codecs.js';
import { decompressPoint } from '../../keys/curves.js';
import type { FormatVerifier, VerifyContext } from '../format.js';
import { verifyWithCandidates } from '../issuer-key.js';
import { ReportBuilder, type VerificationReport } from '../report.js';
import {
  credentialThumbprint,
  credentialTypeOf,
  epochSeconds,
  isSaltedHash,
  thumbprintDigest,
  weidHash,
  type WeidProofType,
} from './pojo.js';
import { readWeidSignature, recoverSecp256k1, verifySm2, type SignatureReading } from './signature.js';
import { translateWeidCredential } from './translate.js';

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The report format of this verifier. */
export const WEID_CREDENTIAL_FORMAT = 'weid-credential-pojo';

const PROOF_TYPES: Record<string, WeidProofType> = { secp256k1: 'Secp256k1', sm2: 'SM2' };

/** Where a credential was found: as given, or inside an SDK / REST envelope. */
function unwrap(input: unknown): { credential: Record<string, unknown>; envelope?: string } | undefined {
  if (!isJsonObject(input)) return undefined;
  if (looksLikePojo(input)) return { credential: input };
  for (const member of ['result', 'respBody']) {
    const inner = input[member];
    if (isJsonObject(inner) && looksLikePojo(inner)) return { credential: inner, envelope: member };
  }
  return undefined;
}

function looksLikePojo(value: Record<string, unknown>): boolean {
  if (value['@context'] !== undefined) return false;
  const proof = value.proof;
  return (
    typeof value.issuer === 'string' &&
    value.issuer.startsWith('did:weid:') &&
    'claim' in value &&
    isJsonObject(proof) &&
    ('signatureValue' in proof || 'signature' in proof)
  );
}

/** Whether the input is a WeIdentity CredentialPojo (or an SDK / REST response carrying one). Cheap and pure. */
export function isWeidCredential(input: unknown): boolean {
  return unwrap(input) !== undefined;
}

function didOf(didUrl: string): string {
  const end = didUrl.search(/[/?#]/);
  return end < 0 ? didUrl : didUrl.slice(0, end);
}

/** The address a WeID ends with (`0x` + 40 hex), lower case. */
function addressOf(did: string): string | undefined {
  const m = /(0x[0-9a-fA-F]{40})$/.exec(did);
  return m?.[1]?.toLowerCase();
}

/** The WeIdentity address of a public key: H(X‖Y)[12:32] (§3.3). */
function addressOfKey(proofType: WeidProofType, uncompressed: Uint8Array): string {
  return `0x${encodeHex(weidHash(proofType, uncompressed.subarray(1))).slice(-40)}`;
}

/** Verifies a CredentialPojo (see the module comment). Never throws for bad input. */
export async function verifyWeidCredential(input: unknown, ctx: VerifyContext): Promise<VerificationReport> {
  const r = new ReportBuilder(WEID_CREDENTIAL_FORMAT);
  const found = unwrap(input);
  if (!found) return r.fail('format', 'not a WeIdentity CredentialPojo (issuer did:weid, claim, proof with signatureValue)', 'PARSING_ERROR').finish();
  const { credential, envelope } = found;
  const proof = credential.proof as Record<string, unknown>;
  if (ctx.options.expect === 'presentation') {
    return r.fail('format', 'expected a presentation, got a WeIdentity credential', 'MALFORMED_VALUE_ERROR').finish();
  }
  const type = credentialTypeOf(credential);
  const proofType = typeof proof.type === 'string' ? PROOF_TYPES[proof.type.toLowerCase()] : undefined;
  const issuer = credential.issuer as string;
  const where = envelope ? ` (inside the ${envelope === 'result' ? 'SDK ResponseData "result"' : 'REST "respBody"'})` : '';
  if (type === 'zkp' || type === 'hashTree') {
    return r.fail('format', `WeIdentity "${type}" credentials are not supported (original and lite1 are)`, 'FEATURE_NOT_SUPPORTED').finish();
  }
  if (type !== 'original' && type !== 'lite1') {
    return r.fail('format', `"type" must include "original" or "lite1", got ${JSON.stringify(credential.type ?? null).slice(0, 100)}`, 'MALFORMED_VALUE_ERROR').finish();
  }
  if (!proofType) {
    return r.fail('format', `proof.type must be "Secp256k1" or "SM2", got ${JSON.stringify(proof.type ?? null).slice(0, 60)}`, 'FEATURE_NOT_SUPPORTED').finish();
  }
  if (!isJsonObject(credential.claim)) return r.fail('format', '"claim" must be an object', 'MALFORMED_VALUE_ERROR').finish();
  const issued = epochSeconds(credential.issuanceDate);
  const expires = epochSeconds(credential.expirationDate);
  if ((credential.issuanceDate !== undefined && issued === undefined) || (credential.expirationDate !== undefined && expires === undefined)) {
    return r.fail('format', 'issuanceDate and expirationDate must be epoch seconds (or ISO-8601 in the toJson() form)', 'MALFORMED_VALUE_ERROR').finish();
  }
  const signatureText = typeof proof.signatureValue === 'string' ? proof.signatureValue : proof.signature;
  const signature = readWeidSignature(signatureText);
  if (signature.problem !== undefined) return r.fail('format', signature.problem, 'MALFORMED_VALUE_ERROR').finish();
  const thumbprint = credentialThumbprint({ credential, proofType });
  if (thumbprint.missingSalts.length > 0) {
    return r
      .fail('format', `claim field(s) ${thumbprint.missingSalts.slice(0, 10).join(', ')} have no salt in proof.salt; an original credential salts every claim leaf`, 'MALFORMED_VALUE_ERROR')
      .finish();
  }
  const badHidden = thumbprint.disclosure.filter((d) => !d.disclosed && !isSaltedHash(pathValue(credential.claim, d.path)));
  if (badHidden.length > 0) {
    return r
      .fail('format', `undisclosed field(s) ${badHidden.map((d) => d.path).join(', ')} have salt "0" but their value is not a salted hash (0x + 64 hex)`, 'MALFORMED_VALUE_ERROR')
      .finish();
  }
  const layouts = signature.readings.map((x) => x.layout);
  r.pass('format', `WeIdentity CredentialPojo${where}: type ${type}, ${proofType} proof, 65-byte signature read as ${layouts.map((l) => (l === 'vrs' ? 'v‖r‖s' : 'r‖s‖v')).join(' or ')}`, {
    type,
    proofType,
    layouts,
    ...(envelope ? { envelope } : {}),
  });

  const creator = typeof proof.creator === 'string' ? proof.creator : undefined;
  const kid = creator !== undefined && creator.includes('#') && didOf(creator) === issuer ? creator : undefined;
  const keyType = proofType === 'SM2' ? 'SM2' : 'secp256k1';
  const keys = await ctx.resolveIssuerKey({ did: issuer, ...(kid ? { kid } : {}), relationship: 'assertionMethod', keyTypes: [keyType] });
  r.add(keys.resolution, keys.resolutionCode);
  r.report.issuer = keys.issuer;

  const digest = thumbprintDigest(proofType, thumbprint.text);
  const userId = ctx.options.sm2UserId;
  let used: { reading: SignatureReading; key: Uint8Array } | undefined;
  // secp256k1: recover once per layout; a candidate matches when it is the recovered key and ECDSA verifies with it.
  const recovered = proofType === 'Secp256k1' ? signature.readings.map((reading) => ({ reading, key: recoverSecp256k1(digest, reading) })) : [];
  const algorithm = proofType === 'SM2' ? 'WeIdentity SM2 (SM3 digest of the thumbprint)' : 'WeIdentity Secp256k1 (Keccak-256 digest of the thumbprint)';
  const verification = await verifyWithCandidates({
    resolution: keys,
    algorithm,
    verify: (candidate) => {
      const point = decompressPoint(keyType, candidate.publicKey.bytes);
      for (const reading of signature.readings) {
        const ok =
          proofType === 'SM2'
            ? verifySm2(digest, reading, point, userId)
            : // The recovered key is by construction one under which (r, s) verifies for this digest (SEC 1 §4.1.6), so
              // matching it to the document's key is the ECDSA verification; a second verify would only double the cost.
              recovered.some((x) => x.reading === reading && x.key !== undefined && encodeHex(x.key) === encodeHex(point));
        if (ok) {
          used = { reading, key: point };
          return {
            valid: true,
            path:
              proofType === 'SM2'
                ? `sm-crypto-v2 SM2 (GB/T 32918.2, user id ${userId ?? '1234567812345678'}), ${reading.layout === 'vrs' ? 'v‖r‖s' : 'r‖s‖v'}`
                : `@noble/curves secp256k1 public-key recovery (SEC 1 §4.1.6) matched to the document's key, ${reading.layout === 'vrs' ? 'v‖r‖s' : 'r‖s‖v'}`,
          };
        }
      }
      return { valid: false, path: '' };
    },
  });
  if (!used && proofType === 'Secp256k1' && verification.signature.outcome === 'fail') {
    // Say whose key the signature recovers to: the evidence a reader needs (another signer, or a different input).
    const addresses = recovered.filter((x) => x.key).map((x) => `${x.reading.layout}: ${addressOfKey(proofType, x.key!)}`);
    verification.signature.data = { ...(verification.signature.data ?? {}), recoveredAddresses: addresses, thumbprintDigest: encodeHex(digest) };
  }
  r.add(verification.signature, verification.signatureCode);
  r.add(verification.keyAuthorised, verification.keyAuthorisedCode);
  if (verification.key) r.report.key = verification.key;

  if (used) {
    const keyAddress = addressOfKey(proofType, used.key);
    const didAddress = addressOf(issuer);
    if (keyAddress === didAddress) {
      r.pass('issuer-address', `the signing key derives the issuer's address ${keyAddress} (${proofType === 'SM2' ? 'SM3' : 'Keccak-256'} of X‖Y, domestic-methods.md §3.3)`);
    } else {
      r.warn('issuer-address', `the signing key derives ${keyAddress}, not the issuer's address ${didAddress ?? '(none)'}: the key was added after the WeID was created, which WeIdentity allows`);
    }
  }

  if (type === 'original') {
    const hidden = thumbprint.disclosure.filter((d) => !d.disclosed).map((d) => d.path);
    const shown = thumbprint.disclosure.filter((d) => d.disclosed).map((d) => d.path);
    r.pass(
      'disclosure',
      hidden.length === 0
        ? `all ${shown.length} claim field(s) disclosed (salted hashes recomputed)`
        : `selective disclosure: ${shown.length} field(s) disclosed (${shown.join(', ').slice(0, 300)}); ${hidden.length} shown only as salted hashes (${hidden.join(', ').slice(0, 300)})`,
      { disclosed: shown, undisclosed: hidden },
    );
  } else {
    r.skip('disclosure', 'lite1 credentials are signed over the raw claim: no selective disclosure');
  }

  const bounds = [
    ...(issued !== undefined ? [{ source: 'issuanceDate' as const, kind: 'notBefore' as const, at: issued * 1000 }] : []),
    ...(expires !== undefined ? [{ source: 'expirationDate' as const, kind: 'notAfter' as const, at: expires * 1000 }] : []),
  ];
  const validity = ctx.checkValidity(bounds);
  r.add(validity.check, validity.code);

  const translated = translateWeidCredential(credential, {
    ...(used ? { layout: used.reading.layout } : {}),
    undisclosed: thumbprint.disclosure.filter((d) => !d.disclosed).map((d) => d.path),
  });
  r.report.credential = translated;
  r.pass(
    'translation',
    'report.credential is a VC Data Model 2.0 translation of the CredentialPojo (claim → credentialSubject, cptId → credentialSchema, epoch seconds → XML datetimes) carrying the original proof; the signature was verified over the original WeIdentity thumbprint, not over the translation',
  );
  const status = await ctx.checkStatus(translated);
  r.add(status.check, status.code);
  return r.finish();
}

function pathValue(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    value = Array.isArray(value) ? value[Number(part)] : isJsonObject(value) ? value[part] : undefined;
  }
  return value;
}

/**
 * The WeIdentity CredentialPojo format verifier for `verify()` (`formats`).
 *
 * @example
 * const report = await verify(pojo, { resolver, formats: [weidCredentialFormatVerifier()] })
 * report.credential // the VC Data Model 2.0 translation
 */
export function weidCredentialFormatVerifier(): FormatVerifier {
  return {
    id: WEID_CREDENTIAL_FORMAT,
    description: 'WeIdentity CredentialPojo (original with selective disclosure, lite1; Secp256k1 and SM2; v‖r‖s and r‖s‖v signatures)',
    detect: (input) => isWeidCredential(input),
    verify: (input, ctx) => verifyWeidCredential(input, ctx),
  };
}
