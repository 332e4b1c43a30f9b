/**
 * Property-based fuzzing of the deployed driver (fast-check): random DIDs, DID URLs, options, Accept headers and
 * bodies from clients; random statuses, headers and bodies from upstreams (a configured one and DID-controlled
 * hosts); random documents behind dereferencing. Whatever comes in, the driver answers with a valid resolution (or
 * dereferencing) result: a status from the DID Resolution HTTP binding table, the full body shape, parseable JSON,
 * and it keeps serving.
 *
 * Runs are seeded (FUZZ_SEED, default fixed) so a failure reproduces; counts are modest for the 2-core CI machines.
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseErrorName } from '../../src/errors.js';
import { statusForError } from '../../src/http/render.js';
import { ERROR_NAMES } from '../../src/spec.js';
import { request, type TestResponse } from '../http/request.js';
import { documentFor, startDriver, startUpstream, testLookup, type Behaviour, type RunningDriver, type Upstream } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

let upstream: Upstream;
let d: RunningDriver;

beforeAll(async () => {
  upstream = await startUpstream();
  d = await startDriver({
    upstreamBase: upstream.origin(),
    lookup: testLookup({ 'web.test': '127.0.0.1', 'localhost': '127.0.0.1', 'internal.test': '10.0.0.1' }),
    overrides: {
      limits: { maxUrlLength: 2_048, maxBodyBytes: 4_096 },
      http: { timeoutMs: 500, retries: 0, breakerFailures: 0, maxBytes: 32 * 1024, maxRedirects: 2 },
    },
  });
});

afterAll(async () => {
  await d.close();
  await upstream.close();
});

const STATUSES = new Set([200, 303, 400, 404, 406, 410, 413, 414, 500, 501]);
const DOCUMENT_TYPES = new Set(['application/did', 'application/did+json', 'application/did+ld+json']);
const RESULT_TYPES = new Set([
  'application/did-resolution',
  'application/did-url-dereferencing',
  'application/ld+json;profile="https://w3id.org/did-resolution"',
]);

/** Asserts that an answer is a valid DID Resolution HTTP binding answer; returns a short description for failures. */
function expectValidAnswer(r: TestResponse, what: string): void {
  expect(STATUSES.has(r.status), `${what}: status ${r.status}`).toBe(true);
  if (r.status === 303) {
    expect(r.headers.location, what).toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(r.text, what).toBe('');
    return;
  }
  const type = r.headers['content-type'];
  expect(type, what).toBeDefined();
  let body: any;
  expect(() => (body = r.json()), `${what}: body is not JSON: ${r.text.slice(0, 200)}`).not.toThrow();
  if (r.status === 410) {
    // Deactivated: a full result, no error (DID Resolution §resolving step 6; binding: 410 Gone).
    expect(body.didDocumentMetadata?.deactivated ?? body.contentMetadata?.deactivated, what).toBe(true);
    expect((body.didResolutionMetadata ?? body.dereferencingMetadata).error, what).toBeUndefined();
    return;
  }
  if (r.status >= 400) {
    expect(RESULT_TYPES.has(type!) || type === 'application/did-url-dereferencing', `${what}: ${type}`).toBe(true);
    const meta = body.didResolutionMetadata ?? body.dereferencingMetadata;
    expect(meta, what).toBeTypeOf('object');
    const error = meta.error;
    expect(error, `${what}: error object`).toBeTypeOf('object');
    expect(error.type, what).toMatch(/^https:\/\/www\.w3\.org\/ns\/did#[A-Z_]+$/);
    const name = parseErrorName(error);
    expect((ERROR_NAMES as readonly string[]).includes(name!), `${what}: ${error.type}`).toBe(true);
    expect(typeof error.title, what).toBe('string');
    // The status follows the error (the 413 / 414 transport limits carry an INVALID_* error).
    if (r.status === 413 || r.status === 414) expect(name, what).toMatch(/^INVALID_/);
    else expect(r.status, `${what}: ${name}`).toBe(statusForError(error));
    if ('didResolutionMetadata' in body) {
      expect(body.didDocument, what).toBeNull();
      expect(body.didDocumentMetadata, what).toEqual({});
    } else {
      expect(body.contentMetadata, what).toBeTypeOf('object');
      expect('contentStream' in body && 'content' in body, what).toBe(true);
    }
    return;
  }
  // 200
  if (type === 'application/did-resolution' || (type?.startsWith('application/ld+json;profile') && 'didResolutionMetadata' in body)) {
    expect(body.didResolutionMetadata, what).toBeTypeOf('object');
    expect(body.didResolutionMetadata.error, what).toBeUndefined();
    expect(body.didDocument === null || typeof body.didDocument === 'object', what).toBe(true);
    expect(body.didDocumentMetadata, what).toBeTypeOf('object');
  } else if (type === 'application/did-url-dereferencing' || type?.startsWith('application/ld+json;profile')) {
    expect(body.dereferencingMetadata, what).toBeTypeOf('object');
    expect(body.dereferencingMetadata.error, what).toBeUndefined();
  } else if (DOCUMENT_TYPES.has(type!)) {
    expect(typeof body.id, what).toBe('string');
  }
}

/** Percent-encodes what may not appear raw in a request target (controls, space, non-ASCII), keeping the rest. */
function rawTarget(text: string): string {
  return Array.from(text)
    .map((c) => (/^[\x21-\x7e]$/.test(c) ? c : encodeURIComponent(c)))
    .join('');
}

const alphabet = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789ABCXYZ.-_:%/?#=&;@!$~+*\'()[]'.split(''));
const methodName = fc.oneof(fc.constantFrom('up', 'web', 'key', 'test', 'UP', '', 'a-b'), fc.stringMatching(/^[a-z0-9]{1,8}$/));
const structuredDid = fc
  .tuple(methodName, fc.array(alphabet, { maxLength: 60 }), fc.option(fc.stringMatching(/^[#?/][a-z0-9=&%#-]{0,20}$/), { nil: undefined }))
  .map(([method, chars, suffix]) => `did:${method}:${chars.join('')}${suffix ?? ''}`);
const anyText = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 80 }));
const identifier = fc.oneof(structuredDid, anyText, fc.constantFrom('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'did:up:alice#key-1'));
const accept = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/did-resolution',
    'application/did',
    'application/did+json',
    'application/did+ld+json',
    'application/ld+json;profile="https://w3id.org/did-resolution"',
    'text/uri-list',
    '*/*',
    'image/png',
    'application/did-url-dereferencing',
    'application/did;q=0, */*;q=0',
  ),
  fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
);
const optionPairs = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom('versionId', 'versionTime', 'noCache', 'accept', 'expandRelativeUrls', '_errorProfile', 'service', '__proto__'), fc.string({ maxLength: 12 })),
    fc.string({ maxLength: 30 }),
  ),
  { maxLength: 5 },
);

