/**
 * The verification clock and the validity-period check.
 *
 * A credential's validity period can be stated in up to three vocabularies at once: JWT claims (`nbf`, `exp`, `iat`,
 * RFC 7519 §4.1, NumericDate seconds), VC Data Model 1.1 (`issuanceDate`, `expirationDate`) and VC Data Model 2.0
 * (`validFrom`, `validUntil`), the last two as XML Schema datetimes. Every bound present is checked; the credential
 * is valid only inside all of them, widened by the allowed clock skew on both sides.
 *
 * The clock is injectable (`now` option) so that verification "as of" a given time is reproducible, and so tests
 * never depend on the wall clock.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4 (exp), §4.1.5 (nbf), §4.1.6 (iat)
 * @see https://www.w3.org/TR/vc-data-model/#issuance-date (1.1)
 * @see https://www.w3.org/TR/vc-data-model-2.0/#validity-period
 */
import { normaliseDatetime } from '../util/datetime.js';
import { check, type VerificationCheck, type VerificationErrorCode } from './report.js';

/** The skew allowed by default between the verifier's clock and the issuer's, in seconds (did-jwt's default too). */
export const DEFAULT_SKEW_SECONDS = 300;

/** The longest skew accepted as an option: one day. More is not skew but a different policy. */
export const MAX_SKEW_SECONDS = 86_400;

/** The members a validity bound can come from. */
export type ValiditySource = 'nbf' | 'exp' | 'iat' | 'issuanceDate' | 'expirationDate' | 'validFrom' | 'validUntil';

/** What a bound says: valid not before it, not after it, or issued at it (which must not be in the future). */
export type ValidityKind = 'notBefore' | 'notAfter' | 'issuedAt';

/** One bound of the validity period. */
export interface ValidityBound {
  source: ValiditySource;
  kind: ValidityKind;
  /** Epoch milliseconds. */
  at: number;
}

/** The kind of each source. */
export const VALIDITY_KIND: Readonly<Record<ValiditySource, ValidityKind>> = {
  nbf: 'notBefore',
  exp: 'notAfter',
  iat: 'issuedAt',
  issuanceDate: 'notBefore',
  expirationDate: 'notAfter',
  validFrom: 'notBefore',
  validUntil: 'notAfter',
};

/**
 * Reads the `now` option into a clock: a Date, an XML datetime string, epoch seconds (a number below 10^11) or
 * milliseconds, or a function returning a Date. Absent: the wall clock.
 *
 * @throws TypeError naming `now` when the value is none of those
 */
export function clockFrom(now: unknown): () => Date {
  if (now === undefined) return () => new Date();
  if (now instanceof Date) {
    if (Number.isNaN(now.getTime())) throw new TypeError('"now" must be a valid Date');
    const fixed = now.getTime();
    return () => new Date(fixed);
  }
  if (typeof now === 'function') {
    return () => {
      const value: unknown = (now as () => unknown)();
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError('"now" must return a valid Date');
      return value;
    };
  }
  const normalised = normaliseDatetime(now);
  if (normalised === undefined) {
    throw new TypeError('"now" must be a Date, an XML datetime such as 2024-01-01T00:00:00Z, epoch seconds, or a function');
  }
  // normaliseDatetime drops sub-seconds; keep them for Date and millisecond inputs.
  const ms = typeof now === 'number' && Math.abs(now) >= 1e11 ? now : Date.parse(normalised);
  const fixed = new Date(ms);
  return () => new Date(fixed.getTime());
}

/**
 * Reads the skew option (seconds, a finite number from 0 to {@link MAX_SKEW_SECONDS}).
 * @throws TypeError naming `skewSeconds`
 */
export function skewFrom(skew: unknown): number {
  if (skew === undefined) return DEFAULT_SKEW_SECONDS;
  const n = typeof skew === 'string' && /^\d+(\.\d+)?$/.test(skew.trim()) ? Number(skew) : skew;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_SKEW_SECONDS) {
    throw new TypeError(`"skewSeconds" must be a number of seconds from 0 to ${MAX_SKEW_SECONDS}`);
  }
  return n;
}

/** Formats epoch milliseconds as an XML datetime (UTC, seconds). */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  const cached = isoCache.get(second);
  if (cached !== undefined) return cached;
  const text = formatSeconds(second);
  // Reports format the same instants over and over (the clock, a credential's bounds): remember the last few.
  if (isoCache.size >= ISO_CACHE_LIMIT) isoCache.delete(isoCache.keys().next().value as number);
  isoCache.set(second, text);
  return text;
}

