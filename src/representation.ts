/**
 * Production of DID document representations (DID Core §6) and content negotiation between them.
 *
 * The resolver keeps documents in the abstract data model with `@context` (JSON-LD ready). Producing:
 * - `application/did+ld+json` and `application/did` (DID 1.1): `@context` present and first;
 * - `application/did+json`: `@context` removed, since it is a representation-specific entry of JSON-LD.
 *
 * @see https://www.w3.org/TR/did-core/#representations
 */
import {
  DID_CORE_CONTEXT_V1,
  DOCUMENT_MEDIA_TYPES,
  JWK_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  MediaType,
  type DIDDocument,
  type DocumentMediaType,
} from './spec.js';

/** Contexts needed by the verification-method types a document uses. */
function contextsFor(doc: DIDDocument): string[] {
  const out = [DID_CORE_CONTEXT_V1];
  const types = new Set<string>();
  const collect = (vm: unknown) => {
    if (vm && typeof vm === 'object' && typeof (vm as { type?: unknown }).type === 'string') {
      types.add((vm as { type: string }).type);
    }
  };
  doc.verificationMethod?.forEach(collect);
  for (const rel of ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation']) {
    const entries = doc[rel];
    if (Array.isArray(entries)) entries.forEach(collect);
  }
  if (types.has('Multikey')) out.push(MULTIKEY_CONTEXT_V1);
  if (types.has('JsonWebKey')) out.push(JWK_CONTEXT_V1);
  return out;
}

/** Returns a copy of `doc` with `@context` first (adding the contexts its key types need when it has none). */
export function withContextFirst(doc: DIDDocument): DIDDocument {
  const { '@context': ctx, ...rest } = doc;
  return { '@context': ctx ?? contextsFor(doc), ...rest } as DIDDocument;
}

/** Returns a copy of `doc` without `@context`. */
export function withoutContext(doc: DIDDocument): DIDDocument {
  const { '@context': _ctx, ...rest } = doc;
  return rest as DIDDocument;
}

/**
 * Produces the data-model document in the given representation. Returns `doc` itself when it already has that shape
 * (`@context` first, or no `@context` for plain JSON): every uncached resolution passes through here, and a copy per
 * request of a document that needs none is measurable (docs/BENCHMARKS.md, Driver). Callers must not modify the result.
 */
export function produceDocument(doc: DIDDocument, mediaType: DocumentMediaType): DIDDocument {
  if (mediaType === MediaType.DidJson) return '@context' in doc ? withoutContext(doc) : doc;
  for (const first in doc) {
    if (first === '@context') return doc;
    break;
  }
  return withContextFirst(doc);
}

/** Serialises a document in a representation (DID Core §6.2.1 / §6.3.1: plain JSON text). */
export function serialiseDocument(doc: DIDDocument, mediaType: DocumentMediaType): string {
  return JSON.stringify(produceDocument(doc, mediaType));
}

export function isDocumentMediaType(value: string): value is DocumentMediaType {
  return (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(value);
}

/** One media range of an Accept header. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  /** Position in the header, to keep the client's order among equal q. */
  index: number;
}

/** Parses an RFC 9110 Accept header into ranges sorted by q (then specificity, then order). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [];
  const ranges: MediaRange[] = [];
  // Split on commas outside quoted strings (the legacy profile parameter contains a quoted URL).
  const parts = header.match(/(?:[^,"]|"[^"]*")+/g) ?? [];
  parts.forEach((part, index) => {
    const [typePart, ...paramParts] = part.split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    if (!type) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (k === 'q') {
        const n = Number(v);
        q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 1;
      } else params[k] = v;
    }
    ranges.push({ type, params, q, index });
  });
  const specificity = (r: MediaRange) => (r.type === '*/*' ? 0 : r.type.endsWith('/*') ? 1 : 2);
  return ranges
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.index - b.index);
}

/** Whether a media range matches a concrete type. */
export function rangeMatches(range: MediaRange, type: string): boolean {
  if (range.type === '*/*') return true;
  if (range.type.endsWith('/*')) return type.startsWith(range.type.slice(0, -1));
  return range.type === type;
}
