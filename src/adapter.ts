/**
 * The adapter contract: what every DID method plugin implements. The core (resolver, driver, CLI, conformance)
 * only ever talks to this interface; it knows no method by name.
 *
 * An adapter declares what it can do (`capabilities`, `traits`) instead of the core branching on method names.
 */
import type { ParsedDid } from './syntax/did-url.js';
import type {
  ChangeRecord,
  DIDDocument,
  DIDDocumentMetadata,
  JsonValue,
  MethodTraits,
  ResolutionOptions,
} from './spec.js';

/** An HTTP client the core hands to adapters: limits, timeouts and SSRF checks are applied by the core. */
export interface HttpClient {
  /**
   * Fetches a URL and returns its status, headers and body bytes. Rejects with a DidBridgeError
   * (INTERNAL_ERROR with a detail, or NOT_FOUND where the caller asks) on timeouts, oversize bodies,
   * refused addresses and transport errors.
   */
  request(url: string | URL, init?: HttpRequestInit): Promise<HttpResponse>;
}

export interface HttpRequestInit {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** `true` when the URL is chosen by a DID (did:web, service endpoints): the SSRF guard applies. */
  untrusted?: boolean;
  /** Per-request overrides of the client's limits. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Aborts the request (e.g. the resolver's overall deadline); combined with the client's own timeout. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The final URL after redirects. */
  url: string;
  text(): string;
  /** Parses the body as JSON with the core's limits (depth, no prototype pollution). */
  json(): unknown;
}

/** What the core gives an adapter for one call. */
export interface AdapterContext {
  http: HttpClient;
  /** A signal that aborts when the caller's overall deadline passes. */
  signal?: AbortSignal;
  /** The clock, injectable for tests. */
  now(): Date;
}

/**
 * What an adapter returns from `resolve`: the W3C document, its metadata, and, for methods whose native documents
 * deviate from DID Core, the original record and the change list.
 */
export interface MethodResolution {
  /** The DID Core document; null when deactivated and the method keeps no document. */
  didDocument: DIDDocument | null;
  didDocumentMetadata: DIDDocumentMetadata;
  /** Changes made translating the native document (empty for conformant methods). */
  changes: ChangeRecord[];
  /** The upstream record as received (for display and lossless round trips). */
  original?: JsonValue;
  /** How long this result may be cached, in seconds, as the method says (e.g. BID `extension.ttl`). */
  ttlSeconds?: number;
  /** Extra resolution metadata members the method reports (network, upstream, ...). */
  resolutionMetadata?: Record<string, JsonValue>;
}

/** The result of translating a native document into DID Core. */
export interface Translation {
  didDocument: DIDDocument;
  didDocumentMetadata: DIDDocumentMetadata;
  changes: ChangeRecord[];
  /**
   * What has no W3C place but must not be lost, kept for reverse translation: the native document itself
   * (`preserveNativeDocument` in preserved.ts), also carried as `didDocumentMetadata.didbridgePreserved`.
   */
  preserved?: Record<string, JsonValue>;
}

/** A domestic document shape that W3C documents can be rendered into (reverse translation). */
export interface DocumentRenderer {
  /** Short name used by `--to`, e.g. `bid` or `weid`. */
  shape: string;
  render(document: DIDDocument, metadata?: DIDDocumentMetadata): { document: JsonValue; changes: ChangeRecord[] };
}

/** What an adapter can do; the core reads these instead of method names. */
export interface AdapterCapabilities {
  /** The adapter honours `versionId`. */
  versionId?: boolean;
  /** The adapter honours `versionTime`. */
  versionTime?: boolean;
  /** Results may be cached (false for methods whose documents are derived at no cost, where caching is pointless). */
  cacheable?: boolean;
  /** Resolution options this adapter understands beyond the standard ones. */
  options?: readonly string[];
  /**
   * Whether resolving reaches a network (a registry, a chain, a web server). Default true. An adapter that derives
   * documents from the identifier alone (did:key) declares false: the resolver then arms no resolution deadline and
   * creates no abort signal for it, since there is nothing to wait for or to abort, and `context.signal` is absent.
   */
  network?: boolean;
}

/**
 * A DID method plugin.
 *
 * @example
 * const adapter: MethodAdapter = {
 *   methods: ['example'],
 *   identifierPattern: /^did:example:[a-z0-9]+$/,
 *   traits: { updatable: false, deactivatable: false, enumerable: false, historyAvailable: false, humanReadable: false },
 *   capabilities: {},
 *   testIdentifiers: () => ['did:example:123'],
 *   async resolve(did) { ... },
 * }
 */
export interface MethodAdapter {
  /** Adapter id (used in logs, config and reports); usually the method name. */
  readonly id: string;
  /** The DID method names served, e.g. `['bid']`. */
  readonly methods: readonly string[];
  /** The whole-DID pattern (anchored), also exported as the Universal Resolver `pattern`. */
  readonly identifierPattern: RegExp;
  readonly traits: MethodTraits;
  readonly capabilities: AdapterCapabilities;
  /** DIDs that resolve with this deployment's configuration (served at `/1.0/testIdentifiers`). */
  testIdentifiers(): readonly string[];
  /**
   * Validates a DID beyond the generic syntax (method-specific rules, checksums). Throws InvalidDidError.
   * Optional: without it `identifierPattern` decides.
   */
  validate?(did: ParsedDid): void;
  /** Resolves a syntactically valid DID. Throws DidBridgeError (NOT_FOUND, INTERNAL_ERROR, ...). */
  resolve(did: ParsedDid, options: ResolutionOptions, context: AdapterContext): Promise<MethodResolution>;
  /** Recognises a native document of this method (for `didbridge translate <file>`). */
  recognise?(input: unknown): boolean;
  /** Translates a native document into DID Core, recording every change. */
  translate?(input: unknown): Translation;
  /** Reverse translation targets this adapter provides. */
  readonly renderers?: readonly DocumentRenderer[];
}
