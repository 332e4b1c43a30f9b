/**
 * An independent normaliser for did:key test oracles: verification method → "type:hex(compressed key)", and a
 * document → relationship → sorted keys. Built on multiformats and the curve libraries directly, never on src/keys,
 * so that comparisons with test vectors and other implementations do not merely agree with our own codecs.
 * Reads Multikey, publicKeyBase58 (2018-era types) and JWK (OKP and EC) forms.
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64url'));

const CODEC_TYPES: Record<number, string> = { 0xed: 'Ed25519', 0xec: 'X25519', 0xe7: 'secp256k1', 0x1200: 'P-256', 0x1201: 'P-384', 0x1206: 'SM2' };
const LEGACY_TYPES: Record<string, string> = {
  Ed25519VerificationKey2018: 'Ed25519',
  X25519KeyAgreementKey2019: 'X25519',
  EcdsaSecp256k1VerificationKey2019: 'secp256k1',
  Secp256k1VerificationKey2018: 'secp256k1',
  P256Key2021: 'P-256',
};
const CURVES: Record<string, typeof p256> = { 'P-256': p256, 'P-384': p384, secp256k1 };

export const KEY_RELATIONSHIPS = ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'] as const;

/** A verification method's key as "type:hex(compressed key)". */
export function keyOf(vm: Record<string, any>): string {
  if (typeof vm.publicKeyMultibase === 'string') {
    const raw = base58btc.decode(vm.publicKeyMultibase);
    const [code, length] = varint.decode(raw);
    return `${CODEC_TYPES[code]}:${hex(raw.subarray(length))}`;
  }
  if (typeof vm.publicKeyBase58 === 'string') return `${LEGACY_TYPES[vm.type]}:${hex(base58btc.baseDecode(vm.publicKeyBase58))}`;
  const jwk = vm.publicKeyJwk;
  if (jwk?.kty === 'OKP') return `${jwk.crv}:${hex(b64(jwk.x))}`;
  if (jwk?.kty === 'EC') {
    const point = CURVES[jwk.crv]!.Point.fromAffine({ x: BigInt(`0x${hex(b64(jwk.x))}`), y: BigInt(`0x${hex(b64(jwk.y))}`) });
    return `${jwk.crv}:${hex(point.toBytes(true))}`;
  }
  throw new Error(`cannot read the key of ${JSON.stringify(vm)}`);
}

/** Relationship → sorted keys (references resolved against verificationMethod, embedded methods read directly). */
export function keysByRelationship(doc: Record<string, any>): Record<string, string[]> {
  const byId = new Map<string, Record<string, any>>((doc.verificationMethod ?? []).map((vm: any) => [vm.id, vm]));
  const out: Record<string, string[]> = {};
  for (const rel of KEY_RELATIONSHIPS) {
    const entries: unknown[] | undefined = doc[rel];
    if (!entries) continue;
    out[rel] = entries
      .map((e) => {
        if (typeof e !== 'string') return keyOf(e as Record<string, any>);
        const vm = byId.get(e.startsWith('#') ? doc.id + e : e);
        if (!vm) throw new Error(`dangling reference ${e}`);
        return keyOf(vm);
      })
      .sort();
  }
  return out;
}
