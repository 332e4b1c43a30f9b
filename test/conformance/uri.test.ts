/** RFC 3986 URI syntax and normalisation as the service and alsoKnownAs checks use them. */
import { describe, expect, it } from 'vitest';
import { isUri, normalisationProblem, splitUri, uriProblem } from '../../conformance/checks/uri.js';

describe('uriProblem (RFC 3986 §3)', () => {
  it.each([
    'https://example.com',
    'https://example.com/',
    'http://user:pw@example.com:8080/a/b?c=d&e#f',
    'https://[2001:db8::1]/',
    'https://[v1.fe80::a+en1]/',
    'https://192.0.2.1:443/',
    'did:example:123456789abcdefghi',
    'did:example:123#key-1',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    'mailto:alice@example.com',
    'https://example.com/%E4%B8%AD%E6%96%87',
    'file:///etc/hosts',
    'x:',
    'a:////b',
  ])('accepts %s', (value) => {
    expect(uriProblem(value)).toBeUndefined();
    expect(isUri(value)).toBe(true);
  });

  it.each([
    ['', /no scheme/],
    ['example.com/path', /no scheme/],
    ['//example.com/path', /no scheme/],
    ['#key-1', /no scheme/],
    ['1https://example.com', /scheme/],
    ['47.94.58.127:8080', /scheme/],
    ['https://exa mple.com/', /host/],
    ['https://example.com/a b', /path/],
    ['https://example.com/中文', /path/],
    ['https://example.com/?q=a b', /query/],
    ['https://example.com/#a#b', /fragment/],
    ['https://example.com:80a/', /port/],
    ['https://[::1/', /IP literal/],
    ['https://[fe80::1%25eth0]/', /IPv6/],
    ['https://[::1]x/', /IP literal/],
    ['https://example.com/%zz', /path/],
    ['https://us er@example.com/', /userinfo/],
  ])('rejects %j', (value, reason) => {
    expect(uriProblem(value)).toMatch(reason);
    expect(isUri(value)).toBe(false);
  });

  it('isUri is false for non-strings', () => {
    expect(isUri(42)).toBe(false);
    expect(isUri(null)).toBe(false);
  });

  it('splits as RFC 3986 Appendix B does', () => {
    expect(splitUri('https://a.example:1/p?q#f')).toEqual({ scheme: 'https', authority: 'a.example:1', path: '/p', query: 'q', fragment: 'f' });
    expect(splitUri('did:example:1')).toEqual({ scheme: 'did', authority: undefined, path: 'example:1', query: undefined, fragment: undefined });
  });
});

describe('normalisationProblem (RFC 3986 §6.2.2 and the default port of §6.2.3)', () => {
  it.each([
    'https://bar.example.com',
    'https://bar.example.com/',
    'https://bar.example.com:8443/a?b=%2F#c',
    'https://[2001:db8::1]/',
    'did:example:123#key-1',
    'https://example.com/caf%C3%A9',
    'https://user:Secret@example.com/',
    'https://example.com/A/B',
  ])('%s is normal', (value) => {
    expect(normalisationProblem(value)).toBeUndefined();
  });

  it.each([
    ['HTTPS://bar.example.com', /scheme/],
    ['https://Bar.example.com', /host/],
    ['https://[2001:DB8::1]/', /host/],
    ['https://example.com/caf%c3%a9', /upper case/],
    ['https://example.com/%41', /unreserved/],
    ['https://example.com/%7E', /unreserved/],
    ['https://example.com/a/./b', /dot/],
    ['https://example.com/a/../b', /dot/],
    ['http://example.com:80/', /default/],
    ['https://example.com:443', /default/],
    ['wss://example.com:443/', /default/],
    ['https://example.com:/', /port separator/],
  ])('%s is not normal', (value, reason) => {
    expect(normalisationProblem(value)).toMatch(reason);
  });
});
