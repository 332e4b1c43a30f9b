/**
 * `didbridgePreserved`: what a translation to DID Core could not place, kept so reverse translation restores the
 * native document.
 *
 * A translation keeps it in `Translation.preserved`, and the adapter puts the same data into the resolution's
 * document metadata as `didDocumentMetadata.didbridgePreserved`, a didbridge extension member, in the wire form all
 * adapters share (`src/preserved.ts`: JSON text inside a self-describing map, since metadata may hold no numbers and
 * native documents are full of them: BID `extension.ttl`, RelevanceType codes, ports).
 *
 * What the BIF translations (did:bid, did:cndid) and the did:vaa translation preserve is the native document itself
 * (`preserveNativeDocument`). The renderer works from pieces: each original piece that has a W3C counterpart with a
 * fingerprint of what the translation produced for it (`translated`), restored only while the W3C document still
 * carries exactly that translation, so an edited W3C document is rendered from its own content and never silently
 * overwritten by stale originals. It gets those pieces by translating the carried document again in the detailed
 * mode (`translateBifDocumentDetailed`), so the fingerprints cost the reverse translation that compares them, not
 * every forward translation; earlier versions stored the pieces themselves, and the renderer still reads that form.
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 */
import { fingerprint, readPreserved } from '../../src/preserved.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { isJsonObject } from './members.js';

/**
 * The shared wire form under the names this adapter has always exported: the metadata member name, the fingerprint,
 * and `preservedToMetadata` (= `wrapPreserved`: throws TypeError when `preserved` lacks its `method` and `shape`
 * strings).
 */
export { PRESERVED_MEMBER as PRESERVED_METADATA_MEMBER, fingerprint, wrapPreserved as preservedToMetadata } from '../../src/preserved.js';

/**
 * An original piece of a native document with the fingerprint of what the translation made of it (of `null` when
 * the translation produced nothing for it, e.g. a member dropped from the W3C document), as the detailed translation
 * builds it for the renderer.
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
 * Reads preserved data back from document metadata (the wrapped form of {@link preservedToMetadata}, or the bare
 * object as `Translation.preserved` holds it). Returns undefined when there is none, it is malformed, or it was
 * made for another document shape: preserved data is a convenience for round trips, never a reason to fail.
 */
export function preservedFromMetadata(metadata: unknown, shape: string): JsonObject | undefined {
  return readPreserved(metadata, { shape });
}
