/**
 * Reverse translation: rendering a W3C DID document in the WeIdentity-family document shapes.
 *
 * | shape | what it writes |
 * |---|---|
 * | `weid` | WeIdentity v3: keys embedded in `authentication[]` as `{id: <did>#keys-<8 hex>, type, controller, publicKeyMultibase, publicKey}`, with the pseudo-multibase `publicKeyMultibase` (`ED 01 01` + decimal for secp256k1, `12 06` + decimal for SM2) and the decimal `publicKey` member; `type` is what the SDK writes (`Ed25519VerificationKey2020` in secp256k1 deployments, `SM2VerificationKey` in SM2 ones); the WeIdentity `@context`; services `{id, type, serviceEndpoint}` |
 * | `weid-v1` | WeIdentity v1: `publicKey[]` `{id: <did>#keys-N, type: Secp256k1 \| SM2, owner, publicKey: <decimal>}`, `authentication[]` `{type, publicKey: <key id>}`, `created`/`updated` in epoch ms, services `{type, serviceEndpoint}` |
 * | `tdid` | Tencent TDID: `verificationMethod[]` `{id: <did>#keys-N, type: Secp256k1, controller, publicKey: <decimal>}`, `authentication[]` key ids, `created` in epoch s, `updated` (null when unknown) |
 *
 * Keys: WeIdentity keys are secp256k1 or SM2 only (TDID: secp256k1 only); other keys are left out with a change
 * record. Key ids follow the shape (§3.3: v3 derives `#keys-` + the last 8 hex digits of Keccak-256 of the decimal
 * key; v1 and TDID number them) and references are rewritten to match. v3 holds keys only in `authentication`, where
 * every key authenticates: a key that is not an authentication key is left out rather than given that power.
 *
 * Round trips:
 * - **native → W3C → native**: when the metadata carries `didbridgePreserved` of the same shape (`preserved.ts`), the
 *   native document it carries is translated again in the detailed mode, which fingerprints what became of each
 *   native entry; every entry whose W3C counterpart is unchanged (same fingerprint) is restored byte for byte,
 *   entries that had no counterpart (revoked keys, `$from`, services with a bare-IP endpoint, ...) come back in
 *   place, and the original member order is kept. Edited or new W3C content is rendered fresh. A carried document
 *   that does not translate counts as no preserved data; data of the earlier piece-by-piece form is used as it is.
 * - **W3C → native → W3C**: translating the rendered document back must give the W3C document again. When it would
 *   not (other relationships, key ids, non-WeIdentity keys, `alsoKnownAs`, ...), the rendered document carries the
 *   W3C document in a `didbridgePreserved` member (wrapped JSON text plus a fingerprint of the rendered document),
 *   and `translateFamilyDocument` restores it while the native document is unchanged. The WeIdentity SDK rejects
 *   unknown members, so `carry: false` renders the bare shape for feeding a WeIdentity service.
 *
 * @see ./translate.ts (the forward rules)
 * @see /work/shared/docs/domestic-methods.md §3.3-3.5, §6
 */
import type { DocumentRenderer } from '../../src/adapter.js';
import { InvalidDidDocumentError } from '../../src/errors.js';
import { encodeDecimalPublicKey, encodeWeidPseudoMultibase } from '../../src/keys/codecs.js';
import { decompressPoint } from '../../src/keys/curves.js';
import { weidVerificationMethodFragment } from '../../src/keys/derive.js';
import type { PublicKey } from '../../src/keys/multikey.js';
import {
  VERIFICATION_RELATIONSHIPS,
  type ChangeRecord,
  type DIDDocument,
  type DIDDocumentMetadata,
  type JsonObject,
  type JsonValue,
} from '../../src/spec.js';
import { isDidUrl } from '../../src/syntax/did-url.js';
import { ChangeLog, DID_CORE, metadataPointer, pointer } from '../../src/translation.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { readKeyMaterial } from './keys.js';
import { carriedNativeDocument } from '../../src/preserved.js';
import {
  PRESERVED_MEMBER,
  canonicalJson,
  fingerprint,
  isJsonObject,
  piecewisePreserved,
  unwrapPreserved,
  wrapPreserved,
  type FamilyPreserved,
  type PreservedPiece,
} from './preserved.js';
import { TDID_CONTEXT, WEID_CONTEXT, retranslatePreserved, translateFamilyDocument, type FamilyMethod, type FamilyShape } from './translate.js';

