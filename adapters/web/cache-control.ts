/**
 * How long an HTTP response may be reused, read as a *shared* cache reads it (RFC 9111): the resolver's cache serves
 * every client of the driver, so `s-maxage` wins over `max-age` and `private` responses are not reused.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 */

/** One Cache-Control directive: its name (lower case) and its argument, unquoted, when it has one. */
interface Directive {
  name: string;
  value: string | undefined;
}

/** Splits a Cache-Control value into directives (RFC 9111 §5.2: `token [ "=" ( token / quoted-string ) ]`, commas). */
export function parseCacheControl(header: string): Directive[] {
  const out: Directive[] = [];
  // Commas inside a quoted argument (`no-cache="a, b"`) do not separate directives.
  for (const part of header.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    let value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    if (value !== undefined && value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    out.push({ name, value });
  }
  return out;
}

/** RFC 9111 §1.2.2 delta-seconds; undefined when malformed. Huge values saturate at 2^31, as the RFC says. */
function deltaSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}

/**
 * The freshness lifetime left for a response, in whole seconds, or undefined when the headers say nothing (the
 * caller's default applies).
 *
 * - `no-store`, unqualified `no-cache` and unqualified `private` → 0 (we never revalidate, so "revalidate first"
 *   means "do not reuse");
 * - `s-maxage`, else `max-age` (a malformed value counts as 0, conflicting duplicates take the smallest);
 * - else `Expires` minus `Date` (or `now`); an unparseable `Expires` means already expired (RFC 9111 §5.3);
 * - minus `Age`, never below 0.
 *
 * @param headers response headers with lower-case names
 * @param now the current time, for `Expires` without a `Date`
 */
export function freshnessSeconds(headers: Record<string, string>, now: Date): number | undefined {
  const directives = parseCacheControl(headers['cache-control'] ?? '');
  const has = (name: string, unqualifiedOnly = false) =>
    directives.some((d) => d.name === name && (!unqualifiedOnly || d.value === undefined));
  if (has('no-store') || has('no-cache', true) || has('private', true)) return 0;

  let lifetime: number | undefined;
  for (const name of ['s-maxage', 'max-age']) {
    const values = directives.filter((d) => d.name === name).map((d) => deltaSeconds(d.value) ?? 0);
    if (values.length > 0) {
      lifetime = Math.min(...values);
      break;
    }
  }
  if (lifetime === undefined && headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    const date = headers.date === undefined ? NaN : Date.parse(headers.date);
    const base = Number.isNaN(date) ? now.getTime() : date;
    lifetime = Number.isNaN(expires) ? 0 : Math.max(0, Math.floor((expires - base) / 1000));
  }
  if (lifetime === undefined) return undefined;
  const age = deltaSeconds(headers.age?.trim()) ?? 0;
  return Math.max(0, lifetime - age);
}
