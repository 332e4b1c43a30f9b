/**
 * DID URL dereferencing checks: the dereferencing result and what a DID URL must dereference to (the document, a
 * node named by a fragment, the selected services, service endpoint URLs), and the errors the algorithm requires.
 *
 * The whole dereferencing section of DID Resolution is marked at risk; the checks follow the CR text
 * (w3c/did-resolution@77571c5). Results may carry the content as `contentStream` (the function's signature, a byte
 * stream: here JSON text) or `content` (the spec's examples and the Universal Resolver); both are read.
 * @see https://w3c.github.io/did-resolution/#dereferencing
 */
import { ERROR_TYPE_BASE, MediaType } from '../../src/spec.js';
import { parseDidUrl, type ParsedDidUrl } from '../../src/syntax/did-url.js';
import { OutcomeCollector, type Check, type CheckOutcome, type DereferencingUnderTest } from '../catalogue.js';
import { DID_RESOLUTION } from './resolution.js';
import {
  ERROR_OF_OUTCOME,
  errorNameOf,
  has,
  isAscii,
  isErrorOutcome,
  isMap,
  jsonEqual,
  jsonDiff,
  describeDifference,
  member,
  mediaTypeOf,
  nonMetadataValues,
  show,
  typeName,
} from './shared.js';

const TR = 'https://www.w3.org/TR/did-core/';

type DereferencingCheck = Check<'dereferencing'>;

/** A view of a dereferencing result that never throws. */
export interface DereferencingView {
  result: unknown;
  metadata: Record<string, unknown> | undefined;
  contentMetadata: Record<string, unknown> | undefined;
  /** Whether either content member is present. */
  hasContentKey: boolean;
  /** The content as a value: `content` when set, else `contentStream` (JSON text parsed when it parses). */
  content: unknown;
  error: unknown;
  hasError: boolean;
  /** The DID URL, parsed, when it parses. */
  url: ParsedDidUrl | undefined;
}

/** Reads the content of a dereferencing result (see {@link DereferencingView.content}). */
export function contentOf(result: unknown): unknown {
  const content = member(result, 'content');
  if (content !== undefined && content !== null) return content;
  const stream = member(result, 'contentStream');
  if (typeof stream === 'string') {
    const type = mediaTypeOf(typeof member(member(result, 'dereferencingMetadata'), 'contentType') === 'string'
      ? (member(member(result, 'dereferencingMetadata'), 'contentType') as string)
      : undefined);
    if (type === MediaType.UriList) return stream;
    try {
      return JSON.parse(stream) as unknown;
    } catch {
      return stream;
    }
  }
  return stream;
}

function isEmptyContent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function dereferencingView(input: DereferencingUnderTest): DereferencingView {
  const { result } = input;
  const metadata = member(result, 'dereferencingMetadata');
  const contentMetadata = member(result, 'contentMetadata');
  const error = member(metadata, 'error');
  let url: ParsedDidUrl | undefined;
  try {
    url = parseDidUrl(input.didUrl);
  } catch {
    url = undefined;
  }
  return {
    result,
    metadata: isMap(metadata) ? metadata : undefined,
    contentMetadata: isMap(contentMetadata) ? contentMetadata : undefined,
    hasContentKey: has(result, 'contentStream') || has(result, 'content'),
    content: contentOf(result),
    error,
    hasError: error !== undefined && error !== null,
    url,
  };
}

function dereferencingCheck(
  info: Omit<DereferencingCheck, 'subject' | 'run'>,
  run: (view: DereferencingView, input: DereferencingUnderTest, out: OutcomeCollector) => string,
): DereferencingCheck {
  return {
    ...info,
    subject: 'dereferencing',
    run(input: DereferencingUnderTest): CheckOutcome[] {
      const out = new OutcomeCollector();
      return out.done(run(dereferencingView(input), input, out));
    },
  };
}

const NO_METADATA = 'dereferencingMetadata is not a map (see did-resolution.dereferencing.structure)';

function isDeactivated(view: DereferencingView): boolean {
  return view.contentMetadata?.deactivated === true;
}

/** Whether the URL names the DID document itself (no path, query or fragment). */
function namesDocument(url: ParsedDidUrl | undefined): boolean {
  return url !== undefined && url.path === '' && url.query === undefined && url.fragment === undefined;
}

