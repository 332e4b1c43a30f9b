/**
 * Lossless round trips between the WeIdentity-family document shapes (did:weid v1 and v3, did:tdid) and DID Core.
 *
 * Translating a native document to DID Core drops or rewrites whatever DID Core has no place for: decimal and
 * pseudo-multibase key encodings, declared key types, `owner`, in-document dates, `$from`, services without an id,
 * keys that cannot be read. Each array entry of the native document becomes a *piece*: the original entry plus a
 * fingerprint of what the translation produced for it (`translated`, null when nothing was produced). Top-level
 * members with no W3C place are kept verbatim. A renderer restores an original piece only while the W3C document
 * still carries exactly what the translation produced for it, so an edited W3C document is rendered from its own
 * content and stale originals never overwrite it.
 *
 * The preserved data travels in two places:
 * - `Translation.preserved` (a plain JSON object), and
 * - the resolution's `didDocumentMetadata.didbridgePreserved`, a didbridge extension member. DID Core §7.3 allows
 *   only strings, maps, lists, booleans and null in metadata, and the preserved data is full of numbers (epoch
 *   dates, `versionId`), so the metadata member carries it as JSON text in a small self-describing map:
 *   `{ "format": "application/json", "method": "weid", "shape": "weid-v1", "data": "{…}" }`.
 *
 * The same wrapped form is used the other way round: a W3C document rendered into a WeIdentity shape carries the
 * parts the shape cannot hold as a `didbridgePreserved` member of the rendered document (see `render.ts`).
 *
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 * @see https://www.w3.org/TR/did-core/#extensibility
 */
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../src/spec.js';

/** The member name of preserved data, in document metadata and in rendered native documents. */
export const PRESERVED_MEMBER = 'didbridgePreserved';

/** The `format` of the wrapped form: `data` is JSON text. */
export const PRESERVED_FORMAT = 'application/json';

/** Longest `data` text read back (bounds the JSON parse of untrusted metadata). */
export const MAX_PRESERVED_TEXT = 1024 * 1024;

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON text with object members sorted by name (recursively), for fingerprints. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * SHA-256 (hex) of the canonical JSON of a value: identifies a translated piece without storing it twice. (node:crypto,
 * not the project's portable hash: this is an equality token on a hot path, not a protocol value.)
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** One entry of a native array, with the fingerprint of what translation made of it. */
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
 * What a WeIdentity-family translation keeps. `shape` names the native shape it came from (`weid` for v3,
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
 * Wraps preserved data for document metadata or a rendered document (JSON text: see the module comment).
 * @throws TypeError when `preserved` has no `method` and `shape` strings
 */
export function wrapPreserved(preserved: JsonObject): JsonObject {
  if (!isJsonObject(preserved) || typeof preserved.method !== 'string' || typeof preserved.shape !== 'string') {
    throw new TypeError('"preserved" must be an object with "method" and "shape" strings');
  }
  return { format: PRESERVED_FORMAT, method: preserved.method, shape: preserved.shape, data: JSON.stringify(preserved) };
}

/**
 * Reads preserved data from a holder (document metadata, or a rendered native document): the wrapped form of
 * {@link wrapPreserved}, or the bare object. Returns undefined when there is none, when it is malformed, or when it
 * is for another method: preserved data only ever helps a round trip, it is never a reason to fail.
 */
export function unwrapPreserved(holder: unknown, method: string): JsonObject | undefined {
  if (!isJsonObject(holder)) return undefined;
  const member = holder[PRESERVED_MEMBER];
  if (!isJsonObject(member)) return undefined;
  let data: unknown = member;
  if (member.format === PRESERVED_FORMAT && typeof member.data === 'string') {
    if (member.data.length > MAX_PRESERVED_TEXT) return undefined;
    try {
      data = JSON.parse(member.data, (key, value: unknown) => (key === '__proto__' ? undefined : value));
    } catch {
      return undefined;
    }
  }
  if (!isJsonObject(data) || data.method !== method || typeof data.shape !== 'string') return undefined;
  return data;
}

/** Reads a {@link FamilyPreserved} of `shape` back, checking its structure; undefined when absent or malformed. */
export function familyPreserved(holder: unknown, method: string, shape: string): FamilyPreserved | undefined {
  const data = unwrapPreserved(holder, method);
  if (!data || data.shape !== shape) return undefined;
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
