/**
 * Byte codecs for the key and identifier encodings of the domestic DID methods: base58 (Bitcoin's and Xinghuo BIF's
 * private alphabet), hex, WeIdentity's decimal public keys and its v3 pseudo-multibase, BIF-encoded public and
 * private keys, and the base64url used by JWK members.
 *
 * Every decoder validates its input completely and throws `DidBridgeError` with a caller-chosen DID Resolution error
 * code (default `INVALID_DID_DOCUMENT`, because keys mostly arrive inside documents; identifier validators pass
 * `INVALID_DID`) and a message that says what was expected. Wrong argument types are programmer errors and throw
 * `TypeError`. Decoders bound their input length before doing any super-linear work (base58 and decimal conversion
 * are quadratic), so hostile input cannot stall the resolver.
 *
 * @see ../../docs/sm2.md for the representation decisions that use these codecs
 * @see /work/shared/docs/domestic-methods.md §3.3-3.4 (WeIdentity), §4.2 (BIF)
 */
import { base64, base64url } from 'multiformats/bases/base64';
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';

/** Options every decoder accepts. */
export interface DecodeOptions {
  /** The DID Resolution error code to throw on bad input. Default `INVALID_DID_DOCUMENT`. */
  errorCode?: ErrorName;
  /** What is being decoded, for the error message (e.g. `publicKeyHex of #key-1`). */
  label?: string;
}

function fail(options: DecodeOptions | undefined, expected: string, cause?: unknown): never {
  const what = options?.label ? `${options.label}: ` : '';
  throw new DidBridgeError(options?.errorCode ?? 'INVALID_DID_DOCUMENT', `${what}expected ${expected}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`"${name}" must be a string`);
}

function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" must be a Uint8Array`);
}

