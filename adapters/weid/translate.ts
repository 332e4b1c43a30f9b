/**
 * Translation of WeIdentity-family documents (did:weid v1 and v3, did:tdid) into W3C DID Core, recording every change
 * and keeping everything DID Core has no place for: the native document travels as preserved data, and a renderer
 * translates it again in the detailed mode to learn what became of each entry (see `preserved.ts`).
 *
 * Rules (domestic-methods.md §3.5, §6, §10), each recorded as `<method>.<rule>`:
 *
 * | rule | what |
 * |---|---|
 * | `context-replaced` | the WeIdentity GitHub-blob or `w3id.org/did/v1` context becomes `https://www.w3.org/ns/did/v1` plus the Multikey / JWK context the keys need |
 * | `publicKey-to-verificationMethod` | v1 `publicKey[]` entries become `verificationMethod[]` |
 * | `owner-to-controller` | v1 `owner` becomes `controller` |
 * | `authentication-key-lifted` | v3 keys embedded in `authentication[]` move to `verificationMethod[]` and are referenced |
 * | `authentication-object-to-reference` | v1 `{type, publicKey: <key id>}` objects become references |
 * | `type-replaced`, `type-mismatch` | declared types (`Secp256k1`, the mislabelled `Ed25519VerificationKey2020`, …) become `Multikey`/`JsonWebKey`; the key type comes from the bytes and a declared type that lies is reported |
 * | `decimal-key-to-multibase`, `pseudo-multibase-to-multikey`, `hex-key-to-multibase`, `pem-key-to-jwk`, … | key encodings re-encoded as a canonical Multikey (compressed point, real multicodec) or an RSA JWK |
 * | `duplicate-key-encoding-dropped` | v3's extra decimal `publicKey` next to `publicKeyMultibase` (one material property per method) |
 * | `assertionMethod-added` | every key is referenced from `assertionMethod`: WeIdentity and TDID keys sign credentials |
 * | `created-to-metadata`, `updated-to-metadata`, `versionId-to-metadata`, `deactivated-to-metadata`, `metadata-from-upstream` | in-document and upstream-reported metadata move to `didDocumentMetadata` (datetimes as `YYYY-MM-DDTHH:MM:SSZ`) |
 * | `service-id-added` | services without `id` (v1) get `<did>#service-N` (N: the index in the native array) |
 * | `service-endpoint-normalised`, `service-dropped` | endpoints are RFC 3986-normalised; a service whose endpoint is not a URI (bare IP, scheme-less host) is **dropped** and preserved: WeIdentity services carry no protocol or port to build a URI from, and guessing a scheme would publish an endpoint nobody declared |
 * | `member-preserved`, `entry-member-preserved` | members with no W3C place (`$from`, `recovery`, `revoked: false`, …) leave the document and are preserved |
 * | `key-dropped`, `reference-dropped`, `entry-dropped` | unreadable or revoked keys, dangling or duplicate references, malformed entries: dropped, recorded and preserved |
 *
 * Nothing is dropped silently: every entry that does not reach the W3C document is in a change record and in the
 * preserved (native) document, so rendering back restores the original (`render.ts`).
 *
 * @see https://www.w3.org/TR/did-core/#core-properties
 */
import type { Translation } from '../../src/adapter.js';
import { InvalidDidDocumentError, DidBridgeError } from '../../src/errors.js';
import { parseTdidIdentifier, parseWeidIdentifier, weidVerificationMethodFragment } from '../../src/keys/derive.js';
import {
  DID_CORE_CONTEXT_V1,
  JWK_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  VERIFICATION_RELATIONSHIPS,
  type ChangeRecord,
  type DIDDocument,
  type DIDDocumentMetadata,
  type JsonObject,
  type JsonValue,
  type Service,
  type VerificationMethod,
} from '../../src/spec.js';
import { isDid, isDidUrl, isOwnPlainFragmentUrl } from '../../src/syntax/did-url.js';
import { ChangeLog, DID_CORE, metadataPointer, pointer } from '../../src/translation.js';
import { preserveNativeDocument } from '../../src/preserved.js';
import { isMetadataValue, sameJsonText } from '../../src/util/json.js';
import { normalisationProblem, uriProblem } from '../../src/util/uri.js';
import { isPlainNormalHttpUri } from '../bid/services.js';
import { epochDatetime } from './datetime.js';
import { KEY_MEMBERS, readW3cKeyMaterial, type KeyMember, type W3cKeyMaterial } from './keys.js';
import { TDID_IDENTIFIER, WEID_IDENTIFIER, isDidUrlWithFragment } from './syntax.js';
import {
  PRESERVED_MEMBER,
  fingerprint,
  isJsonObject,
  piece,
  unwrapPreserved,
  type FamilyPreserved,
  type PreservedPiece,
} from './preserved.js';

/** The DID methods of the WeIdentity family. */
export type FamilyMethod = 'weid' | 'tdid';

/** The native document shapes: WeIdentity v3, WeIdentity v1, Tencent TDID. */
export type FamilyShape = 'weid' | 'weid-v1' | 'tdid';

/** The `@context` the WeIdentity SDK splices into every document (v1 and v3). */
export const WEID_CONTEXT = 'https://github.com/WeBankFinTech/WeIdentity/blob/master/context/v1';

/** The `@context` of the TDID specification's example document. */
export const TDID_CONTEXT = 'https://w3id.org/did/v1';

/** The default bound on the entries of any one array of a native document. */
export const DEFAULT_MAX_ENTRIES = 1000;

/** DID Core metadata member names an in-document member can move to. */
const METADATA_MEMBERS = ['created', 'updated', 'deactivated', 'versionId'] as const;
type MetadataMember = (typeof METADATA_MEMBERS)[number];

const VERSION_ID = /^[0-9]{1,15}$/;

/**
 * A metadata member's value as DID Core metadata: datetimes written as DID Core datetimes, `deactivated` a boolean,
 * `versionId` a string of digits; undefined when it cannot be read.
 */
function readMetadataValue(name: MetadataMember, value: unknown): unknown {
  if (name === 'created' || name === 'updated') return value === null ? undefined : epochDatetime(value);
  if (name === 'deactivated') return value === true ? true : value === false ? false : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && VERSION_ID.test(value)) return value;
  return undefined;
}

/** Members the translator understands at the top level (everything else is preserved and left out). */
const HANDLED_MEMBERS = new Set<string>([
  '@context',
  'context',
  'id',
  'controller',
  'alsoKnownAs',
  'publicKey',
  'verificationMethod',
  'service',
  'proof',
  ...METADATA_MEMBERS,
  ...VERIFICATION_RELATIONSHIPS,
]);

