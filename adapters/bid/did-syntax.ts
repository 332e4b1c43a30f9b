/**
 * DID URL checks of the adapter families' translators: one parse where they asked `isDidUrl(x)` and then
 * `parseDidUrl(x)` of the same text (each parses it: `isDidUrl` is "parseDidUrl does not throw"), and the common
 * case, a key id or reference `<the document's DID>#<fragment>`, decided without parsing the DID again.
 *
 * @see ../../src/syntax/did-url.ts
 */
import { DEFAULT_MAX_DID_URL_LENGTH, parseDidUrl, type ParsedDidUrl } from '../../src/syntax/did-url.js';

/** `parseDidUrl(text)`, or undefined exactly where `isDidUrl(text)` is false. */
export function didUrlOrUndefined(text: string): ParsedDidUrl | undefined {
  try {
    return parseDidUrl(text);
  } catch {
    return undefined;
  }
}

/** The ASCII characters a fragment may hold literally: RFC 3986 pchar literals (unreserved, sub-delims, ":", "@"), "/", "?". */
const FRAGMENT_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?") FRAGMENT_CHAR[c.charCodeAt(0)] = 1;

/**
 * Whether `text` is `did` + "#" + a fragment of plain characters (RFC 3986 pchar literals, "/", "?"), for a `did`
 * that is known to be a valid DID (a translation's own, already checked). Such a text is a DID URL whose DID is
 * `did` and whose fragment is what follows "#": the DID scan stops exactly at the "#", which is no DID character,
 * and every fragment character is one the fragment rule admits. So `parseDidUrl` would accept it with that DID, and
 * translations skip parsing the DID again for every key id and reference. False means "not decided here" (another
 * DID, a path or query, percent-encoding, too long): the caller parses.
 */
export function isOwnPlainFragmentUrl(text: string, did: string): boolean {
  if (text.length > DEFAULT_MAX_DID_URL_LENGTH || text.length <= did.length || text.charCodeAt(did.length) !== 35 /* # */ || !text.startsWith(did)) {
    return false;
  }
  for (let i = did.length + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || FRAGMENT_CHAR[c] === 0) return false;
  }
  return true;
}