/** Options of {@link createFamilyRenderer}. */
export interface FamilyRendererOptions {
  /** The native shape to write. */
  shape: FamilyShape;
  /**
   * Carry what the shape cannot hold in a `didbridgePreserved` member, so translating the rendering back restores the
   * W3C document. Default true; false writes the bare native shape.
   */
  carry?: boolean;
  /**
   * Most entries accepted in any one array of a carried native document when it is translated again (the adapter's
   * own `maxEntries`, so that what its translation accepted renders back). Default: the translation's default.
   */
  maxEntries?: number;
}

interface ShapeSpec {
  method: FamilyMethod;
  context: string;
  /** The member the keys live in. */
  keysMember: 'authentication' | 'publicKey' | 'verificationMethod';
  /** Key types the shape can hold. */
  keyTypes: ReadonlyArray<PublicKey['type']>;
  /** Top-level member order of a fresh rendering. */
  order: readonly string[];
  /** Epoch unit of in-document dates, or undefined when the shape has none. */
  dates: 'ms' | 's' | undefined;
}

const SHAPES: Readonly<Record<FamilyShape, ShapeSpec>> = {
  weid: {
    method: 'weid',
    context: WEID_CONTEXT,
    keysMember: 'authentication',
    keyTypes: ['secp256k1', 'SM2'],
    order: ['@context', 'id', 'authentication', 'service'],
    dates: undefined,
  },
  'weid-v1': {
    method: 'weid',
    context: WEID_CONTEXT,
    keysMember: 'publicKey',
    keyTypes: ['secp256k1', 'SM2'],
    order: ['@context', 'id', 'created', 'updated', 'publicKey', 'authentication', 'service'],
    dates: 'ms',
  },
  tdid: {
    method: 'tdid',
    context: TDID_CONTEXT,
    keysMember: 'verificationMethod',
    keyTypes: ['secp256k1'],
    order: ['@context', 'id', 'created', 'updated', 'verificationMethod', 'authentication', 'service'],
    dates: 's',
  },
};

/** What the WeIdentity v3 SDK writes as `type` for each deployment's keys (§3.4). */
const V3_TYPE_NAMES: Readonly<Partial<Record<PublicKey['type'], string>>> = { secp256k1: 'Ed25519VerificationKey2020', SM2: 'SM2VerificationKey' };
/** What v1 and TDID write as `type`. */
const V1_TYPE_NAMES: Readonly<Partial<Record<PublicKey['type'], string>>> = { secp256k1: 'Secp256k1', SM2: 'SM2' };

/** A verification method of the W3C document, where it was found. Its key is read only when it is rendered fresh. */
interface W3cKey {
  vm: JsonObject;
  id: string;
  from: string;
  read?: { key: PublicKey | undefined; why: string | undefined };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** One rendering. */
class FamilyRenderer {
  private readonly log = new ChangeLog();
  private readonly rule: (what: string) => string;
  private readonly spec: ShapeSpec;
  private readonly did: string;
  private readonly keys: W3cKey[] = [];
  private readonly keyById = new Map<string, W3cKey>();
  private readonly refs = new Map<string, string[]>();
  /** W3C key id → the id the native document gives it. */
  private readonly nativeIds = new Map<string, string>();
  private readonly consumedKeys = new Set<string>();
  private readonly consumedAuth = new Set<string>();

  constructor(
    private readonly shape: FamilyShape,
    private readonly doc: DIDDocument,
    private readonly metadata: DIDDocumentMetadata | undefined,
    private readonly preserved: FamilyPreserved | undefined,
  ) {
    this.spec = SHAPES[shape];
    this.rule = (what) => `${this.spec.method}.render.${what}`;
    this.did = doc.id;
  }

  private absolute(ref: string): string | undefined {
    if (ref.startsWith('#') && isDidUrl(this.did + ref)) return this.did + ref;
    return isDidUrl(ref) ? ref : undefined;
  }

