/**
 * RFC 3986 URI syntax and syntax-based normalisation, shared by the DID Core conformance checks (`alsoKnownAs`,
 * service `id` and `serviceEndpoint`) and by the adapters' translations, which must produce what those checks accept.
 * WHATWG `URL` is not used: it repairs what it parses (spaces, backslashes, case) and so accepts strings that are not
 * RFC 3986 URIs.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3 (syntax components)
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2 (syntax-based normalisation)
 */
import { isIPv6 } from 'node:net';

/** The components of a URI reference, split as RFC 3986 Appendix B does (undefined = component absent). */
export interface UriParts {
  scheme: string | undefined;
  authority: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

// RFC 3986 Appendix B: splits any string into the five components; validity is checked separately.
const SPLIT = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/** Splits a URI reference into its components (never fails: validation is separate). */
export function splitUri(value: string): UriParts {
  const m = SPLIT.exec(value)!;
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4], fragment: m[5] };
}

const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const PATH = new RegExp(`^(?:${PCHAR}|/)*$`);
const QUERY_OR_FRAGMENT = new RegExp(`^(?:${PCHAR}|[/?])*$`);
const USERINFO = new RegExp(`^(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*$`);
const REG_NAME = new RegExp(`^(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*$`);
const IPV_FUTURE = new RegExp(`^v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+$`);
const PORT = /^[0-9]*$/;

/** Why `authority` is not an RFC 3986 authority, or undefined when it is one. */
function authorityProblem(authority: string): string | undefined {
  let rest = authority;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (!USERINFO.test(rest.slice(0, at))) return 'the userinfo has characters RFC 3986 does not allow';
    rest = rest.slice(at + 1);
  }
  let host: string;
  let port: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return 'an IP literal must end with "]"';
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return 'only ":" and a port may follow an IP literal';
    port = after === '' ? undefined : after.slice(1);
    // Zone identifiers (RFC 6874) are not part of RFC 3986's IPv6address.
    if (!(IPV_FUTURE.test(host) || (isIPv6(host) && !host.includes('%')))) {
      return `"[${host}]" is neither an IPv6 address nor an IPvFuture literal`;
    }
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    port = colon < 0 ? undefined : rest.slice(colon + 1);
    // IPv4address is a subset of reg-name, so one test covers both.
    if (!REG_NAME.test(host)) return `the host "${host}" has characters RFC 3986 does not allow`;
  }
  if (port !== undefined && !PORT.test(port)) return `the port "${port}" is not digits`;
  return undefined;
}

/**
 * Why `value` is not an RFC 3986 URI (absolute, with a scheme; a fragment is allowed), or undefined when it is one.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3
 */
export function uriProblem(value: string): string | undefined {
  const parts = splitUri(value);
  if (parts.scheme === undefined) return 'it has no scheme (a URI starts with "<scheme>:")';
  if (!SCHEME.test(parts.scheme)) return `the scheme "${parts.scheme}" is not letters, digits, "+", "-" and "."`;
  if (parts.authority !== undefined) {
    const problem = authorityProblem(parts.authority);
    if (problem) return problem;
  }
  if (!PATH.test(parts.path)) return 'the path has characters RFC 3986 does not allow (spaces and non-ASCII must be percent-encoded)';
  if (parts.query !== undefined && !QUERY_OR_FRAGMENT.test(parts.query)) {
    return 'the query has characters RFC 3986 does not allow';
  }
  if (parts.fragment !== undefined && !QUERY_OR_FRAGMENT.test(parts.fragment)) {
    return 'the fragment has characters RFC 3986 does not allow';
  }
  return undefined;
}

/** Whether `value` is an RFC 3986 URI. */
export function isUri(value: unknown): value is string {
  return typeof value === 'string' && uriProblem(value) === undefined;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };

/**
 * Why a valid URI is not in normal form, or undefined when it is. Applies RFC 3986 §6.2.2 syntax-based
 * normalisation (case, percent-encoding, dot-segments) and, from §6.2.3, the one scheme-based rule that is
 * unambiguous for the common web schemes: a default port is omitted. An empty http(s) path is accepted, since DID
 * Core's own service example (`https://bar.example.com`) has one.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2
 */
export function normalisationProblem(uri: string): string | undefined {
  const parts = splitUri(uri);
  const scheme = parts.scheme ?? '';
  if (scheme !== scheme.toLowerCase()) return `the scheme "${scheme}" is not lower case (RFC 3986 §6.2.2.1)`;
  for (const m of uri.matchAll(/%([0-9A-Fa-f]{2})/g)) {
    const hex = m[1]!;
    if (hex !== hex.toUpperCase()) return `the percent-encoding "%${hex}" is not upper case (RFC 3986 §6.2.2.1)`;
    const ch = String.fromCharCode(parseInt(hex, 16));
    if (/[A-Za-z0-9\-._~]/.test(ch)) {
      return `"%${hex}" encodes the unreserved character "${ch}", which is written as is (RFC 3986 §6.2.2.2)`;
    }
  }
  if (parts.authority !== undefined) {
    const hostAndPort = parts.authority.slice(parts.authority.lastIndexOf('@') + 1);
    const host = hostAndPort.startsWith('[') ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1) : hostAndPort.replace(/:[0-9]*$/, '');
    // Percent-encoded octets keep their (upper-case) hex digits; everything else in a host is case-insensitive.
    if (host.replace(/%[0-9A-F]{2}/g, '') !== host.replace(/%[0-9A-F]{2}/g, '').toLowerCase()) {
      return `the host "${host}" is not lower case (RFC 3986 §6.2.2.1)`;
    }
    const port = hostAndPort.slice(host.length);
    if (port === ':') return 'the port separator ":" has no port after it (RFC 3986 §6.2.3)';
    if (port !== '' && DEFAULT_PORTS[scheme] === port.slice(1)) {
      return `the port ${port.slice(1)} is the default for ${scheme} and is omitted in normal form (RFC 3986 §6.2.3)`;
    }
  }
  if (parts.path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'the path has dot-segments ("." or ".."), which normalisation removes (RFC 3986 §6.2.2.3)';
  }
  return undefined;
}
