/**
 * From a native BIF document (as an upstream returned it) to a `MethodResolution`: translation, the emptied-document
 * rule for deactivation, the TTL and the original. Shared by did:bid and did:cndid, whose envelopes differ but whose
 * documents are the same (domestic-methods.md §5).
 */
import type { MethodResolution } from '../../src/adapter.js';
import { UpstreamError } from '../../src/errors.js';
import type { ChangeRecord, JsonValue } from '../../src/spec.js';
import { DID_CORE, metadataPointer } from '../../src/translation.js';
import type { BifMethod } from './identifier.js';
import type { TranslationLimits } from './limits.js';
import { isJsonObject, kindOf } from './members.js';
import { translateBifDocument } from './translate.js';

/**
 * Builds the resolution of `did` from the document an upstream returned.
 *
 * - An object with content → the translated W3C document, its metadata (`created`, `updated`, `proof`, `ttl`,
 *   `didbridgePreserved`), the change records, `ttlSeconds` from `extension.ttl` and the native document as `original`.
 * - `null`, `{}`, or a document with nothing but bookkeeping members → deactivated: BID §5.4 says "Revoked BID
 *   documentation is empty, not deleted", so an upstream that still answers with an emptied document is reporting a
 *   deactivated DID (`didDocumentMetadata.deactivated: true`, no document).
 * - Anything else (a string, a list) → INTERNAL_ERROR naming the upstream.
 *
 * @throws UpstreamError, InvalidDidDocumentError (from the translation: wrong id, unreadable keys)
 */
export function bifResolution(document: unknown, did: string, method: BifMethod, upstream: string, limits?: TranslationLimits): MethodResolution {
  const deactivationRecord = (why: string): ChangeRecord => ({
    rule: `${method}.deactivated-empty-document`,
    from: '',
    to: metadataPointer('deactivated'),
    reason: `${why}; BID §5.4: "Revoked BID documentation is empty, not deleted", so the DID is reported deactivated (DID Core §7.1.3)`,
    spec: DID_CORE.metadata,
  });
  if (document === null || (isJsonObject(document) && Object.keys(document).length === 0)) {
    return {
      didDocument: null,
      didDocumentMetadata: { deactivated: true },
      changes: [deactivationRecord(`${upstream} returned ${document === null ? 'null' : 'an empty object'} as the document`)],
      original: document as JsonValue,
    };
  }
  if (!isJsonObject(document)) {
    throw new UpstreamError(`${upstream} returned ${kindOf(document)} where the ${method} document belongs`, { extensions: { reason: 'unexpected-envelope' } });
  }
  const translation = translateBifDocument(document, { method, expectedDid: did, ...(limits ? { limits } : {}) });
  if (translation.emptied) {
    return {
      didDocument: null,
      didDocumentMetadata: { ...translation.didDocumentMetadata, deactivated: true },
      changes: [...translation.changes, deactivationRecord('the document has no keys, relationships, services or extension left')],
      original: document,
    };
  }
  return {
    didDocument: translation.didDocument,
    didDocumentMetadata: translation.didDocumentMetadata,
    changes: translation.changes,
    original: document,
    ...(translation.ttlSeconds === undefined ? {} : { ttlSeconds: translation.ttlSeconds }),
  };
}
