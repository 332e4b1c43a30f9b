/**
 * Reverse translation: a W3C DID document back into a did:ccp / did:ctid native document.
 *
 * With preserved data from the translation (`didDocumentMetadata.didbridgePreserved`, see `preserved.ts`), each
 * native member comes back as it was while its W3C counterpart is unchanged, so an untouched translation restores
 * the native document exactly; members whose counterpart was edited are rendered from the W3C document. The
 * preserved data carries the native document; which counterparts are unchanged is found by translating it again in
 * the detailed mode (translations are deterministic) and comparing the fingerprints that mode computes with the W3C
 * document. A carried document that does not translate (the metadata is not to be trusted) counts as no preserved
 * data. Without preserved data (a document that never was native) everything is rendered:
 *
 * - keys the native shape can carry (any key with bytes: Multikey, EC/OKP JWK, legacy hex) become `publicKeyHex`
 *   entries (EC points uncompressed, as both methods write them) under `publicKey` (did:ccp) or embedded in
 *   `authentication` (did:ctid), with the method's type name;
 * - what the shape cannot carry (keys without bytes such as `blockchainAccountId`, RSA JWKs, keys of did:ctid that
 *   `authentication` does not list, relationships other than `authentication`) stays under its DID Core name, which
 *   the translator reads back, so W3C → native → W3C keeps every key and relationship;
 * - `assertionMethod` is left out when it lists exactly the document's own authentication keys, because translation
 *   adds exactly that;
 * - metadata goes back into the document (`created`, `updated`/`update`, `version`/`versionId`, `proof`).
 *
 * @see ./translate.ts for the forward rules
 */
import type { ChangeRecord, DIDDocument, DIDDocumentMetadata, JsonObject, JsonValue, VerificationMethod } from '../../../src/spec.js';
import { VERIFICATION_RELATIONSHIPS } from '../../../src/spec.js';
import { ChangeLog, DID_CORE, metadataPointer, pointer } from '../../../src/translation.js';
import { isJsonObject } from './json.js';
import { nativeKeyHex, publicKeyOf } from './key-material.js';
import { preservedFrom, PRESERVED_METADATA_MEMBER, type PreservedDocument } from './preserved.js';
import { counterpartFingerprints, keySectionMembers, translateLegacyDocumentDetailed, type LegacyProfile } from './translate.js';

