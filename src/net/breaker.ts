/**
 * Circuit breakers, one per upstream origin. While an upstream keeps failing, asking it again only adds load to it
 * and makes every caller wait for a timeout; an open breaker answers at once instead (INTERNAL_ERROR saying the
 * breaker is open), and after a cool-down lets one probe request through to find out whether the upstream is back.
 *
 * States:
 * - `closed`: requests go through. Each outcome is counted; the breaker opens after `failureThreshold` consecutive
 *   failures, or when at least `minimumRequests` requests in the last `windowMs` failed at a rate of `failureRate`
 *   or more (a flapping upstream never fails N times in a row, but half its answers are failures).
 * - `open`: requests fail fast, for `cooldownMs`.
 * - `half-open`: the first request after the cool-down is a probe; others keep failing fast until it ends. A probe
 *   that succeeds closes the breaker (with clean counters); one that fails opens it for another cool-down.
 *
 * What counts as a failure is the caller's decision (`UndiciHttpClient`: no connection, reset, timeout, 502/503/504).
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The numeric form of each state, for metrics (0 closed, 1 half-open, 2 open). */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerConfig {
  /** Consecutive failures that open the breaker; 0 turns breakers off. */
  failureThreshold: number;
  /** Failure rate (0 < rate <= 1) over the window that opens the breaker. */
  failureRate: number;
  /** Requests the window must hold before the rate counts. */
  minimumRequests: number;
  /** Length of the rolling window, in ms. */
  windowMs: number;
  /** How long an open breaker fails fast before letting a probe through, in ms. */
  cooldownMs: number;
}

/** The driver's defaults (`DIDBRIDGE_HTTP_BREAKER_*`); the library client has breakers only when configured. */
export const BREAKER_DEFAULTS: Readonly<BreakerConfig> = {
  failureThreshold: 5,
  failureRate: 0.5,
  minimumRequests: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
};

/**
 * Checks a partial configuration and fills in the defaults.
 * @throws TypeError naming the member.
 */
