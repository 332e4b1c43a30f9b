/**
 * The driver target: a live Universal Resolver driver at a URL, exercised over HTTP with the generated cases of
 * `cases.ts` and the descriptive endpoints, in one or both error profiles.
 *
 * Targets: `driver:<method>` for each method the driver lists at `/1.0/methods` (its cases: its
 * `/1.0/testIdentifiers` plus any DIDs the caller knows the outcome of), and `driver:resolver` for the descriptive
 * endpoints and the inputs of no method. Every exchange becomes an `http` observation and, through its body,
 * `resolution` / `dereferencing` / `error` / `document` observations (`observe.ts`).
 *
 * How requests are made (resolver-contract.md §3.2, §3.5; DID Resolution § HTTP(S) Binding):
 * - a DID without options goes raw (`/1.0/identifiers/did:x:1`, as the Universal Resolver sends it), with
 *   `Accept: application/did-resolution` for the whole result, or the `accept` option as the Accept header for a
 *   bare document;
 * - options other than `accept` go as query parameters of the URL-encoded DID (`/1.0/identifiers/did%3Ax%3A1?…`);
 *   DIDs that are not valid DID URLs (the invalid cases), DID URLs with a fragment, and the did+json case (so that
 *   one success goes through the encoded form too) are URL-encoded as well;
 * - DID URLs are dereferenced with `Accept: application/did-url-dereferencing`, or the `accept` option;
 * - the error profile is asked for with `X-Error-Profile` (didbridge's driver; others answer in their one profile,
 *   which is why a run can be limited to the profile a driver speaks).
 *
 * Labels never contain the driver's address, so reports of two runs against the same driver compare.
 */
import { isDidUrl } from '../../src/syntax/did-url.js';
import { MediaType, type DIDResolutionResult } from '../../src/spec.js';
import type { DriverEndpoint, ErrorProfile, HttpExchangeUnderTest } from '../catalogue.js';
import { bodyView } from '../checks/http.js';
import { isMap } from '../checks/shared.js';
import { httpObservations } from '../observe.js';
import type { ConformanceTarget, Observation } from '../targets.js';
import {
  genericCases,
  resolutionCases,
  runMethodCases,
  type Case,
  type CaseExecutor,
  type DereferenceCase,
  type KnownDids,
  type ResolveCase,
} from './cases.js';

/** Options of {@link driverTargets}. */
export interface DriverTargetOptions {
  /** The driver's base URL (`http://host:8080`, with or without `/1.0/identifiers`). */
  url: string;
  /** The error profiles to exercise. Default both, `spec` first. */
  profiles?: readonly ErrorProfile[];
  /** Only these methods. Default: every method the driver lists. */
  methods?: readonly string[];
  /** DIDs whose outcome the caller knows (deactivated, unregistered), added to the driver's test identifiers. */
  known?: ReadonlyMap<string, KnownDids>;
  /** Time allowed for one exchange, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Largest response body read, in bytes; longer bodies are cut (and then fail to parse). Default 4 MiB. */
  maxBodyBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The driver's root URL, without `/1.0/identifiers` and without a trailing slash. */
export function driverRoot(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"url" must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`"url" must be an http(s) URL, got ${JSON.stringify(url)}`);
  if (parsed.search !== '' || parsed.hash !== '') throw new TypeError('"url" must not have a query or fragment');
  return parsed.href.replace(/\/+$/, '').replace(/\/1\.0\/identifiers$/, '').replace(/\/1\.0$/, '');
}