function describe(text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}… (${text.length} characters)` : JSON.stringify(text);
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Constant-size equality of two byte arrays (not constant-time: for public data only). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Hex

const HEX_PATTERN = /^[0-9a-fA-F]*$/;

/** Options of `encodeHex`. */
export interface EncodeHexOptions {
  /** Prefix the output with `0x`. Default false. */
  prefix?: boolean;
  /** Upper-case digits (BID proofs carry signatures this way). Default false. */
  upperCase?: boolean;
}

/** Encodes bytes as hex, lower case and unprefixed by default. */
export function encodeHex(bytes: Uint8Array, options: EncodeHexOptions = {}): string {
  assertBytes(bytes, 'bytes');
  let hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  if (options.upperCase) hex = hex.toUpperCase();
  return options.prefix ? `0x${hex}` : hex;
}

/** Options of `decodeHex`. */
export interface DecodeHexOptions extends DecodeOptions {
  /** Accept a leading `0x`/`0X`. Default true. */
  allowPrefix?: boolean;
  /** Require exactly this many bytes. */
  length?: number;
  /** Refuse input longer than this many characters before converting. Default 1 MiB. */
  maxLength?: number;
}

/**
 * Decodes hex (either case, with or without `0x`). Odd length, stray characters, whitespace and a wrong byte length
 * are errors.
 * @example decodeHex('0xB0656616…', { length: 35 })
 */
export function decodeHex(text: string, options: DecodeHexOptions = {}): Uint8Array {
  assertString(text, 'text');
  const maxLength = options.maxLength ?? 1 << 20;
  if (text.length > maxLength) fail(options, `hex of at most ${maxLength} characters, got ${text.length}`);
  let digits = text;
  if (options.allowPrefix !== false && /^0[xX]/.test(digits)) digits = digits.slice(2);
  if (!HEX_PATTERN.test(digits)) fail(options, `hexadecimal digits, got ${describe(text)}`);
  if (digits.length % 2 !== 0) fail(options, `an even number of hex digits, got ${digits.length}`);
  const bytes = new Uint8Array(Buffer.from(digits, 'hex'));
  if (options.length !== undefined && bytes.length !== options.length) {
    fail(options, `${options.length} bytes of hex, got ${bytes.length}`);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Base58 alphabets

/** Bitcoin's base58 alphabet, used by base58btc multibase and by did:ccp / did:vaa identifiers. */
export const BITCOIN_BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * Xinghuo BIF's private base58 alphabet (domestic-methods.md §4.2; `uni-resolver-driver-did-bid@5a93365:…/Base58.java`).
 * It is Bitcoin's with `B↔b` and `U↔u` swapped: the character set is the same, so a wrong-alphabet bug only shows as
 * wrong letter case.
 */
export const BIF_BASE58_ALPHABET = '123456789AbCDEFGHJKLMNPQRSTuVWXYZaBcdefghijkmnopqrstUvwxyz';

/** A base58 codec over one alphabet (no multibase prefix). */
export interface Base58Codec {
  readonly alphabet: string;
  encode(bytes: Uint8Array): string;
  /** Decodes; `maxLength` (characters, default 4096) bounds the quadratic conversion. */
  decode(text: string, options?: DecodeOptions & { maxLength?: number; length?: number }): Uint8Array;
}

/** 58²: the two-digit numbers {@link Base58Tables.pairs} spells. */
const BASE58_PAIRS = 58 * 58;

/**
 * The lookup tables of one base58 alphabet, as {@link encodeBase58Digits} and {@link decodeBase58Digits} read them.
 * Build them once per alphabet with {@link base58Tables}.
 */
export interface Base58Tables {
  /** The 58 characters, digit 0 first. */
  readonly alphabet: string;
  /** Digit value by character code below 128; -1 where the character is not a digit. */
  readonly digits: Int8Array;
  /** The two character codes of every two-digit number 0…58²−1, most significant digit first (2·58² entries). */
  readonly pairs: Uint8Array;
}

/**
 * Builds the {@link Base58Tables} of an alphabet.
 * @throws TypeError unless `alphabet` is 58 distinct ASCII characters
 */
export function base58Tables(alphabet: string): Base58Tables {
  assertString(alphabet, 'alphabet');
  if (alphabet.length !== 58 || !/^[\x21-\x7e]*$/.test(alphabet) || new Set(alphabet).size !== 58) {
    throw new TypeError('"alphabet" must be 58 distinct printable ASCII characters');
  }
  const digits = new Int8Array(128).fill(-1);
  for (let i = 0; i < 58; i++) digits[alphabet.charCodeAt(i)] = i;
  const pairs = new Uint8Array(2 * BASE58_PAIRS);
  for (let value = 0; value < BASE58_PAIRS; value++) {
    pairs[2 * value] = alphabet.charCodeAt(Math.floor(value / 58));
    pairs[2 * value + 1] = alphabet.charCodeAt(value % 58);
  }
  return { alphabet, digits, pairs };
}

/** The tables of Bitcoin's alphabet (base58btc), for callers on a hot path that use the conversions directly. */
export const BITCOIN_BASE58_TABLES: Base58Tables = base58Tables(BITCOIN_BASE58_ALPHABET);

/**
 * Builds a base58 codec for any alphabet that is a permutation of Bitcoin's.
 *
 * Both directions convert with the alphabet's own tables ({@link encodeBase58Digits}, {@link decodeBase58Digits}),
 * so a private alphabet such as BIF's costs the same as Bitcoin's: there is no encode-as-Bitcoin-then-rename step.
 *
 * @throws TypeError when `alphabet` is not a permutation of `BITCOIN_BASE58_ALPHABET`
 */
export function base58Codec(alphabet: string): Base58Codec {
  assertString(alphabet, 'alphabet');
  if (alphabet.length !== 58 || [...alphabet].sort().join('') !== [...BITCOIN_BASE58_ALPHABET].sort().join('')) {
    throw new TypeError('"alphabet" must be a permutation of the Bitcoin base58 alphabet');
  }
  const { digits, pairs } = alphabet === BITCOIN_BASE58_ALPHABET ? BITCOIN_BASE58_TABLES : base58Tables(alphabet);
  const charClass = /^[1-9A-HJ-NP-Za-km-z]*$/;
  return {
    alphabet,
    encode(bytes) {
      assertBytes(bytes, 'bytes');
      return encodeBase58Digits(bytes, pairs);
    },
    decode(text, options = {}) {
      assertString(text, 'text');
      const maxLength = options.maxLength ?? 4096;
      if (text.length > maxLength) fail(options, `base58 of at most ${maxLength} characters, got ${text.length}`);
      if (!charClass.test(text)) fail(options, `base58 characters (no 0, O, I, l), got ${describe(text)}`);
      const bytes = decodeBase58Digits(text, digits);
      if (bytes === undefined) fail(options, `base58, got ${describe(text)}`);
      if (options.length !== undefined && bytes.length !== options.length) {
        fail(options, `${options.length} bytes of base58, got ${bytes.length}`);
      }
      return bytes;
    },
  };
}

/** 58⁴: the base of the digit groups {@link encodeBase58Digits} accumulates. */
const BASE58_GROUP = 58 ** 4;

/**
 * The character buffer {@link encodeBase58Digits} writes into (texts of up to 512 characters, i.e. inputs up to about
 * 370 bytes; longer ones get a buffer of their own). Reusing it is safe because the encoder is synchronous.
 */
const base58TextScratch = Buffer.allocUnsafeSlow(512);

/**
 * Bytes to base58 text, with `pairs` spelling each two-digit number ({@link Base58Tables.pairs}): the text base-x
 * (multiformats' base58btc) and `@scure/base`'s base58 write, i.e. the alphabet's first character once per leading
 * zero byte, then the number without leading zero digits; empty input gives the empty string.
 *
 * Why not `@scure/base` (or base-x): their conversions are fine (scure divides 16-bit limbs by 58⁵), but they go
 * through an array of digit values and a second pass renaming digits to characters, and one serial dependency chain
 * of floating-point divisions; a 34-byte Multikey took ~2 µs, once or twice per did:key resolution. Here the number
 * is accumulated in base 58⁴ (< 2²⁴) groups, two input bytes per step: each group's product `group · 2¹⁶` is split
 * into `high · 58⁴ + low` independently of the other groups (so the divisions pipeline instead of waiting on a carry),
 * and `low + high of the group below` is kept as the new group without normalising it. That sum stays below
 * 58⁴ + 2¹⁷ (a carry-save representation), so every product stays below 2⁴⁰ and exact in doubles; one carry pass at
 * the end normalises the groups. Each group is then written as two character pairs from `pairs` straight into a byte
 * buffer that becomes a one-byte string. A 34-byte Multikey encodes in well under a microsecond.
 *
 * The input length is not bounded here (`@scure/base` refuses more than 2048 bytes): the cost is quadratic, about
 * 1 ms for 2 KiB and 10 ms for 8 KiB, and callers encode bytes they built themselves, not input from the network.
 */
export function encodeBase58Digits(bytes: Uint8Array, pairs: Uint8Array): string {
  const length = bytes.length;
  let zeros = 0;
  while (zeros < length && bytes[zeros] === 0) zeros++;
  const groups: number[] = []; // little-endian, base 58⁴, not normalised until the end
  let i = zeros;
  if ((length - zeros) % 2 === 1) groups.push(bytes[i++]!);
  for (; i < length; i += 2) {
    multiplyAddCarrySave(groups, 0x10000, BASE58_GROUP, (bytes[i]! << 8) | bytes[i + 1]!);
  }
  // Normalise: every group is below 58⁴ + 2¹⁷ < 2·58⁴, so each carries at most 1 into the next.
  let count = groups.length;
  let carry = 0;
  for (let k = 0; k < count; k++) {
    const value = groups[k]! + carry;
    carry = value >= BASE58_GROUP ? 1 : 0;
    groups[k] = value - carry * BASE58_GROUP;
  }
  if (carry > 0) groups[count++] = carry;
  // Written right to left: four digits per group, then the top group's leading zero digits are dropped, then one
  // zero digit per leading zero byte goes in front.
  const size = zeros + 4 * count;
  const text = size <= base58TextScratch.length ? base58TextScratch : Buffer.allocUnsafe(size);
  let at = size;
  for (let k = 0; k < count; k++) {
    const group = groups[k]!;
    const high = Math.floor(group / BASE58_PAIRS);
    const low = group - high * BASE58_PAIRS;
    text[--at] = pairs[2 * low + 1]!;
    text[--at] = pairs[2 * low]!;
    text[--at] = pairs[2 * high + 1]!;
    text[--at] = pairs[2 * high]!;
  }
  const zeroDigit = pairs[0]!;
  while (at < size && text[at] === zeroDigit) at++;
  for (let z = 0; z < zeros; z++) text[--at] = zeroDigit;
  return text.toString('latin1', at, size);
}

/** 2^24: the limb base of {@link decodeBase58Digits}. */
const LIMB = 0x1000000;

/**
 * Base58 text to bytes, with `digits` giving each character's value (-1: not a digit; {@link Base58Tables.digits}):
 * the bytes base-x (the decoder multiformats vendors) returns, i.e. one zero byte per leading zero digit, then the
 * number big-endian without leading zero bytes. Undefined when a character is not a digit.
 *
 * Why not base-x: base58 decoding is a quadratic radix conversion, and base-x converts one character at a time into
 * bytes. Here four characters (58⁴ < 2²⁴) are folded into one multiplier and the number is kept in 24-bit limbs, so
 * the conversion takes about a twelfth of the steps: the ~150-character WeIdentity v3 keys decode in a few
 * microseconds instead of tens. As in {@link encodeBase58Digits}, each limb's product `limb · 58⁴` is split into
 * `high · 2²⁴ + low` independently of the other limbs and `low + high of the limb below` is kept unnormalised
 * (carry-save), so the divisions do not wait on each other: limbs stay below 2²⁴ / (1 − 58⁴/2²⁴) < 2²⁶, products
 * below 2⁵⁰, exact in doubles; one carry pass at the end normalises.
 */
export function decodeBase58Digits(text: string, digits: Int8Array): Uint8Array | undefined {
  const length = text.length;
  let zeros = 0;
  while (zeros < length && digits[text.charCodeAt(zeros)] === 0) zeros++;
  const limbs: number[] = []; // little-endian, base 2^24, not normalised until the end
  let i = zeros;
  while (i < length) {
    let chunk = 0;
    let multiplier = 1;
    const end = Math.min(i + 4, length);
    for (; i < end; i++) {
      const code = text.charCodeAt(i);
      const digit = code < 128 ? digits[code]! : -1;
      if (digit < 0) return undefined;
      chunk = chunk * 58 + digit;
      multiplier *= 58;
    }
    multiplyAddCarrySave(limbs, multiplier, LIMB, chunk);
  }
  let count = limbs.length;
  let carry = 0;
  for (let j = 0; j < count; j++) {
    const value = limbs[j]! + carry;
    carry = Math.floor(value / LIMB);
    limbs[j] = value - carry * LIMB;
  }
  for (; carry > 0; count++) {
    const high = Math.floor(carry / LIMB);
    limbs[count] = carry - high * LIMB;
    carry = high;
  }
  while (count > 0 && limbs[count - 1] === 0) count--;
  // Every limb holds 3 bytes; the top one may hold fewer significant ones.
  const top = count === 0 ? 0 : limbs[count - 1]!;
  const topBytes = top >= 0x10000 ? 3 : top >= 0x100 ? 2 : top > 0 ? 1 : 0;
  const out = new Uint8Array(zeros + (count === 0 ? 0 : (count - 1) * 3 + topBytes));
  let at = out.length;
  for (let j = 0; j < count - 1; j++) {
    const limb = limbs[j]!;
    out[--at] = limb & 0xff;
    out[--at] = (limb >>> 8) & 0xff;
    out[--at] = limb >>> 16;
  }
  for (let limb = top, k = 0; k < topBytes; k++, limb >>>= 8) out[--at] = limb & 0xff;
  return out;
}

/**
 * digits ← digits · multiplier + addend, little-endian in radix `radix`, without normalising: each digit keeps the
 * low part of its own product plus the high part of the one below, so it may end above the radix (by less than the
 * largest carry); the callers normalise once at the end. Products must stay below 2^53 (the callers' bounds say why).
 */
function multiplyAddCarrySave(digits: number[], multiplier: number, radix: number, addend: number): void {
  let carry = addend;
  const count = digits.length;
  for (let k = 0; k < count; k++) {
    const product = digits[k]! * multiplier;
    const high = Math.floor(product / radix);
    digits[k] = product - high * radix + carry;
    carry = high;
  }
  if (carry > 0) digits.push(carry);
}

/** Bitcoin-alphabet base58 (no multibase prefix). */
export const base58Bitcoin: Base58Codec = base58Codec(BITCOIN_BASE58_ALPHABET);

/** BIF-alphabet base58, as did:bid identifiers and BIF private keys use it (§4.2). */
export const base58Bif: Base58Codec = base58Codec(BIF_BASE58_ALPHABET);

/** Decodes a base58btc multibase string (`z…`). */
export function decodeMultibaseBase58btc(text: string, options: DecodeOptions & { maxLength?: number } = {}): Uint8Array {
  assertString(text, 'text');
  if (!text.startsWith('z')) fail(options, `a base58btc multibase value starting with "z", got ${describe(text)}`);
  return base58Bitcoin.decode(text.slice(1), options);
}

/** Encodes bytes as a base58btc multibase string (`z…`). */
export function encodeMultibaseBase58btc(bytes: Uint8Array): string {
  return 'z' + base58Bitcoin.encode(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 (JWK members, WeIdentity signatures)

/** Encodes bytes as unpadded base64url (RFC 4648 §5), as JWK members require (RFC 7515 §2). */
export function encodeBase64Url(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return base64url.baseEncode(bytes);
}

/**
 * Decodes unpadded base64url. Padding, standard-alphabet characters and non-zero trailing bits are errors, as
 * RFC 7515 §2 / RFC 7518 §6.2.1 require for JWK members.
 */
export function decodeBase64Url(text: string, options: DecodeOptions & { length?: number } = {}): Uint8Array {
  assertString(text, 'text');
  if (!/^[A-Za-z0-9_-]*$/.test(text)) fail(options, `unpadded base64url, got ${describe(text)}`);
  let bytes: Uint8Array;
  try {
    bytes = base64url.baseDecode(text);
  } catch (cause) {
    fail(options, `canonical base64url (no stray trailing bits), got ${describe(text)}`, cause);
  }
  if (options.length !== undefined && bytes.length !== options.length) {
    fail(options, `${options.length} bytes of base64url, got ${bytes.length}`);
  }
  return bytes;
}

/** Decodes standard base64 (RFC 4648 §4), padded or not, as WeIdentity `signatureValue`s are written. */
export function decodeBase64(text: string, options: DecodeOptions & { length?: number } = {}): Uint8Array {
  assertString(text, 'text');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || (text.includes('=') && text.length % 4 !== 0)) {
    fail(options, `base64, got ${describe(text)}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = base64.baseDecode(text.replace(/=+$/, ''));
  } catch (cause) {
    fail(options, `canonical base64, got ${describe(text)}`, cause);
  }
  if (options.length !== undefined && bytes.length !== options.length) {
    fail(options, `${options.length} bytes of base64, got ${bytes.length}`);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// WeIdentity decimal public keys

/** Options of `decodeDecimalPublicKey`. */
export interface DecodeDecimalOptions extends DecodeOptions {
  /** Byte length of the big-endian output. Default 64 (WeIdentity's uncompressed `X‖Y` without `04`). */
  length?: number;
}

/**
 * Decodes a WeIdentity / did:tdid public key written as a decimal integer (Java `BigInteger.toString()` of the
 * 64-byte uncompressed `X‖Y`, domestic-methods.md §3.3) into `length` big-endian bytes. The integer form drops
 * leading zero bytes (about one key in 256 has a shorter decimal string), so the result is left-padded.
 *
 * @throws DidBridgeError when the text is not plain ASCII digits or the value needs more than `length` bytes
 * @example decodeDecimalPublicKey('2905679808…1073592') // 64 bytes X‖Y
 */
export function decodeDecimalPublicKey(text: string, options: DecodeDecimalOptions = {}): Uint8Array {
  assertString(text, 'text');
  const length = options.length ?? 64;
  if (!Number.isInteger(length) || length <= 0) throw new TypeError('"length" must be a positive integer');
  // Digits needed for the largest value of `length` bytes, plus slack for leading zeros; checked before BigInt()
  // because decimal-to-binary conversion is quadratic in the input length.
  const maxDigits = Math.ceil(length * 8 * Math.log10(2)) + 8;
  if (text.length === 0 || text.length > maxDigits || !/^[0-9]+$/.test(text)) {
    fail(options, `a decimal integer of at most ${maxDigits} ASCII digits (a ${length}-byte public key), got ${describe(text)}`);
  }
  const hex = BigInt(text).toString(16);
  if (hex.length > length * 2) fail(options, `a decimal integer below 2^${length * 8}, got ${text.length} digits`);
  return new Uint8Array(Buffer.from(hex.padStart(length * 2, '0'), 'hex'));
}

/**
 * Encodes a public key as WeIdentity writes it: the decimal integer of the 64-byte `X‖Y` (a leading `04` is dropped
 * first), without leading zeros. The inverse of `decodeDecimalPublicKey` for canonical input.
 * @throws TypeError unless `bytes` is 64 bytes, or 65 bytes starting with 0x04
 */
export function encodeDecimalPublicKey(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  let xy = bytes;
  if (bytes.length === 65 && bytes[0] === 0x04) xy = bytes.subarray(1);
  if (xy.length !== 64) throw new TypeError('"bytes" must be the 64-byte X‖Y (or 04‖X‖Y) of an uncompressed key');
  return BigInt('0x' + encodeHex(xy)).toString(10);
}

// ---------------------------------------------------------------------------------------------------------------
// WeIdentity v3 pseudo-multibase

/**
 * The two codec headers WeIdentity v3 writes in front of the decimal key text (§3.4). `MulticodecEncoder.encode`
 * varint-encodes every byte of the codec constant separately, so `0xED01` becomes `ED 01 01` (secp256k1
 * deployments, despite the name) and `0x1206` becomes `12 06` (SM2 deployments). Neither is a real multicodec
 * varint (`ed25519-pub` is `ED 01`, `sm2-pub` is `86 24`).
 */
export const WEID_PSEUDO_MULTICODEC_HEADERS = Object.freeze({
  secp256k1: Object.freeze({ bytes: Uint8Array.of(0xed, 0x01, 0x01), codecName: 'ED25519_PUB("0xED01")' }),
  SM2: Object.freeze({ bytes: Uint8Array.of(0x12, 0x06), codecName: 'SM2_PUB("0x1206")' }),
});

/** Which WeIdentity deployment a pseudo-multibase header belongs to. */
export type WeidPseudoMultibaseVariant = keyof typeof WEID_PSEUDO_MULTICODEC_HEADERS;

/** What `decodeWeidPseudoMultibase` returns. */
export interface WeidPseudoMultibase {
  /** The deployment the header implies: `secp256k1` for `ED 01 01`, `SM2` for `12 06`. */
  variant: WeidPseudoMultibaseVariant;
  /** The header bytes as found. */
  header: Uint8Array;
  /** The decimal key text exactly as embedded (kept for byte-identical re-encoding). */
  decimal: string;
  /** The 64-byte uncompressed `X‖Y` the decimal text denotes. */
  publicKey: Uint8Array;
}

/**
 * Decodes WeIdentity v3's `publicKeyMultibase`: `"z"` + base58btc(header ‖ ASCII decimal of `X‖Y`), §3.4. The curve
 * follows from the header (or the deployment), never from the verification method's `type`.
 *
 * @throws DidBridgeError when the value is not base58btc multibase, has neither header, or the payload is not
 *   the decimal text of a 64-byte key
 */
export function decodeWeidPseudoMultibase(text: string, options: DecodeOptions = {}): WeidPseudoMultibase {
  assertString(text, 'text');
  // 3 header bytes + at most 163 digits, base58-expanded by log(256)/log(58) ≈ 1.37; 512 is generous.
  const raw = decodeMultibaseBase58btc(text, { ...options, maxLength: 512 });
  for (const variant of Object.keys(WEID_PSEUDO_MULTICODEC_HEADERS) as WeidPseudoMultibaseVariant[]) {
    const header = WEID_PSEUDO_MULTICODEC_HEADERS[variant].bytes;
    if (raw.length > header.length && bytesEqual(raw.subarray(0, header.length), header)) {
      const payload = raw.subarray(header.length);
      if (!payload.every((b) => b >= 0x30 && b <= 0x39)) {
        fail(options, `ASCII decimal digits after the WeIdentity ${variant} header`);
      }
      const decimal = new TextDecoder().decode(payload);
      return {
        variant,
        header: raw.slice(0, header.length),
        decimal,
        publicKey: decodeDecimalPublicKey(decimal, options),
      };
    }
  }
  fail(options, 'a WeIdentity v3 pseudo-multibase value (header ED 01 01 or 12 06 followed by decimal digits)');
}

/** Whether `text` decodes as a WeIdentity v3 pseudo-multibase value. Never throws for bad input. */
export function isWeidPseudoMultibase(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    decodeWeidPseudoMultibase(text);
    return true;
  } catch {
    return false;
  }
}

