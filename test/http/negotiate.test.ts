/**
 * Units of the HTTP layer: Accept negotiation, status mapping, error profiles, rendering, the response cache and
 * the route table.
 */
import { describe, expect, it } from 'vitest';
import { problem } from '../../src/errors.js';
import { negotiateDereferencing, negotiateResolution, NegotiationMemo } from '../../src/http/negotiate.js';
import { locationFor, profileError, renderDereferencing, renderResolution, statusForError } from '../../src/http/render.js';
import { ResponseCache } from '../../src/http/response-cache.js';
import { RouteTable } from '../../src/http/routes.js';
import { parseIdentifierTarget } from '../../src/http/identifiers.js';
import { ERROR_NAMES } from '../../src/spec.js';

describe('negotiateResolution (resolver-contract §3.5)', () => {
  it('defaults to the whole result', () => {
    for (const accept of [undefined, '', '  ', '*/*', 'application/*', 'application/did-resolution']) {
      expect(negotiateResolution(accept)).toMatchObject({ kind: 'result', contentType: 'application/did-resolution' });
    }
  });

  it('recognises the legacy full-result type only with its profile', () => {
    expect(negotiateResolution('application/ld+json;profile="https://w3id.org/did-resolution"')).toMatchObject({
      kind: 'result',
      contentType: 'application/ld+json;profile="https://w3id.org/did-resolution"',
    });
    expect(negotiateResolution('application/ld+json')).toMatchObject({ kind: 'document', accept: 'application/did' });
  });

  it('maps document types, with json and ld+json as application/did', () => {
    expect(negotiateResolution('application/did+json')).toMatchObject({ kind: 'document', accept: 'application/did+json' });
    expect(negotiateResolution('application/json')).toMatchObject({ kind: 'document', accept: 'application/did' });
    expect(negotiateResolution('text/html, application/did+ld+json;q=0.5')).toMatchObject({
      kind: 'document',
      accept: 'application/did+ld+json',
    });
  });

  it('leaves everything else to the resolver, which answers 406', () => {
    expect(negotiateResolution('text/html')).toMatchObject({ kind: 'unacceptable', accept: 'text/html' });
    expect(negotiateResolution('application/did;q=0')).toMatchObject({ kind: 'unacceptable' });
  });
});

describe('negotiateDereferencing', () => {
  it('whole result for no Accept, wildcards and the result types', () => {
    for (const accept of [undefined, '*/*', 'application/did-url-dereferencing', 'application/did-resolution']) {
      expect(negotiateDereferencing(accept)).toMatchObject({ kind: 'result', contentType: 'application/did-url-dereferencing' });
    }
  });
  it('hands content types to the dereferencer', () => {
    expect(negotiateDereferencing('text/uri-list')).toEqual({ id: 'c:text/uri-list', kind: 'content', accept: 'text/uri-list' });
    expect(negotiateDereferencing('application/did-url-dereferencing;q=0.1, application/json')).toMatchObject({ kind: 'content' });
  });
});

describe('NegotiationMemo', () => {
  it('returns the same answer as the function and stays bounded', () => {
    let calls = 0;
    const memo = new NegotiationMemo((a) => {
      calls++;
      return negotiateResolution(a);
    }, 4);
    expect(memo.get('application/did')).toEqual(negotiateResolution('application/did'));
    memo.get('application/did');
    expect(calls).toBe(1);
    for (let i = 0; i < 10; i++) memo.get(`text/x-${i}`);
    memo.get('application/did');
    expect(calls).toBe(12);
  });
});

describe('status codes (binding status table)', () => {
  it('maps every DID Resolution error name, in every spelling', () => {
    const expected: Record<string, number> = {
      INVALID_DID: 400,
      INVALID_DID_URL: 400,
      INVALID_OPTIONS: 400,
      NOT_FOUND: 404,
      REPRESENTATION_NOT_SUPPORTED: 406,
      METHOD_NOT_SUPPORTED: 501,
      FEATURE_NOT_SUPPORTED: 501,
    };
    for (const name of ERROR_NAMES) {
      const status = expected[name] ?? 500;
      expect(statusForError(problem(name)), name).toBe(status);
      expect(statusForError({ type: name }), name).toBe(status);
    }
    expect(statusForError('notFound')).toBe(404);
    expect(statusForError({ type: 'https://example.com/whatever' })).toBe(500);
  });
});

