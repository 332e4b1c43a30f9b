/**
 * Robustness property shared by the credential verifiers' tests: replacing any one member of a signed credential
 * (at any depth) by arbitrary JSON never yields a verified report and never a verifier crash (a throw inside a
 * format verifier surfaces as a "... verifier failed" INTERNAL_ERROR in the report).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { VerificationReport } from '../../src/credentials/report.js';

/** Every path of a JSON value (objects and arrays), the root (`[]`) first. */
export function jsonPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
  out.push(path);
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) jsonPaths(member, [...path, key], out);
  }
  return out;
}

export interface MutationOptions {
  numRuns: number;
  /** Depth of the replacement values. */
  maxDepth: number;
  /** Skip replacements equal to what they replace (a no-op mutation of a valid credential would verify). */
  skipUnchanged?: boolean;
  /** Further assertions on each report. */
  alsoExpect?: (report: VerificationReport) => void;
}

/** Runs the property against `base` with `check` verifying each mutated copy. */
export async function expectMutationsNeverVerify(
  base: object,
  check: (mutated: Record<string, unknown>) => Promise<VerificationReport>,
  options: MutationOptions,
): Promise<void> {
  const paths = jsonPaths(base);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: paths.length - 1 }),
      fc.jsonValue({ maxDepth: options.maxDepth }),
      async (index, replacement) => {
        const mutated = structuredClone(base) as Record<string, unknown>;
        const path = paths[index]!;
        let parent = mutated as Record<string, unknown>;
        for (const part of path.slice(0, -1)) parent = parent[part] as Record<string, unknown>;
        const last = path[path.length - 1]!;
        if (options.skipUnchanged) fc.pre(JSON.stringify(replacement) !== JSON.stringify(parent[last]));
        parent[last] = replacement;
        const report = await check(mutated);
        expect(report.errors.filter((e) => /verifier failed/.test(e.message))).toEqual([]);
        expect(report.verified).toBe(false);
        options.alsoExpect?.(report);
      },
    ),
    { numRuns: options.numRuns },
  );
}
