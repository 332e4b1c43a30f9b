/**
 * Datetimes in DID metadata are XML Schema dateTimes normalised to UTC without sub-second precision
 * (`2020-12-20T19:17:47Z`); did-test-suite's `toBeDidCoreDatetime` checks exactly this.
 * @see https://www.w3.org/TR/did-core/#did-document-metadata
 */

/** The normalised form. */
export const DID_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Normalises a datetime given as an ISO/XML string (any offset, any fraction), epoch seconds or epoch milliseconds
 * (numbers above 10^11 are taken as milliseconds: chain timestamps come in both). Returns undefined when the value
 * cannot be read as a datetime.
 */
export function normaliseDatetime(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) {
    ms = Math.abs(value) >= 1e11 ? value : value * 1000;
  } else if (typeof value === 'string' && value.trim() !== '') {
    const t = value.trim();
    if (/^\d+$/.test(t)) return normaliseDatetime(Number(t));
    // Date.parse reads ISO 8601 with offsets and fractions; a bare "YYYY-MM-DD HH:MM:SS" (common in domestic
    // upstreams) is read as UTC+8 only if the method says so, so here it is taken as UTC with a 'T'.
    ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? t.replace(' ', 'T') + 'Z' : t);
  } else if (value instanceof Date) {
    ms = value.getTime();
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