describe('error profiles', () => {
  it('spec writes URL types, uniresolver bare tokens; title and detail stay', () => {
    const p = problem('NOT_FOUND', 'no such DID');
    expect(profileError(p, 'spec')).toBe(p);
    expect(profileError(p, 'uniresolver')).toEqual({ type: 'NOT_FOUND', title: 'Not found', detail: 'no such DID' });
    expect(profileError({ type: 'NOT_FOUND', title: 'x' }, 'spec').type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
  });
});

describe('renderResolution', () => {
  const ok = {
    didResolutionMetadata: { contentType: 'application/did+json' },
    didDocument: { id: 'did:ex:1' },
    didDocumentMetadata: {},
  };
  it('a bare document is sent with the metadata content type', () => {
    const r = renderResolution(ok, negotiateResolution('application/did+json'), 'spec');
    expect(r).toMatchObject({ status: 200, contentType: 'application/did+json', cacheable: true });
    expect(JSON.parse(r.body.toString())).toEqual({ id: 'did:ex:1' });
  });
  it('does not modify the result when applying a profile', () => {
    const failed = { didResolutionMetadata: { error: problem('NOT_FOUND') }, didDocument: null, didDocumentMetadata: {} };
    const r = renderResolution(failed, negotiateResolution(undefined), 'uniresolver');
    expect(JSON.parse(r.body.toString()).didResolutionMetadata.error.type).toBe('NOT_FOUND');
    expect(failed.didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
  });
});

describe('renderDereferencing', () => {
  it('a uri list is 303 to the first absolute URL, even when the whole result was asked for', () => {
    const outcome = {
      dereferencingMetadata: { contentType: 'text/uri-list' },
      contentStream: 'https://a.example/x\r\nhttps://b.example/y\r\n',
      contentMetadata: {},
    };
    const r = renderDereferencing(outcome, negotiateDereferencing(undefined), 'spec');
    expect(r).toMatchObject({ status: 303, location: 'https://a.example/x' });
    expect(r.body.length).toBe(0);
  });
  it('refuses to put an unusable URL in Location', () => {
    expect(locationFor('https://a.example/\r\nSet-Cookie: x=1')).toBeUndefined();
    expect(locationFor('relative/path')).toBeUndefined();
    expect(locationFor('https://例え.jp/パス')).toBe('https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9');
    const outcome = { dereferencingMetadata: {}, contentStream: null, contentMetadata: {}, uriList: ['not a url'] };
    expect(renderDereferencing(outcome, negotiateDereferencing(undefined), 'spec').status).toBe(404);
  });
});

describe('ResponseCache', () => {
  it('expires entries at their TTL and can be disabled', () => {
    const cache = new ResponseCache({ maxEntries: 10, maxBytes: 10_000 });
    const stored = cache.set('k', { status: 200, headers: [], body: Buffer.from('hello') }, 1000);
    expect(stored?.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(cache.get('k')?.body.toString()).toBe('hello');
    expect(cache.get('k', Date.now() + 1001)).toBeUndefined();
    expect(cache.get('k')).toBeUndefined();
    expect(cache.set('z', { status: 200, headers: [], body: Buffer.from('x') }, 0)).toBeUndefined();
    const off = new ResponseCache({ maxEntries: 0, maxBytes: 1 });
    expect(off.enabled).toBe(false);
    expect(off.set('k', { status: 200, headers: [], body: Buffer.from('x') }, 1000)).toBeUndefined();
  });
  it('is bounded by entries and bytes', () => {
    const cache = new ResponseCache({ maxEntries: 3, maxBytes: 1000 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, { status: 200, headers: [], body: Buffer.alloc(100) }, 10_000);
    expect(cache.size).toBe(3);
    const bytes = new ResponseCache({ maxEntries: 100, maxBytes: 1000 });
    for (let i = 0; i < 10; i++) bytes.set(`k${i}`, { status: 200, headers: [], body: Buffer.alloc(300) }, 10_000);
    expect(bytes.size).toBeLessThanOrEqual(3);
  });
  it('rejects bad configuration with TypeError', () => {
    expect(() => new ResponseCache({ maxEntries: -1, maxBytes: 1 })).toThrow(TypeError);
  });
});

describe('parseIdentifierTarget', () => {
  it('raw: verbatim, the query belongs to the DID URL', () => {
    expect(parseIdentifierTarget('did:web:example.com%3A3000', undefined)).toMatchObject({
      identifier: 'did:web:example.com%3A3000',
      encoded: false,
      dereference: false,
      options: {},
    });
    expect(parseIdentifierTarget('did:ex:1', 'service=a')).toMatchObject({ identifier: 'did:ex:1?service=a', dereference: true });
  });
  it('encoded: decoded once; options from the query; _ keys internal; + is not a space', () => {
    const r = parseIdentifierTarget('did%3Aweb%3Aexample.com%253A3000', 'accept=application/did+ld+json&_errorProfile=uniresolver');
    expect(r.identifier).toBe('did:web:example.com%3A3000');
    expect(r.options).toEqual({ accept: 'application/did+ld+json' });
    expect(r.internal).toEqual({ _errorProfile: 'uniresolver' });
    expect(parseIdentifierTarget('did%3Aex%3A1%23key-1', undefined).dereference).toBe(true);
  });
  it('refuses prototype keys and too many options', () => {
    expect(() => parseIdentifierTarget('did%3Aex%3A1', '__proto__=x')).toThrow(/not an option name/);
    const many = Array.from({ length: 70 }, (_, i) => `o${i}=1`).join('&');
    expect(() => parseIdentifierTarget('did%3Aex%3A1', many)).toThrow(/more than 64/);
  });
});

describe('RouteTable', () => {
  it('finds exact routes before prefixes, longest prefix first, and reports allowed methods', () => {
    const t = new RouteTable();
    const h = () => undefined;
    t.add({ methods: ['GET'], path: '/a/', prefix: true, handler: h, description: 'short' });
    t.add({ methods: ['GET', 'POST'], path: '/a/b/', prefix: true, handler: h, description: 'long' });
    t.add({ methods: ['GET'], path: '/a/exact', handler: h, description: 'exact' });
    const find = (m: string, p: string) => {
      const r = t.find(m, p);
      return r && 'route' in r ? r.route.description : r;
    };
    expect(find('GET', '/a/exact')).toBe('exact');
    expect(find('GET', '/a/b/c')).toBe('long');
    expect(find('HEAD', '/a/x')).toBe('short');
    expect(find('POST', '/a/exact')).toEqual({ allowed: ['GET', 'HEAD'] });
    expect(find('GET', '/z')).toBeUndefined();
    expect(() => t.add({ methods: ['GET'], path: 'nope', handler: h })).toThrow(TypeError);
    expect(t.list()).toHaveLength(3);
  });
});