  private readW3c(): void {
    const add = (vm: unknown, from: string) => {
      if (!isJsonObject(vm) || typeof vm.id !== 'string') {
        this.log.record(this.rule('key-left-out'), from, null, 'the verification method is not a map with an id; left out', DID_CORE.verificationMethods);
        return undefined;
      }
      const id = this.absolute(vm.id) ?? vm.id;
      if (this.keyById.has(id)) return id;
      const entry: W3cKey = { vm, id, from };
      this.keys.push(entry);
      this.keyById.set(id, entry);
      return id;
    };
    const vms = this.doc.verificationMethod;
    if (Array.isArray(vms)) vms.forEach((vm, i) => add(vm, pointer('verificationMethod', i)));
    for (const rel of VERIFICATION_RELATIONSHIPS) {
      const entries = this.doc[rel];
      if (!Array.isArray(entries)) continue;
      const list: string[] = [];
      entries.forEach((e, i) => {
        const id = typeof e === 'string' ? this.absolute(e) : add(e, pointer(rel, i));
        if (id !== undefined && !list.includes(id)) list.push(id);
      });
      this.refs.set(rel, list);
    }
  }

  /** Reads a W3C key (once), deciding whether the shape can hold it. */
  private keyOf(k: W3cKey): { key: PublicKey | undefined; why: string | undefined } {
    if (k.read) return k.read;
    let key: PublicKey | undefined;
    let why: string | undefined;
    try {
      const material = readKeyMaterial(k.vm, { label: k.from });
      if (!material) why = 'it carries no public key (e.g. only a blockchainAccountId)';
      else if (!material.publicKey) why = 'it is an RSA key';
      else if (!this.spec.keyTypes.includes(material.publicKey.type)) why = `it is a ${material.publicKey.type} key`;
      else key = material.publicKey;
    } catch (err) {
      why = `its key cannot be read (${(err as Error).message})`;
    }
    k.read = { key, why };
    return k.read;
  }

  private inAuthentication(id: string): boolean {
    return (this.refs.get('authentication') ?? []).includes(id);
  }

  private readonly fingerprints = new Map<unknown, string>();

  /** Fingerprints are computed once per W3C piece: matching n pieces against n entries must not hash n² times. */
  private cached(key: unknown, make: () => unknown): string {
    let fp = this.fingerprints.get(key);
    if (fp === undefined) {
      fp = fingerprint(make());
      this.fingerprints.set(key, fp);
    }
    return fp;
  }

  private keyFingerprint(k: W3cKey): string {
    return this.cached(k, () => ({ verificationMethod: k.vm, authentication: this.inAuthentication(k.id) }));
  }

  /** Restores the pieces of one native array; returns the restored entries in order. */
  private restore(member: string, match: (p: PreservedPiece) => boolean): JsonValue[] {
    const out: JsonValue[] = [];
    for (const [i, p] of (this.preserved?.arrays[member] ?? []).entries()) {
      if (p.translated === null || match(p)) out.push(clone(p.original));
      else {
        this.log.record(this.rule('original-superseded'), null, null, `the original ${member}[${i}] no longer matches the W3C document (edited since translation); the W3C content is rendered instead`, DID_CORE.extensibility);
      }
    }
    return out;
  }

  private decimalOf(key: PublicKey): string {
    return encodeDecimalPublicKey(decompressPoint(key.type as 'secp256k1' | 'SM2', key.bytes));
  }

  private leftOut(k: W3cKey, why: string | undefined): void {
    this.log.record(
      this.rule('key-left-out'),
      k.from,
      null,
      `did:${this.spec.method} documents hold ${this.spec.keyTypes.join(' or ')} keys only, and ${why}; the key is left out`,
      DID_CORE.verificationMethods,
    );
  }