describe('fuzzing the driver', () => {
  it('random identifiers, options, Accept headers and POST bodies always get a valid answer', async () => {
    upstream.set('/dids/alice', { kind: 'json', body: documentFor('did:up:alice') });
    await fc.assert(
      fc.asyncProperty(
        identifier,
        fc.boolean(),
        optionPairs,
        accept,
        fc.constantFrom('GET', 'POST'),
        fc.oneof(fc.constant(undefined), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 50 })),
        async (id, encoded, options, acceptHeader, method, body) => {
          const query = options.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const path = encoded
            ? `/1.0/identifiers/${encodeURIComponent(id)}${query ? `?${query}` : ''}`
            : `/1.0/identifiers/${rawTarget(id)}`;
          const headers: Record<string, string> = {};
          if (acceptHeader !== undefined) headers.accept = acceptHeader;
          const r = await request(d.base, path, { method, headers, ...(method === 'POST' && body !== undefined ? { body } : {}) });
          expectValidAnswer(r, `${method} ${path} accept=${String(acceptHeader)}`);
        },
      ),
      { seed: SEED, numRuns: 300 * RUNS, endOnFailure: true },
    );
  });

  it('random upstream answers (configured upstream and DID-controlled host) always give a valid resolution result', async () => {
    let n = 0;
    const headerValue = fc.oneof(fc.constantFrom('max-age=60', 'no-store', 'max-age=-1', 's-maxage=abc', 'private, max-age=99999999999'), fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)));
    const documentish = (did: string) =>
      fc.record(
        {
          '@context': fc.oneof(fc.constant('https://www.w3.org/ns/did/v1'), fc.jsonValue({ maxDepth: 2 })),
          id: fc.oneof(fc.constant(did), fc.constant(did), fc.jsonValue({ maxDepth: 1 })),
          verificationMethod: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
          authentication: fc.oneof(fc.array(fc.oneof(fc.constant(`${did}#key-1`), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          service: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          alsoKnownAs: fc.jsonValue({ maxDepth: 2 }),
          controller: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: ['id'] },
      );
    const bodyFor = (did: string) =>
      fc.oneof(
        documentish(did).map((v) => JSON.stringify(v)),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
        documentish(did).map((v) => JSON.stringify(v).slice(0, 40)),
      );
    const behaviourFor = (did: string): fc.Arbitrary<Behaviour> =>
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ status: fc.constantFrom(200, 200, 200, 404, 410, 500, 502, 503), body: bodyFor(did), cache: headerValue, type: fc.constantFrom('application/json', 'application/did+json', 'text/html', 'application/octet-stream') }).map(
          ({ status, body, cache, type }): Behaviour => ({ kind: 'raw', status, body, headers: { 'content-type': type, 'cache-control': cache } }),
        ) },
        { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }).map((status): Behaviour => ({ kind: 'status', status })) },
        { weight: 1, arbitrary: fc.constantFrom<Behaviour>({ kind: 'garbage' }, { kind: 'reset' }, { kind: 'redirect-loop' }, { kind: 'oversized', bytes: 64 * 1024, chunked: true }, { kind: 'slow', delayMs: 800 }) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((location): Behaviour => ({ kind: 'handler', handle: (_req, res) => {
          try {
            res.writeHead(302, { location });
          } catch {
            res.writeHead(302, { location: '/elsewhere' });
          }
          res.end();
        } })) },
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('up', 'web'),
        accept,
        fc.integer({ min: 0, max: 2 ** 30 }).chain((salt) => {
          const id = `f${++n}-${salt}`;
          return fc.tuple(fc.constant(id), behaviourFor(`did:up:${id}`), behaviourFor(`did:web:web.test%3A${upstream.port}:${id}`));
        }),
        async (method, acceptHeader, [id, upBehaviour, webBehaviour]) => {
          const did = method === 'up' ? `did:up:${id}` : `did:web:web.test%3A${upstream.port}:${id}`;
          upstream.set(method === 'up' ? `/dids/${id}` : `/${id}/did.json`, method === 'up' ? upBehaviour : webBehaviour);
          const headers: Record<string, string> = acceptHeader === undefined ? {} : { accept: acceptHeader };
          const r = await request(d.base, `/1.0/identifiers/${did}`, { headers });
          expectValidAnswer(r, `${did} accept=${String(acceptHeader)}`);
          if (r.status === 200 && r.headers['content-type'] === 'application/did-resolution') {
            // A document that is served must be the DID's own.
            const doc = r.json().didDocument;
            if (doc !== null) expect(doc.id).toBe(did);
          }
        },
      ),
      { seed: SEED, numRuns: 150 * RUNS, endOnFailure: true },
    );
  });

  it('random documents behind dereferencing (fragments, services, paths) always give a valid answer', async () => {
    let n = 0;
    const fragmentish = fc.oneof(fc.constantFrom('#key-1', '#files', '#', '#%zz', '?service=files', '?service=files&relativeRef=a/b', '?service=nope', '/path', '?versionId=1'), fc.stringMatching(/^[#?/][a-zA-Z0-9=&%#._-]{0,20}$/));
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3 }),
        fc.jsonValue({ maxDepth: 3 }),
        fragmentish,
        accept,
        async (vm, service, suffix, acceptHeader) => {
          const id = `g${++n}`;
          const did = `did:up:${id}`;
          const doc = { ...documentFor(did), verificationMethod: [documentFor(did).verificationMethod![0], vm], service: [{ id: `${did}#files`, type: 'X', serviceEndpoint: 'http://e.test/' }, service] };
          upstream.set(`/dids/${id}`, { kind: 'json', body: doc });
          const headers: Record<string, string> = acceptHeader === undefined ? {} : { accept: acceptHeader };
          const r = await request(d.base, `/1.0/identifiers/${encodeURIComponent(did + suffix)}`, { headers });
          expectValidAnswer(r, `${did}${suffix} accept=${String(acceptHeader)}`);
        },
      ),
      { seed: SEED, numRuns: 100 * RUNS, endOnFailure: true },
    );
  });

  it('is still up and answering after all of it', async () => {
    expect((await request(d.base, '/health/live')).status).toBe(200);
    const ready = await request(d.base, '/health/ready');
    expect(ready.status).toBe(200);
    const ok = await request(d.base, '/1.0/identifiers/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
    expect(ok.status).toBe(200);
  });
});
