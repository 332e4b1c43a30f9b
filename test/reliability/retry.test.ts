/**
 * Retries of idempotent reads in the HTTP client: the backoff arithmetic, `Retry-After`, and the client against a
 * loopback upstream (only GET is retried, only after transport failures, timeouts and 502/503/504, within the budget,
 * and never after the caller gave up).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import { createHttpClient, type UndiciHttpClient, type UpstreamAttemptEvent } from '../../src/net/http-client.js';
import { backoffDelay, isRetryableError, retryAfterMs, retryPolicy, RETRY_DEFAULTS } from '../../src/net/retry.js';
import { startUpstream, type Upstream } from './harness.js';

describe('backoff', () => {
  it('equal jitter: between half and all of base * 2^(n-1), capped at maxDelayMs', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(999);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, policy);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThan(200);
    }
  });

  it('Retry-After: delay-seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('retryPolicy fills defaults and names bad members', () => {
    expect(retryPolicy({ retries: 1 })).toEqual({ ...RETRY_DEFAULTS, retries: 1 });
    expect(() => retryPolicy({ budgetMs: -1 })).toThrow(/"retry.budgetMs"/);
    expect(() => retryPolicy({ retries: 1.5 })).toThrow(/"retry.retries"/);
    expect(() => createHttpClient({ retry: { maxDelayMs: Number.NaN } })).toThrow(/"retry.maxDelayMs"/);
  });

  it('only transport failures and timeouts are retryable errors', () => {
    expect(isRetryableError(new DidBridgeError('INTERNAL_ERROR', 'x', { extensions: { reason: 'timeout' } }))).toBe(true);
    expect(isRetryableError(new DidBridgeError('INTERNAL_ERROR', 'x', { extensions: { reason: 'transport' } }))).toBe(true);
    for (const reason of ['too-large', 'ssrf-refused', 'too-many-redirects', 'circuit-open']) {
      expect(isRetryableError(new DidBridgeError('INTERNAL_ERROR', 'x', { extensions: { reason } }))).toBe(false);
    }
    expect(isRetryableError(new Error('x'))).toBe(false);
  });
});

describe('the client retries GETs', () => {
  let upstream: Upstream;
  let client: UndiciHttpClient;
  const attempts: UpstreamAttemptEvent[] = [];
  const retries: Array<{ retry: number; delayMs: number; cause: string }> = [];

  beforeAll(async () => {
    upstream = await startUpstream();
    client = createHttpClient({
      timeoutMs: 200,
      retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 2_000 },
      observer: { attempt: (e) => attempts.push(e), retry: (e) => retries.push(e) },
    });
  });
  afterAll(async () => {
    await client.close();
    await upstream.close();
  });

  it('504, 502, then 200: three retries would be allowed, two are used; the observer sees each attempt', async () => {
    upstream.set('/a', {
      kind: 'sequence',
      steps: [{ kind: 'status', status: 504 }, { kind: 'status', status: 502 }, { kind: 'json', body: { ok: true } }],
    });
    attempts.length = 0;
    retries.length = 0;
    const res = await client.request(`${upstream.origin()}/a`);
    expect(res.status).toBe(200);
    expect(upstream.hits('/a')).toBe(3);
    expect(attempts.map((a) => [a.outcome, a.status])).toEqual([
      ['retryable-status', 504],
      ['retryable-status', 502],
      ['ok', 200],
    ]);
    expect(attempts.every((a) => a.trusted && a.upstream === upstream.origin())).toBe(true);
    expect(retries.map((r) => [r.retry, r.cause])).toEqual([
      [1, 'HTTP 504'],
      [2, 'HTTP 502'],
    ]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(5);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(10);
  });

  it('returns the last 503 when every attempt gets one', async () => {
    upstream.set('/b', { kind: 'status', status: 503 });
    const res = await client.request(`${upstream.origin()}/b`);
    expect(res.status).toBe(503);
    expect(upstream.hits('/b')).toBe(4);
  });

  it('honours a short Retry-After', async () => {
    upstream.set('/c', { kind: 'sequence', steps: [{ kind: 'status', status: 503, headers: { 'retry-after': '0' } }, { kind: 'json', body: {} }] });
    retries.length = 0;
    expect((await client.request(`${upstream.origin()}/c`)).status).toBe(200);
    expect(retries).toHaveLength(1);
  });

  it('never retries a POST, nor a 4xx, nor a 500', async () => {
    upstream.set('/post', { kind: 'status', status: 503 });
    expect((await client.request(`${upstream.origin()}/post`, { method: 'POST', body: '{}' })).status).toBe(503);
    expect(upstream.hits('/post')).toBe(1);
    upstream.set('/e400', { kind: 'status', status: 400 });
    upstream.set('/e500', { kind: 'status', status: 500 });
    await client.request(`${upstream.origin()}/e400`);
    await client.request(`${upstream.origin()}/e500`);
    expect(upstream.hits('/e400') + upstream.hits('/e500')).toBe(2);
    upstream.set('/post-reset', { kind: 'reset' });
    await expect(client.request(`${upstream.origin()}/post-reset`, { method: 'POST', body: '{}' })).rejects.toThrow(DidBridgeError);
    expect(upstream.hits('/post-reset')).toBe(1);
  });

  it('stops within the budget: later attempts get only what is left of it', async () => {
    const tight = createHttpClient({ timeoutMs: 300, retry: { retries: 10, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 700 } });
    try {
      upstream.set('/slow', { kind: 'slow', delayMs: 5_000 });
      const started = performance.now();
      const err = await tight.request(`${upstream.origin()}/slow`).catch((e: unknown) => e);
      const ms = performance.now() - started;
      expect(err).toBeInstanceOf(DidBridgeError);
      expect((err as DidBridgeError).extensions?.reason).toBe('timeout');
      expect(ms).toBeLessThan(900);
      expect(upstream.hits('/slow')).toBeGreaterThanOrEqual(2);
      expect(upstream.hits('/slow')).toBeLessThanOrEqual(4);
    } finally {
      await tight.close();
    }
  });

  it('does not retry once the caller has aborted (e.g. the resolver deadline passed)', async () => {
    upstream.set('/abandoned', { kind: 'status', status: 503 });
    const slowBackoff = createHttpClient({ retry: { retries: 3, baseDelayMs: 400, maxDelayMs: 400, budgetMs: 5_000 } });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('deadline')), 100);
      const started = performance.now();
      const res = await slowBackoff.request(`${upstream.origin()}/abandoned`, { signal: controller.signal });
      // The 503 that was in hand when the caller gave up is the answer; no further attempt was made.
      expect(res.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(350);
      expect(upstream.hits('/abandoned')).toBe(1);
    } finally {
      await slowBackoff.close();
    }
  });

  it('without a retry policy the library client makes one attempt (adapters opt in through configuration)', async () => {
    const plain = createHttpClient();
    try {
      upstream.set('/plain', { kind: 'status', status: 503 });
      expect((await plain.request(`${upstream.origin()}/plain`)).status).toBe(503);
      expect(upstream.hits('/plain')).toBe(1);
      expect(plain.retry).toBeUndefined();
      expect(plain.breakers).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