/** The rule of each key encoding re-encoded as a Multikey, and (RSA keys) as a JWK. */
const ENCODING_RULES: Readonly<Record<string, string>> = {
  decimal: 'decimal-key-to-multibase',
  'weid-pseudo-multibase': 'pseudo-multibase-to-multikey',
  multikey: 'multikey-recompressed',
  hex: 'hex-key-to-multibase',
  pem: 'pem-key-to-multibase',
  jwk: 'jwk-to-multibase',
  base58: 'base58-key-to-multibase',
};
const RSA_ENCODING_RULES: Readonly<Record<string, string>> = { ...ENCODING_RULES, pem: 'pem-key-to-jwk', jwk: 'jwk-kept' };

/** The native arrays of keys. */
const KEY_SOURCES = ['publicKey', 'verificationMethod'] as const;

/** The native members that are sets (an empty one is left out, with a record). Their names need no pointer escaping. */
const SET_MEMBERS: readonly string[] = ['publicKey', 'verificationMethod', 'service', 'alsoKnownAs', ...VERIFICATION_RELATIONSHIPS];

/** Members of a key entry the W3C verification method carries (in some form). */
const KEY_ENTRY_MEMBERS = new Set<string>(['id', 'type', 'controller', 'owner', ...KEY_MEMBERS]);

/** Options of {@link translateFamilyDocument}. */
export interface TranslateFamilyOptions {
  /** The method whose documents these are; selects the identifier validator, rule-id prefix and shape names. */
  method: FamilyMethod;
  /**
   * Metadata the upstream reported beside the document (WeIdentity v3 `weIdDocumentMetadata`:
   * `{created, updated (epoch s), deactivated, versionId}`). It takes precedence over in-document members.
   */
  upstreamMetadata?: JsonObject;
  /**
   * Most entries accepted in any one array of the document, and most keys read in the whole document (each key costs
   * a curve check). Default {@link DEFAULT_MAX_ENTRIES}.
   */
  maxEntries?: number;
  /**
   * The deployment's key type (WeIdentity `crypto.type`), for keys whose encoding names no curve and whose bytes fit
   * several (compressed hex points). did:tdid keys are always secp256k1. Default: none (such keys are dropped).
   */
  keyType?: 'secp256k1' | 'SM2';
  /**
   * Accept any DID as the document `id`, not only one of `method` (for documents of other methods rendered into this
   * shape, see `render.ts`). Default false.
   */
  anyDid?: boolean;
}

/** Whether `value` is a document of this family (an object whose `id` is a DID of `method`). */
export function isFamilyDocument(value: unknown, method: FamilyMethod): boolean {
  return isJsonObject(value) && typeof value.id === 'string' && value.id.startsWith(`did:${method}:`);
}

/** Whether a string is an RFC 3986 URI (absolute, with a scheme). */
export function isUriString(value: unknown): value is string {
  return typeof value === 'string' && uriProblem(value) === undefined;
}

/**
 * Brings a URI into RFC 3986 normal form when the WHATWG parser can (lower-case scheme and host, default port
 * omitted, dot-segments removed, percent-encoding case); returns undefined when it is not a URI or cannot be normalised.
 */
export function normaliseUri(value: string): string | undefined {
  if (isPlainNormalHttpUri(value)) return value;
  if (uriProblem(value) !== undefined) return undefined;
  if (normalisationProblem(value) === undefined) return value;
  let href: string;
  try {
    href = new URL(value).href;
  } catch {
    return undefined;
  }
  return uriProblem(href) === undefined && normalisationProblem(href) === undefined ? href : undefined;
}

/**
 * What a relationship entry became, noted in the detailed mode until every relationship is known: nothing (`none`),
 * a reference `ref` (kept if `added` and not pruned later), or the embedded key `ref` lifted to verificationMethod.
 */
interface PendingPiece {
  member: string;
  original: JsonValue;
  kind: 'none' | 'ref' | 'key';
  ref: string;
  added: boolean;
}

/** Key members other than `publicKey` (which holds a key id in v1 authentication entries, a decimal key elsewhere). */
const KEY_MEMBERS_BUT_PUBLIC_KEY: readonly string[] = KEY_MEMBERS.filter((k) => k !== 'publicKey');

const DECIMAL = /^[0-9]+$/;

/** Whether a relationship entry carries a key (an embedded key) rather than naming one (v1 `{type, publicKey: id}`). */
function carriesKey(entry: JsonObject): boolean {
  for (let i = 0; i < KEY_MEMBERS_BUT_PUBLIC_KEY.length; i++) if (KEY_MEMBERS_BUT_PUBLIC_KEY[i]! in entry) return true;
  return typeof entry.publicKey === 'string' && DECIMAL.test(entry.publicKey);
}

/** One translation run. */
class FamilyTranslator {
  readonly log = new ChangeLog();
  private readonly rule: (what: string) => string;
  private readonly maxEntries: number;
  private readonly methods: VerificationMethod[] = [];
  private readonly methodIndex = new Map<string, number>();
  private readonly relationships = new Map<string, string[]>();
  private readonly arrays: Record<string, PreservedPiece[]> = {};
  private readonly members: Record<string, PreservedPiece> = {};
  private readonly metadata: DIDDocumentMetadata = {};
  private readonly deploymentKeyType: 'secp256k1' | 'SM2' | undefined;
  /** Key entries read so far, across all arrays (each costs a curve check: bounded by `maxEntries` in total). */
  private keysRead = 0;
  private usesMultikey = false;
  private usesJwk = false;
  /** Pending preserved pieces of relationship entries (detailed mode), resolved once every relationship is known. */
  private readonly relationshipPieces: PendingPiece[] = [];

  constructor(
    private readonly native: JsonObject,
    private readonly did: string,
    private readonly method: FamilyMethod,
    private readonly shape: FamilyShape,
    options: TranslateFamilyOptions,
    /** Build the piece-by-piece preserved structure (see {@link translateFamily}); the fast mode carries the document. */
    private readonly detailed: boolean,
  ) {
    this.rule = (what) => `${method}.${what}`;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.deploymentKeyType = options.keyType ?? (method === 'tdid' ? 'secp256k1' : undefined);
  }

