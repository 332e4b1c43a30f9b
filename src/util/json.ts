/**
 * JSON parsing for data that comes from outside (upstream responses, request bodies, files): bounded nesting depth
 * and no keys that could pollute prototypes when the result is later merged into other objects. Also the small JSON
 * helpers every adapter reading untrusted documents needs (object test, kind names for error details, canonical text
 * for fingerprints).
 */
import { DidBridgeError } from '../errors.js';
import type { ErrorName, JsonObject } from '../spec.js';

export interface JsonLimits {
  /** Maximum nesting depth of arrays and objects. Default 64. */
  maxDepth?: number;
}

export const DEFAULT_MAX_JSON_DEPTH = 64;

const FORBIDDEN_KEYS = new Set(['__proto__']);

/**
 * Parses JSON text. Throws a DidBridgeError with `code` (INTERNAL_ERROR by default; callers that parse user input
 * pass INVALID_OPTIONS or INVALID_DID_DOCUMENT) when the text is not JSON or nests deeper than the limit.
 */
export function parseJsonSafe(text: string, limits: JsonLimits = {}, code: ErrorName = 'INTERNAL_ERROR'): unknown {
  if (typeof text !== 'string') throw new DidBridgeError(code, `expected JSON text, got ${typeof text}`);
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  // Check depth on the raw text first, in one pass, so a hostile 1 MiB of "[[[[" never reaches the recursive parser.
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) throw new DidBridgeError(code, `JSON nests deeper than the limit of ${maxDepth}`);
    } else if (c === 125 || c === 93) depth--;
  }
  try {
    return JSON.parse(text, (key, value) => (FORBIDDEN_KEYS.has(key) ? undefined : value));
  } catch (cause) {
    throw new DidBridgeError(code, `not valid JSON: ${(cause as Error).message}`, { cause });
  }
}


/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON value's kind for error details: `an array`, `null`, `a number`, `missing` (for undefined). */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

/** Strings JSON writes as they are: no quote, backslash, control character or surrogate (lone ones get escaped). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON must escape
const JSON_PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * `JSON.stringify(value)` for a string: quoted as it is when nothing in it needs escaping (identifiers, member names,
 * request paths: almost always), else through JSON.stringify. Node 20's JSON.stringify escapes a string a character
 * at a time, several times slower than this one pattern test; access-log lines and change-record reasons quote
 * strings on every request and translation.
 */
export function jsonString(value: string): string {
  return JSON_PLAIN_STRING.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * JSON text with object members sorted by name (recursively), so that two values with the same content give the same
 * text whatever their member order; array order is significant. Members whose value is `undefined` are left out, as
 * `JSON.stringify` leaves them out; `undefined` itself (top level or in an array) is written `null`.
 */
export function canonicalJson(value: unknown): string {
  // A copy with members in sorted order (sharing every part already in order) written by one native JSON.stringify:
  // a flat string made in one pass, where building it piece by piece in JavaScript took about twice as long (this
  // runs for every piece a translation fingerprints). Values that copy could not reproduce exactly fall back to
  // writing the text member by member.
  const sorted = sortedCopy(value);
  return sorted === NOT_PLAIN_JSON ? canonicalJsonText(value) : (JSON.stringify(sorted) ?? 'null');
}

/** What {@link sortedCopy} returns for values a sorted copy cannot stand for. */
const NOT_PLAIN_JSON: unique symbol = Symbol('not plain JSON');

/**
 * `value` with the members of every object in sorted order: the value itself where it already is, else a copy.
 * NOT_PLAIN_JSON for what JSON.stringify of a copy would write differently from {@link canonicalJsonText}: member
 * names that are array indices (objects list those first, in numeric order, whatever the insertion order) or
 * `__proto__` (assigning it sets the prototype), functions, symbols, bigints, and objects that are not plain
 * (another prototype may bring `toJSON`).
 */
function sortedCopy(value: unknown): unknown {
  if (value === null) return value;
  const type = typeof value;
  if (type !== 'object') return type === 'function' || type === 'symbol' || type === 'bigint' ? NOT_PLAIN_JSON : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = typeof item === 'string' ? item : sortedCopy(item);
      if (sorted === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
      if (sorted !== item && copy === undefined) copy = value.slice(0, i);
      if (copy !== undefined) copy.push(sorted);
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN_JSON;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const first = key.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || key === '__proto__') return NOT_PLAIN_JSON;
    if (i > 0 && keys[i - 1]! > key) inOrder = false;
  }
  if (!inOrder) sortNames(keys);
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = object[key];
    const sorted = typeof member === 'string' ? member : sortedCopy(member);
    if (sorted === NOT_PLAIN_JSON) return NOT_PLAIN_JSON;
    if (copy === undefined && sorted !== member) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]!] = object[keys[j]!];
    }
    if (copy !== undefined) copy[key] = sorted;
  }
  return copy ?? object;
}

