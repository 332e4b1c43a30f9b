/**
 * A small in-test method plugin for `did:test`: it serves documents from an in-memory registry, so the resolver
 * core can be tested without any real method. Each DID's behaviour is a function of the options, which lets a test
 * make the adapter fail in every way an adapter can.
 */
import { vi } from 'vitest';
import type { AdapterCapabilities, HttpClient, MethodAdapter, MethodResolution } from '../../src/adapter.js';
import type { DIDDocument, ResolutionOptions } from '../../src/spec.js';

/** What the registry holds for one DID: a resolution, or a function producing one (or throwing). */
export type Behaviour = MethodResolution | ((options: ResolutionOptions) => MethodResolution | Promise<MethodResolution>);

export interface TestAdapter extends MethodAdapter {
  resolve: ReturnType<typeof vi.fn<MethodAdapter['resolve']>>;
}

export function documentFor(did: string, extra: Partial<DIDDocument> = {}): DIDDocument {
  return {
    id: did,
    verificationMethod: [
      { id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' },
    ],
    authentication: [`${did}#key-1`],
    ...extra,
  };
}

export function resolved(doc: DIDDocument | null, extra: Partial<MethodResolution> = {}): MethodResolution {
  return { didDocument: doc, didDocumentMetadata: {}, changes: [], ...extra };
}

export function testAdapter(
  registry: Record<string, Behaviour>,
  options: { methods?: string[]; capabilities?: AdapterCapabilities; pattern?: RegExp; id?: string } = {},
): TestAdapter {
  const methods = options.methods ?? ['test'];
  const resolve = vi.fn<MethodAdapter['resolve']>(async (parsed, resolutionOptions) => {
    const behaviour = registry[parsed.did];
    if (behaviour === undefined) {
      const { NotFoundError } = await import('../../src/errors.js');
      throw new NotFoundError(`${parsed.did} is not in the test registry`);
    }
    return typeof behaviour === 'function' ? behaviour(resolutionOptions) : structuredClone(behaviour);
  });
  return {
    id: options.id ?? methods[0]!,
    methods,
    identifierPattern: options.pattern ?? new RegExp(`^did:(?:${methods.join('|')}):[a-z0-9._:-]+$`),
    traits: { updatable: true, deactivatable: true, enumerable: false, historyAvailable: false, humanReadable: false },
    capabilities: options.capabilities ?? {},
    testIdentifiers: () => Object.keys(registry),
    resolve,
  };
}

/** Adapters here never touch the network; this client fails loudly if one tries. */
export const noNetwork: HttpClient = {
  request: async () => {
    throw new Error('no network in this test');
  },
};
