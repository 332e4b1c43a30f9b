/**
 * Forbidden mutations of the conformant fixtures of the non-document subjects: resolution results, error objects,
 * dereferencing results, HTTP exchanges and translations. Each mutation breaks exactly one statement, so applying
 * it must fail exactly the check of that statement (subjects.test.ts), and the first mutation of each check is
 * written out as its invalid fixture (write-invalid-fixtures.ts).
 */
import type { SubjectInputs } from '../../../conformance/catalogue.js';

type Json = any;

export interface SubjectMutation {
  check: string;
  what: string;
  /** The conformant fixture it starts from, `fixtures/conformant/<base>.json`. */
  base: string;
  /** Mutates the copy of the fixture's input in place. */
  apply(input: Json): void;
}

const URL_TYPE = (name: string) => `https://www.w3.org/ns/did#${name}`;

/** Sets a dereferencing result's content in both members, as a dereferencer would. */
function setContent(result: Json, value: unknown): void {
  result.content = value;
  result.contentStream = typeof value === 'string' || value === null ? value : JSON.stringify(value);
}

/** Edits the JSON body of an HTTP exchange. */
function editBody(input: Json, edit: (body: Json) => Json | void): void {
  const body = JSON.parse(input.response.body);
  const replaced = edit(body);
  input.response.body = JSON.stringify(replaced === undefined ? body : replaced);
}