function selectsServices(url: ParsedDidUrl | undefined): boolean {
  return url !== undefined && url.params.some(([name]) => name === 'service' || name === 'serviceType');
}

function acceptOf(input: DereferencingUnderTest): string | undefined {
  return typeof input.options?.accept === 'string' ? input.options.accept : undefined;
}

const structure = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.structure',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement:
      'The return values of dereference are dereferencingMetadata (a metadata structure; REQUIRED), contentStream, ' +
      'and contentMetadata (a metadata structure, empty when dereferencing is unsuccessful).',
    source: 'paraphrased',
    note:
      'From the signature dereference(didUrl, dereferenceOptions) → « dereferencingMetadata, contentStream, ' +
      'contentMetadata » and the descriptions of the three values. The spec\'s examples and the Universal Resolver ' +
      'name the content `content`; either name is accepted here.',
  },
  ({ result, metadata, contentMetadata, hasContentKey }, _input, out) => {
    if (!isMap(result)) {
      out.fail('', `the result is ${typeName(result)}, not a map of the three return values`);
      return '';
    }
    if (metadata) out.pass('/dereferencingMetadata');
    else out.fail('/dereferencingMetadata', `dereferencingMetadata is ${typeName(member(result, 'dereferencingMetadata'))}, not a map`);
    if (hasContentKey) out.pass('/contentStream');
    else out.fail('/contentStream', 'neither contentStream nor content is present (null when there is no content)');
    if (contentMetadata) out.pass('/contentMetadata');
    else out.fail('/contentMetadata', `contentMetadata is ${typeName(member(result, 'contentMetadata'))}, not a map`);
    return '';
  },
);

const errorPresent = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.error-present',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement: 'If the dereferencing is unsuccessful, this structure MUST contain an error property describing the error.',
    source: 'quoted',
    note: 'Said of dereferencingMetadata. Applies to inputs the target expects to fail.',
  },
  ({ metadata, hasError }, input, out) => {
    if (!isErrorOutcome(input.expectedOutcome)) return 'the target expects this dereferencing to succeed';
    if (!metadata) return NO_METADATA;
    if (hasError) out.pass('/dereferencingMetadata/error');
    else out.fail('/dereferencingMetadata', `expected ${input.expectedOutcome}, but dereferencingMetadata has no error`);
    return '';
  },
);

const errorContentEmpty = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.error-content-empty',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement: 'If the dereferencing is unsuccessful, this value MUST be empty.',
    source: 'quoted',
    note: 'Said of contentStream (and read for content too); the algorithm returns contentStream: null on errors.',
  },
  ({ result, hasError }, _input, out) => {
    if (!hasError) return 'the dereferencing did not fail';
    for (const name of ['contentStream', 'content']) {
      if (!has(result, name)) continue;
      const value = member(result, name);
      if (isEmptyContent(value)) out.pass(`/${name}`);
      else out.fail(`/${name}`, `the dereferencing failed, yet ${name} is ${show(value)}`);
    }
    return 'the result has no contentStream or content (see did-resolution.dereferencing.structure)';
  },
);

const errorMetadataEmpty = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.error-metadata-empty',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement: 'If the dereferencing is unsuccessful, this output MUST be an empty metadata structure.',
    source: 'quoted',
    note: 'Said of contentMetadata.',
  },
  ({ hasError, contentMetadata }, _input, out) => {
    if (!hasError) return 'the dereferencing did not fail';
    if (!contentMetadata) return 'contentMetadata is not a map (see did-resolution.dereferencing.structure)';
    const keys = Object.keys(contentMetadata);
    if (keys.length === 0) out.pass('/contentMetadata');
    else out.fail('/contentMetadata', `the dereferencing failed, yet contentMetadata has ${keys.slice(0, 5).join(', ')}`);
    return '';
  },
);

