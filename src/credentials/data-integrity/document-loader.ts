/**
 * The offline JSON-LD document loader used for Data Integrity proofs. JSON-LD processing (expansion and RDF
 * canonicalisation) asks a "document loader" for every remote context and, in the Digital Bazaar suites, for the
 * verification method a proof names. A default loader fetches them from the web; this one never does:
 *
 * - **contexts** come from the bundle (`src/credentials/contexts/`), plus any the caller adds;
 * - **DIDs and DID URLs** (verification methods, controller documents) go through our {@link Resolver}, so a domestic
 *   issuer's key comes from its translated W3C document and the resolver's own limits, cache and SSRF guard apply;
 * - **anything else** is refused with a {@link DocumentLoadRefusedError} naming the URL, which verification reports.
 *
 * Loads are counted and bounded (`maxLoads`), because a hostile credential can name any number of contexts, each
 * costing a lookup and, for DIDs, a resolution.
 *
 * @see https://www.w3.org/TR/json-ld11-api/#loaddocumentcallback
 * @see https://www.w3.org/TR/vc-data-model-2.0/#contexts (§5.2: "implementations ... are expected to ... cache" contexts)
 * @see https://www.w3.org/TR/vc-data-integrity/#retrieve-verification-method
 */
import { DidBridgeError, toDidBridgeError } from '../../errors.js';
import type { Resolver } from '../../resolver.js';
import { bundledContext, type ContextDocument } from '../contexts/index.js';

/** What a JSON-LD document loader returns (JSON-LD 1.1 API §9.4.1 RemoteDocument, as jsonld.js expects it). */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

/** A JSON-LD document loader. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** What happened to one load (for logs, reports and the tests that prove nothing is fetched). */
export interface DocumentLoadEvent {
  url: string;
  /** `context`: served from the bundle or the caller's contexts; `did`: through the resolver; `refused`. */
  outcome: 'context' | 'did' | 'refused';
  /** Why it was refused, or why a DID URL did not dereference. */
  detail?: string;
}

/** Default for {@link OfflineDocumentLoaderOptions.maxLoads}. */
export const DEFAULT_MAX_DOCUMENT_LOADS = 256;

/** Options of {@link createOfflineDocumentLoader}. */
export interface OfflineDocumentLoaderOptions {
  /** Resolves DIDs and dereferences DID URLs. Absent: DIDs are refused like any other URL. */
  resolver?: Resolver;
  /** Contexts to serve besides the bundled ones (URL → context document with an `@context` member). */
  contexts?: ReadonlyMap<string, ContextDocument>;
  /**
   * Documents to serve for exact DID URLs before asking the resolver, e.g. the signer's own verification method while
   * issuing (the signer knows its key; nothing needs resolving).
   */
  documents?: ReadonlyMap<string, unknown>;
  /** Called for every load, served or refused. */
  onLoad?: (event: DocumentLoadEvent) => void;
  /** Most loads one loader serves (default 256); more is refused. JSON-LD processors call the loader per context use. */
  maxLoads?: number;
}

/**
 * Thrown by the offline loader for a URL it will not load: not a bundled context, not a DID URL, or over the load
 * limit. The code is `FEATURE_NOT_SUPPORTED` (a context we do not ship is a feature this verifier does not have) or
 * `NOT_FOUND` (a DID URL that does not dereference).
 */
