/**
 * HTTP(S) binding checks (DID Resolution § HTTP(S) Binding) and the Universal Resolver driver contract (error
 * bodies, the descriptive endpoints `/1.0/methods`, `/1.0/testIdentifiers`, `/1.0/traits`, `/1.0/properties`, CORS).
 *
 * Each exchange is one request and its response as a live target recorded them. The body's own content (the
 * resolution result, the document, the error object) is checked by the resolution, document and error checks on
 * observations the target derives from the body (`conformance/observe.ts`), so these checks stay with what is
 * specific to HTTP: status codes, headers, and whether the body is the right kind of thing.
 * @see https://w3c.github.io/did-resolution/#bindings-https
 * @see resolver-contract.md §3
 */
import { parseErrorName } from '../../src/errors.js';
import { MediaType, type ErrorName } from '../../src/spec.js';
import { OutcomeCollector, type Check, type CheckOutcome, type HttpExchangeUnderTest } from '../catalogue.js';
import { DID_RESOLUTION, UNIVERSAL_RESOLVER } from './resolution.js';
import { DOCUMENT_TYPES, has, isMap, mediaTypeOf, member, show, tryJson, typeName } from './shared.js';

type HttpCheck = Check<'http'>;

/**
 * The status of each error (DID Resolution § HTTP(S) Binding); unlisted errors are 500.
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
export const BINDING_ERROR_STATUS: Partial<Record<ErrorName, number>> = {
  INVALID_DID: 400,
  INVALID_DID_URL: 400,
  INVALID_OPTIONS: 400,
  NOT_FOUND: 404,
  REPRESENTATION_NOT_SUPPORTED: 406,
  INVALID_DID_DOCUMENT: 500,
  METHOD_NOT_SUPPORTED: 501,
  FEATURE_NOT_SUPPORTED: 501,
  INTERNAL_ERROR: 500,
};

/** The status the binding requires for an error value (any spelling); 500 for errors it does not list. */
export function bindingStatusFor(error: unknown): number {
  const name = parseErrorName(error);
  return (name && BINDING_ERROR_STATUS[name]) ?? 500;
}

/** What an exchange's body is. */
export interface BodyView {
  json: unknown;
  parsed: boolean;
  /** A DID resolution result: a map with didResolutionMetadata (a map), didDocument and didDocumentMetadata (a map). */
  resolutionResult: boolean;
  /** A dereferencing result: dereferencingMetadata and contentMetadata maps, and contentStream or content. */
  dereferencingResult: boolean;
  /** The error of either kind of result, when there is one. */
  error: unknown;
}

/** Whether a value has the shape of a whole DID resolution result. */
export function isResolutionResultShape(value: unknown): boolean {
  return isMap(value) && isMap(value.didResolutionMetadata) && has(value, 'didDocument') && isMap(value.didDocumentMetadata);
}

/** Whether a value has the shape of a whole DID URL dereferencing result. */
export function isDereferencingResultShape(value: unknown): boolean {
  return (
    isMap(value) &&
    isMap(value.dereferencingMetadata) &&
    isMap(value.contentMetadata) &&
    (has(value, 'contentStream') || has(value, 'content'))
  );
}

export function bodyView(exchange: HttpExchangeUnderTest): BodyView {
  const parsed = exchange.response.body.trim() === '' ? undefined : tryJson(exchange.response.body);
  const json = parsed?.value;
  const resolutionResult = isResolutionResultShape(json);
  const dereferencingResult = isDereferencingResultShape(json);
  const error = resolutionResult
    ? member(member(json, 'didResolutionMetadata'), 'error')
    : dereferencingResult
      ? member(member(json, 'dereferencingMetadata'), 'error')
      : undefined;
  return { json, parsed: parsed !== undefined, resolutionResult, dereferencingResult, error };
}

