/**
 * The w3c/did-test-suite export: for every method served, a DID method file (`didMethods`), a resolver file
 * (`resolvers`) and a dereferencer file (`dereferencers`) in the formats of resolver-contract.md §5.3, written from
 * real resolutions and dereferencings by the library, plus the two small files that run the official suite on them
 * (§5.4: a jest setup file and a config module).
 *
 * The suite tests DID Core 1.0 (the legacy generation of the contract, resolver-contract.md §2), so the export
 * renders the library's results in that generation (§5.5):
 * - errors are the camelCase keyword strings (`invalidDid`, `notFound`, `representationNotSupported`,
 *   `invalidDidUrl`), with the RFC 9457 detail kept as `errorMessage`;
 * - `resolve` executions carry the data model (no `@context`) and no `contentType` nor `accept`;
 *   `resolveRepresentation` executions ask for `application/did+json` or `application/did+ld+json` and carry the
 *   representation as a string with its `contentType` (never `application/did`, which the suite does not know);
 * - a deactivated DID is answered, as DID Core 1.0-era resolvers did, with a document: the smallest conformant one,
 *   `{ "id": <did> }` (the library itself returns `didDocument: null`, as the DID Resolution CR algorithm does);
 * - datetimes are already `YYYY-MM-DDTHH:MM:SSZ` (the resolver normalises them);
 * - process metadata that changes from run to run (`retrieved`, `servedFromCache`) is left out: the files are
 *   fixtures, not logs;
 * - in method files each representation is exactly the serialisation of `{...representationSpecificEntries,
 *   ...properties}`.
 *
 * Error outcomes: invalid DIDs of the method, an unregistered DID (where the deployment knows one), an `accept` no
 * resolver produces, and a deactivated DID (where the deployment can deactivate one).
 * @see https://github.com/w3c/did-test-suite
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { legacyErrorKeyword, parseErrorName } from '../../src/errors.js';
import { produceDocument, serialiseDocument } from '../../src/representation.js';
import type { Resolver } from '../../src/resolver.js';
import { MediaType, type DIDDocument, type DIDResolutionResult, type JsonObject, type JsonValue } from '../../src/spec.js';
import { isMap, member } from '../checks/shared.js';
import { invalidDidsOf, MISSING_FRAGMENT, UNSUPPORTED_ACCEPT, type KnownDids } from '../targets/cases.js';

/** The content types the suite can consume. */
export const SUITE_CONTENT_TYPES = [MediaType.DidJson, MediaType.DidLdJson] as const;

/** Options of {@link buildDidTestSuiteFiles}. */
export interface DidTestSuiteExportOptions {
  resolver: Resolver;
  /** Method → DIDs with a known outcome. Default: each method's test identifiers, as resolvable. */
  known?: ReadonlyMap<string, KnownDids>;
  /** Only these methods. Default: every method served. */
  methods?: readonly string[];
  /** `implementation` of every file. Default `didbridge`. */
  implementation?: string;
  /** `implementer` of every file. Default `didbridge`. */
  implementer?: string;
  /** How many resolvable DIDs per method go into the files. Default 3. */
  maxDids?: number;
}

/** One file of the export. */
export interface ExportFile {
  /** File name, e.g. `resolver-bid-didbridge.json`. */
  name: string;
  kind: 'didMethods' | 'resolvers' | 'dereferencers';
  method: string;
  json: JsonObject;
}

/** The result of {@link buildDidTestSuiteFiles}. */
export interface DidTestSuiteExport {
  files: ExportFile[];
  /** Methods left out, and why. */
  skipped: Array<{ method: string; reason: string }>;
}

type Execution = JsonObject;

/** The legacy form of resolution metadata: error as a keyword, run-to-run members dropped. */
function legacyMetadata(metadata: unknown, keepContentType: boolean): JsonObject {
  const out: JsonObject = {};
  if (!isMap(metadata)) return out;
  for (const [name, value] of Object.entries(metadata)) {
    if (name === 'retrieved' || name === 'servedFromCache' || value === undefined) continue;
    if (name === 'contentType' && !keepContentType) continue;
    if (name === 'error') {
      const code = parseErrorName(value);
      out.error = code ? legacyErrorKeyword(code) : 'internalError';
      const detail = member(value, 'detail');
      if (typeof detail === 'string') out.errorMessage = detail;
      continue;
    }
    out[name] = value as JsonValue;
  }
  return out;
}

