/**
 * Translation of did:vaa documents (CAICT, 2020; domestic-methods.md §9) into W3C DID Core, recording every change.
 *
 * | native | W3C | rule |
 * |---|---|---|
 * | `@context` `https://www.w3.org/2019/did/v1` (or `https://w3id.org/did/v1`) | DID v1 first, then the key types' contexts | `vaa.context-normalised` |
 * | top-level `controllor` (sic) | `controller` | `vaa.controllor-to-controller` |
 * | `publicKey[]` (the spec's create/read examples) | `verificationMethod[]` | `vaa.publicKey-to-verificationMethod` |
 * | `RsaVerificationKey2018` + `publicKeyPem` | `JsonWebKey` + an RSA `publicKeyJwk` (`kty`, `n`, `e`); EC or Ed25519 keys in PEM become `Multikey` | `vaa.key-type-to-JsonWebKey`, `vaa.publicKeyPem-to-publicKeyJwk` |
 * | no relationships at all | `authentication` and `assertionMethod` referencing every key | `vaa.authentication-added`, `vaa.assertionMethod-added` |
 * | `created`, `updated` (ISO, or the spec's compact `20200101235959`) | document metadata `YYYY-MM-DDTHH:MM:SSZ` | `vaa.created-to-metadata`, `vaa.updated-to-metadata` |
 * | `proof` (detached JWS, `RsaSignature2018`) | document metadata `proof`, unverified | `vaa.proof-to-metadata` |
 * | `revoked` (the spec's deletion marker) | `deactivated: true` | `vaa.revoked-to-deactivated` |
 * | members DID Core does not define | `didbridgePreserved` | `vaa.unknown-member-preserved` |
 *
 * Why the added relationships: a did:vaa identifier is the hash of the DID's public key (§9, "Hash the public key and
 * take the first 20 digits"), and the document proof is made with that key, so the key is the one that
 * authenticates as the DID and signs in its name. Without any relationship a DID Core consumer could use it for
 * nothing (DID Core §5.3); a document that lists relationships itself is taken as it is.
 *
 * The proof is never verified: it is a detached JWS (`PS256`) whose signing input (which serialisation of the
 * document) is not documented.
 *
 * What the W3C document has no place for (`controllor`, key members, unknown members, original encodings) stays in
 * `Translation.preserved` and `didbridgePreserved`, which carry the native document as the translation read it
 * (`preserveNativeDocument`, the rule of every adapter; see ../bid/preserved.ts), not a copy split into pieces.
 *
 * @see https://github.com/caict-develop-zhangbo/vaa-method (README, commit fe5920b)
 */
import type { Translation } from '../../src/adapter.js';
import { InvalidDidDocumentError } from '../../src/errors.js';
import { parseVaaIdentifier } from '../../src/keys/derive.js';
import { DID_CORE_CONTEXT_V1, type DIDDocument, type DIDDocumentMetadata, type JsonObject, type JsonWebKey, type JsonValue, type Service, type VerificationMethod } from '../../src/spec.js';
import { isDid, parseDid } from '../../src/syntax/did-url.js';
import { didUrlOrUndefined, isOwnPlainFragmentUrl } from '../bid/did-syntax.js';
import { ChangeLog, DID_CORE, inDidCoreOrder, metadataPointer, pointer } from '../../src/translation.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { lookupVerificationMethodType } from '../../src/keys/aliases.js';
import { MATERIAL_MEMBERS, readW3cKeyMaterial } from '../bid/key-material.js';
import { checkTranslationLimits, enforceLimit, type TranslationLimits } from '../bid/limits.js';
import { isMetadataValue, sameJsonText } from '../../src/util/json.js';
import { MemberIndex, isJsonObject, kindOf } from '../bid/members.js';
import { PRESERVED_METADATA_MEMBER, preservedToMetadata } from '../bid/preserved.js';
import { preserveNativeDocument } from '../../src/preserved.js';
import { isUriFast, serviceEndpointFor } from '../bid/services.js';
import { LEGACY_DID_CONTEXTS, typedTranslation } from '../bid/translate.js';

/** The shape name of did:vaa documents (the `shape` of their preserved data). */
export const VAA_SHAPE = 'vaa';

const KNOWN_MEMBERS = Object.freeze(['@context', 'id', 'controller', 'controllor', 'verificationMethod', 'publicKey', 'authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation', 'service', 'created', 'updated', 'proof', 'revoked'] as const);

