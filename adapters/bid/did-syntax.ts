/**
 * DID URL checks of the adapter families' translators: one parse where they asked `isDidUrl(x)` and then
 * `parseDidUrl(x)` of the same text (each parses it: `isDidUrl` is "parseDidUrl does not throw"), and the common
 * case, a key id or reference `<the document's DID>#<fragment>`, decided without parsing the DID again.
 *
 * @see ../../src/syntax/did-url.ts
 */
import { parseDidUrl, type ParsedDidUrl } from '../../src/syntax/did-url.js';

/** `parseDidUrl(text)`, or undefined exactly where `isDidUrl(text)` is false. */
export function didUrlOrUndefined(text: string): ParsedDidUrl | undefined {
  try {
    return parseDidUrl(text);
  } catch {
    return undefined;
  }
}

/** The core's fast path for `<own DID>#<plain fragment>` (re-exported for the BIF translators). */
export { isOwnPlainFragmentUrl } from '../../src/syntax/did-url.js';
