/**
 * Configuration of the driver and the CLI: defaults, a JSON file, environment variables and command-line flags, in
 * that order of precedence (file < env < flags).
 *
 * Every setting is declared once, in `CONFIG_SETTINGS`, with its key, environment variable, type, bounds, default and
 * description. Parsing, validation, the error messages and the README's table of variables all come from that list.
 *
 * Adapter options: `adapters: { <id>: {...} }` in the file; in the environment either a whole object,
 * `DIDBRIDGE_ADAPTER_<ID>='{"option": ...}'`, or one option, `DIDBRIDGE_ADAPTER_<ID>__<OPTION_NAME>=value` (the
 * option name in SNAKE_CASE becomes camelCase; the value is read as JSON when it parses, else as a string). Adapter
 * options may hold credentials, so they are never logged nor served at `/1.0/properties`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DidBridgeError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { ADDRESS_CLASSES, type AddressClass } from './net/address-policy.js';
import { parseJsonSafe } from './util/json.js';

/**
 * Error profiles: how errors (and, for `legacy-1.0`, whole results) are written (resolver-contract.md §2.2).
 * - `spec`: the RFC 9457 URL `https://www.w3.org/ns/did#NAME` that DID Resolution requires;
 * - `uniresolver`: the bare token `NAME`, the only form the current Universal Resolver maps to 4xx statuses
 *   (resolver-contract.md §3.6);
 * - `legacy-1.0`: the DID Core 1.0 era contract: errors as camelCase strings (`notFound`), whole results with a
 *   top-level `@context`, served as `application/ld+json;profile="https://w3id.org/did-resolution"` when asked for
 *   (did-key-test-suite, did-test-suite fixtures, older clients; see `src/http/render.ts`).
 * @see https://w3c.github.io/did-resolution/#errors
 */
export const ERROR_PROFILES = ['spec', 'uniresolver', 'legacy-1.0'] as const;
export type ErrorProfileName = (typeof ERROR_PROFILES)[number];

/** Per-adapter options, keyed by adapter id (the shape `defaultAdapters()` takes). */
export type AdapterOptions = Record<string, Record<string, unknown> | undefined>;

/** The whole configuration, with every default applied. */
export interface DidBridgeConfig {
  /** TCP port of the driver. */
  port: number;
  /** Interface the driver binds to. */
  host: string;
  /** Default error profile (a request may choose another). */
  errorProfile: ErrorProfileName;
  logLevel: LogLevel;
  /** One `info` line per HTTP request (method, path, status, duration, cache, error name). */
  accessLog: boolean;
  /** `Access-Control-Allow-Origin`: `*`, a comma-separated list of origins (echoed when they match), or `''` for none. */
  corsOrigin: string;
  /** Outbound HTTP (adapters' upstream calls). */
  http: {
    timeoutMs: number;
    connectTimeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    /** Address classes DID-controlled URLs may reach anyway (e.g. `loopback` for a local test VDR). */
    allowAddressClasses: AddressClass[];
    /** Host names DID-controlled URLs may always reach. */
    allowHosts: string[];
    /** Deepest JSON nesting accepted in upstream responses. */
    maxJsonDepth: number;
    /** Retries of GET requests after transport failures, timeouts and 502/503/504 (0: none). */
    retries: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    /** Time all attempts of one request may take together. */
    retryBudgetMs: number;
    /** Consecutive failures that open an upstream's circuit breaker (0: no breakers). */
    breakerFailures: number;
    /** Failure rate over the window that opens a breaker, in percent. */
    breakerFailureRatePercent: number;
    breakerMinimumRequests: number;
    breakerWindowMs: number;
    breakerCooldownMs: number;
  };
  /** The shared resolution cache in Redis (off when `url` is empty). */
  redis: {
    url: string;
    keyPrefix: string;
    commandTimeoutMs: number;
    connectTimeoutMs: number;
    maxEntryBytes: number;
  };
  /** Prometheus metrics at `/metrics`. */
  metrics: {
    enabled: boolean;
  };
  /** The resolver's cache of adapter results. */
  cache: {
    enabled: boolean;
    maxEntries: number;
    maxBytes: number;
    defaultTtlSeconds: number;
    maxTtlSeconds: number;
    negativeTtlSeconds: number;
  };
  /** The driver's cache of serialised HTTP responses (the hot path). `maxEntries: 0` disables it. */
  responseCache: {
    maxEntries: number;
    maxBytes: number;
    maxTtlSeconds: number;
  };
  /** Request limits of the driver. */
  limits: {
    maxUrlLength: number;
    maxBodyBytes: number;
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    shutdownGraceMs: number;
    /** Longest DID or DID URL accepted (characters). */
    maxDidLength: number;
    /** Deadline of one resolution, upstream retries included. */
    resolutionTimeoutMs: number;
  };
  /** The sandbox registry embedded in `serve` (local emulators of the domestic upstreams). */
  sandbox: {
    /** `auto`: serve adapters that have no upstream configured from the sandbox; `on`: all of them; `off`: none. */
    mode: 'auto' | 'on' | 'off';
    /** SQLite file of the sandbox store, or `''` for an in-memory store. */
    db: string;
    /** Loopback port of the sandbox (0 picks a free one). */
    port: number;
  };
  /** The web console served at `/` (web/dist, built by `npm run build`). */
  console: {
    enabled: boolean;
  };
  /** Adapter ids to enable; undefined means every adapter the build ships. */
  enabledAdapters: string[] | undefined;
  adapters: AdapterOptions;
}

