/**
 * Error vocabulary (DID Resolution §errors; resolver-contract §2.1): RFC 9457 objects, every alias on input, the
 * legacy keywords on output.
 */
import { describe, expect, it } from 'vitest';
import {
  DidBridgeError,
  ERROR_TITLES,
  InvalidDidError,
  InvalidDidUrlError,
  legacyErrorKeyword,
  parseErrorName,
  problem,
  toDidBridgeError,
} from '../../src/errors.js';
import { ERROR_NAMES, type ErrorName } from '../../src/spec.js';

/** The legacy keywords, written out from resolver-contract §2.1 and the DID Core 1.0-era suites. */
const LEGACY: Record<ErrorName, string> = {
  INVALID_DID: 'invalidDid',
  INVALID_DID_URL: 'invalidDidUrl',
  INVALID_DID_DOCUMENT: 'invalidDidDocument',
  INVALID_OPTIONS: 'invalidOptions',
  NOT_FOUND: 'notFound',
  REPRESENTATION_NOT_SUPPORTED: 'representationNotSupported',
  METHOD_NOT_SUPPORTED: 'methodNotSupported',
  FEATURE_NOT_SUPPORTED: 'featureNotSupported',
  INTERNAL_ERROR: 'internalError',
  INVALID_VERIFICATION_METHOD: 'invalidVerificationMethod',
  INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD: 'invalidRelationshipForVerificationMethod',
};

describe('legacyErrorKeyword', () => {
  it.each(ERROR_NAMES.map((n) => [n, LEGACY[n]] as const))('%s → %s', (name, keyword) => {
    expect(legacyErrorKeyword(name)).toBe(keyword);
  });
});

describe('parseErrorName', () => {
  const aliases = (name: ErrorName): string[] => [
    name,
    `https://www.w3.org/ns/did#${name}`,
    LEGACY[name],
    `https://www.w3.org/ns/did#${LEGACY[name]}`,
    name.toLowerCase(),
    name.toLowerCase().replace(/_/g, '-'),
    LEGACY[name].toUpperCase(),
  ];
  it.each(ERROR_NAMES.map((n) => [n] as const))('reads every alias of %s, case- and underscore-insensitively', (name) => {
    for (const alias of aliases(name)) {
      expect(parseErrorName(alias), alias).toBe(name);
      expect(parseErrorName({ type: alias, title: 'x' }), `{type: ${alias}}`).toBe(name);
    }
  });

  it("reads did-resolver's unsupportedDidMethod as METHOD_NOT_SUPPORTED", () => {
    expect(parseErrorName('unsupportedDidMethod')).toBe('METHOD_NOT_SUPPORTED');
  });

  it.each([undefined, null, 42, '', 'teapot', 'https://www.w3.org/ns/did#TEAPOT', 'https://example.org/ns#NOT_FOUND', { type: 7 }, {}, []])(
    'returns undefined for %j',
    (value) => {
      expect(parseErrorName(value)).toBeUndefined();
    },
  );
});

describe('problem() and DidBridgeError', () => {
  it('builds an RFC 9457 object with a URL type and the title', () => {
    expect(problem('NOT_FOUND', 'no such DID')).toEqual({
      type: 'https://www.w3.org/ns/did#NOT_FOUND',
      title: 'Not found',
      detail: 'no such DID',
    });
    expect(problem('INTERNAL_ERROR')).toEqual({ type: 'https://www.w3.org/ns/did#INTERNAL_ERROR', title: 'Internal error' });
  });

  it('has a title for every error name', () => {
    for (const name of ERROR_NAMES) expect(ERROR_TITLES[name].length).toBeGreaterThan(3);
  });

  it('carries extensions, which cannot overwrite type, title or detail; numbers become strings (DID Core §7.3)', () => {
    const p = problem('NOT_FOUND', 'real detail', { type: 'https://evil.example/', title: 'x', detail: 'y', upstreamStatus: 404 });
    expect(p).toEqual({ type: 'https://www.w3.org/ns/did#NOT_FOUND', title: 'Not found', detail: 'real detail', upstreamStatus: '404' });
  });

  it('subclasses carry their code, and toProblem() uses it', () => {
    const e = new InvalidDidUrlError('bad', { cause: new Error('inner') });
    expect(e).toBeInstanceOf(DidBridgeError);
    expect(e.code).toBe('INVALID_DID_URL');
    expect(e.name).toBe('InvalidDidUrlError');
    expect((e.cause as Error).message).toBe('inner');
    expect(e.toProblem()).toEqual({ type: 'https://www.w3.org/ns/did#INVALID_DID_URL', title: 'Invalid DID URL', detail: 'bad' });
    expect(new InvalidDidError('x').code).toBe('INVALID_DID');
  });
});

describe('toDidBridgeError', () => {
  it('passes a DidBridgeError through unchanged', () => {
    const e = new InvalidDidError('x');
    expect(toDidBridgeError(e)).toBe(e);
  });

  it.each<[string, unknown, string]>([
    ['an Error', new RangeError('out of range'), 'out of range'],
    ['a string', 'boom', 'boom'],
    ['an Error without a message', new Error(''), 'unexpected failure'],
    ['undefined', undefined, 'undefined'],
  ])('turns %s into INTERNAL_ERROR, keeping the cause', (_name, thrown, message) => {
    const e = toDidBridgeError(thrown);
    expect(e.code).toBe('INTERNAL_ERROR');
    expect(e.message).toBe(message);
    expect(e.cause).toBe(thrown);
  });
});
