/**
 * The shared `didbridgePreserved` wire form (src/preserved.ts) and the JSON helpers it rests on (src/util/json.ts):
 * wrapping, reading back defensively, fingerprints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHex } from '../../src/keys/codecs.js';
import { sha256 } from '../../src/keys/hash.js';
import {
  carriedNativeDocument,
  decodePreserved,
  fingerprint,
  MAX_PRESERVED_TEXT,
  PRESERVED_MEMBER,
  preserveNativeDocument,
  readPreserved,
  wrapPreserved,
} from '../../src/preserved.js';
import type { JsonObject } from '../../src/spec.js';
import { canonicalJson, isJsonObject, isMetadataValue, jsonString, kindOf } from '../../src/util/json.js';

const PRESERVED: JsonObject = { method: 'bid', shape: 'bid', extension: { ttl: 86400, type: 206 }, order: ['id', 'publicKey'] };

describe('wrapPreserved / readPreserved', () => {
  it('wraps as a self-describing map whose data is JSON text (no numbers in metadata, DID Core §7.3)', () => {
    const wrapped = wrapPreserved(PRESERVED);
    expect(wrapped).toStrictEqual({ format: 'application/json', method: 'bid', shape: 'bid', data: JSON.stringify(PRESERVED) });
    expect(Object.values(wrapped).every((v) => typeof v === 'string')).toBe(true);
  });

  it('reads back what it wrapped, and the bare object too, filtered by method and shape', () => {
    const holder = { [PRESERVED_MEMBER]: wrapPreserved(PRESERVED) };
    expect(readPreserved(holder)).toStrictEqual(PRESERVED);
    expect(readPreserved(holder, { shape: 'bid', method: 'bid' })).toStrictEqual(PRESERVED);
    expect(readPreserved({ [PRESERVED_MEMBER]: PRESERVED }, { shape: 'bid' })).toStrictEqual(PRESERVED);
    expect(readPreserved(holder, { shape: 'weid' })).toBeUndefined();
    expect(readPreserved(holder, { method: 'cndid' })).toBeUndefined();
  });

  it('refuses to wrap data without method and shape strings (TypeError naming the parameter)', () => {
    expect(() => wrapPreserved({ shape: 'bid' })).toThrow(/"preserved"/);
    expect(() => wrapPreserved(null as unknown as JsonObject)).toThrow(TypeError);
  });

  it('reads malformed, oversized or hostile data as absent, never throwing', () => {
    const wrapped = wrapPreserved(PRESERVED);
    for (const member of [
      { ...wrapped, data: '{not json' },
      { ...wrapped, data: 42 },
      { ...wrapped, data: '[1,2]' },
      { ...wrapped, data: `"${'x'.repeat(MAX_PRESERVED_TEXT)}"` },
      'text',
      null,
      [wrapped],
    ]) {
      expect(readPreserved({ [PRESERVED_MEMBER]: member })).toBeUndefined();
    }
    expect(readPreserved(undefined)).toBeUndefined();
    expect(readPreserved('did')).toBeUndefined();
    const polluted = decodePreserved({ format: 'application/json', data: '{"method":"bid","shape":"bid","__proto__":{"polluted":true}}' });
    expect(polluted).toStrictEqual({ method: 'bid', shape: 'bid' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('preserveNativeDocument / carriedNativeDocument', () => {
  const NATIVE: JsonObject = { id: 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2', extension: { ttl: 86400 }, version: '1.0.0' };

  it('carries the native document (and the inputs, when given) through the wire form and back', () => {
    const plain = preserveNativeDocument('bid', 'bid', NATIVE);
    expect(plain).toStrictEqual({ method: 'bid', shape: 'bid', document: NATIVE });
    const holder = { [PRESERVED_MEMBER]: wrapPreserved(plain) };
    expect(carriedNativeDocument(readPreserved(holder, { shape: 'bid' })!)).toStrictEqual({ document: NATIVE, inputs: {} });

    const withInputs = preserveNativeDocument('ccp', 'ccp', { publicKey: [] }, { did: 'did:ccp:2atbq78fz5F2wT3nexPExmupESQu' });
    const read = readPreserved({ [PRESERVED_MEMBER]: wrapPreserved(withInputs) })!;
    expect(carriedNativeDocument(read)).toStrictEqual({ document: { publicKey: [] }, inputs: { did: 'did:ccp:2atbq78fz5F2wT3nexPExmupESQu' } });
  });

  it('reads the earlier piece-by-piece form, and malformed documents or inputs, as carrying no document', () => {
    expect(carriedNativeDocument(PRESERVED)).toBeUndefined();
    expect(carriedNativeDocument({ method: 'bid', shape: 'bid', document: ['not', 'an', 'object'] })).toBeUndefined();
    expect(carriedNativeDocument({ method: 'bid', shape: 'bid', document: NATIVE, inputs: 'did:bid:x' })).toBeUndefined();
  });

  it('refuses a document that is not a JSON object, or a method or shape that is not a string (TypeError)', () => {
    expect(() => preserveNativeDocument('bid', 'bid', [] as unknown as JsonObject)).toThrow(/"document"/);
    expect(() => preserveNativeDocument(1 as unknown as string, 'bid', NATIVE)).toThrow(/"method"/);
  });
});

describe('fingerprint and canonicalJson', () => {
  it('is the SHA-256 of the canonical JSON (checked against the portable hash)', () => {
    const value = { b: [1, { y: 'é', x: null }], a: true };
    expect(canonicalJson(value)).toBe('{"a":true,"b":[1,{"x":null,"y":"é"}]}');
    expect(fingerprint(value)).toBe(encodeHex(sha256(canonicalJson(value))));
  });

  it('ignores member order, not array order; undefined members are left out as JSON.stringify does', () => {
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it('jsonString is JSON.stringify of a string (quotes, backslashes, controls, surrogates, lone ones too)', () => {
    const check = (text: string) => {
      expect(jsonString(text)).toBe(JSON.stringify(text));
    };
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' })), check), { numRuns: 3000, seed: 20261126 });
    for (const text of ['', 'version', '#keys-1', 'a"b', 'a\\b', '\u0000', '\u001f', '\u007f', '\ud800', '\udc00x', '\ud83d\ude00', '\u2028', 'é']) check(text);
  });

  it('isJsonObject and kindOf tell JSON kinds apart for error details', () => {
    expect([{}, [], null, 'x'].map(isJsonObject)).toEqual([true, false, false, false]);
    expect([undefined, null, [], 1, 'x', {}].map(kindOf)).toEqual(['missing', 'null', 'an array', 'a number', 'a string', 'an object']);
  });

  it('isMetadataValue admits what DID Core §7.3 allows in metadata: no numbers anywhere inside', () => {
    expect(isMetadataValue({ a: ['x', true, null, { b: 'c' }] })).toBe(true);
    expect(isMetadataValue({ a: [{ ttl: 60 }] })).toBe(false);
    expect(isMetadataValue(7)).toBe(false);
    expect(isMetadataValue(undefined)).toBe(false);
  });
});