  private arrayOf(member: string): unknown[] | undefined {
    const value = this.native[member];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw new InvalidDidDocumentError(`"${member}" of the did:${this.method} document must be an array, got ${value === null ? 'null' : typeof value}`);
    }
    if (value.length > this.maxEntries) {
      throw new InvalidDidDocumentError(`"${member}" has ${value.length} entries; the limit is ${this.maxEntries}`);
    }
    return value;
  }

  /**
   * Resolves a reference (absolute DID URL or relative `#fragment`) against the DID; undefined when it is neither.
   * References into the document's own DID (nearly all of them) only need their fragment checked: the DID is valid.
   */
  private absolute(ref: string): string | undefined {
    const did = this.did;
    if (ref.charCodeAt(0) === 35 /* # */) {
      if (ref.length === 1) return undefined;
      const full = did + ref;
      return isDidUrlWithFragment(full, did.length + 1) ? full : undefined;
    }
    if (ref.length > did.length && ref.charCodeAt(did.length) === 35 && ref.startsWith(did)) {
      return isDidUrlWithFragment(ref, did.length + 1) ? ref : undefined;
    }
    return isDidUrl(ref) && ref.includes('#') ? ref : undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Keys

  /** Turns a key entry into a W3C verification method (or drops it with a record). Returns its id when added. */
  private addKey(entry: unknown, from: string, source: 'publicKey' | 'verificationMethod' | 'embedded', index: number): string | undefined {
    if (!isJsonObject(entry)) {
      this.log.record(this.rule('entry-dropped'), from, null, 'a verification method must be a map (DID Core §5.2); the entry is preserved', DID_CORE.verificationMethods);
      return undefined;
    }
    if (entry.revoked === true) {
      this.log.record(this.rule('key-dropped'), from, null, 'the key is marked revoked ("revoked": true), so it must not be usable for any relationship; preserved', DID_CORE.verificationMethods);
      return undefined;
    }
    let id: string | undefined;
    if (typeof entry.id === 'string') id = this.absolute(entry.id);
    if (id === undefined) {
      if (entry.id === undefined && source !== 'embedded') {
        id = `${this.did}#keys-${index}`;
        this.log.record(this.rule('key-id-added'), null, null, `the key has no id; it is given ${JSON.stringify(id)} (DID Core §5.2: "The value of the id property for a verification method MUST be a string that conforms to the rules in Section 3.2 DID URL Syntax")`, DID_CORE.verificationMethods);
      } else {
        this.log.record(this.rule('key-dropped'), from + '/id', null, `the key id ${JSON.stringify(entry.id)} is not a DID URL (DID Core §5.2); the key is preserved`, DID_CORE.verificationMethods);
        return undefined;
      }
    }
    if (++this.keysRead > this.maxEntries) {
      throw new InvalidDidDocumentError(`the did:${this.method} document has more than ${this.maxEntries} keys (the limit)`);
    }
    let material: W3cKeyMaterial | undefined;
    try {
      material = readW3cKeyMaterial(entry, this.deploymentKeyType ? { method: this.method, label: from, deploymentKeyType: this.deploymentKeyType } : { method: this.method, label: from });
    } catch (err) {
      const why = err instanceof DidBridgeError ? err.message : String(err);
      this.log.record(this.rule('key-dropped'), from, null, `the key cannot be read (${why}); it is preserved, and nothing can be verified with it`, DID_CORE.verificationMaterial);
      return undefined;
    }
    if (!material) {
      this.log.record(this.rule('key-dropped'), from, null, 'the entry carries no verification material (DID Core §5.2.1 requires publicKeyJwk or publicKeyMultibase); preserved', DID_CORE.verificationMaterial);
      return undefined;
    }
    let controller = this.did;
    const ownerMember = typeof entry.controller === 'string' ? 'controller' : typeof entry.owner === 'string' ? 'owner' : undefined;
    if (ownerMember) {
      const value = entry[ownerMember] as string;
      // The document's own DID (the usual owner) is valid already.
      if (value === this.did || isDid(value)) controller = value;
      else {
        this.log.record(this.rule('controller-replaced'), `${from}/${ownerMember}`, null, `${ownerMember} ${JSON.stringify(value)} is not a DID; the document's DID controls the key (DID Core §5.2: the controller "MUST be a string that conforms to the rules in 3.1 DID Syntax")`, DID_CORE.verificationMethods);
      }
    }

    const existing = this.methodIndex.get(id);
    if (existing !== undefined) {
      const other = this.methods[existing]!;
      const same = material.publicKey && other.publicKeyMultibase === material.multikey && other.controller === controller;
      if (same) {
        this.log.record(this.rule('duplicate-key-merged'), from, pointer('verificationMethod', existing), `the key ${id} is listed twice with the same material; DID Core §5.2 requires unique ids, so it appears once`, DID_CORE.verificationMethods);
        return id;
      }
      this.log.record(this.rule('key-dropped'), from, null, `another verification method already has the id ${id} (DID Core §5.2: ids MUST be unique); this one is preserved`, DID_CORE.verificationMethods);
      return undefined;
    }

    const at = this.methods.length;
    // Pointers into the new verification method (member names that need no escaping are appended as they are).
    const to = '/verificationMethod/' + at;
    const method: VerificationMethod = material.rsaJwk
      ? { id, type: 'JsonWebKey', controller, publicKeyJwk: material.rsaJwk }
      : { id, type: 'Multikey', controller, publicKeyMultibase: material.multikey! };
    if (material.rsaJwk) this.usesJwk = true;
    else this.usesMultikey = true;

    if (source === 'publicKey') {
      this.log.record(this.rule('publicKey-to-verificationMethod'), from, to, 'the key moves from "publicKey" to "verificationMethod", the DID Core property (DID Core §5.2)', DID_CORE.verificationMethods);
    } else if (source === 'embedded') {
      this.log.record(this.rule('authentication-key-lifted'), from, to, 'the key embedded in a relationship is lifted to "verificationMethod" and referenced, so that other relationships (assertionMethod) can reference it too (DID Core §5.3)', DID_CORE.relationships);
    }
    if (ownerMember === 'owner') {
      this.log.record(this.rule('owner-to-controller'), from + '/owner', to + '/controller', '"owner" is the pre-DID-Core name of "controller" (DID Core §5.2: "The verification method MUST include the id, type, controller … properties")', DID_CORE.verificationMethods);
    } else if (ownerMember === undefined) {
      this.log.record(this.rule('controller-added'), null, to + '/controller', 'the key names no controller; the document DID controls it (DID Core §5.2 requires "controller")', DID_CORE.verificationMethods);
    }
    const declared = typeof entry.type === 'string' ? entry.type : undefined;
    if (declared !== method.type) {
      this.log.record(
        this.rule('type-replaced'),
        declared === undefined ? null : from + '/type',
        to + '/type',
        `declared type ${JSON.stringify(declared ?? null)} is replaced by ${method.type}, a registered type whose key material names the key type` +
          (material.inference ? ` (${material.inference.publicKey.type}; ${material.inference.reason})` : ' (RSA)'),
        DID_CORE.verificationMethods,
      );
    }
    if (material.inference?.mismatch) {
      this.log.record(this.rule('type-mismatch'), from + '/type', to + '/type', `the declared type lies about the key: ${material.inference.reason}`, DID_CORE.verificationMaterial);
    }
    if (material.pseudoVariant && material.publicKey && material.pseudoVariant !== material.publicKey.type) {
      this.log.record(this.rule('pseudo-multibase-header-mismatch'), from + '/publicKeyMultibase', to, `the pseudo-multibase header says ${material.pseudoVariant} but the key bytes are a ${material.publicKey.type} key; the bytes decide (domestic-methods.md §3.4)`, DID_CORE.verificationMaterial);
    }
    this.recordEncodings(material, from, to + (material.rsaJwk ? '/publicKeyJwk' : '/publicKeyMultibase'), entry);

    for (const name of Object.keys(entry)) {
      if (KEY_ENTRY_MEMBERS.has(name)) continue;
      this.log.record(this.rule('entry-member-preserved'), extend(from, name), null, `"${name}" has no DID Core meaning for a verification method; it is preserved`, DID_CORE.extensibility);
    }

    this.methods.push(method);
    this.methodIndex.set(id, at);
    return id;
  }

  private recordEncodings(material: W3cKeyMaterial, from: string, to: string, entry: JsonObject): void {
    const rules = material.rsaJwk ? RSA_ENCODING_RULES : ENCODING_RULES;
    const target = material.rsaJwk ? 'an RSA publicKeyJwk (DID Core §5.2.1)' : `a canonical Multikey publicKeyMultibase (${material.publicKey!.type}, compressed point where the key is EC)`;
    const members: readonly KeyMember[] = material.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      const encoding = material.encodings[member]!;
      // Key member names need no escaping in a pointer.
      const at = `${from}/${member}`;
      if (i > 0) {
        this.log.record(this.rule('duplicate-key-encoding-dropped'), at, null, `the same key is also given as "${members[0]}"; DID Core §5.2.1: "A verification method MUST NOT contain multiple verification material properties for the same material"; preserved`, DID_CORE.verificationMaterial);
        continue;
      }
      if (encoding === 'multikey' && entry[member] === material.multikey) continue;
      if (encoding === 'jwk' && material.rsaJwk) continue;
      this.log.record(this.rule(rules[encoding]!), at, to, `the ${encoding} key is re-encoded as ${target}`, DID_CORE.verificationMaterial);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Relationships

  private addReference(relationship: string, ref: string, from: string): boolean {
    let list = this.relationships.get(relationship);
    if (list === undefined) {
      list = [];
      this.relationships.set(relationship, list);
    }
    if (list.includes(ref)) {
      this.log.record(this.rule('reference-dropped'), from, null, `${ref} is already in ${relationship}, a set (DID Core §5.3); the duplicate is preserved`, DID_CORE.relationships);
      return false;
    }
    list.push(ref);
    return true;
  }

  private kept(relationship: string, ref: string): boolean {
    return (this.relationships.get(relationship) ?? []).includes(ref);
  }

  /** Detailed mode: notes what a relationship entry became, for its piece (see {@link resolvePieces}). */
  private pend(member: string, original: JsonValue, kind: PendingPiece['kind'], ref = '', added = false): void {
    if (this.detailed) this.relationshipPieces.push({ member, original, kind, ref, added });
  }

  private relationship(member: string): void {
    const entries = this.arrayOf(member);
    if (entries === undefined) return;
    if (!this.relationships.has(member)) this.relationships.set(member, []);
    for (let i = 0; i < entries.length; i++) this.relationshipEntry(member, entries[i], i);
  }

  private relationshipEntry(member: string, entry: unknown, i: number): void {
    // Relationship names need no escaping in a pointer.
    const from = `/${member}/${i}`;
    const original = entry as JsonValue;
    if (typeof entry === 'string') {
      const ref = this.absolute(entry);
      if (ref === undefined) {
        this.log.record(this.rule('reference-dropped'), from, null, `${JSON.stringify(entry)} is not a DID URL (DID Core §5.3); preserved`, DID_CORE.relationships);
        this.pend(member, original, 'none');
        return;
      }
      if (ref !== entry) {
        this.log.record(this.rule('reference-absolutised'), from, null, `the relative reference ${JSON.stringify(entry)} is written as the absolute DID URL ${ref}`, DID_CORE.relationships);
      }
      this.pend(member, original, 'ref', ref, this.addReference(member, ref, from));
      return;
    }
    if (!isJsonObject(entry)) {
      this.log.record(this.rule('entry-dropped'), from, null, `a ${member} entry must be a DID URL or a verification method (DID Core §5.3); preserved`, DID_CORE.relationships);
      this.pend(member, original, 'none');
      return;
    }
    if (!carriesKey(entry) && typeof entry.publicKey === 'string') {
      // v1: {type, publicKey: "<key id>"}
      if (entry.revoked === true) {
        this.log.record(this.rule('reference-dropped'), from, null, 'the authentication entry is marked revoked; preserved', DID_CORE.relationships);
        this.pend(member, original, 'none');
        return;
      }
      const ref = this.absolute(entry.publicKey);
      if (ref === undefined) {
        this.log.record(this.rule('reference-dropped'), `${from}/publicKey`, null, `${JSON.stringify(entry.publicKey)} is neither a key nor a DID URL; preserved`, DID_CORE.relationships);
        this.pend(member, original, 'none');
        return;
      }
      const added = this.addReference(member, ref, from);
      if (added) {
        this.log.record(this.rule('authentication-object-to-reference'), from, null, `the {type, publicKey} object becomes the reference ${ref}; its declared type ${JSON.stringify(entry.type ?? null)} is preserved (DID Core §5.3: entries are references or embedded verification methods)`, DID_CORE.relationships);
      }
      this.pend(member, original, 'ref', ref, added);
      return;
    }
    // An embedded key (v3), lifted to verificationMethod.
    let id: string | undefined;
    if (entry.id === undefined && typeof entry.publicKey === 'string') {
      // A bare decimal key in a v1 authentication entry: reuse the publicKey entry holding it, or give it the
      // id WeIdentity v3 derives (§3.3).
      const match = this.findKeyByDecimal(entry.publicKey);
      if (match) {
        const added = this.addReference(member, match, from);
        this.log.record(this.rule('authentication-object-to-reference'), from, null, `the authentication key is the key ${match}; it becomes a reference`, DID_CORE.relationships);
        this.pend(member, original, 'ref', match, added);
        return;
      }
      id = this.addKey({ ...entry, id: `${this.did}#${weidVerificationMethodFragment(entry.publicKey)}` }, from, 'embedded', i);
    } else {
      id = this.addKey(entry, from, 'embedded', i);
    }
    if (id === undefined) {
      this.pend(member, original, 'none');
      return;
    }
    this.pend(member, original, 'key', id, this.addReference(member, id, from));
  }

  /**
   * Drops references to keys of this document that do not exist (revoked, unreadable or never listed): DID Core
   * §5.3 references must identify a verification method. References into other DIDs' documents are kept.
   */
  private pruneDangling(): void {
    const did = this.did;
    for (const [rel, refs] of this.relationships) {
      // Nearly always nothing dangles: the list is only copied from the first reference that does.
      let kept: string[] | undefined;
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i]!;
        // A reference into this document starts with `${did}#` (tested without building that string).
        const local = ref.length > did.length && ref.charCodeAt(did.length) === 35 && ref.startsWith(did);
        if (!local || this.methodIndex.has(ref)) {
          kept?.push(ref);
          continue;
        }
        kept ??= refs.slice(0, i);
        this.log.record(this.rule('reference-dropped'), pointer(rel), null, `${ref} names no verification method of this document (dropped, revoked or never listed); DID Core §5.3 references must identify one; preserved`, DID_CORE.relationships);
      }
      if (kept !== undefined) this.relationships.set(rel, kept);
    }
  }

  private findKeyByDecimal(decimal: string): string | undefined {
    let multibase;
    try {
      multibase = readW3cKeyMaterial({ publicKey: decimal }, { label: 'decimal key' })?.multikey;
    } catch {
      return undefined;
    }
    if (!multibase) return undefined;
    return this.methods.find((m) => m.publicKeyMultibase === multibase)?.id;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Services

  private services(): Service[] | undefined {
    const entries = this.arrayOf('service');
    if (entries === undefined) return undefined;
    const out: Service[] = [];
    const ids = new Set<string>();
    const pieces: PreservedPiece[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const service = this.service(entry, i, out.length, ids);
      if (service !== null) out.push(service);
      if (this.detailed) pieces.push(piece(entry as JsonValue, service));
    }
    if (this.detailed) this.arrays.service = pieces;
    return out;
  }

  /** Translates `service[i]` into the W3C service at `at`, or null when it is dropped (recorded). */
  private service(entry: unknown, i: number, at: number, ids: Set<string>): Service | null {
    // "service" and its member names need no escaping in a pointer.
    const from = `/service/${i}`;
    if (!isJsonObject(entry)) {
      this.log.record(this.rule('service-dropped'), from, null, 'a service must be a map (DID Core §5.4); preserved', DID_CORE.services);
      return null;
    }
    const type = entry.type;
    if (!(typeof type === 'string' && type !== '') && !(Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && t !== ''))) {
      this.log.record(this.rule('service-dropped'), `${from}/type`, null, 'the service has no type (DID Core §5.4: "The service MUST include … type"); preserved', DID_CORE.services);
      return null;
    }
    const endpoint = this.endpoint(entry.serviceEndpoint, from);
    if (endpoint === undefined) return null;
    const did = this.did;
    let id: string;
    const nativeId = entry.id;
    if (nativeId === undefined) {
      let n = i;
      id = `${did}#service-${n}`;
      while (ids.has(id)) id = `${did}#service-${++n}`;
      this.log.record(this.rule('service-id-added'), null, `/service/${at}/id`, `the service has no id; it is given ${id} (DID Core §5.4: "The service MUST include id, type, and serviceEndpoint properties")`, DID_CORE.services);
    } else if (typeof nativeId === 'string' && nativeId.startsWith('#') && isDidUrlWithFragment(did + nativeId, did.length + 1)) {
      id = did + nativeId;
      this.log.record(this.rule('service-id-absolutised'), `${from}/id`, `/service/${at}/id`, `the relative id is written as the absolute URI ${id} (DID Core §5.4: the id "MUST be a URI")`, DID_CORE.services);
    } else if (isOwnPlainDidUrl(nativeId, did) || isUriString(nativeId)) {
      id = nativeId as string;
    } else {
      this.log.record(this.rule('service-dropped'), `${from}/id`, null, `the service id ${JSON.stringify(nativeId)} is not a URI (DID Core §5.4); preserved`, DID_CORE.services);
      return null;
    }
    if (ids.has(id)) {
      this.log.record(this.rule('service-dropped'), `${from}/id`, null, `another service already has the id ${id} (DID Core §5.4: "MUST NOT have multiple service entries with the same id"); preserved`, DID_CORE.services);
      return null;
    }
    ids.add(id);
    // Keep the members in their native order, with id first as DID Core writes it. (Built member by member: a
    // spread copy of the entry made first was by far the costliest step of translating a service.)
    const ordered: Service = { id, type: type as string | string[], serviceEndpoint: endpoint };
    for (const k of Object.keys(entry)) if (!(k in ordered)) ordered[k] = entry[k] as JsonValue;
    if (endpoint !== entry.serviceEndpoint && !sameJsonText(endpoint, entry.serviceEndpoint)) {
      this.log.record(this.rule('service-endpoint-normalised'), `${from}/serviceEndpoint`, `/service/${at}/serviceEndpoint`, 'the endpoint is written in RFC 3986 normal form (DID Core §5.4: string values "MUST be valid URIs … and normalized")', DID_CORE.services);
    }
    return ordered;
  }

  /** A service endpoint as DID Core wants it, or undefined (recorded) when it cannot be one. `from`: the service. */
  private endpoint(value: unknown, from: string): Service['serviceEndpoint'] | undefined {
    if (typeof value === 'string') return this.endpointUri(value, from);
    if (isJsonObject(value)) return value;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || isJsonObject(v))) {
      const out: Array<string | JsonObject> = [];
      for (const v of value) {
        if (typeof v === 'string') {
          const normal = this.endpointUri(v, from);
          if (normal === undefined) return undefined;
          out.push(normal);
        } else out.push(v as JsonObject);
      }
      return out;
    }
    this.log.record(this.rule('service-dropped'), `${from}/serviceEndpoint`, null, 'serviceEndpoint must be a URI, a map or a set of them (DID Core §5.4); the service is preserved', DID_CORE.services);
    return undefined;
  }

  /** An endpoint string in RFC 3986 normal form, or undefined (recorded) when it is no URI. */
  private endpointUri(text: string, from: string): string | undefined {
    const normal = normaliseUri(text);
    if (normal === undefined) {
      this.log.record(
        this.rule('service-dropped'),
        `${from}/serviceEndpoint`,
        null,
        `the endpoint ${JSON.stringify(text.slice(0, 200))} is not a URI (DID Core §5.4: serviceEndpoint strings "MUST be valid URIs conforming to [RFC3986]"); ` +
          'nothing says which scheme or port it uses, so the service is dropped rather than guessed, and preserved',
        DID_CORE.services,
      );
    }
    return normal;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Top-level members

  private metadataMember(name: MetadataMember, upstream: JsonObject | undefined): void {
    const inDoc = Object.prototype.hasOwnProperty.call(this.native, name);
    const upstreamHas = upstream !== undefined && Object.prototype.hasOwnProperty.call(upstream, name);
    if (!inDoc && !upstreamHas) return;
    const value = inDoc ? this.native[name] : undefined;
    let produced: unknown = null;
    if (inDoc) {
      const read = readMetadataValue(name, value);
      if (read === undefined) {
        const why = value === null ? `"${name}": null has no DID Core meaning` : `${JSON.stringify(value)} cannot be read as ${name}`;
        this.log.record(this.rule(`${name}-dropped`), `/${name}`, null, `${why}; preserved`, DID_CORE.metadata);
      } else if (!upstreamHas) {
        if (read !== false) this.metadata[name] = read as never;
        produced = read;
        this.log.record(this.rule(`${name}-to-metadata`), `/${name}`, `#metadata/${name}`, `"${name}" is DID document metadata (DID Core §7.1.3), not a document property` + (name === 'created' || name === 'updated' ? `; ${JSON.stringify(value)} is written as ${String(read)}` : ''), DID_CORE.metadata);
      } else {
        this.log.record(this.rule(`${name}-dropped`), `/${name}`, null, `the upstream reports ${name} beside the document, which takes precedence; the in-document value is preserved`, DID_CORE.metadata);
      }
      if (this.detailed) this.members[name] = piece(value as JsonValue, produced);
    }
    if (upstreamHas) {
      const read = readMetadataValue(name, upstream[name]);
      if (read === undefined) {
        this.log.record(this.rule('metadata-from-upstream'), null, null, `the upstream's ${name} ${JSON.stringify(upstream[name])} cannot be read; left out`, DID_CORE.metadata);
      } else {
        if (read !== false) this.metadata[name] = read as never;
        this.log.record(this.rule('metadata-from-upstream'), null, `#metadata/${name}`, `${name} as the upstream reports it beside the document (DID Core §7.1.3)`, DID_CORE.metadata);
      }
    }
  }

  private proof(): void {
    if (!('proof' in this.native)) return;
    const value = this.native.proof as JsonValue;
    if (isMetadataValue(value) && value !== null) {
      this.metadata.proof = value;
      this.log.record(this.rule('proof-to-metadata'), pointer('proof'), metadataPointer('proof'), 'a proof about the document is DID document metadata (DID Resolution §DID document metadata), not a document property', DID_CORE.metadata);
      if (this.detailed) this.members.proof = piece(value, value);
    } else {
      this.log.record(this.rule('member-preserved'), pointer('proof'), null, 'the proof holds values DID document metadata cannot carry (numbers; DID Core §7.3); it is preserved', DID_CORE.metadata);
      if (this.detailed) this.members.proof = piece(value, null);
    }
  }

  private topLevel(): { controller?: string | string[]; alsoKnownAs?: string[] } {
    const out: { controller?: string | string[]; alsoKnownAs?: string[] } = {};
    if ('controller' in this.native) {
      const c = this.native.controller;
      const valid = typeof c === 'string' ? isDid(c) : Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'string' && isDid(x));
      if (valid) out.controller = c as string | string[];
      else this.log.record(this.rule('member-preserved'), pointer('controller'), null, 'controller must be a DID or a set of DIDs (DID Core §5.1.2); preserved', DID_CORE.controller);
      if (this.detailed) this.members.controller = piece(c as JsonValue, valid ? c : null);
    }
    const aka = this.arrayOf('alsoKnownAs');
    if (aka) {
      const kept: string[] = [];
      const pieces: PreservedPiece[] = [];
      aka.forEach((v, i) => {
        if (isUriString(v) && !kept.includes(v)) {
          kept.push(v);
          if (this.detailed) pieces.push(piece(v, { alsoKnownAs: v }));
        } else {
          this.log.record(this.rule('alsoKnownAs-preserved'), pointer('alsoKnownAs', i), null, 'alsoKnownAs items MUST be URIs and form a set (DID Core §5.1.3); this one is preserved, not dropped', DID_CORE.alsoKnownAs);
          if (this.detailed) pieces.push(piece(v as JsonValue, null));
        }
      });
      if (this.detailed) this.arrays.alsoKnownAs = pieces;
      if (kept.length > 0) out.alsoKnownAs = kept;
    }
    return out;
  }

  private context(): string[] {
    const context = [DID_CORE_CONTEXT_V1];
    if (this.usesMultikey) context.push(MULTIKEY_CONTEXT_V1);
    if (this.usesJwk) context.push(JWK_CONTEXT_V1);
    const member = '@context' in this.native ? '@context' : 'context' in this.native ? 'context' : undefined;
    if (member === undefined) {
      this.log.record(this.rule('context-added'), null, pointer('@context'), `the document has no context; the JSON-LD representation needs "@context" with ${DID_CORE_CONTEXT_V1} first (DID Core §6.3.1)`, DID_CORE.context);
      return context;
    }
    const original = this.native[member] as JsonValue;
    if (member === 'context') {
      this.log.record(this.rule('context-renamed'), pointer('context'), pointer('@context'), '"context" is written "@context" in JSON-LD (DID Core §6.3.1)', DID_CORE.context);
    }
    if (!sameJsonText(original, context)) {
      this.log.record(
        this.rule('context-replaced'),
        `/${member}`,
        '/@context',
        `${JSON.stringify(original)} is replaced: DID Core §6.3.1 requires ${DID_CORE_CONTEXT_V1} first, and the keys need the ` +
          `${this.usesMultikey ? (this.usesJwk ? 'Multikey and JsonWebKey' : 'Multikey') : this.usesJwk ? 'JsonWebKey' : 'no further'} context; the original is preserved`,
        DID_CORE.context,
      );
    }
    if (this.detailed) this.members[member] = piece(original, context);
    return context;
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * Detailed mode: the fingerprints of the key and relationship pieces, once every relationship is known (a key
   * piece is the verification method plus whether authentication references it).
   */
  private resolvePieces(): void {
    const inAuthentication = (id: string) => (this.relationships.get('authentication') ?? []).includes(id);
    for (const source of ['publicKey', 'verificationMethod'] as const) {
      const pieces = this.arrays[source];
      if (!pieces) continue;
      for (const p of pieces) {
        if (typeof p.translated === 'string' && p.translated.startsWith('pending:')) {
          const id = p.translated.slice('pending:'.length);
          const vm = this.methods[this.methodIndex.get(id)!]!;
          p.translated = fingerprint({ verificationMethod: vm, authentication: inAuthentication(id) });
        }
      }
    }
    for (const p of this.relationshipPieces) {
      const list = (this.arrays[p.member] ??= []);
      if (p.kind === 'key') {
        const vm = this.methods[this.methodIndex.get(p.ref)!]!;
        list.push(piece(p.original, p.added ? { verificationMethod: vm, authentication: inAuthentication(vm.id) } : null));
      } else if (p.kind === 'ref') {
        list.push(piece(p.original, p.added && this.kept(p.member, p.ref) ? { relationship: p.member, ref: p.ref } : null));
      } else {
        list.push(piece(p.original, null));
      }
    }
  }

  /**
   * Translates the document. `inputs` is what the result depends on besides the document (carried with it in the
   * fast mode's preserved data, so that a renderer translating it again gets the same result).
   */
  run(upstream: JsonObject | undefined, inputs: JsonObject | undefined): Translation {
    for (const name of Object.keys(this.native)) {
      if (HANDLED_MEMBERS.has(name)) continue;
      this.log.record(this.rule('member-preserved'), pointer(name), null, `"${name}" has no DID Core meaning; it is preserved, not published`, DID_CORE.extensibility);
      if (this.detailed) this.members[name] = piece(this.native[name] as JsonValue, null);
    }
    const claimed = new Set<string>();
    for (const source of KEY_SOURCES) {
      const entries = this.arrayOf(source);
      if (entries === undefined) continue;
      if (!this.detailed) {
        for (let i = 0; i < entries.length; i++) this.addKey(entries[i], `/${source}/${i}`, source, i);
        continue;
      }
      this.arrays[source] = entries.map((entry, i) => {
        const id = this.addKey(entry, `/${source}/${i}`, source, i);
        // A second entry merged into the same method has no counterpart of its own: it is restored as it was.
        const pending = id === undefined || claimed.has(id) ? null : `pending:${id}`;
        if (id !== undefined) claimed.add(id);
        return { original: entry as JsonValue, translated: pending };
      });
    }
    for (const member of VERIFICATION_RELATIONSHIPS) this.relationship(member);
    this.pruneDangling();

    // Keys referenced from nowhere still sign credentials (WeIdentity and TDID check every key of the document).
    const assertionDeclared = 'assertionMethod' in this.native;
    if (!assertionDeclared && this.methods.length > 0) {
      const refs = this.methods.map((m) => m.id);
      this.relationships.set('assertionMethod', refs);
      this.log.record(this.rule('assertionMethod-added'), null, '/assertionMethod', `every key of a did:${this.method} document signs credentials, so each is referenced from assertionMethod; without it, Data Integrity proof-purpose checks reject them (DID Core §5.3.2)`, DID_CORE.relationships);
    }

    if (this.detailed) this.resolvePieces();

    const services = this.services();
    const top = this.topLevel();
    for (const name of METADATA_MEMBERS) this.metadataMember(name, upstream);
    this.proof();
    const context = this.context();

    const document: DIDDocument = { '@context': context, id: this.did };
    if (top.controller !== undefined) document.controller = top.controller;
    if (top.alsoKnownAs !== undefined) document.alsoKnownAs = top.alsoKnownAs;
    if (this.methods.length > 0) document.verificationMethod = this.methods;
    for (const rel of VERIFICATION_RELATIONSHIPS) {
      const refs = this.relationships.get(rel);
      if (refs && refs.length > 0) document[rel] = refs;
    }
    if (services && services.length > 0) document.service = services;

    for (const member of SET_MEMBERS) {
      const value = this.native[member];
      if (Array.isArray(value) && value.length === 0) {
        this.log.record(this.rule('empty-member-omitted'), `/${member}`, null, `the empty "${member}" is left out (an absent property and an empty set say the same in DID Core); preserved`, DID_CORE.verificationMethods);
      }
    }

    const preserved: JsonObject = this.detailed
      ? ({ method: this.method, shape: this.shape, order: Object.keys(this.native), members: this.members, arrays: this.arrays } satisfies FamilyPreserved)
      : preserveNativeDocument(this.method, this.shape, this.native, inputs);
    return { didDocument: document, didDocumentMetadata: this.metadata, changes: this.log.changes, preserved };
  }
}

