/**
 * Reverse translation: any resolved W3C DID document (did:key, did:web, did:ethr, …) rendered in the BID document
 * shape, with BID's key encodings (domestic-methods.md §4.2-4.3).
 *
 * | W3C | BID shape |
 * |---|---|
 * | `@context` | `["https://www.w3.org/ns/did/v1"]` (did:cndid: `context`, without `@`) |
 * | `verificationMethod[]` (and keys embedded in relationships) | `publicKey[] {id, type, controller, publicKeyHex}`: type `Ed25519` / `SM2` / `SECP256K1`, `publicKeyHex` BIF-encoded (`b06566…`, `b07a66 04…`, `b07366 04…`) |
 * | X25519, P-256, P-384, RSA keys; methods without key material (`blockchainAccountId`) | left out, with a change record: BID has no key type for them |
 * | `authentication` ∪ `capabilityInvocation` | `authentication` key-id references (BID's one relationship means control, §4) |
 * | `assertionMethod`, `keyAgreement`, `capabilityDelegation` | no BID counterpart; their keys stay in `publicKey`, and a change record lists what is not carried |
 * | `alsoKnownAs` URIs | objects `{id, type}` with RelevanceType 101 (did:bid), 102 (other DID) or 103 (any other URI, the domain type) |
 * | `service[]` with string endpoints | `service[] {id, type, serviceEndpoint}` |
 * | document metadata `created`, `updated`, `proof` | `created`, `updated`, `proof` |
 * | `didbridgePreserved` (from a BID or cndid translation) | `version`, `extension`, non-URI `alsoKnownAs`, original key encodings and declared types, whitespace quirks, unknown members, member order |
 *
 * Preserved originals are used piece by piece, and only while the W3C document still carries exactly what the
 * translation produced for that piece (see `preserved.ts`): a BID document translated to W3C and rendered back is
 * restored exactly, while a W3C document edited in between is rendered from its own content. The translation
 * preserves the native document itself; the renderer translates it again in the detailed mode
 * (`translateBifDocumentDetailed`) to get the pieces and the fingerprints of what they were translated into, and
 * compares those with the W3C document. Preserved data of the earlier piece-by-piece form (fingerprints stored by
 * the translation) is read as it is.
 *
 * @see https://www.w3.org/TR/did-core/
 */
import type { DocumentRenderer } from '../../src/adapter.js';
import { InvalidDidDocumentError } from '../../src/errors.js';
import { encodeHex, encodeBifPublicKey, type BifKeyType } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import type { PublicKey } from '../../src/keys/multikey.js';
import {
  DID_CORE_CONTEXT_V1,
  VERIFICATION_RELATIONSHIPS,
  type ChangeRecord,
  type DIDDocument,
  type DIDDocumentMetadata,
  type JsonObject,
  type JsonValue,
} from '../../src/spec.js';
import { isDidUrl } from '../../src/syntax/did-url.js';
import { ChangeLog, metadataPointer, pointer } from '../../src/translation.js';
import { isUri } from '../../src/util/uri.js';
import type { BifMethod } from './identifier.js';
import { readKeyMaterial } from './key-material.js';
import { checkTranslationLimits, type TranslationLimits } from './limits.js';
import { MemberIndex, isJsonObject, kindOf } from './members.js';
import { PRESERVED_METADATA_MEMBER, isPiece, preservedFromMetadata, unchanged } from './preserved.js';
import { carriedNativeDocument } from '../../src/preserved.js';
import { BIF_SHAPE, translateBifDocumentDetailed } from './translate.js';

/** BID key-type names written in `publicKey[].type`, per key type (§4.3; the renderer's choice of spelling). */
export const BID_KEY_TYPE_NAMES: Readonly<Record<BifKeyType, string>> = { Ed25519: 'Ed25519', SM2: 'SM2', secp256k1: 'SECP256K1' };

/** BID alsoKnownAs RelevanceType codes (§4.3). */
export const BID_RELEVANCE_TYPES = { bid: 101, did: 102, domain: 103, zid: 104, handle: 105 } as const;

/** The member order of a BID document as the specification's examples write it. */
const BID_MEMBER_ORDER = ['@context', 'version', 'id', 'publicKey', 'authentication', 'alsoKnownAs', 'extension', 'service', 'created', 'updated', 'proof'];

