/**
 * The hash functions the domestic DID methods derive identifiers and sign with: SHA-256 (did:bid Ed25519, did:ccp),
 * SM3 (did:bid SM2, WeIdentity GM mode, did:ctid, SM2 signatures), Keccak-256 (WeIdentity and did:tdid addresses,
 * WeIdentity ids and credential thumbprints) and RIPEMD-160 (did:ccp).
 *
 * SM3 comes from node:crypto when the linked OpenSSL provides it (OpenSSL 1.1.1+ builds of Node 20 do), and from
 * sm-crypto-v2 otherwise; both implement GB/T 32905-2016 and the tests cross-check them. The other hashes come from
 * @noble/hashes (node:crypto has no Keccak-256: its `sha3-256` is FIPS 202 SHA-3, whose padding differs).
 *
 * @see https://openstd.samr.gov.cn/bzgk/gb/ GB/T 32905-2016 (SM3)
 * @see ../../docs/sm2.md
 */
import { createHash, getHashes } from 'node:crypto';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { keccak_256 } from '@noble/hashes/sha3';
import { hexToBytes } from '@noble/hashes/utils';
import { sm3 as smCryptoSm3 } from 'sm-crypto-v2';

/** Names of the hash functions this module provides. */
export type HashName = 'sha256' | 'sm3' | 'keccak256' | 'ripemd160';

/** Every hash name, for option validation and CLI choices. */
export const HASH_NAMES: readonly HashName[] = ['sha256', 'sm3', 'keccak256', 'ripemd160'];

/** Digest sizes in bytes. */
export const HASH_OUTPUT_BYTES: Readonly<Record<HashName, number>> = {
  sha256: 32,
  sm3: 32,
  keccak256: 32,
  ripemd160: 20,
};

/** Display names, as the standards write them. */
export const HASH_LABELS: Readonly<Record<HashName, string>> = {
  sha256: 'SHA-256',
  sm3: 'SM3',
  keccak256: 'Keccak-256',
  ripemd160: 'RIPEMD-160',
};

const encoder = new TextEncoder();

/** Bytes, or a string hashed as its UTF-8 encoding. */
export type HashInput = Uint8Array | string;

function toBytes(data: HashInput, name: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return encoder.encode(data);
  throw new TypeError(`"data" for ${name} must be a Uint8Array or a string`);
}

/** Which implementation `sm3()` uses on this runtime: decided once, at load time. */
export const SM3_PROVIDER: 'node:crypto' | 'sm-crypto-v2' = getHashes().includes('sm3') ? 'node:crypto' : 'sm-crypto-v2';

/**
 * SM3 through sm-crypto-v2 (pure JavaScript). Exported so tests can cross-check it against node:crypto; callers
 * should use `sm3()`, which picks the faster provider.
 */
export function sm3WithSmCrypto(data: HashInput): Uint8Array {
  return hexToBytes(smCryptoSm3(toBytes(data, 'sm3')));
}

/**
 * SM3 (GB/T 32905-2016), 32-byte digest.
 * @example sm3('abc') // 66c7f0f4…8f4ba8e0 (GB/T 32905-2016 Appendix A.1)
 */
export function sm3(data: HashInput): Uint8Array {
  const bytes = toBytes(data, 'sm3');
  if (SM3_PROVIDER === 'node:crypto') return new Uint8Array(createHash('sm3').update(bytes).digest());
  return sm3WithSmCrypto(bytes);
}

/** SHA-256 (FIPS 180-4), 32-byte digest. */
export function sha256(data: HashInput): Uint8Array {
  return nobleSha256(toBytes(data, 'sha256'));
}

/**
 * Keccak-256 as Ethereum and FISCO BCOS use it (original Keccak padding, not FIPS 202 SHA3-256), 32-byte digest.
 * @example keccak256('') // c5d24601…5d85a470
 */
export function keccak256(data: HashInput): Uint8Array {
  return keccak_256(toBytes(data, 'keccak256'));
}

/** RIPEMD-160, 20-byte digest (did:ccp, §7). */
export function ripemd160(data: HashInput): Uint8Array {
  return nobleRipemd160(toBytes(data, 'ripemd160'));
}

const HASH_FUNCTIONS: Readonly<Record<HashName, (data: HashInput) => Uint8Array>> = {
  sha256,
  sm3,
  keccak256,
  ripemd160,
};

/** Whether `name` is one of `HASH_NAMES`. */
export function isHashName(name: unknown): name is HashName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(HASH_FUNCTIONS, name);
}

/**
 * Hashes `data` with the named function.
 * @throws TypeError when `name` is not a `HashName` or `data` is neither bytes nor a string
 * @example digest('sm3', publicKeyBytes)
 */
export function digest(name: HashName, data: HashInput): Uint8Array {
  if (!isHashName(name)) {
    throw new TypeError(`"name" must be one of ${HASH_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return HASH_FUNCTIONS[name](data);
}
