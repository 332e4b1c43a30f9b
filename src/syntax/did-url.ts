/**
 * DID and DID URL syntax, exactly as the ABNF of DID Core §3.1 and §3.2 (with RFC 3986 for path, query and
 * fragment). The scanner reads each character once, so any input is parsed in linear time; the length limit is
 * a policy on top, not what keeps it fast.
 *
 * @see https://www.w3.org/TR/did-core/#did-syntax
 * @see https://www.w3.org/TR/did-core/#did-url-syntax
 */
import { InvalidDidError, InvalidDidUrlError } from '../errors.js';

/** A parsed DID. */
export interface ParsedDid {
  /** The DID itself, `did:method:method-specific-id`. */
  did: string;
  /** The method name, e.g. `key`. */
  method: string;
  /** The method-specific id, still percent-encoded as in the input. */
  methodSpecificId: string;
}

/** A parsed DID URL (a DID is a DID URL with no path, query or fragment). */
export interface ParsedDidUrl extends ParsedDid {
  /** The whole input. */
  didUrl: string;
  /** The path-abempty, including its leading `/`, or `''`. */
  path: string;
  /** The query without `?`, or undefined when absent (an empty query `?` is `''`). */
  query: string | undefined;
  /** The fragment without `#`, or undefined when absent. */
  fragment: string | undefined;
  /**
   * Query parameters in order, names and values percent-decoded as UTF-8 (`+` is not a space in DID URLs; octets
   * that are not UTF-8 become U+FFFD).
   */
  params: Array<[name: string, value: string]>;
}

/** The DID parameters defined by DID Core §3.2.1. */
export const DID_PARAMETERS = ['service', 'relativeRef', 'versionId', 'versionTime', 'hl'] as const;

export interface SyntaxLimits {
  /** Maximum length of a DID or DID URL in characters. Default 8 KiB; anything longer is refused, not scanned. */
  maxLength?: number;
}

export const DEFAULT_MAX_DID_URL_LENGTH = 8192;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** RFC 3986 unreserved. */
function isUnreserved(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 45 /* - */ || c === 46 /* . */ || c === 95 /* _ */ || c === 126 /* ~ */;
}
/** RFC 3986 sub-delims. */
function isSubDelim(c: number): boolean {
  // ! $ & ' ( ) * + , ; =
  return c === 33 || c === 36 || (c >= 38 && c <= 44) || c === 59 || c === 61;
}
/** RFC 3986 pchar minus pct-encoded (checked separately). */
function isPcharLiteral(c: number): boolean {
  return isUnreserved(c) || isSubDelim(c) || c === 58 /* : */ || c === 64 /* @ */;
}

type Failure = { at: number; reason: string };

/**
 * Scans `did:method:msid` from the start of `s`. Returns the index just past the DID, or a failure.
 * method-name = 1*method-char; method-char = %x61-7A / DIGIT
 * method-specific-id = *( *idchar ":" ) 1*idchar; idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
 */
function scanDid(s: string): { end: number; methodEnd: number } | Failure {
  if (!s.startsWith('did:')) return { at: 0, reason: 'a DID starts with "did:"' };
  let i = 4;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || isDigit(c)) i++;
    else break;
  }
  if (i === 4) return { at: i, reason: 'the method name must be one or more lower-case letters or digits' };
  if (s.charCodeAt(i) !== 58) {
    return { at: i, reason: 'the method name must be followed by ":" (method names are lower-case letters and digits)' };
  }
  const methodEnd = i;
  i++;
  const msidStart = i;
  let lastWasColon = true; // the method-specific id may not be empty nor end with ':'
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isAlpha(c) || isDigit(c) || c === 46 || c === 45 || c === 95) {
      i++;
      lastWasColon = false;
    } else if (c === 37 /* % */) {
      if (!(isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)))) {
        return { at: i, reason: 'a "%" must start a percent-encoded octet of two hex digits' };
      }
      i += 3;
      lastWasColon = false;
    } else if (c === 58 /* : */) {
      i++;
      lastWasColon = true;
    } else break;
  }
  if (i === msidStart) return { at: i, reason: 'the method-specific id must not be empty' };
  if (lastWasColon) return { at: i - 1, reason: 'the method-specific id must not end with ":"' };
  return { end: i, methodEnd };
}