type SettingType = 'port' | 'int' | 'string' | 'bool' | 'list' | 'enum' | 'enumList';

/** One configuration setting, as data (the README renders this list). */
export interface ConfigSetting {
  /** Dotted key in the config file, e.g. `cache.maxEntries`. */
  key: string;
  /** Environment variable, if the setting has one. */
  env?: string;
  type: SettingType;
  /** Allowed values for `enum` / `enumList`. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** The default, as JSON would write it (`undefined` = unset). */
  default: unknown;
  description: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Every setting, with its environment variable, default and meaning. */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  { key: 'port', env: 'PORT', type: 'port', default: 8080, description: 'TCP port the driver listens on (0 picks a free port).' },
  {
    key: 'host',
    env: 'HOST',
    type: 'string',
    default: '127.0.0.1',
    description:
      'Interface to bind. Loopback by default so that `didbridge serve` on a workstation is not an open resolver ' +
      'for the whole network (it fetches DID-controlled URLs); the container image sets HOST=0.0.0.0, where the ' +
      'container boundary and network policy decide exposure.',
  },
  {
    key: 'errorProfile',
    env: 'DIDBRIDGE_ERROR_PROFILE',
    type: 'enum',
    values: ERROR_PROFILES,
    default: 'spec',
    description:
      'Default error profile: `spec` writes error types as https://www.w3.org/ns/did#NAME (DID Resolution); ' +
      '`uniresolver` writes the bare NAME so a Universal Resolver in front maps statuses correctly; `legacy-1.0` ' +
      'writes DID Core 1.0 era results (camelCase error strings such as notFound, a top-level @context, the ' +
      'profiled application/ld+json type) for older clients and the did:key test suite. Per request: header ' +
      'X-Error-Profile or query parameter _errorProfile.',
  },
  { key: 'logLevel', env: 'DIDBRIDGE_LOG_LEVEL', type: 'enum', values: LOG_LEVELS, default: 'info', description: 'Minimum log level (JSON lines on stdout).' },
  {
    key: 'accessLog',
    env: 'DIDBRIDGE_ACCESS_LOG',
    type: 'bool',
    default: true,
    description: 'Log one line per HTTP request at level info; answers replayed from the response cache are logged at level debug (a line costs more than a replay; see docs/BENCHMARKS.md, Driver).',
  },
  {
    key: 'corsOrigin',
    env: 'DIDBRIDGE_CORS_ORIGIN',
    type: 'string',
    default: '*',
    description: 'Access-Control-Allow-Origin: `*`, a comma-separated list of allowed origins, or empty to send no CORS headers.',
  },
  { key: 'http.timeoutMs', env: 'DIDBRIDGE_HTTP_TIMEOUT_MS', type: 'int', min: 100, max: 600_000, default: 10_000, description: 'Overall deadline of one upstream HTTP request, redirects included (ms).' },
  { key: 'http.connectTimeoutMs', env: 'DIDBRIDGE_HTTP_CONNECT_TIMEOUT_MS', type: 'int', min: 100, max: 600_000, default: 5_000, description: 'Upstream TCP/TLS connect timeout (ms).' },
  { key: 'http.maxBytes', env: 'DIDBRIDGE_HTTP_MAX_BYTES', type: 'int', min: 1 * KiB, max: 256 * MiB, default: 1 * MiB, description: 'Largest upstream response body accepted (bytes).' },
  { key: 'http.maxRedirects', env: 'DIDBRIDGE_HTTP_MAX_REDIRECTS', type: 'int', min: 0, max: 20, default: 5, description: 'Upstream redirects followed at most.' },
  {
    key: 'http.allowAddressClasses',
    env: 'DIDBRIDGE_HTTP_ALLOW_ADDRESS_CLASSES',
    type: 'enumList',
    values: ADDRESS_CLASSES,
    default: [],
    description: 'Comma-separated address classes that DID-controlled URLs may reach anyway (SSRF guard exceptions), e.g. `loopback`.',
  },
  { key: 'http.allowHosts', env: 'DIDBRIDGE_HTTP_ALLOW_HOSTS', type: 'list', default: [], description: 'Comma-separated host names DID-controlled URLs may always reach.' },
  { key: 'http.maxJsonDepth', env: 'DIDBRIDGE_HTTP_MAX_JSON_DEPTH', type: 'int', min: 8, max: 1_024, default: 64, description: 'Deepest JSON nesting accepted in an upstream response; deeper is refused before parsing.' },
  {
    key: 'http.retries',
    env: 'DIDBRIDGE_HTTP_RETRIES',
    type: 'int',
    min: 0,
    max: 10,
    default: 2,
    description: 'Retries of an upstream GET after a connection failure, reset, timeout or 502/503/504, with jittered exponential backoff (0 disables). POST requests are never retried.',
  },
  { key: 'http.retryBaseDelayMs', env: 'DIDBRIDGE_HTTP_RETRY_BASE_DELAY_MS', type: 'int', min: 1, max: 60_000, default: 100, description: 'Backoff before the first retry, doubled for each further one (ms).' },
  { key: 'http.retryMaxDelayMs', env: 'DIDBRIDGE_HTTP_RETRY_MAX_DELAY_MS', type: 'int', min: 1, max: 600_000, default: 2_000, description: 'Longest wait between attempts; an upstream Retry-After asking for longer ends the retries (ms).' },
  { key: 'http.retryBudgetMs', env: 'DIDBRIDGE_HTTP_RETRY_BUDGET_MS', type: 'int', min: 100, max: 600_000, default: 15_000, description: 'Time all attempts of one upstream request may take together; no retry starts after it (ms).' },
  {
    key: 'http.breakerFailures',
    env: 'DIDBRIDGE_HTTP_BREAKER_FAILURES',
    type: 'int',
    min: 0,
    max: 10_000,
    default: 5,
    description: "Consecutive failures (no connection, reset, timeout, 502/503/504) that open an upstream origin's circuit breaker; while open, requests to it fail fast with INTERNAL_ERROR (0 disables breakers).",
  },
  { key: 'http.breakerFailureRatePercent', env: 'DIDBRIDGE_HTTP_BREAKER_FAILURE_RATE_PERCENT', type: 'int', min: 1, max: 100, default: 50, description: 'Failure rate over the window that opens a breaker too (percent).' },
  { key: 'http.breakerMinimumRequests', env: 'DIDBRIDGE_HTTP_BREAKER_MIN_REQUESTS', type: 'int', min: 1, max: 1_000_000, default: 20, description: 'Requests the window must hold before the failure rate counts.' },
  { key: 'http.breakerWindowMs', env: 'DIDBRIDGE_HTTP_BREAKER_WINDOW_MS', type: 'int', min: 1_000, max: 3_600_000, default: 60_000, description: 'Rolling window of the failure rate (ms).' },
  { key: 'http.breakerCooldownMs', env: 'DIDBRIDGE_HTTP_BREAKER_COOLDOWN_MS', type: 'int', min: 100, max: 3_600_000, default: 30_000, description: 'How long an open breaker fails fast before one probe request is let through (ms).' },
  { key: 'cache.enabled', env: 'DIDBRIDGE_CACHE_ENABLED', type: 'bool', default: true, description: 'Cache resolutions in process (also governs the response cache).' },
  { key: 'cache.maxEntries', env: 'DIDBRIDGE_CACHE_MAX_ENTRIES', type: 'int', min: 1, max: 10_000_000, default: 10_000, description: 'Resolution cache size (entries).' },
  { key: 'cache.maxBytes', env: 'DIDBRIDGE_CACHE_MAX_BYTES', type: 'int', min: 1 * KiB, max: 16 * 1024 * MiB, default: 64 * MiB, description: 'Resolution cache size (bytes, approximate).' },
  { key: 'cache.defaultTtlSeconds', env: 'DIDBRIDGE_CACHE_TTL_SECONDS', type: 'int', min: 0, max: 86_400 * 30, default: 300, description: 'TTL when a method states none (s).' },
  { key: 'cache.maxTtlSeconds', env: 'DIDBRIDGE_CACHE_MAX_TTL_SECONDS', type: 'int', min: 0, max: 86_400 * 30, default: 3_600, description: 'Upper bound on any TTL, whatever the method says (s).' },
  { key: 'cache.negativeTtlSeconds', env: 'DIDBRIDGE_CACHE_NEGATIVE_TTL_SECONDS', type: 'int', min: 0, max: 86_400, default: 30, description: 'TTL of NOT_FOUND results (s); 0 disables negative caching.' },
  {
    key: 'redis.url',
    env: 'DIDBRIDGE_REDIS_URL',
    type: 'string',
    default: '',
    description:
      'Shared resolution cache for several replicas: redis://[user:password@]host:port[/db] or rediss:// (empty: in-process cache only). ' +
      'An unavailable Redis never fails a request: the in-process cache serves meanwhile and /health/ready says degraded.',
  },
  { key: 'redis.keyPrefix', env: 'DIDBRIDGE_REDIS_KEY_PREFIX', type: 'string', default: 'didbridge:', description: 'Prefix of every Redis key (separates deployments sharing one Redis).' },
  { key: 'redis.commandTimeoutMs', env: 'DIDBRIDGE_REDIS_COMMAND_TIMEOUT_MS', type: 'int', min: 10, max: 60_000, default: 250, description: 'Time a Redis command may take before the cache treats Redis as unavailable (ms).' },
  { key: 'redis.connectTimeoutMs', env: 'DIDBRIDGE_REDIS_CONNECT_TIMEOUT_MS', type: 'int', min: 100, max: 60_000, default: 2_000, description: 'Redis connect timeout; reconnection goes on in the background (ms).' },
  { key: 'redis.maxEntryBytes', env: 'DIDBRIDGE_REDIS_MAX_ENTRY_BYTES', type: 'int', min: 1 * KiB, max: 64 * MiB, default: 1 * MiB, description: 'Largest cache entry written to Redis; larger ones stay in process (bytes).' },
  { key: 'metrics.enabled', env: 'DIDBRIDGE_METRICS_ENABLED', type: 'bool', default: true, description: 'Serve Prometheus metrics at /metrics.' },
  { key: 'responseCache.maxEntries', env: 'DIDBRIDGE_RESPONSE_CACHE_MAX_ENTRIES', type: 'int', min: 0, max: 1_000_000, default: 1_000, description: 'Serialised responses kept for repeated GETs (0 disables).' },
  { key: 'responseCache.maxBytes', env: 'DIDBRIDGE_RESPONSE_CACHE_MAX_BYTES', type: 'int', min: 1 * KiB, max: 4 * 1024 * MiB, default: 16 * MiB, description: 'Response cache size (bytes).' },
  { key: 'responseCache.maxTtlSeconds', env: 'DIDBRIDGE_RESPONSE_CACHE_MAX_TTL_SECONDS', type: 'int', min: 0, max: 86_400, default: 300, description: 'Longest time a serialised response is reused; the resolution TTL may shorten it (s).' },
  { key: 'limits.maxUrlLength', env: 'DIDBRIDGE_MAX_URL_LENGTH', type: 'int', min: 256, max: 65_536, default: 8 * KiB, description: 'Longest request target accepted; longer gets 414 (characters).' },
  { key: 'limits.maxBodyBytes', env: 'DIDBRIDGE_MAX_BODY_BYTES', type: 'int', min: 256, max: 64 * MiB, default: 64 * KiB, description: 'Largest request body accepted; larger gets 413 (bytes). Also the longest X-Config header value (400 INVALID_OPTIONS beyond it).' },
  { key: 'limits.requestTimeoutMs', env: 'DIDBRIDGE_REQUEST_TIMEOUT_MS', type: 'int', min: 1_000, max: 3_600_000, default: 60_000, description: 'Time allowed to receive a whole request (node:http requestTimeout, ms).' },
  { key: 'limits.headersTimeoutMs', env: 'DIDBRIDGE_HEADERS_TIMEOUT_MS', type: 'int', min: 1_000, max: 600_000, default: 20_000, description: 'Time allowed to receive the request headers (ms).' },
  { key: 'limits.keepAliveTimeoutMs', env: 'DIDBRIDGE_KEEP_ALIVE_TIMEOUT_MS', type: 'int', min: 0, max: 600_000, default: 65_000, description: 'Idle keep-alive time; above common load-balancer idle timeouts (ms).' },
  { key: 'limits.shutdownGraceMs', env: 'DIDBRIDGE_SHUTDOWN_GRACE_MS', type: 'int', min: 0, max: 600_000, default: 10_000, description: 'On SIGTERM/SIGINT, time in-flight requests get to finish before connections are cut (ms).' },
  { key: 'limits.maxDidLength', env: 'DIDBRIDGE_MAX_DID_LENGTH', type: 'int', min: 64, max: 65_536, default: 8 * KiB, description: 'Longest DID or DID URL accepted; longer is INVALID_DID / INVALID_DID_URL without being scanned (characters).' },
  {
    key: 'limits.resolutionTimeoutMs',
    env: 'DIDBRIDGE_RESOLUTION_TIMEOUT_MS',
    type: 'int',
    min: 100,
    max: 600_000,
    default: 30_000,
    description: 'Deadline of one resolution, upstream retries included; past it the answer is INTERNAL_ERROR (ms).',
  },
  {
    key: 'sandbox.mode',
    env: 'DIDBRIDGE_SANDBOX',
    type: 'enum',
    values: ['auto', 'on', 'off'],
    default: 'auto',
    description:
      'Embedded sandbox registry for `serve`: `auto` serves each domestic method whose adapter has no upstream ' +
      'configured from local emulators on loopback (so `npm start` works offline); `on` serves all of them from it; ' +
      '`off` never starts it (the container image sets off: adapters then use their configured or public upstreams).',
  },
  { key: 'sandbox.db', env: 'DIDBRIDGE_SANDBOX_DB', type: 'string', default: '', description: 'SQLite file of the embedded sandbox (empty: in memory, reseeded at each start).' },
  { key: 'sandbox.port', env: 'DIDBRIDGE_SANDBOX_PORT', type: 'port', default: 0, description: 'Loopback port of the embedded sandbox (0 picks a free port).' },
  {
    key: 'console.enabled',
    env: 'DIDBRIDGE_CONSOLE',
    type: 'bool',
    default: true,
    description:
      'Serve the web console at `/` (resolve, compare, verify, browse conformance reports; English and 简体中文). ' +
      'Built into web/dist by `npm run build`; without it `/` answers 503 saying so.',
  },
  {
    key: 'enabledAdapters',
    env: 'DIDBRIDGE_ADAPTERS',
    type: 'list',
    default: undefined,
    description: 'Comma-separated adapter ids to enable (default: every adapter the build ships).',
  },
];