const content = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.content',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement: 'If the dereferencing function was called and successful, this MUST contain a resource corresponding to the DID URL.',
    source: 'quoted',
    note:
      'Said of contentStream. Machine-testable part here: the content is present. What it must be for each kind of ' +
      'DID URL is tested by did-resolution.dereferencing.document, .fragment, .service-selection and .uri-list. A ' +
      'deactivated DID has no resource (the HTTP binding answers 410), so it is exempt.',
  },
  (view, input, out) => {
    if (view.hasError) return 'the dereferencing failed';
    if (isErrorOutcome(input.expectedOutcome)) return 'the target expected an error (see did-resolution.dereferencing.error-present)';
    if (!view.metadata) return NO_METADATA;
    if (!view.hasContentKey) return 'the result has no contentStream or content (see did-resolution.dereferencing.structure)';
    if (isDeactivated(view)) return 'the DID is deactivated';
    if (isEmptyContent(view.content)) out.fail('/contentStream', 'the dereferencing succeeded without content');
    else out.pass('/contentStream');
    return '';
  },
);

const document = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.document',
    section: `${DID_RESOLUTION}#dereferencing-algorithm-resource`,
    level: 'MUST',
    statement:
      'If the input DID URL contains no DID path and no DID query: The DID URL dereferencer MUST return the resolved ' +
      'DID document',
    source: 'quoted',
    note: 'Machine-testable part: the content is a DID document whose id is the DID of the DID URL.',
  },
  (view, _input, out) => {
    if (view.hasError || !namesDocument(view.url) || isDeactivated(view)) {
      return 'the DID URL does not name a DID document, or there is none (error, deactivated)';
    }
    if (isEmptyContent(view.content)) return 'there is no content (see did-resolution.dereferencing.content)';
    const did = view.url!.did;
    if (!isMap(view.content)) out.fail('/contentStream', `the content is ${typeName(view.content)}, not a DID document`);
    else if (view.content.id !== did) out.fail('/contentStream/id', `the document id is ${show(view.content.id)}, not ${did}`);
    else out.pass('/contentStream');
    return '';
  },
);

/** The absolute form of a node id in the document of `did` (`#x` and `did#x`), or the id as is. */
function absoluteId(id: unknown, did: string): unknown {
  return typeof id === 'string' && (id.startsWith('#') || id.startsWith('?') || id.startsWith('/')) ? did + id : id;
}

const fragment = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.fragment',
    section: `${DID_RESOLUTION}#dereferencing-algorithm-fragment`,
    level: 'MUST',
    statement:
      'Dereferencing a DID URL whose fragment names a node of the DID document (a verification method or a service) ' +
      'MUST return that node: a map whose id, made absolute against the DID, equals the DID URL.',
    source: 'derived',
    note:
      '§ Dereferencing the Fragment: fragment dereferencing "is dependent on the media type" of the resource; DID ' +
      'documents follow the JSON-LD fragment rules (DID Core §7.2.2, "#key-1" selects the node whose id is ' +
      '<did>#key-1), and the fragment algorithm "Return[s] the verificationMethod". URLs that also select services ' +
      'apply the fragment to the endpoint URLs instead and are exempt.',
  },
  (view, _input, out) => {
    const url = view.url;
    if (view.hasError || !url || url.fragment === undefined || selectsServices(url) || url.path !== '' || url.query !== undefined) {
      return 'the DID URL does not name a node by fragment, or dereferencing failed';
    }
    if (isEmptyContent(view.content)) return 'there is no content (see did-resolution.dereferencing.content)';
    const wanted = `${url.did}#${url.fragment}`;
    if (!isMap(view.content)) out.fail('/contentStream', `the content is ${typeName(view.content)}, not the node with id ${wanted}`);
    else if (absoluteId(view.content.id, url.did) !== wanted) {
      out.fail('/contentStream/id', `the content has id ${show(view.content.id)}, not ${wanted}`);
    } else out.pass('/contentStream/id');
    return '';
  },
);

