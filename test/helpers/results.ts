/** Small readers of resolution results shared by the adapters' tests. */
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';
import { ERROR_TYPE_BASE, type DIDResolutionResult } from '../../src/spec.js';

/** The error name of a result (`NOT_FOUND`), read from its URL type; undefined when there is no error. */
export function errorName(result: DIDResolutionResult): string | undefined {
  const type = result.didResolutionMetadata.error?.type;
  if (type === undefined) return undefined;
  return type.startsWith(ERROR_TYPE_BASE) ? type.slice(ERROR_TYPE_BASE.length) : type;
}

/** "<multicodec hex>:<key hex>" of a Multikey value, read with multiformats only (not src/keys). */
export function multikeyHex(value: unknown): string {
  const raw = base58btc.decode(String(value));
  const [code, length] = varint.decode(raw);
  return `${code.toString(16)}:${Buffer.from(raw.subarray(length)).toString('hex')}`;
}
