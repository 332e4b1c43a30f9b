/**
 * Verification-method type names seen in domestic and legacy DID documents, what key type each implies, and what
 * didbridge emits instead.
 *
 * No SM2 verification-method type is registered anywhere (DID Specification Registries, Controlled Identifiers,
 * the Data Integrity suites), and the domestic methods use unregistered names for secp256k1 and Ed25519 keys too
 * (`Secp256k1`, `ED25519`, `SM2`, `sm2p256v1`). didbridge therefore normalises every key to the two key-type-neutral
 * W3C representations, which need no per-algorithm registration:
 *
 * - `Multikey` + `publicKeyMultibase` with the multicodec header of the key (SM2: `sm2-pub` 0x1206, compressed
 *   point), and
 * - `JsonWebKey` + `publicKeyJwk` (SM2: `{kty: 'EC', crv: 'SM2', x, y}`).
 *
 * The table below is data, not logic: the adapters look names up here instead of branching on strings, and the
 * conformance report prints it. Lookups are case-insensitive because the same name is written in several cases
 * (`Ed25519`/`ED25519`, `Secp256k1`/`SECP256K1`/`secp256k1`).
 *
 * Some names lie. WeIdentity v3 labels every key `Ed25519VerificationKey2020` although it only ever holds secp256k1
 * (or SM2, under `SM2VerificationKey`) keys (domestic-methods.md §3.4). Entries scoped to such a method imply no key
 * type (`keyType: undefined`): the key type must come from the key bytes (see `inferKeyType`).
 *
 * @see ../../docs/sm2.md (the SM2 decision and its reasons)
 * @see https://www.w3.org/TR/cid-1.0/#Multikey
 * @see https://www.w3.org/TR/cid-1.0/#JsonWebKey
 * @see https://www.w3.org/TR/did-extensions-properties/#verification-method-types
 */
import type { KeyType } from './multikey.js';

/** What a verification-method type name is, registry-wise. */
export type VerificationMethodTypeStatus =
  /** Registered and current (W3C Controlled Identifiers / DID extensions). */
  | 'registered'
  /** Registered once, superseded (2018–2020 suite-specific names). */
  | 'deprecated'
  /** Never registered; seen in the wild. */
  | 'unregistered';

/** One verification-method type name as it appears in documents. */
export interface VerificationMethodTypeAlias {
  /** The type name exactly as seen. */
  name: string;
  /**
   * The key type the name implies, or undefined when it implies none: key-type-neutral names (`Multikey`,
   * `JsonWebKey`), names known to lie in the scoped method (WeIdentity v3), and algorithms outside `KeyType` (RSA).
   */
  keyType: KeyType | undefined;
  /** The algorithm family the name claims, even when it lies or is outside `KeyType` (e.g. `RSA`). */
  claims: KeyType | 'RSA' | undefined;
  /** The type didbridge emits for this key. `Multikey` everywhere; `JsonWebKey` is the equally valid alternative. */
  canonical: 'Multikey';
  /** Registry status of the name. */
  status: VerificationMethodTypeStatus;
  /** A DID method (without `did:`) this entry applies to; absent for entries that apply everywhere. */
  method?: string;
  /** Where the name was seen. */
  seenIn: readonly string[];
  /** Why the entry says what it says. */
  note: string;
}

const SEC = 'domestic-methods.md';

/**
 * Every verification-method type name didbridge recognises. Method-scoped entries override the general entry of
 * the same name for that method (see `lookupVerificationMethodType`).
 */
