/**
 * Datetimes in DID metadata are XML Schema dateTimes normalised to UTC without sub-second precision
 * (`2020-12-20T19:17:47Z`); did-test-suite's `toBeDidCoreDatetime` checks exactly this.
 *
 * Strings are read by a strict parser of our own rather than `Date.parse`, whose legacy fallback accepts almost
 * anything (`"foo 1"` is 2001-01-01), rolls invalid days over (`2020-02-30` becomes 1 March) and reads a datetime
 * without offset in the machine's local time zone.
 *
 * @see https://www.w3.org/TR/did-core/#did-document-metadata
 * @see https://www.w3.org/TR/did-core/#did-parameters (versionTime)
 * @see https://www.w3.org/TR/xmlschema11-2/#dateTime
 */

/** The normalised form (shape only; {@link isDidDatetime} also checks the calendar). */
export const DID_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * An XML Schema / ISO 8601 extended datetime: date, optional time (`T`, or a space as domestic upstreams write it),
 * optional fraction, optional offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`). A date alone means midnight.
 */
const DATETIME_TEXT =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (works for any year, unlike `Date.UTC` for years 0-99). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Reads an XML datetime string into epoch milliseconds (sub-seconds dropped), or undefined. */
function parseDatetimeText(text: string): number | undefined {
  const m = DATETIME_TEXT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // XSD 1.1 allows 24:00:00 (the first instant of the next day) and no leap seconds.
  if (minute > 59 || second > 59 || hour > 24 || (hour === 24 && (minute !== 0 || second !== 0))) return undefined;
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const offsetHours = Number(oh);
    const offsetMins = om === undefined ? 0 : Number(om);
    if (offsetHours > 14 || offsetMins > 59 || (offsetHours === 14 && offsetMins !== 0)) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // No offset: XML Schema leaves the zone unspecified; we take UTC so the answer never depends on the host's TZ.
  return daysSinceEpoch(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
}

/** Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ`, truncating sub-seconds; undefined outside years 0000-9999. */
function formatDidDatetime(ms: number): string | undefined {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const time = d.getTime();
  if (Number.isNaN(time)) return undefined;
  const year = d.getUTCFullYear();
  // The DID Core form has exactly four year digits; Date#toISOString would write +010000 or -000001.
  if (year < 0 || year > 9999) return undefined;
  return (
    `${year < 10 ? '000' : year < 100 ? '00' : year < 1000 ? '0' : ''}${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`
  );
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The value of two ASCII digits at `at`. */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

/**
 * Whether `text` (of the DID_DATETIME shape) names a real instant that normalising would write back unchanged:
 * month, day, hour, minute and second in range (24:00:00 is normalised to the next day, so it does not qualify).
 */
function isCanonicalDidDatetime(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    twoDigits(text, 11) <= 23 && twoDigits(text, 14) <= 59 && twoDigits(text, 17) <= 59
  );
}

/**
 * Normalises a datetime given as an XML/ISO string (any offset, any fraction), epoch seconds or epoch milliseconds
 * (numbers of magnitude 10^11 and above are taken as milliseconds: chain timestamps come in both), or a `Date`.
 * Sub-seconds are truncated, not rounded. Returns undefined when the value cannot be read as a datetime or falls
 * outside years 0000-9999.
 *
 * @example
 * normaliseDatetime('2020-12-20T21:17:47.123+02:00') // '2020-12-20T19:17:47Z'
 * normaliseDatetime(1608491867)                     // '2020-12-20T19:17:47Z'
 */
export function normaliseDatetime(value: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    ms = Math.abs(value) >= 1e11 ? value : value * 1000;
  } else if (typeof value === 'string') {
    const text = value.trim();
    // Bound the work on hostile input: no datetime is anywhere near this long.
    if (text === '' || text.length > 64) return undefined;
    if (/^\d+$/.test(text)) return normaliseDatetime(Number(text));
    // Already in the DID Core form (the common case): parsing and writing it again would give the same text.
    if (DID_DATETIME.test(text) && isCanonicalDidDatetime(text)) return text;
    ms = parseDatetimeText(text);
  } else if (value instanceof Date) {
    ms = value.getTime();
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return formatDidDatetime(ms);
}

/**
 * Whether `value` is already a DID Core datetime: `YYYY-MM-DDTHH:MM:SSZ`, a real calendar date and time, UTC, no
 * fraction. This is what DID Core §3.2.1 requires of the `versionTime` DID parameter.
 */
export function isDidDatetime(value: unknown): value is string {
  return typeof value === 'string' && DID_DATETIME.test(value) && normaliseDatetime(value) === value;
}
