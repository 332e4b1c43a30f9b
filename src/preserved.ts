/**
 * `didbridgePreserved`: the wire form of what a translation to DID Core could not place, kept so that reverse
 * translation restores the native document. One implementation for every adapter (each adapter decides *what* it
 * preserves; this module decides how it travels).
 *
 * Preserved data is a JSON object naming the `method` whose document was translated and the native `shape` that can
 * restore it (`bid`, `weid-v1`, `ccp`, ...); the rest is the adapter's own. It travels as
 * `didDocumentMetadata.didbridgePreserved`, a didbridge extension member (also as a member of a rendered native
 * document where a renderer needs one). DID Core §7.3 ("Each property value MUST be a string, map, list, set,
 * boolean, or null") rules out numbers in metadata, and native documents are full of them (BID `extension.ttl`,
 * epoch dates, `version`), so the member carries the object as JSON text inside a small self-describing map:
 *
 * ```json
 * "didbridgePreserved": { "format": "application/json", "method": "bid", "shape": "bid", "data": "{…}" }
 * ```
 *
 * Reading it back never fails: preserved data only helps a round trip, so malformed, oversized or foreign data reads
 * as absent.
 *
 * What a translation preserves is the native document itself, as the translation received it ({@link
 * preserveNativeDocument}: `{ method, shape, document }`, plus `inputs` when the translation depended on more than
 * the document, such as the DID a request named for a document that has none). A renderer that needs to know which
 * parts of a W3C document are still exactly what the translation produced translates the carried document again
 * (translations are deterministic) and compares its result with the W3C document piece by piece. So the cost of
 * telling an untouched piece from an edited one is paid by the reverse translation that needs it, not by every
 * forward translation: earlier versions stored a SHA-256 {@link fingerprint} of every translated piece, which was a
 * third of the cost of translating a document. Renderers still read that earlier piece-by-piece form (it has no
 * `document`), so results cached by an earlier version keep their round trips.
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 * @see ./spec.ts `DIDDocumentMetadata.didbridgePreserved` (the documented extension member)
 */
import { hash } from 'node:crypto';
import type { JsonObject } from './spec.js';
import { canonicalJson, isJsonObject } from './util/json.js';

/** The member name of preserved data, in document metadata and in rendered native documents. */
export const PRESERVED_MEMBER = 'didbridgePreserved';

/** The `format` of the wrapped form: `data` is JSON text. */
export const PRESERVED_FORMAT = 'application/json';

/** Longest `data` text read back (bounds the JSON parse of untrusted metadata). */
export const MAX_PRESERVED_TEXT = 1024 * 1024;

/**
 * SHA-256 (hex) of the {@link canonicalJson} of a value: tells whether a piece of a W3C document is still exactly
 * what a translation produced, without storing it twice. (node:crypto rather than the portable hashes of
 * `src/keys/hash.ts`: this is an equality token on the translation hot path, not a protocol value.)
 */
export function fingerprint(value: unknown): string {
  // Pieces the translation dropped (null) are common: their fingerprint is a constant.
  if (value === null) return NULL_FINGERPRINT;
  // The one-shot crypto.hash (Node 20.12+; the package needs 20.19) costs a fraction of a createHash per call.
  return hash('sha256', canonicalJson(value), 'hex');
}

/** The fingerprint of null (SHA-256 of the text `null`). */
const NULL_FINGERPRINT = hash('sha256', 'null', 'hex');

/**
 * The preserved data of a translation: the native document as the translation received it (not copied: a caller
 * that changes the document afterwards changes what is preserved), and what else the translation's result depended
 * on (`inputs`, e.g. `{ did }` for a document without an id), so that a renderer can translate it again.
 * @throws TypeError when `method` or `shape` is not a string or `document` is not a JSON object
 * @example
 * translation.preserved = preserveNativeDocument('bid', 'bid', nativeDocument)
 */
export function preserveNativeDocument(method: string, shape: string, document: JsonObject, inputs?: JsonObject): JsonObject {
  if (typeof method !== 'string' || typeof shape !== 'string') throw new TypeError('"method" and "shape" must be strings');
  if (!isJsonObject(document)) throw new TypeError('"document" must be a JSON object');
  return inputs === undefined ? { method, shape, document } : { method, shape, document, inputs };
}

/**
 * The native document and inputs carried by preserved data ({@link preserveNativeDocument}); undefined for data of the
 * earlier piece-by-piece form, or when `document` or `inputs` is not an object.
 */
export function carriedNativeDocument(data: JsonObject): { document: JsonObject; inputs: JsonObject } | undefined {
  const { document, inputs } = data;
  if (!isJsonObject(document)) return undefined;
  if (inputs !== undefined && !isJsonObject(inputs)) return undefined;
  return { document, inputs: inputs ?? {} };
}

/**
 * Wraps preserved data in the self-describing map that travels in metadata (see the module comment for why the data
 * is JSON text).
 * @throws TypeError when `preserved` has no `method` and `shape` strings
 * @example
 * metadata.didbridgePreserved = wrapPreserved({ method: 'bid', shape: 'bid', extension: { ttl: 60 } })
 */
export function wrapPreserved(preserved: JsonObject): JsonObject {
  if (!isJsonObject(preserved) || typeof preserved.method !== 'string' || typeof preserved.shape !== 'string') {
    throw new TypeError('"preserved" must be an object with "method" and "shape" strings');
  }
  return { format: PRESERVED_FORMAT, method: preserved.method, shape: preserved.shape, data: JSON.stringify(preserved) };
}

/**
 * Decodes a `didbridgePreserved` value: the wrapped form of {@link wrapPreserved} (its `data` parsed, with
 * `__proto__` members dropped) or a bare object (returned as is). Undefined when it is not an object, when wrapped
 * `data` is not a string of at most {@link MAX_PRESERVED_TEXT} characters, or when it is not JSON text of an object.
 */
export function decodePreserved(value: unknown): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  if (value.format !== PRESERVED_FORMAT) return value;
  const data = value.data;
  if (typeof data !== 'string' || data.length > MAX_PRESERVED_TEXT) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data, (key, member: unknown) => (key === '__proto__' ? undefined : member));
  } catch {
    return undefined;
  }
  return isJsonObject(parsed) ? parsed : undefined;
}

/** Which preserved data {@link readPreserved} accepts. */
export interface PreservedMatch {
  /** Accept only data made by this method's translation. */
  method?: string;
  /** Accept only data of this native shape. */
  shape?: string;
}

/**
 * Reads preserved data from its holder (document metadata, or a rendered native document): decodes
 * `holder.didbridgePreserved` and returns it when it matches `match`; undefined otherwise (absent, malformed, or made
 * for another method or shape).
 * @example
 * const preserved = readPreserved(resolution.didDocumentMetadata, { shape: 'bid' })
 */
export function readPreserved(holder: unknown, match: PreservedMatch = {}): JsonObject | undefined {
  if (!isJsonObject(holder)) return undefined;
  const data = decodePreserved(holder[PRESERVED_MEMBER]);
  if (data === undefined) return undefined;
  if (match.method !== undefined && data.method !== match.method) return undefined;
  if (match.shape !== undefined && data.shape !== match.shape) return undefined;
  return data;
}