async function readBody(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** An HTTP client that records exchanges. */
class Recorder {
  constructor(
    private readonly root: string,
    private readonly timeoutMs: number,
    private readonly maxBodyBytes: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async exchange(path: string, headers: Record<string, string>): Promise<HttpExchangeUnderTest> {
    const url = this.root + path;
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(this.signal ? [this.signal] : [])];
    let response: Response;
    try {
      response = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.any(signals) });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new Error(`GET ${path}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    const body = await readBody(response, this.maxBodyBytes);
    return { request: { method: 'GET', url, headers }, response: { status: response.status, headers: responseHeaders, body } };
  }
}

function encodeOptions(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(([k]) => k !== 'accept')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
}

/** Runs cases over HTTP in one error profile. */
function driverExecutor(recorder: Recorder, profile: ErrorProfile, prefix: string): CaseExecutor {
  const headers = (accept: string): Record<string, string> => ({ accept, 'x-error-profile': profile });
  const label = (text: string) => `${prefix}${text}`;
  return {
    async resolve(c: ResolveCase) {
      const { accept, ...rest } = c.options as Record<string, unknown>;
      const otherOptions = Object.keys(rest).length > 0;
      const encode = otherOptions || !isDidUrl(c.did) || c.did.includes('#') || accept === MediaType.DidJson;
      const query = otherOptions ? `?${encodeOptions(rest)}` : '';
      const path = `/1.0/identifiers/${encode ? encodeURIComponent(c.did) : c.did}${query}`;
      const exchange = await recorder.exchange(path, headers(typeof accept === 'string' ? accept : MediaType.DidResolution));
      const input: HttpExchangeUnderTest = {
        ...exchange,
        endpoint: 'identifiers',
        identifier: c.did,
        operation: 'resolve',
        profile,
        ...(c.expectedOutcome ? { expectedOutcome: c.expectedOutcome } : {}),
      };
      const body = bodyView(input);
      return {
        observations: httpObservations(label(`${c.label}${encode ? ' (URL-encoded)' : ''}`), input),
        ...(body.resolutionResult ? { result: body.json as DIDResolutionResult } : {}),
      };
    },
    async dereference(c: DereferenceCase, resolution?: DIDResolutionResult) {
      // Over HTTP an identifier without "/", "?" or "#" is resolved, never dereferenced (resolver-contract.md §3.5).
      if (!/[/?#]/.test(c.didUrl)) return [];
      const accept = typeof c.options.accept === 'string' ? c.options.accept : MediaType.DidUrlDereferencing;
      const encode = c.didUrl.includes('#') || !isDidUrl(c.didUrl);
      const path = `/1.0/identifiers/${encode ? encodeURIComponent(c.didUrl) : c.didUrl}`;
      const exchange = await recorder.exchange(path, headers(accept));
      return httpObservations(
        label(c.label),
        {
          ...exchange,
          endpoint: 'identifiers',
          identifier: c.didUrl,
          operation: 'dereference',
          profile,
          ...(c.expectedOutcome ? { expectedOutcome: c.expectedOutcome } : {}),
        },
        resolution ? { resolution } : {},
      );
    },
  };
}

/** Whether a case is expected to fail (only these are repeated in the second profile). */
function expectsError(c: Case): boolean {
  return c.expectedOutcome !== undefined && c.expectedOutcome.endsWith('ErrorOutcome');
}

async function runCases(executor: CaseExecutor, cases: readonly Case[]): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const c of cases) {
    if (c.operation === 'resolve') out.push(...(await executor.resolve(c)).observations);
    else out.push(...(await executor.dereference(c)));
  }
  return out;
}

/**
 * The driver targets. Reads `/1.0/methods` and `/1.0/testIdentifiers` first (to know the methods); when the driver
 * cannot be reached, returns one target that reports why (the run then fails: an unreachable driver proves nothing).
 * @example
 * const report = await runConformance(await driverTargets({ url: 'http://127.0.0.1:8080' }));
 */
export async function driverTargets(options: DriverTargetOptions): Promise<ConformanceTarget[]> {
  if (!options || typeof options.url !== 'string') throw new TypeError('"options.url" must be the driver URL');
  const root = driverRoot(options.url);
  const profiles = [...new Set(options.profiles ?? (['spec', 'uniresolver'] as const))];
  if (profiles.length === 0 || profiles.some((p) => p !== 'spec' && p !== 'uniresolver')) {
    throw new TypeError('"options.profiles" must list spec and/or uniresolver');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const recorder = (signal?: AbortSignal) => new Recorder(root, timeoutMs, maxBodyBytes, signal);

  let methods: string[];
  let testIdentifiers: Record<string, unknown>;
  try {
    const r = recorder();
    const m = await r.exchange('/1.0/methods', { accept: MediaType.Json });
    const t = await r.exchange('/1.0/testIdentifiers', { accept: MediaType.Json });
    const parsedMethods = JSON.parse(m.response.body) as unknown;
    const parsedTests = JSON.parse(t.response.body) as unknown;
    methods = Array.isArray(parsedMethods) ? parsedMethods.filter((x): x is string => typeof x === 'string' && /^[a-z0-9]+$/.test(x)) : [];
    testIdentifiers = isMap(parsedTests) ? parsedTests : {};
  } catch (err) {
    const reason = err instanceof SyntaxError ? `/1.0/methods or /1.0/testIdentifiers did not answer JSON: ${err.message}` : (err as Error).message;
    return [
      {
        id: 'driver:resolver',
        kind: 'driver',
        title: 'the driver (unreachable)',
        async observe(): Promise<Observation[]> {
          throw new Error(`the driver at ${root} cannot be used: ${reason}`);
        },
      },
    ];
  }
  if (options.methods) methods = methods.filter((m) => options.methods!.includes(m));

  const [first, second] = profiles as [ErrorProfile, ErrorProfile | undefined];
  const prefixOf = (profile: ErrorProfile) => (profiles.length > 1 ? `[${profile}] ` : '');

  const targets: ConformanceTarget[] = methods.map((method) => ({
    id: `driver:${method}`,
    kind: 'driver',
    title: `did:${method} through the driver (HTTP)`,
    method,
    async observe(context): Promise<Observation[]> {
      const listed = testIdentifiers[method];
      const fromDriver = Array.isArray(listed) ? listed.filter((d): d is string => typeof d === 'string') : [];
      const extra = options.known?.get(method);
      const known: KnownDids = {
        ...(extra ?? {}),
        resolvable: [...fromDriver, ...(extra?.resolvable ?? [])],
      };
      const r = recorder(context.signal);
      const observations = await runMethodCases(driverExecutor(r, first, prefixOf(first)), method, known, context.step);
      if (second) {
        const errors = resolutionCases(method, known).filter(expectsError);
        observations.push(...(await runCases(driverExecutor(r, second, prefixOf(second)), errors)));
      }
      return observations;
    },
  }));

  targets.push({
    id: 'driver:resolver',
    kind: 'driver',
    title: 'the driver: descriptive endpoints and inputs of no method',
    async observe(context): Promise<Observation[]> {
      const r = recorder(context.signal);
      const observations: Observation[] = [];
      for (const endpoint of ['methods', 'testIdentifiers', 'traits', 'properties'] as DriverEndpoint[]) {
        const exchange = await r.exchange(`/1.0/${endpoint}`, { accept: MediaType.Json });
        observations.push(...httpObservations(`GET /1.0/${endpoint}`, { ...exchange, endpoint }));
      }
      for (const profile of profiles) {
        observations.push(...(await runCases(driverExecutor(r, profile, prefixOf(profile)), genericCases(methods))));
      }
      return observations;
    },
  });
  return targets;
}
