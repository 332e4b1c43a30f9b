/**
 * Targets: what the conformance suite is run against. A target observes something (reads a fixture, translates an
 * upstream document, resolves in-process, calls a live driver) and hands the runner a list of observations; the
 * runner applies every catalogue check to the observations of its subject. Checks stay pure; all I/O is here.
 *
 * Target kinds, and how each maps to observations:
 * - `w3c-document` (this file): one fixture file → one `document` observation.
 * - translated domestic fixtures (next): upstream document → `adapter.translate()` → a `document` observation of
 *   the result in each representation, plus a `translation` subject (add it to `SubjectInputs`) carrying the
 *   change list and the golden file for the golden-comparison check.
 * - the library in-process: `Resolver.resolve` on each adapter's `testIdentifiers()` → `resolution` observations,
 *   and `document` observations of the documents returned.
 * - a live driver at a URL: HTTP exchanges → `http` observations, and the parsed bodies as `resolution` /
 *   `document` observations.
 */
import { relative, resolve as resolvePath } from 'node:path';
import type { CheckSubject, SubjectInputs } from './catalogue.js';
import { loadFixtureDirectory, parseDocumentFixture } from './fixtures.js';

/** One thing a target observed, of one subject kind, with a label that says which (shown next to outcomes). */
export type Observation = {
  [S in CheckSubject]: { subject: S; label: string; input: SubjectInputs[S] };
}[CheckSubject];

/** What the runner passes to `observe`. */
export interface ObserveContext {
  /** Aborts when the run is cancelled; live targets pass it on to their requests. */
  signal?: AbortSignal;
}

/** Something the conformance suite runs against. */
export interface ConformanceTarget {
  /**
   * Stable id used in reports and baselines, `<kind>:<name>`, e.g. `w3c-document:did-key-ed25519`. It must not
   * depend on the machine (no absolute paths, no ports chosen at run time).
   */
  readonly id: string;
  /** The target kind, e.g. `w3c-document`, `translated-fixture`, `library`, `driver`. */
  readonly kind: string;
  /** A human title. */
  readonly title?: string;
  /** The spec section the target exemplifies, when it has one. */
  readonly spec?: string;
  /**
   * Collects the observations. Throwing (or rejecting) marks the whole target as errored: the run then fails,
   * because a target that cannot be observed proves nothing.
   */
  observe(context: ObserveContext): Promise<readonly Observation[]>;
}

/** Options of `documentFixtureTargets`. */
export interface DocumentFixtureTargetOptions {
  /** The id prefix (target kind). Default `w3c-document`. */
  kind?: string;
  /** Observation labels show fixture paths relative to this directory. Default: the current directory. */
  root?: string;
}

/**
 * One target per `*.json` fixture of a directory of W3C documents (`{ title, spec, representation, document,
 * metadata? }`), sorted by file name. Files are read and validated here, so a malformed fixture fails fast with its
 * path instead of surfacing as a target error.
 *
 * @example
 * const targets = await documentFixtureTargets('fixtures/conformant');
 * const report = await runConformance(targets);
 */
export async function documentFixtureTargets(
  directory: string,
  options: DocumentFixtureTargetOptions = {},
): Promise<ConformanceTarget[]> {
  const kind = options.kind ?? 'w3c-document';
  const root = options.root ?? process.cwd();
  const loaded = await loadFixtureDirectory(resolvePath(directory), parseDocumentFixture);
  return loaded.map(({ name, path, fixture }) => {
    const label = relative(root, path).split('\\').join('/');
    const input: SubjectInputs['document'] = { document: fixture.document, representation: fixture.representation };
    if (fixture.metadata !== undefined) input.metadata = fixture.metadata;
    return {
      id: `${kind}:${name}`,
      kind,
      title: fixture.title,
      spec: fixture.spec,
      async observe() {
        return [{ subject: 'document', label, input }];
      },
    };
  });
}
