/**
 * Issue #3 "done when": every domestic method resolves from the embedded sandbox (what `npm start` runs offline) to
 * a DID Core conformant document with a change record. This goes through the real registry (ADAPTER_FACTORIES,
 * SANDBOX_BINDINGS), the real emulators over loopback HTTP, and the conformance suite's DID Core checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAdapters, SANDBOX_BINDINGS } from '../../adapters/index.js';
import { checkDocument, mustFailures } from '../../conformance/index.js';
import { Resolver } from '../../src/resolver.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../../src/sandbox/embedded.js';

let embedded: EmbeddedSandbox;
let resolver: Resolver;

beforeAll(async () => {
  embedded = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: {}, mode: 'auto' });
  resolver = new Resolver({ adapters: defaultAdapters(embedded.adapters), cache: false });
});

afterAll(async () => {
  await resolver?.close();
  await embedded?.close();
});

describe('embedded sandbox (npm start offline defaults)', () => {
  it('serves every domestic adapter that has no upstream configured', () => {
    expect(embedded.sandbox).toBeDefined();
    expect(embedded.served.sort()).toEqual(SANDBOX_BINDINGS.map((b) => b.adapterId).sort());
    for (const id of embedded.served) expect(String(embedded.adapters[id]?.baseUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  for (const binding of SANDBOX_BINDINGS) {
    it(`did:${binding.emulator.method}: every test identifier resolves to a DID Core document with a change record`, async () => {
      const dids = resolver.testIdentifiers()[binding.emulator.method] ?? [];
      expect(dids.length).toBeGreaterThan(0);
      for (const did of dids) {
        const result = await resolver.resolve(did, { accept: 'application/did+ld+json' });
        expect(result.didResolutionMetadata.error, did).toBeUndefined();
        expect(result.didDocument?.id).toBe(did);
        const failures = mustFailures(
          checkDocument(result.didDocument, { representation: 'application/did+ld+json', metadata: result.didDocumentMetadata }),
        ).map((f) => `${f.check}: ${f.outcomes.map((o) => o.detail).join('; ')}`);
        expect(failures, did).toEqual([]);
        expect((result.didResolutionMetadata.didbridgeChanges ?? []).length, did).toBeGreaterThan(0);
      }
    });
  }

  it('leaves an adapter with a configured upstream alone in auto mode, and takes it over in on mode', async () => {
    const configured = { bid: { baseUrl: 'https://bid.example', timeoutMs: 1234 } };
    const auto = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: configured, mode: 'auto', enabledAdapters: ['bid', 'ccp'] });
    try {
      expect(auto.served).toEqual(['ccp']);
      expect(auto.adapters.bid).toEqual(configured.bid);
    } finally {
      await auto.close();
    }
    const on = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: configured, mode: 'on', enabledAdapters: ['bid'] });
    try {
      expect(on.served).toEqual(['bid']);
      expect(on.adapters.bid?.baseUrl).not.toBe('https://bid.example');
      expect(on.adapters.bid?.timeoutMs).toBe(1234);
    } finally {
      await on.close();
    }
    const off = await startEmbeddedSandbox({ bindings: SANDBOX_BINDINGS, adapters: {}, mode: 'off' });
    expect(off.sandbox).toBeUndefined();
    expect(off.served).toEqual([]);
  });
});
