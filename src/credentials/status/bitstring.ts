/**
 * The status list bitstring: GZIP-compressed, base64url-encoded (multibase `u` for Bitstring Status List; plain
 * base64 or base64url for StatusList2021), read with bit 0 as the most significant bit of the first byte.
 *
 * Decompression is bounded (`maxBits`): a status list is attacker-chosen data fetched from a URL in the credential,
 * and a few kilobytes of gzip can expand to gigabytes.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-encoding
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslist (encodedList, minimum length)
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/ (StatusList2021)
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { DidBridgeError } from '../../errors.js';

/**
 * The smallest list a verifier accepts, in entries: 16 KiB of bits (131,072). Smaller lists give the holder no herd
 * privacy (Bitstring Status List §6.1, STATUS_LIST_LENGTH_ERROR; StatusList2021 §6.1 has the same minimum).
 */
export const MIN_STATUS_LIST_BITS = 131_072;

/** Default upper bound of a decoded list, in bits (16 MiB of bytes; 134 million entries). */
export const DEFAULT_MAX_STATUS_LIST_BITS = 16 * 1024 * 1024 * 8;

/** How a list is encoded. */
export type EncodedListStyle = 'multibase' | 'base64';

/**
 * Decodes `encodedList` into the raw bitstring bytes.
 *
 * @param style `multibase`: must start with `u` (base64url, no padding); `base64`: base64 or base64url, with or
 *   without padding (StatusList2021 implementations differ)
 * @throws StatusListDecodeError with `verificationCode` MALFORMED_VALUE_ERROR (not a multibase / base64 / GZIP value) or
 *   LIMIT_EXCEEDED (expands past `maxBits`)
 */
export function decodeStatusList(options: { encodedList: unknown; style: EncodedListStyle; maxBits?: number }): Uint8Array {
  const { encodedList, style } = options;
  const maxBits = options.maxBits ?? DEFAULT_MAX_STATUS_LIST_BITS;
  if (typeof encodedList !== 'string' || encodedList === '') throw new StatusListDecodeError('"encodedList" must be a non-empty string');
  let text = encodedList;
  if (style === 'multibase') {
    if (text[0] !== 'u') {
      throw new StatusListDecodeError(`"encodedList" must be a multibase base64url value (prefix "u"), got prefix "${text[0] ?? ''}"`);
    }
    text = text.slice(1);
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new StatusListDecodeError('"encodedList" is not base64url (RFC 4648 §5, no padding)');
  } else if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
    throw new StatusListDecodeError('"encodedList" is not base64 or base64url');
  }
  const compressed = Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url');
  let bytes: Buffer;
  try {
    bytes = gunzipSync(compressed, { maxOutputLength: Math.ceil(maxBits / 8) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new StatusListDecodeError(`the status list expands beyond the limit of ${maxBits} entries`, 'LIMIT_EXCEEDED');
    }
    throw new StatusListDecodeError(`"encodedList" is not GZIP data: ${(err as Error).message}`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Why a status list could not be decoded. `code` is INTERNAL_ERROR (the upstream answered with unusable data, as for
 * `UpstreamError`); `verificationCode` is the report's code.
 */
export class StatusListDecodeError extends DidBridgeError {
  readonly verificationCode: 'MALFORMED_VALUE_ERROR' | 'LIMIT_EXCEEDED';
  constructor(message: string, verificationCode: 'MALFORMED_VALUE_ERROR' | 'LIMIT_EXCEEDED' = 'MALFORMED_VALUE_ERROR') {
    super('INTERNAL_ERROR', message);
    this.name = 'StatusListDecodeError';
    this.verificationCode = verificationCode;
  }
}

/**
 * Reads the status value at an entry: `size` bits starting at bit `index × size`, most significant first.
 * @throws RangeError when the entry lies outside the list
 */
export function readStatus(bits: Uint8Array, index: number, size = 1): number {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`status index ${index} is not a non-negative integer`);
  if (!Number.isInteger(size) || size < 1 || size > 8) throw new RangeError(`statusSize ${size} must be an integer from 1 to 8`);
  const start = index * size;
  if (start + size > bits.length * 8) throw new RangeError(`status index ${index} is outside the list of ${Math.floor((bits.length * 8) / size)} entries`);
  let value = 0;
  for (let i = start; i < start + size; i++) value = (value << 1) | ((bits[i >> 3]! >> (7 - (i & 7))) & 1);
  return value;
}

/**
 * Builds an `encodedList` (for issuers and tests): `length` entries of `size` bits, with the given entries set to the
 * given values.
 *
 * @example encodeStatusList({ length: 131072, set: new Map([[42, 1]]) }) // 'uH4sI…'
 */
export function encodeStatusList(options: {
  length?: number;
  size?: number;
  set?: ReadonlyMap<number, number> | readonly number[];
  style?: EncodedListStyle;
}): string {
  const length = options.length ?? MIN_STATUS_LIST_BITS;
  const size = options.size ?? 1;
  if (!Number.isSafeInteger(length) || length < 1) throw new TypeError('"length" must be a positive integer');
  if (!Number.isInteger(size) || size < 1 || size > 8) throw new TypeError('"size" must be an integer from 1 to 8');
  const bits = new Uint8Array(Math.ceil((length * size) / 8));
  const entries: Array<[number, number]> = Array.isArray(options.set)
    ? (options.set as number[]).map((i) => [i, 1])
    : [...((options.set as ReadonlyMap<number, number> | undefined) ?? new Map<number, number>())];
  for (const [index, value] of entries) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= length) throw new TypeError(`"set" index ${index} is outside 0..${length - 1}`);
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** size) throw new TypeError(`"set" value ${value} does not fit ${size} bit(s)`);
    for (let b = 0; b < size; b++) {
      const bit = index * size + b;
      const on = (value >> (size - 1 - b)) & 1;
      if (on) bits[bit >> 3]! |= 1 << (7 - (bit & 7));
      else bits[bit >> 3]! &= ~(1 << (7 - (bit & 7)));
    }
  }
  const encoded = gzipSync(bits).toString('base64url');
  return (options.style ?? 'multibase') === 'multibase' ? `u${encoded}` : encoded;
}