/** Options of `encodeWeidPseudoMultibase`: give the decimal text (byte-identical round trip) or the key bytes. */
export interface EncodeWeidPseudoMultibaseOptions {
  variant: WeidPseudoMultibaseVariant;
  /** The decimal text to embed verbatim (as `decodeWeidPseudoMultibase` returned it). */
  decimal?: string;
  /** The key (64-byte `X‖Y` or 65-byte `04‖X‖Y`), embedded as Java's `BigInteger.toString()` would write it. */
  publicKey?: Uint8Array;
}

/**
 * Re-creates a WeIdentity v3 `publicKeyMultibase` for reverse translation. With `decimal` from the decoder the
 * output is byte-identical to the original.
 * @throws TypeError unless exactly one of `decimal` / `publicKey` is given and `variant` is known
 */
export function encodeWeidPseudoMultibase(options: EncodeWeidPseudoMultibaseOptions): string {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const header = WEID_PSEUDO_MULTICODEC_HEADERS[options.variant as WeidPseudoMultibaseVariant]?.bytes;
  if (!header) throw new TypeError('"variant" must be "secp256k1" or "SM2"');
  if ((options.decimal === undefined) === (options.publicKey === undefined)) {
    throw new TypeError('exactly one of "decimal" and "publicKey" must be given');
  }
  let decimal: string;
  if (options.decimal !== undefined) {
    assertString(options.decimal, 'decimal');
    if (!/^[0-9]+$/.test(options.decimal)) throw new TypeError('"decimal" must be ASCII digits');
    decimal = options.decimal;
  } else {
    decimal = encodeDecimalPublicKey(options.publicKey!);
  }
  return encodeMultibaseBase58btc(concatBytes(header, new TextEncoder().encode(decimal)));
}