/**
 * The pointer `from` extended by `tokens`: `from` is a pointer this module built (already escaped), so only the new
 * tokens are escaped (rather than splitting `from` into tokens and escaping them all again).
 */
function extend(from: string, ...tokens: Array<string | number>): string {
  return from + pointer(...tokens);
}

/** Whether `value` is `did` followed by "#" and a plain fragment (a DID URL, and a URI: see `isPlainFragment`). */
function isOwnPlainDidUrl(value: unknown, did: string): boolean {
  return typeof value === 'string' && isOwnPlainFragmentUrl(value, did);
}

/** Decides the native shape of a document of `method`. */
export function shapeOf(document: JsonObject, method: FamilyMethod): FamilyShape {
  if (method === 'tdid') return 'tdid';
  return Array.isArray(document.publicKey) || 'created' in document || 'updated' in document ? 'weid-v1' : 'weid';
}

/** Checks the `id` of a native document and returns the DID. */
function documentDid(document: JsonObject, method: FamilyMethod, anyDid: boolean): string {
  const id = document.id;
  if (typeof id !== 'string') throw new InvalidDidDocumentError(`a did:${method} document needs "id", the DID, as a string`);
  if (anyDid) {
    if (!isDid(id)) throw new InvalidDidDocumentError(`the document id ${JSON.stringify(id.slice(0, 80))} is not a DID`);
    return id;
  }
  // The common case by one pattern test (the language parseWeidIdentifier / parseTdidIdentifier accept); the parse
  // below only runs to say what is wrong.
  if ((method === 'weid' ? WEID_IDENTIFIER : TDID_IDENTIFIER).test(id)) return id;
  try {
    if (method === 'weid') parseWeidIdentifier(id, { errorCode: 'INVALID_DID_DOCUMENT' });
    else parseTdidIdentifier(id, { errorCode: 'INVALID_DID_DOCUMENT' });
  } catch (err) {
    if (err instanceof DidBridgeError) throw new InvalidDidDocumentError(`the document id is not a valid did:${method}: ${err.message}`, { cause: err });
    throw err;
  }
  return id;
}

