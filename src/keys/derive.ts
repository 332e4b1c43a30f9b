/**
 * Identifier derivations and identifier validators of the domestic DID methods, as data and small functions the
 * adapters call (the core never branches on a method name; this module is where method knowledge about keys and
 * identifiers lives).
 *
 * Key → DID derivations documented in domestic-methods.md:
 *
 * | method | rule | section |
 * |---|---|---|
 * | did:bid | `did:bid:` [acsn `:`] type tag + `f` + base58_BIF(H(key)[10:32]); H = SHA-256 of the raw Ed25519 key, SM3 of `04‖X‖Y` for SM2 | §4.1-4.2 |
 * | did:cndid | the did:bid rule under `did:cndid:` (alphabet unconfirmed) | §5 |
 * | did:weid | `did:weid:` [chain id `:`] `0x` + hex(H(X‖Y)[12:32]); H = Keccak-256 (secp256k1) or SM3 (SM2 mode) | §3.2-3.3 |
 * | did:tdid | `did:tdid:` router id `:` + the did:weid address (secp256k1) | §6 |
 *
 * Identifiers derived from something other than a key have their own functions: did:ccp (`deriveCcpIdentifier`,
 * from the Base DID Document) and did:ctid (`deriveCtidIdentifier`, from identity attributes). did:vaa's hash is not
 * documented, so it has a validator only.
 *
 * None of these identifiers carries a checksum: the validators check alphabet, length and decoded byte length.
 *
 * @see /work/shared/docs/domestic-methods.md
 * @see https://www.w3.org/TR/did-core/#did-syntax
 */
import { DidBridgeError, FeatureNotSupportedError, InvalidDidError, InvalidOptionsError, MethodNotSupportedError } from '../errors.js';
import type { ErrorName } from '../spec.js';
import type { ParsedDid } from '../syntax/did-url.js';
import {
  BIF_KEY_TYPE_TAGS,
  base58Bif,
  base58Bitcoin,
  bifEncodingFromTag,
  bifKeyTypeFromTag,
  encodeHex,
  type BifEncoding,
  type BifKeyType,
} from './codecs.js';
import { decompressPoint } from './curves.js';
import { inferKeyType } from './detect.js';
import { HASH_LABELS, digest, isHashName, keccak256, ripemd160, sha256, sm3, type HashName } from './hash.js';
import type { KeyType, PublicKey } from './multikey.js';

/** One step of a derivation, for `--json` output and audit trails. */
export interface DerivationStep {
  /** Short machine name: `key`, `hash-input`, `hash`, `truncate`, `encode`, `assemble`. */
  name: string;
  /** What was done, in words. */
  description: string;
  /** The step's output (hex for bytes, the text itself for strings). */
  output: string;
}

/** The result of a derivation. */
export interface DerivedIdentifier {
  /** The DID. */
  did: string;
  /** The method name, without `did:`. */
  method: string;
  /** Everything after `did:<method>:`. */
  methodSpecificId: string;
  /** The hash applied. */
  hash: HashName;
  /** Every step, in order. */
  steps: DerivationStep[];
  /** Parts of this derivation no published known answer confirms (empty when a documented vector covers it). */
  unconfirmed: string[];
}

/** The result of `deriveDid`: a derived identifier plus the key it came from. */
export interface DerivedDid extends DerivedIdentifier {
  /** The key type used. */
  keyType: KeyType;
  /** How the key type was decided (see `inferKeyType`). */
  keyTypeReason: string;
}

/** Options of `deriveDid`. */
export interface DeriveDidOptions {
  /** The DID method, without `did:`: one of `Object.keys(DID_DERIVATIONS)`. */
  method: string;
  /**
   * The public key: a `PublicKey`, or raw bytes (32-byte Ed25519, SEC1 point, or WeIdentity's bare 64-byte X‖Y)
   * whose type is inferred from the bytes (with `keyType` as the context when a compressed point is ambiguous).
   */
  publicKey: PublicKey | Uint8Array;
  /** The key type, when known from the context (needed for compressed points that fit several curves). */
  keyType?: KeyType;
  /** Override the method's hash for this key type (required where the docs give none, e.g. did:bid secp256k1). */
  hash?: HashName;
  /** did:weid chain id (`101`, `0`, `1000:1`, …) or did:tdid router id (`cb534-15`). */
  chainId?: string;
  /** did:bid / did:cndid sub-chain AC code (4 lower-case alphanumerics). */
  subChain?: string;
}

