/**
 * A deployment of the library for conformance runs: every adapter of the build, with each domestic method's upstream
 * replaced by its sandbox emulator on loopback (`SANDBOX_EMULATORS`), so that resolution runs end to end over the
 * upstreams' real wire formats without leaving the machine.
 *
 * For each sandboxed method it also knows DIDs whose outcome is certain: the published samples the emulator seeds
 * and a DID created with a fresh key (they resolve), one created and then deactivated the way the upstream
 * deactivates (where the emulator can), and one created in a scratch store the sandbox does not serve (it is valid
 * and does not exist). A sandboxed adapter's test identifiers are these resolvable DIDs: the ones in its
 * configuration name the real upstream's DIDs, which the sandbox does not hold.
 *
 * Adapters are matched to emulators by method, and pointed at the emulator with `{ baseUrl }` (the convention of
 * `src/sandbox/README.md`), merged over their configuration.
 */
import type { MethodAdapter } from '../../src/adapter.js';
import type { AdaptersConfig } from '../../adapters/index.js';
import { Resolver, type ResolverConfig } from '../../src/resolver.js';
import { createEmulatorContext, mountOf, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { SandboxStore } from '../../src/sandbox/store.js';
import type { KnownDids } from './cases.js';

/** Options of {@link startSandboxedDeployment}. */
export interface SandboxedDeploymentOptions {
  /** Adapter factories by id. */
  factories: Readonly<Record<string, (config?: Record<string, unknown>) => MethodAdapter>>;
  /** Upstream emulators. An empty list runs every adapter against its configured upstream. */
  emulators: readonly UpstreamEmulator[];
  /** Per-adapter configuration (as `didbridge serve` takes it). */
  adapterConfig?: AdaptersConfig;
  /** Adapter ids to use. Default: every factory. */
  enabled?: readonly string[];
  /**
   * Keep only adapters that need no network: those served by an emulator, and those declaring their documents are
   * derived from the identifier alone (`capabilities.cacheable === false`, e.g. did:key). Default false.
   */
  offline?: boolean;
  /** Extra resolver configuration (the cache is off by default, so that every case reaches the adapter). */
  resolver?: Partial<ResolverConfig>;
  /** How many DIDs to create per emulator beyond the seeded ones. Default 1. */
  created?: number;
}

/** A running deployment. */
export interface SandboxedDeployment {
  readonly resolver: Resolver;
  /** The sandbox, when any emulator is used. */
  readonly sandbox: Sandbox | undefined;
  /** Method → DIDs with a known outcome (test identifiers first). */
  readonly known: ReadonlyMap<string, KnownDids>;
  /** Adapters left out, and why (offline, a factory that threw). */
  readonly skipped: ReadonlyArray<{ adapter: string; reason: string }>;
  /** Methods whose upstream is an emulator. */
  readonly sandboxed: ReadonlySet<string>;
  close(): Promise<void>;
}

/** An adapter whose test identifiers are the given DIDs (everything else delegated to the adapter). */
function withTestIdentifiers(adapter: MethodAdapter, dids: readonly string[]): MethodAdapter {
  const list = [...dids];
  return Object.create(adapter, { testIdentifiers: { value: () => list, enumerable: true } }) as MethodAdapter;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Starts the sandbox (when there are emulators), builds the adapters and the resolver, and prepares the known DIDs.
 * @throws TypeError for malformed options
 * @example
 * const deployment = await startSandboxedDeployment({ factories: ADAPTER_FACTORIES, emulators: SANDBOX_EMULATORS });
 * try { ... deployment.resolver.resolve(...) } finally { await deployment.close(); }
 */
export async function startSandboxedDeployment(options: SandboxedDeploymentOptions): Promise<SandboxedDeployment> {
  if (!options || typeof options.factories !== 'object' || options.factories === null) {
    throw new TypeError('"options.factories" must map adapter ids to factories');
  }
  if (!Array.isArray(options.emulators)) throw new TypeError('"options.emulators" must be an array of UpstreamEmulator');
  const created = options.created ?? 1;
  if (!Number.isInteger(created) || created < 0 || created > 20) throw new TypeError('"options.created" must be an integer from 0 to 20');
  const ids = options.enabled ?? Object.keys(options.factories);
  for (const id of ids) if (!options.factories[id]) throw new TypeError(`unknown adapter "${id}"; available: ${Object.keys(options.factories).join(', ')}`);

  const skipped: Array<{ adapter: string; reason: string }> = [];
  const probes: Array<{ id: string; adapter: MethodAdapter }> = [];
  for (const id of ids) {
    try {
      probes.push({ id, adapter: options.factories[id]!(options.adapterConfig?.[id]) });
    } catch (err) {
      skipped.push({ adapter: id, reason: `the factory refused its configuration: ${messageOf(err)}` });
    }
  }
  const emulatorFor = (adapter: MethodAdapter) => options.emulators.find((e) => adapter.methods.includes(e.method));
  const used = probes.map((p) => emulatorFor(p.adapter)).filter((e): e is UpstreamEmulator => e !== undefined);
  const sandbox = used.length > 0 ? await startSandbox({ emulators: [...new Set(used)] }) : undefined;

  const adapters: MethodAdapter[] = [];
  const known = new Map<string, KnownDids>();
  const sandboxed = new Set<string>();
  try {
    for (const { id, adapter: probe } of probes) {
      const emulator = emulatorFor(probe);
      if (!emulator || !sandbox) {
        if (options.offline && probe.capabilities.cacheable !== false) {
          skipped.push({ adapter: id, reason: 'needs its upstream (no sandbox emulator) and the run is offline' });
          continue;
        }
        adapters.push(probe);
        for (const method of probe.methods) {
          known.set(method, { resolvable: probe.testIdentifiers().filter((d) => d.startsWith(`did:${method}:`)) });
        }
        continue;
      }
      const mount = mountOf(emulator);
      let adapter: MethodAdapter;
      try {
        adapter = options.factories[id]!({ ...(options.adapterConfig?.[id] ?? {}), baseUrl: sandbox.baseUrlFor(mount) });
      } catch (err) {
        skipped.push({ adapter: id, reason: `the factory refused the sandbox base URL: ${messageOf(err)}` });
        continue;
      }
      const dids = await knownDids(emulator, sandbox, created);
      const names = new Map<string, string>();
      dids.created.forEach((did, i) => names.set(did, `did:${emulator.method}:<created ${i + 1}>`));
      if (dids.deactivated) names.set(dids.deactivated, `did:${emulator.method}:<deactivated>`);
      if (dids.notFound) names.set(dids.notFound, `did:${emulator.method}:<unregistered>`);
      const resolvable = [...dids.created, ...dids.seeded];
      adapters.push(withTestIdentifiers(adapter, resolvable));
      sandboxed.add(emulator.method);
      known.set(emulator.method, {
        resolvable,
        deactivated: [...dids.seededDeactivated, ...(dids.deactivated ? [dids.deactivated] : [])],
        notFound: dids.notFound ? [dids.notFound] : [],
        names,
      });
    }
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
  const resolver = new Resolver({ adapters, cache: false, resolutionTimeoutMs: 15_000, ...(options.resolver ?? {}) });
  return {
    resolver,
    sandbox,
    known,
    skipped,
    sandboxed,
    async close() {
      // A driver serving this resolver closes it too; closing twice must not stop the sandbox from closing.
      await resolver.close().catch(() => undefined);
      await sandbox?.close();
    },
  };
}

interface EmulatorDids {
  created: string[];
  seeded: string[];
  seededDeactivated: string[];
  deactivated?: string;
  notFound?: string;
}

/** Creates and lists the DIDs of one emulator whose outcome is known. */
async function knownDids(emulator: UpstreamEmulator, sandbox: Sandbox, count: number): Promise<EmulatorDids> {
  const ctx = sandbox.contextFor(mountOf(emulator));
  const keyType = emulator.keyTypes[0];
  const out: EmulatorDids = { created: [], seeded: [], seededDeactivated: [] };
  const records = ctx.store.list({ method: emulator.method }).sort((a, b) => (a.did < b.did ? -1 : a.did > b.did ? 1 : 0));
  for (const record of records) (record.deactivated ? out.seededDeactivated : out.seeded).push(record.did);
  if (keyType === undefined) return out;
  for (let i = 0; i < count; i++) out.created.push((await emulator.create(ctx, { keyType })).did);
  if (emulator.deactivate) {
    const victim = (await emulator.create(ctx, { keyType })).did;
    await emulator.deactivate(ctx, { did: victim });
    out.deactivated = victim;
  }
  // A valid DID of the method that the served store does not hold: created in a store of its own.
  const scratch = new SandboxStore();
  try {
    out.notFound = (await emulator.create(createEmulatorContext({ store: scratch }), { keyType })).did;
  } finally {
    scratch.close();
  }
  return out;
}