/** Variables that are not settings of their own. */
export const EXTRA_ENVIRONMENT_VARIABLES: ReadonlyArray<{ env: string; default: string; description: string }> = [
  { env: 'DIDBRIDGE_CONFIG', default: '', description: 'Path of a JSON configuration file (same keys as this table, nested: {"cache": {"maxEntries": 100}}).' },
  {
    env: 'DIDBRIDGE_ADAPTER_<ID>',
    default: '',
    description: 'Options of adapter <ID> as a JSON object, merged over `adapters.<id>` of the file.',
  },
  {
    env: 'DIDBRIDGE_ADAPTER_<ID>__<OPTION>',
    default: '',
    description:
      'One option of adapter <ID>; OPTION in SNAKE_CASE becomes camelCase (RPC_URL -> rpcUrl). The value is read as JSON when it parses, else as a string.',
  },
];

/** The environment variables with defaults and descriptions, in README order. */
export function environmentVariables(): Array<{ env: string; key: string | undefined; default: string; description: string }> {
  const settings = CONFIG_SETTINGS.filter((s) => s.env).map((s) => ({
    env: s.env!,
    key: s.key as string | undefined,
    default: s.default === undefined ? '' : Array.isArray(s.default) ? s.default.join(',') : String(s.default),
    description: s.description + (s.values ? ` One of: ${s.values.join(', ')}.` : ''),
  }));
  return [...settings, ...EXTRA_ENVIRONMENT_VARIABLES.map((v) => ({ ...v, key: undefined }))];
}