/**
 * A W3C document that was rendered into this shape carries what the shape could not hold (see `render.ts`). While
 * the native document is still exactly what was rendered, the W3C document it came from is restored whole.
 */
function restoreCarried(document: JsonObject, method: FamilyMethod): Translation | { stale: ChangeRecord } | undefined {
  if (!(PRESERVED_MEMBER in document)) return undefined;
  const carried = unwrapPreserved(document, method);
  const rest: JsonObject = { ...document };
  delete rest[PRESERVED_MEMBER];
  const rule = `${method}.w3c-restored`;
  if (carried && carried.shape === 'w3c' && isJsonObject(carried.document) && typeof carried.native === 'string' && carried.native === fingerprint(rest)) {
    const doc = carried.document as DIDDocument;
    const meta = isJsonObject(carried.metadata) ? (carried.metadata as DIDDocumentMetadata) : {};
    return {
      didDocument: doc,
      didDocumentMetadata: meta,
      changes: [{ rule, from: pointer(PRESERVED_MEMBER), to: '', reason: 'the document is a rendering of a W3C document, unchanged since; the W3C document it carries is restored whole', spec: DID_CORE.extensibility }],
    };
  }
  return {
    stale: {
      rule: `${method}.w3c-preserved-ignored`,
      from: pointer(PRESERVED_MEMBER),
      to: null,
      reason: 'the carried W3C document does not match this document any more (it was edited after rendering, or the member is malformed); it is ignored and the document is translated as it is',
      spec: DID_CORE.extensibility,
    },
  };
}

