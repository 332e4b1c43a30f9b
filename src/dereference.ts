/**
 * DID URL dereferencing: from a DID URL to the resource it names (the DID document, a verification method, a
 * service, the selected services, or the URLs of service endpoints).
 *
 * `dereference()` never throws for bad input or failed resolution: every outcome is a dereferencing result, with
 * errors as RFC 9457 objects in `dereferencingMetadata.error`, `content` and `contentStream` null and
 * `contentMetadata` empty.
 *
 * Service endpoint URLs are computed, never fetched, so dereferencing cannot loop through endpoints; the remaining
 * loops (decoding rounds, emitted URLs) have fixed bounds.
 *
 * @see https://w3c.github.io/did-resolution/#dereferencing-algorithm
 * @see https://www.w3.org/TR/did-core/#did-parameters
 */
import { cacheTtlMsOf, withCacheTtl } from './cache.js';
import { DidBridgeError, toDidBridgeError } from './errors.js';
import { parseAccept, rangeMatches } from './representation.js';
import type { Resolver } from './resolver.js';
import {
  DOCUMENT_MEDIA_TYPES,
  MediaType,
  type DIDDocument,
  type DereferencingOptions,
  type DereferencingResult,
  type DocumentMediaType,
  type ProblemDetails,
  type ResolutionOptions,
} from './spec.js';
import { parseDid, parseDidUrl, type ParsedDidUrl } from './syntax/did-url.js';
import { isDidDatetime } from './util/datetime.js';

/**
 * A dereferencing result, plus the selected URLs when the client asked for `text/uri-list`.
 *
 * On success both `content` (the value: a document, a verification method, a service, or the uri-list text) and
 * `contentStream` (its serialisation as a string: JSON text, or the uri-list text) are set, because consumers are
 * split between the two names (resolver-contract §4.6).
 */
export interface DereferenceOutcome extends DereferencingResult {
  /** text/uri-list: the selected URLs (HTTP answers 303 + Location: first). */
  uriList?: string[];
}

/** The query parameters a DID URL may carry here: DID Core §3.2.1 plus DID Resolution's `serviceType`. */
const KNOWN_PARAMETERS = new Set(['service', 'serviceType', 'relativeRef', 'versionId', 'versionTime', 'hl']);

/** How many times a `relativeRef` is percent-decoded while looking for hidden `..` segments. */
const MAX_DECODE_ROUNDS = 4;

/** At most this many URLs go into one uri-list (a document can list any number of endpoints). */
export const MAX_URI_LIST_LENGTH = 1000;

/** Media ranges that ask for the whole result rather than a representation of the content; they state no preference. */
const RESULT_MEDIA_TYPES = new Set<string>([MediaType.DidUrlDereferencing, MediaType.DidResolution]);

/** A verification method must not carry these JWK members: they are private key material (RFC 7517, RFC 7518 §6). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

type OutputChoice =
  | { kind: 'document'; mediaType: DocumentMediaType | undefined }
  | { kind: 'uri-list' }
  | { kind: 'unsupported'; accept: string };

/** The error form of a dereferencing result. */
function errorOutcome(error: ProblemDetails): DereferenceOutcome {
  return { dereferencingMetadata: { error }, contentStream: null, content: null, contentMetadata: {} };
}

function invalidUrl(detail: string): DidBridgeError {
  return new DidBridgeError('INVALID_DID_URL', detail);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Printable ASCII only: DID Core requires ASCII, and control characters have no business in a parameter. */
function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]+$/.test(value);
}

/**
 * Reads the accept option into what to produce. Ranges asking for the whole result (`application/did-url-
 * dereferencing`) carry no preference about the content and are skipped; the first remaining range, by q and
 * specificity, that matches a DID document type or `text/uri-list` decides.
 */