/** Members of a verification method the translation reads (frozen: see MemberIndex.others). */
const KEY_MEMBERS_READ = Object.freeze(['id', 'type', 'controller', ...MATERIAL_MEMBERS]);

const WHY_PRESERVED = `kept in didDocumentMetadata.${PRESERVED_METADATA_MEMBER}`;

// Pointers and reasons that do not depend on the document, built once rather than in every translation.
const TO_PRESERVED = metadataPointer(PRESERVED_METADATA_MEMBER);
const TO_METADATA = { created: metadataPointer('created'), updated: metadataPointer('updated'), proof: metadataPointer('proof'), deactivated: metadataPointer('deactivated') } as const;
const WHY_DATETIME = {
  created: 'created is DID document metadata (DID Core §7.1.3), written YYYY-MM-DDTHH:MM:SSZ',
  updated: 'updated is DID document metadata (DID Core §7.1.3), written YYYY-MM-DDTHH:MM:SSZ',
} as const;

/** The verification relationships, in the order the translation reads them and DID Core lists them. */
const RELATIONSHIPS = ['authentication', 'assertionMethod', 'keyAgreement', 'capabilityInvocation', 'capabilityDelegation'] as const;

/** Options of {@link translateVaaDocument}. */
export interface VaaTranslateOptions {
  /** The DID being resolved: a document about another DID is refused (INVALID_DID_DOCUMENT). */
  expectedDid?: string;
  /** Bounds on the lists processed (defaults in `../bid/limits.ts`). */
  limits?: TranslationLimits;
}

/** A did:vaa translation plus what resolution needs. */
export interface VaaTranslation extends Translation {
  /** The native document (unwrapped from its envelope). */
  native: JsonObject;
  /** The document carries `revoked`: the DID is deactivated. */
  revoked: boolean;
}

/**
 * Reads a did:vaa datetime: ISO 8601 / XML Schema, or the compact `YYYYMMDDHHMMSS` of the specification's examples
 * (read as UTC, the only reading that does not depend on the resolver's time zone). Undefined when unreadable.
 */
export function readVaaDatetime(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') {
    const compact = /^\s*(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\s*$/.exec(value);
    // A bare digit string would otherwise be read as epoch seconds or milliseconds.
    if (compact) return normaliseDatetime(`${compact[1]}-${compact[2]}-${compact[3]}T${compact[4]}:${compact[5]}:${compact[6]}Z`);
  }
  return normaliseDatetime(value);
}

/**
 * Finds the did:vaa document in an input: the document itself, the spec's read envelope `{responseCode, id,
 * document}`, the driver's `{resCode, data}` (document or `{didDocument}`), or `{resCode, didDocument}` as the
 * Universal Resolver driver's code reads it.
 */
export function unwrapVaaDocument(input: unknown, depth = 0): JsonObject | undefined {
  if (!isJsonObject(input) || depth > 2) return undefined;
  const m = new MemberIndex(input, { ignoreCase: true });
  for (const name of ['document', 'didDocument', 'data']) {
    const inner = m.value(name);
    if (isJsonObject(inner)) {
      const found = unwrapVaaDocument(inner, depth + 1);
      if (found) return found;
    }
  }
  const id = m.value('id');
  return typeof id === 'string' && id.trim().startsWith('did:vaa:') && !m.get('document') ? input : undefined;
}

