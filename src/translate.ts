/**
 * The translate service: any supported document in, any supported document shape out, with the change record.
 *
 * - {@link translateInput} takes a JSON document: a W3C DID Core document (bare, or carried with its metadata in a
 *   DID Resolution result or in this service's own output), or a native document of a DID method, or an upstream
 *   response envelope around one. Which method's native shape it is comes from asking every adapter's `recognise`;
 *   the recognising adapter's `translate` turns it into DID Core, recording every change.
 * - {@link translateDid} resolves a DID through a {@link Resolver} (which translates native documents the same way)
 *   instead.
 *
 * Both then render the W3C document in the requested shape: `w3c` keeps it, any other shape is found by its name
 * among the adapters' `renderers` (reverse translation), which restore what the translation preserved in
 * `didDocumentMetadata.didbridgePreserved` (see `preserved.ts`). This module never names a DID method: adapters are
 * found by `recognise`, renderers by `shape`.
 *
 * Errors are DidBridgeErrors: INVALID_OPTIONS for a shape no adapter renders (naming the shapes there are),
 * INVALID_DID_DOCUMENT for a document of no supported shape, the adapter's own error when a recognised document
 * cannot be translated, and the resolution error when a DID does not resolve.
 *
 * @see https://www.w3.org/TR/did-core/#core-properties
 * @see ./translation.ts (the change records)
 */
import type { DocumentRenderer, MethodAdapter, Translation } from './adapter.js';
import { DidBridgeError, InvalidDidDocumentError, InvalidOptionsError, parseErrorName, toDidBridgeError } from './errors.js';
import { PRESERVED_MEMBER, readPreserved, wrapPreserved } from './preserved.js';
import type { Resolver } from './resolver.js';
import { DID_CORE_CONTEXT_V1, type ChangeRecord, type DIDDocument, type DIDDocumentMetadata, type JsonValue, type ResolutionOptions } from './spec.js';
import { canonicalJson, isJsonObject } from './util/json.js';

/** The shape name of W3C DID Core documents (`--to w3c`). */
export const W3C_SHAPE = 'w3c';

/** The JSON-LD contexts that mark a W3C DID Core document (DID 1.0 and DID 1.1). */
const DID_CORE_CONTEXTS: ReadonlySet<string> = new Set([DID_CORE_CONTEXT_V1, 'https://www.w3.org/ns/did/v1.1']);

/**
 * Which step made a change: `translate` (native → W3C: `from` points into the input, `to` into the W3C document or
 * `#metadata/…`), or `render` (W3C → the target shape: `from` points into the W3C document, `to` into the output).
 */
export type TranslateStep = 'translate' | 'render';

/** A change record with the step that made it. */
export interface TranslateChange extends ChangeRecord {
  step: TranslateStep;
}

/** Where the translated document came from. */
export interface TranslateSource {
  /** The shape recognised: `w3c`, or the native shape (`shape` of the preserved data, else the adapter id). */
  shape: string;
  /** The adapter that recognised (or resolved) it; absent for W3C documents no adapter claimed. */
  adapter?: string;
}

/** What {@link translateInput} and {@link translateDid} return. */
export interface TranslateResult {
  /** The document in the target shape (a DIDDocument for `w3c`); null when a deactivated DID resolved to no document. */
  document: DIDDocument | JsonValue | null;
  /** Every change, translation first, then rendering (see {@link TranslateStep}). */
  changes: TranslateChange[];
  /** The DID document metadata of the W3C document (with `didbridgePreserved` when something was preserved). */
  metadata: DIDDocumentMetadata;
  /** The recognised source. */
  from: TranslateSource;
  /** The target shape. */
  to: string;
}

/** Options of {@link translateInput}. */
export interface TranslateInputOptions {
  /** The adapters whose shapes are recognised and rendered (usually `defaultAdapters()`). */
  adapters: readonly MethodAdapter[];
  /** The target shape: `w3c` (default) or a renderer's `shape`. */
  to?: string;
}

