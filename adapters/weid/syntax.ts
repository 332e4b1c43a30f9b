/**
 * Fast paths for the syntax checks a WeIdentity-family translation runs on every document: the document id against
 * the method's identifier pattern, and the key, reference and service ids, which are almost always the document's
 * own DID plus a plain fragment. Each answers exactly what the general check it precedes answers (tested against
 * it); the general checks (src/syntax/did-url.ts, src/keys/derive.ts) parse and build objects the translation does
 * not need.
 *
 * @see https://www.w3.org/TR/did-core/#did-url-syntax
 */
import { DEFAULT_MAX_DID_URL_LENGTH, isDidUrl } from '../../src/syntax/did-url.js';

/**
 * The did:weid identifier, as `parseWeidIdentifier` (src/keys/derive.ts, domestic-methods.md §3.2) reads it: at most
 * two chain-id segments, then the 0x address.
 */
export const WEID_IDENTIFIER = /^did:weid:(?:[A-Za-z0-9]+:){0,2}0x[0-9a-fA-F]{40}$/;

/** The did:tdid identifier, as `parseTdidIdentifier` (src/keys/derive.ts, domestic-methods.md §6) reads it. */
export const TDID_IDENTIFIER = /^did:tdid:[a-z0-9-]{1,10}:0x[0-9a-fA-F]{40}$/;

/**
 * Characters a DID URL fragment may hold as they are (RFC 3986 `fragment = *( pchar / "/" / "?" )` without the
 * percent-encoded octets): unreserved, sub-delims, ":", "@", "/", "?". Indexed by char code (ASCII only).
 */
const FRAGMENT_LITERAL = (() => {
  const table = new Uint8Array(128);
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?";
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
})();

/**
 * Whether `ref`, from index `fragmentStart` on, is a fragment of plain characters within the DID URL length limit:
 * then the document's own DID (already validated) followed by "#" and that fragment is a DID URL, and a URI. False
 * means "not decided here" (percent-encoding, characters a fragment may not hold, too long): callers ask the general
 * check.
 */
export function isPlainFragment(ref: string, fragmentStart: number): boolean {
  if (ref.length > DEFAULT_MAX_DID_URL_LENGTH) return false;
  for (let i = fragmentStart; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 128 || FRAGMENT_LITERAL[c] === 0) return false;
  }
  return true;
}

/**
 * `isDidUrl(ref)` for a `ref` that is a valid DID followed by "#" at `fragmentStart - 1`: plain fragments are decided
 * by {@link isPlainFragment}, anything else by `isDidUrl`.
 */
export function isDidUrlWithFragment(ref: string, fragmentStart: number): boolean {
  return isPlainFragment(ref, fragmentStart) || isDidUrl(ref);
}
