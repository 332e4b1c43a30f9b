/**
 * Circuit breakers: the state machine on a fake clock, then through the whole driver against a loopback upstream
 * that fails and recovers: the breaker opens, fails fast (INTERNAL_ERROR saying so, nothing sent upstream), shows in
 * `/health/ready` (ready, degraded, the upstream listed) and in the metrics, lets one probe through after the
 * cool-down and closes when it succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakerRegistry, CircuitBreaker, breakerConfig, type BreakerConfig, type BreakerPermit } from '../../src/net/breaker.js';
import { request } from '../http/request.js';
import { documentFor, metric, parseMetrics, startDriver, startUpstream, type RunningDriver, type Upstream } from './harness.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const CONFIG: BreakerConfig = { failureThreshold: 3, failureRate: 0.5, minimumRequests: 10, windowMs: 10_000, cooldownMs: 5_000 };

function permit(b: CircuitBreaker): BreakerPermit {
  const p = b.acquire();
  if ('refused' in p) throw new Error('expected a permit');
  return p;
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures; a success in between resets the count', () => {
    const c = clock();
    const b = new CircuitBreaker('https://up.example', CONFIG, c.now);
    b.record(permit(b), 'failure');
    b.record(permit(b), 'failure');
    b.record(permit(b), 'success');
    b.record(permit(b), 'failure');
    b.record(permit(b), 'failure');
    expect(b.state).toBe('closed');
    b.record(permit(b), 'failure');
    expect(b.state).toBe('open');
    expect(b.reason).toBe('3 consecutive failures');
    const refused = b.acquire();
    expect(refused).toMatchObject({ refused: true, retryInMs: 5_000 });
  });

  it('opens on the failure rate over the window, not before minimumRequests', () => {
    const c = clock();
    const b = new CircuitBreaker('u', CONFIG, c.now);
    // Alternate: never 3 in a row, but half of everything fails.
    for (let i = 0; i < 9; i++) {
      b.record(permit(b), i % 2 === 0 ? 'failure' : 'success');
      expect(b.state, `request ${i + 1}`).toBe('closed');
    }
    b.record(permit(b), 'success');
    b.record(permit(b), 'failure');
    expect(b.state).toBe('open');
    expect(b.reason).toMatch(/6 of the last 11 requests failed/);
  });

  it('forgets failures that fell out of the window', () => {
    const c = clock();
    const b = new CircuitBreaker('u', CONFIG, c.now);
    for (let i = 0; i < 8; i++) b.record(permit(b), i % 2 === 0 ? 'failure' : 'success');
    c.advance(11_000);
    for (let i = 0; i < 4; i++) b.record(permit(b), i % 2 === 0 ? 'failure' : 'success');
    expect(b.state).toBe('closed');
  });

  it('half-open after the cool-down: one probe at a time; success closes with clean counts, failure re-opens', () => {
    const c = clock();
    const changes: string[] = [];
    const b = new CircuitBreaker('u', CONFIG, c.now, (_b, from, to) => changes.push(`${from}->${to}`));
    for (let i = 0; i < 3; i++) b.record(permit(b), 'failure');
    c.advance(4_999);
    expect(b.acquire()).toMatchObject({ refused: true, retryInMs: 1 });
    c.advance(1);
    expect(b.state).toBe('half-open');
    const probe = permit(b);
    expect(probe.probe).toBe(true);
    expect(b.acquire()).toMatchObject({ refused: true, retryInMs: 0 });
    b.record(probe, 'failure');
    expect(b.state).toBe('open');
    expect(b.reason).toMatch(/probe after the cool-down failed/);
    c.advance(5_000);
    const second = permit(b);
    b.record(second, 'success');
    expect(b.state).toBe('closed');
    // Clean counts: two failures do not re-open it.
    b.record(permit(b), 'failure');
    b.record(permit(b), 'failure');
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->open', 'open->half-open', 'half-open->closed']);
  });

  it('an ignored probe (the caller gave up) frees the slot without deciding', () => {
    const c = clock();
    const b = new CircuitBreaker('u', CONFIG, c.now);
    for (let i = 0; i < 3; i++) b.record(permit(b), 'failure');
    c.advance(5_000);
    b.record(permit(b), 'ignored');
    expect(b.state).toBe('half-open');
    expect(permit(b).probe).toBe(true);
  });

  it('late answers of requests sent before it opened change nothing', () => {
    const c = clock();
    const b = new CircuitBreaker('u', CONFIG, c.now);
    const early = permit(b);
    for (let i = 0; i < 3; i++) b.record(permit(b), 'failure');
    b.record(early, 'success');
    expect(b.state).toBe('open');
  });
});

describe('BreakerRegistry', () => {
  it('one breaker per upstream, trusted stays trusted, bounded by maxBreakers (closed ones dropped first)', () => {
    const c = clock();
    const r = new BreakerRegistry({ ...CONFIG, maxBreakers: 3, now: c.now });
    const a = r.for('https://a', true);
    expect(r.for('https://a', false)).toBe(a);
    for (let i = 0; i < 3; i++) a.record(a.acquire() as BreakerPermit, 'failure');
    r.for('https://b', false);
    r.for('https://c', false);
    r.for('https://d', false);
    const upstreams = r.list().map((s) => s.upstream);
    expect(upstreams).toHaveLength(3);
    expect(upstreams).toContain('https://a');
    expect(r.notClosed()).toEqual([
      expect.objectContaining({ upstream: 'https://a', trusted: true, state: 'open', reason: '3 consecutive failures' }),
    ]);
  });

  it('checks its configuration', () => {
    expect(() => breakerConfig({ failureRate: 0 })).toThrow(/"breaker.failureRate"/);
    expect(() => breakerConfig({ cooldownMs: 0 })).toThrow(/"breaker.cooldownMs"/);
    expect(() => new BreakerRegistry({ maxBreakers: 0 })).toThrow(/"breaker.maxBreakers"/);
    expect(new BreakerRegistry({ failureThreshold: 0 }).enabled).toBe(false);
  });
});

describe('breakers in the driver', () => {
  const COOLDOWN_MS = 400;
  let upstream: Upstream;
  let d: RunningDriver;

  beforeAll(async () => {
    upstream = await startUpstream();
    d = await startDriver({
      upstreamBase: upstream.origin(),
      overrides: {
        http: { timeoutMs: 500, retries: 0, breakerFailures: 3, breakerCooldownMs: COOLDOWN_MS, breakerMinimumRequests: 100 },
        cache: { negativeTtlSeconds: 0 },
      },
    });
  });
  afterAll(async () => {
    await d.close();
    await upstream.close();
  });

  const resolve = (id: string) => request(d.base, `/1.0/identifiers/did:up:${id}`);
  const ready = async () => {
    const r = await request(d.base, '/health/ready');
    return { status: r.status, body: r.json() };
  };
  const metrics = async () => parseMetrics((await request(d.base, '/metrics')).text);

  it('opens after 3 failures, fails fast without calling the upstream, reports it, and closes after a good probe', async () => {
    upstream.set('/dids/b1', { kind: 'status', status: 503 });
    upstream.set('/dids/b2', { kind: 'status', status: 502 });
    upstream.set('/dids/b3', { kind: 'slow', delayMs: 2_000 });
    expect((await ready()).body.status).toBe('ready');
    for (const id of ['b1', 'b2', 'b3']) expect((await resolve(id)).status).toBe(500);

    // Open: the next request is answered at once, and the upstream sees nothing.
    upstream.set('/dids/b4', { kind: 'json', body: documentFor('did:up:b4') });
    const started = performance.now();
    const fast = await resolve('b4');
    expect(performance.now() - started).toBeLessThan(100);
    expect(fast.status).toBe(500);
    const error = fast.json().didResolutionMetadata.error;
    expect(error.type).toBe('https://www.w3.org/ns/did#INTERNAL_ERROR');
    expect(error.reason).toBe('circuit-open');
    expect(error.detail).toMatch(new RegExp(`the circuit breaker for ${upstream.origin().replace(/\./g, '\\.')} is open \\(3 consecutive failures\\); failing fast`));
    expect(upstream.hits('/dids/b4')).toBe(0);

    // Ready (other methods still work) but degraded, with the upstream listed.
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('degraded');
    expect(r.body.checks.upstreams).toMatchObject({ ok: true, degraded: true });
    expect(r.body.checks.upstreams.detail).toContain(`${upstream.origin()} open since`);
    const keyStillWorks = await request(d.base, '/1.0/identifiers/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
    expect(keyStillWorks.status).toBe(200);

    let m = await metrics();
    expect(metric(m, 'didbridge_upstream_breaker_state', { upstream: upstream.origin() })).toBe(2);
    expect(metric(m, 'didbridge_upstream_breakers_open', { trust: 'configured' })).toBe(1);
    expect(metric(m, 'didbridge_upstream_breaker_transitions_total', { upstream: upstream.origin(), to: 'open' })).toBe(1);
    expect(metric(m, 'didbridge_upstream_errors_total', { upstream: upstream.origin(), outcome: 'circuit-open' })).toBe(1);
    expect(metric(m, 'didbridge_upstream_errors_total', { upstream: upstream.origin(), outcome: 'retryable-status' })).toBe(2);
    expect(metric(m, 'didbridge_upstream_errors_total', { upstream: upstream.origin(), outcome: 'timeout' })).toBe(1);

    // After the cool-down, one probe goes through; the upstream is healthy again, so the breaker closes.
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    expect(metric(await metrics(), 'didbridge_upstream_breaker_state', { upstream: upstream.origin() })).toBe(1);
    const probe = await resolve('b4');
    expect(probe.status).toBe(200);
    expect(upstream.hits('/dids/b4')).toBe(1);
    const after = await ready();
    expect(after.body.status).toBe('ready');
    expect(after.body.checks.upstreams).toEqual({ ok: true, detail: 'every upstream circuit is closed' });
    m = await metrics();
    expect(metric(m, 'didbridge_upstream_breaker_state', { upstream: upstream.origin() })).toBe(0);
    expect(metric(m, 'didbridge_upstream_breaker_transitions_total', { upstream: upstream.origin(), to: 'closed' })).toBe(1);
    const logged = d.logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'upstream circuit breaker');
    expect(logged.map((l) => [l.level, l.to])).toEqual([
      ['warn', 'open'],
      ['info', 'half-open'],
      ['info', 'closed'],
    ]);
  });

  it('a failed probe re-opens it for another cool-down', async () => {
    for (const id of ['c1', 'c2', 'c3']) {
      upstream.set(`/dids/${id}`, { kind: 'status', status: 503 });
      await resolve(id);
    }
    expect((await ready()).body.status).toBe('degraded');
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    upstream.set('/dids/c4', { kind: 'status', status: 504 });
    expect((await resolve('c4')).json().didResolutionMetadata.error.detail).toMatch(/HTTP 504/);
    const again = await resolve('c5');
    expect(again.json().didResolutionMetadata.error.reason).toBe('circuit-open');
    expect(again.json().didResolutionMetadata.error.detail).toMatch(/probe after the cool-down failed/);
    expect(upstream.hits('/dids/c5')).toBe(0);
    // Heal it for whatever runs next.
    await new Promise((r) => setTimeout(r, COOLDOWN_MS + 50));
    upstream.set('/dids/c6', { kind: 'json', body: documentFor('did:up:c6') });
    expect((await resolve('c6')).status).toBe(200);
  });

  it('DID-controlled hosts get breakers of their own, counted apart and never degrading readiness', async () => {
    const hostDown = await startUpstream();
    const port = hostDown.port;
    await hostDown.close();
    for (let i = 0; i < 3; i++) {
      const r = await request(d.base, `/1.0/identifiers/did:web:localhost%3A${port}:n${i}`);
      expect(r.status).toBe(500);
    }
    const fast = await request(d.base, `/1.0/identifiers/did:web:localhost%3A${port}:n9`);
    expect(fast.json().didResolutionMetadata.error.reason).toBe('circuit-open');
    const r = await ready();
    expect(r.body.status).toBe('ready');
    expect(r.body.checks.upstreams.detail).toMatch(/1 DID-controlled host\(s\) with an open circuit/);
    const m = await metrics();
    expect(metric(m, 'didbridge_upstream_breakers_open', { trust: 'did-controlled' })).toBe(1);
    // No per-host series for hosts a DID chose.
    expect([...m.keys()].some((k) => k.includes(`localhost:${port}`))).toBe(false);
    expect(metric(m, 'didbridge_upstream_errors_total', { upstream: 'did-controlled', outcome: 'circuit-open' })).toBe(1);
  });
});
