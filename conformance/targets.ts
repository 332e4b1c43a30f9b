/**
 * Targets: what the conformance suite is run against. A target observes something (reads a fixture, translates an
 * upstream document, resolves in-process, calls a live driver) and hands the runner a list of observations; the
 * runner applies every catalogue check to the observations of its subject. Checks stay pure; all I/O is here.
 *
 * Target kinds, and how each maps to observations (`observe.ts` derives them the same way for every kind):
 * - `w3c-document` (this file, `targets/fixtures.ts`): one fixture file → one `document` observation (or the
 *   observations of the subject it is a fixture of).
 * - `translated-fixture` (`targets/fixtures.ts`): an upstream document → `adapter.translate()` → a `translation`
 *   observation (with its golden file) and a `document` observation of the result.
 * - `library` (`targets/library.ts`): `Resolver.resolve` / `dereference` in-process on generated cases →
 *   `resolution`, `dereferencing`, `error` and `document` observations.
 * - `driver` (`targets/driver.ts`): HTTP exchanges with a live driver → `http` observations, and the bodies as
 *   `resolution` / `dereferencing` / `error` / `document` observations.
 */
import { relative, resolve as resolvePath } from 'node:path';
import type { CheckSubject, SubjectInputs } from './catalogue.js';
import { isDocumentFixture, loadFixtureDirectory, parseFixture, type DocumentFixture, type SubjectFixture } from './fixtures.js';
import { dereferencingObservations, httpObservations, resolutionObservations, translationObservations } from './observe.js';

/** One thing a target observed, of one subject kind, with a label that says which (shown next to outcomes). */
export type Observation = {
  [S in CheckSubject]: { subject: S; label: string; input: SubjectInputs[S] };
}[CheckSubject];

/** What the runner passes to `observe`. */
export interface ObserveContext {
  /** Aborts when the run is cancelled; live targets pass it on to their requests. */
  signal?: AbortSignal;
  /** Reports progress inside a long target (`done` of `of` steps), for progress displays. */
  step?: (done: number, of: number, label?: string) => void;
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
  /** The DID method the target is about, when it is about one (rows of the HTML report's matrix). */
  readonly method?: string;
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
 * The observations a fixture stands for: a document fixture is one `document` observation; a fixture of another
 * subject is derived like a live observation of that subject (a resolution fixture also yields its error object and
 * document), so that fixtures and targets exercise the checks the same way.
 */
export function fixtureObservations(fixture: DocumentFixture | SubjectFixture, label: string): Observation[] {
  if (isDocumentFixture(fixture)) {
    const input: SubjectInputs['document'] = { document: fixture.document, representation: fixture.representation };
    if (fixture.metadata !== undefined) input.metadata = fixture.metadata;
    return [{ subject: 'document', label, input }];
  }
  switch (fixture.subject) {
    case 'resolution':
      return resolutionObservations(label, fixture.input as SubjectInputs['resolution']);
    case 'dereferencing':
      return dereferencingObservations(label, fixture.input as SubjectInputs['dereferencing']);
    case 'http':
      return httpObservations(label, fixture.input as SubjectInputs['http']);
    case 'translation':
      return translationObservations(label, fixture.input as SubjectInputs['translation']);
    case 'error':
      return [{ subject: 'error', label, input: fixture.input as SubjectInputs['error'] }];
  }
}

/**
 * One target per `*.json` fixture of a directory (`{ title, spec, representation, document, metadata? }`, or
 * `{ title, spec, subject, input }` for other subjects), sorted by file name. Files are read and validated here, so
 * a malformed fixture fails fast with its path instead of surfacing as a target error.
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
  const loaded = await loadFixtureDirectory(resolvePath(directory), parseFixture);
  return loaded.map(({ name, path, fixture }) => {
    const label = relative(root, path).split('\\').join('/');
    const observations = fixtureObservations(fixture, label);
    return {
      id: `${kind}:${name}`,
      kind,
      title: fixture.title,
      spec: fixture.spec,
      async observe() {
        return observations;
      },
    };
  });
}