/**
 * Translates a WeIdentity-family native document (did:weid v1 or v3, did:tdid) into W3C DID Core.
 *
 * `preserved` is the native document as given (`preserveNativeDocument`, src/preserved.ts), with the options the
 * result depends on (`upstreamMetadata`, `keyType`, `anyDid`) as its `inputs`: a renderer that needs to know which
 * W3C pieces are untouched translates it again ({@link retranslatePreserved}) instead of every translation hashing
 * every piece.
 *
 * @throws InvalidDidDocumentError when the input is not a document of the method (not an object, no valid `id`, an
 *   array member that is not an array or exceeds `maxEntries`); entries that cannot be translated are dropped with
 *   a change record and preserved instead
 * @example
 * const t = translateFamilyDocument(v1Document, { method: 'weid' })
 * t.didDocument.verificationMethod[0].type // 'Multikey'
 * @see https://www.w3.org/TR/did-core/#core-properties
 */
export function translateFamilyDocument(input: unknown, options: TranslateFamilyOptions): Translation {
  return translateFamily(input, options, false);
}

/**
 * {@link translateFamilyDocument} in either mode. The detailed mode (internal: only the renderer asks for it) builds
 * the piece-by-piece {@link FamilyPreserved} structure, a fingerprint of what the translation made of each native
 * entry and member, as `preserved`; everything else it returns is what the fast mode returns.
 */
