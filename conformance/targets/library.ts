/**
 * The library target: a `Resolver` in-process, run through the generated cases of `cases.ts`.
 *
 * One target per method served (`library:<method>`) and one for the cases that belong to no method
 * (`library:resolver`). Resolutions give `resolution` observations (and through them `error` and `document`
 * observations); dereferencings give `dereferencing` observations. Errors are checked in the spec profile: the
 * library always writes URL error types.
 */
import type { Resolver } from '../../src/resolver.js';
import { dereferencingObservations, resolutionObservations } from '../observe.js';
import type { ConformanceTarget, Observation } from '../targets.js';
import { runGenericCases, runMethodCases, type CaseExecutor, type KnownDids } from './cases.js';

/** Options of {@link libraryTargets}. */
export interface LibraryTargetOptions {
  resolver: Resolver;
  /** Method → DIDs with a known outcome. Default: each method's test identifiers, as resolvable. */
  known?: ReadonlyMap<string, KnownDids>;
  /** Only these methods (default: every method the resolver serves). */
  methods?: readonly string[];
}

/** Runs cases with `resolver.resolve` and `resolver.dereference`. */
export function libraryExecutor(resolver: Resolver): CaseExecutor {
  return {
    async resolve(c) {
      const result = await resolver.resolve(c.did, c.options);
      const input = { did: c.did, options: c.options, result, ...(c.expectedOutcome ? { expectedOutcome: c.expectedOutcome } : {}) };
      return { observations: resolutionObservations(c.label, input), result };
    },
    async dereference(c, resolution) {
      const result = await resolver.dereference(c.didUrl, c.options);
      return dereferencingObservations(c.label, {
        didUrl: c.didUrl,
        options: c.options,
        result,
        ...(c.expectedOutcome ? { expectedOutcome: c.expectedOutcome } : {}),
        ...(resolution ? { resolution } : {}),
      });
    },
  };
}

/**
 * The library targets for a resolver.
 * @example
 * const deployment = await startSandboxedDeployment({ factories: ADAPTER_FACTORIES, emulators: SANDBOX_EMULATORS });
 * const report = await runConformance(libraryTargets({ resolver: deployment.resolver, known: deployment.known }));
 */
export function libraryTargets(options: LibraryTargetOptions): ConformanceTarget[] {
  if (!options || typeof options.resolver?.resolve !== 'function') throw new TypeError('"options.resolver" must be a Resolver');
  const { resolver } = options;
  const served = resolver.methods();
  const methods = options.methods ? served.filter((m) => options.methods!.includes(m)) : served;
  const executor = libraryExecutor(resolver);
  const targets: ConformanceTarget[] = methods.map((method) => ({
    id: `library:${method}`,
    kind: 'library',
    title: `did:${method} through the library (Resolver in-process)`,
    method,
    async observe(context): Promise<Observation[]> {
      const known = options.known?.get(method) ?? { resolvable: resolver.testIdentifiers()[method] ?? [] };
      return runMethodCases(executor, method, known, context.step);
    },
  }));
  targets.push({
    id: 'library:resolver',
    kind: 'library',
    title: 'the library with inputs of no method (invalid DIDs, unsupported methods)',
    async observe(): Promise<Observation[]> {
      return runGenericCases(executor, served);
    },
  });
  return targets;
}