function failed(result: { didResolutionMetadata?: unknown } | { dereferencingMetadata?: unknown }): boolean {
  const metadata = 'didResolutionMetadata' in result ? result.didResolutionMetadata : (result as { dereferencingMetadata?: unknown }).dereferencingMetadata;
  const error = member(metadata, 'error');
  return error !== undefined && error !== null;
}

/** The data model of a document: without its representation-specific entries. */
function dataModel(document: unknown): JsonObject {
  const { '@context': _context, ...properties } = document as Record<string, JsonValue>;
  return properties;
}

class Executions {
  readonly list: Execution[] = [];
  readonly outcomes: Record<string, number[]> = {};

  add(outcome: string, execution: Execution): void {
    (this.outcomes[outcome] ??= []).push(this.list.length);
    this.list.push(execution);
  }
}

async function resolveExecution(resolver: Resolver, did: string): Promise<{ execution: Execution; result: DIDResolutionResult }> {
  const result = await resolver.resolve(did, {});
  const error = failed(result);
  return {
    result,
    execution: {
      function: 'resolve',
      input: { did, resolutionOptions: {} },
      output: {
        didResolutionMetadata: legacyMetadata(result.didResolutionMetadata, false),
        didDocument: error || !result.didDocument ? null : (dataModel(result.didDocument) as JsonObject),
        didDocumentMetadata: error ? {} : ((result.didDocumentMetadata ?? {}) as JsonObject),
      },
    },
  };
}

async function resolveRepresentationExecution(resolver: Resolver, did: string, accept: string): Promise<{ execution: Execution; result: DIDResolutionResult }> {
  const result = await resolver.resolve(did, { accept });
  const error = failed(result);
  return {
    result,
    execution: {
      function: 'resolveRepresentation',
      input: { did, resolutionOptions: { accept } },
      output: {
        didResolutionMetadata: legacyMetadata(result.didResolutionMetadata, !error),
        didDocumentStream: error || !result.didDocument ? '' : JSON.stringify(result.didDocument),
        didDocumentMetadata: error ? {} : ((result.didDocumentMetadata ?? {}) as JsonObject),
      },
    },
  };
}

/** The outcome name an actual result deserves, given what was expected (a mismatch is exported as it is). */
function outcomeOf(result: DIDResolutionResult, expected: string): string {
  const error = member(result.didResolutionMetadata, 'error');
  if (error === undefined || error === null) return result.didDocumentMetadata?.deactivated === true ? 'deactivatedOutcome' : 'defaultOutcome';
  const keyword = legacyErrorKeyword(parseErrorName(error) ?? 'INTERNAL_ERROR');
  const name = `${keyword}ErrorOutcome`;
  return expected === name ? expected : name;
}

async function resolverFile(resolver: Resolver, method: string, known: KnownDids, dids: readonly string[]): Promise<Execution> {
  const executions = new Executions();
  for (const did of dids) {
    const { execution, result } = await resolveExecution(resolver, did);
    executions.add(outcomeOf(result, 'defaultOutcome'), execution);
    for (const accept of SUITE_CONTENT_TYPES) {
      const r = await resolveRepresentationExecution(resolver, did, accept);
      executions.add(outcomeOf(r.result, 'defaultOutcome'), r.execution);
    }
  }
  for (const did of invalidDidsOf(method)) {
    const { execution, result } = await resolveExecution(resolver, did);
    executions.add(outcomeOf(result, 'invalidDidErrorOutcome'), execution);
  }
  for (const did of (known.notFound ?? []).slice(0, 1)) {
    const { execution, result } = await resolveExecution(resolver, did);
    executions.add(outcomeOf(result, 'notFoundErrorOutcome'), execution);
  }
  if (dids[0] !== undefined) {
    const r = await resolveRepresentationExecution(resolver, dids[0], UNSUPPORTED_ACCEPT);
    executions.add(outcomeOf(r.result, 'representationNotSupportedErrorOutcome'), r.execution);
  }
  for (const did of (known.deactivated ?? []).slice(0, 1)) {
    const { execution, result } = await resolveExecution(resolver, did);
    const output = execution.output as JsonObject;
    if (!failed(result) && result.didDocumentMetadata?.deactivated === true && output.didDocument === null) {
      // DID Core 1.0-era consumers expect the deactivated DID's document; the smallest conformant one says nothing
      // beyond the identifier.
      output.didDocument = { id: did };
    }
    executions.add(outcomeOf(result, 'deactivatedOutcome'), execution);
  }
  return { expectedOutcomes: executions.outcomes, executions: executions.list };
}