  /** Builds the key array (and, for v1/TDID, the authentication array). */
  private keyArrays(): { keys: JsonValue[]; authentication: JsonValue[] | undefined } {
    const { keysMember } = this.spec;
    const keyPieces = (p: PreservedPiece) => {
      const k = this.keys.find((x) => !this.consumedKeys.has(x.id) && this.keyFingerprint(x) === p.translated);
      if (!k) return false;
      this.consumedKeys.add(k.id);
      const original = p.original;
      if (isJsonObject(original) && typeof original.id === 'string') this.nativeIds.set(k.id, this.absolute(original.id) ?? original.id);
      if (keysMember === 'authentication') this.consumedAuth.add(k.id);
      return true;
    };
    const refPieces = (p: PreservedPiece) => {
      const ref = (this.refs.get('authentication') ?? []).find(
        (r) => !this.consumedAuth.has(r) && this.cached(`authentication ${r}`, () => ({ relationship: 'authentication', ref: r })) === p.translated,
      );
      if (ref === undefined) return false;
      this.consumedAuth.add(ref);
      return true;
    };
    const keys = this.restore(keysMember, keysMember === 'authentication' ? (p) => keyPieces(p) || refPieces(p) : keyPieces);
    const authentication = keysMember === 'authentication' ? undefined : this.restore('authentication', refPieces);

    // Fresh entries for keys the preserved data did not cover.
    const usedIds = new Set(keys.flatMap((e) => (isJsonObject(e) && typeof e.id === 'string' ? [this.absolute(e.id) ?? e.id] : [])));
    let next = 0;
    const sequentialId = () => {
      while (usedIds.has(`${this.did}#keys-${next}`)) next++;
      const id = `${this.did}#keys-${next++}`;
      usedIds.add(id);
      return id;
    };
    for (const k of this.keys) {
      if (this.consumedKeys.has(k.id)) continue;
      const { key, why } = this.keyOf(k);
      if (!key) {
        this.leftOut(k, why);
        continue;
      }
      if (keysMember === 'authentication' && !this.inAuthentication(k.id)) {
        this.log.record(this.rule('key-left-out'), k.from, null, 'WeIdentity v3 documents hold keys only in authentication, where every key authenticates; this key is not an authentication key, so it is left out rather than given that power', DID_CORE.relationships);
        continue;
      }
      const decimal = this.decimalOf(key);
      const controller = typeof k.vm.controller === 'string' ? k.vm.controller : this.did;
      const at = keys.length;
      let entry: JsonObject;
      if (this.shape === 'weid') {
        const id = `${this.did}#${weidVerificationMethodFragment(decimal)}`;
        entry = {
          id,
          type: V3_TYPE_NAMES[key.type]!,
          controller,
          publicKeyMultibase: encodeWeidPseudoMultibase({ variant: key.type as 'secp256k1' | 'SM2', decimal }),
          publicKey: decimal,
        };
        this.consumedAuth.add(k.id);
        this.log.record(this.rule('key-embedded'), k.from, pointer('authentication', at), `the ${key.type} key is embedded in authentication with the id WeIdentity v3 derives (domestic-methods.md §3.3), the pseudo-multibase and decimal encodings, and the type the SDK writes (${V3_TYPE_NAMES[key.type]})`, DID_CORE.verificationMethods);
      } else {
        const id = sequentialId();
        entry = this.shape === 'weid-v1'
          ? { id, type: V1_TYPE_NAMES[key.type]!, owner: controller, publicKey: decimal }
          : { id, type: V1_TYPE_NAMES[key.type]!, controller, publicKey: decimal };
        this.log.record(this.rule('key-written'), k.from, pointer(keysMember, at), `the ${key.type} key is written as a decimal X‖Y under "${keysMember}" with a numbered id`, DID_CORE.verificationMethods);
      }
      if (entry.id !== k.id) {
        this.log.record(this.rule('key-id-rewritten'), pointer(...fromTokens(k.from), 'id'), pointer(keysMember, at, 'id'), `${k.id} is ${String(entry.id)} in this shape; references follow`, DID_CORE.verificationMethods);
      }
      this.nativeIds.set(k.id, entry.id as string);
      this.consumedKeys.add(k.id);
      keys.push(entry);
    }

    if (authentication !== undefined) {
      for (const ref of this.refs.get('authentication') ?? []) {
        if (this.consumedAuth.has(ref)) continue;
        const native = this.nativeIds.get(ref);
        if (native === undefined) {
          this.log.record(this.rule('reference-left-out'), pointer('authentication'), null, `${ref} names no key this document holds; left out`, DID_CORE.relationships);
          continue;
        }
        const k = this.keyById.get(ref)!;
        const at = authentication.length;
        authentication.push(this.shape === 'weid-v1' ? { type: V1_TYPE_NAMES[this.keyOf(k).key!.type]!, publicKey: native } : native);
        this.log.record(this.rule('authentication-written'), pointer('authentication'), pointer('authentication', at), `the authentication reference to ${ref} is written as ${this.shape === 'weid-v1' ? 'a {type, publicKey} object' : 'a key id'}`, DID_CORE.relationships);
      }
    } else {
      for (const ref of this.refs.get('authentication') ?? []) {
        if (!this.consumedAuth.has(ref) && !this.keyById.has(ref)) {
          this.log.record(this.rule('reference-left-out'), pointer('authentication'), null, `${ref} is a reference to a key of another document; WeIdentity v3 embeds every authentication key, so it is left out`, DID_CORE.relationships);
        }
      }
    }
    return { keys, authentication };
  }