/** Whether `input` is (or wraps) a did:vaa document. Never throws. */
export function recogniseVaaDocument(input: unknown): boolean {
  try {
    // Every recognition asks every adapter: the common forms are decided without case-folded member indexes.
    const common = commonVaaForm(input);
    if (common !== undefined) return common !== null;
    return unwrapVaaDocument(input) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Translates a did:vaa document (or an envelope around one) into a DID Core document.
 * @throws InvalidDidDocumentError when there is no document, its id is not a valid did:vaa (or not the expected
 *   one), or a key cannot be read; FEATURE_NOT_SUPPORTED for well-formed keys of unsupported types
 */
export function translateVaaDocument(input: unknown, options: VaaTranslateOptions = {}): VaaTranslation {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return typedTranslation(() => translate(input, options, checkTranslationLimits(options.limits), true) as VaaTranslation);
}

/**
 * What the adapter's `translate` returns (internal): {@link translateVaaDocument}'s document, metadata, change record
 * and preserved data, for limits the adapter checked when it was created.
 * @throws as {@link translateVaaDocument}
 */
export function translateVaaForAdapter(input: unknown, limits: Required<TranslationLimits>): Translation {
  return typedTranslation(() => translate(input, {}, limits, false));
}

/**
 * What {@link unwrapVaaDocument} returns, decided without indexing members case-insensitively where that is simple:
 * `null` (none) for anything that is not an object; for an object with an `id` member written exactly so and no
 * member whose name could fold to `document`, `didDocument` or `data` (none starting with "d", "D", whitespace or a
 * non-ASCII character), the object itself when its id is a did:vaa DID, else `null`. Undefined means "not decided
 * here": the caller unwraps.
 */
export function commonVaaForm(input: unknown): JsonObject | null | undefined {
  if (!isJsonObject(input)) return null;
  if (!Object.hasOwn(input, 'id')) return undefined;
  for (const name of Object.keys(input)) {
    const first = name.charCodeAt(0);
    if (first === 0x64 /* d */ || first === 0x44 /* D */ || first <= 0x20 || first >= 0x7f) return undefined;
  }
  const id = input.id;
  return typeof id === 'string' && id.trim().startsWith('did:vaa:') ? input : null;
}

/** The translation; `full` returns a VaaTranslation (`native`, `revoked`), otherwise just the members of a Translation. */
function translate(input: unknown, options: VaaTranslateOptions, limits: Required<TranslationLimits>, full: boolean): Translation {
  const native = commonVaaForm(input) ?? unwrapVaaDocument(input);
  if (!native) throw new InvalidDidDocumentError(`no did:vaa document found (got ${kindOf(input)})`);
  const log = new ChangeLog();
  const rule = (what: string) => `vaa.${what}`;
  const m = new MemberIndex(native);
  const at = (name: string, ...rest: Array<string | number>) => pointer(m.get(name)?.name ?? name, ...rest);

  const rawId = m.value('id');
  if (typeof rawId !== 'string') throw new InvalidDidDocumentError('the did:vaa document has no "id" string');
  const did = rawId.trim();
  // A valid did:vaa identifier is a did:vaa DID, so the general DID checks run only to word a refusal.
  let notVaa: unknown;
  try {
    parseVaaIdentifier(did, { errorCode: 'INVALID_DID_DOCUMENT' });
  } catch (err) {
    notVaa = err;
  }
  if (notVaa !== undefined) {
    if (!isDid(did) || parseDid(did).method !== 'vaa') throw new InvalidDidDocumentError(`the document id ${JSON.stringify(did.slice(0, 80))} is not a did:vaa DID`);
    throw new InvalidDidDocumentError(`the document id is not a valid did:vaa identifier: ${(notVaa as Error).message}`, { cause: notVaa });
  }
  if (options.expectedDid !== undefined && did !== options.expectedDid) {
    throw new InvalidDidDocumentError(`the upstream answered with the document of ${did} when asked for ${options.expectedDid}`);
  }
  if (did !== rawId) log.record(rule('value-trimmed'), at('id'), '/id', 'the id had surrounding whitespace', DID_CORE.identifier);

  const document: DIDDocument = { id: did };
  const metadata: DIDDocumentMetadata = {};
  const contexts = new Set<string>();
  const absolute = (ref: string) => (ref.startsWith('#') ? did + ref : ref);

  // --- controller / controllor
  const controller = m.get('controller');
  const controllor = m.get('controllor');
  const readController = (value: JsonValue, from: string): string | string[] => {
    // The document's own DID (the usual controller) is a valid DID without surrounding whitespace.
    if (value === did) return did;
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((c) => typeof c === 'string' && isDid(c.trim()))) throw new InvalidDidDocumentError(`${from} must be a DID or a list of DIDs`);
    const out = list.map((c) => (c as string).trim());
    return Array.isArray(value) ? out : out[0]!;
  };
  if (controller) document.controller = readController(controller.value, pointer(controller.name));
  if (controllor) {
    if (!controller) {
      const controllorAt = pointer(controllor.name);
      document.controller = readController(controllor.value, controllorAt);
      log.record(rule('controllor-to-controller'), controllorAt, '/controller', '"controllor" is a misspelling of controller (DID Core §5.1.2); read as controller, the original kept for reverse translation', DID_CORE.controller);
    } else {
      log.record(rule('unknown-member-preserved'), pointer(controllor.name), TO_PRESERVED, `the document has both controller and the misspelled "controllor"; controller wins, "controllor" is ${WHY_PRESERVED}`, DID_CORE.controller);
    }
  }

  // --- verification methods
  const methods: VerificationMethod[] = [];
  for (const listName of ['verificationMethod', 'publicKey'] as const) {
    const list = m.get(listName);
    if (!list) continue;
    if (!Array.isArray(list.value)) throw new InvalidDidDocumentError(`"${listName}" must be a list, got ${kindOf(list.value)}`);
    enforceLimit(methods.length + list.value.length, limits, 'maxVerificationMethods', `"${list.name}"`);
    const first = methods.length;
    list.value.forEach((entry, i) => {
      const from = pointer(list.name, i);
      const to = pointer('verificationMethod', methods.length);
      if (!isJsonObject(entry)) throw new InvalidDidDocumentError(`${from}: a verification method must be an object`);
      const e = new MemberIndex(entry);
      const rawKeyId = e.value('id');
      if (typeof rawKeyId !== 'string') throw new InvalidDidDocumentError(`${from}: a verification method needs an "id" string`);
      const id = absolute(rawKeyId.trim());
      if (!isOwnPlainFragmentUrl(id, did) && didUrlOrUndefined(id)?.fragment === undefined) throw new InvalidDidDocumentError(`${from}: ${JSON.stringify(rawKeyId)} is not a DID URL with a fragment`);
      if (methods.some((vm) => vm.id === id)) throw new InvalidDidDocumentError(`${from}: the verification method id ${id} is used twice`);
      const rawType = e.value('type');
      const declaredType = typeof rawType === 'string' ? rawType.trim() : undefined;
      const { material, w3c } = readW3cKeyMaterial(e, { method: 'vaa', declaredType, label: `${from} (${id})` });
      contexts.add(w3c.context);
      let vmController = e.value('controller');
      if (vmController === undefined) {
        vmController = did;
        log.record(rule('controller-added'), from, `${to}/controller`, 'a verification method MUST have a controller (DID Core §5.2); the spec\'s create/read examples omit it, and only the document\'s DID can be meant', DID_CORE.verificationMethods);
      } else if (vmController !== did && (typeof vmController !== 'string' || !isDid(vmController.trim()))) {
        // (The document's own DID, the common controller, is a valid DID without surrounding whitespace: no check.)
        throw new InvalidDidDocumentError(`${from}: "controller" must be a DID`);
      }
      // Written per property: a computed member name in an object literal is defined at run time, member by member.
      const vmControllerText = vmController === did ? did : (vmController as string).trim();
      const vm: VerificationMethod =
        w3c.property === 'publicKeyMultibase'
          ? { id, type: w3c.type, controller: vmControllerText, publicKeyMultibase: w3c.value as string }
          : { id, type: w3c.type, controller: vmControllerText, publicKeyJwk: w3c.value as JsonWebKey };
      if (declaredType !== w3c.type) {
        const alias = declaredType === undefined ? undefined : lookupVerificationMethodType({ name: declaredType, method: 'vaa' });
        log.record(
          rule(`key-type-to-${w3c.type}`),
          `${from}/type`,
          `${to}/type`,
          `${declaredType === undefined ? 'no declared type' : `"${declaredType}" is ${alias ? `a ${alias.status} type` : 'not a registered type'}`}; ${w3c.type} (Controlled Identifiers 1.0) carries the key, here ${material.kind === 'rsa' ? 'RSA' : material.key.type} as read from the key itself`,
          DID_CORE.verificationMaterial,
        );
      }
      if ((material.kind === 'rsa' && material.mismatch) || (material.kind === 'key' && material.inference.mismatch)) {
        log.record(rule('declared-type-mismatch'), `${from}/type`, `${to}/type`, `the declared type "${declaredType}" does not name the key's type (${material.kind === 'rsa' ? 'RSA' : material.key.type})`, DID_CORE.verificationMaterial);
      }
      if (!(material.canonicalMember === w3c.property && entry[material.member] === w3c.value)) {
        log.record(rule(`${material.canonicalMember}-to-${w3c.property}`), `${from}/${material.member}`, `${to}/${w3c.property}`, `${material.canonicalMember} re-encoded as ${w3c.property}${material.kind === 'rsa' ? ' (RFC 7517 RSA key: n, e)' : ''}; publicKeyPem is not DID Core verification material`, DID_CORE.verificationMaterial);
      }
      const extras = e.others(KEY_MEMBERS_READ);
      if (extras.length > 0) log.record(rule('key-members-preserved'), from, TO_PRESERVED, `members ${extras.map((x) => JSON.stringify(x.name)).join(', ')} have no place in a verification method; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
      methods.push(vm);
    });
    if (listName === 'publicKey' && list.value.length > 0) {
      log.record(rule('publicKey-to-verificationMethod'), pointer(list.name), first === 0 ? '/verificationMethod' : pointer('verificationMethod', first), '"publicKey" is the pre-DID-Core name of verificationMethod (DID Core §5.2)', DID_CORE.verificationMethods);
    }
  }
  if (methods.length > 0) document.verificationMethod = methods;

  // --- relationships
  const relationships = RELATIONSHIPS;
  const ownIds = new Set(methods.map((vm) => vm.id));
  let anyRelationship = false;
  for (const rel of relationships) {
    const member = m.get(rel);
    if (!member) continue;
    anyRelationship = true;
    if (!Array.isArray(member.value)) throw new InvalidDidDocumentError(`"${rel}" must be a list`);
    enforceLimit(member.value.length, limits, 'maxListEntries', `"${member.name}"`);
    const refs: string[] = [];
    member.value.forEach((entry, i) => {
      if (typeof entry !== 'string') throw new InvalidDidDocumentError(`${pointer(member.name, i)}: only references are supported in did:vaa relationships`);
      const ref = entry.trim();
      const full = absolute(ref);
      const refDid = isOwnPlainFragmentUrl(full, did) ? did : didUrlOrUndefined(full)?.did;
      if (refDid === undefined) throw new InvalidDidDocumentError(`${pointer(member.name, i)}: ${JSON.stringify(ref)} is not a DID URL`);
      if (refDid === did && !ownIds.has(full)) {
        log.record(rule('dangling-reference-dropped'), pointer(member.name, i), null, `${ref} names no verification method of this document (DID Core §5.3: "considered invalid or revoked")`, DID_CORE.relationships);
      } else if (!refs.includes(ref)) refs.push(ref);
    });
    if (refs.length > 0) document[rel] = refs;
    else log.record(rule('empty-relationship-omitted'), pointer(member.name), null, `${rel} names no usable verification method; DID Core §5.3: "If present, the associated value MUST be a set of one or more verification methods"`, DID_CORE.relationships);
  }
  if (!anyRelationship && methods.length > 0) {
    const ids = methods.map((vm) => vm.id);
    document.authentication = ids;
    document.assertionMethod = [...ids];
    const why = 'the did:vaa identifier is the hash of the DID\'s public key (§9) and the document proof is made with it, so the key authenticates as the DID';
    const keysAt = at(m.get('verificationMethod') ? 'verificationMethod' : 'publicKey');
    log.record(rule('authentication-added'), keysAt, '/authentication', `${why} (DID Core §5.3.1)`, DID_CORE.relationships);
    log.record(rule('assertionMethod-added'), keysAt, '/assertionMethod', `${why} and signs in its name; verifiers accept credential proofs only from assertionMethod (DID Core §5.3.2)`, DID_CORE.relationships);
  }

  // --- services
  const serviceMember = m.get('service');
  if (serviceMember) {
    if (!Array.isArray(serviceMember.value)) throw new InvalidDidDocumentError(`"service" must be a list, got ${kindOf(serviceMember.value)}`);
    enforceLimit(serviceMember.value.length, limits, 'maxListEntries', `"${serviceMember.name}"`);
    const services: Service[] = [];
    serviceMember.value.forEach((entry, i) => {
      const from = pointer(serviceMember.name, i);
      const drop = (why: string) => log.record(rule('service-dropped'), from, null, `${why}; DID Core §5.4 needs a URI id, a type and URI endpoints, so the service is left out and ${WHY_PRESERVED}`, DID_CORE.services);
      if (!isJsonObject(entry)) return drop('the service is not a map');
      const s = new MemberIndex(entry);
      const type = s.value('type');
      if (typeof type !== 'string' || type.trim() === '') return drop('the service has no type string');
      const endpoint = s.value('serviceEndpoint');
      if (typeof endpoint !== 'string') return drop('serviceEndpoint is not a string');
      const decision = serviceEndpointFor(endpoint, {});
      if (decision.outcome === 'unusable') return drop(decision.why);
      const rawServiceId = s.value('id');
      let id: string;
      if (typeof rawServiceId === 'string' && rawServiceId.trim() !== '') {
        id = absolute(rawServiceId.trim());
        if (!isUriFast(id)) return drop(`the service id ${JSON.stringify(rawServiceId)} is not a URI`);
      } else {
        id = `${did}#service-${i + 1}`;
        log.record(rule('service-id-added'), from, `${pointer('service', services.length)}/id`, `a service MUST have an id (DID Core §5.4); #service-${i + 1} after its position`, DID_CORE.services);
      }
      if (decision.outcome === 'normalised') log.record(rule('service-endpoint-normalised'), `${from}/serviceEndpoint`, `${pointer('service', services.length)}/serviceEndpoint`, decision.why, DID_CORE.services);
      services.push({ id, type: type.trim(), serviceEndpoint: decision.endpoint });
    });
    if (services.length > 0) document.service = services;
  }

  // --- created, updated, proof, revoked
  for (const name of ['created', 'updated'] as const) {
    const member = m.get(name);
    if (!member) continue;
    const normal = readVaaDatetime(member.value);
    if (normal === undefined) {
      log.record(rule(`${name}-unreadable`), pointer(member.name), TO_PRESERVED, `${JSON.stringify(member.value).slice(0, 60)} is not a datetime; ${WHY_PRESERVED}`, DID_CORE.metadata);
      continue;
    }
    metadata[name] = normal;
    log.record(rule(`${name}-to-metadata`), pointer(member.name), TO_METADATA[name], WHY_DATETIME[name] + (normal !== member.value ? ` (read ${JSON.stringify(member.value)} as UTC)` : ''), DID_CORE.metadata);
  }
  const proof = m.get('proof');
  if (proof) {
    if (isMetadataValue(proof.value)) {
      metadata.proof = proof.value;
      log.record(rule('proof-to-metadata'), pointer(proof.name), TO_METADATA.proof, 'the document proof (a detached PS256 JWS) is about the document, not part of it; moved to document metadata unverified, since the serialisation it signs is not documented', DID_CORE.metadata);
    } else {
      log.record(rule('proof-preserved'), pointer(proof.name), TO_PRESERVED, `the proof holds values DID Core metadata cannot (§7.3); ${WHY_PRESERVED}`, DID_CORE.metadata);
    }
  }
  const revoked = m.get('revoked');
  if (revoked) {
    metadata.deactivated = true;
    log.record(rule('revoked-to-deactivated'), pointer(revoked.name), TO_METADATA.deactivated, 'the did:vaa specification marks a deleted DID by setting "revoked"; DID Core §7.1.3: a deactivated DID has deactivated: true', DID_CORE.metadata);
  }

  // --- unknown members
  for (const member of m.others(KNOWN_MEMBERS)) {
    log.record(rule('unknown-member-preserved'), pointer(member.name), TO_PRESERVED, `${JSON.stringify(member.name)} is not a DID Core member; ${WHY_PRESERVED}`, DID_CORE.extensibility);
  }

  // --- @context
  const contextMember = m.get('@context');
  const original = contextMember?.value;
  const originalList = original === undefined ? [] : Array.isArray(original) ? original : [original];
  const context: Array<string | JsonObject> = [DID_CORE_CONTEXT_V1, ...[...contexts].sort()];
  for (const c of originalList) {
    const value = typeof c === 'string' ? c.trim() : c;
    if (typeof value === 'string' && (value === DID_CORE_CONTEXT_V1 || LEGACY_DID_CONTEXTS.includes(value))) continue;
    if ((typeof value === 'string' || isJsonObject(value)) && !context.includes(value)) context.push(value);
  }
  if (!contextMember) {
    log.record(rule('context-added'), null, '/@context', 'the JSON-LD representation MUST include @context, DID v1 first (DID Core §6.3.1)', DID_CORE.context);
  } else if (!sameJsonText(original, context)) {
    const legacy = originalList.filter((c) => typeof c === 'string' && LEGACY_DID_CONTEXTS.includes(c.trim()));
    log.record(rule('context-normalised'), pointer(contextMember.name), '/@context', `DID v1 first (DID Core §6.3.1), then the contexts the verification-method types need` + (legacy.length > 0 ? `; the pre-DID-Core context ${legacy.join(', ')} is replaced by DID v1` : ''), DID_CORE.context);
  }

  const ordered = inDidCoreOrder(context, document);
  // What has no W3C place travels inside the native document, preserved as it is (the translation depends on nothing
  // else): one rule for every adapter, and nothing built per member for it.
  const preserved = preserveNativeDocument('vaa', VAA_SHAPE, native);
  metadata[PRESERVED_METADATA_MEMBER] = preservedToMetadata(preserved);
  if (!full) return { didDocument: ordered, didDocumentMetadata: metadata, changes: log.changes, preserved };
  const translation: VaaTranslation = { didDocument: ordered, didDocumentMetadata: metadata, changes: log.changes, preserved, native, revoked: revoked !== undefined };
  return translation;
}