/** The result of {@link renderLegacyDocument}. */
export interface LegacyRendering {
  document: JsonObject;
  changes: ChangeRecord[];
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Renders the key section (verification methods and relationships) into native members. */
function renderKeySection(doc: DIDDocument, profile: LegacyProfile, log: ChangeLog): Record<string, JsonValue> {
  const rule = (what: string) => `${profile.shape}.${what}`;
  const did = doc.id;
  const methods: VerificationMethod[] = [...(Array.isArray(doc.verificationMethod) ? doc.verificationMethod : [])];
  const byId = new Map(methods.map((m) => [m.id, m]));
  const refsOf = (rel: (typeof VERIFICATION_RELATIONSHIPS)[number]): string[] => {
    const entries = Array.isArray(doc[rel]) ? doc[rel]! : [];
    return entries.flatMap((e) => {
      if (typeof e === 'string') return [e];
      if (isJsonObject(e) && typeof e.id === 'string') {
        if (!byId.has(e.id)) {
          methods.push(e);
          byId.set(e.id, e);
        }
        return [e.id];
      }
      return [];
    });
  };
  const refs = Object.fromEntries(VERIFICATION_RELATIONSHIPS.map((rel) => [rel, refsOf(rel)])) as Record<(typeof VERIFICATION_RELATIONSHIPS)[number], string[]>;

  const nativeKey = (vm: VerificationMethod): JsonObject | undefined => {
    const key = publicKeyOf(vm);
    if (!key) return undefined;
    const out: JsonObject = { id: vm.id, type: profile.renderTypeNames[key.type] ?? 'Multikey' };
    if (vm.controller !== did && typeof vm.controller === 'string') out.controller = vm.controller;
    if (profile.keyExpiryMember !== undefined) out[profile.keyExpiryMember] = typeof vm.expires === 'string' ? vm.expires : '';
    out.publicKeyHex = nativeKeyHex(key);
    return out;
  };

  const section: Record<string, JsonValue> = {};
  const passThrough: VerificationMethod[] = [];
  if (profile.renderKeysInto === 'publicKey') {
    const keys: JsonObject[] = [];
    methods.forEach((vm, i) => {
      const key = nativeKey(vm);
      if (key) {
        keys.push(key);
        log.record(rule('verificationMethod-to-publicKey'), pointer('verificationMethod', i), pointer('publicKey', keys.length - 1), `did:${profile.method} lists keys under publicKey with publicKeyHex`, DID_CORE.verificationMethods);
      } else {
        passThrough.push(clone(vm));
      }
    });
    if (keys.length > 0) section.publicKey = keys;
    if (refs.authentication.length > 0) section.authentication = refs.authentication;
  } else {
    const embedded: JsonValue[] = [];
    const embeddedIds = new Set<string>();
    refs.authentication.forEach((ref, i) => {
      const vm = byId.get(ref);
      const key = vm ? nativeKey(vm) : undefined;
      if (key && !embeddedIds.has(ref)) {
        embedded.push(key);
        embeddedIds.add(ref);
        log.record(rule('key-embedded-in-authentication'), pointer('authentication', i), pointer('authentication', embedded.length - 1), `did:${profile.method} embeds its keys in authentication`, DID_CORE.relationships);
      } else {
        embedded.push(ref);
      }
    });
    if (embedded.length > 0) section.authentication = embedded;
    for (const vm of methods) if (!embeddedIds.has(vm.id)) passThrough.push(clone(vm));
  }
  if (passThrough.length > 0) {
    section.verificationMethod = passThrough as unknown as JsonValue;
    log.record(rule('verificationMethod-kept'), pointer('verificationMethod'), pointer('verificationMethod'), `${passThrough.length} verification method(s) the did:${profile.method} key list cannot carry stay under their DID Core name`, DID_CORE.verificationMethods);
  }
  const ownAuthentication = refs.authentication.filter((r) => r.startsWith(`${did}#`));
  for (const rel of VERIFICATION_RELATIONSHIPS) {
    if (rel === 'authentication' || refs[rel].length === 0) continue;
    if (rel === 'assertionMethod' && refs[rel].length === ownAuthentication.length && refs[rel].every((r, i) => r === ownAuthentication[i])) {
      log.record(rule('assertionMethod-implied'), pointer('assertionMethod'), null, `assertionMethod lists exactly the authentication keys, which translation into DID Core adds again`, DID_CORE.relationships);
      continue;
    }
    section[rel] = refs[rel];
  }
  return section;
}

/** Renders the members of a W3C document (and its metadata) in the native shape, without preserved data. */
function renderFresh(doc: DIDDocument, metadata: DIDDocumentMetadata, profile: LegacyProfile, log: ChangeLog): Record<string, JsonValue> {
  const rule = (what: string) => `${profile.shape}.${what}`;
  const out: Record<string, JsonValue> = {};
  if (doc['@context'] !== undefined) out['@context'] = clone(doc['@context']) as JsonValue;
  out.id = doc.id;
  if (doc.controller !== undefined) out.controller = clone(doc.controller);
  if (doc.alsoKnownAs !== undefined) out.alsoKnownAs = clone(doc.alsoKnownAs);
  const names = profile.renderMetadata;
  if (typeof metadata.versionId === 'string') {
    out[names.versionId] = names.versionIdAsNumber && /^[1-9]\d{0,14}$/.test(metadata.versionId) ? Number(metadata.versionId) : metadata.versionId;
    log.record(rule('metadata-to-member'), metadataPointer('versionId'), pointer(names.versionId), `did:${profile.method} keeps the version in the document`, DID_CORE.metadata);
  }
  for (const property of ['created', 'updated'] as const) {
    if (typeof metadata[property] !== 'string') continue;
    out[names[property]] = metadata[property]!;
    log.record(rule('metadata-to-member'), metadataPointer(property), pointer(names[property]), `did:${profile.method} keeps ${property} in the document`, DID_CORE.metadata);
  }
  Object.assign(out, renderKeySection(doc, profile, log));
  if (Array.isArray(doc.service)) out.service = clone(doc.service) as JsonValue;
  if (metadata.proof !== undefined) {
    out.proof = clone(metadata.proof) as JsonValue;
    log.record(rule('metadata-to-member'), metadataPointer('proof'), '/proof', `did:${profile.method} keeps the proof in the document`, DID_CORE.metadata);
  }
  if (metadata.deactivated === true && profile.deactivationMember !== undefined) {
    out[profile.deactivationMember] = typeof metadata.updated === 'string' ? metadata.updated : true;
    log.record(rule('metadata-to-member'), metadataPointer('deactivated'), pointer(profile.deactivationMember), `did:${profile.method} marks a deactivated DID with ${profile.deactivationMember}`, DID_CORE.metadata);
  }
  const ordered: Record<string, JsonValue> = {};
  for (const name of profile.renderOrder) if (out[name] !== undefined) ordered[name] = out[name]!;
  for (const [name, value] of Object.entries(out)) if (!(name in ordered)) ordered[name] = value;
  return ordered;
}

/** Options of {@link renderLegacyDocument}. */
export interface LegacyRenderOptions {
  /**
   * `maxEntries` of the translation that made the preserved data (see `LegacyTranslateOptions`): the carried
   * document is translated again under the same limit. Default `LEGACY_DEFAULTS.maxEntries`.
   */
  maxEntries?: number;
}

/**
 * The piece-by-piece preserved structure for `meta`: the carried native document translated again in the detailed
 * mode, or the earlier piece-by-piece form as stored. Undefined when there is no usable preserved data, including a
 * carried document the translation refuses (the metadata may come from anywhere).
 */
function preservedPieces(meta: DIDDocumentMetadata, profile: LegacyProfile, options: LegacyRenderOptions): PreservedDocument | undefined {
  const preserved = preservedFrom(meta, profile.method, profile.shape);
  if (preserved === undefined || preserved.pieces !== undefined) return preserved?.pieces;
  try {
    return translateLegacyDocumentDetailed(preserved.carried, profile, { maxEntries: options.maxEntries }).preserved;
  } catch {
    return undefined;
  }
}

/**
 * Renders a W3C document as a native document of the profile's shape (see the module comment).
 *
 * @param doc the W3C document
 * @param metadata its document metadata (where `didbridgePreserved` and `created`/`updated`/`versionId`/`proof` are read)
 * @param options see {@link LegacyRenderOptions}
 */
export function renderLegacyDocument(
  doc: DIDDocument,
  metadata: DIDDocumentMetadata | undefined,
  profile: LegacyProfile,
  options: LegacyRenderOptions = {},
): LegacyRendering {
  if (!isJsonObject(doc) || typeof doc.id !== 'string') throw new TypeError('"document" must be a DID document with a string id');
  const meta: DIDDocumentMetadata = isJsonObject(metadata) ? metadata : {};
  const log = new ChangeLog();
  const rule = (what: string) => `${profile.shape}.${what}`;
  const fresh = renderFresh(doc, meta, profile, log);
  const preserved = preservedPieces(meta, profile, options);
  if (!preserved) return { document: fresh, changes: log.changes };

  // Restoring: the fresh rendering's records describe a rendering that is only partly used; keep only ours.
  const restoreLog = new ChangeLog();
  const keyMembers = keySectionMembers(profile);
  const fingerprintOf = counterpartFingerprints(doc, meta, profile);
  const unchanged = (name: string) => preserved.members[name]!.translated === fingerprintOf(name);
  const keySectionChanged = preserved.order.some((name) => keyMembers.includes(name) && !unchanged(name));
  const out: Record<string, JsonValue> = {};
  const covered = new Set<string>();
  for (const name of preserved.order) {
    const member = preserved.members[name]!;
    const inKeySection = keyMembers.includes(name);
    if (inKeySection && keySectionChanged) {
      if (covered.has('#keys')) continue;
      covered.add('#keys');
      for (const keyName of keyMembers) {
        covered.add(keyName);
        if (fresh[keyName] !== undefined) out[keyName] = fresh[keyName]!;
      }
      restoreLog.record(rule('keys-rendered'), null, pointer(name), 'the verification methods or relationships differ from what translation produced, so the native keys are rendered from the W3C document', DID_CORE.verificationMethods);
      continue;
    }
    covered.add(name);
    if (unchanged(name)) {
      out[name] = member.original;
      continue;
    }
    const renderedName = name === 'context' ? '@context' : name;
    const rendered = Object.hasOwn(profile.metadataMembers, name)
      ? fresh[profile.renderMetadata[profile.metadataMembers[name]!]]
      : fresh[renderedName];
    if (rendered !== undefined) {
      out[name] = rendered;
      restoreLog.record(rule('member-rendered'), null, pointer(name), `"${name}" differs from what translation produced, so it is rendered from the W3C document`, DID_CORE.extensibility);
    } else {
      restoreLog.record(rule('member-removed'), null, null, `"${name}" has no counterpart left in the W3C document`, DID_CORE.extensibility);
    }
  }
  // W3C content no native member stood for (a service added to a document that had none, ...).
  for (const [name, value] of Object.entries(fresh)) {
    const metadataMember = Object.entries(profile.renderMetadata).find(([, native]) => native === name);
    const alreadyCovered =
      covered.has(name) ||
      // What translation always adds (the DID of a Base DID Document, the DID v1 context): restoring leaves it out again.
      name === 'id' ||
      name === '@context' ||
      (name === '@context' && covered.has('context')) ||
      (keyMembers.includes(name) && covered.has('#keys')) ||
      (metadataMember !== undefined && preserved.order.some((n) => Object.hasOwn(profile.metadataMembers, n) && profile.metadataMembers[n] === metadataMember[0]));
    if (alreadyCovered || (keyMembers.includes(name) && !keySectionChanged && preserved.order.some((n) => keyMembers.includes(n)))) continue;
    out[name] = value;
    restoreLog.record(rule('member-added'), null, pointer(name), `the W3C document has content for "${name}" that the native document did not have`, DID_CORE.extensibility);
  }
  restoreLog.record(rule('restored'), metadataPointer(PRESERVED_METADATA_MEMBER), '', 'native members whose W3C counterpart is unchanged are restored from didbridgePreserved', DID_CORE.extensibility);
  return { document: out, changes: restoreLog.changes };
}