// ---------------------------------------------------------------------------------------------------------------
// BIF-encoded keys (did:bid, did:cndid)

/** Key types BIF can tag, with their tag character (§4.1: SM2 `z`, Ed25519 `e`, secp256k1 `s`). */
export const BIF_KEY_TYPE_TAGS = Object.freeze({ Ed25519: 'e', SM2: 'z', secp256k1: 's' } as const);

/** Encodings BIF can tag, with their tag character (§4.1: Base58 `f`, Base64 `s`, Bech32 `t`). */
export const BIF_ENCODING_TAGS = Object.freeze({ base58: 'f', base64: 's', bech32: 't' } as const);

/** A key type BIF can tag. */
export type BifKeyType = keyof typeof BIF_KEY_TYPE_TAGS;
/** An encoding BIF can tag. */
export type BifEncoding = keyof typeof BIF_ENCODING_TAGS;

/** The first byte of a BIF-encoded public key. */
export const BIF_PUBLIC_KEY_PREFIX = 0xb0;
/** The first three bytes of a BIF-encoded private key (give base58 text starting `priS`). */
export const BIF_PRIVATE_KEY_PREFIX = Uint8Array.of(0x18, 0x9e, 0x99);

/** Raw key lengths BIF accepts per type: Ed25519 32 bytes, SM2 `04‖X‖Y`, secp256k1 either SEC1 form (undocumented). */
const BIF_PUBLIC_KEY_LENGTHS: Readonly<Record<BifKeyType, readonly number[]>> = {
  Ed25519: [32],
  SM2: [65],
  secp256k1: [33, 65],
};