function header(exchange: HttpExchangeUnderTest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(exchange.response.headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function requestHeader(exchange: HttpExchangeUnderTest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(exchange.request.headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

const RESULT_TYPES: readonly string[] = [MediaType.DidResolution, MediaType.DidUrlDereferencing];

/** Whether the response's Content-Type says "whole result" (the CR types, or the legacy profiled ld+json). */
function isResultContentType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  if (type === undefined) return false;
  if (RESULT_TYPES.includes(type)) return true;
  return type === MediaType.LdJson && /profile\s*=\s*"?https:\/\/w3id\.org\/did-resolution/.test(contentType ?? '');
}

function identifiersCheck(
  info: Omit<HttpCheck, 'subject' | 'run'>,
  run: (exchange: HttpExchangeUnderTest, body: BodyView, out: OutcomeCollector) => string,
): HttpCheck {
  return {
    ...info,
    subject: 'http',
    run(exchange: HttpExchangeUnderTest): CheckOutcome[] {
      const out = new OutcomeCollector();
      if ((exchange.endpoint ?? 'identifiers') !== 'identifiers') return out.done('not a resolution or dereferencing exchange');
      return out.done(run(exchange, bodyView(exchange), out));
    },
  };
}

const errorStatus = identifiersCheck(
  {
    id: 'did-resolution.http.error-status',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'If the DID resolution or DID URL dereferencing function returns an error metadata property in the ' +
      'didResolutionMetadata or dereferencingMetadata, then the HTTP response status code MUST correspond to the ' +
      'type property of the error object, according to the following table',
    source: 'quoted',
    note:
      'INVALID_DID, INVALID_DID_URL, INVALID_OPTIONS 400; NOT_FOUND 404; REPRESENTATION_NOT_SUPPORTED 406; ' +
      'METHOD_NOT_SUPPORTED, FEATURE_NOT_SUPPORTED 501; INVALID_DID_DOCUMENT, INTERNAL_ERROR and any other 500. The ' +
      'error is read in any spelling, so the uniresolver profile is held to the same table.',
  },
  (exchange, body, out) => {
    if (body.error === undefined || body.error === null) return 'the body carries no error';
    const wanted = bindingStatusFor(body.error);
    const name = parseErrorName(body.error) ?? show(body.error);
    if (exchange.response.status === wanted) out.pass('#status');
    else out.fail('#status', `${name} was answered with HTTP ${exchange.response.status}; the binding requires ${wanted}`);
    return '';
  },
);

function deactivatedIn(body: BodyView): boolean {
  if (body.resolutionResult) return member(member(body.json, 'didDocumentMetadata'), 'deactivated') === true;
  if (body.dereferencingResult) return member(member(body.json, 'contentMetadata'), 'deactivated') === true;
  return false;
}

const deactivatedStatus = identifiersCheck(
  {
    id: 'did-resolution.http.deactivated-status',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'If the DID resolution or DID URL dereferencing function returns a deactivated metadata property with the value ' +
      'true in the didDocumentMetadata or contentMetadata: The HTTP response status code MUST be 410.',
    source: 'quoted',
  },
  (exchange, body, out) => {
    if (body.error !== undefined && body.error !== null) return 'the body carries an error';
    const known = exchange.expectedOutcome === 'deactivatedOutcome' && exchange.operation !== 'dereference';
    if (!deactivatedIn(body) && !known) return 'the body reports no deactivated DID';
    if (exchange.response.status === 410) out.pass('#status');
    else out.fail('#status', `a deactivated DID was answered with HTTP ${exchange.response.status}, not 410`);
    return '';
  },
);

const successStatus = identifiersCheck(
  {
    id: 'did-resolution.http.success-status',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement: 'If the function is successful and returns a didDocument: The HTTP response status code MUST be 200.',
    source: 'quoted',
    note:
      'Applied to resolutions of DIDs the target expects to resolve (test identifiers and known DIDs) and to any ' +
      'answer whose body is a successful, not deactivated result with a document, or a bare document.',
  },
  (exchange, body, out) => {
    if (exchange.operation === 'dereference') return 'a dereferencing exchange';
    const failed = body.error !== undefined && body.error !== null;
    const successBody =
      !failed &&
      ((body.resolutionResult && isMap(member(body.json, 'didDocument')) && !deactivatedIn(body)) ||
        (!body.resolutionResult && isMap(body.json) && typeof member(body.json, 'id') === 'string'));
    if (exchange.expectedOutcome !== 'defaultOutcome' && !successBody) return 'not a successful resolution';
    if (exchange.response.status === 200) out.pass('#status');
    else {
      const why = failed ? ` (error ${parseErrorName(body.error) ?? show(body.error)})` : '';
      out.fail('#status', `a resolution expected to succeed was answered with HTTP ${exchange.response.status}${why}`);
    }
    return '';
  },
);

const resultBody = identifiersCheck(
  {
    id: 'did-resolution.http.result-body',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'If the value of the Content-Type HTTP response header is `application/did-resolution`: The HTTP body MUST ' +
      'contain a DID resolution result (see ) that is the result of the DID resolution function.',
    source: 'quoted',
    note:
      'And for application/did-url-dereferencing, a DID URL dereferencing result. A result has didResolutionMetadata ' +
      'and didDocumentMetadata maps and a didDocument member (dereferencing: dereferencingMetadata, contentMetadata, ' +
      'and contentStream or content). The legacy profiled application/ld+json is read the same way.',
  },
  (exchange, body, out) => {
    const contentType = header(exchange, 'content-type');
    if (!isResultContentType(contentType)) return 'the Content-Type does not announce a whole result';
    const wantsDereferencing = mediaTypeOf(contentType) === MediaType.DidUrlDereferencing;
    const ok = wantsDereferencing ? body.dereferencingResult : body.resolutionResult || body.dereferencingResult;
    if (ok) out.pass('#body');
    else if (!body.parsed) out.fail('#body', `the body is not JSON: ${show(exchange.response.body, 120)}`);
    else out.fail('#body', `the body is not a ${wantsDereferencing ? 'dereferencing' : 'resolution'} result: ${show(body.json, 120)}`);
    return '';
  },
);

const contentType = identifiersCheck(
  {
    id: 'did-resolution.http.content-type',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'The HTTP response MUST contain a Content-Type HTTP response header. Its value MUST be the value of the ' +
      'contentType metadata property in the didResolutionMetadata',
    source: 'quoted',
    note:
      'Said of successful answers that send the document (or, for dereferencing, the content) rather than the whole ' +
      'result. The metadata is not in such an answer, so the machine-testable part is: the header is present, and ' +
      'for a resolution it names a DID document representation.',
  },
  (exchange, _body, out) => {
    if (exchange.response.status !== 200) return 'not a 200 answer';
    const value = header(exchange, 'content-type');
    if (isResultContentType(value)) return 'the answer is a whole result (did-resolution.http.result-body)';
    const type = mediaTypeOf(value);
    if (type === undefined) out.fail('#headers/content-type', 'the answer has no Content-Type');
    else if (exchange.operation !== 'dereference' && !DOCUMENT_TYPES.includes(type)) {
      out.fail('#headers/content-type', `Content-Type ${show(value)} is not a DID document media type`);
    } else out.pass('#headers/content-type');
    return '';
  },
);

const documentBody = identifiersCheck(
  {
    id: 'did-resolution.http.document-body',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'The HTTP response body MUST contain the didDocument that is the result of the DID resolution function, in the ' +
      'representation corresponding to the Content-Type HTTP response header.',
    source: 'quoted',
    note:
      'Machine-testable part for the JSON representations: the body is a JSON object whose id is the DID asked for. ' +
      'The representation rules themselves (@context) are the DID Core checks of the document.',
  },
  (exchange, body, out) => {
    if (exchange.operation === 'dereference' || exchange.response.status !== 200) return 'not a successful resolution';
    const value = header(exchange, 'content-type');
    const type = mediaTypeOf(value);
    if (isResultContentType(value) || type === undefined || !DOCUMENT_TYPES.includes(type)) {
      return 'the answer does not send a bare DID document';
    }
    if (type === 'application/did+cbor') return 'a CBOR document is not read here';
    if (!isMap(body.json)) out.fail('#body', `the body is ${body.parsed ? typeName(body.json) : 'not JSON'}, not a DID document`);
    else if (exchange.identifier !== undefined && body.json.id !== exchange.identifier) {
      out.fail('#body/id', `the document id is ${show(body.json.id)}, not ${exchange.identifier}`);
    } else out.pass('#body');
    return '';
  },
);

const uriListRedirect = identifiersCheck(
  {
    id: 'did-resolution.http.uri-list-redirect',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement:
      'The HTTP response status code MUST be 303. The HTTP response MUST contain an Location header. The value of ' +
      'this header MUST be the selected [=DID service endpoint=] URL. the HTTP response body MUST be empty.',
    source: 'quoted',
    note:
      'Said of a successful dereferencing that returns a contentStream with contentType text/uri-list. Applied to ' +
      'exchanges that ask for text/uri-list and are expected to succeed, and to every 303 answer.',
  },
  (exchange, body, out) => {
    const asked = mediaTypeOf(requestHeader(exchange, 'accept')) === MediaType.UriList;
    const expected = asked && exchange.operation === 'dereference' && exchange.expectedOutcome === 'defaultOutcome';
    if (!expected && exchange.response.status !== 303) return 'not a service endpoint URL dereferencing';
    if (body.error !== undefined && body.error !== null && exchange.response.status !== 303) {
      return 'the dereferencing failed (did-resolution.http.error-status)';
    }
    const problems: Array<[string, string]> = [];
    if (exchange.response.status !== 303) problems.push(['#status', `HTTP ${exchange.response.status}, not 303`]);
    const location = header(exchange, 'location');
    let absolute = false;
    try {
      absolute = location !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(location) && new URL(location).href !== '';
    } catch {
      absolute = false;
    }
    if (location === undefined) problems.push(['#headers/location', 'there is no Location header']);
    else if (!absolute) problems.push(['#headers/location', `Location ${show(location)} is not an absolute URL`]);
    if (exchange.response.body !== '') problems.push(['#body', `the body is not empty: ${show(exchange.response.body)}`]);
    for (const [at, why] of problems) out.fail(at, why);
    if (problems.length === 0) out.pass('#status');
    return '';
  },
);

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const tls = identifiersCheck(
  {
    id: 'did-resolution.http.tls',
    section: `${DID_RESOLUTION}#bindings-https`,
    level: 'MUST',
    statement: 'All HTTPS bindings MUST use TLS.',
    source: 'quoted',
    note:
      'A driver reached on loopback (localhost, 127.0.0.0/8, ::1) is skipped: that is a local binding, typically ' +
      'behind a TLS-terminating proxy.',
  },
  (exchange, _body, out) => {
    let url: URL;
    try {
      url = new URL(exchange.request.url);
    } catch {
      return 'the request URL is not a URL';
    }
    if (url.protocol === 'https:') out.pass('#url');
    else if (LOOPBACK_HOSTS.test(url.hostname)) out.skip('#url', `${url.hostname} is a loopback address (a local binding)`);
    else out.fail('#url', `the driver is reached over ${url.protocol.replace(':', '')}, not TLS`);
    return '';
  },
);

const uniresolverErrorBody = identifiersCheck(
  {
    id: 'uniresolver.http.error-body',
    section: `${UNIVERSAL_RESOLVER}driver-http/src/main/java/uniresolver/driver/http/HttpDriver.java#L164`,
    level: 'MUST',
    statement:
      'A driver MUST answer every error (any status of 400 and above) with a full result body: a DID resolution ' +
      '(or dereferencing) result whose metadata carries the error (for 410, the result of the deactivated DID).',
    source: 'derived',
    note:
      'HttpDriver reads a driver answer as a result when its Content-Type is a result type or its JSON has ' +
      'didResolutionMetadata, didDocumentMetadata, didDocument or didDocumentStream; any other non-200 answer except ' +
      'a bare 404 or 406 becomes INTERNAL_ERROR ("Driver cannot retrieve RESOLVE result", line 177), so a bare 400 or ' +
      '410 turns into 500 (resolver-contract.md §3.4). A result without the error loses the error name.',
  },
  (exchange, body, out) => {
    const status = exchange.response.status;
    if (status < 400) return 'not an error answer';
    if (!body.resolutionResult && !body.dereferencingResult) {
      out.fail('#body', `HTTP ${status} with a body that is not a result: ${show(exchange.response.body, 120)}`);
    } else if (status === 410) {
      // A deactivated DID is not an error: the full result (with deactivated: true) is what keeps the 410.
      out.pass('#body');
    } else if (body.error === undefined || body.error === null) {
      // For an error the target expects, did-resolution.metadata.error-present (on the result) reports this.
      if (exchange.expectedOutcome?.endsWith('ErrorOutcome')) return 'the error is missing from the result (see did-resolution.metadata.error-present)';
      out.fail('#body', `HTTP ${status} with a result that carries no error`);
    } else out.pass('#body');
    return '';
  },
);

const cors = identifiersCheck(
  {
    id: 'uniresolver.http.cors',
    section: `${UNIVERSAL_RESOLVER}uni-resolver-web/src/main/java/uniresolver/web/servlet/ServletUtil.java#L22`,
    level: 'SHOULD',
    statement:
      'A driver SHOULD allow cross-origin requests (Access-Control-Allow-Origin), as the Universal Resolver does, so ' +
      'that browser clients can resolve.',
    source: 'derived',
    note: 'The Universal Resolver sets Access-Control-Allow-Origin: * on every answer (ServletUtil.sendResponse).',
  },
  (exchange, _body, out) => {
    const value = header(exchange, 'access-control-allow-origin');
    if (value !== undefined && value.trim() !== '') out.pass('#headers/access-control-allow-origin');
    else out.fail('#headers', 'there is no Access-Control-Allow-Origin header');
    return '';
  },
);

// ---------------------------------------------------------------------------------------------------------------
// The driver's descriptive endpoints (Universal Resolver OpenAPI)

function endpointCheck(
  endpoint: NonNullable<HttpExchangeUnderTest['endpoint']>,
  info: Omit<HttpCheck, 'subject' | 'run'>,
  run: (json: unknown, exchange: HttpExchangeUnderTest, out: OutcomeCollector) => void,
): HttpCheck {
  return {
    ...info,
    subject: 'http',
    run(exchange: HttpExchangeUnderTest): CheckOutcome[] {
      const out = new OutcomeCollector();
      if (exchange.endpoint !== endpoint) return out.done(`not a /1.0/${endpoint} exchange`);
      if (exchange.response.status !== 200) {
        out.fail('#status', `/1.0/${endpoint} answered HTTP ${exchange.response.status}`);
        return out.done('');
      }
      const parsed = tryJson(exchange.response.body);
      if (!parsed) {
        out.fail('#body', `the body is not JSON: ${show(exchange.response.body)}`);
        return out.done('');
      }
      run(parsed.value, exchange, out);
      return out.done('');
    },
  };
}

const OPENAPI = `${UNIVERSAL_RESOLVER}openapi/openapi.yaml`;
const METHOD_NAME = /^[a-z0-9]+$/;

const methods = endpointCheck(
  'methods',
  {
    id: 'uniresolver.methods',
    section: `${OPENAPI}#L233`,
    level: 'MUST',
    statement: 'GET /1.0/methods MUST answer 200 with a JSON array of the DID method names the driver supports.',
    source: 'derived',
    note: 'OpenAPI /methods: "Return a list of supported DID methods", schema type: array, items: type: string.',
  },
  (json, _exchange, out) => {
    if (!Array.isArray(json)) {
      out.fail('#body', `the body is ${typeName(json)}, not an array`);
      return;
    }
    json.forEach((name, i) => {
      if (typeof name === 'string' && METHOD_NAME.test(name)) out.pass(`#body/${i}`);
      else out.fail(`#body/${i}`, `${show(name)} is not a DID method name`);
    });
    const seen = new Set<unknown>();
    json.forEach((name, i) => {
      if (seen.has(name)) out.fail(`#body/${i}`, `${show(name)} is listed twice`);
      seen.add(name);
    });
    if (json.length === 0) out.fail('#body', 'the driver lists no method');
  },
);

const testIdentifiers = endpointCheck(
  'testIdentifiers',
  {
    id: 'uniresolver.test-identifiers',
    section: `${OPENAPI}#L255`,
    level: 'MUST',
    statement:
      'GET /1.0/testIdentifiers MUST answer 200 with a JSON object mapping each DID method name to an array of DIDs of ' +
      'that method.',
    source: 'derived',
    note: 'OpenAPI /testIdentifiers: "Return a map of test identifiers, grouped by DID method" (example btcr: [did:btcr:…]).',
  },
  (json, _exchange, out) => {
    if (!isMap(json)) {
      out.fail('#body', `the body is ${typeName(json)}, not a map`);
      return;
    }
    for (const [method, dids] of Object.entries(json)) {
      const at = `#body/${method}`;
      if (!METHOD_NAME.test(method)) out.fail(at, `${show(method)} is not a DID method name`);
      else if (!Array.isArray(dids)) out.fail(at, `the test identifiers of ${method} are ${typeName(dids)}, not an array`);
      else {
        dids.forEach((did, i) => {
          if (typeof did === 'string' && did.startsWith(`did:${method}:`)) out.pass(`${at}/${i}`);
          else out.fail(`${at}/${i}`, `${show(did)} is not a did:${method} DID`);
        });
        if (dids.length === 0) out.pass(at, `no test identifier for ${method}`);
      }
    }
    if (Object.keys(json).length === 0) out.pass('#body', 'an empty map');
  },
);

const TRAITS = ['updatable', 'deactivatable', 'enumerable', 'historyAvailable', 'humanReadable'] as const;

const traits = endpointCheck(
  'traits',
  {
    id: 'uniresolver.traits',
    section: `${OPENAPI}#L277`,
    level: 'MUST',
    statement:
      'GET /1.0/traits MUST answer 200 with a JSON object mapping each DID method name to its traits (updatable, ' +
      'deactivatable, enumerable, historyAvailable, humanReadable: booleans).',
    source: 'derived',
    note: 'OpenAPI /traits: "Return a map of DID traits" (example indy: {updatable: true, …}); the five traits are those of the UR application.yml.',
  },
  (json, _exchange, out) => {
    if (!isMap(json)) {
      out.fail('#body', `the body is ${typeName(json)}, not a map`);
      return;
    }
    for (const [method, value] of Object.entries(json)) {
      const at = `#body/${method}`;
      if (!METHOD_NAME.test(method)) out.fail(at, `${show(method)} is not a DID method name`);
      else if (!isMap(value)) out.fail(at, `the traits of ${method} are ${typeName(value)}, not a map`);
      else {
        const bad = TRAITS.filter((t) => typeof value[t] !== 'boolean');
        if (bad.length > 0) out.fail(at, `traits ${bad.join(', ')} of ${method} are not booleans`);
        else out.pass(at);
      }
    }
    if (Object.keys(json).length === 0) out.pass('#body', 'an empty map');
  },
);

const properties = endpointCheck(
  'properties',
  {
    id: 'uniresolver.properties',
    section: `${OPENAPI}#L212`,
    level: 'MUST',
    statement: 'GET /1.0/properties MUST answer 200 with a JSON object of configuration properties.',
    source: 'derived',
    note: 'OpenAPI /properties: "Return a map of configuration properties", schema type: object.',
  },
  (json, _exchange, out) => {
    if (isMap(json)) out.pass('#body');
    else out.fail('#body', `the body is ${typeName(json)}, not a map`);
  },
);

/** The HTTP binding and driver-contract checks, in catalogue order. */
export const HTTP_CHECKS: readonly HttpCheck[] = [
  errorStatus,
  deactivatedStatus,
  successStatus,
  resultBody,
  contentType,
  documentBody,
  uriListRedirect,
  tls,
  uniresolverErrorBody,
  cors,
  methods,
  testIdentifiers,
  traits,
  properties,
];
