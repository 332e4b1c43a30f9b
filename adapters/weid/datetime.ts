/**
 * The WeIdentity-family datetimes: `created` / `updated` are epoch milliseconds (WeIdentity v1) or seconds (TDID,
 * v3 metadata), written in metadata as DID Core datetimes (`YYYY-MM-DDTHH:MM:SSZ`). `normaliseDatetime`
 * (src/util/datetime.ts) writes them through a `Date` and its six UTC getters; epoch values between 1970 and 9999
 * are written here from the day number by integer arithmetic instead, with the same result (tested against it). Every
 * other value goes to `normaliseDatetime`.
 *
 * @see https://www.w3.org/TR/did-core/#did-document-metadata
 */
import { normaliseDatetime } from '../../src/util/datetime.js';

/** 9999-12-31T23:59:59Z in epoch seconds: the last instant a DID Core datetime (four year digits) can name. */
const LAST_SECOND = 253_402_300_799;

/** Two decimal digits of `n` (0-99). */
function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * `normaliseDatetime(value)` for any value; epoch numbers (seconds below 10^11, milliseconds from there on, as
 * `normaliseDatetime` reads them) from 1970 to 9999 are written without a `Date`.
 */
export function epochDatetime(value: unknown): string | undefined {
  if (typeof value !== 'number' || !(value >= 0)) return normaliseDatetime(value);
  // The same expressions as normaliseDatetime, so the same second is written (sub-seconds truncated).
  const ms = Math.abs(value) >= 1e11 ? value : value * 1000;
  const seconds = Math.floor(ms / 1000);
  if (!(seconds <= LAST_SECOND)) return normaliseDatetime(value);
  const days = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - days * 86_400;
  // The proleptic Gregorian date of a day number, counted in 400-year eras from 0000-03-01 (so that the leap day is
  // the last day of a year): era, day of era, year of era, day of the March-based year, March-based month. This is
  // the published civil-from-days method (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms",
  // https://howardhinnant.github.io/date_algorithms.html), written here for non-negative day numbers.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay - hour * 3600) / 60);
  const second = secondOfDay - hour * 3600 - minute * 60;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}Z`;
}