/** The RelevanceType of a URI in alsoKnownAs. */
export function relevanceTypeOf(uri: string): number {
  if (uri.startsWith('did:bid:')) return BID_RELEVANCE_TYPES.bid;
  if (uri.startsWith('did:')) return BID_RELEVANCE_TYPES.did;
  return BID_RELEVANCE_TYPES.domain;
}

/** The BID form of a key: raw Ed25519 key, or the uncompressed point for EC keys, behind the BIF header. */
function bifKeyHex(key: PublicKey): { type: string; publicKeyHex: string } | undefined {
  if (key.type !== 'Ed25519' && key.type !== 'SM2' && key.type !== 'secp256k1') return undefined;
  const raw = key.type === 'Ed25519' ? key.bytes : decompressPoint(key.type, key.bytes);
  return { type: BID_KEY_TYPE_NAMES[key.type], publicKeyHex: encodeHex(encodeBifPublicKey({ keyType: key.type, publicKey: raw })) };
}

/** Options of {@link createBifRenderer}. */
export interface BifRendererOptions {
  /** `bid` (default) writes `@context`; `cndid` writes `context`, as the did:cndid driver does (§5). */
  method?: BifMethod;
  /**
   * Bounds on the lists of a carried native document that the renderer translates again (defaults in `limits.ts`);
   * an adapter passes its own, so that what it translated renders back. A carried document beyond them counts as no
   * preserved data.
   */
  limits?: TranslationLimits;
}

/**
 * Creates a renderer of W3C documents in the BIF document shape (`shape` is the method name).
 * @throws TypeError for an unknown `method`
 * @example
 * const { document, changes } = createBifRenderer().render(didKeyDocument)
 */
export function createBifRenderer(options: BifRendererOptions = {}): DocumentRenderer {
  const method = options.method ?? 'bid';
  if (method !== 'bid' && method !== 'cndid') throw new TypeError('"method" must be "bid" or "cndid"');
  const limits = checkTranslationLimits(options.limits);
  return {
    shape: method,
    render(document: DIDDocument, metadata?: DIDDocumentMetadata) {
      return renderBif(document, metadata ?? {}, method, limits);
    },
  };
}

/** The did:bid renderer (`shape: "bid"`). */
export const bidRenderer: DocumentRenderer = createBifRenderer({ method: 'bid' });

/**
 * The piece-by-piece preserved data a rendering works from. Data that carries the native document (what translations
 * preserve now) is translated again in the detailed mode, which yields the pieces with the fingerprints of what the
 * translation made of them (translations are deterministic, so they are those of the W3C document as it was
 * translated); data of the earlier form already is that structure. Undefined, as for malformed data, when the
 * carried document does not translate (metadata is untrusted: it may carry anything).
 */
