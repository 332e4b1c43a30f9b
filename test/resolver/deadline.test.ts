import { describe, expect, it } from 'vitest';
import { Resolver } from '../../src/resolver.js';
import { documentFor, noNetwork, resolved, testAdapter } from './test-adapter.js';

describe('resolver: adapter deadline (resolutionTimeoutMs)', () => {
  it('answers INTERNAL_ERROR when an adapter never settles, and aborts the signal it was given', async () => {
    let seen: AbortSignal | undefined;
    const adapter = testAdapter({});
    adapter.resolve.mockImplementation((_did, _options, context) => {
      seen = context.signal;
      return new Promise(() => undefined);
    });
    const resolver = new Resolver({ adapters: [adapter], http: noNetwork, resolutionTimeoutMs: 50 });
    const result = await resolver.resolve('did:test:hangs');
    expect(result.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INTERNAL_ERROR');
    expect(result.didResolutionMetadata.error?.detail).toMatch(/did not finish within 50 ms/);
    expect(seen?.aborted).toBe(true);
  });

  it('does not disturb adapters that answer in time', async () => {
    const did = 'did:test:quick';
    const resolver = new Resolver({
      adapters: [testAdapter({ [did]: resolved(documentFor(did)) })],
      http: noNetwork,
      resolutionTimeoutMs: 5_000,
    });
    const result = await resolver.resolve(did);
    expect(result.didResolutionMetadata.error).toBeUndefined();
    expect(result.didDocument?.id).toBe(did);
  });

  it('gives an adapter that declares no network no signal and no deadline, and still checks what it returns', async () => {
    const did = 'did:test:derived';
    const adapter = testAdapter({ [did]: resolved(documentFor(did)) }, { capabilities: { network: false } });
    const resolver = new Resolver({ adapters: [adapter], http: noNetwork, resolutionTimeoutMs: 50 });
    const result = await resolver.resolve(did);
    expect(result.didDocument?.id).toBe(did);
    expect(adapter.resolve.mock.calls[0]![2].signal).toBeUndefined();

    // A network adapter in the same resolver still gets the signal.
    const networked = testAdapter({ 'did:net:x': resolved(documentFor('did:net:x')) }, { methods: ['net'] });
    await new Resolver({ adapters: [networked], http: noNetwork }).resolve('did:net:x');
    expect(networked.resolve.mock.calls[0]![2].signal).toBeInstanceOf(AbortSignal);

    adapter.resolve.mockResolvedValueOnce(undefined as never);
    const broken = await resolver.resolve(did, { noCache: true });
    expect(broken.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INTERNAL_ERROR');
    expect(broken.didResolutionMetadata.error?.detail).toMatch(/returned no resolution/);
  });

  it('refuses a non-positive deadline with a TypeError naming the option', () => {
    expect(() => new Resolver({ adapters: [], http: noNetwork, resolutionTimeoutMs: 0 })).toThrow(/resolutionTimeoutMs/);
  });
});
