/**
 * Reading helpers shared by the resolution, dereferencing, HTTP and translation checks. Checks receive whatever a
 * target observed (a live driver can answer anything), so every reader here accepts `unknown` and never throws.
 */
import { parseErrorName } from '../../src/errors.js';
import { DOCUMENT_MEDIA_TYPES, type ErrorName } from '../../src/spec.js';
import type { ExpectedOutcome } from '../catalogue.js';

export type JsonMap = Record<string, unknown>;

/** A plain JSON object (not an array, not a class instance). */
export function isMap(value: unknown): value is JsonMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What kind of value something is, for messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return 'an array';
  if (isMap(value)) return 'a map';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'non-plain'} object`;
  return `a ${typeof value}`;
}

/** A value for a message: JSON, shortened to `max` characters; never throws. */
export function show(value: unknown, max = 80): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = typeName(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Own member of a map, or undefined (never reads inherited members such as `constructor`). */
export function member(map: unknown, name: string): unknown {
  return isMap(map) && Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
}

export function has(map: unknown, name: string): boolean {
  return isMap(map) && Object.prototype.hasOwnProperty.call(map, name);
}

/** The error name of an error value in any spelling (URL type, bare token, legacy keyword), if it names one. */
export function errorNameOf(error: unknown): ErrorName | undefined {
  return parseErrorName(error);
}

/** Whether an expected outcome is an error (did-test-suite: names ending in `ErrorOutcome`). */
export function isErrorOutcome(outcome: ExpectedOutcome | undefined): boolean {
  return outcome !== undefined && outcome.endsWith('ErrorOutcome');
}

/** The DID Resolution error each error outcome stands for. */
export const ERROR_OF_OUTCOME: Partial<Record<ExpectedOutcome, ErrorName>> = {
  invalidDidErrorOutcome: 'INVALID_DID',
  invalidDidUrlErrorOutcome: 'INVALID_DID_URL',
  invalidOptionsErrorOutcome: 'INVALID_OPTIONS',
  methodNotSupportedErrorOutcome: 'METHOD_NOT_SUPPORTED',
  notFoundErrorOutcome: 'NOT_FOUND',
  representationNotSupportedErrorOutcome: 'REPRESENTATION_NOT_SUPPORTED',
};

/**
 * Media types of DID document representations: the three didbridge produces plus CBOR, which DID Core 1.0 also
 * defines (§6.4 was removed in the Recommendation, but resolvers still announce it).
 */
export const DOCUMENT_TYPES: readonly string[] = [...DOCUMENT_MEDIA_TYPES, 'application/did+cbor'];

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** Whether every character is ASCII. */
export function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Parses JSON text, or returns undefined (checks report the failure themselves). */
export function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** A deep equality of JSON values; map member order is ignored, array order is not. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => has(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** One difference between two JSON values, located by a JSON pointer. */
export interface JsonDifference {
  pointer: string;
  expected: unknown;
  actual: unknown;
  /** `missing`: in expected only; `unexpected`: in actual only; `changed`: both, different. */
  kind: 'missing' | 'unexpected' | 'changed';
}

function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The differences between an expected and an actual JSON value, as JSON pointers, at most `limit` of them. Maps are
 * compared member by member; arrays item by item (a length difference shows as missing or unexpected items).
 */
export function jsonDiff(expected: unknown, actual: unknown, limit = 20, at = ''): JsonDifference[] {
  const out: JsonDifference[] = [];
  const walk = (e: unknown, a: unknown, p: string): void => {
    if (out.length >= limit) return;
    if (isMap(e) && isMap(a)) {
      const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
      for (const k of keys) {
        const q = `${p}/${escapeToken(k)}`;
        if (!has(a, k)) out.push({ pointer: q, expected: e[k], actual: undefined, kind: 'missing' });
        else if (!has(e, k)) out.push({ pointer: q, expected: undefined, actual: a[k], kind: 'unexpected' });
        else walk(e[k], a[k], q);
        if (out.length >= limit) return;
      }
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) {
        const q = `${p}/${i}`;
        if (i >= a.length) out.push({ pointer: q, expected: e[i], actual: undefined, kind: 'missing' });
        else if (i >= e.length) out.push({ pointer: q, expected: undefined, actual: a[i], kind: 'unexpected' });
        else walk(e[i], a[i], q);
        if (out.length >= limit) return;
      }
      return;
    }
    if (!jsonEqual(e, a)) out.push({ pointer: p, expected: e, actual: a, kind: 'changed' });
  };
  walk(expected, actual, at);
  return out;
}

/** A one-line description of a difference. */
export function describeDifference(d: JsonDifference): string {
  const where = d.pointer === '' ? '(root)' : d.pointer;
  if (d.kind === 'missing') return `${where}: expected ${show(d.expected, 60)}, absent`;
  if (d.kind === 'unexpected') return `${where}: not expected, found ${show(d.actual, 60)}`;
  return `${where}: expected ${show(d.expected, 60)}, found ${show(d.actual, 60)}`;
}

/**
 * Walks a metadata value and reports what is not a string, map, list, boolean or null (DID Core §7.3). Pointers are
 * relative to `at`.
 */
export function nonMetadataValues(value: unknown, at: string, found: Array<{ at: string; why: string }>, depth = 0): void {
  if (found.length >= 20) return;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (depth > 64) {
    found.push({ at, why: 'the value nests deeper than 64 levels' });
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => nonMetadataValues(v, `${at}/${i}`, found, depth + 1));
  else if (isMap(value)) {
    for (const k of Object.keys(value)) nonMetadataValues(value[k], `${at}/${escapeToken(k)}`, found, depth + 1);
  } else {
    const hint = typeof value === 'number' ? ' (numbers are not among the DID Core metadata types; use a string)' : '';
    found.push({ at, why: `the value is ${typeName(value)}${hint}` });
  }
}