/** Options of {@link translateDid}. */
export interface TranslateDidOptions {
  /** Resolves the DID; its adapters also provide the renderers. */
  resolver: Resolver;
  /** The target shape: `w3c` (default) or a renderer's `shape`. */
  to?: string;
  /** Resolution options (`versionId`, `noCache`, ...). */
  resolutionOptions?: ResolutionOptions;
}

const rendererTables = new WeakMap<readonly MethodAdapter[], ReadonlyMap<string, DocumentRenderer>>();

/**
 * The renderers of a set of adapters by shape (memoised per adapter array).
 * @throws TypeError when two adapters render the same shape, or one claims `w3c`
 */
export function renderersByShape(adapters: readonly MethodAdapter[]): ReadonlyMap<string, DocumentRenderer> {
  let table = rendererTables.get(adapters);
  if (table) return table;
  const built = new Map<string, DocumentRenderer>();
  const owner = new Map<string, string>();
  for (const adapter of adapters) {
    for (const renderer of adapter.renderers ?? []) {
      if (renderer.shape === W3C_SHAPE) throw new TypeError(`adapter "${adapter.id}" declares a renderer for "${W3C_SHAPE}", which is not a native shape`);
      const other = owner.get(renderer.shape);
      if (other !== undefined) throw new TypeError(`shape "${renderer.shape}" is rendered by both "${other}" and "${adapter.id}"`);
      owner.set(renderer.shape, adapter.id);
      built.set(renderer.shape, renderer);
    }
  }
  table = built;
  rendererTables.set(adapters, table);
  return table;
}

/** The shapes a set of adapters can produce: `w3c` first, then the renderers' shapes in adapter order. */
export function availableShapes(adapters: readonly MethodAdapter[]): string[] {
  return [W3C_SHAPE, ...renderersByShape(adapters).keys()];
}

function checkAdapters(adapters: unknown): readonly MethodAdapter[] {
  if (!Array.isArray(adapters)) throw new TypeError('"adapters" must be an array of MethodAdapter');
  return adapters as readonly MethodAdapter[];
}

/** The renderer of `to` (undefined for `w3c`). Throws INVALID_OPTIONS naming the available shapes. */
function rendererFor(adapters: readonly MethodAdapter[], to: unknown): DocumentRenderer | undefined {
  if (to === W3C_SHAPE) return undefined;
  const renderer = typeof to === 'string' ? renderersByShape(adapters).get(to) : undefined;
  if (!renderer) {
    const shown = typeof to === 'string' ? JSON.stringify(to.slice(0, 64)) : typeof to;
    throw new InvalidOptionsError(`no adapter renders the shape ${shown}; available shapes: ${availableShapes(adapters).join(', ')}`);
  }
  return renderer;
}

/**
 * Whether a value has the outline of a W3C DID Core document: an `id` that is a DID, and a `verificationMethod` list
 * or an `@context` naming the DID Core context. (An outline only: a native document may share it, which is why
 * adapters are asked first.)
 */
export function looksLikeDidCoreDocument(value: unknown): value is DIDDocument {
  if (!isJsonObject(value) || typeof value.id !== 'string' || !value.id.startsWith('did:')) return false;
  if (Array.isArray(value.verificationMethod)) return true;
  const context = value['@context'];
  const first = Array.isArray(context) ? context[0] : context;
  return typeof first === 'string' && DID_CORE_CONTEXTS.has(first);
}

/**
 * A W3C document carried with its metadata: a DID Resolution result (`didDocument` + `didDocumentMetadata`) or this
 * service's own output (`document` + `metadata`). Only these members may be present, so that no native envelope is
 * taken for one.
 */