  private services(): JsonValue[] {
    const w3c = Array.isArray(this.doc.service) ? this.doc.service : [];
    const consumed = new Set<number>();
    const out = this.restore('service', (p) => {
      const i = w3c.findIndex((s, j) => !consumed.has(j) && this.cached(s, () => s) === p.translated);
      if (i < 0) return false;
      consumed.add(i);
      return true;
    });
    w3c.forEach((s, i) => {
      if (consumed.has(i)) return;
      const from = pointer('service', i);
      if (!isJsonObject(s) || typeof s.type !== 'string' || typeof s.serviceEndpoint !== 'string') {
        this.log.record(this.rule('service-left-out'), from, null, 'WeIdentity services are {type, serviceEndpoint} with one type and one endpoint URI; this service is not, so it is left out', DID_CORE.services);
        return;
      }
      const at = out.length;
      if (this.shape === 'weid-v1') {
        out.push({ type: s.type, serviceEndpoint: s.serviceEndpoint });
        this.log.record(this.rule('service-written'), from, pointer('service', at), 'WeIdentity v1 services have no id; the id is not written', DID_CORE.services);
      } else {
        out.push({ id: s.id, type: s.type, serviceEndpoint: s.serviceEndpoint });
      }
      for (const extra of Object.keys(s).filter((k) => !['id', 'type', 'serviceEndpoint'].includes(k))) {
        this.log.record(this.rule('service-member-left-out'), pointer('service', i, extra), null, `the shape has no place for the service's "${extra}"; left out`, DID_CORE.services);
      }
    });
    return out;
  }

  /** The native value of a metadata-backed member (created, updated, ...), preferring the preserved original. */
  private dateMember(name: 'created' | 'updated' | 'deactivated' | 'versionId'): { value: JsonValue; present: boolean } {
    const original = this.preserved?.members[name];
    const meta = this.metadata?.[name];
    const current = name === 'created' || name === 'updated'
      ? (typeof meta === 'string' ? normaliseDatetime(meta) : undefined)
      : name === 'deactivated' ? meta === true : typeof meta === 'string' ? meta : undefined;
    if (original && (meta === undefined || original.translated === null || original.translated === fingerprint(current))) {
      return { value: clone(original.original), present: true };
    }
    if (name === 'created' || name === 'updated') {
      if (current === undefined) return { value: null, present: false };
      const ms = Date.parse(current as string);
      const value = this.spec.dates === 's' ? Math.floor(ms / 1000) : ms;
      this.log.record(this.rule(`${name}-written`), metadataPointer(name), pointer(name), `the metadata ${name} ${String(current)} is written as epoch ${this.spec.dates === 's' ? 'seconds' : 'milliseconds'}`, DID_CORE.metadata);
      return { value, present: true };
    }
    if (name === 'deactivated') return current === true ? { value: true, present: true } : { value: null, present: false };
    if (typeof current === 'string' && /^[0-9]{1,15}$/.test(current)) return { value: Number(current), present: true };
    return { value: null, present: false };
  }

  private leftOutMembers(): void {
    const handled = new Set(['@context', 'id', 'verificationMethod', 'authentication', 'service', 'assertionMethod']);
    const aka = this.preserved?.arrays.alsoKnownAs;
    for (const name of Object.keys(this.doc)) {
      if (handled.has(name)) continue;
      if (name === 'alsoKnownAs' && aka) continue;
      if (name === 'controller' && this.preserved?.members.controller?.translated === fingerprint(this.doc.controller)) continue;
      this.log.record(this.rule('member-left-out'), pointer(name), null, `did:${this.spec.method} documents have no place for "${name}"; left out`, DID_CORE.extensibility);
    }
    // WeIdentity and TDID keys all sign credentials: an assertionMethod listing exactly the written keys says no more.
    const assertion = this.refs.get('assertionMethod');
    if (assertion) {
      const written = new Set([...this.nativeIds.keys()]);
      const same = assertion.length === written.size && assertion.every((id) => written.has(id));
      if (!same) {
        this.log.record(this.rule('member-left-out'), pointer('assertionMethod'), null, `did:${this.spec.method} has no assertionMethod: every key it holds signs credentials, which is not what this assertionMethod says; left out`, DID_CORE.relationships);
      }
    }
  }

