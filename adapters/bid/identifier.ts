/**
 * did:bid and did:cndid identifiers (the BIF family).
 *
 * Syntax (BID Protocol Specification v2.0.0 §3, domestic-methods.md §4.1 and §5):
 *
 * ```
 * bid-did                 = "did:bid:" bid-specific-identifier
 * bid-specific-identifier = 0*1(acsn ":") suffix / acsn ":" 0*1(suffix)
 * acsn                    = 4(ALPHA / DIGIT)          ; sub-chain "AC" code
 * suffix                  = (22,42)(ALPHA / DIGIT)
 * ```
 *
 * The bridge is stricter than the ABNF, as the Universal Resolver driver is (`UtilsTool.encAddressValid`): the AC
 * code is lower-case alphanumerics, the suffix starts with the key-type tag (`e` Ed25519, `z` SM2, `s` secp256k1)
 * and the encoding tag `f` (base58: the only encoding seen), and its remaining 28-31 characters must decode to
 * exactly the 22 bytes of a truncated key hash. The character class is Bitcoin's base58 set; the BIF alphabet is a
 * permutation of it, so a wrong-alphabet bug cannot be caught here (§4.2).
 *
 * **The bare sub-chain form `did:bid:<acsn>`** (e.g. `did:bid:byol`) is accepted and resolved through the
 * upstream: the specification (§3.1) says such a BID "stores sidechain resolution service, and its resolution
 * address can be found in the corresponding BID documentation", so it names a document, not an error. An upstream
 * that does not know it answers `errorCode: 6`, which is NOT_FOUND.
 *
 * @see https://www.w3.org/TR/did-core/#did-syntax
 */
import { parseBifIdentifier, type BifIdentifier } from '../../src/keys/derive.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';

/** The BIF methods. */
export type BifMethod = 'bid' | 'cndid';

/** The whole-DID pattern of a BIF method (anchored; the Universal Resolver `pattern`). */
export function bifIdentifierPattern(method: BifMethod): RegExp {
  return new RegExp(`^did:${method}:(?:(?:[a-z0-9]{4}:)?(?:ef|zf|sf)[1-9A-HJ-NP-Za-km-z]{28,31}|[a-z0-9]{4})$`);
}

/** The did:bid pattern. */
export const BID_DID_PATTERN: RegExp = bifIdentifierPattern('bid');

/**
 * Validates a BIF DID beyond the pattern (the 22-byte decode of the suffix) and returns its parts.
 * @throws InvalidDidError
 */
export function validateBifDid(did: string | ParsedDid, method: BifMethod): BifIdentifier {
  return parseBifIdentifier(did, { method, allowSubChainOnly: true });
}