function preservedPieces(data: JsonObject, limits: Required<TranslationLimits>): JsonObject | undefined {
  const carried = carriedNativeDocument(data);
  if (carried === undefined) return 'document' in data ? undefined : data;
  const method = data.method;
  if (method !== 'bid' && method !== 'cndid') return undefined;
  try {
    return translateBifDocumentDetailed(carried.document, { method, foreignIds: carried.inputs.foreignIds === true, limits }).preserved;
  } catch {
    return undefined;
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function renderBif(doc: DIDDocument, metadata: DIDDocumentMetadata, method: BifMethod, limits: Required<TranslationLimits>): { document: JsonValue; changes: ChangeRecord[] } {
  if (!isJsonObject(doc) || typeof doc.id !== 'string') {
    throw new InvalidDidDocumentError(`a DID document with an "id" string is required, got ${kindOf(doc)}`);
  }
  const did = doc.id;
  const log = new ChangeLog();
  const rule = (what: string) => `${method}.render.${what}`;
  const absolute = (ref: string) => (ref.startsWith('#') ? did + ref : ref);

  // Preserved data applies to the document it was made from, by the method it was made for.
  const data = preservedFromMetadata(metadata, BIF_SHAPE);
  let preserved = data === undefined ? undefined : preservedPieces(data, limits);
  if (preserved) {
    if (preserved.did !== did || preserved.method !== method) {
      log.record(rule('preserved-ignored'), metadataPointer(PRESERVED_METADATA_MEMBER), null, `the preserved data was made for the did:${String(preserved.method)} document ${String(preserved.did)}, not for this ${method} rendering of ${did}`);
      preserved = undefined;
    }
  }
  const P = preserved;
  const out: JsonObject = {};

  // --- @context / context, version, id
  const contextName = method === 'cndid' ? 'context' : '@context';
  const originalOrder = P && Array.isArray(P.order) ? (P.order as JsonValue[]).filter((n): n is string => typeof n === 'string') : undefined;
  const hadMember = (name: string) => originalOrder === undefined || originalOrder.some((n) => n.trim() === name || (name === contextName && (n.trim() === '@context' || n.trim() === 'context')));
  if (P && unchanged(P.context, doc['@context'])) out[contextName] = (P.context as JsonObject).original!;
  else if (hadMember(contextName)) {
    out[contextName] = [DID_CORE_CONTEXT_V1];
    const extra = asList(doc['@context']).filter((c) => c !== DID_CORE_CONTEXT_V1);
    if (extra.length > 0) {
      log.record(rule('context-reduced'), '/@context', pointer(contextName), `a BID document names only the DID v1 context (§4); ${extra.map((c) => JSON.stringify(c)).join(', ')} described W3C verification-method types that the BID shape does not use`);
    }
  }
  if (P && 'version' in P) out.version = P.version!;
  else if (!P) {
    out.version = '1.0.0';
    log.record(rule('version-added'), null, '/version', 'every BID document carries the document-format version "1.0.0" (§4)');
  }
  out.id = P && unchanged(P.id, did) ? (P.id as JsonObject).original! : did;

  // --- keys
  const publicKey: JsonValue[] = [];
  const keyIds = new Set<string>();
  const leftOut = new Set<string>();
  const keyPieces = P && Array.isArray(P.keys) ? (P.keys as JsonValue[]).filter(isPiece) : [];
  const embeddedIds = new Set<string>();
  const candidates: Array<{ vm: JsonObject; at: string; embeddedIn?: string }> = [];
  asList(doc.verificationMethod).forEach((vm, i) => {
    if (isJsonObject(vm)) candidates.push({ vm, at: pointer('verificationMethod', i) });
  });
  for (const rel of VERIFICATION_RELATIONSHIPS) {
    asList(doc[rel]).forEach((entry, i) => {
      if (isJsonObject(entry)) candidates.push({ vm: entry, at: pointer(rel, i), embeddedIn: rel });
    });
  }
  const pendingKeys: Array<{ id: string; value: JsonValue; embedded: boolean }> = [];
  for (const { vm, at, embeddedIn } of candidates) {
    const rawId = typeof vm.id === 'string' ? vm.id : undefined;
    if (rawId === undefined || !isDidUrl(absolute(rawId))) {
      log.record(rule('key-not-representable'), at, null, 'the verification method has no DID URL id, so no BID key id can name it');
      continue;
    }
    const id = absolute(rawId);
    if (keyIds.has(id) || leftOut.has(id)) continue;
    const restored = keyPieces.find((k) => k.id === id && unchanged(k, vm));
    if (restored) {
      keyIds.add(id);
      if (restored.embedded === true) embeddedIds.add(id);
      pendingKeys.push({ id, value: restored.original, embedded: restored.embedded === true });
      continue;
    }
    let encoded: { type: string; publicKeyHex: string } | undefined;
    let why = '';
    try {
      const type = typeof vm.type === 'string' ? vm.type : undefined;
      const material = readKeyMaterial(new MemberIndex(vm), { method: 'bid', declaredType: type, label: id });
      if (material.kind === 'rsa') why = 'it is an RSA key';
      else {
        encoded = bifKeyHex(material.key);
        if (!encoded) why = `it is a ${material.key.type} key`;
      }
    } catch (err) {
      why = `its key cannot be read (${(err as Error).message})`;
    }
    if (!encoded) {
      leftOut.add(id);
      log.record(rule('key-not-representable'), at, null, `${id} is left out: ${why}, and BID key types are Ed25519, SM2 and secp256k1 only (§4.1)`);
      continue;
    }
    keyIds.add(id);
    const controller = typeof vm.controller === 'string' ? absolute(vm.controller) : did;
    pendingKeys.push({ id, value: { id, type: encoded.type, controller, publicKeyHex: encoded.publicKeyHex }, embedded: false });
    log.record(rule('key-to-publicKey'), at, pointer('publicKey', pendingKeys.length - 1), `${String(vm.type)} key written as BID type ${encoded.type} with a BIF-encoded publicKeyHex (B0 ‖ type tag ‖ "f" ‖ key, §4.2)`);
    if (embeddedIn) log.record(rule('embedded-key-listed'), at, pointer('publicKey', pendingKeys.length - 1), `BID relationships hold key ids only; the key embedded in ${embeddedIn} is listed under publicKey`);
    if (rawId !== id) log.record(rule('relative-id-absolutised'), `${at}/id`, pointer('publicKey', pendingKeys.length - 1, 'id'), `BID key ids are absolute DID URLs; ${rawId} is written ${id}`);
  }

  // --- authentication: W3C authentication ∪ capabilityInvocation
  const references = (rel: string): string[] =>
    asList(doc[rel]).flatMap((e) => {
      const ref = typeof e === 'string' ? e : isJsonObject(e) && typeof e.id === 'string' ? e.id : undefined;
      return ref === undefined ? [] : [absolute(ref)];
    });
  const authentication = references('authentication');
  const invocation = references('capabilityInvocation');
  const relPieces = P && isJsonObject(P.relationships) ? P.relationships : {};
  let authenticationRestored = false;
  if (P && unchanged(relPieces.authentication, doc.authentication) && invocation.every((r) => authentication.includes(r))) {
    out.authentication = (relPieces.authentication as JsonObject).original!;
    authenticationRestored = true;
  } else {
    const refs: string[] = [];
    for (const ref of [...authentication, ...invocation]) {
      if (refs.includes(ref)) continue;
      if (leftOut.has(ref)) {
        log.record(rule('reference-dropped'), '/authentication', null, `${ref} names a key the BID shape cannot carry`);
        continue;
      }
      refs.push(ref);
    }
    if (invocation.some((r) => !authentication.includes(r) && !leftOut.has(r))) {
      log.record(rule('capabilityInvocation-to-authentication'), '/capabilityInvocation', '/authentication', 'BID authentication keys "can control and manage the BID document" (§4), which is what capabilityInvocation expresses');
    }
    if (refs.length > 0 || hadMember('authentication')) out.authentication = refs;
  }
  // Embedded keys restored inside their original relationship are not listed again under publicKey.
  for (const key of pendingKeys) {
    if (key.embedded && authenticationRestored) continue;
    publicKey.push(key.value);
  }
  if (publicKey.length > 0 || hadMember('publicKey')) out.publicKey = publicKey;
  const carried = new Set(asList(out.authentication).filter((r): r is string => typeof r === 'string').map((r) => absolute(r.trim())));
  for (const rel of ['assertionMethod', 'keyAgreement', 'capabilityDelegation'] as const) {
    // Keys left out are recorded already. Only assertionMethod comes back from BID: the translation lists the
    // document's own authentication keys there, so those lose nothing; every other role is lost.
    const comesBack = (r: string) => rel === 'assertionMethod' && carried.has(r) && r.startsWith(`${did}#`);
    const lost = references(rel).filter((r) => !comesBack(r) && !leftOut.has(r));
    if (lost.length === 0) continue;
    log.record(
      rule('relationship-not-representable'),
      `/${rel}`,
      null,
      `BID has no ${rel}; the keys it names stay in publicKey but lose that role (${lost.join(', ')})`,
    );
  }

  // --- alsoKnownAs
  const akaPiece = P?.alsoKnownAs;
  if (P && unchanged(akaPiece, doc.alsoKnownAs)) out.alsoKnownAs = (akaPiece as JsonObject).original!;
  else if (doc.alsoKnownAs !== undefined || isPiece(akaPiece)) {
    const list: JsonValue[] = [];
    asList(doc.alsoKnownAs).forEach((uri, i) => {
      if (typeof uri !== 'string') return;
      const type = relevanceTypeOf(uri);
      list.push({ id: uri, type });
      log.record(rule('alsoKnownAs-to-object'), pointer('alsoKnownAs', i), pointer('alsoKnownAs', list.length - 1), `BID alsoKnownAs items are {id, type}; RelevanceType ${type} (${type === 101 ? 'BID' : type === 102 ? 'other DID' : 'domain, for any URI that is not a DID'})`);
    });
    if (isPiece(akaPiece) && Array.isArray(akaPiece.original)) {
      for (const entry of akaPiece.original) {
        const id = isJsonObject(entry) ? new MemberIndex(entry).value('id') : entry;
        if (typeof id === 'string' && isUri(id.trim())) continue;
        list.push(entry);
        log.record(rule('alsoKnownAs-restored'), metadataPointer(PRESERVED_METADATA_MEMBER), pointer('alsoKnownAs', list.length - 1), 'an alsoKnownAs entry that is not a URI was preserved by the translation and is restored');
      }
    }
    if (list.length > 0) out.alsoKnownAs = list;
  }

  // --- extension
  if (P && 'extension' in P) out.extension = P.extension!;
  else if (typeof metadata.ttl === 'string' && /^\d{1,9}$/.test(metadata.ttl)) {
    out.extension = { ttl: Number(metadata.ttl) };
    log.record(rule('ttl-to-extension'), metadataPointer('ttl'), '/extension/ttl', 'the ttl metadata is BID extension.ttl');
  } else if (!P) {
    log.record(rule('extension-absent'), null, null, 'the W3C document has no BID extension (recovery keys, ttl, attributes); none is invented');
  }

  // --- services
  const servicePiece = P?.service;
  if (P && unchanged(servicePiece, doc.service)) out.service = (servicePiece as JsonObject).original!;
  else if (doc.service !== undefined || isPiece(servicePiece)) {
    const services: JsonValue[] = [];
    asList(doc.service).forEach((s, i) => {
      const at = pointer('service', i);
      if (!isJsonObject(s) || typeof s.id !== 'string') return log.record(rule('service-not-representable'), at, null, 'the service has no id string');
      const type = Array.isArray(s.type) ? s.type[0] : s.type;
      if (typeof type !== 'string') return log.record(rule('service-not-representable'), at, null, 'the service has no type string');
      if (Array.isArray(s.type) && s.type.length > 1) log.record(rule('service-type-reduced'), `${at}/type`, pointer('service', services.length, 'type'), `a BID service type is one string; ${JSON.stringify(s.type.slice(1))} are not carried`);
      if (typeof s.serviceEndpoint !== 'string') return log.record(rule('service-not-representable'), at, null, `a BID serviceEndpoint is one string, not ${kindOf(s.serviceEndpoint)}`);
      services.push({ id: absolute(s.id), type, serviceEndpoint: s.serviceEndpoint });
    });
    if (isPiece(servicePiece)) {
      log.record(rule('preserved-services-not-restored'), '/service', null, 'the services changed since translation, so the original BID services (and any the translation left out) are not restored');
    }
    if (services.length > 0) out.service = services;
  }

  // --- created, updated, proof (document metadata)
  for (const name of ['created', 'updated', 'proof'] as const) {
    const value = metadata[name];
    const saved = P?.[name];
    if (P && unchanged(saved, value) && (value !== undefined || hadMember(name))) {
      out[name] = (saved as JsonObject).original!;
    } else if (value !== undefined) {
      out[name] = value as JsonValue;
      log.record(rule(`${name}-from-metadata`), metadataPointer(name), pointer(name), `BID documents carry ${name} in the document (§4)`);
    }
  }

  // --- members the translation did not understand
  if (P && isJsonObject(P.members)) Object.assign(out, P.members);

  // --- member names and order as the original wrote them
  const names = P && isJsonObject(P.names) ? P.names : {};
  const renamed: JsonObject = {};
  for (const [key, value] of Object.entries(out)) {
    const original = names[key];
    renamed[typeof original === 'string' && original.trim() === key ? original : key] = value;
  }
  const ordered: JsonObject = {};
  for (const name of [...(originalOrder ?? []), ...BID_MEMBER_ORDER.map((n) => (n === '@context' ? contextName : n)), ...Object.keys(renamed)]) {
    if (name in renamed && !(name in ordered)) ordered[name] = renamed[name]!;
  }
  return { document: ordered, changes: log.changes };
}