const ISO_CACHE_LIMIT = 1024;
const isoCache = new Map<number, string>();

function formatSeconds(second: number): string {
  const date = new Date(second * 1000);
  const year = date.getUTCFullYear();
  // toISOString writes ±YYYYYY outside years 0-9999; the validity data is for people, so fall back to it there.
  return year >= 0 && year <= 9999 ? date.toISOString().replace('.000Z', 'Z') : date.toISOString();
}

/**
 * Reads a JWT NumericDate (RFC 7519 §2: seconds since the epoch, possibly fractional) into epoch milliseconds.
 * Returns undefined when absent, and `null` when present but not a finite non-negative number.
 */
export function readNumericDate(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 253_402_300_799) return null;
  return value * 1000;
}

/**
 * Reads an XML Schema datetime (VC Data Model `issuanceDate`, `validFrom`, ...) into epoch milliseconds. Returns
 * undefined when absent and `null` when present but not a datetime.
 */
export function readXmlDatetime(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const normalised = normaliseDatetime(value);
  return normalised === undefined ? null : Date.parse(normalised);
}

/** What {@link checkValidityPeriod} decided. */
export interface ValidityOutcome {
  check: VerificationCheck;
  /** The error code when the check failed. */
  code?: VerificationErrorCode;
}

/**
 * The `validity-period` check: every bound must hold at `now`, with `skewSeconds` of tolerance on each side.
 * `notBefore` and `issuedAt` fail when later than now + skew; `notAfter` fails when at or before now − skew (RFC 7519
 * §4.1.4: the token "MUST NOT be accepted on or after" `exp`). No bound at all passes: a credential without a
 * validity period is valid indefinitely (VC Data Model 2.0 §4.9), and the detail says so.
 *
 * @example
 * checkValidityPeriod({ bounds: [{ source: 'exp', kind: 'notAfter', at: Date.parse('2024-01-01T00:00:00Z') }], now: new Date(), skewSeconds: 300 })
 */
export function checkValidityPeriod(options: {
  bounds: readonly ValidityBound[];
  now: Date;
  skewSeconds: number;
}): ValidityOutcome {
  const { bounds, now, skewSeconds } = options;
  const t = now.getTime();
  const skewMs = skewSeconds * 1000;
  const stated: Record<string, string> = {};
  // One pass: the first failing bound (expiry before earliness), and the tightest bounds for the detail.
  let expired: ValidityBound | undefined;
  let early: ValidityBound | undefined;
  let from: ValidityBound | undefined;
  let until: ValidityBound | undefined;
  for (const b of bounds) {
    stated[b.source] = isoSeconds(b.at);
    if (b.kind === 'notAfter') {
      if (!expired && b.at <= t - skewMs) expired = b;
      if (!until || b.at < until.at) until = b;
    } else {
      if (!early && b.at > t + skewMs) early = b;
      if (!from || b.at > from.at) from = b;
    }
  }
  const data: Record<string, unknown> = { now: isoSeconds(t), skewSeconds, bounds: stated };
  const tail = `now is ${isoSeconds(t)}, ${skewSeconds} s skew allowed`;
  if (expired) {
    return { check: check('validity-period', 'fail', `expired at ${describeBound(expired)}; ${tail}`, data), code: 'EXPIRED' };
  }
  if (early) {
    const what = early.kind === 'issuedAt' ? 'issued in the future' : 'not valid before';
    return { check: check('validity-period', 'fail', `${what} ${describeBound(early)}; ${tail}`, data), code: 'NOT_YET_VALID' };
  }
  if (bounds.length === 0) {
    return { check: check('validity-period', 'pass', `no validity period stated; valid at ${isoSeconds(t)}`, data) };
  }
  const range = `${from ? `from ${describeBound(from)}` : 'from any time'} ${until ? `until ${describeBound(until)}` : 'with no end'}`;
  return { check: check('validity-period', 'pass', `valid at ${isoSeconds(t)}: ${range}, ${skewSeconds} s skew allowed`, data) };
}

function describeBound(b: ValidityBound): string {
  return `${isoSeconds(b.at)} (${b.source})`;
}
