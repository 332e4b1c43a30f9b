/**
 * Content negotiation of the HTTP(S) binding: what the `Accept` header asks the driver to return.
 *
 * - No Accept, a wildcard, `application/did-resolution` (or the legacy profiled `application/ld+json`) → the whole
 *   resolution result. The legacy type is echoed in `Content-Type` when it is what the client asked for.
 * - A DID document type (`application/did`, `application/did+json`, `application/did+ld+json`; `application/json`
 *   and `application/ld+json` mean `application/did`, as the Universal Resolver maps them) → the bare document.
 * - Anything else → handed to the resolver as the `accept` option, which answers REPRESENTATION_NOT_SUPPORTED (406)
 *   after the DID itself has been checked, so an invalid DID still gets 400.
 *
 * Dereferencing is the same with `application/did-url-dereferencing`; any other type goes to the dereferencer as
 * the `accept` option (`text/uri-list` selects service endpoint URLs, answered with 303).
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 * @see resolver-contract.md §3.5, §4.6
 */
import { parseAccept, rangeMatches, type MediaRange } from '../representation.js';
import { DOCUMENT_MEDIA_TYPES, MediaType, type DocumentMediaType } from '../spec.js';

/** The profile URL of the legacy full-result media type. */
export const LEGACY_RESOLUTION_PROFILE = 'https://w3id.org/did-resolution';

/** What a resolution request asks for. `id` is stable and short: it keys the response cache. */
export type ResolutionVariant =
  | { id: string; kind: 'result'; contentType: typeof MediaType.DidResolution | typeof MediaType.LegacyResolution }
  | { id: string; kind: 'document'; accept: DocumentMediaType }
  | { id: string; kind: 'unacceptable'; accept: string };

/** What a dereferencing request asks for. */
export type DereferencingVariant =
  | {
      id: string;
      kind: 'result';
      contentType: typeof MediaType.DidUrlDereferencing | typeof MediaType.LegacyResolution;
    }
  | { id: string; kind: 'content'; accept: string };

function isLegacyResult(range: MediaRange): boolean {
  return range.type === MediaType.LdJson && range.params.profile === LEGACY_RESOLUTION_PROFILE;
}

const RESULT: ResolutionVariant = { id: 'r', kind: 'result', contentType: MediaType.DidResolution };
const LEGACY_RESULT: ResolutionVariant = { id: 'l', kind: 'result', contentType: MediaType.LegacyResolution };
const DOCUMENT_VARIANTS = new Map<DocumentMediaType, ResolutionVariant>(
  DOCUMENT_MEDIA_TYPES.map((t) => [t, { id: `d:${t}`, kind: 'document', accept: t }]),
);

/**
 * Chooses the resolution response for an Accept header (ranges in q order; ties keep the client's order).
 *
 * @example
 * negotiateResolution(undefined)                 // whole result, application/did-resolution
 * negotiateResolution('application/did+ld+json') // bare document
 */
export function negotiateResolution(accept: string | undefined): ResolutionVariant {
  if (accept === undefined || accept.trim() === '') return RESULT;
  for (const range of parseAccept(accept)) {
    if (isLegacyResult(range)) return LEGACY_RESULT;
    // Wildcards allow the whole result, which is the default representation of the binding.
    if (rangeMatches(range, MediaType.DidResolution)) return RESULT;
    if (range.type === MediaType.Json || range.type === MediaType.LdJson) return DOCUMENT_VARIANTS.get(MediaType.Did)!;
    const doc = DOCUMENT_MEDIA_TYPES.find((t) => range.type === t);
    if (doc) return DOCUMENT_VARIANTS.get(doc)!;
  }
  return { id: `u:${accept}`, kind: 'unacceptable', accept };
}

const DEREF_RESULT: DereferencingVariant = { id: 'R', kind: 'result', contentType: MediaType.DidUrlDereferencing };
const DEREF_LEGACY: DereferencingVariant = { id: 'L', kind: 'result', contentType: MediaType.LegacyResolution };

/**
 * Chooses the dereferencing response for an Accept header. `application/did-resolution` on a DID URL is read as
 * a request for the whole result too (the result of dereferencing is then `application/did-url-dereferencing`),
 * since clients that only know resolution send it for every identifier.
 */
export function negotiateDereferencing(accept: string | undefined): DereferencingVariant {
  if (accept === undefined || accept.trim() === '') return DEREF_RESULT;
  const ranges = parseAccept(accept);
  const first = ranges[0];
  if (!first) return { id: `c:${accept}`, kind: 'content', accept };
  if (isLegacyResult(first)) return DEREF_LEGACY;
  if (rangeMatches(first, MediaType.DidUrlDereferencing) || first.type === MediaType.DidResolution) return DEREF_RESULT;
  // The dereferencer negotiates content types itself (documents, service URL lists, method-defined resources).
  return { id: `c:${accept}`, kind: 'content', accept };
}

/**
 * A small memo of negotiation outcomes keyed by the raw header: clients repeat the same Accept on every request,
 * and the hot path should not re-parse it. Bounded by clearing, since hostile clients can vary the header.
 */
export class NegotiationMemo<V> {
  private readonly memo = new Map<string, V>();
  constructor(
    private readonly negotiate: (accept: string | undefined) => V,
    private readonly maxEntries = 256,
  ) {}

  get(accept: string | undefined): V {
    if (accept === undefined) return this.negotiate(undefined);
    let v = this.memo.get(accept);
    if (v === undefined) {
      v = this.negotiate(accept);
      if (this.memo.size >= this.maxEntries) this.memo.clear();
      if (accept.length <= 512) this.memo.set(accept, v);
    }
    return v;
  }
}