function carriedDocument(input: unknown): { document: DIDDocument; metadata: DIDDocumentMetadata } | undefined {
  if (!isJsonObject(input)) return undefined;
  const keys = Object.keys(input);
  if (isJsonObject(input.didDocument) && isJsonObject(input.didDocumentMetadata)) {
    if (!keys.every((k) => RESULT_MEMBERS.has(k)) || !looksLikeDidCoreDocument(input.didDocument)) return undefined;
    return { document: input.didDocument, metadata: input.didDocumentMetadata as DIDDocumentMetadata };
  }
  if (isJsonObject(input.document) && isJsonObject(input.metadata)) {
    if (!keys.every((k) => OUTPUT_MEMBERS.has(k)) || !looksLikeDidCoreDocument(input.document)) return undefined;
    return { document: input.document, metadata: input.metadata as DIDDocumentMetadata };
  }
  return undefined;
}
const RESULT_MEMBERS: ReadonlySet<string> = new Set(['@context', 'didDocument', 'didDocumentMetadata', 'didResolutionMetadata']);
const OUTPUT_MEMBERS: ReadonlySet<string> = new Set(['document', 'metadata', 'changes', 'from', 'to']);

/** The W3C side of a translation, before rendering. */
interface W3cSource {
  document: DIDDocument | null;
  metadata: DIDDocumentMetadata;
  changes: ChangeRecord[];
  from: TranslateSource;
}

function recognises(adapter: MethodAdapter, input: unknown): boolean {
  if (typeof adapter.recognise !== 'function' || typeof adapter.translate !== 'function') return false;
  try {
    return adapter.recognise(input) === true;
  } catch {
    // recognise must not throw; one that does simply does not recognise the input.
    return false;
  }
}

function translateWith(adapter: MethodAdapter, input: unknown): Translation {
  try {
    return adapter.translate!(input);
  } catch (err) {
    throw toDidBridgeError(err);
  }
}

/** The method of a DID (`did:<method>:…`), or undefined. */
function methodOf(did: unknown): string | undefined {
  if (typeof did !== 'string' || !did.startsWith('did:')) return undefined;
  const end = did.indexOf(':', 4);
  return end < 0 ? undefined : did.slice(4, end);
}

/**
 * Translates with the adapters that recognise the input. When several do (envelopes can be ambiguous), the one that
 * serves the method of the translated document's id wins, else the first that succeeds; when none succeeds, the first
 * one's error is thrown.
 */
function translateRecognised(recognisers: readonly MethodAdapter[], input: unknown): { adapter: MethodAdapter; translation: Translation } {
  if (recognisers.length === 1) return { adapter: recognisers[0]!, translation: translateWith(recognisers[0]!, input) };
  let firstError: DidBridgeError | undefined;
  let firstSuccess: { adapter: MethodAdapter; translation: Translation } | undefined;
  for (const adapter of recognisers) {
    let translation: Translation;
    try {
      translation = translateWith(adapter, input);
    } catch (err) {
      firstError ??= toDidBridgeError(err);
      continue;
    }
    const method = methodOf(translation.didDocument.id);
    if (method !== undefined && adapter.methods.includes(method)) return { adapter, translation };
    firstSuccess ??= { adapter, translation };
  }
  if (firstSuccess) return firstSuccess;
  throw firstError!;
}

/** Whether a translation left a W3C-looking input as it was (then the input already was a W3C document). */
function unchangedByTranslation(input: DIDDocument, document: DIDDocument, changes: readonly ChangeRecord[]): boolean {
  const before = Object.keys(input);
  const after = Object.keys(document);
  // Native documents lose or gain top-level members (created, publicKey, ...): compare contents only when they match.
  if (before.length !== after.length || !before.every((k) => Object.prototype.hasOwnProperty.call(document, k))) return false;
  return changes.length === 0 || canonicalJson(input) === canonicalJson(document);
}

/**
 * The name of a native shape as `to` names it: the preserved data's `shape` when the adapter renders that shape (it
 * tells a method's document generations apart), else the adapter's only renderer's shape (preserved data may name
 * a document family several methods share), else the preserved `shape` or the adapter id.
 */
