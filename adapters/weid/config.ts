/**
 * Configuration of the did:weid adapter: which WeIdentity REST service answers for which chain id.
 *
 * There is no public WeIdentity resolver: every consortium runs its own FISCO BCOS chain and REST service
 * (domestic-methods.md §3.6), and the chain id in a DID (`did:weid:101:0x…`) is a routing id. The operator lists a
 * REST service per chain id under `chains`, plus an optional default `baseUrl` for every other chain id and for the
 * legacy form without one (`did:weid:0x…`).
 *
 * @example
 * createWeidAdapter({
 *   baseUrl: 'https://weid.example.org:6001',
 *   chains: { '101': { baseUrl: 'https://consortium-a.example:6001', headers: { authorization: 'Bearer …' } } },
 *   timeoutMs: 5000,
 * })
 */
import { WEID_DOCUMENT_FUNCTIONS, type WeidDocumentFunction } from './rest.js';

/** One WeIdentity REST service. */
export interface WeidEndpointConfig {
  /**
   * The service's base URL (http or https, optionally with a path prefix); requests go to
   * `{baseUrl}/weid/api/invoke`. Chosen by the operator, so the SSRF guard does not apply to it.
   */
  baseUrl: string;
  /** Extra request headers (an API gateway's credentials, ...). Merged over the adapter-wide `headers`. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. Default: the adapter's `timeoutMs`. */
  timeoutMs?: number;
  /** Which document function to call. Default: the adapter's `functionName`. */
  functionName?: WeidDocumentFunction;
  /** The chain's key type (WeIdentity `crypto.type`). Default: the adapter's `cryptoType`. */
  cryptoType?: 'secp256k1' | 'SM2';
}

/** Options of `createWeidAdapter`. Every member is optional; without an endpoint every DID answers METHOD_NOT_SUPPORTED. */
export interface WeidAdapterConfig {
  /** The REST service for chain ids not listed in `chains` and for DIDs without a chain id. */
  baseUrl?: string;
  /** REST services by chain id (`'101'`, `'0'`, `'1000:1'`): the segments between `did:weid:` and the address. */
  chains?: Record<string, WeidEndpointConfig>;
  /** Request headers sent to every service. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * `getWeIdDocumentJson` (default: the document exactly as the SDK serialises it, with its `@context`) or
   * `getWeIdDocument`. Both answers are accepted either way.
   */
  functionName?: WeidDocumentFunction;
  /**
   * The deployments' key type (WeIdentity `crypto.type`: `secp256k1` or `SM2`). Only needed for keys whose encoding
   * does not identify the curve (compressed hex points); decimal and pseudo-multibase keys identify it themselves.
   * Default: none, and such keys are dropped with a change record.
   */
  cryptoType?: 'secp256k1' | 'SM2';
  /** Largest response accepted, in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Most entries accepted in any one array of a document. Default 1 000. */
  maxEntries?: number;
  /** DIDs served at `/1.0/testIdentifiers`. Default: the published sample DIDs whose chain id has an endpoint. */
  testIdentifiers?: string[];
}

/** A validated endpoint. */
export interface WeidEndpoint {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  functionName: WeidDocumentFunction;
  cryptoType: 'secp256k1' | 'SM2' | undefined;
}

/** The validated configuration. */
export interface WeidConfig {
  defaultEndpoint: WeidEndpoint | undefined;
  chains: Map<string, WeidEndpoint>;
  maxResponseBytes: number;
  maxEntries: number;
  testIdentifiers: string[] | undefined;
}

export const WEID_DEFAULTS = {
  timeoutMs: 10_000,
  functionName: 'getWeIdDocumentJson' as WeidDocumentFunction,
  maxResponseBytes: 1024 * 1024,
  maxEntries: 1000,
} as const;

/** Chain ids: one or two `:`-separated alphanumeric segments (domestic-methods.md §3.2). */
export const WEID_CHAIN_ID = /^[A-Za-z0-9]+(?::[A-Za-z0-9]+)?$/;

const MAX_TIMEOUT_MS = 10 * 60_000;