/**
 * Sorts member names in place as `Array.prototype.sort` does (by UTF-16 code units): by insertion for the handful of
 * members objects mostly have, which costs less than the general sort's setup.
 */
function sortNames(names: string[]): void {
  if (names.length > 16) {
    names.sort();
    return;
  }
  for (let i = 1; i < names.length; i++) {
    const name = names[i]!;
    let j = i - 1;
    while (j >= 0 && names[j]! > name) {
      names[j + 1] = names[j]!;
      j--;
    }
    names[j + 1] = name;
  }
}

/** {@link canonicalJson} written member by member (for values a sorted copy cannot stand for). */
function canonicalJsonText(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJsonText(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJsonText(member)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Whether a value may stand in DID document metadata: DID Core §7.3 allows strings, maps, lists, sets, booleans and
 * null, so a number (anywhere inside) rules a value out.
 * @see https://www.w3.org/TR/did-core/#metadata-structure
 */
export function isMetadataValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(isMetadataValue);
  if (isJsonObject(value)) return Object.values(value).every(isMetadataValue);
  return false;
}

/**
 * Whether `JSON.stringify(a) === JSON.stringify(b)`, decided without writing the two texts (translations compare
 * what they produced with what they read this way): same member names in the same order, same array lengths, equal
 * primitives. Values the comparison of texts treats specially (undefined members, non-finite numbers, objects that
 * are not plain, `toJSON`) fall back to comparing the texts.
 */
export function sameJsonText(a: unknown, b: unknown): boolean {
  const answer = compareJson(a, b);
  return answer === UNDECIDED ? JSON.stringify(a) === JSON.stringify(b) : answer === SAME;
}

const SAME = 0;
const DIFFERENT = 1;
const UNDECIDED = 2;

function compareJson(a: unknown, b: unknown): number {
  const ta = typeof a;
  const tb = typeof b;
  // A string, true/false, a finite number or null, against anything whose text is known (its own kind, or a plain
  // object or array, or undefined, which has no text): equal texts only when the values are equal.
  if (isSimple(a, ta)) return a === b ? SAME : isSimple(b, tb) || b === undefined || (tb === 'object' && isPlain(b as object)) ? DIFFERENT : UNDECIDED;
  if (isSimple(b, tb)) return a === undefined || (ta === 'object' && isPlain(a as object)) ? DIFFERENT : UNDECIDED;
  if (ta !== 'object' || tb !== 'object') return UNDECIDED;
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return isPlain(b as object) ? DIFFERENT : UNDECIDED;
    if (a.length !== b.length) return DIFFERENT;
    let answer = SAME;
    for (let i = 0; i < a.length; i++) {
      // An undefined item is written null inside an array (not left out as a member is): leave that to the texts.
      if (a[i] === undefined || b[i] === undefined) return UNDECIDED;
      const item = compareJson(a[i], b[i]);
      if (item === UNDECIDED) return UNDECIDED;
      if (item === DIFFERENT) answer = DIFFERENT;
    }
    return answer;
  }
  if (!isPlain(a as object) || !isPlain(b as object) || Array.isArray(b)) return UNDECIDED;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  let answer = ka.length === kb.length ? SAME : DIFFERENT;
  for (let i = 0; i < ka.length; i++) {
    if (answer === SAME && ka[i] !== kb[i]) answer = DIFFERENT;
    const va = (a as Record<string, unknown>)[ka[i]!];
    if (va === undefined || typeof va === 'function' || typeof va === 'symbol') return UNDECIDED;
    if (answer === SAME) {
      const member = compareJson(va, (b as Record<string, unknown>)[kb[i]!]);
      if (member === UNDECIDED) return UNDECIDED;
      if (member === DIFFERENT) answer = DIFFERENT;
    }
  }
  for (const key of kb) {
    const vb = (b as Record<string, unknown>)[key];
    if (vb === undefined || typeof vb === 'function' || typeof vb === 'symbol') return UNDECIDED;
  }
  return answer;
}

/** A string, boolean, finite number or null: a value whose JSON text is its own and differs between unequal ones. */
function isSimple(value: unknown, type: string): boolean {
  return type === 'string' || type === 'boolean' || value === null || (type === 'number' && Number.isFinite(value));
}

/** A plain object or array without `toJSON` (what JSON.parse produces). */
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null || proto === Array.prototype) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
