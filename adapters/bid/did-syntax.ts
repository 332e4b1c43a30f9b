/**
 * One DID URL parse where translations asked `isDidUrl(x)` and then `parseDidUrl(x)` of the same text (each parses it:
 * `isDidUrl` is "parseDidUrl does not throw"). Shared by the adapter families' translators.
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