/** Reads a BIF key-type tag character (`e`, `z`, `s`). */
export function bifKeyTypeFromTag(tag: string): BifKeyType | undefined {
  return (Object.keys(BIF_KEY_TYPE_TAGS) as BifKeyType[]).find((t) => BIF_KEY_TYPE_TAGS[t] === tag);
}

/** Reads a BIF encoding tag character (`f`, `s`, `t`). */
export function bifEncodingFromTag(tag: string): BifEncoding | undefined {
  return (Object.keys(BIF_ENCODING_TAGS) as BifEncoding[]).find((e) => BIF_ENCODING_TAGS[e] === tag);
}

/** A decoded BIF public key. */
export interface BifPublicKey {
  keyType: BifKeyType;
  encoding: BifEncoding;
  /** The raw key: 32 bytes for Ed25519, `04‖X‖Y` for SM2. */
  publicKey: Uint8Array;
}

/**
 * Decodes a BIF-encoded public key, `B0 ‖ type tag ‖ encoding tag ‖ raw key` (§4.2; `b06566…` for Ed25519,
 * `b07a6604…` for SM2). Accepts the bytes or their hex.
 */
export function decodeBifPublicKey(input: Uint8Array | string, options: DecodeOptions = {}): BifPublicKey {
  const bytes = typeof input === 'string' ? decodeHex(input, { ...options, maxLength: 1024 }) : input;
  assertBytes(bytes, 'input');
  if (bytes.length < 4 || bytes[0] !== BIF_PUBLIC_KEY_PREFIX) {
    fail(options, 'a BIF-encoded public key starting with byte B0');
  }
  const keyType = bifKeyTypeFromTag(String.fromCharCode(bytes[1]!));
  const encoding = bifEncodingFromTag(String.fromCharCode(bytes[2]!));
  if (!keyType) fail(options, `a BIF key-type tag (65 'e', 7A 'z' or 73 's') at byte 1, got ${bytes[1]!.toString(16)}`);
  if (!encoding) fail(options, `a BIF encoding tag (66 'f', 73 's' or 74 't') at byte 2, got ${bytes[2]!.toString(16)}`);
  const publicKey = bytes.slice(3);
  const lengths = BIF_PUBLIC_KEY_LENGTHS[keyType];
  if (!lengths.includes(publicKey.length)) {
    fail(options, `a ${lengths.join(' or ')}-byte ${keyType} key after the 3-byte BIF header, got ${publicKey.length}`);
  }
  if (keyType === 'SM2' && publicKey[0] !== 0x04) fail(options, 'an uncompressed (04-prefixed) SM2 key after b07a66');
  return { keyType, encoding, publicKey };
}