async function dereferencerFile(resolver: Resolver, known: KnownDids, dids: readonly string[], documents: Map<string, unknown>): Promise<Execution> {
  const executions = new Executions();
  const run = async (didUrl: string, accept: string, expected: string) => {
    const result = await resolver.dereference(didUrl, { accept });
    const error = failed(result);
    const metadata: JsonObject = {};
    if (error) {
      Object.assign(metadata, legacyMetadata({ error: result.dereferencingMetadata.error }, false));
    } else if (typeof result.dereferencingMetadata.contentType === 'string') {
      metadata.contentType = result.dereferencingMetadata.contentType;
    }
    const stream = error ? '' : typeof result.contentStream === 'string' ? result.contentStream : JSON.stringify(result.contentStream ?? '');
    const code = error ? legacyErrorKeyword(parseErrorName(result.dereferencingMetadata.error) ?? 'INTERNAL_ERROR') : undefined;
    const outcome = code === undefined ? 'defaultOutcome' : `${code}ErrorOutcome` === expected ? expected : `${code}ErrorOutcome`;
    executions.add(outcome, {
      function: 'dereference',
      input: { didUrl, dereferenceOptions: { accept } },
      output: { dereferencingMetadata: metadata, contentStream: stream, contentMetadata: error ? {} : ((result.contentMetadata ?? {}) as JsonObject) },
    });
  };
  for (const did of dids) {
    await run(did, MediaType.DidJson, 'defaultOutcome');
    const document = documents.get(did);
    const methods = member(document, 'verificationMethod');
    const first = Array.isArray(methods) ? methods.find((m) => isMap(m) && typeof m.id === 'string') : undefined;
    const id = first ? (first as { id: string }).id : undefined;
    if (id !== undefined && (id.startsWith(`${did}#`) || id.startsWith('#'))) {
      await run(id.startsWith('#') ? did + id : id, MediaType.DidJson, 'defaultOutcome');
    }
  }
  if (dids[0] !== undefined) {
    await run(`${dids[0]}#${MISSING_FRAGMENT}`, MediaType.DidJson, 'notFoundErrorOutcome');
    await run(`${dids[0]}/%zz`, MediaType.DidJson, 'invalidDidUrlErrorOutcome');
  }
  for (const did of (known.notFound ?? []).slice(0, 1)) await run(did, MediaType.DidLdJson, 'notFoundErrorOutcome');
  return { expectedOutcomes: executions.outcomes, executions: executions.list };
}

function methodFile(dids: readonly string[], documents: Map<string, unknown>, metadata: Map<string, unknown>): Execution {
  const file: JsonObject = {
    supportedContentTypes: [...SUITE_CONTENT_TYPES],
    dids: [...dids],
  };
  for (const did of dids) {
    const document = documents.get(did) as DIDDocument;
    const properties = dataModel(produceDocument(document, MediaType.DidJson));
    const entry: JsonObject = { didDocumentDataModel: { properties } };
    for (const contentType of SUITE_CONTENT_TYPES) {
      const produced = produceDocument(document, contentType) as unknown as Record<string, JsonValue>;
      const specific: JsonObject = {};
      if (produced['@context'] !== undefined) specific['@context'] = produced['@context'];
      entry[contentType] = {
        didDocumentDataModel: { representationSpecificEntries: specific },
        representation: serialiseDocument(document, contentType),
        didDocumentMetadata: (metadata.get(did) ?? {}) as JsonObject,
        didResolutionMetadata: { contentType },
      };
    }
    file[did] = entry;
  }
  return file;
}

/**
 * Resolves and dereferences each method's DIDs through the resolver and builds the three files per method. A
 * method with no DID that resolves is skipped (the suite needs at least one `resolveRepresentation` that succeeds).
 */