export const SUBJECT_MUTATIONS: SubjectMutation[] = [
  // --- resolution results
  { check: 'did-resolution.result.structure', what: 'no didResolutionMetadata', base: 'resolution.success', apply: (i) => void delete i.result.didResolutionMetadata },
  { check: 'did-resolution.result.structure', what: 'no didDocument member', base: 'resolution.success', apply: (i) => void delete i.result.didDocument },
  { check: 'did-resolution.result.structure', what: 'no didDocumentMetadata', base: 'resolution.success', apply: (i) => void delete i.result.didDocumentMetadata },
  { check: 'did-resolution.result.structure', what: 'the result is an array', base: 'resolution.not-found', apply: (i) => void (i.result = [i.result]) },
  { check: 'did-resolution.metadata.error-present', what: 'NOT_FOUND outcome without an error', base: 'resolution.not-found', apply: (i) => void delete i.result.didResolutionMetadata.error },
  {
    check: 'did-resolution.result.error-document-empty',
    what: 'a document next to the error',
    base: 'resolution.not-found',
    apply: (i) => void (i.result.didDocument = { '@context': 'https://www.w3.org/ns/did/v1', id: 'did:test:nobody' }),
  },
  {
    check: 'did-resolution.result.error-metadata-empty',
    what: 'document metadata next to the error',
    base: 'resolution.not-found',
    apply: (i) => void (i.result.didDocumentMetadata = { created: '2024-01-01T00:00:00Z' }),
  },
  { check: 'did-resolution.result.document-id', what: 'the document of another DID', base: 'resolution.success', apply: (i) => void (i.result.didDocument.id = 'did:test:bob') },
  { check: 'did-resolution.metadata.content-type', what: 'contentType application/json', base: 'resolution.success', apply: (i) => void (i.result.didResolutionMetadata.contentType = 'application/json') },
  { check: 'did-resolution.metadata.content-type', what: 'contentType text/html', base: 'resolution.representation', apply: (i) => void (i.result.didResolutionMetadata.contentType = 'text/html') },
  { check: 'did-core.resolution.metadata-structure', what: 'a numeric duration', base: 'resolution.success', apply: (i) => void (i.result.didResolutionMetadata.duration = 12) },
  { check: 'did-core.resolution.metadata-structure', what: 'a number inside the error', base: 'resolution.not-found', apply: (i) => void (i.result.didResolutionMetadata.error.status = 404) },
  { check: 'did-resolution.metadata.datetime', what: 'retrieved with milliseconds', base: 'resolution.success', apply: (i) => void (i.result.didResolutionMetadata.retrieved = '2025-06-01T12:00:00.123Z') },
  { check: 'did-resolution.metadata.datetime', what: 'retrieved with an offset', base: 'resolution.success', apply: (i) => void (i.result.didResolutionMetadata.retrieved = '2025-06-01T14:00:00+02:00') },
  { check: 'did-resolution.error.invalid-did', what: 'NOT_FOUND for an invalid DID', base: 'resolution.invalid-did', apply: (i) => void (i.result.didResolutionMetadata.error.type = URL_TYPE('NOT_FOUND')) },
  {
    check: 'did-resolution.error.method-not-supported',
    what: 'INVALID_DID for an unknown method',
    base: 'resolution.method-not-supported',
    apply: (i) => void (i.result.didResolutionMetadata.error.type = URL_TYPE('INVALID_DID')),
  },
  {
    check: 'did-resolution.error.invalid-options',
    what: 'FEATURE_NOT_SUPPORTED for versionId with versionTime',
    base: 'resolution.invalid-options',
    apply: (i) => void (i.result.didResolutionMetadata.error.type = URL_TYPE('FEATURE_NOT_SUPPORTED')),
  },
  { check: 'did-resolution.error.not-found', what: 'INTERNAL_ERROR for an unregistered DID', base: 'resolution.not-found', apply: (i) => void (i.result.didResolutionMetadata.error.type = URL_TYPE('INTERNAL_ERROR')) },
  {
    check: 'did-resolution.error.representation-not-supported',
    what: 'INVALID_OPTIONS for an unsupported accept',
    base: 'resolution.representation-not-supported',
    apply: (i) => void (i.result.didResolutionMetadata.error.type = URL_TYPE('INVALID_OPTIONS')),
  },
  { check: 'did-resolution.deactivated.metadata', what: 'deactivated left out', base: 'resolution.deactivated', apply: (i) => void delete i.result.didDocumentMetadata.deactivated },
  {
    check: 'did-resolution.deactivated.metadata',
    what: 'a deactivated DID reported as an error',
    base: 'resolution.deactivated',
    apply: (i) => {
      i.result.didResolutionMetadata = { error: { type: URL_TYPE('NOT_FOUND'), title: 'Not found', detail: 'gone' } };
      i.result.didDocumentMetadata = {};
    },
  },
  {
    check: 'uniresolver.test-identifiers.resolve',
    what: 'a test identifier that does not resolve',
    base: 'resolution.success',
    apply: (i) => {
      i.result = { didResolutionMetadata: { error: { type: URL_TYPE('NOT_FOUND'), title: 'Not found', detail: 'gone' } }, didDocument: null, didDocumentMetadata: {} };
    },
  },

  // --- error objects
  { check: 'did-resolution.error.rfc9457', what: 'a legacy keyword string', base: 'error.spec', apply: (i) => void (i.error = 'notFound') },
  { check: 'did-resolution.error.rfc9457', what: 'an object without type', base: 'error.spec', apply: (i) => void delete i.error.type },
  { check: 'did-resolution.error.type-url', what: 'a bare token in the spec profile', base: 'error.spec', apply: (i) => void (i.error.type = 'NOT_FOUND') },
  { check: 'did-resolution.error.type-url', what: 'an undefined name in the DID namespace', base: 'error.spec', apply: (i) => void (i.error.type = URL_TYPE('GONE')) },
  { check: 'did-resolution.error.type-url', what: 'a type that is not a URL', base: 'error.spec', apply: (i) => void (i.error.type = 'not found') },
  { check: 'did-resolution.error.title', what: 'no title', base: 'error.spec', apply: (i) => void delete i.error.title },
  { check: 'did-resolution.error.detail', what: 'an empty detail', base: 'error.spec', apply: (i) => void (i.error.detail = ' ') },
  { check: 'uniresolver.error.bare-token', what: 'a URL type in the uniresolver profile', base: 'error.uniresolver', apply: (i) => void (i.error.type = URL_TYPE('NOT_FOUND')) },
  { check: 'uniresolver.error.bare-token', what: 'a legacy keyword as type', base: 'error.uniresolver', apply: (i) => void (i.error.type = 'notFound') },

  // --- dereferencing results
  { check: 'did-resolution.dereferencing.structure', what: 'no dereferencingMetadata', base: 'dereferencing.document', apply: (i) => void delete i.result.dereferencingMetadata },
  { check: 'did-resolution.dereferencing.structure', what: 'neither contentStream nor content', base: 'dereferencing.fragment', apply: (i) => void (delete i.result.content, delete i.result.contentStream) },
  { check: 'did-resolution.dereferencing.structure', what: 'contentMetadata is a string', base: 'dereferencing.fragment', apply: (i) => void (i.result.contentMetadata = '') },
  { check: 'did-resolution.dereferencing.error-present', what: 'NOT_FOUND outcome without an error', base: 'dereferencing.not-found', apply: (i) => void delete i.result.dereferencingMetadata.error },
  { check: 'did-resolution.dereferencing.error-content-empty', what: 'content next to the error', base: 'dereferencing.not-found', apply: (i) => setContent(i.result, { id: 'did:test:alice#nothing' }) },
  {
    check: 'did-resolution.dereferencing.error-metadata-empty',
    what: 'content metadata next to the error',
    base: 'dereferencing.not-found',
    apply: (i) => void (i.result.contentMetadata = { created: '2024-01-02T03:04:05Z' }),
  },
  { check: 'did-resolution.dereferencing.content', what: 'success without content', base: 'dereferencing.document', apply: (i) => setContent(i.result, null) },
  { check: 'did-resolution.dereferencing.document', what: 'the document of another DID', base: 'dereferencing.document', apply: (i) => setContent(i.result, { ...i.result.content, id: 'did:test:bob' }) },
  { check: 'did-resolution.dereferencing.fragment', what: 'another verification method', base: 'dereferencing.fragment', apply: (i) => setContent(i.result, { ...i.result.content, id: 'did:test:alice#key-2' }) },
  { check: 'did-resolution.dereferencing.fragment', what: 'a list instead of the node', base: 'dereferencing.fragment', apply: (i) => setContent(i.result, ['did:test:alice#key-1']) },
  {
    check: 'did-resolution.dereferencing.service-selection',
    what: 'a service that was not asked for',
    base: 'dereferencing.service',
    apply: (i) => setContent(i.result, { ...i.result.content, service: [{ id: '#hub', type: 'DIDCommMessaging', serviceEndpoint: 'https://hub.example/inbox' }] }),
  },
  { check: 'did-resolution.dereferencing.service-selection', what: 'no service at all', base: 'dereferencing.service', apply: (i) => setContent(i.result, { ...i.result.content, service: [] }) },
  { check: 'did-resolution.dereferencing.uri-list', what: 'contentType application/json', base: 'dereferencing.uri-list', apply: (i) => void (i.result.dereferencingMetadata.contentType = 'application/json') },
  { check: 'did-resolution.dereferencing.uri-list', what: 'a relative URL in the list', base: 'dereferencing.uri-list', apply: (i) => setContent(i.result, '/base/cv.pdf\r\n') },
  {
    check: 'did-resolution.dereferencing.content-metadata-document',
    what: 'content metadata that is not the document metadata',
    base: 'dereferencing.document',
    apply: (i) => void (i.result.contentMetadata.created = '2020-01-01T00:00:00Z'),
  },
  {
    check: 'did-resolution.dereferencing.invalid-did-url',
    what: 'NOT_FOUND for a malformed DID URL',
    base: 'dereferencing.invalid-did-url',
    apply: (i) => void (i.result.dereferencingMetadata.error.type = URL_TYPE('NOT_FOUND')),
  },
  { check: 'did-resolution.dereferencing.not-found', what: 'INTERNAL_ERROR for a missing fragment', base: 'dereferencing.not-found', apply: (i) => void (i.result.dereferencingMetadata.error.type = URL_TYPE('INTERNAL_ERROR')) },
  {
    check: 'did-resolution.dereferencing.representation-not-supported',
    what: 'NOT_FOUND for an unsupported accept',
    base: 'dereferencing.representation-not-supported',
    apply: (i) => void (i.result.dereferencingMetadata.error.type = URL_TYPE('NOT_FOUND')),
  },
  { check: 'did-resolution.dereferencing.content-type', what: 'no contentType on success', base: 'dereferencing.fragment', apply: (i) => void delete i.result.dereferencingMetadata.contentType },
  { check: 'did-resolution.dereferencing.content-type-ascii', what: 'not a media type', base: 'dereferencing.fragment', apply: (i) => void (i.result.dereferencingMetadata.contentType = 'json') },
  { check: 'did-resolution.dereferencing.content-type-ascii', what: 'non-ASCII', base: 'dereferencing.fragment', apply: (i) => void (i.result.dereferencingMetadata.contentType = 'application/did+jsön') },
  { check: 'did-resolution.dereferencing.content-stream-key', what: 'only content', base: 'dereferencing.fragment', apply: (i) => void delete i.result.contentStream },
  { check: 'did-core.dereferencing.metadata-structure', what: 'a numeric duration', base: 'dereferencing.fragment', apply: (i) => void (i.result.dereferencingMetadata.duration = 3) },

  // --- HTTP exchanges
  { check: 'did-resolution.http.error-status', what: 'NOT_FOUND answered 200', base: 'http.not-found', apply: (i) => void (i.response.status = 200) },
  { check: 'did-resolution.http.error-status', what: 'NOT_FOUND answered 500', base: 'http.not-found', apply: (i) => void (i.response.status = 500) },
  { check: 'did-resolution.http.error-status', what: 'INVALID_DID answered 404', base: 'http.invalid-did', apply: (i) => void (i.response.status = 404) },
  { check: 'did-resolution.http.error-status', what: 'METHOD_NOT_SUPPORTED answered 400', base: 'http.method-not-supported', apply: (i) => void (i.response.status = 400) },
  { check: 'did-resolution.http.error-status', what: 'REPRESENTATION_NOT_SUPPORTED answered 400', base: 'http.not-acceptable', apply: (i) => void (i.response.status = 400) },
  { check: 'did-resolution.http.error-status', what: 'uniresolver NOT_FOUND answered 500', base: 'http.not-found-uniresolver', apply: (i) => void (i.response.status = 500) },
  { check: 'did-resolution.http.deactivated-status', what: 'a deactivated DID answered 200', base: 'http.deactivated', apply: (i) => void (i.response.status = 200) },
  { check: 'did-resolution.http.success-status', what: 'a resolved DID answered 203', base: 'http.result', apply: (i) => void (i.response.status = 203) },
  {
    check: 'did-resolution.http.result-body',
    what: 'application/did-resolution with only the document',
    base: 'http.result',
    apply: (i) => editBody(i, (b) => ({ didDocument: b.didDocument })),
  },
  { check: 'did-resolution.http.result-body', what: 'application/did-resolution with a text body', base: 'http.result', apply: (i) => void (i.response.body = 'resolved') },
  { check: 'did-resolution.http.content-type', what: 'a bare document as application/json', base: 'http.document', apply: (i) => void (i.response.headers['content-type'] = 'application/json') },
  { check: 'did-resolution.http.content-type', what: 'a bare document without Content-Type', base: 'http.encoded', apply: (i) => void delete i.response.headers['content-type'] },
  { check: 'did-resolution.http.document-body', what: 'the document of another DID', base: 'http.document', apply: (i) => editBody(i, (b) => ({ ...b, id: 'did:test:bob' })) },
  { check: 'did-resolution.http.document-body', what: 'an array body', base: 'http.document', apply: (i) => void (i.response.body = '[]') },
  { check: 'did-resolution.http.uri-list-redirect', what: 'no Location', base: 'http.uri-list', apply: (i) => void delete i.response.headers.location },
  { check: 'did-resolution.http.uri-list-redirect', what: 'a body with the redirect', base: 'http.uri-list', apply: (i) => void (i.response.body = 'https://files.example/base/cv.pdf') },
  { check: 'did-resolution.http.uri-list-redirect', what: '302 instead of 303', base: 'http.uri-list', apply: (i) => void (i.response.status = 302) },
  { check: 'did-resolution.http.uri-list-redirect', what: 'a relative Location', base: 'http.uri-list', apply: (i) => void (i.response.headers.location = '/base/cv.pdf') },
  { check: 'did-resolution.http.tls', what: 'plain http to a public host', base: 'http.result-tls', apply: (i) => void (i.request.url = i.request.url.replace('https://', 'http://')) },
  {
    check: 'uniresolver.http.error-body',
    what: 'a bare 404 with a text body',
    base: 'http.not-found',
    apply: (i) => {
      i.response.body = 'not found';
      i.response.headers['content-type'] = 'text/plain';
    },
  },
  {
    check: 'uniresolver.http.error-body',
    what: 'a 400 with a result that carries no error (no outcome expected)',
    base: 'http.invalid-did',
    apply: (i) => {
      delete i.expectedOutcome;
      editBody(i, (b) => ({ ...b, didResolutionMetadata: {} }));
    },
  },
  { check: 'uniresolver.http.cors', what: 'no Access-Control-Allow-Origin', base: 'http.result', apply: (i) => void delete i.response.headers['access-control-allow-origin'] },
  { check: 'uniresolver.methods', what: 'an object instead of an array', base: 'http.endpoint-methods', apply: (i) => void (i.response.body = '{"test":true}') },
  { check: 'uniresolver.methods', what: 'an upper-case method name', base: 'http.endpoint-methods', apply: (i) => void (i.response.body = '["Test"]') },
  { check: 'uniresolver.methods', what: 'answered 404', base: 'http.endpoint-methods', apply: (i) => void (i.response.status = 404) },
  { check: 'uniresolver.test-identifiers', what: 'a DID of another method', base: 'http.endpoint-testidentifiers', apply: (i) => void (i.response.body = '{"test":["did:other:1"]}') },
  { check: 'uniresolver.test-identifiers', what: 'a string instead of a list', base: 'http.endpoint-testidentifiers', apply: (i) => void (i.response.body = '{"test":"did:test:alice"}') },
  { check: 'uniresolver.traits', what: 'a trait that is not a boolean', base: 'http.endpoint-traits', apply: (i) => editBody(i, (b) => void (b.test.updatable = 'yes')) },
  { check: 'uniresolver.traits', what: 'a missing trait', base: 'http.endpoint-traits', apply: (i) => editBody(i, (b) => void delete b.test.humanReadable) },
  { check: 'uniresolver.properties', what: 'an array', base: 'http.endpoint-properties', apply: (i) => void (i.response.body = '[]') },
  { check: 'uniresolver.properties', what: 'not JSON', base: 'http.endpoint-properties', apply: (i) => void (i.response.body = 'driver=didbridge') },

  // --- translations
  { check: 'didbridge.translation.recognised', what: 'the adapter does not recognise its own document', base: 'translation.legacy-document', apply: (i) => void (i.recognised = false) },
  {
    check: 'didbridge.translation.produces',
    what: 'translate() threw',
    base: 'translation.legacy-document',
    apply: (i) => {
      delete i.translation;
      i.error = 'unexpected member';
    },
  },
  { check: 'didbridge.translation.produces', what: 'changes is not a list', base: 'translation.legacy-document', apply: (i) => void (i.translation.changes = {}) },
  { check: 'didbridge.translation.change-pointers', what: 'a from pointer to nothing', base: 'translation.legacy-document', apply: (i) => void (i.translation.changes[1].from = '/publicKeys') },
  { check: 'didbridge.translation.change-pointers', what: 'a to pointer to nothing', base: 'translation.legacy-document', apply: (i) => void (i.translation.changes[3].to = '#metadata/updated') },
  { check: 'didbridge.translation.change-pointers', what: 'no reason', base: 'translation.legacy-document', apply: (i) => void (i.translation.changes[0].reason = '') },
  { check: 'didbridge.translation.golden', what: 'a relationship the golden file does not have', base: 'translation.legacy-document', apply: (i) => void (i.translation.didDocument.assertionMethod = ['did:example:123456789abcdefghi#key-1']) },
  { check: 'didbridge.translation.golden', what: 'different metadata', base: 'translation.legacy-document', apply: (i) => void (i.translation.didDocumentMetadata.created = '2021-05-10T06:23:39Z') },
  { check: 'didbridge.translation.golden', what: 'a rule the golden file does not list', base: 'translation.legacy-document', apply: (i) => void (i.translation.changes[0].rule = 'example.context-replaced') },
];

/** The subject of each base fixture name. */
export function subjectOf(base: string): keyof SubjectInputs {
  return base.split('.')[0] as keyof SubjectInputs;
}
