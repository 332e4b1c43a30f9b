/**
 * Translation of BIF-family documents (did:bid, and its clone did:cndid) into W3C DID Core, recording every change.
 *
 * The rules, each recorded as `<method>.<rule>` with JSON pointers into the native document and into the result
 * (domestic-methods.md §4.3, §5 and §10):
 *
 * | native | W3C | rule |
 * |---|---|---|
 * | `@context` (did:cndid: `context`) | `@context`: DID v1 first, then the contexts the key types need | `context-to-@context`, `context-normalised` |
 * | `publicKey[]` | `verificationMethod[]` | `publicKey-to-verificationMethod` |
 * | `type` `Ed25519` / `ED25519` / `SM2` / `SECP256K1` | `Multikey`, the key type decided from the key bytes | `key-type-to-Multikey`, `declared-type-mismatch` |
 * | `publicKeyHex`, raw or BIF-encoded (`b06566…`, `b07a66…`) | `publicKeyMultibase` (`ed25519-pub`, `sm2-pub` 0x1206, `secp256k1-pub`) | `publicKeyHex-to-publicKeyMultibase` |
 * | `authentication` (key-id strings, possibly another DID's key) | `authentication` references, kept as written | `reference-trimmed`, `dangling-reference-dropped`, `embedded-key-lifted` |
 * | (none) | `assertionMethod`: the document's own authentication keys | `assertionMethod-added` |
 * | (none) | `capabilityInvocation`: every authentication key | `capabilityInvocation-added` |
 * | `alsoKnownAs[] {id, type}` | URI strings; non-URI ids (Zid, handles, bare domains) preserved | `alsoKnownAs-object-to-uri`, `alsoKnownAs-non-uri-preserved` |
 * | `extension` | `didbridgePreserved`; `extension.ttl` also → `ttl` metadata and the cache TTL | `extension-preserved`, `ttl-to-metadata` |
 * | `service[]` with bare IP / scheme-less hosts | URI endpoints, or the service preserved and left out (see `services.ts`) | `service-endpoint-built`, `service-dropped`, ... |
 * | `created`, `updated` | document metadata, `YYYY-MM-DDTHH:MM:SSZ` | `created-to-metadata`, `updated-to-metadata` |
 * | `proof` | document metadata `proof`, **unverified** (the signed bytes are unconfirmed, §4.3) | `proof-to-metadata` |
 * | `version` | `didbridgePreserved` (a document-format version, not a `versionId`: every BID document says `1.0.0`) | `version-preserved` |
 * | whitespace in member names and values (`"delegateSign "`, `" did:bid:…"`) | trimmed where read; originals preserved | `member-name-trimmed`, `value-trimmed` |
 * | members DID Core and BID do not define | `didbridgePreserved` | `unknown-member-preserved` |
 *
 * Why the two added relationships: BID §4 says of `authentication` that "the party that owns the public key
 * corresponding to the private key can control and manage the BID document", which is DID Core's
 * `capabilityInvocation` (§5.3.4); and BID keys sign credentials (CAICT's `vc-tool` issues VCs as `did:bid`, §4.6),
 * which verifiers only accept from `assertionMethod` (§5.3.2). `assertionMethod` lists only the document's own keys:
 * a key of another DID that controls this document (BID SDK batch creation, sample 09) is not thereby entitled to
 * issue credentials in this DID's name.
 *
 * Everything the W3C document has no place for stays in `Translation.preserved`, which is the native document as the
 * translation received it (see `preserved.ts`): `render.ts` translates it again, in the detailed mode that lists every
 * piece with a fingerprint of its translation, and restores the native document exactly where the W3C document is
 * still what the translation produced.
 *
 * @see https://www.w3.org/TR/did-core/
 */
import { DidBridgeError, InvalidDidDocumentError } from '../../src/errors.js';
import { lookupVerificationMethodType } from '../../src/keys/aliases.js';
import type { Translation } from '../../src/adapter.js';
import {
  DID_CORE_CONTEXT_V1,
  VERIFICATION_RELATIONSHIPS,
  type DIDDocument,
  type DIDDocumentMetadata,
  type JsonObject,
  type JsonWebKey,
  type JsonValue,
  type Service,
  type VerificationMethod,
  type VerificationRelationship,
} from '../../src/spec.js';
import { isDid, parseDid } from '../../src/syntax/did-url.js';
import { didUrlOrUndefined, isOwnPlainFragmentUrl } from './did-syntax.js';
import { ChangeLog, DID_CORE, inDidCoreOrder, metadataPointer, pointer } from '../../src/translation.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { parseBifIdentifier } from '../../src/keys/derive.js';
import type { BifMethod } from './identifier.js';
import { readW3cKeyMaterial, MATERIAL_MEMBERS } from './key-material.js';
import { checkTranslationLimits, enforceLimit, type TranslationLimits } from './limits.js';
import { isMetadataValue, sameJsonText } from '../../src/util/json.js';
import { MemberIndex, isJsonObject, jsonString, kindOf } from './members.js';
import { PRESERVED_METADATA_MEMBER, piece, preservedToMetadata } from './preserved.js';
import { preserveNativeDocument } from '../../src/preserved.js';
import { isUriFast, readCode, serviceEndpointFor } from './services.js';

/** The shape name of BIF documents (the `DocumentRenderer.shape` and the `shape` of preserved data). */
export const BIF_SHAPE = 'bid';

/** Contexts that name pre-DID-Core drafts of the DID vocabulary; DID v1 replaces them. */
export const LEGACY_DID_CONTEXTS: readonly string[] = [
  'https://w3id.org/did/v1',
  'https://www.w3.org/2019/did/v1',
  'https://w3id.org/did/v0.11',
];

/** Top-level members of BIF documents that are bookkeeping, not content (used to spot emptied documents). */
const BOOKKEEPING_MEMBERS = new Set(['@context', 'context', 'version', 'id', 'created', 'updated', 'proof']);

/** Top-level members the translator understands. Anything else is preserved. (Frozen lists: see MemberIndex.others.) */
const KNOWN_MEMBERS = Object.freeze([
  '@context',
  'context',
  'version',
  'id',
  'controller',
  'publicKey',
  'verificationMethod',
  ...VERIFICATION_RELATIONSHIPS,
  'alsoKnownAs',
  'extension',
  'service',
  'created',
  'updated',
  'proof',
] as const);