/** Options of `encodeBifPublicKey`. */
export interface EncodeBifPublicKeyOptions {
  keyType: BifKeyType;
  /** The raw key: 32 bytes for Ed25519, `04‖X‖Y` for SM2. */
  publicKey: Uint8Array;
  /** Default `base58` (the only encoding seen in practice). */
  encoding?: BifEncoding;
}

/** Encodes a key as BIF writes it in `publicKeyHex` (returns bytes; use `encodeHex` for the text). */
export function encodeBifPublicKey(options: EncodeBifPublicKeyOptions): Uint8Array {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const typeTag = BIF_KEY_TYPE_TAGS[options.keyType];
  const encodingTag = BIF_ENCODING_TAGS[options.encoding ?? 'base58'];
  if (!typeTag) throw new TypeError('"keyType" must be one of Ed25519, SM2, secp256k1');
  if (!encodingTag) throw new TypeError('"encoding" must be one of base58, base64, bech32');
  assertBytes(options.publicKey, 'publicKey');
  if (!BIF_PUBLIC_KEY_LENGTHS[options.keyType].includes(options.publicKey.length)) {
    throw new TypeError(`"publicKey" has the wrong length for ${options.keyType}: ${options.publicKey.length} bytes`);
  }
  return concatBytes(
    Uint8Array.of(BIF_PUBLIC_KEY_PREFIX, typeTag.charCodeAt(0), encodingTag.charCodeAt(0)),
    options.publicKey,
  );
}

