/**
 * The RFC 3986 URI helpers the DID Core checks use. They live in `src/util/uri.ts` since the adapters' translations
 * need the same rules (a translation must produce what the checks accept); this module re-exports them so that the
 * conformance suite's imports and its public exports stay as they were.
 *
 * @see ../../src/util/uri.ts
 */
export { isUri, normalisationProblem, splitUri, uriProblem, type UriParts } from '../../src/util/uri.js';