export function translateFamily(input: unknown, options: TranslateFamilyOptions, detailed: boolean): Translation {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { method } = options;
  if (method !== 'weid' && method !== 'tdid') throw new TypeError('"options.method" must be "weid" or "tdid"');
  if (options.maxEntries !== undefined && (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1)) {
    throw new TypeError('"options.maxEntries" must be a positive integer');
  }
  if (options.keyType !== undefined && options.keyType !== 'secp256k1' && options.keyType !== 'SM2') {
    throw new TypeError('"options.keyType" must be "secp256k1" or "SM2"');
  }
  if (options.upstreamMetadata !== undefined && !isJsonObject(options.upstreamMetadata)) {
    throw new TypeError('"options.upstreamMetadata" must be an object');
  }
  if (!isJsonObject(input)) throw new InvalidDidDocumentError(`a did:${method} document must be a JSON object`);
  let document = input;
  const carried = restoreCarried(document, method);
  if (carried && 'didDocument' in carried) return carried;
  if (carried) {
    document = { ...document };
    delete document[PRESERVED_MEMBER];
  }
  const did = documentDid(document, method, options.anyDid === true);
  const translator = new FamilyTranslator(document, did, method, shapeOf(document, method), options, detailed);
  const translation = translator.run(options.upstreamMetadata, detailed ? undefined : translationInputs(options));
  if (carried) translation.changes.unshift(carried.stale);
  return translation;
}