function nativeShape(adapter: MethodAdapter, preservedShape: unknown): string {
  const shapes = (adapter.renderers ?? []).map((r) => r.shape);
  if (typeof preservedShape === 'string' && shapes.includes(preservedShape)) return preservedShape;
  if (shapes.length === 1) return shapes[0]!;
  return typeof preservedShape === 'string' ? preservedShape : adapter.id;
}

/** Native (or W3C) input → the W3C document, its metadata and the translation's changes. */
function toW3c(input: unknown, adapters: readonly MethodAdapter[]): W3cSource {
  const carried = carriedDocument(input);
  if (carried) return { document: carried.document, metadata: carried.metadata, changes: [], from: { shape: W3C_SHAPE } };

  const recognisers = adapters.filter((a) => recognises(a, input));
  if (recognisers.length === 0) {
    if (looksLikeDidCoreDocument(input)) return { document: input, metadata: {}, changes: [], from: { shape: W3C_SHAPE } };
    const methods = adapters.filter((a) => typeof a.recognise === 'function').flatMap((a) => a.methods.map((m) => `did:${m}`));
    throw new InvalidDidDocumentError(
      `the input is not a document of any supported shape: a W3C DID Core document (an "id" that is a DID, and a "verificationMethod" list or the DID Core "@context"), a DID Resolution result, or a native document or upstream answer of ${methods.length > 0 ? methods.join(', ') : 'no method (no adapter recognises native documents)'}`,
    );
  }

  const { adapter, translation } = translateRecognised(recognisers, input);
  const metadata: DIDDocumentMetadata = { ...translation.didDocumentMetadata };
  const preserved = translation.preserved;
  // Adapters that keep preserved data beside the translation put it into metadata when they resolve; do the same.
  if (preserved && metadata[PRESERVED_MEMBER] === undefined && typeof preserved.method === 'string' && typeof preserved.shape === 'string') {
    metadata[PRESERVED_MEMBER] = wrapPreserved(preserved);
  }
  const w3c = looksLikeDidCoreDocument(input) && unchangedByTranslation(input, translation.didDocument, translation.changes);
  const shape = w3c ? W3C_SHAPE : nativeShape(adapter, preserved?.shape ?? readPreserved(metadata)?.shape);
  return { document: translation.didDocument, metadata, changes: translation.changes, from: { shape, adapter: adapter.id } };
}

function tagged(changes: readonly ChangeRecord[], step: TranslateStep): TranslateChange[] {
  return changes.map((c) => withStep(c, step));
}

/**
 * A change record with `step` added last. Records as ChangeLog makes them are copied member by member (a spread copy
 * of every record cost more than the rest of tagging a translation); anything else is spread as before.
 */
function withStep(c: ChangeRecord, step: TranslateStep): TranslateChange {
  const keys = Object.keys(c);
  if (keys.length >= 4 && keys.length <= 5 && keys[0] === 'rule' && keys[1] === 'from' && keys[2] === 'to' && keys[3] === 'reason') {
    if (keys.length === 4) return { rule: c.rule, from: c.from, to: c.to, reason: c.reason, step };
    if (keys[4] === 'spec') return { rule: c.rule, from: c.from, to: c.to, reason: c.reason, spec: c.spec!, step };
  }
  return { ...c, step };
}

/** Renders the W3C side in the target shape. */
function finish(source: W3cSource, to: string, renderer: DocumentRenderer | undefined): TranslateResult {
  const changes = tagged(source.changes, 'translate');
  if (!renderer || source.document === null) {
    return { document: source.document, changes, metadata: source.metadata, from: source.from, to };
  }
  let rendered: { document: JsonValue; changes: ChangeRecord[] };
  try {
    rendered = renderer.render(source.document, source.metadata);
  } catch (err) {
    throw toDidBridgeError(err);
  }
  return { document: rendered.document, changes: [...changes, ...tagged(rendered.changes, 'render')], metadata: source.metadata, from: source.from, to };
}

