/**
 * Credential status: Bitstring Status List v1.0 and StatusList2021 checkers for the verifier core, and the
 * bitstring codec (for issuers and tests).
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/
 * @packageDocumentation
 */
export { bitstringStatusListChecker, statusList2021Checker, statusListCheckers } from './checkers.js';
export type { StatusListCheckerOptions } from './checkers.js';
export {
  MIN_STATUS_LIST_BITS,
  DEFAULT_MAX_STATUS_LIST_BITS,
  decodeStatusList,
  encodeStatusList,
  readStatus,
  StatusListDecodeError,
} from './bitstring.js';
export type { EncodedListStyle } from './bitstring.js';