/** A configuration value that cannot be used; `key` names it (dotted key, env variable or flag). */
export class ConfigError extends DidBridgeError {
  readonly key: string;
  constructor(key: string, message: string, options: { cause?: unknown } = {}) {
    super('INVALID_OPTIONS', `configuration: ${message}`, options);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/** Where a value came from, for error messages. */
type Source = { kind: 'file'; path: string } | { kind: 'env' } | { kind: 'flag' };

function describe(setting: ConfigSetting, source: Source): string {
  if (source.kind === 'env') return `${setting.env} (setting "${setting.key}")`;
  if (source.kind === 'file') return `"${setting.key}" in ${source.path}`;
  return `"${setting.key}" (command-line flag)`;
}

const MAX_CONFIG_FILE_BYTES = 1 * MiB;

function parseValue(setting: ConfigSetting, raw: unknown, source: Source): unknown {
  const where = describe(setting, source);
  const bad = (expected: string): never => {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 80)) : JSON.stringify(raw)?.slice(0, 80);
    throw new ConfigError(source.kind === 'env' ? setting.env! : setting.key, `${where} must be ${expected}, got ${shown}`);
  };
  const fromEnv = source.kind === 'env';
  switch (setting.type) {
    case 'port':
    case 'int': {
      const min = setting.type === 'port' ? 0 : (setting.min ?? 0);
      const max = setting.type === 'port' ? 65_535 : (setting.max ?? Number.MAX_SAFE_INTEGER);
      let n: number;
      if (fromEnv && typeof raw === 'string') n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      else n = typeof raw === 'number' ? raw : NaN;
      if (!Number.isInteger(n) || n < min || n > max) bad(`an integer from ${min} to ${max}`);
      return n;
    }
    case 'string':
      if (typeof raw !== 'string') bad('a string');
      return (raw as string).trim();
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (fromEnv && typeof raw === 'string') {
        const v = raw.trim().toLowerCase();
        if (['true', '1', 'yes', 'on'].includes(v)) return true;
        if (['false', '0', 'no', 'off'].includes(v)) return false;
      }
      return bad('true or false');
    }
    case 'enum': {
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
      if (typeof v !== 'string' || !setting.values!.includes(v)) bad(`one of ${setting.values!.join(', ')}`);
      return v;
    }
    case 'list':
    case 'enumList': {
      let items: unknown[];
      if (fromEnv && typeof raw === 'string') items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      else if (Array.isArray(raw)) items = raw;
      else return bad(fromEnv ? 'a comma-separated list' : 'an array of strings');
      if (items.some((i) => typeof i !== 'string' || i === '')) bad('a list of non-empty strings');
      if (setting.type === 'enumList') {
        const unknown = (items as string[]).filter((i) => !setting.values!.includes(i));
        if (unknown.length > 0) bad(`a list of ${setting.values!.join(', ')}`);
      }
      return [...new Set(items as string[])];
    }
  }
}

