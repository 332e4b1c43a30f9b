/**
 * Writes the conformant fixtures of the non-document subjects (`fixtures/conformant/<subject>.<case>.json`) from
 * what didbridge itself produces: resolutions and dereferencings by the library, and exchanges with the driver on
 * loopback, over the in-memory did:test method (test/helpers/test-adapter.ts), with a fixed clock. Volatile parts are
 * normalised (the driver's port becomes 8080, request ids and dates are dropped), so running it again gives the
 * same files.
 *
 *   npx tsx test/conformance/helpers/make-conformant-fixtures.ts
 *
 * The conformance tests hold these files to "fail no check" and mutate them; rerun this after a deliberate change
 * of what the library or the driver produces.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config.js';
import { createDriver } from '../../../src/http/server.js';
import { Resolver } from '../../../src/resolver.js';
import type { DereferencingOptions, ResolutionOptions } from '../../../src/spec.js';
import type { ErrorProfile, HttpExchangeUnderTest, SubjectInputs } from '../../../conformance/catalogue.js';
import { createTestAdapter } from '../../helpers/test-adapter.js';

const DIR = fileURLToPath(new URL('../../../fixtures/conformant/', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00Z');
const DR = 'https://w3c.github.io/did-resolution/';
const UR = 'https://github.com/decentralized-identity/universal-resolver/blob/a234941994937ebda8ab168d6597c6de6983179c/openapi/openapi.yaml#L233';

interface Fixture {
  title: string;
  spec: string;
  subject: keyof SubjectInputs;
  input: unknown;
}

async function write(name: string, fixture: Fixture): Promise<void> {
  await writeFile(`${DIR}${name}.json`, `${JSON.stringify(fixture, null, 2)}\n`, 'utf8');
}

const resolver = new Resolver({ adapters: [createTestAdapter()], cache: false, now: () => NOW });

async function resolution(name: string, title: string, spec: string, did: string, options: ResolutionOptions, expectedOutcome: string) {
  const result = await resolver.resolve(did, options);
  await write(`resolution.${name}`, { title, spec, subject: 'resolution', input: { did, options, result, expectedOutcome } });
  return result;
}

async function dereferencing(name: string, title: string, spec: string, didUrl: string, options: DereferencingOptions, expectedOutcome: string, withResolution = false) {
  const result = await resolver.dereference(didUrl, options);
  const { uriList: _list, ...plain } = result;
  const input: Record<string, unknown> = { didUrl, options, result: plain, expectedOutcome };
  if (withResolution) input.resolution = await resolver.resolve(didUrl);
  await write(`dereferencing.${name}`, { title, spec, subject: 'dereferencing', input });
}

const VOLATILE_HEADERS = new Set(['date', 'x-request-id', 'keep-alive', 'connection', 'server-timing', 'transfer-encoding']);

async function main(): Promise<void> {
  const alice = 'did:test:alice';
  await resolution('success', 'did:test:alice resolved by the library (a test identifier)', `${DR}#resolving`, alice, {}, 'defaultOutcome');
  await resolution('representation', 'did:test:alice in application/did+json', `${DR}#did-resolution-options`, alice, { accept: 'application/did+json' }, 'defaultOutcome');
  await resolution('deactivated', 'a deactivated DID: no document, deactivated true', `${DR}#resolving-algorithm`, 'did:test:gone', {}, 'deactivatedOutcome');
  await resolution('not-found', 'an unregistered DID gives NOT_FOUND', `${DR}#resolving-algorithm`, 'did:test:nobody', {}, 'notFoundErrorOutcome');
  await resolution('invalid-did', 'an empty method-specific id gives INVALID_DID', `${DR}#resolving-algorithm`, 'did:test:', {}, 'invalidDidErrorOutcome');
  await resolution('method-not-supported', 'an unknown method gives METHOD_NOT_SUPPORTED', `${DR}#resolving-algorithm`, 'did:unknown:1', {}, 'methodNotSupportedErrorOutcome');
  await resolution('invalid-options', 'versionId with versionTime gives INVALID_OPTIONS', `${DR}#versioning`, alice, { versionId: '1', versionTime: '2024-01-01T00:00:00Z' }, 'invalidOptionsErrorOutcome');
  await resolution('representation-not-supported', 'accept image/png gives REPRESENTATION_NOT_SUPPORTED', `${DR}#errors`, alice, { accept: 'image/png' }, 'representationNotSupportedErrorOutcome');

  await dereferencing('document', 'the bare DID dereferences to its document, with its document metadata', `${DR}#dereferencing-algorithm-resource`, alice, {}, 'defaultOutcome', true);
  await dereferencing('fragment', 'a fragment selects the verification method', `${DR}#dereferencing-algorithm-fragment`, `${alice}#key-1`, {}, 'defaultOutcome');
  await dereferencing('service', 'service=files selects that service in the document', `${DR}#dereferencing-algorithm-resource`, `${alice}?service=files`, {}, 'defaultOutcome');
  await dereferencing('uri-list', 'service=files as text/uri-list gives the endpoint URL', `${DR}#dereferencing-algorithm-resource`, `${alice}?service=files&relativeRef=%2Fcv.pdf`, { accept: 'text/uri-list' }, 'defaultOutcome');
  await dereferencing('not-found', 'a fragment the document does not have gives NOT_FOUND', `${DR}#dereferencing-algorithm`, `${alice}#nothing`, {}, 'notFoundErrorOutcome');
  await dereferencing('invalid-did-url', 'a broken percent-encoding gives INVALID_DID_URL', `${DR}#dereferencing-algorithm`, `${alice}/%zz`, {}, 'invalidDidUrlErrorOutcome');
  await dereferencing('representation-not-supported', 'service selection as image/png gives REPRESENTATION_NOT_SUPPORTED', `${DR}#dereferencing-algorithm-resource`, `${alice}?service=files`, { accept: 'image/png' }, 'representationNotSupportedErrorOutcome');

  const spec = (await resolver.resolve('did:test:nobody')).didResolutionMetadata.error!;
  await write('error.spec', { title: 'an RFC 9457 error with the URL type (spec profile)', spec: `${DR}#errors`, subject: 'error', input: { error: spec, profile: 'spec', operation: 'resolution' } });
  await write('error.uniresolver', {
    title: 'the same error with the bare token the Universal Resolver maps (uniresolver profile)',
    spec: `${DR}#errors`,
    subject: 'error',
    input: { error: { ...spec, type: 'NOT_FOUND' }, profile: 'uniresolver', operation: 'resolution' },
  });

  // The driver, over loopback.
  const driver = createDriver({ resolver: new Resolver({ adapters: [createTestAdapter()], cache: false, now: () => NOW }), config: loadConfig({ env: {} }) });
  const { port } = await driver.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const exchange = async (
    name: string,
    title: string,
    specUrl: string,
    path: string,
    accept: string,
    extra: Partial<HttpExchangeUnderTest>,
    profile: ErrorProfile = 'spec',
    origin = 'http://127.0.0.1:8080',
  ) => {
    const headers: Record<string, string> = { accept, 'x-error-profile': profile };
    const res = await fetch(base + path, { headers, redirect: 'manual' });
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (!VOLATILE_HEADERS.has(k)) responseHeaders[k] = v;
    });
    const body = await res.text();
    const input: HttpExchangeUnderTest = {
      request: { method: 'GET', url: `${origin}${path}`, headers },
      response: { status: res.status, headers: responseHeaders, body },
      profile,
      ...extra,
    };
    await write(`http.${name}`, { title, spec: specUrl, subject: 'http', input });
  };
  const bindings = `${DR}#bindings-https`;
  try {
    await exchange('result', 'GET of a DID with Accept application/did-resolution: 200 and the whole result', bindings, `/1.0/identifiers/${alice}`, 'application/did-resolution', { endpoint: 'identifiers', identifier: alice, operation: 'resolve', expectedOutcome: 'defaultOutcome' });
    await exchange('result-tls', 'the same exchange as a deployment behind TLS records it (https URL)', bindings, `/1.0/identifiers/${alice}`, 'application/did-resolution', { endpoint: 'identifiers', identifier: alice, operation: 'resolve', expectedOutcome: 'defaultOutcome' }, 'spec', 'https://resolver.example');
    await exchange('document', 'GET with Accept application/did+ld+json: 200 and the bare document', bindings, `/1.0/identifiers/${alice}`, 'application/did+ld+json', { endpoint: 'identifiers', identifier: alice, operation: 'resolve', expectedOutcome: 'defaultOutcome' });
    await exchange('encoded', 'the URL-encoded DID with Accept application/did+json', bindings, `/1.0/identifiers/${encodeURIComponent(alice)}`, 'application/did+json', { endpoint: 'identifiers', identifier: alice, operation: 'resolve', expectedOutcome: 'defaultOutcome' });
    await exchange('not-found', 'an unregistered DID: 404 with the whole result', bindings, '/1.0/identifiers/did:test:nobody', 'application/did-resolution', { endpoint: 'identifiers', identifier: 'did:test:nobody', operation: 'resolve', expectedOutcome: 'notFoundErrorOutcome' });
    await exchange('not-found-uniresolver', 'the same in the uniresolver profile: bare token, same status', bindings, '/1.0/identifiers/did:test:nobody', 'application/did-resolution', { endpoint: 'identifiers', identifier: 'did:test:nobody', operation: 'resolve', expectedOutcome: 'notFoundErrorOutcome' }, 'uniresolver');
    await exchange('invalid-did', 'not-a-did: 400', bindings, '/1.0/identifiers/not-a-did', 'application/did-resolution', { endpoint: 'identifiers', identifier: 'not-a-did', operation: 'resolve', expectedOutcome: 'invalidDidErrorOutcome' });
    await exchange('method-not-supported', 'an unknown method: 501', bindings, '/1.0/identifiers/did:unknown:1', 'application/did-resolution', { endpoint: 'identifiers', identifier: 'did:unknown:1', operation: 'resolve', expectedOutcome: 'methodNotSupportedErrorOutcome' });
    await exchange('not-acceptable', 'Accept image/png: 406 with the whole result', bindings, `/1.0/identifiers/${alice}`, 'image/png', { endpoint: 'identifiers', identifier: alice, operation: 'resolve', expectedOutcome: 'representationNotSupportedErrorOutcome' });
    await exchange('deactivated', 'a deactivated DID: 410 with the whole result', bindings, '/1.0/identifiers/did:test:gone', 'application/did-resolution', { endpoint: 'identifiers', identifier: 'did:test:gone', operation: 'resolve', expectedOutcome: 'deactivatedOutcome' });
    await exchange('uri-list', 'a service as text/uri-list: 303 to the endpoint URL, empty body', bindings, `/1.0/identifiers/${alice}?service=files&relativeRef=%2Fcv.pdf`, 'text/uri-list', { endpoint: 'identifiers', identifier: `${alice}?service=files&relativeRef=%2Fcv.pdf`, operation: 'dereference', expectedOutcome: 'defaultOutcome' });
    await exchange('dereferenced', 'a fragment with Accept application/did-url-dereferencing: the whole dereferencing result', bindings, `/1.0/identifiers/${encodeURIComponent(`${alice}#key-1`)}`, 'application/did-url-dereferencing', { endpoint: 'identifiers', identifier: `${alice}#key-1`, operation: 'dereference', expectedOutcome: 'defaultOutcome' });
    for (const endpoint of ['methods', 'testIdentifiers', 'traits', 'properties'] as const) {
      await exchange(`endpoint-${endpoint.toLowerCase()}`, `GET /1.0/${endpoint}`, UR, `/1.0/${endpoint}`, 'application/json', { endpoint });
    }
  } finally {
    await driver.close();
  }
  await resolver.close();
}

await main();
