/**
 * Fixture targets: directories of documents, run through the catalogue without any network.
 *
 * `fixtureTargets(dir)` looks at what a directory holds and makes targets of it:
 *
 * - a **method directory** (it has `upstream/` or `expected/`): one `translated-fixture:<method>/<file>` target per
 *   upstream file. Each golden file in `expected/` (`{ title, input: "upstream/<file>", inputPath, didDocument,
 *   didDocumentMetadata, rules, changes }`) names the upstream file and the path to the native document inside it
 *   (a path that reaches JSON text, such as a recorded HTTP body, continues into the value it encodes); the
 *   document is recognised and translated by the adapter serving the method, checked (translation checks and the
 *   DID Core checks of the result) and compared with the golden file. An upstream file no golden file refers to is
 *   tried whole: translated when the adapter recognises it, otherwise reported as not a native document (requests,
 *   error envelopes);
 * - a directory of **document fixtures** (`{ title, spec, representation, document }`, as `fixtures/conformant`):
 *   one `w3c-document:<name>` target per file;
 * - loose **W3C documents**: a file holding a DID document (`{ id: "did:…", … }`), or a map of DIDs to vectors with
 *   a `didDocument` (the did:key test vectors): one `w3c-document:<dir>/<name>` target per file;
 * - a directory of directories (`fixtures/`): each sub-directory as above. Directories named `invalid` hold
 *   fixtures that fail on purpose and are only run when named directly.
 *
 * A method author points it at their own directory with the same layout.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve as resolvePath } from 'node:path';
import type { MethodAdapter } from '../../src/adapter.js';
import { getAtPointer } from '../../src/translation.js';
import { parseJsonSafe } from '../../src/util/json.js';
import { MediaType } from '../../src/spec.js';
import type { GoldenTranslation, TranslationUnderTest } from '../catalogue.js';
import { isMap } from '../checks/shared.js';
import { parseFixture } from '../fixtures.js';
import { translationObservations } from '../observe.js';
import { documentFixtureTargets, type ConformanceTarget, type Observation } from '../targets.js';

/** Options of {@link fixtureTargets}. */
export interface FixtureTargetOptions {
  /** The adapters whose `recognise` / `translate` translate method directories (usually every adapter of the build). */
  adapters: readonly MethodAdapter[];
  /** Labels and target ids show paths relative to this directory. Default: the current directory. */
  root?: string;
  /** Largest fixture file read, in bytes. Default 4 MiB. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Directories of fixtures that fail on purpose; skipped when met while walking, run when named. */
const INTENTIONALLY_FAILING = 'invalid';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function jsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
}

async function readJson(path: string, maxBytes: number): Promise<unknown> {
  const info = await stat(path);
  if (info.size > maxBytes) throw new TypeError(`${path}: ${info.size} bytes, more than the ${maxBytes} allowed for a fixture`);
  return parseJsonSafe(await readFile(path, 'utf8'), {}, 'INVALID_DID_DOCUMENT');
}

function posix(path: string): string {
  return path.split('\\').join('/');
}

/** JSON text (a recorded HTTP body, a double-encoded document) read as the value it encodes; anything else as is. */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return parseJsonSafe(value, {}, 'INVALID_DID_DOCUMENT');
  } catch {
    return value;
  }
}

/**
 * Follows a path of member names and indexes into a JSON value. A step that reaches JSON text (the `body` of a
 * recorded HTTP response) continues into the value it encodes, and so does the end of the path.
 */
function follow(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const step of path) {
    current = decoded(current);
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isMap(current) && typeof step === 'string' && Object.prototype.hasOwnProperty.call(current, step)) current = current[step];
    else return undefined;
  }
  return path.length > 0 ? decoded(current) : current;
}

