/**
 * `didbridgePreserved`: what a translation to DID Core keeps of the native document so that it can be restored.
 *
 * The translation keeps the native document itself (`preserveNativeDocument`, src/preserved.ts:
 * `{ method, shape, document }`). Restoring needs to know, member by member, whether a native member's W3C
 * *counterpart* (what it became, see `translate.ts`) is still what translation produced. The renderer finds out by
 * translating the carried document again in the detailed mode, which builds the piece-by-piece structure below (every
 * top-level member with a fingerprint of its counterpart at translation time), and comparing the fingerprints with
 * the W3C document it is given. It takes a member's original while its counterpart is unchanged and renders it from
 * the W3C document otherwise, so:
 *
 * - an untouched translation restores the native document exactly (member order included);
 * - an edited W3C document is never silently overwritten by stale originals;
 * - members DID Core has no place for (did:ccp `recovery`, unknown members) always come back.
 *
 * Earlier versions stored the piece-by-piece structure itself (it has no `document`); the renderer still reads it, so
 * results cached by an earlier version keep their round trips.
 *
 * In document metadata the preserved object travels in the wire form all adapters share (`src/preserved.ts`: JSON
 * text inside a small self-describing map, because DID Core §7.3 allows no numbers in metadata values and native
 * documents are full of them, did:ccp `version`).
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 */
import { carriedNativeDocument, decodePreserved, fingerprint, PRESERVED_FORMAT, PRESERVED_MEMBER } from '../../../src/preserved.js';
import type { JsonObject, JsonValue } from '../../../src/spec.js';
import { isJsonObject } from '../../../src/util/json.js';
import { jsonString } from './json.js';

/**
 * The shared wire form under the names this folder has always exported: the metadata member name and
 * `preservedToMetadata` (= `wrapPreserved`).
 */
export { PRESERVED_MEMBER as PRESERVED_METADATA_MEMBER, wrapPreserved as preservedToMetadata } from '../../../src/preserved.js';

/**
 * `wrapPreserved(preserveNativeDocument(method, shape, document))` (src/preserved.ts), the same map with the same
 * `data` text, written around `documentText` (`JSON.stringify(document)`) when the caller has it already: a did:ccp
 * Base DID Document's text is hashed for its DID, and writing it once instead of twice is a tenth of its translation.
 */
export function wrapCarriedDocument(method: string, shape: string, document: JsonObject, documentText: string = JSON.stringify(document)): JsonObject {
  // JSON.stringify writes an object's members in order, so this is JSON.stringify({ method, shape, document }).
  const data = `{"method":${jsonString(method)},"shape":${jsonString(shape)},"document":${documentText}}`;
  return { format: PRESERVED_FORMAT, method, shape, data };
}

/** One native member with the fingerprint of its W3C counterpart at translation time. */
export interface PreservedMember extends JsonObject {
  original: JsonValue;
  /** {@link fingerprint} of the counterpart (of `null` when the member has none). */
  translated: string;
}

/** The piece-by-piece preserved structure (built by the detailed translation; stored by earlier versions). */
export interface PreservedDocument extends JsonObject {
  /** The DID method whose document was translated, e.g. `ccp`. */
  method: string;
  /** The native document shape, e.g. `ccp` (the renderer that can restore it). */
  shape: string;
  /** The native top-level member names in their original order. */
  order: string[];
  /** Every native top-level member. */
  members: { [name: string]: PreservedMember };
}

/** Builds a {@link PreservedMember} from the original and the fingerprint of its counterpart. */
export function preservedMember(original: JsonValue, counterpartFingerprint: string): PreservedMember {
  return { original, translated: counterpartFingerprint };
}

/** The fingerprint of a counterpart (`null` when there is none), as {@link PreservedMember.translated} holds it. */
export function counterpartFingerprint(counterpart: unknown): string {
  return fingerprint(counterpart ?? null);
}

function isPreservedDocument(value: unknown): value is PreservedDocument {
  if (!isJsonObject(value) || typeof value.method !== 'string' || typeof value.shape !== 'string') return false;
  if (!Array.isArray(value.order) || !value.order.every((n) => typeof n === 'string')) return false;
  if (!isJsonObject(value.members)) return false;
  return Object.values(value.members).every((m) => isJsonObject(m) && 'original' in m && typeof m.translated === 'string');
}

/** Preserved data as the renderer finds it: the carried native document, or the earlier piece-by-piece form. */
export type LegacyPreserved = { carried: JsonObject; pieces?: undefined } | { carried?: undefined; pieces: PreservedDocument };

/**
 * Reads preserved data back from document metadata (the wrapped form) or from `Translation.preserved` (the bare
 * object): the carried native document of `method`, or the earlier piece-by-piece form of `shape`. Returns undefined
 * when there is none, it is malformed, it belongs to another method or shape, or it carries translation inputs (the
 * legacy translation takes none, so a document carried with inputs was not translated by it): preserved data is a
 * convenience for round trips, never a reason to fail.
 */
export function preservedFrom(source: unknown, method: string, shape: string): LegacyPreserved | undefined {
  if (!isJsonObject(source)) return undefined;
  const member = source[PRESERVED_MEMBER];
  const candidate = decodePreserved(isJsonObject(member) ? member : source);
  if (candidate === undefined || candidate.shape !== shape) return undefined;
  const carried = carriedNativeDocument(candidate);
  if (carried !== undefined) {
    return candidate.method === method && Object.keys(carried.inputs).length === 0 ? { carried: carried.document } : undefined;
  }
  return isPreservedDocument(candidate) ? { pieces: candidate } : undefined;
}
