/**
 * did:ctid identifiers (Anicert / MPS First Research Institute, domestic-methods.md §8): `did:ctid:` + 64 upper-case
 * hex digits, the SM3 digest of a natural person's "personal identity attributes".
 *
 * **Privacy.** The identifier is derived from personally identifying data and is the same wherever the person uses
 * it, so it is correlatable by design; whoever holds the attributes (and knows the serialisation, which Anicert does
 * not publish) can recompute it. Do not log it alongside other personal data, and never put real identity
 * attributes into the sandbox.
 *
 * The operator's own creator id in proofs, `did:ctid:anicert`, does not match this syntax and is not resolvable.
 *
 * @see https://github.com/617640999/ctid-did-register/blob/56a64a18fe3e368a5a808cbd743295756d0ab236/anicert-ctid-did-en.md
 */
import { parseCtidIdentifier } from '../../src/keys/derive.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';

/** The whole-DID pattern (also the Universal Resolver `pattern`): 64 upper-case hex digits, an SM3 digest. */
export const CTID_DID_PATTERN = /^did:ctid:[0-9A-F]{64}$/;

/**
 * Validates a did:ctid DID (upper-case hex only: lower-case digits are a different, invalid identifier).
 * @throws InvalidDidError
 */
export function validateCtidDid(did: string | ParsedDid): void {
  parseCtidIdentifier(did);
}
