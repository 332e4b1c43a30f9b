/**
 * Fault injection against loopback upstreams, through the whole driver as `didbridge serve` builds it
 * (`createDeployment`): each fault gives the right DID Resolution error (an HTTP 500 with a full resolution result and
 * INTERNAL_ERROR, or the method's own answer) within the configured time, retries happen only where they may, and the
 * driver stays up. Both kinds of upstream are exercised: a configured one (did:up, trusted) and DID-controlled hosts
 * (did:web, through the SSRF guard).
 *
 * @see https://w3c.github.io/did-resolution/#errors
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestResponse } from '../http/request.js';
import { documentFor, startDriver, startUpstream, testLookup, type RunningDriver, type Upstream } from './harness.js';

const TIMEOUT_MS = 300;
const BUDGET_MS = 1_500;

let upstream: Upstream;
let d: RunningDriver;

beforeAll(async () => {
  upstream = await startUpstream();
  d = await startDriver({
    upstreamBase: upstream.origin(),
    lookup: testLookup({ 'web.test': '127.0.0.1', 'internal.test': '10.0.0.1', 'mixed.test': ['127.0.0.1', '10.1.2.3'] }),
    overrides: {
      http: {
        timeoutMs: TIMEOUT_MS,
        connectTimeoutMs: TIMEOUT_MS,
        maxBytes: 64 * 1024,
        maxRedirects: 3,
        retries: 2,
        retryBaseDelayMs: 20,
        retryMaxDelayMs: 100,
        retryBudgetMs: BUDGET_MS,
        // Breakers are exercised in breaker.test.ts; here they must not turn one test's faults into another's.
        breakerFailures: 0,
      },
    },
  });
});

afterAll(async () => {
  await d.close();
  await upstream.close();
});

interface Timed {
  r: TestResponse;
  ms: number;
}

async function resolve(did: string): Promise<Timed> {
  const started = performance.now();
  const r = await request(d.base, `/1.0/identifiers/${did}`, { headers: { accept: 'application/did-resolution' } });
  return { r, ms: performance.now() - started };
}

/** The answer is a full error result with `name`, and its detail matches `detail`. */
function expectError(r: TestResponse, status: number, name: string, detail?: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/did-resolution');
  const body = r.json();
  expect(body.didResolutionMetadata.error.type).toBe(`https://www.w3.org/ns/did#${name}`);
  expect(body.didDocument).toBeNull();
  expect(body.didDocumentMetadata).toEqual({});
  if (detail) expect(body.didResolutionMetadata.error.detail).toMatch(detail);
}