export async function buildDidTestSuiteFiles(options: DidTestSuiteExportOptions): Promise<DidTestSuiteExport> {
  if (!options || typeof options.resolver?.resolve !== 'function') throw new TypeError('"options.resolver" must be a Resolver');
  const { resolver } = options;
  const maxDids = options.maxDids ?? 3;
  if (!Number.isInteger(maxDids) || maxDids < 1) throw new TypeError('"options.maxDids" must be a positive integer');
  const identification = { implementation: options.implementation ?? 'didbridge', implementer: options.implementer ?? 'didbridge' };
  const methods = resolver.methods().filter((m) => !options.methods || options.methods.includes(m)).sort();
  const files: ExportFile[] = [];
  const skipped: DidTestSuiteExport['skipped'] = [];
  for (const method of methods) {
    const known = options.known?.get(method) ?? { resolvable: resolver.testIdentifiers()[method] ?? [] };
    const documents = new Map<string, unknown>();
    const metadata = new Map<string, unknown>();
    const dids: string[] = [];
    const failures: string[] = [];
    for (const did of [...new Set(known.resolvable)]) {
      if (dids.length >= maxDids) break;
      const result = await resolver.resolve(did, { accept: MediaType.DidLdJson });
      if (failed(result) || !isMap(result.didDocument) || result.didDocumentMetadata?.deactivated === true) {
        failures.push(`${did}: ${JSON.stringify(member(result.didResolutionMetadata, 'error') ?? 'no document')}`.slice(0, 200));
        continue;
      }
      dids.push(did);
      documents.set(did, result.didDocument);
      metadata.set(did, result.didDocumentMetadata);
    }
    if (dids.length === 0) {
      skipped.push({ method, reason: failures.length > 0 ? `no DID resolved (${failures.join('; ')})` : 'no DID is known to resolve' });
      continue;
    }
    const base = `${method}-${identification.implementation}`.replace(/[^A-Za-z0-9._-]/g, '-');
    const head = { didMethod: `did:${method}`, ...identification };
    files.push({ name: `did-${base}.json`, kind: 'didMethods', method, json: { ...head, ...methodFile(dids, documents, metadata) } });
    files.push({ name: `resolver-${base}.json`, kind: 'resolvers', method, json: { ...head, ...(await resolverFile(resolver, method, known, dids)) } });
    files.push({
      name: `dereferencer-${base}.json`,
      kind: 'dereferencers',
      method,
      json: { ...head, ...(await dereferencerFile(resolver, known, dids, documents)) },
    });
  }
  return { files, skipped };
}

/** The jest setup file of resolver-contract.md §5.4: loads the config module named by `DTS_CONFIG` into the suite. */
export const DTS_SETUP = `// Loads didbridge's exported fixtures into w3c/did-test-suite (resolver-contract.md §5.4).
// Run from packages/did-core-test-server:
//   DTS_CONFIG=<dir>/dts-config.cjs npx jest --setupFiles <dir>/dts-setup.cjs --json --outputFile=<dir>/dts-report.json
// The require happens inside jest's sandbox, so the suite's instanceof checks see objects of their own realm.
if (process.env.DTS_CONFIG) global.systemSuiteConfig = require(process.env.DTS_CONFIG);
`;

/** The config module listing the exported files. */
export function dtsConfig(files: readonly ExportFile[]): string {
  const list = (kind: ExportFile['kind']) =>
    files
      .filter((f) => f.kind === kind)
      .map((f) => `    require(join(__dirname, ${JSON.stringify(f.name)})),`)
      .join('\n');
  return (
    '// w3c/did-test-suite configuration: the files didbridge exported (didbridge conformance export did-test-suite).\n' +
    "// Plain 'path': the suite's jest (26) predates node: specifiers.\nconst { join } = require('path');\n" +
    'module.exports = {\n' +
    `  didMethods: [\n${list('didMethods')}\n  ],\n` +
    `  resolvers: [\n${list('resolvers')}\n  ],\n` +
    `  dereferencers: [\n${list('dereferencers')}\n  ],\n` +
    '};\n'
  );
}

/** Writes the files, `dts-config.cjs` and `dts-setup.cjs` into `dir` (created if needed). Returns the paths written. */
export async function writeDidTestSuiteExport(dir: string, exported: DidTestSuiteExport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of exported.files) {
    const path = join(dir, file.name);
    await writeFile(path, `${JSON.stringify(file.json, null, 2)}\n`, 'utf8');
    written.push(path);
  }
  for (const [name, text] of [
    ['dts-config.cjs', dtsConfig(exported.files)],
    ['dts-setup.cjs', DTS_SETUP],
  ] as const) {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    written.push(path);
  }
  return written;
}