function getPath(root: Record<string, unknown>, key: string): unknown {
  let node: unknown = root;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = Object.prototype.hasOwnProperty.call(node, part) ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

function setPath(root: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

const SECTION_KEYS = new Set(CONFIG_SETTINGS.filter((s) => s.key.includes('.')).map((s) => s.key.split('.')[0]!));
const LEAF_KEYS = new Set(CONFIG_SETTINGS.map((s) => s.key));

/** Refuses keys no setting declares: a typo in a config file should fail loudly, not be ignored. */
function checkKnownKeys(input: Record<string, unknown>, source: Source): void {
  const where = source.kind === 'file' ? ` in ${source.path}` : ' (command-line flags)';
  for (const [top, value] of Object.entries(input)) {
    if (top === 'adapters') continue;
    if (SECTION_KEYS.has(top)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigError(top, `"${top}"${where} must be an object`);
      }
      for (const sub of Object.keys(value)) {
        if (!LEAF_KEYS.has(`${top}.${sub}`)) throw new ConfigError(`${top}.${sub}`, `unknown key "${top}.${sub}"${where}`);
      }
    } else if (!LEAF_KEYS.has(top)) {
      throw new ConfigError(top, `unknown key "${top}"${where}`);
    }
  }
}

function checkAdapters(value: unknown, key: string, where: string): AdapterOptions {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(key, `"${key}"${where} must be an object of adapter id -> options`);
  }
  const out: AdapterOptions = {};
  for (const [id, options] of Object.entries(value)) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ConfigError(`${key}.${id}`, `"${key}.${id}"${where} must be an object of options`);
    }
    out[id] = { ...(options as Record<string, unknown>) };
  }
  return out;
}

