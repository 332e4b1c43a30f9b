/**
 * DID Core §3.1 / §3.2 syntax, against the vectors in fixtures/syntax/ (did-test-suite's plus our own).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DidBridgeError, InvalidDidError, InvalidDidUrlError } from '../../src/errors.js';
import { isBareDid, isDid, isDidUrl, isOwnPlainFragmentUrl, isPlainFragment, parseDid, parseDidUrl } from '../../src/syntax/did-url.js';
import { buildGenerated, loadDids, loadDidUrls } from './fixtures.js';

const dids = loadDids();
const urls = loadDidUrls();

/** Calls `fn` and returns what it threw (failing the test if it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('fixtures', () => {
  it('record where the copied vectors come from', () => {
    for (const f of [dids, urls]) {
      expect(f.source.repo).toBe('w3c/did-test-suite');
      expect(f.source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(f.source.paths.length).toBeGreaterThan(0);
    }
    for (const v of [...dids.invalid, ...urls.invalid]) {
      expect(v.reason.length).toBeGreaterThan(0);
      expect(v.spec).toMatch(/^https:\/\//);
    }
  });
});

describe('3.1 DID Syntax: parseDid', () => {
  it.each(dids.valid.map((v) => [v.value.slice(0, 100), v] as const))('accepts %s', (_label, v) => {
    expect(parseDid(v.value)).toEqual({ did: v.value, method: v.method, methodSpecificId: v.methodSpecificId });
    expect(isDid(v.value)).toBe(true);
    // A DID is also a DID URL with nothing after it.
    const asUrl = parseDidUrl(v.value);
    expect(asUrl.did).toBe(v.value);
    expect(isBareDid(asUrl)).toBe(true);
  });

  const invalid: Array<[string, unknown, string]> = [
    ...dids.invalid.map((v) => [JSON.stringify(v.value).slice(0, 100), v.value, v.reason] as [string, unknown, string]),
    // jest-did-matcher's vectors that JSON cannot hold.
    ['undefined', undefined, 'not a string'],
    ['NaN', Number.NaN, 'not a string'],
    ['an object', { did: 'did:example:123' }, 'not a string'],
  ];
  it.each(invalid)('refuses %s with InvalidDidError (INVALID_DID)', (_label, value, reason) => {
    const err = thrown(() => parseDid(value));
    expect(err, reason).toBeInstanceOf(InvalidDidError);
    expect((err as DidBridgeError).code).toBe('INVALID_DID');
    expect((err as Error).message.length).toBeGreaterThan(0);
    expect(isDid(value)).toBe(false);
  });

  it('says where and why a DID is invalid', () => {
    expect((thrown(() => parseDid('did:example:ab%G1')) as Error).message).toMatch(/position 14: a "%" must start/);
    expect((thrown(() => parseDid('did:EXAMPLE:1')) as Error).message).toMatch(/position 4/);
    expect((thrown(() => parseDid('did:example:abc:')) as Error).message).toMatch(/must not end with ":"/);
  });

  it('shortens a long input in the error message', () => {
    const err = thrown(() => parseDid('did:example:' + 'a'.repeat(5000) + '!')) as Error;
    expect(err.message.length).toBeLessThan(300);
  });
});

describe('3.1 DID Syntax: long inputs', () => {
  it.each(dids.generated.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    const input = buildGenerated(g);
    expect(input.length).toBeGreaterThan(60_000);
    const limits = g.maxLength === undefined ? undefined : { maxLength: g.maxLength };
    if (g.expect === 'valid') {
      expect(parseDid(input, limits).did).toBe(input);
      expect(parseDidUrl(input + '/p?q=1#f', { maxLength: input.length + 8 }).did).toBe(input);
    } else {
      expect(thrown(() => parseDid(input, limits))).toBeInstanceOf(InvalidDidError);
      expect(thrown(() => parseDidUrl(input, limits))).toBeInstanceOf(InvalidDidUrlError);
    }
  });

  it('applies the default limit of 8192 characters', () => {
    const fits = 'did:example:' + 'a'.repeat(8192 - 12);
    expect(parseDid(fits).did).toBe(fits);
    expect((thrown(() => parseDid(fits + 'a')) as Error).message).toMatch(/8193 characters long; the limit is 8192/);
  });

  it('parses a 64 KiB DID URL with a long path, query and fragment once the limit is raised', () => {
    const url = 'did:example:123/' + 'p/'.repeat(10_000) + '?' + 'a=1&'.repeat(5_000) + '#' + 'f'.repeat(10_000);
    const parsed = parseDidUrl(url, { maxLength: 65_536 });
    expect(parsed.path.length).toBe(1 + 20_000);
    expect(parsed.params).toHaveLength(5_000);
    expect(parsed.fragment).toHaveLength(10_000);
  });
});

describe('3.2 DID URL Syntax: parseDidUrl', () => {
  it.each(urls.valid.map((v) => [v.value.slice(0, 120), v] as const))('accepts %s', (_label, v) => {
    const parsed = parseDidUrl(v.value);
    expect(parsed.didUrl).toBe(v.value);
    expect(parsed.did).toBe(v.did);
    expect(parsed.path).toBe(v.path);
    expect(parsed.query).toBe(v.query);
    expect(parsed.fragment).toBe(v.fragment);
    if (v.params) expect(parsed.params).toEqual(v.params);
    expect(parseDid(parsed.did)).toEqual({ did: parsed.did, method: parsed.method, methodSpecificId: parsed.methodSpecificId });
    expect(isDidUrl(v.value)).toBe(true);
  });

  const syntaxInvalid: Array<[string, unknown, string]> = [
    ...urls.invalid
      .filter((v) => v.layer === 'syntax')
      .map((v) => [JSON.stringify(v.value).slice(0, 120), v.value, v.reason] as [string, unknown, string]),
    ['undefined', undefined, 'not a string'],
    ['NaN', Number.NaN, 'not a string'],
  ];
  it.each(syntaxInvalid)('refuses %s with InvalidDidUrlError (INVALID_DID_URL)', (_label, value, reason) => {
    const err = thrown(() => parseDidUrl(value));
    expect(err, reason).toBeInstanceOf(InvalidDidUrlError);
    expect((err as DidBridgeError).code).toBe('INVALID_DID_URL');
    expect(isDidUrl(value)).toBe(false);
  });

  it('lets the DID parameter rules, not the syntax, refuse the did-parameter vectors', () => {
    const layered = urls.invalid.filter((v) => v.layer === 'did-parameter');
    expect(layered.length).toBeGreaterThan(20);
    for (const v of layered) expect(isDidUrl(v.value), String(v.value)).toBe(true);
  });

  it('keeps the path, query and fragment percent-encoded, and decodes only query names and values', () => {
    const parsed = parseDidUrl('did:example:123/a%2Fb?n%61me=v%2Fx#fr%61g');
    expect(parsed.path).toBe('/a%2Fb');
    expect(parsed.query).toBe('n%61me=v%2Fx');
    expect(parsed.fragment).toBe('fr%61g');
    expect(parsed.params).toEqual([['name', 'v/x']]);
  });
});

describe('disagreements between the ABNF and did-test-suite', () => {
  const all = [...dids.disagreements.map((d) => ({ ...d, asUrl: false })), ...urls.disagreements.map((d) => ({ ...d, asUrl: true }))];
  it.each(all.map((d) => [d.value, d] as const))('%s follows our recorded verdict', (_label, d) => {
    const ok = d.asUrl ? isDidUrl(d.value) : isDid(d.value);
    expect(ok ? 'valid' : 'invalid', d.reason).toBe(d.didbridge);
  });
});

describe('translation fast paths: own DID plus a plain fragment', () => {
  const SPEC_DID = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';
  const fragmentChars = fc.constantFrom(...'aZ09-._~!$&\'()*+,;=:@/?#% é\u0000[]"<>\\^`{|}\u007f'.split(''));
  const fragment = fc.array(fragmentChars, { maxLength: 12 }).map((cs) => cs.join(''));
  const dids = [SPEC_DID, 'did:bid:ef24NBA7au48UTZrUNRHj2p3bnRzF3YCH', 'did:weid:1:0x1e7115081c178459be8d3844dd129b2234edc6be', 'did:web:example.com', 'did:example:a:b', 'did:example:a%20b'];

  it('isOwnPlainFragmentUrl: true only where parseDidUrl reads that DID and that fragment', () => {
    fc.assert(
      fc.property(fc.constantFrom(...dids), fc.constantFrom('', '#', '/', '?', 'x', ':'), fragment, fc.constantFrom(...dids), (did, sep, tail, own) => {
        const text = `${did}${sep}${tail}`;
        if (!isOwnPlainFragmentUrl(text, own)) return;
        const parsed = parseDidUrl(text);
        expect(parsed.did).toBe(own);
        expect(parsed.fragment).toBe(text.slice(own.length + 1));
      }),
      { numRuns: 3000, seed: 20261126 },
    );
    // It decides the common forms, and leaves the others to the parser.
    expect(isOwnPlainFragmentUrl(`${SPEC_DID}#key-1`, SPEC_DID)).toBe(true);
    expect(isOwnPlainFragmentUrl(`${SPEC_DID}#`, SPEC_DID)).toBe(true);
    expect(isOwnPlainFragmentUrl(`${SPEC_DID}#a%20b`, SPEC_DID)).toBe(false);
    expect(isOwnPlainFragmentUrl(`${SPEC_DID}x#k`, SPEC_DID)).toBe(false);
    expect(isOwnPlainFragmentUrl(SPEC_DID, SPEC_DID)).toBe(false);
    expect(isOwnPlainFragmentUrl(`${SPEC_DID}#${'a'.repeat(8192)}`, SPEC_DID)).toBe(false);
  });

  it('isPlainFragment: a valid DID, "#" and a plain fragment is a DID URL; over the length limit it decides nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...dids), fragment, (did, tail) => {
        const text = `${did}#${tail}`;
        if (isPlainFragment(text, did.length + 1)) expect(isDidUrl(text)).toBe(true);
      }),
      { numRuns: 3000, seed: 20261126 },
    );
    expect(isPlainFragment(`${SPEC_DID}#key-1`, SPEC_DID.length + 1)).toBe(true);
    expect(isPlainFragment(`${SPEC_DID}#${'a'.repeat(9000)}`, SPEC_DID.length + 1)).toBe(false);
  });
});
