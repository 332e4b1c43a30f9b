/**
 * Service endpoints of BIF documents (did:bid, did:cndid) made into the URIs DID Core requires.
 *
 * BID services may name their endpoint as a bare IP (`192.168.1.23`) or a host without a scheme (`www.caict.cn`),
 * with the transport in separate members: `protocol` (0 UDP, 1 TCP, 2 HTTP, 3 HTTPS), `serverType` (0 domain, 1 IP)
 * and `port` (domestic-methods.md §4.3; BID Protocol Specification §4 and §5.3).
 *
 * Decisions:
 * - an endpoint that already is an RFC 3986 URI is kept (lower-casing its scheme and host and dropping a default port
 *   when that is all that stands between it and normal form);
 * - a scheme-less host or IP becomes `http://` / `https://` + host [+ `:port`] when `protocol` is 2 or 3, the only
 *   transports with a URI scheme that says the same thing;
 * - anything else (UDP/TCP transports, no `protocol`, text that is not a host) has no URI that means what the
 *   upstream means: the service is left out of the W3C document and kept verbatim in `didbridgePreserved`, with a
 *   change record. Guessing `https://` for `www.caict.cn` could send verifiers to a service that is not the one the
 *   DID controller published.
 *
 * @see https://www.w3.org/TR/did-core/#services ("All string values MUST be valid URIs conforming to [RFC3986] and
 *   normalized according to the Normalization and Comparison rules in RFC3986")
 */
import { isUri, normalisationProblem, splitUri, uriProblem } from '../../src/util/uri.js';
import type { JsonValue } from '../../src/spec.js';
import { jsonString } from './members.js';

/** BID `protocol` codes with a URI scheme (§4.3: 0 UDP, 1 TCP, 2 HTTP, 3 HTTPS). */
export const BID_PROTOCOL_SCHEMES: Readonly<Record<number, 'http' | 'https'>> = { 2: 'http', 3: 'https' };

/** BID `protocol` code for a URI scheme (the reverse of {@link BID_PROTOCOL_SCHEMES}). */
export const BID_SCHEME_PROTOCOLS: Readonly<Record<string, number>> = { http: 2, https: 3 };

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** A host (DNS name or IPv4 address), optional port and optional path, without a scheme. */
const SCHEMELESS_HOST = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?(\/[^?#\s]*)?$/;

/**
 * `http`/`https`, a lower-case host name or IPv4 address, an optional port, then a path, query and fragment of plain
 * characters (no percent-encoding): a form for which both `uriProblem` and `normalisationProblem` (src/util/uri.ts)
 * find nothing, once the port is known not to be the scheme's default and the path to have no dot-segments.
 * Groups: 1 the scheme, 2 the port, 3 the path.
 */
const PLAIN_HTTP_URI =
  /^(https?):\/\/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::([0-9]+))?((?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]*)*)(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?$/;

/**
 * Whether `text` is an http(s) URI already in RFC 3986 normal form, decided by one pattern for the common shape
 * (endpoints are checked on every translation; the general checks parse the URI twice). False means "not decided
 * here", not "not a URI": callers then run the general checks.
 */
export function isPlainNormalHttpUri(text: string): boolean {
  const match = PLAIN_HTTP_URI.exec(text);
  if (!match) return false;
  // The default port is omitted in normal form.
  if (match[2] !== undefined && match[2] === (match[1] === 'https' ? '443' : '80')) return false;
  const path = match[3]!;
  // Dot-segments ("." or "..") are removed by normalisation, so such a path is not in normal form.
  return !(path.includes('/.') && path.split('/').some((segment) => segment === '.' || segment === '..'));
}

/** `did:<method>:<plain id characters>`, optionally `#<plain fragment>`: a form `uriProblem` always accepts. */
const PLAIN_DID_URL = /^did:[a-z0-9]+(?::[A-Za-z0-9._-]+)+(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?$/;

/**
 * `isUri` (src/util/uri.ts) with DID URLs of the plain form (service and key ids) recognised by one pattern first:
 * every such text is a URI (scheme `did`, a path of letters, digits, `._-:` and an optional plain fragment).
 */
export function isUriFast(value: string): boolean {
  return PLAIN_DID_URL.test(value) || isUri(value);
}

/** What {@link serviceEndpointFor} decided. */
export type EndpointDecision =
  | { outcome: 'kept'; endpoint: string }
  | { outcome: 'normalised'; endpoint: string; why: string }
  | { outcome: 'built'; endpoint: string; why: string }
  | { outcome: 'unusable'; why: string };

/** Reads a small non-negative integer member that upstreams write as a number or a numeric string. */
export function readCode(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value)) return Number(value);
  return undefined;
}

