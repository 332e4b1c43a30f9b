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

/**
 * JSON text with object members sorted by name (recursively), so that two values with the same content give the same
 * text whatever their member order; array order is significant. Members whose value is `undefined` are left out, as
 * `JSON.stringify` leaves them out; `undefined` itself (top level or in an array) is written `null`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops and one string: this runs for every piece a translation fingerprints.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
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
