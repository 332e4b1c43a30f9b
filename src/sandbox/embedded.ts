/**
 * The sandbox embedded in `didbridge serve`: when a domestic adapter has no upstream configured, the driver starts
 * the sandbox registry on loopback and points that adapter at its emulator, so `npm start` resolves every domestic
 * method offline in the first minute. A configured upstream replaces it.
 *
 * The core stays method-agnostic: each adapter folder declares a `SandboxBinding` (which emulator serves it and which
 * adapter options name an upstream); this module only applies them.
 */
import type { UpstreamEmulator } from './emulator.js';
import { startSandbox, type Sandbox } from './server.js';
import { SandboxStore } from './store.js';

/** How one adapter is served from one emulator. */
export interface SandboxBinding {
  /** The adapter id (`ADAPTER_FACTORIES` key). */
  adapterId: string;
  emulator: UpstreamEmulator;
  /**
   * Adapter options that name an upstream (e.g. `baseUrl`, `chains`): when any is configured, the deployment has
   * chosen its upstream and the sandbox is not used for this adapter (in `auto` mode).
   */
  upstreamOptions: readonly string[];
  /** The adapter options that point the adapter at the emulator's base URL. Default: `{ baseUrl }`. */
  configFor?(baseUrl: string): Record<string, unknown>;
}

export type EmbeddedSandboxMode = 'auto' | 'on' | 'off';

export interface EmbeddedSandboxOptions {
  bindings: readonly SandboxBinding[];
  /** The adapters' configured options, keyed by adapter id. */
  adapters: Readonly<Record<string, Record<string, unknown> | undefined>>;
  mode: EmbeddedSandboxMode;
  /** Enabled adapter ids (undefined: all). Bindings of disabled adapters are ignored. */
  enabledAdapters?: readonly string[];
  /** SQLite file for the store, or '' / undefined for memory. */
  db?: string;
  port?: number;
  /** Test identifiers listed per method (the first N seeded, not deactivated DIDs). Default 3. */
  testIdentifiersPerMethod?: number;
}

export interface EmbeddedSandbox {
  /** The running sandbox, or undefined when no adapter needed it. */
  sandbox: Sandbox | undefined;
  /** Adapter options with the sandbox bindings applied. */
  adapters: Record<string, Record<string, unknown> | undefined>;
  /** Adapter ids served from the sandbox. */
  served: string[];
  close(): Promise<void>;
}

function hasUpstream(options: Record<string, unknown> | undefined, keys: readonly string[]): boolean {
  return options !== undefined && keys.some((k) => options[k] !== undefined && options[k] !== null && options[k] !== '');
}

/**
 * Starts the sandbox for the adapters that need it and returns their options pointed at it. With mode `off`, or when
 * every bound adapter has an upstream configured (`auto`), nothing is started.
 */
export async function startEmbeddedSandbox(options: EmbeddedSandboxOptions): Promise<EmbeddedSandbox> {
  const adapters: Record<string, Record<string, unknown> | undefined> = { ...options.adapters };
  const enabled = options.enabledAdapters ? new Set(options.enabledAdapters) : undefined;
  const chosen =
    options.mode === 'off'
      ? []
      : options.bindings.filter(
          (b) =>
            (enabled === undefined || enabled.has(b.adapterId)) &&
            (options.mode === 'on' || !hasUpstream(adapters[b.adapterId], b.upstreamOptions)),
        );
  if (chosen.length === 0) return { sandbox: undefined, adapters, served: [], close: async () => undefined };

  const store = new SandboxStore(options.db ? { path: options.db } : {});
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ emulators: chosen.map((b) => b.emulator), store, port: options.port ?? 0, host: '127.0.0.1' });
  } catch (err) {
    store.close();
    throw err;
  }
  const perMethod = options.testIdentifiersPerMethod ?? 3;
  for (const binding of chosen) {
    const mount = binding.emulator.mount ?? binding.emulator.method;
    const baseUrl = sandbox.baseUrlFor(mount);
    const seeded = store
      .list({ method: binding.emulator.method })
      .filter((r) => !r.deactivated)
      .slice(0, perMethod)
      .map((r) => r.did);
    const pointed = binding.configFor ? binding.configFor(baseUrl) : { baseUrl };
    // In `on` mode the sandbox wins over configured upstreams; other options (timeouts, headers) are kept.
    const rest = { ...(adapters[binding.adapterId] ?? {}) };
    for (const key of binding.upstreamOptions) delete rest[key];
    adapters[binding.adapterId] = { ...rest, ...pointed, ...(seeded.length > 0 ? { testIdentifiers: seeded } : {}) };
  }
  return {
    sandbox,
    adapters,
    served: chosen.map((b) => b.adapterId),
    close: async () => {
      await sandbox.close();
      store.close();
    },
  };
}