/** Inputs a derivation receives after the key has been decided. */
interface DerivationInput {
  key: PublicKey;
  hash: HashName | undefined;
  chainId: string | undefined;
  subChain: string | undefined;
}

/** A key → DID derivation of one method, as data plus one function. */
export interface IdentifierDerivation {
  /** The method, without `did:`. */
  readonly method: string;
  /** Key types the method derives identifiers from. */
  readonly keyTypes: readonly KeyType[];
  /** The hash per key type when the docs give one. */
  readonly defaultHash: Readonly<Partial<Record<KeyType, HashName>>>;
  /** Where the rule is documented. */
  readonly source: string;
  /** Computes the method-specific id from a decided key. */
  readonly derive: (input: DerivationInput) => { methodSpecificId: string; hash: HashName; steps: DerivationStep[]; unconfirmed: string[] };
}

const hex = (bytes: Uint8Array) => encodeHex(bytes);

function uncompressed(key: PublicKey): Uint8Array {
  return decompressPoint(key.type as Exclude<KeyType, 'Ed25519' | 'X25519'>, key.bytes);
}

function keyStep(key: PublicKey): DerivationStep {
  return {
    name: 'key',
    description: key.type === 'Ed25519' || key.type === 'X25519' ? `${key.type} public key, raw 32 bytes` : `${key.type} public key, SEC1 compressed`,
    output: hex(key.bytes),
  };
}

function chooseHash(derivation: IdentifierDerivation, key: PublicKey, hash: HashName | undefined): HashName {
  const chosen = hash ?? derivation.defaultHash[key.type];
  if (chosen === undefined) {
    throw new InvalidOptionsError(
      `did:${derivation.method} documents no hash for ${key.type} keys (${derivation.source}); pass "hash" explicitly`,
    );
  }
  return chosen;
}

const SUB_CHAIN_PATTERN = /^[a-z0-9]{4}$/;

function bifDerivation(method: 'bid' | 'cndid'): IdentifierDerivation {
  const derivation: IdentifierDerivation = {
    method,
    keyTypes: ['Ed25519', 'SM2', 'secp256k1'],
    defaultHash: { Ed25519: 'sha256', SM2: 'sm3' },
    source: method === 'bid' ? 'domestic-methods.md §4.2' : 'domestic-methods.md §5 (the §4.2 rule)',
    derive({ key, hash, subChain }) {
      const chosen = chooseHash(derivation, key, hash);
      if (subChain !== undefined && !SUB_CHAIN_PATTERN.test(subChain)) {
        throw new InvalidOptionsError(`"subChain" must be a 4-character AC code of a-z and 0-9 (§4.1), got ${JSON.stringify(subChain)}`);
      }
      const steps: DerivationStep[] = [keyStep(key)];
      const unconfirmed: string[] = [];
      // Ed25519 hashes the raw key; SM2 hashes the uncompressed point 04‖X‖Y (BIF-Core_SDK-JS keypair/index.js).
      let input = key.bytes;
      if (key.type !== 'Ed25519') {
        input = uncompressed(key);
        steps.push({ name: 'hash-input', description: 'uncompressed SEC1 point 04‖X‖Y', output: hex(input) });
      }
      const hashed = digest(chosen, input);
      steps.push({ name: 'hash', description: HASH_LABELS[chosen], output: hex(hashed) });
      const body = hashed.subarray(10, 32);
      steps.push({ name: 'truncate', description: 'bytes 10..31 (the last 22 bytes)', output: hex(body) });
      const tag = BIF_KEY_TYPE_TAGS[key.type as BifKeyType] + 'f';
      const encoded = base58Bif.encode(body);
      steps.push({ name: 'encode', description: `type tag "${tag[0]}" + encoding tag "f" + BIF-alphabet base58`, output: tag + encoded });
      const methodSpecificId = (subChain === undefined ? '' : `${subChain}:`) + tag + encoded;
      if (key.type === 'SM2') unconfirmed.push('no published SM2 key/DID pair confirms the SM2 rule (SM3 over 04‖X‖Y, §4.2)');
      if (key.type === 'secp256k1') unconfirmed.push('the secp256k1 tag is reserved and no derivation is documented (§4.1); the hash is the caller\'s choice');
      if (hash !== undefined && hash !== derivation.defaultHash[key.type]) unconfirmed.push(`non-default hash ${hash} chosen by the caller`);
      if (method === 'cndid') unconfirmed.push('whether did:cndid uses the BIF alphabet is unconfirmed (§5); the BIF alphabet is assumed');
      return { methodSpecificId, hash: chosen, steps, unconfirmed };
    },
  };
  return derivation;
}

