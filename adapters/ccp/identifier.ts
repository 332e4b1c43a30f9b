/**
 * did:ccp identifiers (Baidu, domestic-methods.md §7): `did:ccp:` + base58btc(RIPEMD-160(SHA-256(Base DID
 * Document))), 25-34 Bitcoin-alphabet characters (the Universal Resolver driver's regex) that must decode to the
 * 20 bytes of a RIPEMD-160 digest.
 *
 * The specification's own example `did:ccp:1FsbKR6UpV6GW8o8szccdxXkquzTg2VZLL` decodes to 25 bytes: it is a
 * Bitcoin address (version byte + hash + checksum), not a bare RIPEMD-160 digest, and is rejected; the Universal
 * Resolver's test identifiers (`did:ccp:ceNobbK6Me9F5zwyE3MKY88QZLw`, `did:ccp:3CzQLF3qfFVQ1CjGVzVRZaFXrjAd`) are
 * 20-byte digests and are accepted.
 *
 * @see https://did.baidu.com/did-spec/
 */
import { parseCcpIdentifier } from '../../src/keys/derive.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';

/** The whole-DID pattern (also the Universal Resolver `pattern`); `validateCcpDid` adds the 20-byte check. */
export const CCP_DID_PATTERN = /^did:ccp:[1-9A-HJ-NP-Za-km-z]{25,34}$/;

/**
 * Validates a did:ccp DID: the pattern, then the base58 body decoding to exactly 20 bytes.
 * @throws InvalidDidError
 */
export function validateCcpDid(did: string | ParsedDid): void {
  parseCcpIdentifier(did);
}
