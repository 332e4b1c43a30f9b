/**
 * Calling a configured domestic upstream (a BID resolver, the did:cndid resolution service, the did:vaa resolver)
 * through the core's HTTP client, with the deployment's base URL, timeout, headers and size limit.
 *
 * These upstreams are configured by the operator, not chosen by a DID, so requests are *trusted* (no SSRF guard):
 * a sandbox on loopback or a resolver on a private network are legitimate deployments.
 */
import type { AdapterContext, HttpResponse } from '../../src/adapter.js';
import { DidBridgeError, UpstreamError } from '../../src/errors.js';
import { excerptOf } from '../../src/util/text.js';
import { isJsonObject } from './members.js';

/** Per-deployment upstream settings every domestic adapter accepts. */
export interface UpstreamConfig {
  /** The upstream's base URL (http or https), without the path the method adds. */
  baseUrl?: string;
  /** Deadline of one upstream request in ms (default: the HTTP client's, 10 000). */
  timeoutMs?: number;
  /** Extra request headers (an API key, a tenant id). Never logged. */
  headers?: Record<string, string>;
  /** Largest upstream response in bytes (default: the HTTP client's, 1 MiB). */
  maxBytes?: number;
}

/** {@link UpstreamConfig} after checking, with the base URL's trailing slashes removed. */
export interface CheckedUpstreamConfig {
  baseUrl: string;
  timeoutMs: number | undefined;
  headers: Record<string, string>;
  maxBytes: number | undefined;
}

/** Upper bound on `timeoutMs`: a resolver call that takes longer than this is a misconfiguration. */
export const MAX_UPSTREAM_TIMEOUT_MS = 600_000;

function readPositiveInteger(value: unknown, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  // Settings from the environment may arrive as strings.
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new TypeError(`"${name}" must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Checks upstream settings (programmer or operator misuse is a TypeError naming the setting).
 * @param defaultBaseUrl used when `baseUrl` is absent
 */
export function checkUpstreamConfig(config: UpstreamConfig, defaultBaseUrl: string): CheckedUpstreamConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new TypeError('"config" must be an object');
  const baseUrl = config.baseUrl ?? defaultBaseUrl;
  let url: URL;
  try {
    if (typeof baseUrl !== 'string') throw new Error('not a string');
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`"baseUrl" must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`"baseUrl" must be an http or https URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.search !== '' || url.hash !== '') throw new TypeError('"baseUrl" must not have a query or fragment');
  const headers = config.headers ?? {};
  if (!isJsonObject(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new TypeError('"headers" must be an object of header names to string values');
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs: readPositiveInteger(config.timeoutMs, 'timeoutMs', MAX_UPSTREAM_TIMEOUT_MS),
    headers: { ...(headers as Record<string, string>) },
    maxBytes: readPositiveInteger(config.maxBytes, 'maxBytes', 256 * 1024 * 1024),
  };
}

/** An upstream answer: status, the body parsed as JSON when it is JSON, and the text for error messages. */
export interface UpstreamAnswer {
  status: number;
  /** The parsed body; undefined when it is not JSON (see `parseError`). */
  json: unknown;
  /** Why the body is not JSON, when it is not. */
  parseError: string | undefined;
  /** A short printable excerpt of the body, for error details. */
  excerpt: string;
  response: HttpResponse;
}

/**
 * GETs an upstream URL. Transport failures, timeouts and oversized bodies come back as the HTTP client's
 * INTERNAL_ERROR, with `upstream` (e.g. `the did:bid resolver`) added in front of the detail.
 */
export async function getUpstream(context: AdapterContext, url: string, config: CheckedUpstreamConfig, upstream: string): Promise<UpstreamAnswer> {
  let response: HttpResponse;
  try {
    response = await context.http.request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...config.headers },
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      ...(config.maxBytes === undefined ? {} : { maxBytes: config.maxBytes }),
      ...(context.signal ? { signal: context.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DidBridgeError && err.code === 'INTERNAL_ERROR') {
      throw new UpstreamError(`${upstream}: ${err.message}`, { cause: err, ...(err.extensions ? { extensions: err.extensions } : {}) });
    }
    throw err;
  }
  let json: unknown;
  let parseError: string | undefined;
  let text = '';
  try {
    text = response.text();
    json = response.json();
  } catch (err) {
    parseError = err instanceof Error ? err.message : String(err);
  }
  return { status: response.status, json, parseError, excerpt: excerptOf(text), response };
}