const WEID_CHAIN_ID_PATTERN = /^[A-Za-z0-9]+(?::[A-Za-z0-9]+)?$/;
const TDID_ROUTER_ID_PATTERN = /^[a-z0-9-]{1,10}$/;

/** The FISCO BCOS / Ethereum-style address of a key: `0x` + hex(H(X‖Y)[12:32]). */
function addressSteps(key: PublicKey, hashName: HashName): { address: string; steps: DerivationStep[] } {
  const xy = uncompressed(key).subarray(1);
  const hashed = digest(hashName, xy);
  const address = '0x' + hex(hashed.subarray(12));
  return {
    address,
    steps: [
      keyStep(key),
      { name: 'hash-input', description: 'uncompressed point without the 04 prefix, X‖Y (64 bytes)', output: hex(xy) },
      { name: 'hash', description: HASH_LABELS[hashName], output: hex(hashed) },
      { name: 'truncate', description: 'bytes 12..31 (the last 20 bytes) as 0x-prefixed lower-case hex', output: address },
    ],
  };
}

const weidDerivation: IdentifierDerivation = {
  method: 'weid',
  keyTypes: ['secp256k1', 'SM2'],
  defaultHash: { secp256k1: 'keccak256', SM2: 'sm3' },
  source: 'domestic-methods.md §3.2-3.3',
  derive({ key, hash, chainId }) {
    const chosen = chooseHash(weidDerivation, key, hash);
    if (chainId !== undefined && !WEID_CHAIN_ID_PATTERN.test(chainId)) {
      throw new InvalidOptionsError(`"chainId" must be one or two ":"-separated alphanumeric segments (§3.2), got ${JSON.stringify(chainId)}`);
    }
    const { address, steps } = addressSteps(key, chosen);
    const unconfirmed: string[] = [];
    if (key.type === 'SM2') unconfirmed.push('no published SM2-mode WeIdentity key/address pair confirms the SM3 rule (§3.3)');
    if (hash !== undefined && hash !== weidDerivation.defaultHash[key.type]) unconfirmed.push(`non-default hash ${hash} chosen by the caller`);
    return { methodSpecificId: (chainId === undefined ? '' : `${chainId}:`) + address, hash: chosen, steps, unconfirmed };
  },
};

const tdidDerivation: IdentifierDerivation = {
  method: 'tdid',
  keyTypes: ['secp256k1'],
  defaultHash: { secp256k1: 'keccak256' },
  source: 'domestic-methods.md §6',
  derive({ key, hash, chainId }) {
    const chosen = chooseHash(tdidDerivation, key, hash);
    if (chainId === undefined || !TDID_ROUTER_ID_PATTERN.test(chainId)) {
      throw new InvalidOptionsError(`did:tdid needs "chainId", the router id (1-10 of a-z, 0-9, "-"; §6), got ${JSON.stringify(chainId)}`);
    }
    const { address, steps } = addressSteps(key, chosen);
    const unconfirmed = hash !== undefined && hash !== 'keccak256' ? [`non-default hash ${hash} chosen by the caller`] : [];
    return { methodSpecificId: `${chainId}:${address}`, hash: chosen, steps, unconfirmed };
  },
};