async function expectAlive(): Promise<void> {
  expect((await request(d.base, '/health/live')).status).toBe(200);
  const ok = await resolve('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
  expect(ok.r.status).toBe(200);
}

const web = (name: string) => `did:web:web.test%3A${upstream.port}:${name}`;
const webPath = (name: string) => `/${name}/did.json`;

describe('a configured upstream (did:up) that misbehaves', () => {
  it('answers normally: the document', async () => {
    upstream.set('/dids/alice', { kind: 'json', body: documentFor('did:up:alice') });
    const { r } = await resolve('did:up:alice');
    expect(r.status).toBe(200);
    expect(r.json().didDocument.id).toBe('did:up:alice');
  });

  it('slow beyond the timeout: INTERNAL_ERROR (timeout) after the retries, within the retry budget', async () => {
    upstream.set('/dids/slow', { kind: 'slow', delayMs: 5_000 });
    const { r, ms } = await resolve('did:up:slow');
    expectError(r, 500, 'INTERNAL_ERROR', /no answer from 127\.0\.0\.1:\d+ within \d+ ms/);
    expect(r.json().didResolutionMetadata.error.reason).toBe('timeout');
    // Three attempts (the first with the whole timeout, retries with what is left) inside the budget.
    expect(upstream.hits('/dids/slow')).toBe(3);
    expect(ms).toBeLessThan(BUDGET_MS + 500);
    await expectAlive();
  });

  it('503 every time: retried, then INTERNAL_ERROR naming the status', async () => {
    upstream.set('/dids/unavailable', { kind: 'status', status: 503 });
    const { r, ms } = await resolve('did:up:unavailable');
    expectError(r, 500, 'INTERNAL_ERROR', /HTTP 503/);
    expect(upstream.hits('/dids/unavailable')).toBe(3);
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('503 once, then the document: the retry succeeds', async () => {
    upstream.set('/dids/flaky', {
      kind: 'sequence',
      steps: [{ kind: 'status', status: 503 }, { kind: 'json', body: documentFor('did:up:flaky') }],
    });
    const { r } = await resolve('did:up:flaky');
    expect(r.status).toBe(200);
    expect(r.json().didDocument.id).toBe('did:up:flaky');
    expect(upstream.hits('/dids/flaky')).toBe(2);
  });

  it('a 503 with a Retry-After longer than the longest wait is not retried', async () => {
    upstream.set('/dids/busy', { kind: 'status', status: 503, headers: { 'retry-after': '120' } });
    const { r } = await resolve('did:up:busy');
    expectError(r, 500, 'INTERNAL_ERROR', /HTTP 503/);
    expect(upstream.hits('/dids/busy')).toBe(1);
  });

  it('500 is an answer, not a transient failure: no retry', async () => {
    upstream.set('/dids/broken', { kind: 'status', status: 500 });
    const { r } = await resolve('did:up:broken');
    expectError(r, 500, 'INTERNAL_ERROR', /HTTP 500/);
    expect(upstream.hits('/dids/broken')).toBe(1);
  });

  it('garbage instead of JSON: INTERNAL_ERROR, not retried', async () => {
    upstream.set('/dids/garbage', { kind: 'garbage' });
    const { r } = await resolve('did:up:garbage');
    expectError(r, 500, 'INTERNAL_ERROR', /not JSON/);
    expect(upstream.hits('/dids/garbage')).toBe(1);
    await expectAlive();
  });

  it('an oversized body (declared, and chunked): INTERNAL_ERROR naming the limit, not retried', async () => {
    upstream.set('/dids/huge', { kind: 'oversized', bytes: 5 * 1024 * 1024 });
    const declared = await resolve('did:up:huge');
    expectError(declared.r, 500, 'INTERNAL_ERROR', /limit is 65536/);
    upstream.set('/dids/huge-chunked', { kind: 'oversized', bytes: 5 * 1024 * 1024, chunked: true });
    const chunked = await resolve('did:up:huge-chunked');
    expectError(chunked.r, 500, 'INTERNAL_ERROR', /exceeds the limit of 65536 bytes/);
    expect(upstream.hits('/dids/huge') + upstream.hits('/dids/huge-chunked')).toBe(2);
    expect(chunked.ms).toBeLessThan(2_000);
    await expectAlive();
  });

  it('connection resets: retried, then INTERNAL_ERROR (transport)', async () => {
    upstream.set('/dids/reset', { kind: 'reset' });
    const { r, ms } = await resolve('did:up:reset');
    expectError(r, 500, 'INTERNAL_ERROR', /ECONNRESET|socket|other side closed/i);
    expect(r.json().didResolutionMetadata.error.reason).toBe('transport');
    expect(upstream.hits('/dids/reset')).toBe(3);
    expect(ms).toBeLessThan(BUDGET_MS);
    await expectAlive();
  });

  it('a reset once, then the document: the retry succeeds', async () => {
    upstream.set('/dids/reset-once', { kind: 'sequence', steps: [{ kind: 'reset' }, { kind: 'json', body: documentFor('did:up:reset-once') }] });
    const { r } = await resolve('did:up:reset-once');
    expect(r.status).toBe(200);
  });

  it('a redirect loop: INTERNAL_ERROR after maxRedirects hops, not retried', async () => {
    upstream.set('/dids/loop', { kind: 'redirect-loop' });
    const { r } = await resolve('did:up:loop');
    expectError(r, 500, 'INTERNAL_ERROR', /more than 3 redirects/);
    // The first request and three redirects: one attempt.
    expect(upstream.hits('/dids/loop')).toBe(4);
  });

  it('an upstream that is not there at all: INTERNAL_ERROR (ECONNREFUSED) within the budget', async () => {
    const gone = await startUpstream();
    const base = gone.origin();
    await gone.close();
    const lonely = await startDriver({
      upstreamBase: base,
      overrides: { http: { timeoutMs: TIMEOUT_MS, retries: 1, retryBaseDelayMs: 10, retryBudgetMs: 500, breakerFailures: 0 } },
    });
    try {
      const started = performance.now();
      const r = await request(lonely.base, '/1.0/identifiers/did:up:anyone');
      expectError(r, 500, 'INTERNAL_ERROR', /ECONNREFUSED/);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await lonely.close();
    }
  });

  it('404 is NOT_FOUND (HTTP 404), not an upstream failure', async () => {
    const { r } = await resolve('did:up:nobody-here');
    expectError(r, 404, 'NOT_FOUND');
    expect(upstream.hits('/dids/nobody-here')).toBe(1);
  });
});

describe('a DID-controlled host (did:web) that misbehaves', () => {
  it('answers normally through the test lookup', async () => {
    upstream.set(webPath('ok'), { kind: 'json', body: documentFor(web('ok')) });
    const { r } = await resolve(web('ok'));
    expect(r.status).toBe(200);
    expect(r.json().didDocument.id).toBe(web('ok'));
  });

  it('slow, 5xx, garbage, oversized, reset and redirect loop each give INTERNAL_ERROR in time', async () => {
    const cases: Array<[string, Parameters<Upstream['set']>[1], RegExp]> = [
      ['w-slow', { kind: 'slow', delayMs: 5_000 }, /no answer/],
      ['w-502', { kind: 'status', status: 502 }, /HTTP 502/],
      ['w-garbage', { kind: 'garbage' }, /not JSON/],
      ['w-huge', { kind: 'oversized', bytes: 1024 * 1024, chunked: true }, /exceeds the limit/],
      ['w-reset', { kind: 'reset' }, /ECONNRESET|socket|closed/i],
      ['w-loop', { kind: 'redirect-loop' }, /more than 3 redirects/],
    ];
    for (const [name, behaviour, detail] of cases) {
      upstream.set(webPath(name), behaviour);
      const { r, ms } = await resolve(web(name));
      expectError(r, 500, 'INTERNAL_ERROR', detail);
      expect(ms, name).toBeLessThan(BUDGET_MS + 500);
    }
    await expectAlive();
  });

  it('a DNS name that resolves to a private address is refused before any connection', async () => {
    const before = upstream.connections;
    const started = performance.now();
    const { r } = await resolve(`did:web:internal.test%3A${upstream.port}:x`);
    expectError(r, 500, 'INTERNAL_ERROR', /refused to connect to internal\.test \(10\.0\.0\.1\): private addresses are not allowed/);
    expect(r.json().didResolutionMetadata.error.reason).toBe('ssrf-refused');
    // Refused in the lookup, before a socket exists: no connect timeout was waited for, and it is not retried.
    expect(performance.now() - started).toBeLessThan(200);
    expect(upstream.connections).toBe(before);
  });

  it('a name with one allowed and one private address is refused too: nothing reaches the allowed one', async () => {
    upstream.set('/m/did.json', { kind: 'json', body: documentFor(`did:web:mixed.test%3A${upstream.port}:m`) });
    const before = upstream.connections;
    const { r } = await resolve(`did:web:mixed.test%3A${upstream.port}:m`);
    expectError(r, 500, 'INTERNAL_ERROR', /10\.1\.2\.3.*private/);
    expect(upstream.connections).toBe(before);
    expect(upstream.hits('/m/did.json')).toBe(0);
  });

  it('a redirect from an allowed host to a private one is refused at the second hop', async () => {
    upstream.set(webPath('to-internal'), {
      kind: 'handler',
      handle: (_req, res) => {
        res.writeHead(302, { location: `http://internal.test:${upstream.port}/secret` });
        res.end();
      },
    });
    const { r } = await resolve(web('to-internal'));
    expectError(r, 500, 'INTERNAL_ERROR', /internal\.test \(10\.0\.0\.1\)/);
    expect(upstream.hits('/secret')).toBe(0);
  });
});

describe('service endpoints are never fetched', () => {
  it('dereferencing a service answers 303 with the URL and sends nothing to the endpoint', async () => {
    const did = 'did:up:with-service';
    const doc = documentFor(did);
    doc.service = [{ id: `${did}#files`, type: 'LinkedDomains', serviceEndpoint: `${upstream.origin()}/endpoint-must-not-be-fetched/` }];
    upstream.set('/dids/with-service', { kind: 'json', body: doc });
    const r = await request(d.base, `/1.0/identifiers/${encodeURIComponent(`${did}?service=files&relativeRef=a`)}`, {
      headers: { accept: 'text/uri-list' },
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`${upstream.origin()}/endpoint-must-not-be-fetched/a`);
    expect(upstream.hits('/endpoint-must-not-be-fetched/a')).toBe(0);
  });
});
