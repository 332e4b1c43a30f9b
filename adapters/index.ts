/**
 * The default adapter set: the only place where method names meet the core. Each adapter folder is a plugin; the
 * resolver, driver and CLI only see the `MethodAdapter` contract.
 */
import type { MethodAdapter } from '../src/adapter.js';
import type { SandboxBinding } from '../src/sandbox/embedded.js';
import type { UpstreamEmulator } from '../src/sandbox/emulator.js';
import { createBidAdapter, type BidAdapterConfig } from './bid/index.js';
import { bidEmulator } from './bid/sandbox.js';
import { ccpEmulator, createCcpAdapter, type CcpAdapterConfig } from './ccp/index.js';
import { createCndidAdapter, type CndidAdapterConfig } from './cndid/index.js';
import { cndidEmulator } from './cndid/sandbox.js';
import { createCtidAdapter, ctidEmulator, type CtidAdapterConfig } from './ctid/index.js';
import { createEthrAdapter, type EthrAdapterConfig } from './ethr/index.js';
import { createKeyAdapter, type KeyAdapterConfig } from './key/index.js';
import { createTdidAdapter, type TdidAdapterConfig } from './tdid/index.js';
import { tdidEmulator } from './tdid/sandbox.js';
import { createVaaAdapter, type VaaAdapterConfig } from './vaa/index.js';
import { vaaEmulator } from './vaa/sandbox.js';
import { createWebAdapter, type WebAdapterConfig } from './web/index.js';
import { createWeidAdapter, weidEmulator, type WeidAdapterConfig } from './weid/index.js';

/** Per-adapter configuration, keyed by adapter id. Each adapter documents its own options. */
export type AdaptersConfig = Record<string, Record<string, unknown> | undefined>;

/** Every adapter factory this build ships, keyed by adapter id. */
export const ADAPTER_FACTORIES: Record<string, (config?: Record<string, unknown>) => MethodAdapter> = {
  key: (config) => createKeyAdapter(config as KeyAdapterConfig | undefined),
  web: (config) => createWebAdapter(config as WebAdapterConfig | undefined),
  ethr: (config) => createEthrAdapter(config as EthrAdapterConfig | undefined),
  bid: (config) => createBidAdapter(config as BidAdapterConfig | undefined),
  cndid: (config) => createCndidAdapter(config as CndidAdapterConfig | undefined),
  vaa: (config) => createVaaAdapter(config as VaaAdapterConfig | undefined),
  weid: (config) => createWeidAdapter(config as WeidAdapterConfig | undefined),
  tdid: (config) => createTdidAdapter(config as TdidAdapterConfig | undefined),
  ccp: (config) => createCcpAdapter(config as CcpAdapterConfig | undefined),
  ctid: (config) => createCtidAdapter(config as CtidAdapterConfig | undefined),
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
 * How each domestic adapter is served from the sandbox registry when no upstream is configured (`npm start` works
 * offline). `upstreamOptions` are the adapter options that name a real upstream.
 */
export const SANDBOX_BINDINGS: readonly SandboxBinding[] = [
  { adapterId: 'bid', emulator: bidEmulator, upstreamOptions: ['baseUrl'] },
  { adapterId: 'cndid', emulator: cndidEmulator, upstreamOptions: ['baseUrl'] },
  { adapterId: 'vaa', emulator: vaaEmulator, upstreamOptions: ['baseUrl'] },
  { adapterId: 'weid', emulator: weidEmulator(), upstreamOptions: ['baseUrl', 'chains'] },
  { adapterId: 'tdid', emulator: tdidEmulator(), upstreamOptions: ['baseUrl'] },
  { adapterId: 'ccp', emulator: ccpEmulator(), upstreamOptions: ['baseUrl'] },
  { adapterId: 'ctid', emulator: ctidEmulator(), upstreamOptions: ['baseUrl'] },
];

/**
 * Sandbox emulators, one per domestic method (adapters/<method>/sandbox.ts): local servers that speak each upstream's
 * wire format, used by `didbridge sandbox`, by `npm start` (offline defaults) and by the adapters' tests.
 */
export const SANDBOX_EMULATORS: readonly UpstreamEmulator[] = SANDBOX_BINDINGS.map((b) => b.emulator);
