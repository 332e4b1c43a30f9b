/**
 * The driver's HTTP API as the console uses it. URLs are relative to the page, so the console works wherever the
 * driver is mounted. Every call has a deadline; none throws for an HTTP error status (the caller shows it).
 */

/** The whole resolution result, in the media type of the DID Resolution HTTP(S) binding. */
export const RESOLUTION_ACCEPT = 'application/did-resolution';
/** The whole dereferencing result, for DID URLs. */
export const DEREFERENCING_ACCEPT = 'application/did-url-dereferencing';

/** Deadline of one call (the driver's own resolution deadline is shorter). */
const TIMEOUT_MS = 60_000;

/** An answer of the driver. */
export interface DriverAnswer {
  status: number;
  /** True when the driver redirected (303 to a service endpoint); the redirect is not followed. */
  redirected: boolean;
  headers: Headers;
  /** The body as text (empty for redirects). */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Milliseconds from sending the request to having the whole body. */
  ms: number;
  /** The URL asked (relative to the page). */
  url: string;
}

async function call(url: string, init: RequestInit): Promise<DriverAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  const started = performance.now();
  try {
    // `no-store`: the timing and X-Cache shown must be the driver's, not the browser cache's.
    const response = await fetch(url, { ...init, cache: 'no-store', redirect: 'manual', signal: controller.signal });
    if (response.type === 'opaqueredirect') {
      return { status: 303, redirected: true, headers: response.headers, text: '', json: undefined, ms: Math.round(performance.now() - started), url };
    }
    const body = await response.text();
    const ms = Math.round(performance.now() - started);
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status: response.status, redirected: false, headers: response.headers, text: body, json, ms, url };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an identifier is a DID URL (dereferenced) rather than a DID (resolved). */
export function isDidUrl(identifier: string): boolean {
  return /[/?#]/.test(identifier);
}

/** The driver URL of an identifier, URL-encoded (resolver-contract.md §3.5: the query then holds options). */
export function identifierUrl(identifier: string, options: { noCache?: boolean } = {}): string {
  return `1.0/identifiers/${encodeURIComponent(identifier)}${options.noCache ? '?noCache=true' : ''}`;
}

/** Resolves a DID or dereferences a DID URL, asking for the whole result. */
export function resolveIdentifier(identifier: string, options: { noCache?: boolean } = {}): Promise<DriverAnswer> {
  return call(identifierUrl(identifier, options), { headers: { accept: isDidUrl(identifier) ? DEREFERENCING_ACCEPT : RESOLUTION_ACCEPT } });
}

/** The original upstream record and its change records (`GET /1.0/original/{did}`, a didbridge extension). */
export function originalRecord(did: string, options: { noCache?: boolean } = {}): Promise<DriverAnswer> {
  return call(`1.0/original/${encodeURIComponent(did)}${options.noCache ? '?noCache=true' : ''}`, { headers: { accept: 'application/json' } });
}

/** `GET /1.0/testIdentifiers`: method → DIDs. */
export function testIdentifiers(): Promise<DriverAnswer> {
  return call('1.0/testIdentifiers', { headers: { accept: 'application/json' } });
}

/** `GET /1.0/properties`: the driver's name, version and methods. */
export function properties(): Promise<DriverAnswer> {
  return call('1.0/properties', { headers: { accept: 'application/json' } });
}

/** `POST /1.0/verify` with a body such as `{ "jwt": "…" }` or `{ "credential": {…}, "options": {…} }`. */
export function verifyCredential(body: Record<string, unknown>): Promise<DriverAnswer> {
  return call('1.0/verify', { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A short description of a failed call (network error, timeout). */
export function describeFailure(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The DID Resolution error name in an RFC 9457 object (URL type or bare token), or undefined. */
export function errorName(problem: unknown): string | undefined {
  if (problem === null || typeof problem !== 'object') return undefined;
  const type = (problem as { type?: unknown }).type;
  if (typeof type !== 'string') return undefined;
  const hash = type.lastIndexOf('#');
  return hash >= 0 ? type.slice(hash + 1) : type;
}
