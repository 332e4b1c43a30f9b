/**
 * A Universal Resolver client we did not write, @sphereon/did-uni-client, pointed at the driver: what it sends
 * (`GET <resolveURL>/<did>` with fetch's default `Accept: *\/*`) and what it makes of our answers.
 */
import { UniResolver } from '@sphereon/did-uni-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter, KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { loadConfig } from '../../src/config.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter } from '../helpers/test-adapter.js';

describe('@sphereon/did-uni-client against the driver', () => {
  let driver: Driver;
  let client: UniResolver;
  beforeAll(async () => {
    const resolver = new Resolver({ adapters: [createTestAdapter(), createKeyAdapter()] });
    driver = createDriver({ resolver, config: loadConfig({ env: {} }) });
    const { port } = await driver.listen(0, '127.0.0.1');
    client = new UniResolver().setResolveURL(`http://127.0.0.1:${port}/1.0/identifiers`);
  });
  afterAll(async () => {
    await driver.close();
  });

  it('resolves a did:key to the whole resolution result', async () => {
    const did = KEY_TEST_IDENTIFIERS[0]!;
    const result = await client.resolve(did);
    expect(result.didDocument?.id).toBe(did);
    expect(result.didResolutionMetadata.contentType).toBe('application/did');
    expect(result.didResolutionMetadata.error).toBeUndefined();
    const vm = result.didDocument?.verificationMethod?.[0];
    expect(vm?.controller).toBe(did);
    expect(result.didDocument?.authentication).toEqual([vm?.id]);
  });

  it('resolves an in-memory DID with its metadata', async () => {
    const result = await client.resolve('did:test:alice');
    expect(result.didDocument?.id).toBe('did:test:alice');
    expect(result.didDocumentMetadata).toMatchObject({ created: '2024-01-02T03:04:05Z', versionId: '1' });
  });

  it('surfaces our error body for statuses >= 400 (it throws the body text)', async () => {
    const failure = await client.resolve('did:test:nobody').then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    const body = JSON.parse(failure!.message);
    expect(body.didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#NOT_FOUND');
    expect(body.didDocument).toBeNull();
  });

  it('answers invalid DIDs locally, without calling the driver', async () => {
    const result = await client.resolve('not-a-did');
    expect(result.didResolutionMetadata.error).toBe('invalidDid');
  });
});
