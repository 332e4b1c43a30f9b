/**
 * The default adapter set: the only place where method names meet the core. Each adapter folder is a plugin; the
 * resolver, driver and CLI only see the `MethodAdapter` contract.
 */
import type { MethodAdapter } from '../src/adapter.js';
import type { UpstreamEmulator } from '../src/sandbox/emulator.js';
import { createEthrAdapter, type EthrAdapterConfig } from './ethr/index.js';
import { createKeyAdapter, type KeyAdapterConfig } from './key/index.js';
import { createWebAdapter, type WebAdapterConfig } from './web/index.js';

/** Per-adapter configuration, keyed by adapter id. Each adapter documents its own options. */
export type AdaptersConfig = Record<string, Record<string, unknown> | undefined>;

/** Every adapter factory this build ships, keyed by adapter id. */
export const ADAPTER_FACTORIES: Record<string, (config?: Record<string, unknown>) => MethodAdapter> = {
  key: (config) => createKeyAdapter(config as KeyAdapterConfig | undefined),
  web: (config) => createWebAdapter(config as WebAdapterConfig | undefined),
  ethr: (config) => createEthrAdapter(config as EthrAdapterConfig | undefined),
};

/** Instantiates the default adapters (all of them, or the ids listed in `enabled`). */
export function defaultAdapters(config: AdaptersConfig = {}, enabled?: readonly string[]): MethodAdapter[] {
  const ids = enabled ?? Object.keys(ADAPTER_FACTORIES);
  return ids.map((id) => {
    const factory = ADAPTER_FACTORIES[id];
    if (!factory) throw new TypeError(`unknown adapter "${id}"; available: ${Object.keys(ADAPTER_FACTORIES).join(', ')}`);
    return factory(config[id]);
  });
}

/**
 * Sandbox emulators, one per domestic method (adapters/<method>/sandbox.ts): local servers that speak each upstream's
 * wire format, used by `didbridge sandbox`, by `npm start` (offline defaults) and by the adapters' tests.
 */
export const SANDBOX_EMULATORS: readonly UpstreamEmulator[] = [];