/** Validates a golden file. Throws TypeError naming the file and the member. */
export function parseGolden(value: unknown, path: string): GoldenTranslation {
  if (!isMap(value)) throw new TypeError(`${path}: a golden file is a JSON object`);
  if (typeof value.input !== 'string' || value.input === '') throw new TypeError(`${path}: "input" must name the upstream file`);
  const inputPath = value.inputPath ?? [];
  if (!Array.isArray(inputPath) || inputPath.some((s) => typeof s !== 'string' && typeof s !== 'number')) {
    throw new TypeError(`${path}: "inputPath" must be an array of member names and indexes`);
  }
  if (!isMap(value.didDocument)) throw new TypeError(`${path}: "didDocument" must be the expected DID document`);
  if (value.rules !== undefined && (!Array.isArray(value.rules) || value.rules.some((r) => typeof r !== 'string'))) {
    throw new TypeError(`${path}: "rules" must be an array of rule ids`);
  }
  const golden: GoldenTranslation = { input: value.input, inputPath: inputPath as Array<string | number>, didDocument: value.didDocument };
  if (typeof value.title === 'string') golden.title = value.title;
  if (value.didDocumentMetadata !== undefined) golden.didDocumentMetadata = value.didDocumentMetadata;
  if (value.rules !== undefined) golden.rules = value.rules as string[];
  if (value.changes !== undefined) golden.changes = value.changes;
  if (value.preserved !== undefined) golden.preserved = value.preserved;
  return golden;
}

/** Recognises and translates one native document (never throws; a throwing adapter is reported). */
export function translate(
  method: string,
  adapter: MethodAdapter | undefined,
  original: unknown,
  golden?: { golden: GoldenTranslation; label: string },
): TranslationUnderTest {
  const input: TranslationUnderTest = {
    method,
    canTranslate: typeof adapter?.translate === 'function',
    original,
    ...(adapter ? { adapter: adapter.id } : {}),
    ...(golden ? { golden: golden.golden, goldenLabel: golden.label } : {}),
  };
  if (!adapter) return input;
  if (typeof adapter.recognise === 'function') {
    try {
      input.recognised = adapter.recognise(original) === true;
    } catch (err) {
      input.recognised = false;
      input.error = `recognise() threw: ${err instanceof Error ? err.message : String(err)}`;
      return input;
    }
  }
  const wanted = golden !== undefined || input.recognised === true;
  if (!wanted || typeof adapter.translate !== 'function') return input;
  try {
    const t = adapter.translate(original);
    input.translation = {
      didDocument: t.didDocument,
      didDocumentMetadata: t.didDocumentMetadata,
      changes: t.changes,
      ...(t.preserved !== undefined ? { preserved: t.preserved } : {}),
    };
  } catch (err) {
    input.error = err instanceof Error ? err.message : String(err);
    return input;
  }
  const base = nativeDocumentBase(original, input.translation.changes);
  if (base !== undefined && base.pointer !== '') {
    input.original = base.value;
    input.originalPath = base.pointer;
  }
  return input;
}

/** How deep into an envelope the native document is looked for. */
const MAX_ENVELOPE_DEPTH = 4;

/**
 * Where the change records' `from` pointers point: the value given to `translate` when they all resolve there,
 * otherwise the first map nested in it (breadth first, a few levels deep) where they all do. Adapters that accept an
 * upstream envelope (`{respBody: {...}}`, `{data: {didDocument: {...}}}`) record changes against the document inside
 * it (JSON text inside the envelope is read as the value it encodes); this finds that document so that the checks and
 * the report look at the same thing the pointers do. Undefined
 * when no such map exists (didbridge.translation.change-pointers then reports the pointers).
 */