function fail(input: string, f: Failure, asUrl: boolean): never {
  const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
  const message = `${asUrl ? 'invalid DID URL' : 'invalid DID'} "${shown}" at position ${f.at}: ${f.reason}`;
  throw asUrl ? new InvalidDidUrlError(message) : new InvalidDidError(message);
}

function checkLength(input: unknown, limits: SyntaxLimits | undefined, asUrl: boolean): string {
  if (typeof input !== 'string') {
    const message = `${asUrl ? 'a DID URL' : 'a DID'} must be a string, got ${input === null ? 'null' : typeof input}`;
    throw asUrl ? new InvalidDidUrlError(message) : new InvalidDidError(message);
  }
  const max = limits?.maxLength ?? DEFAULT_MAX_DID_URL_LENGTH;
  if (input.length > max) {
    const message = `${asUrl ? 'DID URL' : 'DID'} is ${input.length} characters long; the limit is ${max}`;
    throw asUrl ? new InvalidDidUrlError(message) : new InvalidDidError(message);
  }
  return input;
}

/**
 * Parses a DID (no path, query or fragment).
 * @throws InvalidDidError with the position and the rule broken.
 */
export function parseDid(input: unknown, limits?: SyntaxLimits): ParsedDid {
  const s = checkLength(input, limits, false);
  const r = scanDid(s);
  if ('reason' in r) fail(s, r, false);
  if (r.end !== s.length) {
    fail(s, { at: r.end, reason: `unexpected character ${JSON.stringify(s[r.end])} in a DID` }, false);
  }
  return { did: s, method: s.slice(4, r.methodEnd), methodSpecificId: s.slice(r.methodEnd + 1) };
}

/** Whether `input` is a syntactically valid DID. */
export function isDid(input: unknown, limits?: SyntaxLimits): boolean {
  try {
    parseDid(input, limits);
    return true;
  } catch {
    return false;
  }
}

/** Whether `input` is a syntactically valid DID URL. */
export function isDidUrl(input: unknown, limits?: SyntaxLimits): boolean {
  try {
    parseDidUrl(input, limits);
    return true;
  } catch {
    return false;
  }
}

/**
 * Scans `*( pchar / "/" [/ "?"] )` from `i`: a path stops at "?" or "#", a query at "#", a fragment at neither.
 * Returns the end index or a failure. Works on char codes so each character costs a few comparisons.
 */
function scanComponent(s: string, i: number, stopAtQuestion: boolean, stopAtHash: boolean): number | Failure {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (!(isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)))) {
        return { at: i, reason: 'a "%" must start a percent-encoded octet of two hex digits' };
      }
      i += 3;
    } else if (isPcharLiteral(c) || c === 47 /* / */) {
      i++;
    } else if (c === 63 /* ? */) {
      if (stopAtQuestion) return i;
      i++;
    } else if (c === 35 /* # */ && stopAtHash) {
      return i;
    } else {
      return { at: i, reason: `character ${JSON.stringify(s[i])} is not allowed here (RFC 3986 pchar)` };
    }
  }
  return i;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Percent-decodes a query name or value that the scanner has already checked (only ASCII and well-formed `%XX`).
 * The ABNF allows any octet to be percent-encoded, so octets that are not UTF-8 do not make the DID URL invalid:
 * they decode to U+FFFD, and DID parameters (which must be ASCII) are rejected later by whoever uses them.
 */
function decodeComponent(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    const bytes = new Uint8Array(value.length);
    let n = 0;
    for (let i = 0; i < value.length; i++) {
      if (value.charCodeAt(i) === 37 /* % */) {
        bytes[n++] = parseInt(value.slice(i + 1, i + 3), 16);
        i += 2;
      } else {
        bytes[n++] = value.charCodeAt(i);
      }
    }
    return UTF8.decode(bytes.subarray(0, n));
  }
}

