/**
 * The small utilities the resolver relies on: bounded JSON parsing, datetime normalisation, the cache and TTL rule,
 * and Accept parsing.
 */
import { describe, expect, it, vi, afterEach } from 'vitest';
import { DEFAULT_CACHE_POLICY, MemoryCache, ttlFor, type CachedOutcome } from '../../src/cache.js';
import { DidBridgeError } from '../../src/errors.js';
import { parseAccept } from '../../src/representation.js';
import { DID_DATETIME, isDidDatetime, normaliseDatetime } from '../../src/util/datetime.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJsonSafe } from '../../src/util/json.js';
import { resolved } from './test-adapter.js';

afterEach(() => {
  vi.useRealTimers();
});

function thrown(fn: () => unknown): DidBridgeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DidBridgeError);
    return err as DidBridgeError;
  }
  throw new Error('expected a throw');
}

describe('parseJsonSafe', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('parses JSON up to the depth limit and refuses one level more', () => {
    expect(parseJsonSafe(nested(DEFAULT_MAX_JSON_DEPTH))).toBeDefined();
    const e = thrown(() => parseJsonSafe(nested(DEFAULT_MAX_JSON_DEPTH + 1)));
    expect(e.code).toBe('INTERNAL_ERROR');
    expect(e.message).toMatch(/deeper than the limit of 64/);
  });

  it('counts objects and arrays alike, honours a custom limit and error code', () => {
    expect(parseJsonSafe('{"a":{"b":[1]}}', { maxDepth: 3 })).toEqual({ a: { b: [1] } });
    expect(thrown(() => parseJsonSafe('{"a":{"b":[1]}}', { maxDepth: 2 }, 'INVALID_DID_DOCUMENT')).code).toBe('INVALID_DID_DOCUMENT');
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    const text = JSON.stringify({ s: '[[[[{{{{"\\"[[[[', t: ['x'] });
    expect(parseJsonSafe(text, { maxDepth: 2 })).toEqual({ s: '[[[[{{{{"\\"[[[[', t: ['x'] });
  });

  it('refuses 1 MiB of "[" with a typed error instead of overflowing the stack', () => {
    expect(thrown(() => parseJsonSafe('['.repeat(1 << 20))).message).toMatch(/deeper than the limit/);
  });

  it('drops __proto__ keys at any depth and never touches Object.prototype', () => {
    const value = parseJsonSafe('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2},"b":1},"list":[{"__proto__":{"x":1}}]}') as Record<string, unknown>;
    expect(value).toEqual({ a: { b: 1 }, list: [{}] });
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.assign({}, value).polluted).toBeUndefined();
  });

  it('keeps ordinary keys that merely look special', () => {
    expect(parseJsonSafe('{"constructor":1,"proto":2,"__proto":3}')).toEqual({ constructor: 1, proto: 2, __proto: 3 });
  });

  it.each(['', '{', '{"a":}', 'undefined', "{'a':1}"])('refuses %j as not JSON', (text) => {
    expect(thrown(() => parseJsonSafe(text, {}, 'INVALID_OPTIONS')).code).toBe('INVALID_OPTIONS');
  });

  it('refuses a value that is not text with a typed error', () => {
    expect(thrown(() => parseJsonSafe(undefined as unknown as string)).message).toMatch(/expected JSON text/);
  });
});