/** Reads a positive number, also from the string an environment variable gives. */
export function readPositive(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^[0-9]+(?:\.[0-9]+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new TypeError(`"${name}" must be a number greater than 0 and at most ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Checks an operator-chosen base URL (http or https, no credentials in it). */
export function readBaseUrl(value: unknown, name: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`"${name}" must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (typeof value !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`"${name}" must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.username || url.password) throw new TypeError(`"${name}" must not carry credentials; use "headers"`);
  if (url.search || url.hash) throw new TypeError(`"${name}" must not have a query or fragment`);
  return value.replace(/\/+$/, '');
}

/** Checks a header map. */
export function readHeaders(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`"${name}" must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || typeof v !== 'string' || /[\r\n\0]/.test(v)) {
      throw new TypeError(`"${name}.${k}" must be a header name with a string value without line breaks`);
    }
    out[k.toLowerCase()] = v;
  }
  return out;
}

function readCryptoType(value: unknown, name: string, fallback: 'secp256k1' | 'SM2' | undefined): 'secp256k1' | 'SM2' | undefined {
  if (value === undefined) return fallback;
  if (value !== 'secp256k1' && value !== 'SM2') throw new TypeError(`"${name}" must be "secp256k1" or "SM2", got ${JSON.stringify(value)}`);
  return value;
}

function readFunctionName(value: unknown, name: string, fallback: WeidDocumentFunction): WeidDocumentFunction {
  if (value === undefined) return fallback;
  if (!(WEID_DOCUMENT_FUNCTIONS as readonly unknown[]).includes(value)) {
    throw new TypeError(`"${name}" must be one of ${WEID_DOCUMENT_FUNCTIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as WeidDocumentFunction;
}

/**
 * Validates the adapter configuration.
 * @throws TypeError naming the offending parameter
 */
export function readWeidConfig(config: WeidAdapterConfig | undefined): WeidConfig {
  const cfg = config ?? {};
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) throw new TypeError('"config" must be an object');
  const headers = readHeaders(cfg.headers, 'headers');
  const timeoutMs = readPositive(cfg.timeoutMs, 'timeoutMs', WEID_DEFAULTS.timeoutMs, MAX_TIMEOUT_MS);
  const functionName = readFunctionName(cfg.functionName, 'functionName', WEID_DEFAULTS.functionName);
  const cryptoType = readCryptoType(cfg.cryptoType, 'cryptoType', undefined);
  /** `where` is the path of the entry in the configuration (empty for the top level). */
  const endpoint = (entry: WeidEndpointConfig | undefined, where: string): WeidEndpoint => {
    const name = (member: string) => (where === '' ? member : `${where}.${member}`);
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new TypeError(`"${where}" must be an object with "baseUrl"`);
    return {
      baseUrl: readBaseUrl(entry.baseUrl, name('baseUrl')),
      headers: { ...headers, ...readHeaders(entry.headers, name('headers')) },
      timeoutMs: readPositive(entry.timeoutMs, name('timeoutMs'), timeoutMs, MAX_TIMEOUT_MS),
      functionName: readFunctionName(entry.functionName, name('functionName'), functionName),
      cryptoType: readCryptoType(entry.cryptoType, name('cryptoType'), cryptoType),
    };
  };
  const defaultEndpoint = cfg.baseUrl === undefined ? undefined : endpoint({ baseUrl: cfg.baseUrl }, '');
  const chains = new Map<string, WeidEndpoint>();
  if (cfg.chains !== undefined) {
    if (cfg.chains === null || typeof cfg.chains !== 'object' || Array.isArray(cfg.chains)) throw new TypeError('"chains" must be an object keyed by chain id');
    for (const [chainId, entry] of Object.entries(cfg.chains)) {
      if (!WEID_CHAIN_ID.test(chainId)) {
        throw new TypeError(`"chains" key ${JSON.stringify(chainId)} is not a chain id (one or two ":"-separated alphanumeric segments)`);
      }
      chains.set(chainId, endpoint(entry, `chains.${chainId}`));
    }
  }
  let testIdentifiers: string[] | undefined;
  if (cfg.testIdentifiers !== undefined) {
    if (!Array.isArray(cfg.testIdentifiers) || cfg.testIdentifiers.some((d) => typeof d !== 'string')) {
      throw new TypeError('"testIdentifiers" must be an array of did:weid DIDs');
    }
    testIdentifiers = [...cfg.testIdentifiers];
  }
  return {
    defaultEndpoint,
    chains,
    maxResponseBytes: readPositive(cfg.maxResponseBytes, 'maxResponseBytes', WEID_DEFAULTS.maxResponseBytes, 256 * 1024 * 1024),
    maxEntries: Math.floor(readPositive(cfg.maxEntries, 'maxEntries', WEID_DEFAULTS.maxEntries, 1_000_000)),
    testIdentifiers,
  };
}