/** The key → DID derivations, by method name. */
export const DID_DERIVATIONS: Readonly<Record<string, IdentifierDerivation>> = Object.freeze({
  bid: bifDerivation('bid'),
  cndid: bifDerivation('cndid'),
  weid: weidDerivation,
  tdid: tdidDerivation,
});

/** Methods whose identifiers are not derived from a public key, and what to use instead. */
const NON_KEY_DERIVATIONS: Readonly<Record<string, string>> = {
  ccp: 'did:ccp ids hash the Base DID Document (§7); use deriveCcpIdentifier',
  ctid: 'did:ctid ids hash identity attributes (§8); use deriveCtidIdentifier',
  vaa: 'did:vaa ids hash the public key with an undocumented hash (§9); there is no derivation',
};

/**
 * Derives the DID of a public key for a domestic method, recording every step.
 *
 * @throws MethodNotSupportedError for a method without a key derivation; FeatureNotSupportedError for did:ccp,
 *   did:ctid and did:vaa; InvalidOptionsError for a key type the method does not use, a missing hash where the
 *   docs give none, or a malformed chain id / sub-chain; DidBridgeError(INVALID_OPTIONS) for bytes that are no key
 * @example deriveDid({ method: 'bid', publicKey: ed25519Raw32 }).did // → 'did:bid:ef…'
 * @example deriveDid({ method: 'weid', publicKey: xy64, chainId: '101' }).did // → 'did:weid:101:0x…'
 */
export function deriveDid(options: DeriveDidOptions): DerivedDid {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { method, publicKey, keyType, hash, chainId, subChain } = options;
  if (typeof method !== 'string') throw new TypeError('"method" must be a string');
  if (hash !== undefined && !isHashName(hash)) throw new TypeError(`"hash" must be a HashName, got ${JSON.stringify(hash)}`);
  if (chainId !== undefined && typeof chainId !== 'string') throw new TypeError('"chainId" must be a string');
  if (subChain !== undefined && typeof subChain !== 'string') throw new TypeError('"subChain" must be a string');
  const name = method.replace(/^did:/, '');
  const derivation = Object.prototype.hasOwnProperty.call(DID_DERIVATIONS, name) ? DID_DERIVATIONS[name] : undefined;
  if (!derivation) {
    const other = NON_KEY_DERIVATIONS[name];
    if (other) throw new FeatureNotSupportedError(other);
    throw new MethodNotSupportedError(
      `no key derivation for did:${name}; known: ${Object.keys(DID_DERIVATIONS).map((m) => `did:${m}`).join(', ')}`,
    );
  }

  let key: PublicKey;
  let keyTypeReason: string;
  if (publicKey instanceof Uint8Array) {
    // A lone key type (WeIdentity is secp256k1 unless configured for SM2) is context enough for ambiguous points.
    const context = keyType ?? (derivation.keyTypes.length === 1 ? derivation.keyTypes[0] : undefined);
    const inferred = inferKeyType({ publicKey, contextKeyType: context, errorCode: 'INVALID_OPTIONS' });
    key = inferred.publicKey;
    keyTypeReason = inferred.reason;
  } else if (publicKey && typeof publicKey === 'object' && publicKey.bytes instanceof Uint8Array) {
    const inferred = inferKeyType({ publicKey: publicKey.bytes, contextKeyType: publicKey.type, errorCode: 'INVALID_OPTIONS' });
    if (inferred.type !== publicKey.type) {
      throw new InvalidOptionsError(`"publicKey" says ${publicKey.type} but its bytes are a ${inferred.type} key`);
    }
    key = inferred.publicKey;
    keyTypeReason = `given as a ${publicKey.type} PublicKey`;
  } else {
    throw new TypeError('"publicKey" must be a PublicKey or a Uint8Array');
  }
  if (keyType !== undefined && key.type !== keyType) {
    throw new InvalidOptionsError(`"keyType" is ${keyType} but the key bytes are a ${key.type} key (${keyTypeReason})`);
  }
  if (!derivation.keyTypes.includes(key.type)) {
    throw new InvalidOptionsError(
      `did:${name} derives identifiers from ${derivation.keyTypes.join(', ')} keys, not ${key.type} (${derivation.source})`,
    );
  }
  const result = derivation.derive({ key, hash, chainId, subChain });
  const did = `did:${name}:${result.methodSpecificId}`;
  result.steps.push({ name: 'assemble', description: `did:${name}: + method-specific id`, output: did });
  return { did, method: name, keyType: key.type, keyTypeReason, ...result };
}