/** The options a translation's result depends on besides the document, as carried preserved `inputs`. */
function translationInputs(options: TranslateFamilyOptions): JsonObject | undefined {
  const { upstreamMetadata, keyType, anyDid } = options;
  if (upstreamMetadata === undefined && keyType === undefined && anyDid !== true) return undefined;
  const inputs: JsonObject = {};
  if (upstreamMetadata !== undefined) inputs.upstreamMetadata = upstreamMetadata;
  if (keyType !== undefined) inputs.keyType = keyType;
  if (anyDid === true) inputs.anyDid = true;
  return inputs;
}

/**
 * The piece-by-piece preserved structure of carried preserved data: its native document translated again in the
 * detailed mode, with the carried inputs (and `maxEntries`, the renderer's limit: the adapter's own, so that what its
 * translation accepted renders back). Undefined when the inputs are not what a translation takes or the document
 * does not translate to `shape` (the data is untrusted metadata: the renderer then treats it as absent).
 */
export function retranslatePreserved(
  carried: { document: JsonObject; inputs: JsonObject },
  method: FamilyMethod,
  shape: FamilyShape,
  maxEntries?: number,
): FamilyPreserved | undefined {
  const { upstreamMetadata, keyType, anyDid } = carried.inputs;
  if (upstreamMetadata !== undefined && !isJsonObject(upstreamMetadata)) return undefined;
  if (keyType !== undefined && keyType !== 'secp256k1' && keyType !== 'SM2') return undefined;
  if (anyDid !== undefined && anyDid !== true) return undefined;
  let preserved: unknown;
  try {
    preserved = translateFamily(carried.document, {
      method,
      ...(maxEntries === undefined ? {} : { maxEntries }),
      ...(upstreamMetadata === undefined ? {} : { upstreamMetadata }),
      ...(keyType === undefined ? {} : { keyType }),
      ...(anyDid === true ? { anyDid } : {}),
    }, true).preserved;
  } catch {
    return undefined;
  }
  // A carried document that is itself a rendering of a W3C document translates to that document, with nothing to
  // compare piece by piece.
  return isJsonObject(preserved) && preserved.shape === shape && preserved.method === method ? (preserved as FamilyPreserved) : undefined;
}