/** What `readBifPublicKeyHex` found. */
export interface BifPublicKeyHex {
  /** The key type the BIF header names, when there was one. */
  keyType: BifKeyType | undefined;
  /** The raw key bytes (header stripped). */
  publicKey: Uint8Array;
  /** Whether the value carried the `B0` header (real SDK documents) or was raw (the spec's examples). */
  bifEncoded: boolean;
}

/**
 * Reads a BID/cndid/ccp/ctid `publicKeyHex`, which is raw in the BID spec and BIF-encoded in real SDK documents
 * (§4.3). The two are told apart by length: raw keys are 32, 33 or 65 bytes, encoded ones 35 or 68.
 */
export function readBifPublicKeyHex(text: string, options: DecodeOptions = {}): BifPublicKeyHex {
  const bytes = decodeHex(text, { ...options, maxLength: 1024 });
  if (bytes[0] === BIF_PUBLIC_KEY_PREFIX && (bytes.length === 35 || bytes.length === 36 || bytes.length === 68)) {
    const decoded = decodeBifPublicKey(bytes, options);
    return { keyType: decoded.keyType, publicKey: decoded.publicKey, bifEncoded: true };
  }
  if (![32, 33, 65].includes(bytes.length)) {
    fail(options, `a raw public key (32, 33 or 65 bytes) or a BIF-encoded one (35 or 68 bytes), got ${bytes.length} bytes`);
  }
  return { keyType: undefined, publicKey: bytes, bifEncoded: false };
}