export const VERIFICATION_METHOD_TYPE_ALIASES: readonly VerificationMethodTypeAlias[] = Object.freeze(
  [
    // --- Key-type-neutral W3C types: the key material decides.
    {
      name: 'Multikey',
      keyType: undefined,
      claims: undefined,
      canonical: 'Multikey',
      status: 'registered',
      seenIn: ['W3C Controlled Identifiers 1.0 §2.2.2'],
      note: 'The multicodec header of publicKeyMultibase names the key type; didbridge output for every key.',
    },
    {
      name: 'JsonWebKey',
      keyType: undefined,
      claims: undefined,
      canonical: 'Multikey',
      status: 'registered',
      seenIn: ['W3C Controlled Identifiers 1.0 §2.2.3'],
      note: 'kty/crv of publicKeyJwk name the key type; SM2 keys use {kty: "EC", crv: "SM2"}.',
    },
    {
      name: 'JsonWebKey2020',
      keyType: undefined,
      claims: undefined,
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['resolver-contract.md (2020-era documents)', 'peers.md §6 item 6'],
      note: 'Superseded by JsonWebKey; kty/crv decide the key type.',
    },
    // --- Ed25519.
    {
      name: 'Ed25519VerificationKey2020',
      keyType: 'Ed25519',
      claims: 'Ed25519',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['W3C CCG Ed25519Signature2020', `${SEC} §4.4 (CAICT DIDCore-Identity-Matrix did:bid output)`],
      note: 'Same publicKeyMultibase encoding as Multikey (ed25519-pub, ED 01).',
    },
    {
      name: 'Ed25519VerificationKey2020',
      method: 'weid',
      keyType: undefined,
      claims: 'Ed25519',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: [`${SEC} §3.4`, 'samples/weid/03-v3-getWeIdDocumentJson.transcribed.json'],
      note:
        'WeIdentity v3 writes this name on every key of a secp256k1 deployment (the type is not even stored on ' +
        'chain, it defaults from the crypto mode). WeIdentity has no Ed25519 keys: read the curve from the ' +
        'pseudo-multibase header or the key bytes, and record the mismatch.',
    },
    {
      name: 'Ed25519VerificationKey2018',
      keyType: 'Ed25519',
      claims: 'Ed25519',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['resolver-contract.md (2020-era documents)'],
      note: 'publicKeyBase58 of the raw 32-byte key.',
    },
    {
      name: 'Ed25519',
      keyType: 'Ed25519',
      claims: 'Ed25519',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §4.3`, 'samples/bid/01-spec-bid-document-example.json'],
      note: 'did:bid spec spelling; publicKeyHex is the raw 32-byte key (spec) or b06566-prefixed (SDK).',
    },
    {
      name: 'ED25519',
      keyType: 'Ed25519',
      claims: 'Ed25519',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §4.3`, 'samples/bid/08-sdk-isValidProof-document-real-encoded-key.json'],
      note: 'did:bid SDK spelling (upper case); publicKeyHex is b06566-prefixed.',
    },
    // --- X25519.
    {
      name: 'X25519KeyAgreementKey2020',
      keyType: 'X25519',
      claims: 'X25519',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['W3C CCG X25519KeyAgreementKey2020'],
      note: 'publicKeyMultibase with x25519-pub (EC 01).',
    },
    {
      name: 'X25519KeyAgreementKey2019',
      keyType: 'X25519',
      claims: 'X25519',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['resolver-contract.md (2020-era documents)'],
      note: 'publicKeyBase58 of the raw 32-byte key.',
    },
    // --- secp256k1.
    {
      name: 'EcdsaSecp256k1VerificationKey2019',
      keyType: 'secp256k1',
      claims: 'secp256k1',
      canonical: 'Multikey',
      status: 'registered',
      seenIn: [`${SEC} §10`, 'DID Specification Registries'],
      note: 'Registered secp256k1 type; §10 allows it (with publicKeyJwk crv secp256k1) as the alternative output.',
    },
    {
      name: 'EcdsaSecp256k1RecoveryMethod2020',
      keyType: 'secp256k1',
      claims: 'secp256k1',
      canonical: 'Multikey',
      status: 'registered',
      seenIn: ['did:ethr documents'],
      note: 'Usually carries blockchainAccountId, not a public key; only the key type is implied.',
    },
    {
      name: 'Secp256k1',
      keyType: 'secp256k1',
      claims: 'secp256k1',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §3.5 (WeIdentity v1)`, `${SEC} §6 (did:tdid)`, `${SEC} §7 (did:ccp)`],
      note: 'WeIdentity v1 and did:tdid carry a decimal X‖Y; did:ccp a hex SEC1 point. WeIdentity proofs use it too.',
    },
    {
      name: 'SECP256K1',
      keyType: 'secp256k1',
      claims: 'secp256k1',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §4.3 (did:bid)`],
      note: 'did:bid spelling; no published did:bid secp256k1 key exists (the `s` tag is reserved).',
    },
    {
      name: 'secp256k1',
      keyType: 'secp256k1',
      claims: 'secp256k1',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: ['peers.md §4 (did:bid via the Universal Resolver, did-test-suite fixture)'],
      note: 'Lower-case spelling of the did:bid UR driver output.',
    },
    // --- P-256.
    {
      name: 'EcdsaSecp256r1VerificationKey2019',
      keyType: 'P-256',
      claims: 'P-256',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: ['DID Specification Registries (2019 ECDSA suite)'],
      note: 'P-256 keys; Multikey with p256-pub (80 24) today.',
    },
    // --- SM2 (GB/T 32918). None is registered; all are aliases of Multikey/JsonWebKey with an SM2 key.
    {
      name: 'SM2VerificationKey',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §3.5 (WeIdentity v3 GM mode)`, `${SEC} §11`, 'peers.md §4'],
      note: 'WeIdentity v3 SM2 deployments; the key is the pseudo-multibase with header 12 06.',
    },
    {
      name: 'SM2VerificationKey2019',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §11 (ONT ID 2.0)`, 'peers.md §4'],
      note: 'ONT ID 2.0, with the ad-hoc JWS alg "SM".',
    },
    {
      name: 'SM2VerificationKey2020',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §11`, 'peers.md §4'],
      note: 'Seen in public code; no specification.',
    },
    {
      name: 'SM2VerificationKey2022',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §11`, 'peers.md §4'],
      note: 'Seen in public code; no specification.',
    },
    {
      name: 'SM2VerificationKey2023',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §11`, 'peers.md §4'],
      note: 'Seen in public code; no specification.',
    },
    {
      name: 'Sm2VerificationKeyV1',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §11`, 'peers.md §4'],
      note: 'Seen in public code; no specification.',
    },
    {
      name: 'sm2p256v1',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §8 (did:ctid)`, 'samples/ctid/01-spec-ctid-document.json'],
      note: 'did:ctid; the OpenSSL/BouncyCastle curve name used as a type; publicKeyHex is 04‖X‖Y.',
    },
    {
      name: 'SM2',
      keyType: 'SM2',
      claims: 'SM2',
      canonical: 'Multikey',
      status: 'unregistered',
      seenIn: [`${SEC} §4.3 (did:bid, did:cndid)`, `${SEC} §3.7 (WeIdentity proof type)`],
      note: 'did:bid spelling; publicKeyHex is b07a6604-prefixed in SDK documents.',
    },
    // --- RSA (did:vaa): outside KeyType, recognised so that it is reported rather than rejected as unknown.
    {
      name: 'RsaVerificationKey2018',
      keyType: undefined,
      claims: 'RSA',
      canonical: 'Multikey',
      status: 'deprecated',
      seenIn: [`${SEC} §9 (did:vaa)`, 'samples/vaa/01-spec-vaa-document.json'],
      note: 'publicKeyPem RSA keys; converted to an RSA JsonWebKey by the did:vaa adapter, not by the keys module.',
    },
  ].map((entry) => Object.freeze({ ...entry, seenIn: Object.freeze([...entry.seenIn]) })) as VerificationMethodTypeAlias[],
);

/** Options of `lookupVerificationMethodType`. */
export interface LookupVerificationMethodTypeOptions {
  /** The declared type name. */
  name: string;
  /** The DID method (without `did:`) whose document declared it: method-scoped entries take precedence. */
  method?: string;
}

/**
 * Finds the alias entry for a declared verification-method type, case-insensitively, preferring an entry scoped to
 * `method`. Returns undefined for names not in the table (callers then rely on the key bytes alone).
 *
 * @example lookupVerificationMethodType({ name: 'ED25519' })?.keyType // → 'Ed25519'
 * @example lookupVerificationMethodType({ name: 'Ed25519VerificationKey2020', method: 'weid' })?.keyType // → undefined
 */
export function lookupVerificationMethodType(
  options: LookupVerificationMethodTypeOptions,
): VerificationMethodTypeAlias | undefined {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (typeof options.name !== 'string') throw new TypeError('"name" must be a string');
  if (options.method !== undefined && typeof options.method !== 'string') {
    throw new TypeError('"method" must be a string');
  }
  const wanted = options.name.trim();
  // Indexed lookups (this runs for every verification method translated): the same entries, in table order, as
  // filtering the table by exact name, else by case-folded name.
  const folded = ALIASES_BY_NAME.get(wanted) ?? ALIASES_BY_FOLDED_NAME.get(wanted.toLowerCase());
  if (folded === undefined) return undefined;
  const given = options.method;
  const method = given !== undefined && given.startsWith('did:') ? given.slice(4) : given;
  return folded.find((e) => e.method !== undefined && e.method === method) ?? folded.find((e) => e.method === undefined);
}

function indexAliases(keyOf: (name: string) => string): ReadonlyMap<string, readonly VerificationMethodTypeAlias[]> {
  const index = new Map<string, VerificationMethodTypeAlias[]>();
  for (const entry of VERIFICATION_METHOD_TYPE_ALIASES) {
    const key = keyOf(entry.name);
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  }
  return index;
}
/** The alias table by exact name and by lower-cased name (entries in table order). */
const ALIASES_BY_NAME = indexAliases((name) => name);
const ALIASES_BY_FOLDED_NAME = indexAliases((name) => name.toLowerCase());

/** Every declared name that implies an SM2 key (for documentation, CLI help and conformance reports). */
export const SM2_VERIFICATION_METHOD_TYPE_NAMES: readonly string[] = Object.freeze(
  VERIFICATION_METHOD_TYPE_ALIASES.filter((e) => e.claims === 'SM2').map((e) => e.name),
);
