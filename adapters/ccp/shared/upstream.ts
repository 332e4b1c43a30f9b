/**
 * Calling a configured domestic upstream (the Baidu DID resolver, an Anicert CTID service) through the core's HTTP
 * client, with the deployment's base URL, timeout, headers and size limit, and turning what comes back into either a
 * parsed JSON body or a typed error that names the upstream and what was wrong.
 *
 * These upstreams are chosen by the operator, not by a DID, so requests are *trusted* (no SSRF guard): a sandbox on
 * loopback or a resolver on a private network are legitimate deployments.
 */
import type { AdapterContext, HttpResponse } from '../../../src/adapter.js';
import { DidBridgeError, UpstreamError } from '../../../src/errors.js';
import { excerptOf } from '../../../src/util/text.js';
import { isJsonObject } from './json.js';

/** Per-deployment upstream settings (the same names the other domestic adapters use). */
export interface UpstreamConfig {
  /** The upstream's base URL (http or https), without the path the method adds. */
  baseUrl?: string;
  /** Deadline of one upstream request in ms. Default 10 000. */
  timeoutMs?: number;
  /** Extra request headers (an API key, a tenant id). Never logged. */
  headers?: Record<string, string>;
  /** Largest upstream response accepted, in bytes. Default 1 MiB. */
  maxBytes?: number;
}

/** {@link UpstreamConfig} after checking: trailing slashes removed from the base URL, defaults applied. */
export interface CheckedUpstreamConfig {
  /** Undefined when the method has no public upstream and none was configured. */
  baseUrl: string | undefined;
  timeoutMs: number;
  headers: Record<string, string>;
  maxBytes: number;
}

/** Defaults of {@link UpstreamConfig}. */
export const UPSTREAM_DEFAULTS = { timeoutMs: 10_000, maxBytes: 1024 * 1024 } as const;

/** Upper bounds: a longer deadline or a bigger document is a configuration mistake, not a deployment need. */
export const UPSTREAM_LIMITS = { timeoutMs: 600_000, maxBytes: 64 * 1024 * 1024 } as const;

/** Header names (RFC 9110 §5.1 tokens) and values without CR, LF or NUL (no header injection). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const HEADER_VALUE = /^[^\r\n\u0000]*$/;

function readInteger(value: unknown, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  // Settings from the environment arrive as strings.
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new TypeError(`"${name}" must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Checks upstream settings. Misuse is a TypeError naming the setting.
 * @param config the adapter's configuration
 * @param defaultBaseUrl used when `baseUrl` is absent (undefined: the method has no public upstream)
 */
export function checkUpstreamConfig(config: UpstreamConfig, defaultBaseUrl: string | undefined): CheckedUpstreamConfig {
  const baseUrl = config.baseUrl ?? defaultBaseUrl;
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      if (typeof baseUrl !== 'string') throw new Error('not a string');
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`"baseUrl" must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`"baseUrl" must be an http or https URL, got ${JSON.stringify(baseUrl)}`);
    if (url.search !== '' || url.hash !== '') throw new TypeError('"baseUrl" must not have a query or a fragment');
    if (url.username !== '' || url.password !== '') throw new TypeError('"baseUrl" must not carry credentials; use "headers"');
  }
  const headers = config.headers ?? {};
  if (!isJsonObject(headers)) throw new TypeError('"headers" must be an object of header names to string values');
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`"headers" has an invalid header name ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw new TypeError(`"headers.${name}" must be a string without line breaks`);
  }
  return {
    baseUrl: baseUrl?.replace(/\/+$/, ''),
    timeoutMs: readInteger(config.timeoutMs, 'timeoutMs', UPSTREAM_LIMITS.timeoutMs, UPSTREAM_DEFAULTS.timeoutMs),
    headers: { ...(headers as Record<string, string>) },
    maxBytes: readInteger(config.maxBytes, 'maxBytes', UPSTREAM_LIMITS.maxBytes, UPSTREAM_DEFAULTS.maxBytes),
  };
}

/** An upstream answer: the status and the body parsed as JSON. */
export interface UpstreamAnswer {
  status: number;
  /** The parsed body; undefined when it is not JSON (see `excerpt`). */
  json: unknown;
  /** A short printable excerpt of the body, for error details. */
  excerpt: string;
  response: HttpResponse;
}

/** Input of {@link callUpstream}. */
export interface UpstreamCall {
  url: string;
  method: 'GET' | 'POST';
  /** A JSON body (POST). */
  body?: unknown;
  /** The request's content type for `body`. Default `application/json`. */
  contentType?: string;
  /** Names the upstream in error details, e.g. `the Baidu DID resolver`. */
  upstream: string;
}

/**
 * Sends one request. Transport failures, timeouts, the caller's abort and oversized bodies come back as
 * INTERNAL_ERROR (UpstreamError) whose detail starts with the upstream's name; the body is parsed as JSON when it
 * is JSON (the caller decides what a non-JSON body means for each status).
 */
export async function callUpstream(context: AdapterContext, config: CheckedUpstreamConfig, call: UpstreamCall): Promise<UpstreamAnswer> {
  let response: HttpResponse;
  try {
    response = await context.http.request(call.url, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': call.contentType ?? 'application/json' }),
        ...config.headers,
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      timeoutMs: config.timeoutMs,
      maxBytes: config.maxBytes,
      ...(context.signal ? { signal: context.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DidBridgeError && err.code === 'INTERNAL_ERROR') {
      throw new UpstreamError(`${call.upstream}: ${err.message}`, { cause: err, ...(err.extensions ? { extensions: err.extensions } : {}) });
    }
    throw err;
  }
  let text = '';
  let json: unknown;
  try {
    text = response.text();
    json = response.json();
  } catch {
    json = undefined;
  }
  return { status: response.status, json, excerpt: excerptOf(text), response };
}

/** The error for a body that is not the envelope the upstream documents. */
export function unexpectedAnswer(upstream: string, answer: UpstreamAnswer, what: string): UpstreamError {
  const body = answer.json === undefined ? `a body that is not JSON (${JSON.stringify(answer.excerpt) || 'empty'})` : what;
  return new UpstreamError(`${upstream} answered HTTP ${answer.status} with ${body}`, {
    extensions: { reason: answer.json === undefined ? 'not-json' : 'unexpected-envelope', upstreamStatus: answer.status },
  });
}

/** Messages upstreams use for "no such DID" when they publish no error codes (English and Chinese). */
export const NOT_FOUND_MESSAGE = /not\s*(?:be\s*)?found|not\s*exists?|does\s*not\s*exist|no\s*such|不存在|未找到|未查询到/i;