  render(): JsonObject {
    this.readW3c();
    const { keys, authentication } = this.keyArrays();
    const services = this.services();
    const out: JsonObject = {};
    const p = this.preserved;
    const arrays: Record<string, JsonValue[] | undefined> = {
      [this.spec.keysMember]: keys,
      ...(authentication === undefined ? {} : { authentication }),
      service: services,
    };
    if (p) {
      for (const name of p.order) {
        if (name === 'id') out.id = this.did;
        else if (name in arrays) out[name] = arrays[name]!;
        else if (name === 'alsoKnownAs') {
          const current = Array.isArray(this.doc.alsoKnownAs) ? this.doc.alsoKnownAs : [];
          out[name] = this.restore('alsoKnownAs', (piece) => current.some((v) => this.cached(`alsoKnownAs ${v}`, () => ({ alsoKnownAs: v })) === piece.translated));
        } else if (name === 'created' || name === 'updated' || name === 'deactivated' || name === 'versionId') {
          const { value, present } = this.dateMember(name);
          if (present) out[name] = value;
        } else if (name === 'controller') {
          const m = p.members.controller!;
          if (m.translated === null || m.translated === fingerprint(this.doc.controller)) out[name] = clone(m.original);
        } else if (p.members[name]) out[name] = clone(p.members[name]!.original);
      }
      // Arrays the original did not have but the W3C document now fills.
      for (const [name, value] of Object.entries(arrays)) if (!(name in out) && value && value.length > 0) out[name] = value;
    } else {
      for (const name of this.spec.order) {
        if (name === '@context') out[name] = this.spec.context;
        else if (name === 'id') out.id = this.did;
        else if (name === 'created' || name === 'updated') {
          const { value, present } = this.dateMember(name);
          if (present) out[name] = value;
          else if (this.shape === 'tdid' && name === 'updated') out[name] = null;
        } else out[name] = arrays[name] ?? [];
      }
      if (this.shape === 'tdid') {
        for (const name of ['deactivated', 'versionId'] as const) {
          const { value, present } = this.dateMember(name);
          if (present) out[name] = value;
        }
      }
      if (JSON.stringify(this.doc['@context']) !== JSON.stringify(this.spec.context)) {
        this.log.record(this.rule('context-written'), pointer('@context'), pointer('@context'), `the did:${this.spec.method} context ${this.spec.context} is written`, DID_CORE.context);
      }
    }
    this.leftOutMembers();
    return out;
  }

