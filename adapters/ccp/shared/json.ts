/**
 * Small JSON helpers for reading what domestic upstreams send (envelopes and documents of unknown shape) without
 * trusting it.
 *
 * This folder (`adapters/ccp/shared/`) holds the machinery did:ccp and did:ctid have in common: both publish
 * pre-DID-Core documents (`publicKey`, `publicKeyHex`, keys embedded in `authentication`, metadata inside the
 * document) behind a JSON envelope. did:ctid imports it from here; nothing in `src/` depends on it.
 */
import type { JsonObject, JsonValue } from '../../../src/spec.js';

/** The generic JSON helpers and the preserved-data fingerprint live in the core; re-exported for this folder. */
export { canonicalJson, isJsonObject, isMetadataValue, kindOf } from '../../../src/util/json.js';
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
