/**
 * Retries of idempotent upstream reads: which failures are worth another attempt, how long to wait before it
 * (exponential backoff with jitter, so that many replicas retrying after the same outage do not arrive together),
 * and how much time all attempts together may take.
 *
 * Only GET requests are retried (RFC 9110 §9.2.2: a client may repeat an idempotent request after a failure), and only
 * after failures that say nothing about the request itself: no connection, a connection reset, a timeout, or a
 * gateway status (502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout). A 4xx, a 500, an oversized body or a
 * refused address is an answer, and asking again would get the same one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 */
import { DidBridgeError } from '../errors.js';

/** How retries are made. */
export interface RetryPolicy {
  /** Attempts after the first one; 0 turns retries off. */
  retries: number;
  /** Backoff before the first retry, in ms; doubled for each further retry, up to `maxDelayMs`. */
  baseDelayMs: number;
  /** Longest wait between two attempts, in ms. A `Retry-After` asking for longer ends the retries. */
  maxDelayMs: number;
  /**
   * Time all attempts and waits of one request may take together, in ms. The first attempt always gets the client's
   * whole `timeoutMs`; a retry starts only when the budget has time left, and gets at most what is left.
   */
  budgetMs: number;
}

/** The driver's defaults (`DIDBRIDGE_HTTP_RETRIES` and friends); the library client retries only when configured. */
export const RETRY_DEFAULTS: Readonly<RetryPolicy> = {
  retries: 2,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  budgetMs: 15_000,
};

/** Statuses that a gateway or an overloaded server answers: the same request may well succeed a moment later. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Upstream error reasons (`extensions.reason` of the client's errors) worth another attempt. */
const RETRYABLE_REASONS = new Set(['timeout', 'transport']);

/**
 * Checks a partial policy and fills in the defaults.
 * @throws TypeError naming the member (`"retry.budgetMs"`, ...).
 */
export function retryPolicy(input: Partial<RetryPolicy> = {}): RetryPolicy {
  if (input === null || typeof input !== 'object') throw new TypeError('"retry" must be an object');
  const out = { ...RETRY_DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  for (const name of ['retries', 'baseDelayMs', 'maxDelayMs', 'budgetMs'] as const) {
    const v = out[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new TypeError(`"retry.${name}" must be an integer >= 0, got ${String(v)}`);
    }
  }
  return out;
}

/** Whether an error thrown by the HTTP client may be retried (no connection, reset, timeout). */
export function isRetryableError(err: unknown): boolean {
  if (!(err instanceof DidBridgeError)) return false;
  const reason = err.extensions?.reason;
  return typeof reason === 'string' && RETRYABLE_REASONS.has(reason);
}

/**
 * The wait before retry number `retry` (1 for the first retry): "equal jitter", half of the exponential step plus a
 * random part of the other half, so waits are never zero and never synchronised across replicas.
 *
 * @example
 * backoffDelay(1, policy) // 50..100 ms with the defaults
 * backoffDelay(3, policy) // 200..400 ms
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

/**
 * The wait a `Retry-After` header asks for, in ms (delay-seconds or an HTTP date); undefined when absent or
 * unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