describe('normaliseDatetime', () => {
  it.each<[unknown, string | undefined]>([
    ['2020-12-20T19:17:47Z', '2020-12-20T19:17:47Z'],
    ['2020-12-20T19:17:47.999Z', '2020-12-20T19:17:47Z'],
    ['2020-12-20T19:17:47.123456789Z', '2020-12-20T19:17:47Z'],
    ['2020-12-20T21:17:47+02:00', '2020-12-20T19:17:47Z'],
    ['2020-12-20T14:17:47.5-05:00', '2020-12-20T19:17:47Z'],
    ['2020-12-21T03:17:47+0800', '2020-12-20T19:17:47Z'],
    ['2020-12-21T03:17:47+08', '2020-12-20T19:17:47Z'],
    ['2020-12-20t19:17:47z', '2020-12-20T19:17:47Z'],
    ['2020-12-20 19:17:47', '2020-12-20T19:17:47Z'],
    ['2020-12-20T19:17:47', '2020-12-20T19:17:47Z'],
    ['2020-12-20T19:17', '2020-12-20T19:17:00Z'],
    ['2020-12-20', '2020-12-20T00:00:00Z'],
    ['  2020-12-20T19:17:47Z  ', '2020-12-20T19:17:47Z'],
    ['2020-12-20T24:00:00Z', '2020-12-21T00:00:00Z'],
    ['2020-02-29T00:00:00Z', '2020-02-29T00:00:00Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'],
    [1608491867, '2020-12-20T19:17:47Z'],
    [1608491867.9, '2020-12-20T19:17:47Z'],
    [1608491867123, '2020-12-20T19:17:47Z'],
    ['1608491867', '2020-12-20T19:17:47Z'],
    ['1608491867123', '2020-12-20T19:17:47Z'],
    [0, '1970-01-01T00:00:00Z'],
    [-1.5, '1969-12-31T23:59:58Z'],
    [new Date('2020-12-20T19:17:47.250Z'), '2020-12-20T19:17:47Z'],
    ['foo 1', undefined],
    ['March 7 2020', undefined],
    ['12/20/2020', undefined],
    ['2021-02-29T00:00:00Z', undefined],
    ['1900-02-29T00:00:00Z', undefined],
    ['2020-13-01T00:00:00Z', undefined],
    ['2020-04-31T00:00:00Z', undefined],
    ['2020-12-20T24:00:01Z', undefined],
    ['2020-12-20T23:60:00Z', undefined],
    ['2020-12-20T23:59:60Z', undefined],
    ['2020-12-20T19:17:47+15:00', undefined],
    ['2020-12-20T19:17:47I', undefined],
    ['9999-12-31T23:59:59-01:00', undefined],
    ['10000-01-01T00:00:00Z', undefined],
    ['-0001-01-01T00:00:00Z', undefined],
    [1e20, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['', undefined],
    ['2020-12-20T19:17:47Z'.repeat(10), undefined],
    [null, undefined],
    [undefined, undefined],
    [{}, undefined],
    [new Date(Number.NaN), undefined],
  ])('%j → %j', (input, expected) => {
    const out = normaliseDatetime(input);
    expect(out).toBe(expected);
    if (out !== undefined) expect(out).toMatch(DID_DATETIME);
  });

  it('does not depend on the time zone of the machine', () => {
    const original = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Shanghai';
      expect(normaliseDatetime('2020-12-20T19:17:47')).toBe('2020-12-20T19:17:47Z');
      expect(normaliseDatetime('2020-12-20 19:17:47')).toBe('2020-12-20T19:17:47Z');
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('isDidDatetime accepts only the normalised form of a real instant', () => {
    expect(isDidDatetime('2020-12-20T19:17:47Z')).toBe(true);
    for (const v of ['2020-12-20T19:17:47.000Z', '2020-12-20T19:17:47+00:00', '2020-12-20T24:00:00Z', '2020-02-30T00:00:00Z', '2020-12-20', 7]) {
      expect(isDidDatetime(v), String(v)).toBe(false);
    }
  });
});

describe('MemoryCache and ttlFor', () => {
  const entry = (expiresAt: number): CachedOutcome => ({ kind: 'resolved', resolution: resolved(null), storedAt: 0, expiresAt });

  it('returns an entry until expiresAt, then misses and forgets it', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const cache = new MemoryCache();
    cache.set('k', entry(1_000_500), 500);
    expect(cache.get('k')).toBeDefined();
    vi.setSystemTime(1_000_500);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    const far = Date.now() + 60_000;
    cache.set('a', entry(far), 60_000);
    cache.set('b', entry(far), 60_000);
    cache.get('a');
    cache.set('c', entry(far), 60_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.stats.evictions).toBe(1);
  });

  it('bounds the total size in bytes', () => {
    const cache = new MemoryCache({ maxBytes: 2_000 });
    const far = Date.now() + 60_000;
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, entry(far), 60_000);
    expect(cache.size).toBeLessThan(50);
    expect(cache.get('k49')).toBeDefined();
  });

  it.each<[number | undefined, number]>([
    [undefined, DEFAULT_CACHE_POLICY.defaultTtlSeconds * 1000],
    [10, 10_000],
    [1e9, DEFAULT_CACHE_POLICY.maxTtlSeconds * 1000],
    [-3, 0],
    [Number.POSITIVE_INFINITY, DEFAULT_CACHE_POLICY.defaultTtlSeconds * 1000],
  ])('ttlFor(ttlSeconds %s) = %i ms', (ttlSeconds, ms) => {
    expect(ttlFor(resolved(null, ttlSeconds === undefined ? {} : { ttlSeconds }), DEFAULT_CACHE_POLICY)).toBe(ms);
  });
});

describe('parseAccept', () => {
  it('orders ranges by q, then specificity, then position, and drops q=0', () => {
    const ranges = parseAccept('*/*;q=0.1, application/*, application/did+json;q=0.9, text/plain;q=0, application/did');
    expect(ranges.map((r) => r.type)).toEqual(['application/did', 'application/*', 'application/did+json', '*/*']);
  });

  it('keeps a quoted parameter containing a comma in one range', () => {
    const [range] = parseAccept('application/ld+json;profile="https://w3id.org/did-resolution,x"');
    expect(range).toMatchObject({ type: 'application/ld+json', params: { profile: 'https://w3id.org/did-resolution,x' } });
  });
});