/** A decoded BIF private key. Handle with care: never log it. */
export interface BifPrivateKey {
  keyType: BifKeyType;
  encoding: BifEncoding;
  /** The raw 32-byte private key (Ed25519 seed or SM2/secp256k1 scalar). */
  privateKey: Uint8Array;
}

/**
 * Decodes a BIF private key string, base58_BIF(`18 9E 99` ‖ type tag ‖ encoding tag ‖ 32 raw bytes), 37 bytes with
 * no checksum (§4.2), which is why these strings start with `priS`.
 * The error messages never echo the input, since it is secret.
 */
export function decodeBifPrivateKey(text: string, options: DecodeOptions = {}): BifPrivateKey {
  assertString(text, 'text');
  let bytes: Uint8Array;
  try {
    bytes = base58Bif.decode(text, { maxLength: 128 });
  } catch {
    fail(options, 'a BIF private key (BIF-alphabet base58 text starting "priS")');
  }
  if (bytes.length !== 37 || !bytesEqual(bytes.subarray(0, 3), BIF_PRIVATE_KEY_PREFIX)) {
    fail(options, 'a 37-byte BIF private key starting 18 9E 99');
  }
  const keyType = bifKeyTypeFromTag(String.fromCharCode(bytes[3]!));
  const encoding = bifEncodingFromTag(String.fromCharCode(bytes[4]!));
  if (!keyType || !encoding) fail(options, 'BIF key-type and encoding tags at bytes 3 and 4 of the private key');
  return { keyType, encoding, privateKey: bytes.slice(5) };
}

/** Encodes a 32-byte private key as a BIF private key string (`priS…`). */
export function encodeBifPrivateKey(options: { keyType: BifKeyType; privateKey: Uint8Array; encoding?: BifEncoding }): string {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const typeTag = BIF_KEY_TYPE_TAGS[options.keyType];
  const encodingTag = BIF_ENCODING_TAGS[options.encoding ?? 'base58'];
  if (!typeTag) throw new TypeError('"keyType" must be one of Ed25519, SM2, secp256k1');
  if (!encodingTag) throw new TypeError('"encoding" must be one of base58, base64, bech32');
  assertBytes(options.privateKey, 'privateKey');
  if (options.privateKey.length !== 32) throw new TypeError('"privateKey" must be 32 bytes');
  return base58Bif.encode(
    concatBytes(BIF_PRIVATE_KEY_PREFIX, Uint8Array.of(typeTag.charCodeAt(0), encodingTag.charCodeAt(0)), options.privateKey),
  );
}