function chooseOutput(accept: string | undefined): OutputChoice {
  if (accept === undefined || accept.trim() === '') return { kind: 'document', mediaType: undefined };
  const ranges = parseAccept(accept).filter((r) => !RESULT_MEDIA_TYPES.has(r.type));
  if (ranges.length === 0) return { kind: 'document', mediaType: undefined };
  for (const range of ranges) {
    // As in resolution (resolver-contract §3.2), plain JSON and JSON-LD ask for the document.
    if (range.type === MediaType.Json || range.type === MediaType.LdJson) return { kind: 'document', mediaType: MediaType.Did };
    const documentType = DOCUMENT_MEDIA_TYPES.find((t) => rangeMatches(range, t));
    if (documentType) return { kind: 'document', mediaType: range.type.includes('*') ? MediaType.Did : documentType };
    if (rangeMatches(range, MediaType.UriList)) return { kind: 'uri-list' };
  }
  return { kind: 'unsupported', accept };
}

/** DID parameters read from the query, each at most once. */
interface DidParameters {
  service?: string;
  serviceType?: string;
  relativeRef?: string;
  versionId?: string;
  versionTime?: string;
  hl?: string;
  /** Query parameters that are not DID parameters (their meaning would be method-defined). */
  other: string[];
}

/** Percent-decoding stages of a value, bounded: the value, then each further decoding while it changes. */
function decodingStages(value: string): string[] {
  const stages = [value];
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    if (!/%[0-9A-Fa-f]{2}/.test(current)) return stages;
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // Not UTF-8 once decoded: decode the ASCII-range escapes only, which is all that can spell "." "/" or "\".
      next = current.replace(/%([0-7][0-9A-Fa-f])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) return stages;
    stages.push(next);
    current = next;
  }
  if (/%[0-9A-Fa-f]{2}/.test(current)) {
    throw invalidUrl(`"relativeRef" is percent-encoded more than ${MAX_DECODE_ROUNDS} times over`);
  }
  return stages;
}

/** RFC 3986 §4.1 URI-reference characters: unreserved, reserved, and well-formed pct-encoded octets. */
const URI_REFERENCE_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * Checks `relativeRef` (already percent-decoded once, as a query value) before it is resolved against endpoints:
 * it must be a relative reference (RFC 3986 §4.2) that keeps the endpoint's scheme and authority, and no decoding
 * of it may reveal a `..` segment (`../`, `%2E%2E%2F`, `%252E%252E%252F`, with `/` or `\`).
 */
function checkRelativeRef(value: string): void {
  if (!URI_REFERENCE_CHARS.test(value)) {
    throw invalidUrl('"relativeRef" must be an RFC 3986 relative reference (reserved and unreserved characters only)');
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.startsWith('//')) {
    throw invalidUrl('"relativeRef" must be relative to the service endpoint, without a scheme or authority');
  }
  for (const stage of decodingStages(value)) {
    const path = stage.replace(/[?#].*$/s, '');
    if (path.split(/[/\\]/).some((segment) => segment === '..')) {
      throw invalidUrl('"relativeRef" must not climb out of the service endpoint with ".." segments');
    }
  }
}

/** Reads and checks the DID parameters (DID Core §3.2.1; resolver-contract §4.5 security notes). */
function readDidParameters(url: ParsedDidUrl): DidParameters {
  const out: DidParameters = { other: [] };
  const seen = new Set<string>();
  for (const [name, value] of url.params) {
    // One meaning per name: a repeated parameter is ambiguous, and the classic vehicle for parameter injection.
    if (seen.has(name)) throw invalidUrl(`query parameter "${name.slice(0, 64)}" appears more than once`);
    seen.add(name);
    if (!KNOWN_PARAMETERS.has(name)) {
      out.other.push(name);
      continue;
    }
    if (value === '' || !isPrintableAscii(value)) {
      throw invalidUrl(`DID parameter "${name}" must be a non-empty ASCII string (DID Core §3.2.1)`);
    }
    (out as unknown as Record<string, string>)[name] = value;
  }
  if (out.versionTime !== undefined && !isDidDatetime(out.versionTime)) {
    throw invalidUrl(
      '"versionTime" must be an XML datetime normalised to UTC without sub-seconds, e.g. 2020-12-20T19:17:47Z ' +
        '(DID Core §3.2.1)',
    );
  }
  if (out.relativeRef !== undefined) {
    if (out.service === undefined && out.serviceType === undefined) {
      throw invalidUrl('"relativeRef" is only meaningful together with "service" or "serviceType"');
    }
    checkRelativeRef(out.relativeRef);
  }
  return out;
}

/** The fragment an id names in a document whose DID is one of `bases` (`#x`, `did:...#x`), or undefined. */
function fragmentOf(id: unknown, bases: readonly string[]): string | undefined {
  if (typeof id !== 'string') return undefined;
  if (id.startsWith('#')) return id.slice(1);
  for (const base of bases) {
    if (id.length > base.length && id.startsWith(base) && id[base.length] === '#') return id.slice(base.length + 1);
  }
  return undefined;
}

/** `service` may name a service as `agent`, `#agent` or a full DID URL; returns the fragment it means. */
function wantedServiceFragment(value: string, bases: readonly string[]): string {
  return fragmentOf(value, bases) ?? value;
}

function typeMatches(type: unknown, wanted: string): boolean {
  return type === wanted || (Array.isArray(type) && type.includes(wanted));
}

/** The string endpoints of a service: a string, or the strings of a set; maps are skipped (DID Resolution §5). */
function stringEndpoints(endpoint: unknown): string[] {
  if (typeof endpoint === 'string') return [endpoint];
  if (Array.isArray(endpoint)) return endpoint.filter((e): e is string => typeof e === 'string');
  return [];
}

/** RFC 3986 Appendix B, anchored; groups: scheme, authority, path, query, fragment. */
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

interface UriParts {
  scheme: string | undefined;
  authority: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

function splitUri(uri: string): UriParts {
  const m = URI_PARTS.exec(uri) as RegExpExecArray; // every string matches Appendix B
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4], fragment: m[5] };
}