function isSchemeless(text: string): RegExpExecArray | null {
  // "www.caict.cn:8080" also parses as a URI whose scheme is "www.caict.cn"; a dotted name or IPv4 address
  // followed by ":digits" is a host and port in every document seen, so it is read as one.
  const m = SCHEMELESS_HOST.exec(text);
  if (!m) return null;
  const host = m[1]!;
  if (!host.includes('.') && m[2] === undefined && m[3] === undefined) return null;
  return m;
}

/** Lower-cases scheme and host and drops a default port, when that makes a URI normal; undefined otherwise. */
function normalise(uri: string): string | undefined {
  const parts = splitUri(uri);
  if (parts.scheme === undefined) return undefined;
  const scheme = parts.scheme.toLowerCase();
  let authority = parts.authority;
  if (authority !== undefined) {
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
    let hostPort = authority.slice(at + 1);
    const port = /:(\d*)$/.exec(hostPort);
    let host = port ? hostPort.slice(0, port.index) : hostPort;
    host = host.toLowerCase();
    const portText = port && port[1] !== '' && Number(port[1]) !== DEFAULT_PORTS[scheme] ? `:${port[1]}` : '';
    hostPort = host + portText;
    authority = userinfo + hostPort;
  }
  const rebuilt =
    `${scheme}:` +
    (authority !== undefined ? `//${authority}` : '') +
    parts.path +
    (parts.query !== undefined ? `?${parts.query}` : '') +
    (parts.fragment !== undefined ? `#${parts.fragment}` : '');
  return uriProblem(rebuilt) === undefined && normalisationProblem(rebuilt) === undefined ? rebuilt : undefined;
}

/**
 * Decides the W3C `serviceEndpoint` for a BID service endpoint string and its transport members.
 * @param endpoint the endpoint as written (trimmed here)
 * @param transport the service's `protocol` and `port` members, as written
 */
export function serviceEndpointFor(endpoint: string, transport: { protocol?: JsonValue; port?: JsonValue }): EndpointDecision {
  const text = endpoint.trim();
  if (text === '') return { outcome: 'unusable', why: 'the endpoint is empty' };
  // The common case, decided without the general URI checks (no scheme-less reading can match "http(s)://").
  if (isPlainNormalHttpUri(text)) return { outcome: 'kept', endpoint: text };
  const schemeless = isSchemeless(text);
  if (!schemeless) {
    const problem = uriProblem(text);
    if (problem) return { outcome: 'unusable', why: `${JSON.stringify(text.slice(0, 100))} is not a URI (${problem})` };
    if (normalisationProblem(text) === undefined) return { outcome: 'kept', endpoint: text };
    const normal = normalise(text);
    if (normal) return { outcome: 'normalised', endpoint: normal, why: `${normalisationProblem(text)}; written ${normal}` };
    return { outcome: 'unusable', why: `${JSON.stringify(text.slice(0, 100))} is not in RFC 3986 normal form: ${normalisationProblem(text)}` };
  }
  const protocol = readCode(transport.protocol);
  const scheme = protocol === undefined ? undefined : BID_PROTOCOL_SCHEMES[protocol];
  if (!scheme) {
    const said = protocol === undefined ? 'no "protocol" member says which' : `"protocol" ${protocol} (${['UDP', 'TCP'][protocol] ?? 'unknown'}) has no URI scheme`;
    return { outcome: 'unusable', why: `${JSON.stringify(text.slice(0, 100))} has no scheme and ${said}` };
  }
  const [, host, portInText, path] = schemeless;
  const portMember = readCode(transport.port);
  const port = portInText !== undefined ? Number(portInText) : portMember;
  if (port !== undefined && (port < 1 || port > 65535)) {
    return { outcome: 'unusable', why: `port ${port} is outside 1-65535` };
  }
  const portText = port === undefined || port === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
  const built = `${scheme}://${host!.toLowerCase()}${portText}${path ?? ''}`;
  // Without a path, the built URI is of the plain normal form by construction (a lower-cased host of letters, digits,
  // dots and hyphens that starts and ends with a letter or digit, and a port that is not the scheme's default), so
  // only a path needs checking.
  if (path !== undefined && !isPlainNormalHttpUri(built) && (uriProblem(built) || normalisationProblem(built))) {
    return { outcome: 'unusable', why: `${JSON.stringify(built)} built from the endpoint is not a normal URI` };
  }
  const from = `protocol ${protocol} (${scheme === 'https' ? 'HTTPS' : 'HTTP'})` + (portInText === undefined && portMember !== undefined ? ` and port ${portMember}` : '');
  return { outcome: 'built', endpoint: built, why: `${jsonString(text)} has no scheme; ${from} make it ${built}` };
}