// ---------------------------------------------------------------------------------------------------------------
// WeIdentity v3 fragments (§3.3)

/**
 * The fragment WeIdentity v3 gives a key's verification method: `keys-` + the last 8 hex digits of Keccak-256 of
 * the UTF-8 decimal public-key string (§3.3; v1 used sequential `keys-0`, `keys-1`, …).
 * @example weidVerificationMethodFragment('1307909339…1921222') // → 'keys-116cc51b'
 */
export function weidVerificationMethodFragment(decimalPublicKey: string): string {
  if (typeof decimalPublicKey !== 'string' || !/^[0-9]+$/.test(decimalPublicKey)) {
    throw new TypeError('"decimalPublicKey" must be the decimal public-key string');
  }
  return 'keys-' + hex(keccak256(decimalPublicKey)).slice(-8);
}

/**
 * The fragment WeIdentity v3 gives a service: the last 8 hex digits of Keccak-256 of the UTF-8 endpoint (§3.3).
 * @example weidServiceFragment('https://github.com/WeBankBlockchain/WeIdentity') // → '04b8d8ae'
 */
export function weidServiceFragment(serviceEndpoint: string): string {
  if (typeof serviceEndpoint !== 'string') throw new TypeError('"serviceEndpoint" must be a string');
  return hex(keccak256(serviceEndpoint)).slice(-8);
}

// ---------------------------------------------------------------------------------------------------------------
// did:ccp and did:ctid (not key-derived)

/**
 * did:ccp: base58btc(RIPEMD-160(SHA-256(Base DID Document))) (§7). Which bytes of the Base Document are hashed
 * (serialisation, whitespace, key order) is not published, and no Base Document/DID pair exists to settle it, so
 * the result is always marked unconfirmed.
 */
export function deriveCcpIdentifier(options: { baseDocument: Uint8Array | string }): DerivedIdentifier {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { baseDocument } = options;
  if (!(baseDocument instanceof Uint8Array) && typeof baseDocument !== 'string') {
    throw new TypeError('"baseDocument" must be the document bytes or text');
  }
  const inner = sha256(baseDocument);
  const outer = ripemd160(inner);
  const id = base58Bitcoin.encode(outer);
  const did = `did:ccp:${id}`;
  return {
    did,
    method: 'ccp',
    methodSpecificId: id,
    hash: 'ripemd160',
    steps: [
      { name: 'hash', description: 'SHA-256 of the Base DID Document bytes', output: hex(inner) },
      { name: 'hash', description: 'RIPEMD-160 of that', output: hex(outer) },
      { name: 'encode', description: 'base58 (Bitcoin alphabet)', output: id },
      { name: 'assemble', description: 'did:ccp: + method-specific id', output: did },
    ],
    unconfirmed: ['the byte input to the hash (serialisation of the Base DID Document) is not published (§7, §15)'],
  };
}

/**
 * did:ctid: upper-case hex SM3 of "personal identity attributes" (§8). The attribute serialisation is not public,
 * so this only applies SM3 to the bytes given; the result is marked unconfirmed.
 */
