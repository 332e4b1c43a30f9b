/**
 * An in-memory DID method for driver tests: `did:test:<name>`, resolved from a table of records. It is a complete
 * MethodAdapter (pattern, traits, capabilities, test identifiers), so the driver and the resolver run unchanged;
 * each record decides what its DID does: resolve to a document, be deactivated, fail upstream, be slow, carry a TTL.
 */
import type { MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { DidBridgeError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { DIDDocument, DIDDocumentMetadata, ErrorName, JsonValue } from '../../src/spec.js';

export interface TestRecord {
  /** The document (its `id` is filled in when absent). */
  document?: Omit<DIDDocument, 'id'> & { id?: string };
  metadata?: DIDDocumentMetadata;
  /** Time to wait before answering, in ms (honours the resolver's abort signal). */
  delayMs?: number;
  /** Fail with this error instead of answering (`INTERNAL_ERROR` becomes an UpstreamError). */
  fail?: ErrorName;
  ttlSeconds?: number;
  /** Extra resolution metadata the method reports (strings, maps, lists or booleans: DID Core §7.3). */
  resolutionMetadata?: Record<string, JsonValue>;
}

export interface TestAdapterConfig {
  /** Method name; default `test`. */
  method?: string;
  /** Records keyed by the method-specific id. Default: {@link DEFAULT_TEST_RECORDS}. */
  records?: Record<string, TestRecord>;
}

/** A test adapter plus what it observed. */
export interface TestAdapter extends MethodAdapter {
  /** Calls to `resolve` per DID (resolver cache hits do not reach the adapter). */
  readonly calls: Map<string, number>;
}

/** Documents and behaviours every driver test can rely on. */
export const DEFAULT_TEST_RECORDS: Record<string, TestRecord> = {
  alice: {
    document: {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      verificationMethod: [
        {
          id: '#key-1',
          type: 'Multikey',
          controller: 'did:test:alice',
          publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
        },
      ],
      authentication: ['#key-1'],
      assertionMethod: ['#key-1'],
      service: [
        { id: '#files', type: 'LinkedDomains', serviceEndpoint: 'https://files.example/base/' },
        { id: '#hub', type: 'DIDCommMessaging', serviceEndpoint: 'https://hub.example/inbox' },
      ],
    },
    metadata: { created: '2024-01-02T03:04:05Z', versionId: '1' },
    ttlSeconds: 120,
  },
  bob: {
    document: { '@context': 'https://www.w3.org/ns/did/v1' },
    metadata: { created: '2024-02-03T04:05:06Z' },
  },
  gone: {
    document: { '@context': 'https://www.w3.org/ns/did/v1' },
    metadata: { created: '2024-01-01T00:00:00Z', updated: '2025-01-01T00:00:00Z', deactivated: true },
  },
  broken: { fail: 'INTERNAL_ERROR' },
  slow: { document: { '@context': 'https://www.w3.org/ns/did/v1' }, delayMs: 400 },
  hinted: {
    document: { '@context': 'https://www.w3.org/ns/did/v1' },
    ttlSeconds: 60,
  },
  shortlived: {
    document: { '@context': 'https://www.w3.org/ns/did/v1' },
    ttlSeconds: 0,
  },
};

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new UpstreamError('aborted'));
      },
      { once: true },
    );
  });
}

/**
 * Creates the in-memory adapter.
 *
 * @example
 * const resolver = new Resolver({ adapters: [createTestAdapter()] })
 * await resolver.resolve('did:test:alice') // a document
 * await resolver.resolve('did:test:nobody') // NOT_FOUND
 */
export function createTestAdapter(config: TestAdapterConfig = {}): TestAdapter {
  const method = config.method ?? 'test';
  const records = config.records ?? DEFAULT_TEST_RECORDS;
  const calls = new Map<string, number>();
  const prefix = `did:${method}:`;
  return {
    id: method,
    methods: [method],
    // Lower-case letters, digits and '-': `did:test:Not.Valid` is a syntactically valid DID but not a valid did:test.
    identifierPattern: new RegExp(`^did:${method}:[a-z0-9-]+$`),
    traits: { updatable: false, deactivatable: true, enumerable: false, historyAvailable: false, humanReadable: true },
    capabilities: { versionId: true, cacheable: true },
    calls,
    testIdentifiers: () => Object.keys(records).filter((k) => records[k]!.document && !records[k]!.metadata?.deactivated).map((k) => prefix + k),
    async resolve(did, options, context): Promise<MethodResolution> {
      calls.set(did.did, (calls.get(did.did) ?? 0) + 1);
      const record = Object.prototype.hasOwnProperty.call(records, did.methodSpecificId) ? records[did.methodSpecificId] : undefined;
      if (record?.delayMs) await sleep(record.delayMs, context.signal);
      if (!record) throw new NotFoundError(`${did.did} is not in the test registry`);
      if (record.fail === 'INTERNAL_ERROR') throw new UpstreamError('the test registry is unreachable', { extensions: { reason: 'transport' } });
      if (record.fail) throw new DidBridgeError(record.fail, `test failure ${record.fail}`);
      if (options.versionId !== undefined && options.versionId !== (record.metadata?.versionId ?? '1')) {
        throw new NotFoundError(`${did.did} has no version ${String(options.versionId)}`);
      }
      const document = record.document ? ({ ...structuredClone(record.document), id: did.did } as DIDDocument) : null;
      return {
        didDocument: document,
        didDocumentMetadata: { ...(record.metadata ?? {}) },
        changes: [],
        ...(record.ttlSeconds !== undefined ? { ttlSeconds: record.ttlSeconds } : {}),
        ...(record.resolutionMetadata ? { resolutionMetadata: { ...record.resolutionMetadata } } : {}),
      };
    },
  };
}
