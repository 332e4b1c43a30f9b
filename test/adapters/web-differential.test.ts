/**
 * Differential test: the DIF reference implementation (web-did-resolver, through did-resolver 6's Resolver) and our
 * adapter resolve the same DIDs from the same loopback HTTPS server, and must agree on the documents.
 *
 * web-did-resolver fetches with node-fetch over node:https and takes no TLS options, so for this file the test CA
 * is put into `https.globalAgent.options.ca` and restored afterwards.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { Resolver as DifResolver, type DIDResolutionResult as DifResult } from 'did-resolver';
import { getResolver as getWebResolver } from 'web-did-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAdapter } from '../../adapters/web/index.js';
import { createHttpClient, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { startTestServer, type TestServer } from '../helpers/https-server.js';

const FIXTURE_DID = 'did:web:example.com';

function fixture(name: string, did: string): Record<string, unknown> {
  const text = readFileSync(new URL(`../../fixtures/web/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text.split(FIXTURE_DID).join(did)) as Record<string, unknown>;
}

let server: TestServer;
let http: UndiciHttpClient;
let ours: Resolver;
let theirs: DifResolver;
let savedCa: unknown;
let rootDid: string;

beforeAll(async () => {
  server = await startTestServer();
  rootDid = `did:web:localhost%3A${server.port}`;
  savedCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = server.ca;
  http = createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allow: ['loopback'] } });
  ours = new Resolver({ adapters: [createWebAdapter()], http, cache: false });
  // web-did-resolver is typed against did-resolver 4; the runtime contract is the same.
  theirs = new DifResolver(getWebResolver() as unknown as ConstructorParameters<typeof DifResolver>[0], { cache: false });
});

afterAll(async () => {
  if (savedCa === undefined) delete https.globalAgent.options.ca;
  else https.globalAgent.options.ca = savedCa as string;
  https.globalAgent.destroy();
  await http?.close();
  await server?.close();
});

/** Serves `document` (with its DID filled in) at the path the DID names, and returns the DID. */
function serve(segments: string | undefined, file: string): { did: string; document: Record<string, unknown> } {
  const did = segments === undefined ? rootDid : `${rootDid}:${segments}`;
  const path = segments === undefined ? '/.well-known/did.json' : `/${segments.split(':').join('/')}/did.json`;
  const document = fixture(file, did);
  server.route(path, { body: document });
  return { did, document };
}

describe('web-did-resolver and the did:web adapter agree', () => {
  it.each([
    ['the root DID, JWK document (spec example)', undefined, '01-spec-jwk-document.json'],
    ['a path DID, ethereum-address document (spec example)', 'user:alice', '02-spec-ethereum-address-document.json'],
    ['a pre-DID-Core publicKey document (web-did-resolver README)', 'legacy:bob', '03-web-did-resolver-readme-publickey.json'],
  ])('%s', async (_name, segments, file) => {
    const { did, document } = serve(segments, file);
    const reference: DifResult = await theirs.resolve(did);
    const result = await ours.resolve(did);
    expect(reference.didResolutionMetadata.error).toBeUndefined();
    expect(result.didResolutionMetadata.error).toBeUndefined();
    expect(result.didDocument).toEqual(reference.didDocument);
    // And both equal what was served: nothing added, nothing lost.
    expect(reference.didDocument).toEqual(document);
  });

  it('a document without @context (compared as application/did+json, where the core adds no context)', async () => {
    const { did, document } = serve('plain:carol', '04-no-context-document.json');
    const reference = await theirs.resolve(did);
    const result = await ours.resolve(did, { accept: 'application/did+json' });
    expect(reference.didResolutionMetadata.contentType).toBe('application/did+json');
    expect(result.didDocument).toEqual(reference.didDocument);
    expect(result.didDocument).toEqual(document);
  });

  it('both refuse a document whose id is another DID', async () => {
    const did = `${rootDid}:impostor`;
    server.route('/impostor/did.json', { body: fixture('01-spec-jwk-document.json', rootDid) });
    const reference = await theirs.resolve(did);
    const result = await ours.resolve(did);
    expect(reference.didResolutionMetadata.error).toBeDefined();
    expect(reference.didResolutionMetadata.message).toMatch(/does not match/);
    expect(result.didResolutionMetadata.error?.type).toMatch(/#INVALID_DID_DOCUMENT$/);
    // The reference still hands out the wrong document alongside its error; we return none.
    expect(result.didDocument).toBeNull();
  });

  it('both fail on a 404', async () => {
    const did = `${rootDid}:nobody:here`;
    const reference = await theirs.resolve(did);
    const result = await ours.resolve(did);
    expect(reference.didResolutionMetadata.error).toBe('notFound');
    expect(result.didResolutionMetadata.error?.type).toMatch(/#NOT_FOUND$/);
  });
});