/**
 * Translates a JSON document of any supported shape into the target shape.
 *
 * @param input a parsed JSON value: a W3C DID Core document, a DID Resolution result, this function's own result
 *   (`{ document, metadata, ... }`), or a native document (or upstream answer) that an adapter's `recognise` accepts
 * @param options `adapters`, and `to` (`w3c` by default, or a renderer's `shape`)
 * @throws DidBridgeError INVALID_OPTIONS for an unknown `to` (the message lists the shapes), INVALID_DID_DOCUMENT
 *   for a document of no supported shape, or the adapter's error for a recognised document it cannot translate;
 *   TypeError for misuse
 * @example
 * const { document, changes } = translateInput(JSON.parse(text), { adapters: defaultAdapters(), to: 'w3c' })
 */
export function translateInput(input: unknown, options: TranslateInputOptions): TranslateResult {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const adapters = checkAdapters(options.adapters);
  const to = options.to ?? W3C_SHAPE;
  const renderer = rendererFor(adapters, to);
  return finish(toW3c(input, adapters), to, renderer);
}

/** The error of a failed resolution, as a DidBridgeError (code, detail and primitive extension members kept). */
function resolutionError(error: unknown): DidBridgeError {
  const code = parseErrorName(error) ?? 'INTERNAL_ERROR';
  const problem = isJsonObject(error) ? error : {};
  const detail = typeof problem.detail === 'string' ? problem.detail : `resolution failed with ${code}`;
  const extensions: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(problem)) {
    if (['type', 'title', 'detail'].includes(name)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') extensions[name] = value;
  }
  return new DidBridgeError(code, detail, Object.keys(extensions).length > 0 ? { extensions } : {});
}

/**
 * Resolves a DID and renders its W3C document in the target shape. A deactivated DID gives `document: null` (with
 * `metadata.deactivated: true`) whatever the shape.
 *
 * @param did the DID to resolve
 * @param options `resolver`, `to` (`w3c` by default, or a renderer's `shape` among the resolver's adapters) and
 *   `resolutionOptions`
 * @throws DidBridgeError INVALID_OPTIONS for an unknown `to` (checked before resolving), the resolution's error (its
 *   code: NOT_FOUND, INVALID_DID, METHOD_NOT_SUPPORTED, ...), or the renderer's; TypeError for misuse
 * @example
 * const { document } = await translateDid('did:key:z6Mk…', { resolver, to: someShape })
 */
export async function translateDid(did: string, options: TranslateDidOptions): Promise<TranslateResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { resolver } = options;
  if (!resolver || typeof resolver.resolve !== 'function' || !Array.isArray(resolver.adapters)) throw new TypeError('"resolver" must be a Resolver');
  const to = options.to ?? W3C_SHAPE;
  const renderer = rendererFor(resolver.adapters, to);
  const result = await resolver.resolve(did, options.resolutionOptions ?? {});
  const error = result.didResolutionMetadata.error;
  if (error) throw resolutionError(error);
  const metadata = result.didDocumentMetadata ?? {};
  const changes = result.didResolutionMetadata.didbridgeChanges ?? [];
  const method = methodOf(did);
  const adapter = method === undefined ? undefined : resolver.adapterFor(method);
  const preservedShape = readPreserved(metadata)?.shape;
  // A document that needed no change and preserved nothing was W3C already.
  const shape = adapter && (preservedShape !== undefined || changes.length > 0) ? nativeShape(adapter, preservedShape) : W3C_SHAPE;
  const source: W3cSource = {
    document: result.didDocument ?? null,
    metadata,
    changes,
    from: adapter ? { shape, adapter: adapter.id } : { shape },
  };
  return finish(source, to, renderer);
}