export function breakerConfig(input: Partial<BreakerConfig> = {}): BreakerConfig {
  if (input === null || typeof input !== 'object') throw new TypeError('"breaker" must be an object');
  const out = { ...BREAKER_DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  for (const name of ['failureThreshold', 'minimumRequests'] as const) {
    if (!Number.isInteger(out[name]) || out[name] < 0) throw new TypeError(`"breaker.${name}" must be an integer >= 0`);
  }
  for (const name of ['windowMs', 'cooldownMs'] as const) {
    if (!Number.isInteger(out[name]) || out[name] < 1) throw new TypeError(`"breaker.${name}" must be an integer >= 1`);
  }
  if (typeof out.failureRate !== 'number' || !(out.failureRate > 0 && out.failureRate <= 1)) {
    throw new TypeError('"breaker.failureRate" must be a number in (0, 1]');
  }
  return out;
}

/** Permission to send one request; hand it back to `record` exactly once. */
export interface BreakerPermit {
  readonly probe: boolean;
}

/** What `acquire` answers while the breaker is open. */
export interface BreakerRefusal {
  readonly refused: true;
  /** Time until a probe may go through, in ms (0: a probe is already running). */
  readonly retryInMs: number;
  /** Why the breaker opened, for the error detail. */
  readonly reason: string;
}

/** How a request ended, as far as the breaker is concerned. */
export type BreakerOutcome = 'success' | 'failure' | 'ignored';

/** Buckets of the rolling window. */
const BUCKETS = 10;

/** One breaker (usually per upstream origin). */
export class CircuitBreaker {
  private current: 'closed' | 'open' | 'half-open' = 'closed';
  private consecutive = 0;
  private openedAtMs = 0;
  private openReason = '';
  private probing = false;
  private readonly successes = new Array<number>(BUCKETS).fill(0);
  private readonly failures = new Array<number>(BUCKETS).fill(0);
  private bucketEpoch = -1;

  /**
   * @param name what the breaker guards (an origin), for messages.
   * @param onChange called on every state change (logs, metrics).
   */
  constructor(
    readonly name: string,
    private readonly config: BreakerConfig,
    private readonly now: () => number = Date.now,
    private readonly onChange?: (breaker: CircuitBreaker, from: BreakerState, to: BreakerState) => void,
  ) {}

  /** The state, with an open breaker whose cool-down has passed reported as `half-open` (a probe may go). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAtMs >= this.config.cooldownMs) return 'half-open';
    return this.current;
  }

  /** When the breaker last opened (epoch ms), or undefined while closed. */
  get openedAt(): number | undefined {
    return this.current === 'closed' ? undefined : this.openedAtMs;
  }

  /** Why it last opened (empty while closed). */
  get reason(): string {
    return this.current === 'closed' ? '' : this.openReason;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  /** Asks to send one request: a permit, or a refusal while open (or while another probe runs). */
  acquire(): BreakerPermit | BreakerRefusal {
    if (this.current === 'open') {
      const waited = this.now() - this.openedAtMs;
      if (waited < this.config.cooldownMs) {
        return { refused: true, retryInMs: this.config.cooldownMs - waited, reason: this.openReason };
      }
      this.transition('half-open');
    }
    if (this.current === 'half-open') {
      if (this.probing) return { refused: true, retryInMs: 0, reason: this.openReason };
      this.probing = true;
      return { probe: true };
    }
    return { probe: false };
  }

  /** Records how a permitted request ended. `ignored`: the caller gave up, or the failure was not the upstream's. */
  record(permit: BreakerPermit, outcome: BreakerOutcome): void {
    if (permit.probe) {
      this.probing = false;
      if (this.current !== 'half-open') return;
      if (outcome === 'success') {
        this.resetCounts();
        this.transition('closed');
      } else if (outcome === 'failure') {
        this.open(`the probe after the cool-down failed too (${this.openReason})`);
      }
      return;
    }
    // Late answers of requests sent before the breaker opened say nothing new.
    if (this.current !== 'closed' || outcome === 'ignored') return;
    const at = this.bucket();
    if (outcome === 'success') {
      this.consecutive = 0;
      this.successes[at]!++;
      return;
    }
    this.consecutive++;
    this.failures[at]!++;
    if (this.consecutive >= this.config.failureThreshold) {
      this.open(`${this.consecutive} consecutive failures`);
      return;
    }
    const failed = this.failures.reduce((a, b) => a + b, 0);
    const total = failed + this.successes.reduce((a, b) => a + b, 0);
    if (total >= this.config.minimumRequests && failed / total >= this.config.failureRate) {
      this.open(`${failed} of the last ${total} requests failed within ${this.config.windowMs} ms`);
    }
  }

  private open(reason: string): void {
    this.openedAtMs = this.now();
    this.openReason = reason;
    this.consecutive = 0;
    this.transition('open');
  }

  private transition(to: 'closed' | 'open' | 'half-open'): void {
    const from = this.current;
    this.current = to;
    if (from !== to) this.onChange?.(this, from, to);
  }

  private resetCounts(): void {
    this.consecutive = 0;
    this.successes.fill(0);
    this.failures.fill(0);
  }

  /** The index of the current bucket, clearing buckets that fell out of the window since the last call. */
  private bucket(): number {
    const width = Math.max(1, Math.floor(this.config.windowMs / BUCKETS));
    const epoch = Math.floor(this.now() / width);
    if (this.bucketEpoch < 0 || epoch - this.bucketEpoch >= BUCKETS) {
      this.successes.fill(0);
      this.failures.fill(0);
    } else {
      for (let e = this.bucketEpoch + 1; e <= epoch; e++) {
        this.successes[e % BUCKETS] = 0;
        this.failures[e % BUCKETS] = 0;
      }
    }
    this.bucketEpoch = epoch;
    return epoch % BUCKETS;
  }
}

/** What a registry reports about one breaker. */
export interface BreakerSnapshot {
  upstream: string;
  /** Whether a configured (trusted) upstream uses it, rather than only DID-controlled URLs (did:web hosts). */
  trusted: boolean;
  state: BreakerState;
  /** ISO time it last opened; absent while closed. */
  openedAt?: string;
  reason?: string;
}

export interface BreakerRegistryConfig extends Partial<BreakerConfig> {
  /**
   * Breakers kept at most (default 1 000). DID-controlled URLs can name any host, so the map is bounded: the least
   * recently used closed breaker is dropped first.
   */
  maxBreakers?: number;
  /** The clock (tests inject one). */
  now?: () => number;
  /** Called on every state change. */
  onChange?: (snapshot: BreakerSnapshot, from: BreakerState) => void;
}

/** The breakers of one HTTP client, keyed by upstream origin. */
export class BreakerRegistry {
  readonly config: BreakerConfig;
  private readonly breakers = new Map<string, { breaker: CircuitBreaker; trusted: boolean }>();
  private readonly maxBreakers: number;
  private readonly now: () => number;
  private readonly onChange: BreakerRegistryConfig['onChange'];

  constructor(config: BreakerRegistryConfig = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError('"breaker" must be an object');
    const { maxBreakers, now, onChange, ...rest } = config;
    this.config = breakerConfig(rest);
    if (maxBreakers !== undefined && (!Number.isInteger(maxBreakers) || maxBreakers < 1)) {
      throw new TypeError('"breaker.maxBreakers" must be an integer >= 1');
    }
    this.maxBreakers = maxBreakers ?? 1_000;
    this.now = now ?? Date.now;
    this.onChange = onChange;
  }

  /** Whether breakers are on (`failureThreshold` > 0). */
  get enabled(): boolean {
    return this.config.failureThreshold > 0;
  }

  /** The breaker of an upstream origin, created closed on first use. */
  for(upstream: string, trusted: boolean): CircuitBreaker {
    let entry = this.breakers.get(upstream);
    if (entry) {
      // Map order is the LRU order: move to the end.
      this.breakers.delete(upstream);
      if (trusted) entry.trusted = true;
    } else {
      const breaker = new CircuitBreaker(upstream, this.config, this.now, (b, from) => {
        this.onChange?.(this.snapshot(b, this.breakers.get(b.name)?.trusted ?? trusted), from);
      });
      entry = { breaker, trusted };
      this.evict();
    }
    this.breakers.set(upstream, entry);
    return entry.breaker;
  }

  /** Every breaker's state. */
  list(): BreakerSnapshot[] {
    return [...this.breakers.values()].map(({ breaker, trusted }) => this.snapshot(breaker, trusted));
  }

  /** Breakers that are not closed. */
  notClosed(): BreakerSnapshot[] {
    return this.list().filter((s) => s.state !== 'closed');
  }

  private snapshot(breaker: CircuitBreaker, trusted: boolean): BreakerSnapshot {
    const state = breaker.state;
    const openedAt = breaker.openedAt;
    return {
      upstream: breaker.name,
      trusted,
      state,
      ...(openedAt !== undefined ? { openedAt: new Date(openedAt).toISOString(), reason: breaker.reason } : {}),
    };
  }

  private evict(): void {
    if (this.breakers.size < this.maxBreakers) return;
    for (const [key, { breaker }] of this.breakers) {
      if (breaker.state === 'closed') {
        this.breakers.delete(key);
        return;
      }
    }
    // Every breaker is open: drop the oldest anyway rather than grow without bound.
    const oldest = this.breakers.keys().next().value;
    if (oldest !== undefined) this.breakers.delete(oldest);
  }
}
