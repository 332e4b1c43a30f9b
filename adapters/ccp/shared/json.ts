/**
 * Small JSON helpers for reading what domestic upstreams send (envelopes and documents of unknown shape) without
 * trusting it.
 *
 * This folder (`adapters/ccp/shared/`) holds the machinery did:ccp and did:ctid have in common: both publish
 * pre-DID-Core documents (`publicKey`, `publicKeyHex`, keys embedded in `authentication`, metadata inside the
 * document) behind a JSON envelope. did:ctid imports it from here; nothing in `src/` depends on it.
 */
import type { JsonObject, JsonValue } from '../../../src/spec.js';
import { isJsonObject } from '../../../src/util/json.js';

/** The generic JSON helpers and the preserved-data fingerprint live in the core; re-exported for this folder. */
export { canonicalJson, isJsonObject, kindOf } from '../../../src/util/json.js';
export { fingerprint } from '../../../src/preserved.js';

/**
 * Reads a member of an envelope ignoring the case of its name (`code`, `Code`, `CODE`): upstream SDKs serialise the
 * same envelope with different casings (WeIdentity writes both `errorCode` and `ErrorCode`, domestic-methods.md §3.6).
 * An exact match wins over a folded one.
 */
export function envelopeMember(envelope: JsonObject, name: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(envelope, name)) return envelope[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(envelope)) {
    if (key.trim().toLowerCase() === wanted) return envelope[key];
  }
  return undefined;
}

/**
 * Whether a value may stand in DID document metadata: DID Core §7.3 allows strings, maps, lists, sets, booleans and
 * null, so numbers (anywhere inside) rule a value out.
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 */
export function isMetadataValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(isMetadataValue);
  if (isJsonObject(value)) return Object.values(value).every(isMetadataValue);
  return false;
}