  get changes(): ChangeRecord[] {
    return this.log.changes;
  }
}

function fromTokens(ptr: string): string[] {
  return ptr === '' ? [] : ptr.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The piece-by-piece preserved structure for rendering `shape` from metadata: the carried native document translated
 * again in the detailed mode (its fingerprints are what the W3C pieces are compared with), or preserved data of the
 * earlier piece-by-piece form as it is. Undefined when there is none for this method and shape, or when it is
 * malformed or its document does not translate: a round trip is then rendered from the W3C document alone.
 */
function preservedFor(metadata: DIDDocumentMetadata | undefined, method: FamilyMethod, shape: FamilyShape, maxEntries: number | undefined): FamilyPreserved | undefined {
  const data = unwrapPreserved(metadata, method);
  if (!data || data.shape !== shape) return undefined;
  const carried = carriedNativeDocument(data);
  return carried ? retranslatePreserved(carried, method, shape, maxEntries) : piecewisePreserved(data);
}

/**
 * Renders a W3C document in one of the WeIdentity-family shapes (see the module comment).
 *
 * @param shape `weid` (v3), `weid-v1` or `tdid`
 * @param document a resolved W3C DID document (any method)
 * @param metadata its document metadata; with `didbridgePreserved` of the same shape, originals are restored
 * @param carry carry what the shape cannot hold (default true, see {@link FamilyRendererOptions})
 * @param maxEntries the translation limit for the carried native document and for reading the rendering back (the
 *   adapter's own `maxEntries`; default the translation's default)
 * @throws TypeError when `document` is not an object or `maxEntries` is not a positive integer;
 *   InvalidDidDocumentError when it has no string `id`
 */
export function renderFamilyDocument(
  options: { shape: FamilyShape; document: DIDDocument; metadata?: DIDDocumentMetadata; carry?: boolean; maxEntries?: number },
): { document: JsonObject; changes: ChangeRecord[] } {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { shape, document, metadata, maxEntries } = options;
  if (!(shape in SHAPES)) throw new TypeError(`"shape" must be one of ${Object.keys(SHAPES).join(', ')}, got ${JSON.stringify(shape)}`);
  if (!isJsonObject(document)) throw new TypeError('"document" must be a DID document object');
  if (metadata !== undefined && !isJsonObject(metadata)) throw new TypeError('"metadata" must be an object');
  if (maxEntries !== undefined && (!Number.isSafeInteger(maxEntries) || maxEntries < 1)) throw new TypeError('"maxEntries" must be a positive integer');
  if (typeof document.id !== 'string' || document.id === '') throw new InvalidDidDocumentError('the document has no "id" to render');
  const spec = SHAPES[shape];
  const preserved = preservedFor(metadata, spec.method, shape, maxEntries);
  const renderer = new FamilyRenderer(shape, document, metadata, preserved);
  const native = renderer.render();
  const changes = renderer.changes;
  if (options.carry === false) return { document: native, changes };

  // Would translating the rendering back give this W3C document? If not, carry it.
  let back: unknown;
  try {
    back = translateFamilyDocument(native, { method: spec.method, anyDid: true, ...(maxEntries === undefined ? {} : { maxEntries }) }).didDocument;
  } catch {
    back = undefined;
  }
  if (back !== undefined && canonicalJson(back) === canonicalJson(document)) return { document: native, changes };
  const meta: JsonObject = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (k !== PRESERVED_MEMBER && v !== undefined) meta[k] = v as JsonValue;
  native[PRESERVED_MEMBER] = wrapPreserved({
    method: spec.method,
    shape: 'w3c',
    document: clone(document) as JsonObject,
    metadata: meta,
    native: fingerprint(native),
  });
  changes.push({
    rule: `${spec.method}.render.w3c-preserved`,
    from: '',
    to: pointer(PRESERVED_MEMBER),
    reason: `the ${shape} shape cannot hold all of the W3C document (see the other records); the document is carried in "${PRESERVED_MEMBER}" so that translating this rendering back restores it`,
    spec: DID_CORE.extensibility,
  });
  return { document: native, changes };
}

/**
 * A `DocumentRenderer` for one WeIdentity-family shape.
 * @example createFamilyRenderer({ shape: 'weid' }).render(didKeyDocument).document.authentication[0].publicKeyMultibase
 */
export function createFamilyRenderer(options: FamilyRendererOptions): DocumentRenderer {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { shape } = options;
  if (!(shape in SHAPES)) throw new TypeError(`"shape" must be one of ${Object.keys(SHAPES).join(', ')}, got ${JSON.stringify(shape)}`);
  if (options.carry !== undefined && typeof options.carry !== 'boolean') throw new TypeError('"carry" must be a boolean');
  const { maxEntries } = options;
  if (maxEntries !== undefined && (!Number.isSafeInteger(maxEntries) || maxEntries < 1)) throw new TypeError('"maxEntries" must be a positive integer');
  const carry = options.carry ?? true;
  return {
    shape,
    render: (document, metadata) =>
      renderFamilyDocument({ shape, document, ...(metadata === undefined ? {} : { metadata }), carry, ...(maxEntries === undefined ? {} : { maxEntries }) }),
  };
}

/** The did:weid renderers: `weid` (v3) and `weid-v1`. */
export function createWeidRenderers(options: { carry?: boolean; maxEntries?: number } = {}): DocumentRenderer[] {
  return [createFamilyRenderer({ shape: 'weid', ...options }), createFamilyRenderer({ shape: 'weid-v1', ...options })];
}
