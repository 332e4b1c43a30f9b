/**
 * From what a target saw to the observations the checks look at. One resolution result is looked at as a
 * resolution (its shape and outcome), as an error object (when it failed) and as a DID document with its metadata
 * (when it has one); an HTTP exchange as an exchange, and its body as whatever it carries. Every target derives
 * observations through these functions, so a defect in a result fails the same check whether it was found
 * in-process, over HTTP or in a fixture.
 */
import { produceDocument } from '../src/representation.js';
import { DOCUMENT_MEDIA_TYPES, MediaType, type DIDDocument, type DIDResolutionResult, type DocumentMediaType } from '../src/spec.js';
import { parseDidUrl } from '../src/syntax/did-url.js';
import type {
  DereferencingUnderTest,
  ErrorProfile,
  HttpExchangeUnderTest,
  ResolutionUnderTest,
  TranslationUnderTest,
} from './catalogue.js';
import { contentOf } from './checks/dereferencing.js';
import { bodyView } from './checks/http.js';
import { isMap, mediaTypeOf, member } from './checks/shared.js';
import type { Observation } from './targets.js';

/**
 * The representation a document was produced in, from a content type: the one it names when it is a DID document
 * type; `application/did` when there is none (the Universal Resolver's default, resolver-contract.md §3.3); and when
 * it names something else (which did-resolution.metadata.content-type reports), whatever the document shows:
 * JSON-LD when it has `@context`, plain JSON otherwise, so that one wrong media type is not also reported as a
 * document defect.
 */
export function representationOf(contentType: unknown, document?: unknown): DocumentMediaType {
  if (contentType === undefined || contentType === null) return MediaType.Did;
  const type = typeof contentType === 'string' ? mediaTypeOf(contentType) : undefined;
  if ((DOCUMENT_MEDIA_TYPES as readonly string[]).includes(type ?? '')) return type as DocumentMediaType;
  return isMap(document) && Object.prototype.hasOwnProperty.call(document, '@context') ? MediaType.DidLdJson : MediaType.DidJson;
}

function hasError(metadata: unknown): boolean {
  const error = member(metadata, 'error');
  return error !== undefined && error !== null;
}

/**
 * The observations of one resolution: the resolution itself, its error object (with the profile the target asked
 * for), and the returned document with its metadata.
 */
export function resolutionObservations(label: string, input: ResolutionUnderTest, profile: ErrorProfile = 'spec'): Observation[] {
  const out: Observation[] = [{ subject: 'resolution', label, input }];
  const metadata = member(input.result, 'didResolutionMetadata');
  if (hasError(metadata)) {
    out.push({ subject: 'error', label, input: { error: member(metadata, 'error'), profile, operation: 'resolution' } });
  }
  const document = member(input.result, 'didDocument');
  if (document !== undefined && document !== null) {
    const documentMetadata = member(input.result, 'didDocumentMetadata');
    out.push({
      subject: 'document',
      label,
      input: {
        document,
        representation: representationOf(member(metadata, 'contentType'), document),
        ...(documentMetadata !== undefined ? { metadata: documentMetadata } : {}),
      },
    });
  }
  return out;
}

/**
 * The observations of one dereferencing: the dereferencing, its error object, and, when the DID URL names the DID
 * document itself, the document with its content metadata.
 */
export function dereferencingObservations(
  label: string,
  input: DereferencingUnderTest,
  profile: ErrorProfile = 'spec',
): Observation[] {
  const out: Observation[] = [{ subject: 'dereferencing', label, input }];
  const metadata = member(input.result, 'dereferencingMetadata');
  if (hasError(metadata)) {
    out.push({ subject: 'error', label, input: { error: member(metadata, 'error'), profile, operation: 'dereferencing' } });
    return out;
  }
  let bare = false;
  try {
    const url = parseDidUrl(input.didUrl);
    bare = url.path === '' && url.query === undefined && url.fragment === undefined;
  } catch {
    bare = false;
  }
  const content = contentOf(input.result);
  if (bare && isMap(content)) {
    const contentMetadata = member(input.result, 'contentMetadata');
    out.push({
      subject: 'document',
      label,
      input: {
        document: content,
        representation: representationOf(member(metadata, 'contentType'), content),
        ...(contentMetadata !== undefined ? { metadata: contentMetadata } : {}),
      },
    });
  }
  return out;
}

/**
 * The observations of one HTTP exchange: the exchange, and what its body carries. A whole result becomes a
 * resolution or dereferencing observation (and through them error and document observations); a bare document a
 * document observation in the representation its Content-Type names. Bodies that are neither are only the
 * exchange's business (did-resolution.http.result-body, uniresolver.http.error-body).
 */
export function httpObservations(
  label: string,
  exchange: HttpExchangeUnderTest,
  context: { resolution?: DIDResolutionResult } = {},
): Observation[] {
  const out: Observation[] = [{ subject: 'http', label, input: exchange }];
  if ((exchange.endpoint ?? 'identifiers') !== 'identifiers' || exchange.identifier === undefined) return out;
  const body = bodyView(exchange);
  const profile = exchange.profile ?? 'spec';
  const options = {};
  const expected = exchange.expectedOutcome !== undefined ? { expectedOutcome: exchange.expectedOutcome } : {};
  if (exchange.operation === 'dereference' && body.dereferencingResult) {
    out.push(
      ...dereferencingObservations(
        label,
        {
          didUrl: exchange.identifier,
          options,
          result: body.json as never,
          ...expected,
          ...(context.resolution ? { resolution: context.resolution } : {}),
        },
        profile,
      ),
    );
  } else if (exchange.operation !== 'dereference' && body.resolutionResult) {
    out.push(...resolutionObservations(label, { did: exchange.identifier, options, result: body.json as never, ...expected }, profile));
  } else if (exchange.operation !== 'dereference' && exchange.response.status === 200 && isMap(body.json)) {
    const contentType = Object.entries(exchange.response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const type = mediaTypeOf(contentType);
    if (type !== undefined && (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(type)) {
      out.push({ subject: 'document', label, input: { document: body.json, representation: type as DocumentMediaType } });
    }
  }
  return out;
}

/**
 * The observations of one translated native document: the translation, and the W3C document it produced, in
 * `application/did+ld+json`.
 */
export function translationObservations(label: string, input: TranslationUnderTest): Observation[] {
  const out: Observation[] = [{ subject: 'translation', label, input }];
  const t = input.translation;
  if (t && isMap(t.didDocument)) {
    out.push({
      subject: 'document',
      label,
      input: {
        // Produced the way the resolver produces it (@context first, added when missing), so the checks see what a
        // client of the driver would receive.
        document: produceDocument(t.didDocument as unknown as DIDDocument, MediaType.DidLdJson),
        representation: MediaType.DidLdJson,
        metadata: t.didDocumentMetadata,
      },
    });
  }
  return out;
}