function mergeAdapters(into: AdapterOptions, from: AdapterOptions): void {
  for (const [id, options] of Object.entries(from)) into[id] = { ...(into[id] ?? {}), ...(options ?? {}) };
}

function snakeToCamel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function readEnvValue(text: string): unknown {
  try {
    return parseJsonSafe(text, { maxDepth: 16 }, 'INVALID_OPTIONS');
  } catch {
    return text;
  }
}

/** Reads `DIDBRIDGE_ADAPTER_<ID>` and `DIDBRIDGE_ADAPTER_<ID>__<OPTION>` variables. */
function adaptersFromEnv(env: Record<string, string | undefined>): AdapterOptions {
  const out: AdapterOptions = {};
  const prefix = 'DIDBRIDGE_ADAPTER_';
  const names = Object.keys(env).filter((n) => n.startsWith(prefix) && env[n] !== undefined).sort();
  // Whole objects first, so single options refine them whatever the order of the environment.
  for (const name of names.filter((n) => !n.includes('__'))) {
    const id = name.slice(prefix.length).toLowerCase();
    if (!/^[a-z0-9][a-z0-9_]*$/.test(id)) throw new ConfigError(name, `${name}: adapter id must be letters and digits`);
    let parsed: unknown;
    try {
      parsed = parseJsonSafe(env[name]!, { maxDepth: 16 }, 'INVALID_OPTIONS');
    } catch (cause) {
      throw new ConfigError(name, `${name} must be a JSON object of adapter options: ${(cause as Error).message}`, { cause });
    }
    mergeAdapters(out, checkAdapters({ [id]: parsed }, name, ''));
  }
  for (const name of names.filter((n) => n.includes('__'))) {
    const [rawId, rawOption, ...rest] = name.slice(prefix.length).split('__');
    if (!rawId || !rawOption || rest.length > 0 || !/^[A-Za-z0-9_]+$/.test(rawOption)) {
      throw new ConfigError(name, `${name} must have the form DIDBRIDGE_ADAPTER_<ID>__<OPTION>`);
    }
    const id = rawId.toLowerCase();
    out[id] = { ...(out[id] ?? {}), [snakeToCamel(rawOption)]: readEnvValue(env[name]!) };
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  const abs = resolvePath(path);
  let text: string;
  try {
    const size = statSync(abs).size;
    if (size > MAX_CONFIG_FILE_BYTES) {
      throw new ConfigError('DIDBRIDGE_CONFIG', `config file ${abs} is ${size} bytes; the limit is ${MAX_CONFIG_FILE_BYTES}`);
    }
    text = readFileSync(abs, 'utf8');
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError('DIDBRIDGE_CONFIG', `cannot read config file ${abs}: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = parseJsonSafe(text, { maxDepth: 32 }, 'INVALID_OPTIONS');
  } catch (cause) {
    throw new ConfigError('DIDBRIDGE_CONFIG', `config file ${abs} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('DIDBRIDGE_CONFIG', `config file ${abs} must contain a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Overrides as the CLI passes them: the file's shape, any subset. */
export type ConfigOverrides = {
  [K in keyof DidBridgeConfig]?: DidBridgeConfig[K] extends object
    ? DidBridgeConfig[K] extends unknown[]
      ? DidBridgeConfig[K]
      : Partial<DidBridgeConfig[K]>
    : DidBridgeConfig[K];
};

export interface LoadConfigOptions {
  /** The environment (pass `process.env`; tests pass a literal). */
  env: Record<string, string | undefined>;
  /** A JSON config file; default `env.DIDBRIDGE_CONFIG`. */
  file?: string;
  /** Highest-precedence values (command-line flags). */
  overrides?: ConfigOverrides;
}

/**
 * Builds the configuration: defaults, then the file, then the environment, then `overrides`.
 *
 * @throws ConfigError naming the offending key, variable or flag.
 * @example
 * const config = loadConfig({ env: process.env, overrides: { port: 9000 } })
 */
export function loadConfig(options: LoadConfigOptions): DidBridgeConfig {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { env, overrides } = options;
  if (env === null || typeof env !== 'object') throw new TypeError('"env" must be an object (e.g. process.env)');
  if (overrides !== undefined && (overrides === null || typeof overrides !== 'object')) {
    throw new TypeError('"overrides" must be an object');
  }
  const values: Record<string, unknown> = {};
  for (const s of CONFIG_SETTINGS) setPath(values, s.key, Array.isArray(s.default) ? [...s.default] : s.default);
  const adapters: AdapterOptions = {};

  const layer = (input: Record<string, unknown>, source: Source) => {
    checkKnownKeys(input, source);
    for (const s of CONFIG_SETTINGS) {
      const raw = getPath(input, s.key);
      if (raw !== undefined) setPath(values, s.key, parseValue(s, raw, source));
    }
    const where = source.kind === 'file' ? ` in ${source.path}` : ' (command-line flags)';
    mergeAdapters(adapters, checkAdapters(input.adapters, 'adapters', where));
  };

  const file = options.file ?? (env.DIDBRIDGE_CONFIG?.trim() || undefined);
  if (file !== undefined) layer(readConfigFile(file), { kind: 'file', path: resolvePath(file) });

  for (const s of CONFIG_SETTINGS) {
    const raw = s.env ? env[s.env] : undefined;
    // An empty variable counts as set only for strings (DIDBRIDGE_CORS_ORIGIN= turns CORS off).
    if (raw === undefined || (raw.trim() === '' && s.type !== 'string')) continue;
    setPath(values, s.key, parseValue(s, raw, { kind: 'env' }));
  }
  mergeAdapters(adapters, adaptersFromEnv(env));

  if (overrides) layer(overrides as Record<string, unknown>, { kind: 'flag' });

  const config = { ...(values as unknown as DidBridgeConfig), adapters };
  if (config.cache.maxTtlSeconds < config.cache.defaultTtlSeconds) {
    throw new ConfigError(
      'cache.maxTtlSeconds',
      `"cache.maxTtlSeconds" (${config.cache.maxTtlSeconds}) must not be below "cache.defaultTtlSeconds" (${config.cache.defaultTtlSeconds})`,
    );
  }
  if (config.host === '') throw new ConfigError('host', '"host" must not be empty');
  if (config.redis.url !== '' && !/^rediss?:\/\/[^\s]+$/i.test(config.redis.url)) {
    throw new ConfigError('redis.url', '"redis.url" (DIDBRIDGE_REDIS_URL) must be a redis:// or rediss:// URL, or empty');
  }
  if (config.http.retryMaxDelayMs < config.http.retryBaseDelayMs) {
    throw new ConfigError(
      'http.retryMaxDelayMs',
      `"http.retryMaxDelayMs" (${config.http.retryMaxDelayMs}) must not be below "http.retryBaseDelayMs" (${config.http.retryBaseDelayMs})`,
    );
  }
  return config;
}

/** A URL with its user and password removed (for logs and published configuration). */
export function redactUrlCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * A summary safe to log or publish (`/1.0/properties`): adapter options are reduced to their names, since they may
 * hold credentials.
 */
export function describeConfig(config: DidBridgeConfig): Record<string, unknown> {
  const { adapters, ...rest } = config;
  const adapterOptionNames: Record<string, string[]> = {};
  for (const [id, options] of Object.entries(adapters)) adapterOptionNames[id] = Object.keys(options ?? {}).sort();
  const described = structuredClone(rest);
  // The Redis URL may carry a password.
  if (described.redis?.url) described.redis.url = redactUrlCredentials(described.redis.url);
  return { ...described, adapterOptionNames };
}

/** The package's name and version, read from its package.json (found by walking up from this module). */
export function packageInfo(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && typeof pkg.version === 'string') return { name: pkg.name, version: pkg.version };
    } catch {
      /* not here: go up */
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { name: 'didbridge', version: '0.0.0' };
}
