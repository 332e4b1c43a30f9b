/**
 * Freshness of did:web responses as a shared cache computes it (RFC 9111 §4.2.1, §5.2, §5.3).
 */
import { describe, expect, it } from 'vitest';
import { freshnessSeconds, parseCacheControl } from '../../adapters/web/cache-control.js';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('parseCacheControl()', () => {
  it('reads tokens, arguments and quoted arguments, case-insensitively by name', () => {
    expect(parseCacheControl('Max-Age=60, no-transform,  s-maxage="30"')).toEqual([
      { name: 'max-age', value: '60' },
      { name: 'no-transform', value: undefined },
      { name: 's-maxage', value: '30' },
    ]);
  });

  it('does not split on a comma inside a quoted argument', () => {
    expect(parseCacheControl('no-cache="set-cookie, x-foo", max-age=5')).toEqual([
      { name: 'no-cache', value: 'set-cookie, x-foo' },
      { name: 'max-age', value: '5' },
    ]);
  });

  it('skips empty list elements', () => {
    expect(parseCacheControl(' , ,max-age=5,,')).toEqual([{ name: 'max-age', value: '5' }]);
    expect(parseCacheControl('')).toEqual([]);
  });
});

describe('freshnessSeconds()', () => {
  const cases: Array<[string, Record<string, string>, number | undefined]> = [
    ['no caching headers: the caller decides', {}, undefined],
    ['max-age', { 'cache-control': 'max-age=300' }, 300],
    ['quoted max-age (tolerated, RFC 9111 §5.2)', { 'cache-control': 'max-age="300"' }, 300],
    ['s-maxage wins over max-age for a shared cache', { 'cache-control': 'max-age=300, s-maxage=10' }, 10],
    ['no-store', { 'cache-control': 'max-age=300, no-store' }, 0],
    ['no-cache (we never revalidate)', { 'cache-control': 'no-cache' }, 0],
    ['private (a shared cache must not reuse it)', { 'cache-control': 'private, max-age=60' }, 0],
    ['qualified no-cache only restricts the named fields', { 'cache-control': 'no-cache="set-cookie", max-age=60' }, 60],
    ['a malformed max-age counts as stale', { 'cache-control': 'max-age=soon' }, 0],
    ['a negative max-age counts as stale', { 'cache-control': 'max-age=-5' }, 0],
    ['conflicting duplicates take the smallest', { 'cache-control': 'max-age=60, max-age=30' }, 30],
    ['duplicate headers joined by the client', { 'cache-control': 'public, max-age=600, max-age=20' }, 20],
    ['Age is subtracted', { 'cache-control': 'max-age=60', age: '45' }, 15],
    ['an Age beyond the lifetime leaves 0, never negative', { 'cache-control': 'max-age=60', age: '90' }, 0],
    ['a malformed Age is ignored', { 'cache-control': 'max-age=60', age: 'old' }, 60],
    ['huge values saturate at 2^31 (RFC 9111 §1.2.2)', { 'cache-control': 'max-age=99999999999999999999' }, 2 ** 31],
    [
      'Expires relative to Date',
      { expires: 'Sun, 01 Mar 2026 12:10:00 GMT', date: 'Sun, 01 Mar 2026 12:05:00 GMT' },
      300,
    ],
    ['Expires relative to now without Date', { expires: 'Sun, 01 Mar 2026 12:01:00 GMT' }, 60],
    ['Expires in the past', { expires: 'Sun, 01 Mar 2026 11:00:00 GMT' }, 0],
    ['an invalid Expires means already expired (RFC 9111 §5.3)', { expires: '0' }, 0],
    ['max-age overrides Expires', { 'cache-control': 'max-age=5', expires: 'Sun, 01 Mar 2026 13:00:00 GMT' }, 5],
    ['no-store overrides Expires', { 'cache-control': 'no-store', expires: 'Sun, 01 Mar 2026 13:00:00 GMT' }, 0],
    ['unrelated directives say nothing', { 'cache-control': 'public, immutable' }, undefined],
  ];
  it.each(cases)('%s', (_name, headers, expected) => {
    expect(freshnessSeconds(headers, NOW)).toBe(expected);
  });
});