const serviceSelection = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.service-selection',
    section: `${DID_RESOLUTION}#dereferencing-algorithm-resource`,
    level: 'MUST',
    statement:
      'Select the service if its id property matches the value of the service DID parameter. If the id property or ' +
      'the service DID parameter or both contain relative references, the corresponding absolute URIs MUST be ' +
      'resolved and used for determining the match',
    source: 'quoted',
    note:
      'Checked on the document output ("Update the services in the resolved DID document to contain only the ' +
      'selected services"): every service returned matches service and serviceType, and at least one is returned. ' +
      'The text/uri-list output is did-resolution.dereferencing.uri-list.',
  },
  (view, _input, out) => {
    const url = view.url;
    if (view.hasError || !url || !selectsServices(url)) return 'the DID URL selects no service, or dereferencing failed';
    if (isEmptyContent(view.content)) return 'there is no content (see did-resolution.dereferencing.content)';
    if (!isMap(view.content)) return 'the output is not a DID document (a list of URLs is did-resolution.dereferencing.uri-list)';
    const wantedId = url.params.find(([n]) => n === 'service')?.[1];
    const wantedType = url.params.find(([n]) => n === 'serviceType')?.[1];
    const services = view.content.service;
    if (!Array.isArray(services) || services.length === 0) {
      out.fail('/contentStream/service', 'the document returned has no selected service');
      return '';
    }
    const wantedAbsolute = wantedId === undefined ? undefined : wantedId.startsWith('did:') ? wantedId : `${url.did}#${wantedId.replace(/^#/, '')}`;
    services.forEach((service, i) => {
      const at = `/contentStream/service/${i}`;
      const id = absoluteId(member(service, 'id'), url.did);
      const type = member(service, 'type');
      if (wantedAbsolute !== undefined && id !== wantedAbsolute) out.fail(at, `service ${show(id)} does not match service=${wantedId}`);
      else if (wantedType !== undefined && !(type === wantedType || (Array.isArray(type) && type.includes(wantedType)))) {
        out.fail(at, `service type ${show(type)} does not match serviceType=${wantedType}`);
      } else out.pass(at);
    });
    return '';
  },
);

/** An absolute URI (a scheme and no whitespace). */
function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value);
}

const uriList = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.uri-list',
    section: `${DID_RESOLUTION}#dereferencing-algorithm-resource`,
    level: 'MUST',
    statement:
      'A DID URL dereferencer asked for text/uri-list while selecting services MUST return the selected service ' +
      'endpoint URLs, with the content type text/uri-list.',
    source: 'derived',
    note:
      'The algorithm: "If the value of the accept input DID URL deferencing option is text/uri-list: Return the ' +
      'following result: … content: « selected service endpoint URLs » contentMetadata: «[ "contentType" → ' +
      '"text/uri-list", ... ]»". The content type is read from dereferencingMetadata, where the HTTP binding looks ' +
      'for it (the algorithm\'s contentMetadata placement is an evident slip). URLs are absolute (RFC 3986 §5 ' +
      'resolution against absolute endpoints).',
  },
  (view, input, out) => {
    const url = view.url;
    if (view.hasError || !url || !selectsServices(url) || mediaTypeOf(acceptOf(input)) !== MediaType.UriList) {
      return 'the DID URL does not ask for service endpoint URLs, or dereferencing failed';
    }
    if (!view.metadata) return NO_METADATA;
    const type = view.metadata.contentType;
    if (typeof type !== 'string' || mediaTypeOf(type) !== MediaType.UriList) {
      out.fail('/dereferencingMetadata/contentType', `contentType is ${show(type)}, not text/uri-list`);
    }
    const list = Array.isArray(view.content)
      ? view.content
      : typeof view.content === 'string'
        ? view.content.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'))
        : undefined;
    if (!list || list.length === 0) out.fail('/contentStream', `the content is ${show(view.content)}, not a list of URLs`);
    else {
      list.forEach((item, i) => {
        if (typeof item === 'string' && isAbsoluteUri(item.trim())) out.pass(`/contentStream/${i}`);
        else out.fail(`/contentStream/${i}`, `${show(item)} is not an absolute URL`);
      });
    }
    return '';
  },
);