export function nativeDocumentBase(input: unknown, changes: unknown): { value: unknown; pointer: string } | undefined {
  if (!Array.isArray(changes)) return undefined;
  const froms = changes
    .map((c: unknown) => (isMap(c) && typeof c.from === 'string' ? c.from : undefined))
    .filter((f): f is string => f !== undefined && !f.startsWith('#'));
  if (froms.length === 0) return { value: input, pointer: '' };
  const fits = (value: unknown) => froms.every((f) => getAtPointer(value, f) !== undefined);
  let layer: Array<{ value: unknown; pointer: string }> = [{ value: input, pointer: '' }];
  for (let depth = 0; depth <= MAX_ENVELOPE_DEPTH && layer.length > 0; depth++) {
    for (const candidate of layer) if (isMap(candidate.value) && fits(candidate.value)) return candidate;
    const next: Array<{ value: unknown; pointer: string }> = [];
    for (const { value, pointer } of layer) {
      // JSON text inside the envelope (a double-encoded document) is looked into as the value it encodes.
      const children: Array<[string, unknown]> = isMap(value)
        ? Object.entries(value).map(([k, v]) => [k.replace(/~/g, '~0').replace(/\//g, '~1'), decoded(v)])
        : Array.isArray(value)
          ? value.map((v, i): [string, unknown] => [String(i), decoded(v)])
          : [];
      for (const [token, child] of children) if (child !== null && typeof child === 'object') next.push({ value: child, pointer: `${pointer}/${token}` });
    }
    layer = next.slice(0, 200);
  }
  return undefined;
}

/** The adapter serving a method, if any. */
export function adapterFor(method: string, adapters: readonly MethodAdapter[]): MethodAdapter | undefined {
  return adapters.find((a) => a.methods.includes(method));
}

/** A golden file's `input`, checked to stay inside the method directory. */
function inputPathOf(input: string, label: string): string {
  const path = posix(input);
  if (path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '') || !path.endsWith('.json')) {
    throw new TypeError(`${label}: "input" must be a relative path to a .json file inside the method directory`);
  }
  return path;
}

/**
 * Targets of a method directory: one per upstream file (`upstream/*.json`) and per other file a golden file
 * translates (`constructed/…`, `upstream/responses/…`), with every golden file that names it.
 */
export async function translatedFixtureTargets(dir: string, options: FixtureTargetOptions): Promise<ConformanceTarget[]> {
  const method = basename(dir);
  const root = options.root ?? process.cwd();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const adapter = adapterFor(method, options.adapters);
  const upstreamDir = join(dir, 'upstream');
  const expectedDir = join(dir, 'expected');
  const sources = new Map<string, Array<{ golden: GoldenTranslation; label: string }>>();
  if (await isDirectory(upstreamDir)) for (const file of await jsonFiles(upstreamDir)) sources.set(`upstream/${file}`, []);
  if (await isDirectory(expectedDir)) {
    for (const file of await jsonFiles(expectedDir)) {
      const path = join(expectedDir, file);
      const label = posix(relative(root, path));
      const golden = parseGolden(await readJson(path, maxBytes), label);
      const input = inputPathOf(golden.input, label);
      const list = sources.get(input) ?? [];
      list.push({ golden, label });
      sources.set(input, list);
    }
  }

  const targets: ConformanceTarget[] = [];
  for (const [input, goldens] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = join(dir, ...input.split('/'));
    const label = posix(relative(root, path));
    const name = input.replace(/^upstream\//, '').slice(0, -'.json'.length);
    targets.push({
      id: `translated-fixture:${method}/${name}`,
      kind: 'translated-fixture',
      title: `did:${method} native document(s) in ${input}`,
      method,
      async observe(): Promise<Observation[]> {
        let json: unknown;
        try {
          json = await readJson(path, maxBytes);
        } catch (err) {
          const names = goldens.map((g) => g.label).join(', ');
          throw new Error(`${names ? `${names} name${goldens.length === 1 ? 's' : ''} ${input}, which cannot be read` : `cannot read ${label}`}: ${(err as Error).message}`);
        }
        const at = (t: TranslationUnderTest, path: string) => (path + (t.originalPath ?? '') === '' ? label : `${label} at ${path}${t.originalPath ?? ''}`);
        if (goldens.length === 0) {
          const t = translate(method, adapter, json);
          return translationObservations(at(t, ''), t);
        }
        return goldens.flatMap(({ golden, label: goldenLabel }) => {
          const original = follow(json, golden.inputPath);
          const t = translate(method, adapter, original, { golden, label: goldenLabel });
          const path = golden.inputPath.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
          return translationObservations(`${at(t, path)} (golden ${goldenLabel})`, t);
        });
      },
    });
  }
  return targets;
}

/** Whether a JSON value is a loose DID document (a map with a DID `id`). */
function isLooseDocument(value: unknown): value is Record<string, unknown> {
  return isMap(value) && typeof value.id === 'string' && value.id.startsWith('did:');
}

/** Whether a JSON value is a map of DIDs to vectors with a `didDocument` (the did:key test-vector shape). */
function isVectorMap(value: unknown): value is Record<string, { didDocument: unknown }> {
  return (
    isMap(value) &&
    Object.keys(value).length > 0 &&
    Object.entries(value).every(([k, v]) => k.startsWith('did:') && isMap(v) && isMap(v.didDocument))
  );
}

function representationOfDocument(document: unknown): typeof MediaType.DidLdJson | typeof MediaType.DidJson {
  return isMap(document) && Object.prototype.hasOwnProperty.call(document, '@context') ? MediaType.DidLdJson : MediaType.DidJson;
}

/** Targets of loose W3C documents and test-vector maps in a directory; other JSON files are left alone. */
async function looseDocumentTargets(dir: string, options: FixtureTargetOptions): Promise<ConformanceTarget[]> {
  const root = options.root ?? process.cwd();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const prefix = posix(relative(root, dir)).replace(/^fixtures\//, '') || basename(dir);
  const targets: ConformanceTarget[] = [];
  for (const file of await jsonFiles(dir)) {
    const path = join(dir, file);
    const label = posix(relative(root, path));
    const json = await readJson(path, maxBytes);
    const name = file.slice(0, -5);
    let observations: Observation[] | undefined;
    if (isLooseDocument(json)) {
      observations = [{ subject: 'document', label, input: { document: json, representation: representationOfDocument(json) } }];
    } else if (isVectorMap(json)) {
      observations = Object.entries(json).map(([did, vector]) => ({
        subject: 'document' as const,
        label: `${label} ${did}`,
        input: { document: vector.didDocument, representation: representationOfDocument(vector.didDocument) },
      }));
    }
    if (!observations) continue;
    const found = observations;
    const method = isLooseDocument(json) ? /^did:([a-z0-9]+):/.exec(json.id as string)?.[1] : /^did:([a-z0-9]+):/.exec(Object.keys(json as object)[0]!)?.[1];
    targets.push({
      id: `w3c-document:${prefix}/${name}`,
      kind: 'w3c-document',
      title: `W3C document(s) in ${label}`,
      ...(method ? { method } : {}),
      async observe() {
        return found;
      },
    });
  }
  return targets;
}

/** Whether every JSON file of a directory is a document fixture (the `fixtures/conformant` layout). */
async function isDocumentFixtureDirectory(dir: string, maxBytes: number): Promise<boolean> {
  const files = await jsonFiles(dir);
  if (files.length === 0) return false;
  for (const file of files) {
    try {
      parseFixture(await readJson(join(dir, file), maxBytes), file);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Targets for a fixtures directory (see the module comment for the layouts recognised).
 * @throws TypeError when `directory` is not a directory or a fixture file is malformed
 * @example
 * const targets = await fixtureTargets('fixtures', { adapters: defaultAdapters() });
 */
export async function fixtureTargets(directory: string, options: FixtureTargetOptions): Promise<ConformanceTarget[]> {
  if (!options || !Array.isArray(options.adapters)) throw new TypeError('"options.adapters" must be an array of MethodAdapter');
  const dir = resolvePath(directory);
  if (!(await isDirectory(dir))) throw new TypeError(`"${directory}" is not a directory`);
  return classify(dir, options, 0);
}

async function classify(dir: string, options: FixtureTargetOptions, depth: number): Promise<ConformanceTarget[]> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const root = options.root ?? process.cwd();
  if ((await isDirectory(join(dir, 'upstream'))) || (await isDirectory(join(dir, 'expected')))) {
    return translatedFixtureTargets(dir, options);
  }
  if (await isDocumentFixtureDirectory(dir, maxBytes)) return documentFixtureTargets(dir, { root });
  const targets = await looseDocumentTargets(dir, options);
  if (depth >= 2) return targets;
  const entries = (await readdir(dir)).sort();
  for (const entry of entries) {
    if (entry === INTENTIONALLY_FAILING || entry.startsWith('.')) continue;
    const sub = join(dir, entry);
    if (await isDirectory(sub)) targets.push(...(await classify(sub, options, depth + 1)));
  }
  return targets;
}