/**
 * Parses a DID URL: `did path-abempty [ "?" query ] [ "#" fragment ]`.
 * @throws InvalidDidUrlError with the position and the rule broken.
 */
export function parseDidUrl(input: unknown, limits?: SyntaxLimits): ParsedDidUrl {
  const s = checkLength(input, limits, true);
  const r = scanDid(s);
  if ('reason' in r) fail(s, r, true);
  let i = r.end;
  const pathStart = i;
  if (i < s.length && s[i] !== '/' && s[i] !== '?' && s[i] !== '#') {
    fail(s, { at: i, reason: `unexpected character ${JSON.stringify(s[i])} after the DID` }, true);
  }
  const pathEnd = scanComponent(s, i, true, true);
  if (typeof pathEnd !== 'number') fail(s, pathEnd, true);
  i = pathEnd;
  let query: string | undefined;
  if (s[i] === '?') {
    const end = scanComponent(s, i + 1, false, true);
    if (typeof end !== 'number') fail(s, end, true);
    query = s.slice(i + 1, end);
    i = end;
  }
  let fragment: string | undefined;
  if (s[i] === '#') {
    const end = scanComponent(s, i + 1, false, false);
    if (typeof end !== 'number') fail(s, end, true);
    fragment = s.slice(i + 1, end);
    i = end;
  }
  const params: Array<[string, string]> = [];
  if (query) {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      params.push([decodeComponent(name), decodeComponent(value)]);
    }
  }
  return {
    didUrl: s,
    did: s.slice(0, r.end),
    method: s.slice(4, r.methodEnd),
    methodSpecificId: s.slice(r.methodEnd + 1, r.end),
    path: s.slice(pathStart, pathEnd),
    query,
    fragment,
    params,
  };
}

/** Whether a DID URL is just a DID (nothing after the method-specific id). */
export function isBareDid(url: ParsedDidUrl): boolean {
  return url.path === '' && url.query === undefined && url.fragment === undefined;
}

/**
 * Characters a DID URL fragment may hold as they are (RFC 3986 `fragment = *( pchar / "/" / "?" )` without the
 * percent-encoded octets): unreserved, sub-delims, ":", "@", "/", "?". Indexed by char code (ASCII only).
 */
const FRAGMENT_LITERAL = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?") FRAGMENT_LITERAL[c.charCodeAt(0)] = 1;

/**
 * Whether `text`, from index `fragmentStart` on, is a fragment of plain characters, within the DID URL length limit:
 * then a valid DID followed by "#" and that fragment is a DID URL (and a URI). A fast path for translations, which
 * check every key id and reference of a document: false means "not decided here" (percent-encoding, characters a
 * fragment may not hold, too long), and the caller asks {@link isDidUrl}.
 */
export function isPlainFragment(text: string, fragmentStart: number): boolean {
  if (text.length > DEFAULT_MAX_DID_URL_LENGTH) return false;
  for (let i = fragmentStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || FRAGMENT_LITERAL[c] === 0) return false;
  }
  return true;
}

/**
 * Whether `text` is `did` + "#" + a plain fragment ({@link isPlainFragment}), for a `did` known to be a valid DID (a
 * translation's own, already checked). Such a text is a DID URL whose DID is `did` and whose fragment is what follows
 * "#": the DID scan stops exactly at the "#", which is no DID character. So {@link parseDidUrl} would accept it with
 * that DID, and translations need not parse the DID again for every key id and reference. False means "not decided
 * here" (another DID, a path or query, percent-encoding, too long): the caller parses.
 */
export function isOwnPlainFragmentUrl(text: string, did: string): boolean {
  return text.length > did.length && text.charCodeAt(did.length) === 35 /* # */ && text.startsWith(did) && isPlainFragment(text, did.length + 1);
}