/** RFC 3986 §5.2.4 remove_dot_segments. */
function removeDotSegments(path: string): string {
  let input = path;
  const output: string[] = [];
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output.pop();
    } else if (input === '/..') {
      input = '/';
      output.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const segment = next < 0 ? input : input.slice(0, next);
      output.push(segment);
      input = next < 0 ? '' : input.slice(next);
    }
  }
  return output.join('');
}

/**
 * Resolves a reference against an absolute base URI, exactly as RFC 3986 §5.2 (strict parser), without the
 * normalisation the WHATWG URL parser applies, and for any scheme (WHATWG refuses bases like `urn:`).
 */
export function resolveUriReference(base: string, reference: string): string {
  const b = splitUri(base);
  const r = splitUri(reference);
  let t: UriParts;
  if (r.scheme !== undefined) {
    t = { ...r, path: removeDotSegments(r.path) };
  } else if (r.authority !== undefined) {
    t = { ...r, scheme: b.scheme, path: removeDotSegments(r.path) };
  } else if (r.path === '') {
    t = { scheme: b.scheme, authority: b.authority, path: b.path, query: r.query ?? b.query, fragment: r.fragment };
  } else {
    let merged: string;
    if (r.path.startsWith('/')) merged = r.path;
    else if (b.authority !== undefined && b.path === '') merged = '/' + r.path;
    else merged = b.path.slice(0, b.path.lastIndexOf('/') + 1) + r.path;
    t = { scheme: b.scheme, authority: b.authority, path: removeDotSegments(merged), query: r.query, fragment: r.fragment };
  }
  let out = t.scheme === undefined ? '' : `${t.scheme}:`;
  if (t.authority !== undefined) out += `//${t.authority}`;
  out += t.path;
  if (t.query !== undefined) out += `?${t.query}`;
  if (t.fragment !== undefined) out += `#${t.fragment}`;
  return out;
}

