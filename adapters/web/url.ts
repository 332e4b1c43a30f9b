/**
 * did:web identifiers and the HTTPS URLs of their documents.
 *
 * @see https://w3c-ccg.github.io/did-method-web/#method-specific-identifier
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 */
import { isIP } from 'node:net';
import { InvalidDidError } from '../../src/errors.js';
import { parseDid } from '../../src/syntax/did-url.js';

/**
 * Which hosts may be fetched over plain `http:`: `true` for all (a development setting), or a list of `host` /
 * `host:port` entries (lower case). The did:web specification requires HTTPS; nothing is fetched over `http:`
 * unless listed here.
 */
export type AllowHttp = boolean | readonly string[];

export interface DidWebUrlOptions {
  allowHttp?: AllowHttp;
}

/** The anchored pattern of a did:web DID, loose enough that `validate` can say exactly what is wrong. */
export const DID_WEB_PATTERN = /^did:web:[A-Za-z0-9.%-]+(?::[A-Za-z0-9._%-]+)*$/;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** What the WHATWG URL parser would read as (part of) an IPv4 address when it is the last label of a host. */
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;

/** Whether `host` (and optional `port`) is on the plain-HTTP allowance. */
export function httpAllowed(allowHttp: AllowHttp | undefined, host: string, port: string): boolean {
  if (allowHttp === true) return true;
  if (!Array.isArray(allowHttp)) return false;
  const h = host.toLowerCase();
  return allowHttp.includes(h) || (port !== '' && allowHttp.includes(`${h}:${port}`));
}

function invalid(did: string, reason: string): never {
  const shown = did.length > 80 ? `${did.slice(0, 77)}...` : did;
  throw new InvalidDidError(`invalid did:web "${shown}": ${reason}`);
}

/** Checks a domain name against RFC 1035/1123 host syntax; returns it in lower case. */
function checkDomain(did: string, domain: string): string {
  const host = domain.toLowerCase();
  if (host.length > 253) invalid(did, 'the domain name is longer than 253 characters');
  const labels = host.split('.');
  if (isIP(host) !== 0 || NUMERIC_LABEL.test(labels[labels.length - 1]!)) {
    // did-method-web §Method-specific identifier: "it MUST NOT include IP addresses". A numeric last label is
    // rejected too: URL parsers read `127.1` or `0x7f.1` as IPv4 addresses.
    invalid(did, 'the method-specific identifier must be a domain name, not an IP address');
  }
  for (const label of labels) {
    if (!LABEL.test(label)) {
      invalid(
        did,
        `"${label.slice(0, 63)}" is not a valid domain label (letters, digits and inner hyphens, 1 to 63 characters)`,
      );
    }
  }
  return host;
}

/** Percent-decodes one path segment and refuses what would change the path's shape once in a URL. */
function checkSegment(did: string, segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    invalid(did, `path segment "${segment.slice(0, 40)}" is not valid percent-encoded UTF-8`);
  }
  // `..` (in any encoding) would climb out of the DID's directory once the URL is normalised; an encoded `/`, `\`,
  // `?` or `#` would change which resource is addressed.
  if (decoded === '.' || decoded === '..') invalid(did, `path segment "${segment}" is a dot segment`);
  // eslint-disable-next-line no-control-regex
  if (/[/\\?#\x00-\x1f\x7f]/.test(decoded)) {
    invalid(did, `path segment "${segment.slice(0, 40)}" encodes a "/", "\\", "?", "#" or a control character`);
  }
  return decoded;
}

/**
 * The URL of the DID document of a did:web DID, following did-method-web §Read (Resolve) steps 1-5: colons become
 * slashes, the percent-encoded port colon is decoded, `https://` is prepended, `/.well-known` is appended when there
 * is no path, then `/did.json`.
 *
 * Throws InvalidDidError (INVALID_DID) for anything that is not a did:web DID with a domain name: IP addresses,
 * ports outside 1-65535, empty or dot path segments, encoded slashes.
 *
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 * @example
 * didWebDocumentUrl('did:web:w3c-ccg.github.io').href // 'https://w3c-ccg.github.io/.well-known/did.json'
 * didWebDocumentUrl('did:web:example.com%3A3000:user:alice').href // 'https://example.com:3000/user/alice/did.json'
 */
export function didWebDocumentUrl(did: string, options: DidWebUrlOptions = {}): URL {
  if (typeof did !== 'string') throw new TypeError('"did" must be a string');
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const parsed = parseDid(did);
  if (parsed.method !== 'web') invalid(did, 'the method is not "web"');
  const [first, ...segments] = parsed.methodSpecificId.split(':');
  const hostPart = /^([A-Za-z0-9.-]+)(?:%3[Aa]([0-9]+))?$/.exec(first!);
  if (!hostPart) {
    invalid(
      did,
      'the method-specific identifier must start with a domain name, optionally followed by "%3A" and a port ' +
        '(the port colon MUST be percent-encoded)',
    );
  }
  const host = checkDomain(did, hostPart[1]!);
  const port = hostPart[2] ?? '';
  if (port !== '' && (port.length > 5 || Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) {
    invalid(did, `port "${port}" is not a number from 1 to 65535 without leading zeros`);
  }
  const path =
    segments.length === 0
      ? '/.well-known/did.json'
      : `/${segments
          .map((s) => {
            if (s === '') invalid(did, 'a path segment is empty ("::" or a trailing ":")');
            return encodeURIComponent(checkSegment(did, s));
          })
          .join('/')}/did.json`;
  const scheme = httpAllowed(options.allowHttp, host, port) ? 'http' : 'https';
  const url = new URL(`${scheme}://${host}${port ? `:${port}` : ''}${path}`);
  // Defence in depth: the URL parser must see the same host we validated (no IDNA or IPv4 reinterpretation).
  if (url.hostname !== host) invalid(did, `the domain name is read as "${url.hostname}" by URL parsers`);
  return url;
}