const contentMetadataDocument = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.content-metadata-document',
    section: `${DID_RESOLUTION}#dereferencing`,
    level: 'MUST',
    statement: 'If the contentStream is a DID document, this MUST be a didDocumentMetadata structure as described in DID Resolution.',
    source: 'quoted',
    note:
      'Said of contentMetadata. Tested against the resolution of the same DID by the same target: the algorithm ' +
      'returns contentMetadata «[ resolved DID document metadata ]».',
  },
  (view, input, out) => {
    if (view.hasError || !namesDocument(view.url)) return 'the DID URL does not name a DID document, or dereferencing failed';
    if (!view.contentMetadata) return 'contentMetadata is not a map (see did-resolution.dereferencing.structure)';
    const resolved = member(input.resolution, 'didDocumentMetadata');
    if (!isMap(resolved) || member(member(input.resolution, 'didResolutionMetadata'), 'error') !== undefined) {
      return 'the target made no successful resolution of this DID to compare with';
    }
    if (jsonEqual(view.contentMetadata, resolved)) out.pass('/contentMetadata');
    else {
      for (const d of jsonDiff(resolved, view.contentMetadata, 5, '/contentMetadata')) {
        out.fail(d.pointer, `differs from the resolution's didDocumentMetadata: ${describeDifference(d)}`);
      }
    }
    return '';
  },
);

function dereferencingOutcomeCheck(
  id: string,
  outcome: keyof typeof ERROR_OF_OUTCOME,
  section: string,
  statement: string,
  extra: { source?: 'quoted' | 'derived'; note?: string } = {},
): DereferencingCheck {
  const wanted = ERROR_OF_OUTCOME[outcome]!;
  return dereferencingCheck(
    { id, section, level: 'MUST', statement, source: extra.source ?? 'quoted', ...(extra.note ? { note: extra.note } : {}) },
    ({ metadata, hasError, error }, input, out) => {
      if (input.expectedOutcome !== outcome) return `the target does not expect ${wanted} for this input`;
      if (!metadata) return NO_METADATA;
      if (!hasError) return 'there is no error (see did-resolution.dereferencing.error-present)';
      const name = errorNameOf(error);
      if (name === wanted) out.pass('/dereferencingMetadata/error');
      else out.fail('/dereferencingMetadata/error', `expected ${wanted} for ${show(input.didUrl)}, got ${name ?? show(error)}`);
      return '';
    },
  );
}

const invalidDidUrl = dereferencingOutcomeCheck(
  'did-resolution.dereferencing.invalid-did-url',
  'invalidDidUrlErrorOutcome',
  `${DID_RESOLUTION}#dereferencing-algorithm`,
  'Validate that the input DID URL conforms to the `did-url` rule of the DID URL Syntax. If not, the DID URL ' +
    `dereferencer MUST return the following result: dereferencingMetadata: error object with type set to ${ERROR_TYPE_BASE}INVALID_DID_URL`,
);

const notFound = dereferencingOutcomeCheck(
  'did-resolution.dereferencing.not-found',
  'notFoundErrorOutcome',
  `${DID_RESOLUTION}#dereferencing-algorithm`,
  'If the input DID does not exist in the VDR, the DID URL dereferencer MUST return the following result: ' +
    `dereferencingMetadata: error object with type set to ${ERROR_TYPE_BASE}NOT_FOUND`,
  {
    note:
      'Also applied to DID URLs whose path, query or fragment names nothing: the algorithm answers NOT_FOUND when ' +
      '"neither this algorithm, nor the applicable DID method, nor an extension, nor the client is able to ' +
      'dereference the input DID URL".',
  },
);

const representationNotSupported = dereferencingOutcomeCheck(
  'did-resolution.dereferencing.representation-not-supported',
  'representationNotSupportedErrorOutcome',
  `${DID_RESOLUTION}#dereferencing-algorithm-resource`,
  'A DID URL dereferencer asked for a media type it cannot produce for the selected resource MUST return the error ' +
    'REPRESENTATION_NOT_SUPPORTED.',
  {
    source: 'derived',
    note:
      'Service selection: "Otherwise, return the following result: dereferencingMetadata: error object with type ' +
      `set to ${ERROR_TYPE_BASE}REPRESENTATION_NOT_SUPPORTED"; the HTTP binding maps it to 406.`,
  },
);

const contentTypePresent = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.content-type',
    section: `${DID_RESOLUTION}#did-url-dereferencing-metadata`,
    level: 'SHOULD',
    statement: 'The Media Type of the returned contentStream SHOULD be expressed using this property if dereferencing is successful.',
    source: 'quoted',
    note: 'Said of contentType in dereferencingMetadata. A deactivated DID has no content to describe.',
  },
  (view, _input, out) => {
    if (view.hasError) return 'the dereferencing failed';
    if (!view.metadata) return NO_METADATA;
    if (isDeactivated(view) || isEmptyContent(view.content)) return 'there is no content';
    if (has(view.metadata, 'contentType')) out.pass('/dereferencingMetadata/contentType');
    else out.fail('/dereferencingMetadata', 'the dereferencing succeeded, but contentType is absent');
    return '';
  },
);