export class DocumentLoadRefusedError extends DidBridgeError {
  readonly url: string;
  constructor(url: string, message: string, code: 'FEATURE_NOT_SUPPORTED' | 'NOT_FOUND' | 'INTERNAL_ERROR' = 'FEATURE_NOT_SUPPORTED') {
    super(code, message, { extensions: { url: url.slice(0, 500) } });
    this.name = 'DocumentLoadRefusedError';
    this.url = url;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether jsonld.js would write into a context document (memoised per document; bundled ones are frozen). */
const writtenByJsonld = new WeakMap<object, boolean>();

/**
 * jsonld.js (9.x, `ContextResolver._resolveContextUrls`) resolves the context URLs inside a loaded context in place:
 * every string `@context` value, and every string in an `@context` array, is assigned its absolute form, even when it
 * is already absolute. On a frozen document that assignment throws ("Cannot assign to read only property"), so such a
 * context (credentials/examples/v1 and security/v2 among the bundled ones) is handed out as a fresh copy; the others,
 * which jsonld only reads, are shared.
 */
function needsCopy(document: unknown): boolean {
  if (document === null || typeof document !== 'object') return false;
  const known = writtenByJsonld.get(document);
  if (known !== undefined) return known;
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (!isObject(value)) return false;
    for (const [key, member] of Object.entries(value)) {
      if (key === '@context' && (typeof member === 'string' || (Array.isArray(member) && member.some((m) => typeof m === 'string')))) return true;
      if (visit(member)) return true;
    }
    return false;
  };
  const answer = Object.isFrozen(document) && visit(document);
  writtenByJsonld.set(document, answer);
  return answer;
}

/**
 * Creates a loader that never touches the network (see the module comment).
 *
 * @example
 * const documentLoader = createOfflineDocumentLoader({ resolver })
 * await documentLoader('https://www.w3.org/ns/credentials/v2') // bundled
 * await documentLoader('https://example.com/ctx') // throws DocumentLoadRefusedError
 */
export function createOfflineDocumentLoader(options: OfflineDocumentLoaderOptions = {}): DocumentLoader {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { resolver, contexts, documents, onLoad } = options;
  const maxLoads = options.maxLoads ?? DEFAULT_MAX_DOCUMENT_LOADS;
  if (!Number.isInteger(maxLoads) || maxLoads < 1) throw new TypeError('"options.maxLoads" must be a positive integer');
  if (contexts !== undefined && !(contexts instanceof Map)) throw new TypeError('"options.contexts" must be a Map');
  if (documents !== undefined && !(documents instanceof Map)) throw new TypeError('"options.documents" must be a Map');
  if (onLoad !== undefined && typeof onLoad !== 'function') throw new TypeError('"options.onLoad" must be a function');
  let loads = 0;

  const refuse = (url: string, detail: string, code?: 'FEATURE_NOT_SUPPORTED' | 'NOT_FOUND' | 'INTERNAL_ERROR'): never => {
    onLoad?.({ url, outcome: 'refused', detail });
    throw new DocumentLoadRefusedError(url, detail, code);
  };

  return async (url: string): Promise<RemoteDocument> => {
    if (typeof url !== 'string' || url === '') return refuse(String(url), 'a document loader was asked for an empty or non-string URL');
    const shown = url.slice(0, 300);
    if (++loads > maxLoads) return refuse(url, `refused to load ${shown}: more than ${maxLoads} documents requested for one proof`);
    const context = contexts?.get(url) ?? bundledContext(url);
    if (context !== undefined) {
      onLoad?.({ url, outcome: 'context' });
      return { contextUrl: null, documentUrl: url, document: needsCopy(context) ? structuredClone(context) : context };
    }
    const given = documents?.get(url);
    if (given !== undefined) {
      onLoad?.({ url, outcome: 'did' });
      return { contextUrl: null, documentUrl: url, document: given };
    }
    if (url.startsWith('did:')) {
      if (!resolver) return refuse(url, `refused to load ${shown}: no resolver was given to dereference DID URLs`);
      let outcome;
      try {
        outcome = await resolver.dereference(url);
      } catch (err) {
        return refuse(url, `dereferencing ${shown} failed: ${toDidBridgeError(err).message}`, 'INTERNAL_ERROR');
      }
      const error = outcome.dereferencingMetadata.error;
      if (error !== undefined || !isObject(outcome.content)) {
        const why = error ? `${String(error.title ?? error.type)}${error.detail ? `: ${String(error.detail)}` : ''}` : 'no JSON content';
        return refuse(url, `${shown} did not dereference (${why})`, 'NOT_FOUND');
      }
      const content = outcome.content;
      // A verification method carries no @context of its own; JSON-LD suites need one to read it as Linked Data.
      const document = '@context' in content ? content : { '@context': 'https://www.w3.org/ns/did/v1', ...content };
      onLoad?.({ url, outcome: 'did' });
      return { contextUrl: null, documentUrl: url, document };
    }
    return refuse(
      url,
      `refused to load ${shown}: it is not a bundled JSON-LD context and not a DID URL; didbridge never fetches contexts (src/credentials/contexts/PROVENANCE.md lists those it ships)`,
    );
  };
}
