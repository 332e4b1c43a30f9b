/**
 * Lossless round trips between the WeIdentity-family document shapes (did:weid v1 and v3, did:tdid) and DID Core.
 *
 * Translating a native document to DID Core drops or rewrites whatever DID Core has no place for: decimal and
 * pseudo-multibase key encodings, declared key types, `owner`, in-document dates, `$from`, services without an id,
 * keys that cannot be read. So the translation preserves the native document itself, as it received it, with the
 * options its result depended on (`preserveNativeDocument`, src/preserved.ts: `{ method, shape, document, inputs? }`).
 *
 * A renderer needs more than the original: it restores an original entry only while the W3C document still carries
 * exactly what the translation produced for it, so that an edited W3C document is rendered from its own content and
 * stale originals never overwrite it. For that it translates the carried document again in the detailed mode
 * (`retranslatePreserved` in translate.ts), which gives the piece-by-piece structure below: each array entry of the
 * native document as a *piece*, the original entry plus a fingerprint of what the translation produced for it
 * (`translated`, null when nothing was produced), and the top-level members the same way. The renderer compares the
 * fingerprints with the W3C document's pieces. Translations are deterministic, so this is the structure the
 * translation would have stored; computing it only when rendering keeps the fingerprints (a third of a translation's
 * cost when every translation stored them) off the forward path. Preserved data of that earlier stored form (no
 * `document`, e.g. in a resolution result cached by an earlier version) is still read as it is.
 *
 * The preserved data travels in two places:
 * - `Translation.preserved` (a plain JSON object), and
 * - the resolution's `didDocumentMetadata.didbridgePreserved`, a didbridge extension member, in the wire form all
 *   adapters share (`src/preserved.ts`: JSON text in a small self-describing map, since metadata may hold no numbers
 *   and the preserved data is full of them: epoch dates, `versionId`), e.g.
 *   `{ "format": "application/json", "method": "weid", "shape": "weid-v1", "data": "{…}" }`.
 *
 * The same wrapped form is used the other way round: a W3C document rendered into a WeIdentity shape carries the
 * parts the shape cannot hold as a `didbridgePreserved` member of the rendered document (see `render.ts`).
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 */
import { fingerprint, readPreserved } from '../../src/preserved.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { isJsonObject } from '../../src/util/json.js';

/**
 * The shared wire form and JSON helpers, re-exported under the names the WeIdentity-family modules (weid, tdid)
 * import from here.
 */
export { PRESERVED_MEMBER, fingerprint, wrapPreserved } from '../../src/preserved.js';
export { canonicalJson, isJsonObject } from '../../src/util/json.js';

/** One entry of a native array (or a top-level member), with the fingerprint of what translation made of it. */
export interface PreservedPiece extends JsonObject {
  original: JsonValue;
  /** `fingerprint()` of the W3C counterpart, or null when the entry has none (dropped, or merged elsewhere). */
  translated: string | null;
}

/** Builds a {@link PreservedPiece}. */
export function piece(original: JsonValue, translated: unknown): PreservedPiece {
  return { original, translated: translated === undefined || translated === null ? null : fingerprint(translated) };
}

/**
 * The piece-by-piece preserved structure: what the detailed re-translation of a carried document gives the renderer
 * (and what earlier versions' translations stored). `shape` names the native shape it came from (`weid` for v3,
 * `weid-v1`, `tdid`), so only a renderer of the same shape restores it piece by piece.
 */
export interface FamilyPreserved extends JsonObject {
  method: string;
  shape: string;
  /** Top-level member names in their original order. */
  order: string[];
  /**
   * Top-level members other than the arrays, each as a piece: the original value and the fingerprint of its W3C
   * counterpart (the `@context`, the metadata datetime, `versionId`, ...), or null for members with no W3C place
   * (`$from`, `recovery`, `updated: null`, ...).
   */
  members: { [member: string]: PreservedPiece };
  /** Pieces of the native arrays, by member name (`publicKey`, `verificationMethod`, `authentication`, `service`). */
  arrays: { [member: string]: PreservedPiece[] };
}

/**
 * Reads preserved data made by `method`'s translation from a holder (document metadata, or a rendered native
 * document): the wrapped form of `wrapPreserved`, or the bare object. Returns undefined when there is none, when it
 * is malformed, or when it is for another method: preserved data only ever helps a round trip, it is never a reason
 * to fail.
 */
export function unwrapPreserved(holder: unknown, method: string): JsonObject | undefined {
  const data = readPreserved(holder, { method });
  return data !== undefined && typeof data.shape === 'string' ? data : undefined;
}

/**
 * Checks decoded preserved data of the earlier piece-by-piece form (made by versions whose translation stored it, e.g.
 * in a cached resolution result): the data as a {@link FamilyPreserved}, or undefined when it is malformed.
 */
export function piecewisePreserved(data: JsonObject): FamilyPreserved | undefined {
  const { order, members, arrays } = data;
  if (!Array.isArray(order) || !order.every((m) => typeof m === 'string')) return undefined;
  if (!isJsonObject(members) || !isJsonObject(arrays)) return undefined;
  if (!Object.values(members).every(isPiece)) return undefined;
  for (const list of Object.values(arrays)) {
    if (!Array.isArray(list) || !list.every(isPiece)) return undefined;
  }
  return data as FamilyPreserved;
}

function isPiece(p: unknown): p is PreservedPiece {
  return isJsonObject(p) && 'original' in p && (p.translated === null || typeof p.translated === 'string');
}