/** An absolute URI made of URI characters only: endpoints come from documents others wrote, and end up in headers. */
function isAbsoluteUri(value: string): boolean {
  return URI_REFERENCE_CHARS.test(value) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

/** Upper-cases the hex digits of percent-encoded octets (RFC 3986 §6.2.2.1), decoding nothing. */
function normalisePercentEncoding(value: string): string {
  return value.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

/** Whether a verification method conforms to DID Core §5.2 well enough to be used. */
function conformingMethodProblem(vm: Record<string, unknown>): string | undefined {
  if (typeof vm.id !== 'string' || typeof vm.type !== 'string' || typeof vm.controller !== 'string') {
    return 'a verification method needs string "id", "type" and "controller" (DID Core §5.2)';
  }
  try {
    parseDid(vm.controller);
  } catch {
    return '"controller" of the verification method is not a DID (DID Core §5.2)';
  }
  if (vm.publicKeyJwk !== undefined) {
    if (!isObject(vm.publicKeyJwk)) return '"publicKeyJwk" must be a JSON Web Key object';
    const jwk = vm.publicKeyJwk;
    if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
      return '"publicKeyJwk" contains private key members (DID Core §5.2.1 forbids them)';
    }
  }
  return undefined;
}

/**
 * A node taken out of the document: its relative `id` / `controller` made absolute (out of the document they have no
 * base any more) and, for JSON-LD representations, the document's `@context` first.
 */
function standaloneNode(doc: DIDDocument, node: Record<string, unknown>): Record<string, unknown> {
  const { '@context': _ignored, ...rest } = node;
  const base = typeof doc.id === 'string' ? doc.id : '';
  for (const key of ['id', 'controller'] as const) {
    const value = rest[key];
    if (typeof value === 'string' && value.startsWith('#')) rest[key] = base + value;
  }
  return doc['@context'] === undefined ? rest : { '@context': doc['@context'], ...rest };
}

function success(
  content: unknown,
  contentType: string | undefined,
  contentMetadata: DereferencingResult['contentMetadata'],
): DereferenceOutcome {
  return {
    dereferencingMetadata: contentType === undefined ? {} : { contentType },
    content,
    contentStream: typeof content === 'string' || content === null ? content : JSON.stringify(content),
    contentMetadata,
  };
}

/**
 * Dereferences a DID URL through a resolver.
 *
 * - no path, query or fragment (or only `versionId` / `versionTime`): the DID document, with `contentMetadata` the
 *   document metadata;
 * - `service` and/or `serviceType` (with optional `relativeRef`, resolved per RFC 3986 §5 against each string
 *   endpoint): with `accept` absent or a DID document type, the document with only those services; with
 *   `text/uri-list`, the endpoint URLs (`uriList`, and the text in `content` / `contentStream`);
 * - a fragment: the verification method or service with that id, checked against `verificationRelationship` when
 *   given; with service parameters, the fragment is appended to each endpoint URL instead.
 *
 * Errors (RFC 9457, in `dereferencingMetadata.error`): INVALID_DID_URL for bad syntax, repeated parameters, non-ASCII
 * or empty DID parameter values, a `versionTime` that is not a normalised XML datetime, and `relativeRef` that
 * escapes its endpoint; resolution errors as resolution gives them (NOT_FOUND, METHOD_NOT_SUPPORTED,
 * INVALID_OPTIONS...); NOT_FOUND for unknown paths, query parameters, fragments and services;
 * REPRESENTATION_NOT_SUPPORTED for an `accept` that fits no output; FEATURE_NOT_SUPPORTED for `hl` (hashlinks are
 * not verified, so they are not silently ignored); INVALID_VERIFICATION_METHOD /
 * INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD for `verificationRelationship` checks.
 *
 * A deactivated DID dereferences, when bare, to `content: null` with `contentMetadata.deactivated: true`; anything
 * inside it is NOT_FOUND.
 *
 * @see https://w3c.github.io/did-resolution/#dereferencing-algorithm
 * @example
 * const r = await dereference(resolver, 'did:example:123?service=files&relativeRef=%2Fresume.pdf', {
 *   accept: 'text/uri-list',
 * })
 * r.uriList // ['https://files.example/resume.pdf']
 */
export async function dereference(
  resolver: Resolver,
  didUrl: string,
  options: DereferencingOptions = {},
): Promise<DereferenceOutcome> {
  const sink: { ttlMs?: number } = {};
  try {
    const outcome = await dereferenceOrThrow(resolver, didUrl, options, sink);
    return sink.ttlMs === undefined ? outcome : withCacheTtl(outcome, sink.ttlMs);
  } catch (err) {
    return errorOutcome(toDidBridgeError(err).toProblem());
  }
}

async function dereferenceOrThrow(
  resolver: Resolver,
  didUrl: string,
  options: DereferencingOptions,
  sink: { ttlMs?: number },
): Promise<DereferenceOutcome> {
  if (!isObject(options)) throw new DidBridgeError('INVALID_OPTIONS', 'dereferencing options must be an object');
  const { accept, verificationRelationship } = options;
  if (accept !== undefined && typeof accept !== 'string') {
    throw new DidBridgeError('INVALID_OPTIONS', '"accept" must be a string');
  }
  if (verificationRelationship !== undefined && (typeof verificationRelationship !== 'string' || verificationRelationship === '')) {
    throw new DidBridgeError('INVALID_OPTIONS', '"verificationRelationship" must be the name of a verification relationship');
  }

  // Step 1: syntax (throws INVALID_DID_URL), then the DID parameters.
  const url = parseDidUrl(didUrl, resolver.limits);
  const params = readDidParameters(url);
  for (const name of ['versionId', 'versionTime'] as const) {
    if (params[name] !== undefined && options[name] !== undefined && options[name] !== params[name]) {
      throw new DidBridgeError('INVALID_OPTIONS', `"${name}" is given both in the DID URL and as an option, differently`);
    }
  }
  const output = chooseOutput(accept);

  // Step 2: resolve, passing the dereferencing options and the version DID parameters as resolution options. The
  // accept option is passed only when it names a document representation: it describes the dereferenced content,
  // and `text/uri-list` is not something resolution can produce.
  const resolutionOptions: ResolutionOptions = { ...options };
  delete resolutionOptions.accept;
  if (output.kind === 'document' && output.mediaType !== undefined) resolutionOptions.accept = output.mediaType;
  if (params.versionId !== undefined) resolutionOptions.versionId = params.versionId;
  if (params.versionTime !== undefined) resolutionOptions.versionTime = params.versionTime;
  const resolution = await resolver.resolve(url.did, resolutionOptions);
  const resolutionError = resolution.didResolutionMetadata.error;
  if (resolutionError) return errorOutcome(resolutionError);
  sink.ttlMs = cacheTtlMsOf(resolution);

  if (output.kind === 'unsupported') {
    throw new DidBridgeError(
      'REPRESENTATION_NOT_SUPPORTED',
      `nothing this DID URL names can be produced as "${output.accept.slice(0, 200)}"; ` +
        `supported: ${[...DOCUMENT_MEDIA_TYPES, MediaType.UriList].join(', ')}`,
    );
  }

  // Step 6: paths and method-defined query parameters. No method here defines any.
  if (url.path !== '') throw new DidBridgeError('NOT_FOUND', `no resource at path "${url.path.slice(0, 200)}"`);
  if (params.other.length > 0) {
    throw new DidBridgeError('NOT_FOUND', `query parameter "${params.other[0]!.slice(0, 64)}" names no resource here`);
  }
  if (params.hl !== undefined) {
    throw new DidBridgeError('FEATURE_NOT_SUPPORTED', 'hashlinks ("hl") are not verified by this resolver');
  }
  const selectsServices = params.service !== undefined || params.serviceType !== undefined;
  if (verificationRelationship !== undefined && (url.fragment === undefined || selectsServices)) {
    throw new DidBridgeError('INVALID_OPTIONS', '"verificationRelationship" applies to a DID URL naming a verification method by fragment');
  }

  const deactivated = resolution.didDocumentMetadata.deactivated === true;
  const doc = resolution.didDocument;
  const contentType = resolution.didResolutionMetadata.contentType;
  if (!selectsServices && url.fragment === undefined) {
    // Step 4: the DID document itself.
    if (output.kind === 'uri-list') {
      throw new DidBridgeError('REPRESENTATION_NOT_SUPPORTED', 'a DID document cannot be given as text/uri-list');
    }
    if (deactivated || !doc) return success(null, undefined, resolution.didDocumentMetadata);
    return success(doc, contentType, resolution.didDocumentMetadata);
  }
  if (deactivated || !doc) {
    throw new DidBridgeError('NOT_FOUND', `${url.did.slice(0, 200)} is deactivated: it has no services or verification methods`);
  }
  const bases = [...new Set([doc.id, url.did].filter((b): b is string => typeof b === 'string'))];

  if (selectsServices) {
    // Step 5: service selection.
    const wanted = params.service === undefined ? undefined : wantedServiceFragment(params.service, bases);
    const services = (Array.isArray(doc.service) ? doc.service : []).filter(
      (s) =>
        isObject(s) &&
        (wanted === undefined || fragmentOf(s.id, bases) === wanted) &&
        (params.serviceType === undefined || typeMatches(s.type, params.serviceType)),
    );
    if (services.length === 0) {
      const which = [
        params.service === undefined ? '' : `id "${params.service}"`,
        params.serviceType === undefined ? '' : `type "${params.serviceType}"`,
      ].filter(Boolean);
      throw new DidBridgeError('NOT_FOUND', `no service with ${which.join(' and ')} in the DID document`);
    }
    if (output.kind === 'document') {
      return success({ ...doc, service: services }, contentType, resolution.didDocumentMetadata);
    }
    const uriList = serviceUrls(services, params.relativeRef, url.fragment);
    const text = uriList.map((u) => `${u}\r\n`).join('');
    return { ...success(text, MediaType.UriList, {}), uriList };
  }

  // Step 7: a fragment names a node of the document.
  if (output.kind === 'uri-list') {
    throw new DidBridgeError('REPRESENTATION_NOT_SUPPORTED', 'a part of a DID document cannot be given as text/uri-list');
  }
  return dereferenceFragment(doc, url.fragment!, bases, verificationRelationship, contentType);
}

/** Endpoint URLs of the selected services, with `relativeRef` resolved and the DID URL's fragment appended. */
function serviceUrls(services: readonly Record<string, unknown>[], relativeRef: string | undefined, fragment: string | undefined): string[] {
  const urls: string[] = [];
  let skipped = 0;
  for (const service of services) {
    for (const endpoint of stringEndpoints(service.serviceEndpoint)) {
      if (!isAbsoluteUri(endpoint)) {
        skipped++;
        continue;
      }
      let target = relativeRef === undefined ? endpoint : resolveUriReference(endpoint, normalisePercentEncoding(relativeRef));
      if (fragment !== undefined) {
        if (target.includes('#')) {
          throw invalidUrl(`the DID URL has a fragment and the service endpoint URL "${target.slice(0, 200)}" already has one`);
        }
        target += `#${fragment}`;
      }
      urls.push(target);
      if (urls.length >= MAX_URI_LIST_LENGTH) return urls;
    }
  }
  if (urls.length === 0) {
    throw new DidBridgeError(
      'NOT_FOUND',
      skipped > 0
        ? 'the selected services have no usable endpoint URL (endpoints that are not absolute URIs are skipped)'
        : 'the selected services have no endpoint URL (map endpoints cannot be listed)',
    );
  }
  return urls;
}

function dereferenceFragment(
  doc: DIDDocument,
  fragment: string,
  bases: readonly string[],
  relationship: string | undefined,
  contentType: string | undefined,
): DereferenceOutcome {
  const byFragment = (node: unknown): node is Record<string, unknown> =>
    isObject(node) && fragmentOf(node.id, bases) === fragment;
  const methods = Array.isArray(doc.verificationMethod) ? doc.verificationMethod : [];
  let method: Record<string, unknown> | undefined = methods.find(byFragment);
  if (!method) {
    for (const name of Object.keys(doc)) {
      const entries = doc[name];
      if (name === 'verificationMethod' || name === 'service' || !Array.isArray(entries)) continue;
      method = entries.find(byFragment);
      if (method) break;
    }
  }
  const service = method ? undefined : (Array.isArray(doc.service) ? doc.service : []).find(byFragment);
  const target = method ?? service;
  if (!target) throw new DidBridgeError('NOT_FOUND', `nothing in the DID document has the id "#${fragment.slice(0, 200)}"`);

  if (relationship !== undefined) {
    if (!method) {
      throw new DidBridgeError('INVALID_VERIFICATION_METHOD', `"#${fragment.slice(0, 200)}" is a service, not a verification method`);
    }
    const why = conformingMethodProblem(method);
    if (why) throw new DidBridgeError('INVALID_VERIFICATION_METHOD', why);
    const entries = Object.prototype.hasOwnProperty.call(doc, relationship) ? doc[relationship] : undefined;
    const authorised =
      Array.isArray(entries) &&
      entries.some((e) => (typeof e === 'string' ? fragmentOf(e, bases) === fragment : byFragment(e)));
    if (!authorised) {
      throw new DidBridgeError(
        'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
        `"#${fragment.slice(0, 200)}" is not authorised for "${relationship.slice(0, 64)}"`,
      );
    }
  }
  return success(standaloneNode(doc, target), contentType, {});
}
