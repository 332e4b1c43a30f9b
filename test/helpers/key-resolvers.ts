/**
 * What the did:key adapter tests share: cache-less resolvers over one did:key adapter configuration, closed after the
 * test file, and the reader of `fixtures/key/` (the did-method-key vectors).
 */
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { createKeyAdapter, type KeyAdapterConfig } from '../../adapters/key/index.js';
import { Resolver } from '../../src/resolver.js';

/** Resolvers a test file makes and wants closed after its tests ({@link keyResolvers}). */
export interface KeyResolvers {
  /** A Resolver over a did:key adapter built with `config`, without a cache (so every call runs the adapter). */
  withConfig(config?: KeyAdapterConfig): Resolver;
  /** Closes `resolver` with the others after the file's tests; returns it. */
  closeAfterAll<R extends Resolver>(resolver: R): R;
}

/**
 * Cache-less did:key resolvers for a test file, all closed after its tests. Call it at the top level of the file: it
 * registers the `afterAll` that closes them.
 */
export function keyResolvers(): KeyResolvers {
  const made: Resolver[] = [];
  afterAll(async () => {
    await Promise.all(made.map((r) => r.close()));
  });
  const closeAfterAll = <R extends Resolver>(resolver: R): R => {
    made.push(resolver);
    return resolver;
  };
  return {
    withConfig: (config) => closeAfterAll(new Resolver({ adapters: [createKeyAdapter(config)], cache: false })),
    closeAfterAll,
  };
}

/** A file of `fixtures/key/`, parsed. */
export function keyFixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/key/${name}`, import.meta.url), 'utf8'));
}
