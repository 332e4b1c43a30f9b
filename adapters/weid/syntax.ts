/**
 * Fast paths for the syntax checks a WeIdentity-family translation runs on every document: the document id against
 * the method's identifier pattern, and the key, reference and service ids, which are almost always the document's
 * own DID plus a plain fragment (`isPlainFragment`, in the core). Each answers exactly what the general check it precedes answers (tested against
 * it); the general checks (src/syntax/did-url.ts, src/keys/derive.ts) parse and build objects the translation does
 * not need.
 *
 * @see https://www.w3.org/TR/did-core/#did-url-syntax
 */
import { isDidUrl, isPlainFragment } from '../../src/syntax/did-url.js';

/** The core's plain-fragment fast path (re-exported for this family's translation and tests). */
export { isPlainFragment } from '../../src/syntax/did-url.js';

/**
 * The did:weid identifier, as `parseWeidIdentifier` (src/keys/derive.ts, domestic-methods.md §3.2) reads it: at most
 * two chain-id segments, then the 0x address.
 */
export const WEID_IDENTIFIER = /^did:weid:(?:[A-Za-z0-9]+:){0,2}0x[0-9a-fA-F]{40}$/;

/** The did:tdid identifier, as `parseTdidIdentifier` (src/keys/derive.ts, domestic-methods.md §6) reads it. */
export const TDID_IDENTIFIER = /^did:tdid:[a-z0-9-]{1,10}:0x[0-9a-fA-F]{40}$/;

/**
 * `isDidUrl(ref)` for a `ref` that is a valid DID followed by "#" at `fragmentStart - 1`: plain fragments are decided
 * by {@link isPlainFragment}, anything else by `isDidUrl`.
 */
export function isDidUrlWithFragment(ref: string, fragmentStart: number): boolean {
  return isPlainFragment(ref, fragmentStart) || isDidUrl(ref);
}