/** Members of a verification method the translation reads (the others are preserved). */
const KEY_MEMBERS_READ = Object.freeze(['id', 'type', 'controller', ...MATERIAL_MEMBERS]);

/** Members of a service the translation reads (the others are preserved). */
const SERVICE_MEMBERS_READ = Object.freeze(['id', 'type', 'serviceEndpoint']);

/** Members of a BID service that W3C services do not define, read for the endpoint and then preserved. */
const SERVICE_TRANSPORT_MEMBERS = ['version', 'protocol', 'serverType', 'port'] as const;

/** Options of {@link translateBifDocument}. */
export interface BifTranslateOptions {
  method: BifMethod;
  /** The DID being resolved: a document about another DID is refused (INVALID_DID_DOCUMENT). */
  expectedDid?: string;
  /**
   * Accept documents in the BIF shape whose `id` is a DID of any method, e.g. a did:key document rendered in the BID
   * shape by `render.ts` (reverse-translation round trips). Default false: the id must be a valid did:`method`.
   */
  foreignIds?: boolean;
  /** Bounds on the lists processed (defaults in `limits.ts`). */
  limits?: TranslationLimits;
}

/** A translation plus what resolution needs from it. */
export interface BifTranslation extends Translation {
  /** `extension.ttl` in seconds, when the document has a usable one. */
  ttlSeconds?: number;
  /** The native document that was translated (unwrapped from its envelope). */
  native: JsonObject;
  /** The document is empty: BID §5.4, "Revoked BID documentation is empty, not deleted". */
  emptied: boolean;
}

/**
 * Whether a value carries nothing: null, '', 0, an empty list, or a map of such values. Zero counts as empty because
 * the did:cndid driver serialises absent numbers as Go zero values (`extension: {ttl: 0, type: 0, attributes: null}`).
 */
