/**
 * What the CLI commands share: loading the configuration (file, env and flags), building the resolver from it, and
 * the output conventions (human text on a TTY, JSON with `--json` or when stdout is not a terminal), plus the exit
 * codes.
 */
import { defaultAdapters, SANDBOX_BINDINGS } from '../../adapters/index.js';
import { MemoryCache } from '../cache.js';
import { loadConfig, packageInfo, type ConfigOverrides, type DidBridgeConfig } from '../config.js';
import { Resolver, type ResolverConfig } from '../resolver.js';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../sandbox/embedded.js';
import { createDeployment, type Deployment } from '../http/deployment.js';
import type { Logger } from '../log.js';

/** Exit codes of every command. */
export const EXIT = {
  /** Resolved (or the command did what was asked). */
  OK: 0,
  /** Resolution or dereferencing returned an error (its name is printed), or the command failed at run time. */
  FAILED: 1,
  /** Bad usage: unknown command or option, missing argument, invalid configuration. */
  USAGE: 2,
} as const;

/** A usage problem found by a command itself (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every command accepts. */
export interface GlobalArgs {
  config?: string;
  json?: boolean;
}

/** Loads the configuration with the CLI's precedence: file < env < flags. */
export function configFromArgs(args: GlobalArgs, overrides: ConfigOverrides = {}): DidBridgeConfig {
  return loadConfig({ env: process.env, file: args.config, overrides });
}

/** The resolver configuration a didbridge configuration describes. */
export function resolverConfigFrom(config: DidBridgeConfig, extra: Partial<ResolverConfig> = {}): ResolverConfig {
  let adapters;
  try {
    adapters = defaultAdapters(config.adapters, config.enabledAdapters);
  } catch (err) {
    // An unknown adapter id or bad adapter options come from configuration: a usage problem.
    throw new UsageError(`configuration: ${(err as Error).message}`);
  }
  return {
    adapters,
    httpConfig: {
      timeoutMs: config.http.timeoutMs,
      connectTimeoutMs: config.http.connectTimeoutMs,
      maxBytes: config.http.maxBytes,
      maxRedirects: config.http.maxRedirects,
      addressPolicy: { allow: config.http.allowAddressClasses, allowHosts: config.http.allowHosts },
      userAgent: `didbridge/${packageInfo().version}`,
    },
    cache: config.cache.enabled ? new MemoryCache({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes }) : false,
    cachePolicy: {
      defaultTtlSeconds: config.cache.defaultTtlSeconds,
      maxTtlSeconds: config.cache.maxTtlSeconds,
      negativeTtlSeconds: config.cache.negativeTtlSeconds,
    },
    ...extra,
  };
}

/** Builds the resolver a configuration describes. */
export function createResolverFromConfig(config: DidBridgeConfig, extra: Partial<ResolverConfig> = {}): Resolver {
  return new Resolver(resolverConfigFrom(config, extra));
}

/** A resolver with the embedded sandbox it may need; `close()` releases both. */
export interface Runtime {
  resolver: Resolver;
  sandbox: EmbeddedSandbox;
  close(): Promise<void>;
}

/**
 * Builds the resolver a configuration describes, first starting the embedded sandbox registry for the domestic
 * adapters that have no upstream configured (`sandbox.mode`, default `auto`), so that the CLI and `npm start` work
 * offline. Configured upstreams replace the sandbox.
 */
export async function startRuntime(config: DidBridgeConfig, extra: Partial<ResolverConfig> = {}): Promise<Runtime> {
  const sandbox = await startEmbeddedSandbox({
    bindings: SANDBOX_BINDINGS,
    adapters: config.adapters,
    mode: config.sandbox.mode,
    enabledAdapters: config.enabledAdapters,
    db: config.sandbox.db,
    port: config.sandbox.port,
  });
  let resolver: Resolver;
  try {
    resolver = createResolverFromConfig({ ...config, adapters: sandbox.adapters as DidBridgeConfig['adapters'] }, extra);
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  return {
    resolver,
    sandbox,
    close: async () => {
      await resolver.close();
      await sandbox.close();
    },
  };
}

/** The driver deployment `serve` runs (retries, breakers, Redis, metrics) with the embedded sandbox it may need. */
export interface DeploymentRuntime {
  deployment: Deployment;
  sandbox: EmbeddedSandbox;
  close(): Promise<void>;
}

/** Starts the embedded sandbox (as `startRuntime`), then builds the production deployment over the adapters. */
export async function startDeployment(
  config: DidBridgeConfig,
  options: { logger: Logger; onResolved?: ResolverConfig['onResolved'] },
): Promise<DeploymentRuntime> {
  const sandbox = await startEmbeddedSandbox({
    bindings: SANDBOX_BINDINGS,
    adapters: config.adapters,
    mode: config.sandbox.mode,
    enabledAdapters: config.enabledAdapters,
    db: config.sandbox.db,
    port: config.sandbox.port,
  });
  let deployment: Deployment;
  try {
    let adapters;
    try {
      adapters = defaultAdapters(sandbox.adapters as DidBridgeConfig['adapters'], config.enabledAdapters);
    } catch (err) {
      throw new UsageError(`configuration: ${(err as Error).message}`);
    }
    deployment = createDeployment({
      config,
      adapters,
      logger: options.logger,
      ...(options.onResolved ? { onResolved: options.onResolved } : {}),
    });
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  return {
    deployment,
    sandbox,
    close: async () => {
      await deployment.close();
      await sandbox.close();
    },
  };
}

/** Whether to print JSON: asked for, or stdout is not a terminal (scripts and pipes get JSON). */
export function wantsJson(args: GlobalArgs): boolean {
  return args.json === true || !process.stdout.isTTY;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