const contentTypeAscii = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.content-type-ascii',
    section: `${DID_RESOLUTION}#did-url-dereferencing-metadata`,
    level: 'MUST',
    statement: 'The Media Type value MUST be expressed as an ASCII string.',
    source: 'quoted',
    note: 'Said of contentType in dereferencingMetadata; a media type is type/subtype with optional parameters (RFC 6838).',
  },
  (view, _input, out) => {
    if (!view.metadata) return NO_METADATA;
    if (!has(view.metadata, 'contentType')) return 'dereferencingMetadata has no contentType';
    const value = view.metadata.contentType;
    const at = '/dereferencingMetadata/contentType';
    if (typeof value !== 'string') out.fail(at, `contentType is ${typeName(value)}, not a string`);
    else if (!isAscii(value) || !/^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;.*)?$/.test(value)) {
      out.fail(at, `contentType ${show(value)} is not an ASCII media type`);
    } else out.pass(at);
    return '';
  },
);

const contentStreamKey = dereferencingCheck(
  {
    id: 'did-resolution.dereferencing.content-stream-key',
    section: `${DID_RESOLUTION}#did-url-dereferencing-result`,
    level: 'SHOULD',
    statement:
      'A dereferencing result SHOULD carry its content under both names consumers read: contentStream (the ' +
      'function\'s signature) and content (the spec\'s examples and the Universal Resolver).',
    source: 'derived',
    note:
      'resolver-contract.md §4.6: the CCG did-resolution test suite requires contentStream; the Universal Resolver ' +
      'emits content and accepts both. Emitting both passes everywhere.',
  },
  ({ result }, _input, out) => {
    if (!isMap(result)) return 'the result is not a map (see did-resolution.dereferencing.structure)';
    const missing = ['contentStream', 'content'].filter((n) => !has(result, n));
    if (missing.length === 2) return 'the result has no content member (see did-resolution.dereferencing.structure)';
    if (missing.length === 0) out.pass('');
    else out.fail(`/${missing[0]}`, `${missing[0]} is absent; consumers reading only that name see no content`);
    return '';
  },
);

const metadataStructure = dereferencingCheck(
  {
    id: 'did-core.dereferencing.metadata-structure',
    section: `${TR}#metadata-structure`,
    level: 'MUST',
    statement:
      'The structure used to communicate this metadata MUST be a map of properties. Each property name MUST be a ' +
      'string. Each property value MUST be a string, map, list, set, boolean, or null. The values within any complex ' +
      'data structures such as maps and lists MUST be one of these data types as well.',
    source: 'quoted',
    note:
      'Applied to dereferencingMetadata (DID Core §7.2 defines it as a metadata structure). Content metadata of a ' +
      'dereferenced DID document is the document metadata, checked by did-core.metadata.structure.',
  },
  ({ metadata, result }, _input, out) => {
    if (member(result, 'dereferencingMetadata') === undefined) return 'there is no dereferencingMetadata (see did-resolution.dereferencing.structure)';
    if (!metadata) return NO_METADATA;
    const found: Array<{ at: string; why: string }> = [];
    nonMetadataValues(metadata, '/dereferencingMetadata', found);
    for (const f of found) out.fail(f.at, f.why);
    if (found.length === 0) out.pass('/dereferencingMetadata');
    return '';
  },
);

/** The DID URL dereferencing checks, in catalogue order. */
export const DEREFERENCING_CHECKS: readonly DereferencingCheck[] = [
  structure,
  errorPresent,
  errorContentEmpty,
  errorMetadataEmpty,
  content,
  document,
  fragment,
  serviceSelection,
  uriList,
  contentMetadataDocument,
  invalidDidUrl,
  notFound,
  representationNotSupported,
  contentTypePresent,
  contentTypeAscii,
  contentStreamKey,
  metadataStructure,
];