export function deriveCtidIdentifier(options: { attributes: Uint8Array | string }): DerivedIdentifier {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { attributes } = options;
  if (!(attributes instanceof Uint8Array) && typeof attributes !== 'string') {
    throw new TypeError('"attributes" must be bytes or text');
  }
  const hashed = sm3(attributes);
  const id = hex(hashed).toUpperCase();
  const did = `did:ctid:${id}`;
  return {
    did,
    method: 'ctid',
    methodSpecificId: id,
    hash: 'sm3',
    steps: [
      { name: 'hash', description: 'SM3 of the identity-attribute bytes', output: hex(hashed) },
      { name: 'encode', description: 'upper-case hex', output: id },
      { name: 'assemble', description: 'did:ctid: + method-specific id', output: did },
    ],
    unconfirmed: ['the serialisation of the identity attributes is not published (§8)'],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Identifier validators

/** Options every identifier validator accepts. */
export interface IdentifierValidationOptions {
  /** Error code to throw (default INVALID_DID). */
  errorCode?: ErrorName;
}

function didString(input: string | ParsedDid): string {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object' && typeof input.did === 'string') return input.did;
  throw new TypeError('"did" must be a DID string or a ParsedDid');
}

function invalid(options: IdentifierValidationOptions | undefined, message: string): never {
  const code = options?.errorCode ?? 'INVALID_DID';
  throw code === 'INVALID_DID' ? new InvalidDidError(message) : new DidBridgeError(code, message);
}

function quote(did: string): string {
  return did.length > 80 ? JSON.stringify(did.slice(0, 80)) + '…' : JSON.stringify(did);
}

/** A parsed did:bid / did:cndid identifier. */
export interface BifIdentifier {
  method: 'bid' | 'cndid';
  did: string;
  /** The sub-chain AC code, when present. */
  subChain: string | undefined;
  /** False for the bare sub-chain form `did:bid:<acsn>`, which names a sub-chain rather than an account. */
  hasSuffix: boolean;
  /** Key type from the first tag character (`e`, `z`, `s`). */
  keyType: BifKeyType | undefined;
  /** Encoding from the second tag character (always `base58` in valid identifiers). */
  encoding: BifEncoding | undefined;
  /** The 22 bytes the suffix encodes (the truncated key hash). */
  hashBytes: Uint8Array | undefined;
}

/** Options of `parseBifIdentifier`. */
export interface ParseBifIdentifierOptions extends IdentifierValidationOptions {
  /** `bid` (default) or `cndid`. */
  method?: 'bid' | 'cndid';
  /** Accept the bare sub-chain form `did:bid:<acsn>` (default true). */
  allowSubChainOnly?: boolean;
}

/** The did:bid / did:cndid identifier patterns, compiled once (identifiers are parsed on every translation). */
const BIF_PATTERNS: Readonly<Record<'bid' | 'cndid', { subChainOnly: RegExp; account: RegExp }>> = {
  bid: bifPatterns('bid'),
  cndid: bifPatterns('cndid'),
};

function bifPatterns(method: 'bid' | 'cndid'): { subChainOnly: RegExp; account: RegExp } {
  return {
    subChainOnly: new RegExp(`^did:${method}:([a-z0-9]{4})$`),
    account: new RegExp(`^did:${method}:(?:([a-z0-9]{4}):)?(ef|zf|sf)([1-9A-HJ-NP-Za-km-z]{28,31})$`),
  };
}

/**
 * Validates and parses a did:bid (or did:cndid) identifier: optional 4-character sub-chain code, tags `ef`/`zf`/`sf`,
 * 28-31 base58 characters decoding to exactly 22 bytes (§4.1, §5; the UR driver's `encAddressValid`).
 * @throws InvalidDidError (or `errorCode`)
 */
export function parseBifIdentifier(input: string | ParsedDid, options: ParseBifIdentifierOptions = {}): BifIdentifier {
  const did = didString(input);
  const method = options.method ?? 'bid';
  if (method !== 'bid' && method !== 'cndid') throw new TypeError('"method" must be "bid" or "cndid"');
  const patterns = BIF_PATTERNS[method];
  const subChainOnly = patterns.subChainOnly.exec(did);
  if (subChainOnly) {
    if (options.allowSubChainOnly === false) invalid(options, `${quote(did)} names a sub-chain, not an account`);
    return { method, did, subChain: subChainOnly[1], hasSuffix: false, keyType: undefined, encoding: undefined, hashBytes: undefined };
  }
  const match = patterns.account.exec(did);
  if (!match) {
    invalid(
      options,
      `${quote(did)} is not a did:${method} identifier: expected did:${method}:[<4-char sub-chain>:](ef|zf|sf)` +
        '<28-31 base58 characters> (§4.1)',
    );
  }
  const [, subChain, tag, body] = match;
  const hashBytes = base58Bif.decode(body!, { errorCode: options.errorCode ?? 'INVALID_DID', label: `did:${method} suffix` });
  if (hashBytes.length !== 22) invalid(options, `the suffix of ${quote(did)} decodes to ${hashBytes.length} bytes, not 22 (§4.1)`);
  return {
    method,
    did,
    subChain,
    hasSuffix: true,
    keyType: bifKeyTypeFromTag(tag![0]!),
    encoding: bifEncodingFromTag(tag![1]!),
    hashBytes,
  };
}

/** A parsed did:weid identifier. */
export interface WeidIdentifier {
  did: string;
  /** The segments between `did:weid:` and the address (0, 1 or 2 of them), joined by `:`; undefined when none. */
  chainId: string | undefined;
  /** The address in lower case (compare addresses case-insensitively, emit them lower-case, §3.2). */
  address: string;
}

/**
 * Validates and parses a did:weid identifier with the bridge's regex (§3.2), which fixes the SDK's `A-f` range bug.
 * With `chainId`, the 4-segment form must carry that chain id (the SDK's `chain.id` rule).
 * @throws InvalidDidError (or `errorCode`)
 */
export function parseWeidIdentifier(
  input: string | ParsedDid,
  options: IdentifierValidationOptions & { chainId?: string } = {},
): WeidIdentifier {
  const did = didString(input);
  const match = /^did:weid:((?:[A-Za-z0-9]+:){0,2})(0x[0-9a-fA-F]{40})$/.exec(did);
  if (!match) {
    invalid(options, `${quote(did)} is not a did:weid identifier: expected did:weid:[<chain id>:]0x<40 hex digits> (§3.2)`);
  }
  const chainId = match[1] ? match[1].slice(0, -1) : undefined;
  if (options.chainId !== undefined && chainId !== undefined && !chainId.includes(':') && chainId !== options.chainId) {
    invalid(options, `${quote(did)} is on chain ${JSON.stringify(chainId)}, not the configured ${JSON.stringify(options.chainId)}`);
  }
  return { did, chainId, address: match[2]!.toLowerCase() };
}

/** A parsed did:tdid identifier. */
export interface TdidIdentifier {
  did: string;
  routerId: string;
  /** The address in lower case. */
  address: string;
}

/** Validates and parses a did:tdid identifier (§6). @throws InvalidDidError (or `errorCode`) */
export function parseTdidIdentifier(input: string | ParsedDid, options: IdentifierValidationOptions = {}): TdidIdentifier {
  const did = didString(input);
  const match = /^did:tdid:([a-z0-9-]{1,10}):(0x[0-9a-fA-F]{40})$/.exec(did);
  if (!match) invalid(options, `${quote(did)} is not a did:tdid identifier: expected did:tdid:<router id>:0x<40 hex digits> (§6)`);
  return { did, routerId: match[1]!, address: match[2]!.toLowerCase() };
}

/** A parsed base58 hash identifier (did:ccp, did:vaa). */
export interface HashIdentifier {
  did: string;
  /** The bytes the identifier encodes. */
  hashBytes: Uint8Array;
}

/** Compiled identifier patterns of {@link parseBase58HashIdentifier}, by method and length range (a few fixed ones). */
const HASH_IDENTIFIER_PATTERNS = new Map<string, RegExp>();

function parseBase58HashIdentifier(
  input: string | ParsedDid,
  options: IdentifierValidationOptions,
  method: string,
  range: [number, number],
  bytes: number,
  section: string,
): HashIdentifier {
  const did = didString(input);
  const patternKey = `${method}:${range[0]}:${range[1]}`;
  let pattern = HASH_IDENTIFIER_PATTERNS.get(patternKey);
  if (pattern === undefined) {
    pattern = new RegExp(`^did:${method}:([1-9A-HJ-NP-Za-km-z]{${range[0]},${range[1]}})$`);
    HASH_IDENTIFIER_PATTERNS.set(patternKey, pattern);
  }
  const match = pattern.exec(did);
  if (!match) {
    invalid(options, `${quote(did)} is not a did:${method} identifier: expected ${range[0]}-${range[1]} base58 characters (${section})`);
  }
  const hashBytes = base58Bitcoin.decode(match[1]!, { errorCode: options.errorCode ?? 'INVALID_DID', label: `did:${method} id` });
  if (hashBytes.length !== bytes) {
    invalid(options, `the id of ${quote(did)} decodes to ${hashBytes.length} bytes, not the ${bytes} of a ${bytes * 8}-bit hash (${section})`);
  }
  return { did, hashBytes };
}

/** Validates a did:ccp identifier: 25-34 base58 characters encoding a 20-byte RIPEMD-160 (§7). */
export function parseCcpIdentifier(input: string | ParsedDid, options: IdentifierValidationOptions = {}): HashIdentifier {
  return parseBase58HashIdentifier(input, options, 'ccp', [25, 34], 20, '§7');
}

/**
 * Validates a did:vaa identifier: 27-31 base58 characters encoding 20 bytes (§9). Contract-specific forms with `/`
 * are not DIDs and are rejected.
 */
export function parseVaaIdentifier(input: string | ParsedDid, options: IdentifierValidationOptions = {}): HashIdentifier {
  return parseBase58HashIdentifier(input, options, 'vaa', [27, 31], 20, '§9');
}

/** Validates a did:ctid identifier: 64 upper-case hex digits, an SM3 digest (§8). */
export function parseCtidIdentifier(input: string | ParsedDid, options: IdentifierValidationOptions = {}): HashIdentifier {
  const did = didString(input);
  const match = /^did:ctid:([0-9A-F]{64})$/.exec(did);
  if (!match) invalid(options, `${quote(did)} is not a did:ctid identifier: expected 64 upper-case hex digits (§8)`);
  return { did, hashBytes: new Uint8Array(Buffer.from(match[1]!, 'hex')) };
}

/**
 * Identifier validators by method name, for adapters' `validate()` (they throw InvalidDidError and return the
 * parsed parts).
 */
export const IDENTIFIER_VALIDATORS: Readonly<Record<string, (did: string | ParsedDid, options?: IdentifierValidationOptions) => object>> =
  Object.freeze({
    bid: (did, options) => parseBifIdentifier(did, { ...options, method: 'bid' }),
    cndid: (did, options) => parseBifIdentifier(did, { ...options, method: 'cndid' }),
    weid: (did, options) => parseWeidIdentifier(did, options),
    tdid: (did, options) => parseTdidIdentifier(did, options),
    ccp: (did, options) => parseCcpIdentifier(did, options),
    ctid: (did, options) => parseCtidIdentifier(did, options),
    vaa: (did, options) => parseVaaIdentifier(did, options),
  });

/**
 * Validates a DID with its method's validator.
 * @throws InvalidDidError for a malformed identifier; MethodNotSupportedError when no validator exists
 */
export function validateIdentifier(options: { did: string | ParsedDid } & IdentifierValidationOptions): object {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const did = didString(options.did);
  const method = /^did:([a-z0-9]+):/.exec(did)?.[1];
  if (method === undefined) invalid(options, `${quote(did)} is not a DID`);
  const validator = Object.prototype.hasOwnProperty.call(IDENTIFIER_VALIDATORS, method) ? IDENTIFIER_VALIDATORS[method] : undefined;
  if (!validator) throw new MethodNotSupportedError(`no identifier validator for did:${method}`);
  return validator(did, options);
}