function isEmptyValue(value: JsonValue): boolean {
  if (value === null || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.values(value).every(isEmptyValue);
}

/**
 * Whether a BIF document is "empty" in the sense of BID §5.4 ("Revoked BID documentation is empty, not deleted"):
 * nothing but bookkeeping members (`@context`, `version`, `id`, `created`, `updated`, `proof`) has content. The
 * specification does not show a revoked document, so any such shape counts, from `{}` to a document whose
 * `publicKey` and `authentication` are empty lists and whose `extension` holds only zero values.
 */
export function isEmptyBifDocument(document: JsonObject): boolean {
  return new MemberIndex(document).all.every(({ name, value }) => BOOKKEEPING_MEMBERS.has(name.trim()) || isEmptyValue(value));
}

/**
 * Finds the native document in what a user or upstream hands over: the document itself, the BID read envelope
 * `{errorCode, data: {didDocument}}`, the SDK wrapper `{didDocument}`, a create request `{id, operation,
 * didDocument}`, or the did:cndid envelope `{status, message, data}`. Returns undefined when there is none.
 */
export function unwrapBifDocument(input: unknown, method: BifMethod, options: { foreignIds?: boolean } = {}, depth = 0): JsonObject | undefined {
  if (!isJsonObject(input) || depth > 2) return undefined;
  const members = new MemberIndex(input, { ignoreCase: true });
  const wrapped = members.value('didDocument');
  if (isJsonObject(wrapped)) return wrapped;
  const data = members.value('data');
  if (isJsonObject(data)) {
    const inner = unwrapBifDocument(data, method, options, depth + 1);
    if (inner) return inner;
  }
  const id = members.value('id');
  if (typeof id !== 'string') return undefined;
  return id.trim().startsWith(`did:${method}:`) || (options.foreignIds === true && id.trim().startsWith('did:')) ? input : undefined;
}

/** Whether a member name could fold (trimmed, lower-cased) to `didDocument` or `data`: it starts with "d", "D",
 * whitespace or a non-ASCII character. */
function couldFoldToEnvelopeMember(name: string): boolean {
  const first = name.charCodeAt(0);
  return first === 0x64 /* d */ || first === 0x44 /* D */ || first <= 0x20 || first >= 0x7f;
}

/**
 * What {@link unwrapBifDocument} returns for an object with an `id` member written exactly so and no member whose
 * name could fold to `didDocument` or `data`, decided without indexing its members case-insensitively: the object
 * itself when its id names the method (or any DID, with `foreignIds`), else `null` (none). Undefined means "not
 * decided here" (another shape): the caller unwraps.
 */
function bareBifForm(document: JsonObject, method: BifMethod, foreignIds: boolean): JsonObject | null | undefined {
  if (!Object.hasOwn(document, 'id')) return undefined;
  for (const name of Object.keys(document)) if (couldFoldToEnvelopeMember(name)) return undefined;
  const id = document.id;
  if (typeof id !== 'string') return null;
  const trimmed = id.trim();
  return trimmed.startsWith(method === 'bid' ? 'did:bid:' : 'did:cndid:') || (foreignIds && trimmed.startsWith('did:')) ? document : null;
}

/**
 * Whether {@link unwrapBifDocument} returns `document` itself, decided without indexing its members
 * case-insensitively (the common input is the document, not an envelope). False means "not decided here", or not.
 */
export function isBareBifDocument(document: JsonObject, method: BifMethod, foreignIds: boolean): boolean {
  return bareBifForm(document, method, foreignIds) === document;
}

/**
 * What {@link unwrapBifDocument} returns for the common inputs, decided without case-folded member indexes: the
 * document, or `null` for none. Decided are anything that is not an object (none), an object with an exact `id`
 * and no member that could fold to `didDocument` or `data` (itself, or none; see `bareBifForm`), and the did:cndid
 * envelope `{status, message, data: <document>}` (an exact `data` member holding such a document, no other member
 * that could fold to those names). Undefined means "not decided here": the caller unwraps.
 */
export function commonBifForm(input: unknown, method: BifMethod, foreignIds: boolean): JsonObject | null | undefined {
  if (!isJsonObject(input)) return null;
  const bare = bareBifForm(input, method, foreignIds);
  if (bare !== undefined) return bare;
  if (!Object.hasOwn(input, 'data')) return undefined;
  const data = input.data;
  if (!isJsonObject(data)) return undefined;
  for (const name of Object.keys(input)) if (name !== 'data' && couldFoldToEnvelopeMember(name)) return undefined;
  return bareBifForm(data, method, foreignIds) === data ? data : undefined;
}

/** Whether `input` is (or wraps) a native document of `method`. Never throws. */
export function recogniseBifDocument(input: unknown, method: BifMethod): boolean {
  try {
    // Every recognition asks every adapter: the common forms are decided without case-folded member indexes.
    const common = commonBifForm(input, method, false);
    if (common !== undefined) return common !== null;
    return unwrapBifDocument(input, method) !== undefined;
  } catch {
    return false;
  }
}

/** Trims every string in a JSON value (and every member name), reporting whether anything changed. */
function trimDeep(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(trimDeep);
  if (isJsonObject(value)) {
    // Member by member (what Object.fromEntries would build, without the intermediate entry arrays).
    const out: JsonObject = {};
    for (const key of Object.keys(value)) defineMember(out, key.trim(), trimDeep(value[key] as JsonValue));
    return out;
  }
  return value;
}

/** Sets an own member as Object.fromEntries does (`__proto__` becomes a member, not the prototype). */
function defineMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

const WHY_PRESERVED = `kept in didDocumentMetadata.${PRESERVED_METADATA_MEMBER} so that reverse translation restores it`;

// Pointers and reasons that do not depend on the document, built once rather than in every translation.
/** `#metadata/didbridgePreserved`: where everything preserved goes. */
const TO_PRESERVED = metadataPointer(PRESERVED_METADATA_MEMBER);
const TO_METADATA = { ttl: metadataPointer('ttl'), proof: metadataPointer('proof'), created: metadataPointer('created'), updated: metadataPointer('updated') } as const;
const WHY_EXTENSION = `the BID extension block (recovery keys, ttl, delegateSign, attributes, ...) has no DID Core counterpart; ${WHY_PRESERVED}`;
const WHY_DATETIME = {
  created: 'created is DID document metadata (DID Core §7.1.3), a datetime of the form YYYY-MM-DDTHH:MM:SSZ',
  updated: 'updated is DID document metadata (DID Core §7.1.3), a datetime of the form YYYY-MM-DDTHH:MM:SSZ',
} as const;
const WHY_SERVICE_MEMBERS = ' have no meaning in a DID Core service';
const WHY_SERVICE_TRANSPORT = ' (BID transport details, read to build the endpoint)';
const WHY_SERVICE_PRESERVED = `; ${WHY_PRESERVED}`;

/** {@link MATERIAL_MEMBERS} as a set. */
const MATERIAL_MEMBER_SET: ReadonlySet<string> = new Set(MATERIAL_MEMBERS);
/** {@link SERVICE_TRANSPORT_MEMBERS} as a set. */
const SERVICE_TRANSPORT_SET: ReadonlySet<string> = new Set(SERVICE_TRANSPORT_MEMBERS);

/**
 * Translates a did:bid or did:cndid document (or an envelope around one) into a DID Core document.
 *
 * @throws InvalidDidDocumentError when there is no document, its `id` is not a DID of `options.method` (or not the
 *   expected one), or a verification method cannot be read; FEATURE_NOT_SUPPORTED for well-formed keys of types
 *   didbridge does not handle; TypeError for misuse
 */
export function translateBifDocument(input: unknown, options: BifTranslateOptions): BifTranslation {
  return fullTranslation(input, options, false);
}

/** {@link translateBifDocument} or its detailed mode, with `emptied` (what resolution reads) and typed errors. */
function fullTranslation(input: unknown, options: BifTranslateOptions, detailed: boolean): BifTranslation {
  if (!options || (options.method !== 'bid' && options.method !== 'cndid')) {
    throw new TypeError('"options.method" must be "bid" or "cndid"');
  }
  return typedTranslation(() => {
    const translation = translate(input, options, checkTranslationLimits(options.limits), detailed, true) as BifTranslation;
    translation.emptied = isEmptyBifDocument(translation.native);
    return translation;
  });
}

/**
 * What the adapters' `translate` returns (internal): {@link translateBifDocument} without `emptied`, which only
 * resolution reads, for limits the adapter checked when it was created.
 * @throws as {@link translateBifDocument}
 */
export function translateBifForAdapter(input: unknown, method: BifMethod, limits: Required<TranslationLimits>): Translation {
  try {
    return translate(input, { method }, limits, false, false);
  } catch (err) {
    return rethrowTyped(err);
  }
}

/**
 * The translation of {@link translateBifDocument} in its detailed mode, for renderers (internal: the adapters do not
 * export it). `native` is the native document itself (what a translation preserved; it is not unwrapped again). The
 * document, metadata and change record are those of the public translation, but `preserved` (and the metadata's
 * `didbridgePreserved`) is the piece-by-piece structure a renderer works from: `order`, `names`, every original piece
 * with the fingerprint of what it was translated into, the members with no W3C place. The public translation
 * preserves only the native document, so the fingerprints are paid for by the reverse translation that compares
 * them with the W3C document it renders, not by every forward translation.
 * @throws as {@link translateBifDocument}
 */
export function translateBifDocumentDetailed(native: JsonObject, options: BifTranslateOptions): BifTranslation {
  return fullTranslation(native, options, true);
}

/** The native document in `input` (see {@link unwrapBifDocument}). @throws InvalidDidDocumentError when there is none */
function unwrapOrRefuse(input: unknown, options: BifTranslateOptions): JsonObject {
  const common = commonBifForm(input, options.method, options.foreignIds === true);
  if (common) return common;
  const native = unwrapBifDocument(input, options.method, { foreignIds: options.foreignIds === true });
  if (native) return native;
  const id = isJsonObject(input) ? input.id : undefined;
  throw new InvalidDidDocumentError(
    typeof id === 'string'
      ? `the document id ${JSON.stringify(id.slice(0, 80))} is not a did:${options.method} DID`
      : `no did:${options.method} document found: expected a document with an "id", or an envelope with "didDocument" / "data" (got ${kindOf(input)})`,
  );
}

/**
 * The translation. The fast mode (`detailed` false) reads the native document out of `input` and preserves it as it
 * is; the detailed mode is given the native document and builds the piece-by-piece preserved data. `full` returns a
 * BifTranslation without `emptied` (`ttlSeconds`, `native`), otherwise just the members of a Translation.
 */
function translate(input: unknown, options: BifTranslateOptions, limits: Required<TranslationLimits>, detailed: boolean, full: boolean): Translation {
  const { method } = options;
  const foreign = options.foreignIds === true;
  let native: JsonObject;
  if (!detailed) native = unwrapOrRefuse(input, options);
  else if (isJsonObject(input)) native = input;
  else throw new InvalidDidDocumentError(`no did:${method} document: got ${kindOf(input)}`);
  const log = new ChangeLog();
  const rule = (what: string) => `${method}.${what}`;
  const m = new MemberIndex(native);
  const at = (name: string, ...rest: Array<string | number>) => pointer(m.get(name)?.name ?? name, ...rest);
  // The piece-by-piece preserved data, built only in the detailed mode (see translateBifDocumentDetailed).
  const detail: JsonObject | undefined = detailed ? { shape: BIF_SHAPE, method, order: m.all.map((x) => x.name), names: {} } : undefined;

  for (let i = 0; i < m.size; i++) {
    const written = m.nameAt(i);
    const name = m.foldedName(i);
    if (name !== written && m.position(name) === i) {
      if (detail) (detail.names as JsonObject)[name] = written;
      log.record(rule('member-name-trimmed'), pointer(written), null, `member name ${JSON.stringify(written)} read as ${JSON.stringify(name)}; ${WHY_PRESERVED}`);
    }
  }

  // --- id
  const idMember = m.get('id');
  if (!idMember || typeof idMember.value !== 'string') {
    throw new InvalidDidDocumentError(`the did:${method} document has no "id" string`);
  }
  const did = idMember.value.trim();
  if (did !== idMember.value) {
    if (detail) detail.id = piece(idMember.value, did);
    log.record(rule('value-trimmed'), at('id'), '/id', 'the id had surrounding whitespace; a DID has none (DID Core §3.1)', DID_CORE.identifier);
  }
  // A valid identifier of the method is a DID of the method (the BIF patterns admit only DID characters), so the
  // general DID checks run only when it is not one: to word the refusal, or for an id of another method.
  let didMethod: string | undefined = method;
  let notBif: unknown;
  try {
    parseBifIdentifier(did, { method, errorCode: 'INVALID_DID_DOCUMENT' });
  } catch (err) {
    notBif = err;
  }
  if (notBif !== undefined) {
    didMethod = isDid(did) ? parseDid(did).method : undefined;
    if (didMethod === undefined || (!foreign && didMethod !== method)) {
      throw new InvalidDidDocumentError(`the document id ${JSON.stringify(did.slice(0, 80))} is not a did:${method} DID`);
    }
    if (didMethod === method) {
      throw new InvalidDidDocumentError(`the document id is not a valid did:${method} identifier: ${(notBif as Error).message}`, { cause: notBif });
    }
  }
  if (options.expectedDid !== undefined && did !== options.expectedDid) {
    throw new InvalidDidDocumentError(`the upstream answered with the document of ${did} when asked for ${options.expectedDid}`);
  }

  if (detail) detail.did = did;
  const document: DIDDocument = { id: did };
  const metadata: DIDDocumentMetadata = {};
  const contexts = new Set<string>();

  // --- controller (not a BID member, but accepted when a newer library writes one)
  const controllerMember = m.get('controller');
  if (controllerMember) {
    const value = controllerMember.value;
    const list = Array.isArray(value) ? value : [value];
    if (list.every((c) => typeof c === 'string' && isDid(c.trim()))) {
      const trimmedList = list.map((c) => (c as string).trim());
      document.controller = Array.isArray(value) ? trimmedList : trimmedList[0]!;
    } else {
      throw new InvalidDidDocumentError(`"controller" must be a DID or a list of DIDs, got ${kindOf(value)}`);
    }
  }

  // --- verification methods: publicKey[] (and verificationMethod[] from newer CAICT libraries)
  const methods: VerificationMethod[] = [];
  const keyPieces: JsonValue[] = [];
  const ownIds = new Set<string>();
  const absolute = (ref: string) => (ref.startsWith('#') ? did + ref : ref);

  const addMethod = (entry: JsonValue, from: string, embedded: boolean): string => {
    if (!isJsonObject(entry)) throw new InvalidDidDocumentError(`${from}: a verification method must be an object, got ${kindOf(entry)}`);
    const e = new MemberIndex(entry);
    const rawId = e.value('id');
    if (typeof rawId !== 'string') throw new InvalidDidDocumentError(`${from}: a verification method needs an "id" string`);
    const id = absolute(rawId.trim());
    if (!isOwnPlainFragmentUrl(id, did) && didUrlOrUndefined(id)?.fragment === undefined) {
      throw new InvalidDidDocumentError(`${from}: the id ${JSON.stringify(rawId.slice(0, 100))} is not a DID URL with a fragment`);
    }
    if (ownIds.has(id)) throw new InvalidDidDocumentError(`${from}: the verification method id ${id} is used twice`);
    const to = `/verificationMethod/${methods.length}`;
    if (id !== rawId) {
      log.record(rule(rawId.startsWith('#') ? 'relative-id-absolutised' : 'value-trimmed'), `${from}/id`, `${to}/id`, `the id ${JSON.stringify(rawId)} is written as the absolute DID URL ${id}`, DID_CORE.verificationMethods);
    }
    const rawType = e.value('type');
    const declaredType = typeof rawType === 'string' ? rawType.trim() : undefined;
    const { material, w3c } = readW3cKeyMaterial(e, { method, declaredType, label: `${from} (${id})` });
    contexts.add(w3c.context);
    let controller = e.value('controller');
    // The document's own DID (the common controller) is a valid DID without surrounding whitespace: kept as it is.
    if (controller !== did) {
      if (typeof controller === 'string' && isDid(controller.trim())) controller = controller.trim();
      else if (controller === undefined) {
        controller = did;
        log.record(rule('controller-added'), from, `${to}/controller`, 'a verification method MUST have a controller (DID Core §5.2); the document\'s DID is the only one that can be meant', DID_CORE.verificationMethods);
      } else {
        throw new InvalidDidDocumentError(`${from}: "controller" must be a DID, got ${JSON.stringify(controller).slice(0, 100)}`);
      }
    }
    // Written per property: a computed member name in an object literal is defined at run time, member by member.
    const vm: VerificationMethod =
      w3c.property === 'publicKeyMultibase'
        ? { id, type: w3c.type, controller: controller as string, publicKeyMultibase: w3c.value as string }
        : { id, type: w3c.type, controller: controller as string, publicKeyJwk: w3c.value as JsonWebKey };
    if (declaredType !== w3c.type) {
      const alias = declaredType === undefined ? undefined : lookupVerificationMethodType({ name: declaredType, method });
      log.record(
        rule(w3c.type === 'Multikey' ? 'key-type-to-Multikey' : 'key-type-to-JsonWebKey'),
        `${from}/${e.get('type')?.name ?? 'type'}`,
        `${to}/type`,
        `${declaredType === undefined ? 'no declared type' : `"${declaredType}" is ${alias?.status === 'unregistered' || alias === undefined ? 'not a registered verification method type' : `a ${alias.status} type`}`}; ` +
          `${w3c.type} (Controlled Identifiers 1.0) carries any key type, here ${material.kind === 'rsa' ? 'RSA' : material.key.type} as decided from the key bytes`,
        DID_CORE.verificationMaterial,
      );
    }
    if (material.kind === 'key' && material.inference.mismatch) {
      log.record(rule('declared-type-mismatch'), `${from}/type`, `${to}/type`, `the declared type does not match the key: ${material.inference.reason}`, DID_CORE.verificationMaterial);
    }
    if (material.kind === 'rsa' && material.mismatch) {
      log.record(rule('declared-type-mismatch'), `${from}/type`, `${to}/type`, `the declared type "${declaredType}" claims another key family, but the key is RSA`, DID_CORE.verificationMaterial);
    }
    if (material.canonicalMember !== w3c.property || material.kind === 'key') {
      const encoding =
        material.canonicalMember === 'publicKeyHex'
          ? material.kind === 'key' && material.bifEncoded
            ? 'BIF-encoded hex (B0 ‖ type tag ‖ encoding tag ‖ key)'
            : 'raw hex'
          : material.canonicalMember;
      const unchangedValue = material.canonicalMember === w3c.property && entry[material.member] === w3c.value;
      if (!unchangedValue) {
        log.record(
          rule(`${material.canonicalMember}-to-${w3c.property}`),
          `${from}/${material.member}`,
          `${to}/${w3c.property}`,
          `${encoding} re-encoded as ${w3c.property}` +
            (w3c.property === 'publicKeyMultibase' ? ` (multicodec ${material.kind === 'key' ? material.key.type : ''} header, compressed EC point)` : ' (RFC 7517)') +
            '; publicKeyHex and publicKeyPem are not DID Core verification material',
          DID_CORE.verificationMaterial,
        );
      }
    }
    // Members with no place in a verification method: unread ones, and material members besides the one read.
    // Most keys have none, which one pass finds out before any list is built.
    const unread = e.others(KEY_MEMBERS_READ);
    let unplaced = false;
    for (let i = 0; i < unread.length && !unplaced; i++) unplaced = unread[i]!.name !== material.member;
    // (The folded name of a member is its name trimmed.)
    for (let i = 0; i < e.size && !unplaced; i++) unplaced = e.nameAt(i) !== material.member && MATERIAL_MEMBER_SET.has(e.foldedName(i));
    if (unplaced) {
      const extras = unread.filter((x) => x.name !== material.member);
      const otherMaterial = e.all.filter((x) => MATERIAL_MEMBER_SET.has(x.name.trim()) && x.name !== material.member);
      const listed = [...new Set([...extras, ...otherMaterial].map((x) => JSON.stringify(x.name)))].join(', ');
      log.record(rule('key-members-preserved'), from, TO_PRESERVED, `members ${listed} have no place in a DID Core verification method; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    }
    ownIds.add(id);
    methods.push(vm);
    // Written out rather than spread: a spread copy is slower to build and to serialise.
    if (detail) {
      const keyPiece = piece(entry, vm);
      keyPieces.push({ original: keyPiece.original, translated: keyPiece.translated, id, embedded });
    }
    return id;
  };

  for (const listName of ['publicKey', 'verificationMethod'] as const) {
    const list = m.get(listName);
    if (!list) continue;
    if (!Array.isArray(list.value)) {
      throw new InvalidDidDocumentError(`"${listName}" must be a list of verification methods, got ${kindOf(list.value)}`);
    }
    enforceLimit(methods.length + list.value.length, limits, 'maxVerificationMethods', `"${list.name}"`);
    const first = methods.length;
    const entries = list.value;
    const listAt = pointer(list.name);
    for (let i = 0; i < entries.length; i++) addMethod(entries[i]!, `${listAt}/${i}`, false);
    if (listName === 'publicKey' && entries.length > 0) {
      log.record(rule('publicKey-to-verificationMethod'), listAt, first === 0 ? '/verificationMethod' : `/verificationMethod/${first}`, '"publicKey" is the pre-DID-Core name of verificationMethod (DID Core §5.2)', DID_CORE.verificationMethods);
    }
  }

  // --- verification relationships
  const relationshipPieces: JsonObject = {};
  const emittedRelationships: Partial<Record<VerificationRelationship, string[]>> = {};
  for (const rel of VERIFICATION_RELATIONSHIPS) {
    const member = m.get(rel);
    if (!member) continue;
    const from = pointer(member.name);
    let entries: JsonValue[];
    if (Array.isArray(member.value)) entries = member.value;
    else if (typeof member.value === 'string') {
      entries = [member.value];
      log.record(rule('relationship-to-set'), from, `/${rel}`, `${rel} is a set of references (DID Core §5.3); the single value becomes a one-item set`, DID_CORE.relationships);
    } else throw new InvalidDidDocumentError(`"${rel}" must be a list, got ${kindOf(member.value)}`);
    enforceLimit(entries.length, limits, 'maxListEntries', `"${member.name}"`);
    const refs: string[] = [];
    /** The DID of each reference (parsed once, where it is checked). */
    const refDids: string[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const entryAt = `${from}/${i}`;
      let ref: string;
      if (typeof entry === 'string') {
        ref = entry.trim();
        if (ref !== entry) log.record(rule('reference-trimmed'), entryAt, `/${rel}`, `the reference ${JSON.stringify(entry)} had surrounding whitespace`, DID_CORE.relationships);
      } else if (isJsonObject(entry)) {
        const e = new MemberIndex(entry);
        const legacyRef = e.value('publicKey');
        if (typeof legacyRef === 'string' && !MATERIAL_MEMBERS.some((n) => e.get(n))) {
          // The pre-DID-Core form {type, publicKey: "<key id>"}: a reference with a redundant type.
          ref = legacyRef.trim();
          log.record(rule('reference-object-to-string'), entryAt, `/${rel}`, 'an object naming a key id is written as a reference (DID Core §5.3)', DID_CORE.relationships);
        } else {
          enforceLimit(methods.length + 1, limits, 'maxVerificationMethods', 'the document');
          ref = addMethod(entry, entryAt, true);
          log.record(rule('embedded-key-lifted'), entryAt, `/verificationMethod/${methods.length - 1}`, 'the embedded key is listed under verificationMethod and referenced, so every relationship can refer to it', DID_CORE.relationships);
        }
      } else {
        throw new InvalidDidDocumentError(`${entryAt}: a relationship entry must be a reference or a verification method, got ${kindOf(entry)}`);
      }
      const full = absolute(ref);
      const refDid = isOwnPlainFragmentUrl(full, did) ? did : didUrlOrUndefined(full)?.did;
      if (refDid === undefined) throw new InvalidDidDocumentError(`${entryAt}: ${JSON.stringify(ref.slice(0, 100))} is not a DID URL`);
      refs.push(ref);
      refDids.push(refDid);
    }
    const out: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      const full = absolute(ref);
      const own = refDids[i] === did;
      if (seen.has(full)) {
        log.record(rule('reference-deduplicated'), `${from}/${i}`, null, `${ref} is listed twice; a relationship is a set (DID Core §5.3)`, DID_CORE.relationships);
      } else if (own && !ownIds.has(full)) {
        log.record(
          rule('dangling-reference-dropped'),
          `${from}/${i}`,
          null,
          `${ref} names no verification method of this document; DID Core §5.3: a referenced method that is not in the document "is considered invalid or revoked". ${WHY_PRESERVED}`,
          DID_CORE.relationships,
        );
      } else {
        seen.add(full);
        out.push(ref);
      }
    }
    emittedRelationships[rel] = out;
    if (detail) relationshipPieces[rel] = piece(member.value, out);
  }
  if (methods.length > 0) document.verificationMethod = methods;
  for (const rel of VERIFICATION_RELATIONSHIPS) {
    const refs = emittedRelationships[rel];
    if (refs === undefined) continue;
    if (refs.length > 0) document[rel] = refs;
    else {
      log.record(rule('empty-relationship-omitted'), pointer(m.get(rel)!.name), null, `${rel} names no usable verification method; DID Core §5.3: "If present, the associated value MUST be a set of one or more verification methods"`, DID_CORE.relationships);
      if (detail) relationshipPieces[rel] = piece(m.get(rel)!.value, undefined);
    }
  }
  const synthesized: string[] = [];
  const authentication = emittedRelationships.authentication ?? [];
  // Only read when authentication has entries, i.e. when the document has the member.
  const authenticationAt = authentication.length > 0 ? pointer(m.get('authentication')!.name) : '';
  if (authentication.length > 0 && !m.get('assertionMethod')) {
    const own = authentication.filter((ref) => ownIds.has(absolute(ref)));
    if (own.length > 0) {
      document.assertionMethod = own;
      synthesized.push('assertionMethod');
      log.record(
        rule('assertionMethod-added'),
        authenticationAt,
        '/assertionMethod',
        `BID keys sign credentials (domestic-methods.md §4.6) and verifiers accept credential proofs only from assertionMethod (DID Core §5.3.2); the document's own authentication keys are listed there` +
          (own.length < authentication.length ? ', keys of other DIDs are not' : ''),
        DID_CORE.relationships,
      );
    }
  }
  if (authentication.length > 0 && !m.get('capabilityInvocation')) {
    document.capabilityInvocation = [...authentication];
    synthesized.push('capabilityInvocation');
    log.record(
      rule('capabilityInvocation-added'),
      authenticationAt,
      '/capabilityInvocation',
      'BID §4: the holder of an authentication key "can control and manage the BID document", which is what capabilityInvocation expresses (DID Core §5.3.4)',
      DID_CORE.relationships,
    );
  }
  if (detail) {
    detail.keys = keyPieces;
    detail.relationships = relationshipPieces;
    detail.synthesized = synthesized;
  }

  // --- alsoKnownAs
  const akaMember = m.get('alsoKnownAs');
  if (akaMember) {
    const emitted: string[] = [];
    const list = Array.isArray(akaMember.value) ? akaMember.value : undefined;
    if (list) enforceLimit(list.length, limits, 'maxListEntries', `"${akaMember.name}"`);
    if (!list) {
      log.record(rule('alsoKnownAs-non-uri-preserved'), at('alsoKnownAs'), TO_PRESERVED, `alsoKnownAs is ${kindOf(akaMember.value)}, not a set of URIs (DID Core §5.1.3); ${WHY_PRESERVED}`, DID_CORE.alsoKnownAs);
    } else {
      list.forEach((entry, i) => {
        const entryAt = pointer(akaMember.name, i);
        const rawId = isJsonObject(entry) ? new MemberIndex(entry).value('id') : entry;
        const id = typeof rawId === 'string' ? rawId.trim() : undefined;
        if (id !== undefined && isUriFast(id)) {
          if (emitted.includes(id)) {
            log.record(rule('reference-deduplicated'), entryAt, null, `${id} is listed twice; alsoKnownAs is a set (DID Core §5.1.3)`, DID_CORE.alsoKnownAs);
            return;
          }
          emitted.push(id);
          if (entry !== id) {
            const type = isJsonObject(entry) ? readCode(new MemberIndex(entry).value('type')) : undefined;
            log.record(
              rule('alsoKnownAs-object-to-uri'),
              entryAt,
              pointer('alsoKnownAs', emitted.length - 1),
              `DID Core §5.1.3: each alsoKnownAs item "is a URI"; the object's id is kept` + (type === undefined ? '' : ` and its RelevanceType ${type} is preserved`),
              DID_CORE.alsoKnownAs,
            );
          }
        } else {
          log.record(
            rule('alsoKnownAs-non-uri-preserved'),
            entryAt,
            TO_PRESERVED,
            `${JSON.stringify(id ?? entry).slice(0, 100)} is not a URI (BID Zid, handle and domain ids have no scheme) and cannot be an alsoKnownAs item (DID Core §5.1.3); ${WHY_PRESERVED}`,
            DID_CORE.alsoKnownAs,
          );
        }
      });
    }
    if (emitted.length > 0) document.alsoKnownAs = emitted;
    if (detail) detail.alsoKnownAs = piece(akaMember.value, document.alsoKnownAs);
  }

  // --- services
  const serviceMember = m.get('service');
  if (serviceMember) {
    if (!Array.isArray(serviceMember.value)) {
      throw new InvalidDidDocumentError(`"service" must be a list of services, got ${kindOf(serviceMember.value)}`);
    }
    enforceLimit(serviceMember.value.length, limits, 'maxListEntries', `"${serviceMember.name}"`);
    const services: Service[] = [];
    const entries = serviceMember.value;
    const listAt = pointer(serviceMember.name);
    const drop = (from: string, why: string) =>
      log.record(rule('service-dropped'), from, null, `${why}; DID Core §5.4 requires a URI id, a type and URI endpoints, so the service is left out of the W3C document and ${WHY_PRESERVED}`, DID_CORE.services);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const from = `${listAt}/${i}`;
      if (!isJsonObject(entry)) {
        drop(from, `the service is ${kindOf(entry)}, not a map`);
        continue;
      }
      const s = new MemberIndex(entry);
      const to = `/service/${services.length}`;
      const rawType = s.value('type');
      const type = typeof rawType === 'string' ? rawType.trim() : Array.isArray(rawType) && rawType.every((t) => typeof t === 'string') ? (rawType as string[]).map((t) => t.trim()) : undefined;
      if (type === undefined || type.length === 0) {
        drop(from, 'the service has no type string');
        continue;
      }
      const endpointMember = s.get('serviceEndpoint');
      const rawEndpoint = endpointMember?.value;
      if (typeof rawEndpoint !== 'string') {
        drop(from, `serviceEndpoint is ${kindOf(rawEndpoint)}, not a string`);
        continue;
      }
      const decision = serviceEndpointFor(rawEndpoint, { protocol: s.value('protocol'), port: s.value('port') });
      if (decision.outcome === 'unusable') {
        drop(from, decision.why);
        continue;
      }
      const rawId = s.value('id');
      let id: string;
      if (typeof rawId === 'string' && rawId.trim() !== '') {
        id = absolute(rawId.trim());
        if (!isUriFast(id)) {
          drop(from, `the service id ${JSON.stringify(rawId.slice(0, 100))} is not a URI`);
          continue;
        }
        if (id !== rawId) log.record(rule(rawId.trim().startsWith('#') ? 'relative-id-absolutised' : 'value-trimmed'), `${from}/id`, `${to}/id`, `the service id is written as ${id}`, DID_CORE.services);
      } else {
        id = `${did}#service-${i + 1}`;
        log.record(rule('service-id-added'), from, `${to}/id`, `a service MUST have an id (DID Core §5.4); the service at position ${i + 1} gets #service-${i + 1}`, DID_CORE.services);
      }
      let usedTwice = false;
      for (let k = 0; k < services.length && !usedTwice; k++) usedTwice = services[k]!.id === id;
      if (usedTwice) {
        drop(from, `the service id ${id} is used twice`);
        continue;
      }
      if (decision.outcome !== 'kept') {
        log.record(rule(decision.outcome === 'built' ? 'service-endpoint-built' : 'service-endpoint-normalised'), `${from}/${endpointMember!.name}`, `${to}/serviceEndpoint`, `${decision.why} (DID Core §5.4: endpoints are RFC 3986 URIs in normal form)`, DID_CORE.services);
      } else if (decision.endpoint !== rawEndpoint) {
        log.record(rule('value-trimmed'), `${from}/${endpointMember!.name}`, `${to}/serviceEndpoint`, 'the endpoint had surrounding whitespace', DID_CORE.services);
      }
      const extras = s.others(SERVICE_MEMBERS_READ);
      if (extras.length > 0) {
        // One pass: the names as JSON strings, and whether any is a BID transport member.
        let names = '';
        let transport = false;
        for (let k = 0; k < extras.length; k++) {
          const name = extras[k]!.name;
          names += k === 0 ? jsonString(name) : `, ${jsonString(name)}`;
          if (!transport) transport = SERVICE_TRANSPORT_SET.has(name.trim());
        }
        log.record(
          rule('service-members-preserved'),
          from,
          TO_PRESERVED,
          'members ' + names + WHY_SERVICE_MEMBERS + (transport ? WHY_SERVICE_TRANSPORT : '') + WHY_SERVICE_PRESERVED,
          DID_CORE.services,
        );
      }
      services.push({ id, type, serviceEndpoint: decision.endpoint });
    }
    if (services.length > 0) document.service = services;
    if (detail) detail.service = piece(serviceMember.value, document.service);
  }

  // --- extension (BID-specific: recovery keys, ttl, delegateSign, attributes, acsns, credentials)
  let ttlSeconds: number | undefined;
  const extension = m.get('extension');
  if (extension) {
    if (detail) detail.extension = extension.value;
    log.record(rule('extension-preserved'), pointer(extension.name), TO_PRESERVED, WHY_EXTENSION, DID_CORE.extensibility);
    if (isJsonObject(extension.value)) {
      const ttl = new MemberIndex(extension.value).get('ttl');
      const seconds = ttl ? readCode(ttl.value) : undefined;
      if (ttl && seconds !== undefined) {
        ttlSeconds = seconds;
        metadata.ttl = String(seconds);
        log.record(rule('ttl-to-metadata'), pointer(extension.name, ttl.name), TO_METADATA.ttl, 'extension.ttl says how long resolvers may cache the document; it is resolution metadata, written as a string because DID Core metadata values are strings, maps, lists, booleans or null (§7.3), and it sets the cache TTL', DID_CORE.metadata);
      }
    }
  }

  // --- created, updated, proof → document metadata
  for (const name of ['created', 'updated'] as const) {
    const member = m.get(name);
    if (!member) continue;
    const normal = normaliseDatetime(member.value);
    if (normal !== undefined) {
      metadata[name] = normal;
      log.record(rule(`${name}-to-metadata`), pointer(member.name), TO_METADATA[name], WHY_DATETIME[name], DID_CORE.metadata);
    } else {
      log.record(rule(`${name}-unreadable`), pointer(member.name), TO_PRESERVED, `${JSON.stringify(member.value).slice(0, 60)} is not a datetime; ${WHY_PRESERVED}`, DID_CORE.metadata);
    }
    if (detail) detail[name] = piece(member.value, metadata[name]);
  }
  const proof = m.get('proof');
  if (proof) {
    const proofAt = pointer(proof.name);
    const clean = trimDeep(proof.value);
    if (isJsonObject(clean) && isMetadataValue(clean)) {
      metadata.proof = clean;
      if (!sameJsonText(clean, proof.value)) {
        log.record(rule('value-trimmed'), proofAt, TO_METADATA.proof, 'proof values had surrounding whitespace (as in BID §5.1 and §5.3 examples); the originals are preserved', DID_CORE.metadata);
      }
      log.record(
        rule('proof-to-metadata'),
        proofAt,
        TO_METADATA.proof,
        'the document proof is about the document, not part of it; moved to document metadata unverified: the bytes BID proofs sign are unconfirmed (domestic-methods.md §4.3), so didbridge never claims it verified',
        DID_CORE.metadata,
      );
    } else {
      log.record(rule('proof-preserved'), proofAt, TO_PRESERVED, `the proof is ${kindOf(proof.value)} with values DID Core metadata cannot hold (§7.3); ${WHY_PRESERVED}`, DID_CORE.metadata);
    }
    if (detail) detail.proof = piece(proof.value, metadata.proof);
  }

  // --- version, unknown members
  const version = m.get('version');
  if (version) {
    if (detail) detail.version = version.value;
    log.record(rule('version-preserved'), pointer(version.name), TO_PRESERVED, `"version" ${typeof version.value === 'string' ? jsonString(version.value) : JSON.stringify(version.value)} is the BID document-format version, the same for every document, not a versionId of this DID; ${WHY_PRESERVED}`, DID_CORE.metadata);
  }
  const unknown: JsonObject = {};
  for (const member of m.others(KNOWN_MEMBERS)) {
    if (detail) unknown[member.name] = member.value;
    log.record(rule('unknown-member-preserved'), pointer(member.name), TO_PRESERVED, `${JSON.stringify(member.name)} is neither a DID Core nor a BID member (or duplicates one); ${WHY_PRESERVED}`, DID_CORE.extensibility);
  }
  if (detail) detail.members = unknown;

  // --- @context: DID v1 first, then what the key types need, then any other context the document had
  const contextMember = m.get('@context') ?? m.get('context');
  const original = contextMember?.value;
  const originalList = original === undefined ? [] : Array.isArray(original) ? original : [original];
  const context: Array<string | JsonObject> = [DID_CORE_CONTEXT_V1];
  // The contexts the key types need, in name order (almost always one).
  if (contexts.size === 1) for (const c of contexts) context.push(c);
  else if (contexts.size > 1) for (const c of [...contexts].sort()) context.push(c);
  // Then any other context the document named, trimmed, once each (DID v1 and its predecessors are in front).
  for (let i = 0; i < originalList.length; i++) {
    const c = originalList[i];
    let value: string | JsonObject;
    if (typeof c === 'string') {
      value = c.trim();
      if (value === DID_CORE_CONTEXT_V1 || LEGACY_DID_CONTEXTS.includes(value)) continue;
    } else if (isJsonObject(c)) value = c;
    else continue;
    if (!context.includes(value)) context.push(value);
  }
  const emittedContext = context;
  if (contextMember && contextMember.name.trim() === 'context') {
    log.record(rule('context-to-@context'), pointer(contextMember.name), '/@context', 'the JSON-LD representation MUST include @context (DID Core §6.3.1); "context" without "@" is not JSON-LD', DID_CORE.context);
  } else if (!contextMember) {
    log.record(rule('context-added'), null, '/@context', 'the JSON-LD representation MUST include @context, DID v1 first (DID Core §6.3.1)', DID_CORE.context);
  }
  if (contextMember && !sameJsonText(trimDeep(original as JsonValue), emittedContext)) {
    const legacy = originalList.filter((c) => typeof c === 'string' && LEGACY_DID_CONTEXTS.includes(c.trim()));
    log.record(
      rule('context-normalised'),
      pointer(contextMember.name),
      '/@context',
      'DID v1 first (DID Core §6.3.1), then the contexts the verification-method types need' +
        (legacy.length > 0 ? `; the pre-DID-Core context ${legacy.join(', ')} is replaced by DID v1` : ''),
      DID_CORE.context,
    );
  }
  if (contextMember && detail) detail.context = piece(original as JsonValue, emittedContext);

  const ordered = inDidCoreOrder(emittedContext, document);
  // The fast mode preserves the native document itself (a renderer translates it again in the detailed mode), plus
  // what the result depended on besides it: the permission for an id of another method.
  const preserved = detail ?? preserveNativeDocument(method, BIF_SHAPE, native, didMethod === method ? undefined : { foreignIds: true });
  metadata[PRESERVED_METADATA_MEMBER] = preservedToMetadata(preserved);
  // The adapters' translate returns exactly these members; translateBifDocument adds what resolution reads.
  if (!full) return { didDocument: ordered, didDocumentMetadata: metadata, changes: log.changes, preserved };
  const translation: Translation & { ttlSeconds?: number; native?: JsonObject } = { didDocument: ordered, didDocumentMetadata: metadata, changes: log.changes, preserved };
  if (ttlSeconds !== undefined) translation.ttlSeconds = ttlSeconds;
  translation.native = native;
  return translation;
}

/**
 * Runs a translation and re-throws anything that is not a DidBridgeError as INVALID_DID_DOCUMENT: whatever a native
 * document contains, bad input never escapes as an untyped error (callers check their own arguments first).
 */
export function typedTranslation<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    return rethrowTyped(err);
  }
}

/** Re-throws a DidBridgeError as it is and anything else as INVALID_DID_DOCUMENT (see {@link typedTranslation}). */
function rethrowTyped(err: unknown): never {
  if (err instanceof DidBridgeError) throw err;
  throw new InvalidDidDocumentError(`translation failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
