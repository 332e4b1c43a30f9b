/**
 * Small JSON helpers for reading what domestic upstreams send (envelopes and documents of unknown shape) without
 * trusting it.
 *
 * This folder (`adapters/ccp/shared/`) holds the machinery did:ccp and did:ctid have in common: both publish
 * pre-DID-Core documents (`publicKey`, `publicKeyHex`, keys embedded in `authentication`, metadata inside the
 * document) behind a JSON envelope. did:ctid imports it from here; nothing in `src/` depends on it.
 */
import type { JsonObject, JsonValue } from '../../../src/spec.js';

/** The generic JSON helpers (`jsonString` included) and the preserved-data fingerprint live in the core; re-exported for this folder. */
export { canonicalJson, isJsonObject, isMetadataValue, jsonString, kindOf } from '../../../src/util/json.js';
export { fingerprint } from '../../../src/preserved.js';

/**
 * Reads a member of an envelope ignoring the case of its name (`code`, `Code`, `CODE`): upstream SDKs serialise the
 * same envelope with different casings (WeIdentity writes both `errorCode` and `ErrorCode`, domestic-methods.md §3.6).
 * An exact match wins over a folded one.
 */
export function envelopeMember(envelope: JsonObject, name: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(envelope, name)) return envelope[name];
  const wanted = name.toLowerCase();
  const first = wanted.charCodeAt(0);
  for (const key of Object.keys(envelope)) {
    // Most keys of a document (every one, when it is no envelope) differ from `wanted` in length or in an ASCII first
    // character: decided without writing the folded name (trimming only shortens a key; an ASCII character that is
    // not whitespace starts the trimmed key and folds to one ASCII character).
    if (key.length < wanted.length) continue;
    const c = key.charCodeAt(0);
    if (c < 128 && c !== 32 && (c < 9 || c > 13) && (c >= 65 && c <= 90 ? c + 32 : c) !== first) continue;
    if (key.trim().toLowerCase() === wanted) return envelope[key];
  }
  return undefined;
}

/**
 * `text` itself, flattened: V8 keeps a string made by concatenation as a tree of its parts until an operation needs
 * it in one piece, and some operations (String#startsWith with it as the search string) take a slow path on every
 * call instead of flattening it. Reading a character flattens it in place. For texts compared many times.
 */
export function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}
