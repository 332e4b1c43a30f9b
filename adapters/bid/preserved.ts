/**
 * `didbridgePreserved`: what a translation to DID Core could not place, kept so reverse translation restores the
 * native document.
 *
 * A translation keeps these in `Translation.preserved`, and the adapter puts the same data into the resolution's
 * document metadata as `didDocumentMetadata.didbridgePreserved`, a didbridge extension member. DID Core §7.3
 * ("Each property value MUST be a string, map, list, set, boolean, or null") rules out numbers in metadata, and the
 * preserved pieces are full of them (BID `extension.ttl`, RelevanceType codes, ports), so the metadata member
 * carries the preserved object as JSON text inside a small self-describing map:
 *
 * ```json
 * "didbridgePreserved": { "format": "application/json", "method": "bid", "shape": "bid", "data": "{…}" }
 * ```
 *
 * Pieces that have a W3C counterpart are stored together with a fingerprint of what the translation produced for
 * them (`translated`). A renderer restores the original piece only while the W3C document still carries exactly
 * that translation, so an edited W3C document is rendered from its own content and never silently overwritten by
 * stale originals.
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 */
import { encodeHex } from '../../src/keys/codecs.js';
import { sha256 } from '../../src/keys/hash.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { canonicalJson, isJsonObject } from './members.js';

/** The document-metadata member name of the preserved data (a didbridge extension). */
export const PRESERVED_METADATA_MEMBER = 'didbridgePreserved';

/** The `format` of {@link PRESERVED_METADATA_MEMBER}: `data` is JSON text. */
export const PRESERVED_FORMAT = 'application/json';

/** Largest `data` text accepted when reading preserved metadata back (bounds the JSON parse). */
export const MAX_PRESERVED_TEXT = 1024 * 1024;

/**
 * A fingerprint of a translated piece: SHA-256 of its canonical JSON (members sorted), hex. Used to tell whether a
 * W3C document still carries a piece exactly as the translation produced it.
 */
export function fingerprint(value: unknown): string {
  return encodeHex(sha256(canonicalJson(value)));
}

/**
 * An original piece of a native document with the fingerprint of what the translation made of it (of `null` when
 * the translation produced nothing for it, e.g. a member dropped from the W3C document).
 */
export interface PreservedPiece extends JsonObject {
  original: JsonValue;
  /** {@link fingerprint} of the translated piece (`null` when there is none). */
  translated: string;
}

/** Builds a {@link PreservedPiece}; `translated` undefined counts as null (nothing in the W3C document). */
export function piece(original: JsonValue, translated: unknown): PreservedPiece {
  return { original, translated: fingerprint(translated ?? null) };
}

/** Whether `current` (a piece of a W3C document, undefined when absent) is still what the translation produced. */
export function unchanged(preserved: unknown, current: unknown): preserved is PreservedPiece {
  return isPiece(preserved) && preserved.translated === fingerprint(current ?? null);
}

/** Whether a value read back from metadata has the shape of a {@link PreservedPiece}. */
export function isPiece(value: unknown): value is PreservedPiece {
  return isJsonObject(value) && 'original' in value && typeof value.translated === 'string';
}

/**
 * Wraps preserved data for `didDocumentMetadata` (see the module comment for why it is JSON text).
 * @throws TypeError when `preserved` lacks its `method` and `shape` strings
 */
export function preservedToMetadata(preserved: JsonObject): JsonObject {
  if (!isJsonObject(preserved) || typeof preserved.method !== 'string' || typeof preserved.shape !== 'string') {
    throw new TypeError('"preserved" must be an object with "method" and "shape" strings');
  }
  return { format: PRESERVED_FORMAT, method: preserved.method, shape: preserved.shape, data: JSON.stringify(preserved) };
}

/**
 * Reads preserved data back from document metadata (the wrapped form of {@link preservedToMetadata}, or the bare
 * object as `Translation.preserved` holds it). Returns undefined when there is none, it is malformed, or it was
 * made for another document shape: preserved data is a convenience for round trips, never a reason to fail.
 */
export function preservedFromMetadata(metadata: unknown, shape: string): JsonObject | undefined {
  if (!isJsonObject(metadata)) return undefined;
  const member = metadata[PRESERVED_METADATA_MEMBER];
  if (!isJsonObject(member)) return undefined;
  let data: unknown = member;
  if (member.format === PRESERVED_FORMAT) {
    if (typeof member.data !== 'string' || member.data.length > MAX_PRESERVED_TEXT) return undefined;
    try {
      data = JSON.parse(member.data, (key, value: unknown) => (key === '__proto__' ? undefined : value));
    } catch {
      return undefined;
    }
  }
  if (!isJsonObject(data) || data.shape !== shape) return undefined;
  return data;
}
