/**
 * Translation of pre-DID-Core documents (did:ccp, did:ctid) into W3C DID Core, recording every change.
 *
 * Both methods publish documents of the 2018-2019 DID drafts: keys under `publicKey` or embedded in
 * `authentication`, `publicKeyHex` material under unregistered type names, `created` / `updated` / `version` /
 * `proof` inside the document, services with empty or scheme-less endpoints. One engine handles both, driven by a
 * {@link LegacyProfile} that says what differs. The rules (domestic-methods.md §10), each recorded as
 * `<method>.<rule>` with JSON pointers into the native document and into the result (or `#metadata/...`):
 *
 * | native | W3C | rule |
 * |---|---|---|
 * | no `id` (a did:ccp Base DID Document) | the DID derived from it | `id-derived` |
 * | `context` / legacy `@context` | `@context`: DID v1 first, plus the Multikey / JWK contexts the keys need | `context-to-@context`, `context-added`, `context-normalised` |
 * | `publicKey[]` | `verificationMethod[]` | `publicKey-to-verificationMethod` |
 * | relative key ids (`#keys-1`) | absolute DID URLs | `key-id-absolute` |
 * | `owner`, no controller | `controller` | `owner-to-controller`, `controller-added` |
 * | declared `Secp256k1`, `sm2p256v1`, … | `Multikey` (or `JsonWebKey` for RSA), the key type decided from the key bytes | `key-type-to-Multikey`, `declared-type-mismatch` |
 * | `publicKeyHex`, `publicKeyBase58`, `publicKeyPem` | `publicKeyMultibase` (or `publicKeyJwk`) | `publicKeyHex-to-publicKeyMultibase`, … |
 * | keys with unusable material | left out, preserved | `key-unusable` |
 * | keys embedded in relationships | lifted to `verificationMethod`, referenced | `embedded-key-lifted` |
 * | references `#key-N` to keys `#keys-N` (did:ccp) | repaired | `reference-repaired` |
 * | relative, dangling, duplicate references | absolute / dropped | `reference-absolute`, `reference-dropped` |
 * | (none) | `assertionMethod`: the document's own authentication keys | `assertionMethod-added` |
 * | per-key `expirationDate` (did:ctid) | `expires` (Controlled Identifiers 1.0 §2.2) | `expirationDate-to-expires` |
 * | `created`, `updated`, `update`, `version`, `versionId` | document metadata (`YYYY-MM-DDTHH:MM:SSZ`, ASCII `versionId`) | `<member>-to-metadata…` |
 * | `proof` | document metadata `proof`, never claimed verified | `proof-to-metadata` |
 * | `revoked` (did:ctid Delete) | `deactivated: true` | `revoked-to-deactivated` |
 * | services: no `id`; relative ids; scheme-less endpoints; empty placeholders | `#service-N`; absolute; built URI or left out | `service-id-added`, `service-endpoint-built`, `service-dropped`, `service-placeholder-dropped` |
 * | `alsoKnownAs` objects / non-URIs | URI strings; the rest preserved | `alsoKnownAs-object-to-uri`, `alsoKnownAs-non-uri-preserved` |
 * | `recovery`, unknown members | preserved | `recovery-preserved`, `unknown-member-preserved` |
 *
 * **Services whose endpoint is not a URI** are left out of the W3C document (with a `service-dropped` record) unless
 * the service itself says how to reach the host (a `protocol` scheme, optionally a `port`), in which case the URI is
 * built. Keeping such a service "with a note" would put a non-URI endpoint into the document, which DID Core §5.4
 * forbids, so it is preserved instead and comes back on reverse translation.
 *
 * **Lossless.** The native document itself is kept, as the translation received it, in `Translation.preserved` and in
 * `didDocumentMetadata.didbridgePreserved` (`preserveNativeDocument`, src/preserved.ts). `render.ts` restores the
 * native document from it: it translates the carried document again in the *detailed* mode
 * ({@link translateLegacyDocumentDetailed}), which also builds the piece-by-piece structure of `preserved.ts` (every
 * native member with a fingerprint of what it became), and compares those fingerprints with the W3C document it is
 * given. The forward translation, which runs on every resolution, computes no fingerprints: they cost a fifth of a
 * did:ccp translation and only a reverse translation needs them.
 *
 * @see https://www.w3.org/TR/did-core/
 * @see /work/shared/docs/domestic-methods.md §7, §8, §10
 */
import type { Translation } from '../../../src/adapter.js';
import { InvalidDidDocumentError } from '../../../src/errors.js';
import {
  DID_CORE_CONTEXT_V1,
  VERIFICATION_RELATIONSHIPS,
  type DIDDocument,
  type DIDDocumentMetadata,
  type JsonObject,
  type JsonValue,
  type Service,
  type VerificationMethod,
  type VerificationRelationship,
  type VerificationRelationshipEntry,
} from '../../../src/spec.js';
import { DEFAULT_MAX_DID_URL_LENGTH, isDid, isDidUrl } from '../../../src/syntax/did-url.js';
import { ChangeLog, DID_CORE, escapePointerToken, metadataPointer, pointer } from '../../../src/translation.js';
import { normaliseDatetime } from '../../../src/util/datetime.js';
import { isUri, normalisationProblem, uriProblem } from '../../../src/util/uri.js';
import { isPlainNormalHttpUri } from '../../bid/services.js';
import { canonicalJson, flattened, isJsonObject, isMetadataValue, jsonString, kindOf } from './json.js';
import { readConvertedMaterial, NATIVE_MATERIAL_MEMBERS, W3C_MATERIAL_MEMBERS } from './key-material.js';
import { preserveNativeDocument } from '../../../src/preserved.js';
import {
  PRESERVED_METADATA_MEMBER,
  counterpartFingerprint,
  preservedMember,
  preservedToMetadata,
  wrapCarriedDocument,
  type PreservedDocument,
} from './preserved.js';
import { JWK_CONTEXT_V1, MULTIKEY_CONTEXT_V1 } from '../../../src/spec.js';
import type { KeyType } from '../../../src/keys/multikey.js';

/** Contexts of pre-DID-Core drafts of the DID vocabulary; the DID v1 context replaces them. */
export const LEGACY_DID_CONTEXTS: readonly string[] = [
  'https://w3id.org/did/v1',
  'https://www.w3.org/2019/did/v1',
  'https://w3id.org/did/v0.11',
];

/** What differs between the methods the engine translates. */
export interface LegacyProfile {
  /** The DID method, without `did:` (the prefix of every rule id). */
  method: string;
  /** The native document shape (the renderer that restores it, and the `shape` of preserved data). */
  shape: string;
  /** Top-level members holding keys, besides `verificationMethod` (did:ccp: `publicKey`). */
  keyMembers: readonly string[];
  /** Native members that become DID document metadata, and which property they become. Earlier entries win. */
  metadataMembers: Readonly<Record<string, 'created' | 'updated' | 'versionId'>>;
  /** Native members DID Core has no place for, with the reason recorded when they are preserved. */
  nativeOnlyMembers: Readonly<Record<string, string>>;
  /** Repair references `#key-N` ↔ `#keys-N` that miss every key id but hit one after that swap (did:ccp). */
  repairKeyReferences: boolean;
  /** Leave out services whose `type` and `serviceEndpoint` are both empty (did:ctid's placeholder). */
  dropPlaceholderServices: boolean;
  /** A member whose non-empty value says the DID is deactivated (did:ctid `revoked`). */
  deactivationMember?: string;
  /** A per-key member holding the key's expiry (did:ctid `expirationDate`), moved to `expires`. */
  keyExpiryMember?: string;
  /** Why `assertionMethod` is added (the method's keys sign credentials). */
  assertionMethodReason: string;
  /** Why the proof is moved to metadata unverified. */
  proofReason: string;
  /**
   * Derives the DID of a document that has no `id` (did:ccp Base DID Documents); without it, no `id` is an error.
   * `nativeText` is `JSON.stringify(native)` (the translation writes the same text into the preserved data).
   */
  deriveMissingId?: (native: JsonObject, nativeText: string) => { did: string; reason: string };
  /** Reverse translation: the top-level member keys are rendered into (`publicKey`, or `authentication` for keys embedded there). */
  renderKeysInto: 'publicKey' | 'authentication';
  /** Reverse translation: the type name written for each key type (others get `Multikey`, which names no key type). */
  renderTypeNames: Readonly<Partial<Record<KeyType, string>>>;
  /** Reverse translation: the member names metadata goes back into, and whether `version` is a number. */
  renderMetadata: { created: string; updated: string; versionId: string; versionIdAsNumber: boolean };
  /** Reverse translation: the native member order (members not listed follow in W3C order). */
  renderOrder: readonly string[];
}

/** A translation plus what resolution needs from it. */
export interface LegacyTranslation extends Translation {
  /**
   * The preserved data: `{ method, shape, document }` with the native document (`preserveNativeDocument`); in the
   * detailed mode ({@link translateLegacyDocumentDetailed}) the piece-by-piece {@link PreservedDocument} instead.
   */
  preserved: JsonObject;
  /** The native document that was translated. */
  native: JsonObject;
  /** The document says the DID is deactivated (did:ctid `revoked`). */
  deactivated: boolean;
}

/** Options of {@link translateLegacyDocument}. */
export interface LegacyTranslateOptions {
  /** The DID being resolved: a document about another DID is refused (INVALID_DID_DOCUMENT). */
  expectedDid?: string;
  /**
   * Most entries read from any top-level list (keys, each relationship, services, alsoKnownAs, contexts). Deciding a
   * key type costs curve arithmetic, so a document listing thousands of keys is refused (INVALID_DID_DOCUMENT) rather
   * than worked through. Default {@link LEGACY_DEFAULTS}.maxEntries.
   */
  maxEntries?: number;
}

/** Defaults of {@link LegacyTranslateOptions}. */
export const LEGACY_DEFAULTS = { maxEntries: 256 } as const;

/** Reads an adapter's `maxEntries` setting (a positive integer up to 100 000, or its decimal text from the environment). */
export function readMaxEntries(value: unknown): number {
  if (value === undefined) return LEGACY_DEFAULTS.maxEntries;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 100_000) {
    throw new TypeError(`"maxEntries" must be an integer from 1 to 100000, got ${JSON.stringify(value)}`);
  }
  return n;
}

const PRESERVED_TO = metadataPointer(PRESERVED_METADATA_MEMBER);
const WHY_PRESERVED = 'kept in didbridgePreserved so that reverse translation restores it';

/** The members whose W3C counterpart is the key section (verification methods and relationships). */
export function keySectionMembers(profile: LegacyProfile): string[] {
  return [...profile.keyMembers, 'verificationMethod', ...VERIFICATION_RELATIONSHIPS];
}

/** The rules whose ids are the same for every document of a method (`<method>.<what>`, see {@link ProfilePlan.rule}). */
const FIXED_RULES = [
  'alsoKnownAs-non-uri-preserved',
  'alsoKnownAs-object-to-uri',
  'assertionMethod-added',
  'context-added',
  'context-normalised',
  'context-to-@context',
  'controller-added',
  'controller-dropped',
  'declared-type-mismatch',
  'embedded-key-lifted',
  'id-derived',
  'id-trimmed',
  'key-dropped',
  'key-duplicate-dropped',
  'key-id-absolute',
  'key-members-preserved',
  'key-type-to-JsonWebKey',
  'key-type-to-Multikey',
  'key-unusable',
  'owner-to-controller',
  'proof-preserved',
  'proof-to-metadata',
  'reference-absolute',
  'reference-dropped',
  'reference-duplicate-dropped',
  'reference-repaired',
  'service-dropped',
  'service-id-absolute',
  'service-id-added',
  'service-members-preserved',
  'service-placeholder-dropped',
  'unknown-member-preserved',
] as const;

/** A native material member and the W3C one it becomes. */
type MaterialMember = (typeof NATIVE_MATERIAL_MEMBERS)[number];

/** What a translation reads from its profile, computed once per frozen profile (see {@link planOf}). */
interface ProfilePlan {
  /** The top-level members the translation places (the others are reported as preserved). */
  known: ReadonlySet<string>;
  /** The members of a key entry the translation reads. */
  handledKeyMembers: ReadonlySet<string>;
  /** The top-level members listing keys, in the order they are read (`keyMembers`, then `verificationMethod`). */
  keyLists: readonly string[];
  /** `Object.entries(profile.metadataMembers)`. */
  metadataEntries: ReadonlyArray<readonly [string, 'created' | 'updated' | 'versionId']>;
  /** For each of `keyLists`: the pointer of the list with a trailing `/` (an entry's pointer is this and its index). */
  keyListPointers: readonly string[];
  /** For each of `keyLists`: the rule and reason of `<list>-to-verificationMethod` (`verificationMethod`'s are unused). */
  keyListRules: readonly string[];
  keyListReasons: readonly string[];
  /** `profile.method`. */
  method: string;
  /** The ids of the rules every document of the method shares, by what they name (a property read per record). */
  rule: Readonly<Record<(typeof FIXED_RULES)[number], string>>;
  /** The rule ids `<member>-to-publicKeyMultibase` / `-to-publicKeyJwk` of each native material member. */
  materialRules: Readonly<Record<MaterialMember, { publicKeyMultibase: string; publicKeyJwk: string }>>;
  /** For each of `metadataEntries`: its rule ids (moved to metadata, preserved, unreadable). */
  metadataRules: ReadonlyArray<{ toMetadata: string; preserved: string; unreadable: string }>;
  /** The rule ids of `keyExpiryMember` (moved to `expires`, empty, unreadable), when the profile has one. */
  expiryRules: { toExpires: string; emptyPreserved: string; unreadable: string } | undefined;
  /** Rule ids by what they name, for the rare ones written on demand (see {@link ruleName}). */
  rules: Map<string, string>;
  /** Rule ids `<method>.<member><suffix>` by suffix and member (see {@link memberRule}). */
  memberRules: Map<string, Map<string, string>>;
}

/**
 * The {@link ProfilePlan} of a profile: computed once per frozen profile (the method profiles are frozen module
 * constants) rather than on every translation; an unfrozen profile, which may still change, gets a fresh one.
 */
function planOf(profile: LegacyProfile): ProfilePlan {
  let plan = PLANS.get(profile);
  if (plan === undefined) {
    const keyLists = [...profile.keyMembers, 'verificationMethod'];
    plan = {
      known: knownMembersOf(profile),
      handledKeyMembers: handledKeyMembersOf(profile),
      keyLists,
      metadataEntries: Object.entries(profile.metadataMembers) as ProfilePlan['metadataEntries'],
      keyListPointers: keyLists.map((name) => `/${escapePointerToken(name)}/`),
      keyListRules: keyLists.map((name) => `${profile.method}.${name}-to-verificationMethod`),
      keyListReasons: keyLists.map((name) => `"${name}" is the pre-DID-Core name of "verificationMethod" (DID Core §5.2)`),
      method: profile.method,
      rule: Object.fromEntries(FIXED_RULES.map((what) => [what, `${profile.method}.${what}`])) as ProfilePlan['rule'],
      materialRules: Object.fromEntries(
        NATIVE_MATERIAL_MEMBERS.map((m) => [m, { publicKeyMultibase: `${profile.method}.${m}-to-publicKeyMultibase`, publicKeyJwk: `${profile.method}.${m}-to-publicKeyJwk` }]),
      ) as ProfilePlan['materialRules'],
      metadataRules: Object.entries(profile.metadataMembers).map(([name, property]) => ({
        toMetadata: name === property ? `${profile.method}.${name}-to-metadata` : `${profile.method}.${name}-to-metadata-${property}`,
        preserved: `${profile.method}.${name}-preserved`,
        unreadable: `${profile.method}.${name}-unreadable`,
      })),
      expiryRules:
        profile.keyExpiryMember === undefined
          ? undefined
          : {
              toExpires: `${profile.method}.${profile.keyExpiryMember}-to-expires`,
              emptyPreserved: `${profile.method}.${profile.keyExpiryMember}-empty-preserved`,
              unreadable: `${profile.method}.${profile.keyExpiryMember}-unreadable`,
            },
      rules: new Map(),
      memberRules: new Map(),
    };
    if (Object.isFrozen(profile)) PLANS.set(profile, plan);
  }
  return plan;
}
const PLANS = new WeakMap<LegacyProfile, ProfilePlan>();

/** The top-level members a profile's translation places (the others are reported as preserved). */
function knownMembersOf(profile: LegacyProfile): ReadonlySet<string> {
  return new Set<string>([
    '@context',
    'context',
    'id',
    ...keySectionMembers(profile),
    'service',
    'controller',
    'alsoKnownAs',
    ...Object.keys(profile.metadataMembers),
    'proof',
    ...(profile.deactivationMember === undefined ? [] : [profile.deactivationMember]),
  ]);
}

/** The members of a key entry a profile's translation reads. */
function handledKeyMembersOf(profile: LegacyProfile): ReadonlySet<string> {
  const members = new Set<string>(['id', 'type', 'controller', 'owner', ...NATIVE_MATERIAL_MEMBERS, ...W3C_MATERIAL_MEMBERS]);
  if (profile.keyExpiryMember !== undefined) members.add(profile.keyExpiryMember);
  return members;
}

/**
 * What a native member became in the W3C document or its metadata (its *counterpart*), for the fingerprints of the
 * piece-by-piece preserved structure (built by the detailed mode and compared by the renderer). Keys and
 * relationships share one counterpart, the whole key section, because each of them can change the others (lifting,
 * reference repair, `assertionMethod`). `null` means no counterpart: the member is restored from its original
 * whatever the W3C document says.
 */
export function counterpartOf(name: string, doc: DIDDocument, metadata: DIDDocumentMetadata, profile: LegacyProfile): unknown {
  if (name === '@context' || name === 'context') return doc['@context'];
  if (name === 'id') return doc.id;
  if (keySectionMembers(profile).includes(name)) {
    // Absent members are written as null (not left out) so that fingerprints stay what this folder's own canonical
    // JSON produced before it moved to the core (where undefined members are left out, as JSON.stringify does).
    const section: Record<string, unknown> = { verificationMethod: doc.verificationMethod ?? null };
    for (const rel of VERIFICATION_RELATIONSHIPS) section[rel] = doc[rel] ?? null;
    return section;
  }
  if (name === 'service') return doc.service;
  if (name === 'controller') return doc.controller;
  if (name === 'alsoKnownAs') return doc.alsoKnownAs;
  // Own members only: a native member named "toString" is no metadata member.
  const property = Object.hasOwn(profile.metadataMembers, name) ? profile.metadataMembers[name] : undefined;
  if (property !== undefined) return metadata[property];
  if (name === 'proof') return metadata.proof;
  if (name === profile.deactivationMember) return metadata.deactivated;
  return null;
}

/**
 * Fingerprints of the counterparts of native members in one document (see {@link counterpartOf}); the key section,
 * shared by several members, is fingerprinted once.
 */
export function counterpartFingerprints(doc: DIDDocument, metadata: DIDDocumentMetadata, profile: LegacyProfile): (name: string) => string {
  const keyMembers = new Set(keySectionMembers(profile));
  let keySection: string | undefined;
  return (name) =>
    keyMembers.has(name)
      ? (keySection ??= counterpartFingerprint(counterpartOf(name, doc, metadata, profile)))
      : counterpartFingerprint(counterpartOf(name, doc, metadata, profile));
}

/**
 * The common form of a DID: a method name and one or more non-empty segments of unreserved id characters (no
 * percent-encoding). Every text it matches is a DID (DID Core §3.1: `"did:" method-name ":" method-specific-id`,
 * `method-specific-id = *( *idchar ":" ) 1*idchar`); the rest is left to `isDid`.
 */
const COMMON_DID = /^did:[a-z0-9]+:[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*$/;

/** `isDid(text)`, with the common form recognised by one pattern instead of a parse (tested against `isDid`). */
export function isDidFast(text: string): boolean {
  return (text.length <= DEFAULT_MAX_DID_URL_LENGTH && COMMON_DID.test(text)) || isDid(text);
}

/**
 * `pointer(name, index)` (src/translation.ts) without its argument list and loop: a pointer is built for nearly every
 * entry read. (Tested equal.)
 */
export function indexPointer(name: string, index: number): string {
  return `/${escapePointerToken(name)}/${index}`;
}

/** RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), by char code (ASCII only). */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[c.charCodeAt(0)] = 1;

/**
 * Whether `text` is one or more unreserved characters (`/^[A-Za-z0-9._~-]+$/`): a bare fragment such as `keys-1`, no
 * scheme and no `#`. A loop over a table rather than a pattern: the texts are short, and a RegExp test costs more to
 * call than to run on them. (Tested against the pattern.)
 */
export function isUnreservedText(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] === 0) return false;
  }
  return true;
}

/**
 * The absolute form of a key id or reference as written in a document about `did`: `#x` and bare `x` (no scheme,
 * no `#`) are fragments of the DID; anything else is taken as written.
 */
export function absoluteReference(did: string, ref: string): string {
  if (ref.charCodeAt(0) === 35 /* # */) return did + ref;
  if (isUnreservedText(ref)) return `${did}#${ref}`;
  return ref;
}

/**
 * `text.startsWith(prefix)`, for the long prefixes compared here (`<did>#`, 40 to 80 characters): Node 20's
 * String#startsWith compares such a prefix several times slower than cutting the text to its length and comparing
 * the two strings (about 600 against 90 ns for a did:ctid prefix, measured in isolation), and every key id and
 * reference is compared with the document's own prefix. (Tested equal.)
 */
export function startsWithText(text: string, prefix: string): boolean {
  return text.length >= prefix.length && text.slice(0, prefix.length) === prefix;
}

/**
 * Whether a key id or reference whose own fragment is `fragment` ({@link ownFragmentOf}; undefined for any other
 * reference) has an absolute form, `did` (already checked) + `#` + `fragment`, that is a DID URL because the fragment
 * is unreserved characters only (`#keys-1`, `keys-1`, `<did>#keys-1`; DID Core §3.2: a fragment is
 * `*( pchar / "/" / "?" )`, and unreserved characters are pchars) and the whole fits the DID URL length limit. The
 * common case then needs no parse. False does not mean it is none: the caller asks `isDidUrl`. (Tested against
 * `isDidUrl`.)
 */
export function isPlainOwnFragment(fragment: string | undefined, did: string): boolean {
  return fragment !== undefined && did.length + 1 + fragment.length <= DEFAULT_MAX_DID_URL_LENGTH && isUnreservedText(fragment);
}

/**
 * `canonicalJson(context) === canonicalJson(raw)` for a translated `@context` (an array of strings and maps), deciding
 * the common cases (the native context is a single string, or a list of strings) without writing either text.
 */
export function sameContext(context: ReadonlyArray<string | JsonObject>, raw: JsonValue | undefined): boolean {
  // A list's canonical JSON starts with "[", nothing else's does.
  if (!Array.isArray(raw)) return false;
  if (raw.length !== context.length) return false;
  for (let i = 0; i < raw.length; i++) {
    const a = context[i];
    const b = raw[i];
    if (typeof a === 'string' && typeof b === 'string') {
      if (a !== b) return false;
    } else if (canonicalJson(a) !== canonicalJson(b)) {
      return false;
    }
  }
  return true;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** RFC 3986 scheme names, lower case (what a `protocol` member must be to build an endpoint from). */
const SCHEME = /^[a-z][a-z0-9+.-]*$/;
/** A host name or IPv4 address as scheme-less endpoints carry them (`192.168.1.23`, `www.caict.cn`). */
const BARE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

type EndpointDecision =
  | { outcome: 'kept'; value: JsonValue }
  | { outcome: 'built' | 'normalised'; value: string; why: string }
  | { outcome: 'dropped'; why: string };

/** Decides what a native `serviceEndpoint` becomes (see the module comment for the policy). */
function decideEndpoint(service: JsonObject): EndpointDecision {
  const endpoint = service.serviceEndpoint;
  if (isJsonObject(endpoint)) return { outcome: 'kept', value: endpoint };
  if (Array.isArray(endpoint)) {
    const bad = endpoint.find((e) => !(isJsonObject(e) || (typeof e === 'string' && isUri(e) && !normalisationProblem(e))));
    return bad === undefined && endpoint.length > 0
      ? { outcome: 'kept', value: endpoint }
      : { outcome: 'dropped', why: 'the serviceEndpoint set is empty or holds values that are neither URIs nor maps' };
  }
  if (typeof endpoint !== 'string') return { outcome: 'dropped', why: `the serviceEndpoint is ${kindOf(endpoint)}` };
  const text = endpoint.trim();
  if (isPlainNormalHttpUri(text)) return text === endpoint ? { outcome: 'kept', value: text } : { outcome: 'normalised', value: text, why: 'surrounding whitespace removed' };
  if (uriProblem(text) === undefined) {
    const problem = normalisationProblem(text);
    if (!problem) return text === endpoint ? { outcome: 'kept', value: text } : { outcome: 'normalised', value: text, why: 'surrounding whitespace removed' };
    // WHATWG URL normalises case, default ports and dot segments for the web schemes; anything else stays as is.
    if (/^(?:https?|wss?):/i.test(text)) {
      try {
        const href = new URL(text).href;
        if (isUri(href) && !normalisationProblem(href)) return { outcome: 'normalised', value: href, why: `${problem}; normalised to ${href}` };
      } catch {
        /* falls through to dropped */
      }
    }
    return { outcome: 'dropped', why: `the serviceEndpoint is a URI but not in normal form (${problem})` };
  }
  const protocol = typeof service.protocol === 'string' ? service.protocol.trim().toLowerCase() : undefined;
  const port = typeof service.port === 'number' || (typeof service.port === 'string' && /^\d+$/.test(service.port)) ? Number(service.port) : undefined;
  if (text === '') return { outcome: 'dropped', why: 'the serviceEndpoint is empty' };
  if (!BARE_HOST.test(text)) return { outcome: 'dropped', why: `the serviceEndpoint ${JSON.stringify(text.slice(0, 80))} is not a URI` };
  if (protocol === undefined || !SCHEME.test(protocol)) {
    return {
      outcome: 'dropped',
      why: `the serviceEndpoint ${JSON.stringify(text)} is a host without a scheme and the service names no protocol, so no URI can be built from it`,
    };
  }
  if (port !== undefined && (!Number.isSafeInteger(port) || port < 1 || port > 65535)) {
    return { outcome: 'dropped', why: `the service's port ${JSON.stringify(service.port)} is not a TCP/UDP port` };
  }
  const built = `${protocol}://${text.toLowerCase()}${port === undefined ? '' : `:${port}`}`;
  if (!isUri(built) || normalisationProblem(built)) {
    return { outcome: 'dropped', why: `no normalised URI can be built from ${JSON.stringify(text)} and protocol ${JSON.stringify(protocol)}` };
  }
  return { outcome: 'built', value: built, why: `the host ${JSON.stringify(text)} with the service's protocol${port === undefined ? '' : ' and port'} gives ${built}` };
}

/**
 * Translates a native document into DID Core.
 *
 * @param native the native document (already unwrapped from any envelope)
 * @param profile what the method does differently
 * @throws InvalidDidDocumentError when the document has no usable `id`, or describes another DID than
 *   `options.expectedDid`; everything else that is wrong is repaired or left out and recorded
 */
export function translateLegacyDocument(native: JsonObject, profile: LegacyProfile, options: LegacyTranslateOptions = {}): LegacyTranslation {
  return translate(native, profile, options, false);
}

/**
 * The translation in its *detailed* mode, for reverse translation only: the same document, metadata and change
 * record as {@link translateLegacyDocument}, but `preserved` (and `didbridgePreserved`) is the piece-by-piece
 * {@link PreservedDocument} (every native member with the fingerprint of its counterpart), which `render.ts` compares
 * with a W3C document to tell untouched members from edited ones. Earlier versions built this on every translation.
 * @throws InvalidDidDocumentError as {@link translateLegacyDocument}
 */
export function translateLegacyDocumentDetailed(
  native: JsonObject,
  profile: LegacyProfile,
  options: LegacyTranslateOptions = {},
): LegacyTranslation & { preserved: PreservedDocument } {
  return translate(native, profile, options, true) as LegacyTranslation & { preserved: PreservedDocument };
}

/**
 * Up to this many entries, {@link SmallMap} compares keys one by one; past it, it moves them into a Map, so that a
 * long list still costs linear time.
 */
const SMALL_MAP_LIMIT = 16;

/**
 * A map for the handful of keys, references and entries one document has: while small, keys are compared one by one
 * (no hash table allocated per translation, no string hashed); past {@link SMALL_MAP_LIMIT} entries, a Map. Keys are
 * strings or objects, which `===` compares as a Map does.
 */
export class SmallMap<K extends string | object, V> {
  private readonly keys: K[] = [];
  private readonly values: V[] = [];
  private map: Map<K, V> | undefined;

  get(key: K): V | undefined {
    if (this.map !== undefined) return this.map.get(key);
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.values[i];
    return undefined;
  }

  has(key: K): boolean {
    if (this.map !== undefined) return this.map.has(key);
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return true;
    return false;
  }

  set(key: K, value: V): void {
    if (this.map !== undefined) {
      this.map.set(key, value);
      return;
    }
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) {
        this.values[i] = value;
        return;
      }
    }
    keys.push(key);
    this.values.push(value);
    if (keys.length > SMALL_MAP_LIMIT) {
      this.map = new Map();
      for (let i = 0; i < keys.length; i++) this.map.set(keys[i]!, this.values[i]!);
    }
  }
}

/**
 * The fragment of {@link absoluteReference}`(did, written)` when that is a DID URL into the document itself (starts
 * with `ownPrefix`), read from the text as written without building the absolute form; undefined for any other
 * reference. (Tested against `absoluteReference`.)
 * @param ownPrefix `${did}#`
 */
export function ownFragmentOf(written: string, ownPrefix: string): string | undefined {
  if (written.charCodeAt(0) === 35 /* # */) return written.slice(1);
  if (startsWithText(written, ownPrefix)) return written.slice(ownPrefix.length);
  return isUnreservedText(written) ? written : undefined;
}


/**
 * `jsonString(text)` for a key id or reference as written: quoted as it is, without the pattern test, when it is its
 * trimmed form and that is plain (`#x`, `x` or `<did>#x` with unreserved `x`: a DID and unreserved characters hold
 * nothing JSON escapes).
 */
function quoted(text: string, written: string, plain: boolean): string {
  return plain && written === text ? `"${text}"` : jsonString(text);
}

/** `a` and `b` joined with `'; '`, or `b` alone when `a` is empty (the parts of a change reason). */
function andThen(a: string, b: string): string {
  return a === '' ? b : `${a}; ${b}`;
}

/** The verification methods of one translation, found by id: the document's own by fragment, others by id. */
interface KeyTable {
  /** Methods whose id is `${did}#<fragment>`, by fragment. */
  own: SmallMap<string, VerificationMethod>;
  /** Methods with any other id, by id (rare: created when the first one is added). */
  foreign: SmallMap<string, VerificationMethod> | undefined;
  /** Keys left out for unusable material: own ones by fragment, others by id (created when needed). */
  unusableOwn: SmallMap<string, true> | undefined;
  unusableForeign: SmallMap<string, true> | undefined;
}

/** The translation's state that `convertEntry` reads and extends (one object rather than a closure per call). */
interface KeyReading {
  readonly log: ChangeLog;
  readonly profile: LegacyProfile;
  readonly plan: ProfilePlan;
  readonly did: string;
  readonly ownPrefix: string;
  readonly methods: VerificationMethod[];
  readonly table: KeyTable;
  /** The contexts the keys need (Multikey, JWK), in the order first needed. */
  readonly contexts: string[];
}

/**
 * Reads one key entry (`list[index]`, at pointer `from`) into a verification method, or records why it is left out
 * and returns undefined.
 */
function convertEntry(state: KeyReading, entry: unknown, from: string, list: string, index: number): VerificationMethod | undefined {
  const { log, profile, plan, did, ownPrefix, methods, table } = state;
  const to = VERIFICATION_METHOD_POINTER + methods.length;
  if (!isJsonObject(entry)) {
    log.record(plan.rule['key-dropped'], from, PRESERVED_TO, `${list}[${index}] is ${kindOf(entry)}, not a verification method map; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    return undefined;
  }
  if (typeof entry.id !== 'string' || entry.id.trim() === '') {
    log.record(plan.rule['key-dropped'], from, PRESERVED_TO, `${list}[${index}] has no id, which DID Core §5.2 requires of a verification method; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    return undefined;
  }
  const written = entry.id.trim();
  // The absolute id (absoluteReference): the text as written when it is absolute already, else the own prefix and
  // the fragment. Keys are compared by fragment, so it needs no flattening.
  const fragment = ownFragmentOf(written, ownPrefix);
  const id = fragment === undefined || written.length === ownPrefix.length + fragment.length ? written : ownPrefix + fragment;
  const plain = isPlainOwnFragment(fragment, did);
  if (!plain && (!isDidUrl(id) || !id.includes('#'))) {
    log.record(plan.rule['key-dropped'], from, PRESERVED_TO, `${list}[${index}] has id ${JSON.stringify(entry.id.slice(0, 100))}, which is not a DID URL with a fragment (DID Core §5.2); ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    return undefined;
  }
  if (fragment !== undefined ? table.own.has(fragment) : table.foreign?.has(id) === true) {
    log.record(plan.rule['key-duplicate-dropped'], from, PRESERVED_TO, `${list}[${index}] repeats the id ${id}; verification method ids are unique within a document (DID Core §5.2); ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    return undefined;
  }
  const reading = readConvertedMaterial(entry, profile.method, list, index, id);
  if (reading.unusable !== undefined) {
    markUnusable(table, fragment, id);
    log.record(plan.rule['key-unusable'], from, PRESERVED_TO, `${reading.unusable.message}; a verification method MUST carry usable verification material (DID Core §5.2.1), so the key is left out of the W3C document and ${WHY_PRESERVED}`, DID_CORE.verificationMaterial);
    return undefined;
  }
  const material = reading.material;
  if (id !== entry.id) {
    log.record(plan.rule['key-id-absolute'], `${from}/id`, `${to}/id`, `the relative key id ${quoted(entry.id, written, plain)} is written as the absolute DID URL ${id} (DID Core §5.2: the id is a DID URL)`, DID_CORE.verificationMethods);
  }
  let controller = did;
  const rawController = entry.controller ?? entry.owner;
  const controllerName = entry.controller !== undefined ? 'controller' : 'owner';
  if (typeof rawController === 'string' && isDidFast(rawController.trim())) {
    controller = rawController.trim();
    if (controllerName === 'owner') {
      log.record(plan.rule['owner-to-controller'], `${from}/owner`, `${to}/controller`, 'the pre-DID-Core "owner" is DID Core\'s "controller" (§5.2)', DID_CORE.verificationMethods);
    }
  } else {
    log.record(
      plan.rule['controller-added'],
      rawController === undefined ? null : `${from}/${controllerName}`,
      `${to}/controller`,
      `${rawController === undefined ? 'the key names no controller' : `the key's ${controllerName} ${JSON.stringify(rawController)} is not a DID`}; DID Core §5.2 requires one, and the key is the DID subject's own, so the controller is ${did}`,
      DID_CORE.verificationMethods,
    );
  }
  let vm: VerificationMethod;
  const declared = typeof entry.type === 'string' ? entry.type : undefined;
  if (material.kind === 'w3c') {
    if (declared === undefined || declared.trim() === '') {
      markUnusable(table, fragment, id);
      log.record(plan.rule['key-unusable'], from, PRESERVED_TO, `${list}[${index}] carries ${material.member} but no type (DID Core §5.2 requires one); ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
      return undefined;
    }
    vm = { id, type: declared.trim(), controller, [material.member]: entry[material.member] as JsonValue };
    if (declared === 'Multikey') addContext(state.contexts, MULTIKEY_CONTEXT_V1);
    if (declared === 'JsonWebKey') addContext(state.contexts, JWK_CONTEXT_V1);
  } else {
    const w3c = reading.w3c!;
    addContext(state.contexts, w3c.context);
    // A literal for the common member (a computed member name costs a runtime call per key); same member order.
    vm =
      w3c.property === 'publicKeyMultibase'
        ? ({ id, type: w3c.type, controller, publicKeyMultibase: w3c.value as string } as VerificationMethod)
        : ({ id, type: w3c.type, controller, [w3c.property]: w3c.value } as VerificationMethod);
    const decided = material.kind === 'rsa' ? 'an RSA key (from its SPKI)' : material.inference ? material.inference.reason : `a ${material.key.type} key (from its SPKI)`;
    log.record(
      w3c.type === 'Multikey' ? plan.rule['key-type-to-Multikey'] : plan.rule['key-type-to-JsonWebKey'],
      declared === undefined ? null : `${from}/type`,
      `${to}/type`,
      `${declared === undefined ? 'no declared type' : `declared type ${jsonString(declared)}`} is not a registered verification method type; ${decided}; written as ${w3c.type}, which names no algorithm (Controlled Identifiers 1.0 §2.2)`,
      DID_CORE.verificationMethods,
    );
    if (material.kind === 'key' && material.inference?.mismatch) {
      log.record(plan.rule['declared-type-mismatch'], `${from}/type`, `${to}/${w3c.property}`, `the declared type ${JSON.stringify(declared)} claims ${material.inference.declaredKeyType} but the key bytes are ${material.key.type}`, DID_CORE.verificationMaterial);
    }
    log.record(
      plan.materialRules[material.member][w3c.property],
      `${from}/${material.member}`,
      `${to}/${w3c.property}`,
      material.kind === 'key' && material.bifEncoded
        ? `${NOT_MATERIAL[material.member]}; the BIF B0 header was stripped${material.key.type !== 'Ed25519' && material.key.type !== 'X25519' ? WRITTEN_COMPRESSED : ''}`
        : material.kind === 'key' && material.key.type !== 'Ed25519' && material.key.type !== 'X25519'
          ? NOT_MATERIAL_COMPRESSED[material.member]
          : NOT_MATERIAL[material.member],
      DID_CORE.verificationMaterial,
    );
  }
  if (profile.keyExpiryMember !== undefined && entry[profile.keyExpiryMember] !== undefined) {
    const raw = entry[profile.keyExpiryMember];
    const expires = isBlank(raw) ? undefined : normaliseDatetime(raw);
    if (expires !== undefined) {
      vm.expires = expires;
      log.record(plan.expiryRules!.toExpires, `${from}/${profile.keyExpiryMember}`, `${to}/expires`, 'a key\'s expiry is the verification method property "expires" (Controlled Identifiers 1.0 §2.2, in the Multikey context), normalised to UTC', DID_CORE.verificationMethods);
    } else if (isBlank(raw)) {
      log.record(plan.expiryRules!.emptyPreserved, `${from}/${profile.keyExpiryMember}`, PRESERVED_TO, `an empty ${profile.keyExpiryMember} means the key does not expire, so the verification method gets no "expires"; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    } else {
      log.record(plan.expiryRules!.unreadable, `${from}/${profile.keyExpiryMember}`, PRESERVED_TO, `${JSON.stringify(raw)} is not a datetime, so the key gets no "expires"; ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
    }
  }
  let extra: string[] | undefined;
  for (const k of Object.keys(entry)) if (!plan.handledKeyMembers.has(k)) (extra ??= []).push(k);
  if (extra !== undefined) {
    log.record(plan.rule['key-members-preserved'], from, PRESERVED_TO, `${extra.map((k) => JSON.stringify(k)).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not DID Core verification method properties; ${WHY_PRESERVED}`, DID_CORE.extensibility);
  }
  methods.push(vm);
  if (fragment !== undefined) table.own.set(fragment, vm);
  else (table.foreign ??= new SmallMap()).set(id, vm);
  return vm;
}

function markUnusable(table: KeyTable, fragment: string | undefined, id: string): void {
  if (fragment !== undefined) (table.unusableOwn ??= new SmallMap()).set(fragment, true);
  else (table.unusableForeign ??= new SmallMap()).set(id, true);
}

function addContext(contexts: string[], context: string): void {
  if (!contexts.includes(context)) contexts.push(context);
}

/** `/verificationMethod/`: the pointer of the n-th verification method is this and n. */
const VERIFICATION_METHOD_POINTER = '/verificationMethod/';

/** The reason of a `<member>-to-<property>` material record, by native member (without and with the compression note). */
const NOT_MATERIAL = Object.fromEntries(
  NATIVE_MATERIAL_MEMBERS.map((m) => [m, `${m} is not DID Core verification material (§5.2.1 defines publicKeyJwk and publicKeyMultibase)`]),
) as Readonly<Record<(typeof NATIVE_MATERIAL_MEMBERS)[number], string>>;
const WRITTEN_COMPRESSED = '; the point is written compressed, as the multicodec key codecs define it';
const NOT_MATERIAL_COMPRESSED = Object.fromEntries(NATIVE_MATERIAL_MEMBERS.map((m) => [m, NOT_MATERIAL[m] + WRITTEN_COMPRESSED])) as Readonly<
  Record<(typeof NATIVE_MATERIAL_MEMBERS)[number], string>
>;

/**
 * The rule id `<method>.<what>` of a plan's profile, written once per plan and name (names come from the engine and
 * the profile, never from documents, so the table stays small).
 */
function ruleName(plan: ProfilePlan, what: string): string {
  let name = plan.rules.get(what);
  if (name === undefined) {
    name = flattened(`${plan.method}.${what}`);
    plan.rules.set(what, name);
  }
  return name;
}

/**
 * The rule id `<method>.<member><suffix>` of a plan's profile (`ccp.recovery-preserved`), written once per plan, member
 * and suffix: found by the two texts (a member name of the profile and a constant suffix), with no lookup text built.
 * Members are those the profile names, so the table stays small.
 */
function memberRule(plan: ProfilePlan, member: string, suffix: string): string {
  let bySuffix = plan.memberRules.get(suffix);
  if (bySuffix === undefined) plan.memberRules.set(suffix, (bySuffix = new Map()));
  let name = bySuffix.get(member);
  if (name === undefined) {
    name = flattened(`${plan.method}.${member}${suffix}`);
    bySuffix.set(member, name);
  }
  return name;
}

// The translation reads and writes the five relationships by name, in this order (see rawRelationships).
if (VERIFICATION_RELATIONSHIPS.join() !== 'authentication,assertionMethod,keyAgreement,capabilityInvocation,capabilityDelegation') {
  throw new Error('VERIFICATION_RELATIONSHIPS changed: update the relationship reads in adapters/ccp/shared/translate.ts');
}

function translate(native: JsonObject, profile: LegacyProfile, options: LegacyTranslateOptions, detailed: boolean): LegacyTranslation {
  const log = new ChangeLog();
  const plan = planOf(profile);
  const metadata: DIDDocumentMetadata = {};
  const maxEntries = options.maxEntries ?? LEGACY_DEFAULTS.maxEntries;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError(`"maxEntries" must be a positive integer, got ${String(maxEntries)}`);
  const names = Object.keys(native);
  for (let i = 0; i < names.length; i++) {
    const value = native[names[i]!];
    if (Array.isArray(value) && value.length > maxEntries) {
      throw new InvalidDidDocumentError(`the did:${profile.method} document lists ${value.length} entries under "${names[i]}"; at most ${maxEntries} are read (maxEntries)`);
    }
  }

  // --- id
  let did: string;
  const rawId = native.id;
  // The document's JSON text, once: a derived id hashes it, and the preserved data carries it.
  let nativeText: string | undefined;
  if (rawId === undefined && profile.deriveMissingId) {
    nativeText = JSON.stringify(native);
    const derived = profile.deriveMissingId(native, nativeText);
    did = derived.did;
    log.record(plan.rule['id-derived'], null, '/id', derived.reason, DID_CORE.identifier);
  } else if (typeof rawId === 'string' && isDidFast(rawId.trim())) {
    did = rawId.trim();
    if (did !== rawId) log.record(plan.rule['id-trimmed'], '/id', '/id', 'whitespace around the DID removed (DID Core §3.1 syntax)', DID_CORE.identifier);
  } else {
    const what = typeof rawId === 'string' ? JSON.stringify(rawId.slice(0, 100)) : kindOf(rawId);
    throw new InvalidDidDocumentError(`the did:${profile.method} document has id ${what}, which is not a DID (DID Core §5.1.1 requires the id of the DID subject)`);
  }
  if (options.expectedDid !== undefined && did !== options.expectedDid) {
    throw new InvalidDidDocumentError(`the did:${profile.method} document is about ${did}, not ${options.expectedDid} (DID Core §5.1.1: the id is the DID being resolved)`);
  }
  // Key ids and references that are not `#x` or a bare `x` are compared with this text (startsWithText, whose string
  // comparison flattens it the first time; a document whose ids are all `#x`, as Base DID Documents', never needs it
  // flat, so it is not flattened up front).
  const ownPrefix = `${did}#`;

  // --- verification methods. Keys of the document itself are found by fragment (`keys-1`, a short text as written)
  // rather than by a DID URL built per reference and hashed.
  const methods: VerificationMethod[] = [];
  const table: KeyTable = { own: new SmallMap(), foreign: undefined, unusableOwn: undefined, unusableForeign: undefined };
  const state: KeyReading = { log, profile, plan, did, ownPrefix, methods, table, contexts: [] };

  for (let l = 0; l < plan.keyLists.length; l++) {
    const name = plan.keyLists[l]!;
    const list = native[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      log.record(memberRule(plan, name, '-dropped'), pointer(name), PRESERVED_TO, `${name} is ${kindOf(list)}, not a set of verification methods (DID Core §5.2); ${WHY_PRESERVED}`, DID_CORE.verificationMethods);
      continue;
    }
    const listPointer = plan.keyListPointers[l]!;
    for (let i = 0; i < list.length; i++) {
      const from = listPointer + i;
      const vm = convertEntry(state, list[i], from, name, i);
      if (vm && name !== 'verificationMethod') {
        log.record(plan.keyListRules[l]!, from, VERIFICATION_METHOD_POINTER + (methods.length - 1), plan.keyListReasons[l]!, DID_CORE.verificationMethods);
      }
    }
  }

  // --- verification relationships: lift embedded keys first, so that any reference can find them
  // The five members read by name, in VERIFICATION_RELATIONSHIPS order: a document has one or two of them, and a
  // lookup by a varying name of a member that is absent costs several times one by a fixed name.
  const rawRelationships = [native.authentication, native.assertionMethod, native.keyAgreement, native.capabilityInvocation, native.capabilityDelegation];
  const relationshipLists: Array<{ index: number; rel: VerificationRelationship; list: JsonValue[]; wrapped: boolean }> = [];
  let lifted: SmallMap<JsonObject, VerificationMethod | undefined> | undefined;
  for (let r = 0; r < rawRelationships.length; r++) {
    const raw = rawRelationships[r];
    if (raw === undefined) continue;
    const rel = VERIFICATION_RELATIONSHIPS[r]!;
    const wrapped = !Array.isArray(raw);
    const list = wrapped ? [raw] : raw;
    if (wrapped) {
      log.record(memberRule(plan, rel, '-wrapped'), pointer(rel), pointer(rel), `${rel} is a single value; DID Core §5.3 makes it a set`, DID_CORE.relationships);
    }
    relationshipLists.push({ index: r, rel, list, wrapped });
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (!isJsonObject(entry)) continue;
      const from = wrapped ? pointer(rel) : indexPointer(rel, i);
      // The same key listed under publicKey and embedded here: reference the one already read.
      let known: VerificationMethod | undefined;
      if (typeof entry.id === 'string') {
        const written = entry.id.trim();
        const fragment = ownFragmentOf(written, ownPrefix);
        known = fragment !== undefined ? table.own.get(fragment) : table.foreign?.get(written);
      }
      (lifted ??= new SmallMap()).set(entry, known ?? convertEntry(state, entry, from, rel, i));
    }
  }
  // What each relationship becomes, by its index in VERIFICATION_RELATIONSHIPS.
  const relationships: Array<VerificationRelationshipEntry[] | undefined> = [undefined, undefined, undefined, undefined, undefined];
  // The document's own authentication keys, in order, for assertionMethod (when the document has none): a reference
  // is known to be the document's own where it is resolved, so the list needs no second pass comparing prefixes.
  const collectOwn = rawRelationships[1] === undefined;
  const ownAuthentication: string[] = [];
  for (const { index, rel, list, wrapped } of relationshipLists) {
    const out: string[] = [];
    const own = collectOwn && rel === 'authentication' ? ownAuthentication : undefined;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      const from = wrapped ? pointer(rel) : indexPointer(rel, i);
      if (isJsonObject(entry)) {
        const vm = lifted!.get(entry);
        if (!vm) continue; // recorded by convertEntry
        if (out.includes(vm.id)) continue;
        log.record(plan.rule['embedded-key-lifted'], from, indexPointer(rel, out.length), `the key embedded in ${rel} is listed under verificationMethod and referenced from ${rel}, so every relationship that uses it points at one definition (DID Core §5.3)`, DID_CORE.relationships);
        out.push(vm.id);
        if (own !== undefined && startsWithText(vm.id, ownPrefix)) own.push(vm.id);
        continue;
      }
      if (typeof entry !== 'string') {
        log.record(plan.rule['reference-dropped'], from, PRESERVED_TO, `a ${rel} entry is ${kindOf(entry)}; DID Core §5.3 allows a DID URL or an embedded verification method; ${WHY_PRESERVED}`, DID_CORE.relationships);
        continue;
      }
      const written = entry.trim();
      // absoluteReference(did, written), as the document's own fragment when it is one.
      const fragment = ownFragmentOf(written, ownPrefix);
      const plain = isPlainOwnFragment(fragment, did);
      if (!plain && !isDidUrl(fragment === undefined ? written : ownPrefix + fragment)) {
        log.record(plan.rule['reference-dropped'], from, PRESERVED_TO, `${JSON.stringify(entry.slice(0, 100))} is not a DID URL (DID Core §5.3); ${WHY_PRESERVED}`, DID_CORE.relationships);
        continue;
      }
      // Decide what the reference becomes first, record it only once it is known not to be a repeat. A reference
      // to a key of the document is that key's id (the same text).
      let ref: string;
      let repairedFrom: string | undefined;
      if (fragment === undefined) {
        ref = written;
      } else {
        const vm = table.own.get(fragment);
        if (vm !== undefined) {
          ref = vm.id;
        } else {
          const absolute = ownPrefix + fragment;
          if (table.unusableOwn?.has(fragment) === true) {
            log.record(plan.rule['reference-dropped'], from, PRESERVED_TO, `${rel} refers to ${absolute}, a key left out because its material is unusable; a reference to this document MUST resolve to one of its verification methods (DID Core §5.3); ${WHY_PRESERVED}`, DID_CORE.relationships);
            continue;
          }
          const swapped = !profile.repairKeyReferences
            ? undefined
            : fragment.startsWith('keys-')
              ? `key-${fragment.slice(5)}`
              : fragment.startsWith('key-')
                ? `keys-${fragment.slice(4)}`
                : undefined;
          const repairedVm = swapped === undefined ? undefined : table.own.get(swapped);
          // A key id that was left out as unusable and then read again from a later entry is both; unusable wins.
          const repairedUnusable = swapped !== undefined && table.unusableOwn?.has(swapped) === true;
          if (repairedVm === undefined || repairedUnusable) {
            if (repairedUnusable) {
              log.record(plan.rule['reference-dropped'], from, PRESERVED_TO, `${rel} refers to ${absolute}, which matches no key id but, read as #${swapped}, names a key left out because its material is unusable; ${WHY_PRESERVED}`, DID_CORE.relationships);
            } else {
              log.record(plan.rule['reference-dropped'], from, PRESERVED_TO, `${rel} refers to ${absolute}, which is not a verification method of the document; a reference into the document itself MUST resolve (DID Core §5.3); ${WHY_PRESERVED}`, DID_CORE.relationships);
            }
            continue;
          }
          ref = repairedVm.id;
          repairedFrom = swapped;
        }
      }
      if (out.includes(ref)) {
        log.record(plan.rule['reference-duplicate-dropped'], from, PRESERVED_TO, `${ref} is already listed; a relationship is a set (DID Core §5.3)`, DID_CORE.relationships);
        continue;
      }
      if (repairedFrom !== undefined) {
        log.record(plan.rule['reference-repaired'], from, indexPointer(rel, out.length), `${quoted(entry, written, plain)} matches no key id; the document names its keys #${repairedFrom.startsWith('keys-') ? 'keys' : 'key'}-N, so it is read as ${ref} (the did:${profile.method} specification itself mixes #key-N and #keys-N; DID Core §5.3 requires references to resolve)`, DID_CORE.relationships);
      } else if (ref !== entry) {
        log.record(plan.rule['reference-absolute'], from, indexPointer(rel, out.length), `the relative reference ${quoted(entry, written, plain)} is written as the absolute DID URL ${ref}`, DID_CORE.relationships);
      }
      out.push(ref);
      // A reference with an own fragment resolved to a key of the document (its id); any other is taken as written.
      if (own !== undefined && fragment !== undefined) own.push(ref);
    }
    if (out.length > 0) relationships[index] = out;
  }
  if (collectOwn && relationships[0] !== undefined) {
    if (ownAuthentication.length > 0) {
      relationships[1] = ownAuthentication;
      log.record(plan.rule['assertionMethod-added'], null, '/assertionMethod', `${profile.assertionMethodReason}; a verifier accepts a credential proof only from a key in assertionMethod (DID Core §5.3.2), so the document's own authentication keys are listed there`, DID_CORE.relationships);
    }
  }

  // --- services
  const services: Service[] = [];
  if (native.service !== undefined) {
    const list = Array.isArray(native.service) ? native.service : [native.service];
    const ids = new SmallMap<string, true>();
    for (let i = 0; i < list.length; i++) {
      const raw = list[i];
      const from = Array.isArray(native.service) ? indexPointer('service', i) : pointer('service');
      const to = indexPointer('service', services.length);
      if (!isJsonObject(raw)) {
        log.record(plan.rule['service-dropped'], from, PRESERVED_TO, `the service is ${kindOf(raw)}, not a map (DID Core §5.4); ${WHY_PRESERVED}`, DID_CORE.services);
        continue;
      }
      if (profile.dropPlaceholderServices && isBlank(raw.type) && isBlank(raw.serviceEndpoint)) {
        log.record(plan.rule['service-placeholder-dropped'], from, PRESERVED_TO, `the service has an empty type and an empty serviceEndpoint: a placeholder that describes no service; DID Core §5.4 requires a type and a URI endpoint; ${WHY_PRESERVED}`, DID_CORE.services);
        continue;
      }
      const type = raw.type;
      const typeOk = (typeof type === 'string' && type.trim() !== '') || (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && t.trim() !== ''));
      if (!typeOk) {
        log.record(plan.rule['service-dropped'], from, PRESERVED_TO, `the service's type is ${typeof type === 'string' ? 'empty' : kindOf(type)}; DID Core §5.4 requires a string or a set of strings; ${WHY_PRESERVED}`, DID_CORE.services);
        continue;
      }
      const endpoint = decideEndpoint(raw);
      if (endpoint.outcome === 'dropped') {
        log.record(plan.rule['service-dropped'], from, PRESERVED_TO, `${endpoint.why}; DID Core §5.4 requires serviceEndpoint URIs (RFC 3986, normalised), so the service is left out of the W3C document and ${WHY_PRESERVED}`, DID_CORE.services);
        continue;
      }
      let id: string;
      const rawId = typeof raw.id === 'string' ? raw.id.trim() : undefined;
      const resolvedId = rawId === undefined || rawId === '' ? undefined : absoluteReference(did, rawId);
      if (resolvedId !== undefined && isUri(resolvedId) && !ids.has(resolvedId)) {
        id = resolvedId;
        if (id !== raw.id) log.record(plan.rule['service-id-absolute'], `${from}/id`, `${to}/id`, `the relative service id ${JSON.stringify(raw.id)} is written as ${id} (DID Core §5.4: the id is a URI)`, DID_CORE.services);
      } else {
        let n = i + 1;
        while (ids.has(`${did}#service-${n}`)) n++;
        id = `${did}#service-${n}`;
        const why = resolvedId === undefined ? 'the service has no id' : ids.has(resolvedId) ? `the service repeats the id ${resolvedId}` : `the service id ${JSON.stringify(raw.id)} is not a URI`;
        log.record(plan.rule['service-id-added'], raw.id === undefined ? null : `${from}/id`, `${to}/id`, `${why}; DID Core §5.4 requires a unique URI id, so it gets #service-${n}`, DID_CORE.services);
      }
      ids.set(id, true);
      services.push({ id, type: typeof type === 'string' ? type.trim() : (type as string[]), serviceEndpoint: endpoint.value as Service['serviceEndpoint'] });
      if (endpoint.outcome === 'built' || endpoint.outcome === 'normalised') {
        log.record(ruleName(plan, `service-endpoint-${endpoint.outcome}`), `${from}/serviceEndpoint`, `${to}/serviceEndpoint`, `${endpoint.why} (DID Core §5.4: endpoints are RFC 3986 URIs in normal form)`, DID_CORE.services);
      }
      let extra: string[] | undefined;
      for (const k of Object.keys(raw)) if (k !== 'id' && k !== 'type' && k !== 'serviceEndpoint') (extra ??= []).push(k);
      if (extra !== undefined) {
        log.record(plan.rule['service-members-preserved'], from, PRESERVED_TO, `${extra.map((k) => JSON.stringify(k)).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not DID Core service properties; ${WHY_PRESERVED}`, DID_CORE.services);
      }
    }
  }

  // --- controller and alsoKnownAs
  let controller: string | string[] | undefined;
  if (native.controller !== undefined) {
    const list = Array.isArray(native.controller) ? native.controller : [native.controller];
    const valid = list.filter((c): c is string => typeof c === 'string' && isDid(c));
    if (valid.length !== list.length) {
      log.record(plan.rule['controller-dropped'], pointer('controller'), PRESERVED_TO, `controller values that are not DIDs are left out (DID Core §5.1.2); ${WHY_PRESERVED}`, DID_CORE.controller);
    }
    if (valid.length > 0) controller = Array.isArray(native.controller) ? valid : valid[0];
  }
  let alsoKnownAs: string[] | undefined;
  if (native.alsoKnownAs !== undefined) {
    const list = Array.isArray(native.alsoKnownAs) ? native.alsoKnownAs : [native.alsoKnownAs];
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      const from = Array.isArray(native.alsoKnownAs) ? indexPointer('alsoKnownAs', i) : pointer('alsoKnownAs');
      const value = isJsonObject(entry) ? entry.id : entry;
      if (typeof value === 'string' && isUri(value) && !out.includes(value)) {
        if (value !== entry) log.record(plan.rule['alsoKnownAs-object-to-uri'], from, indexPointer('alsoKnownAs', out.length), 'alsoKnownAs holds URIs (DID Core §5.1.3); the entry\'s id is that URI', DID_CORE.alsoKnownAs);
        out.push(value);
      } else {
        log.record(plan.rule['alsoKnownAs-non-uri-preserved'], from, PRESERVED_TO, `${JSON.stringify(value ?? entry).slice(0, 100)} is not a URI, and alsoKnownAs holds only URIs (DID Core §5.1.3); ${WHY_PRESERVED}`, DID_CORE.alsoKnownAs);
      }
    }
    if (out.length > 0) alsoKnownAs = out;
  }

  // --- @context (now that the key types are known)
  const contextName = native['@context'] !== undefined ? '@context' : native.context !== undefined ? 'context' : undefined;
  const rawContext = contextName === undefined ? undefined : native[contextName];
  const given = rawContext === undefined ? [] : Array.isArray(rawContext) ? rawContext : [rawContext];
  const kept: Array<string | JsonObject> = [];
  const dropped: string[] = [];
  for (const c of given) {
    if (typeof c === 'string' && (c === DID_CORE_CONTEXT_V1 || LEGACY_DID_CONTEXTS.includes(c))) {
      if (c !== DID_CORE_CONTEXT_V1) dropped.push(c);
    } else if (typeof c === 'string') {
      // A string's canonical JSON equals only the same string's: no texts to write for the common case.
      if (!kept.includes(c)) kept.push(c);
    } else if (isJsonObject(c) && !kept.some((k) => canonicalJson(k) === canonicalJson(c))) {
      kept.push(c);
    }
  }
  const context: Array<string | JsonObject> = [DID_CORE_CONTEXT_V1];
  for (let i = 0; i < kept.length; i++) context.push(kept[i]!);
  const added: string[] = [];
  for (const c of state.contexts) {
    if (!kept.includes(c)) {
      added.push(c);
      context.push(c);
    }
  }
  if (contextName === 'context') {
    log.record(plan.rule['context-to-@context'], '/context', '/@context', 'JSON-LD reads the context from "@context" only (DID Core §6.3.1)', DID_CORE.context);
  }
  if (rawContext === undefined) {
    log.record(plan.rule['context-added'], null, '/@context', 'the application/did+ld+json representation MUST have an @context whose first value is https://www.w3.org/ns/did/v1 (DID Core §6.3.1)', DID_CORE.context);
  } else if (!sameContext(context, rawContext)) {
    // The reason's parts, joined with '; ' (no list of optional parts built and filtered).
    const givesV1 = given.includes(DID_CORE_CONTEXT_V1);
    let why = dropped.length > 0 ? `${dropped.join(', ')} (a pre-DID-Core draft context) is replaced by ${DID_CORE_CONTEXT_V1}` : '';
    if (!givesV1 && dropped.length === 0) why = andThen(why, `${DID_CORE_CONTEXT_V1} is added first`);
    if (added.length > 0) why = andThen(why, `${added.join(', ')} ${added.length === 1 ? 'defines' : 'define'} the verification method types used`);
    if (given.length !== kept.length + dropped.length + (givesV1 ? 1 : 0)) why = andThen(why, 'entries that are neither URLs nor maps, and repeats, are left out');
    log.record(plan.rule['context-normalised'], `/${contextName}`, '/@context', `${why} (DID Core §6.3.1: the first context is ${DID_CORE_CONTEXT_V1})`, DID_CORE.context);
  }

  // --- metadata members
  for (let m = 0; m < plan.metadataEntries.length; m++) {
    const [name, property] = plan.metadataEntries[m]!;
    const rules = plan.metadataRules[m]!;
    const value = native[name];
    if (value === undefined) continue;
    if (metadata[property] !== undefined) {
      log.record(rules.preserved, pointer(name), PRESERVED_TO, `metadata ${property} is already taken from another member; ${WHY_PRESERVED}`, DID_CORE.metadata);
      continue;
    }
    if (property === 'versionId') {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
      if (text !== undefined && text !== '' && /^[\x20-\x7e]+$/.test(text)) {
        metadata.versionId = text;
        log.record(rules.toMetadata, pointer(name), metadataPointer('versionId'), `the document version is DID document metadata, not document content; versionId is an ASCII string (DID Core §7.3.2.4)`, DID_CORE.metadata);
      } else {
        log.record(rules.unreadable, pointer(name), PRESERVED_TO, `${JSON.stringify(value)} cannot be a versionId (an ASCII string, DID Core §7.3.2.4); ${WHY_PRESERVED}`, DID_CORE.metadata);
      }
      continue;
    }
    const datetime = isBlank(value) ? undefined : normaliseDatetime(value);
    if (datetime !== undefined) {
      metadata[property] = datetime;
      const sic = name !== property ? ` ("${name}" is the native spelling of "${property}")` : '';
      log.record(rules.toMetadata, pointer(name), metadataPointer(property), `${property} is DID document metadata, not document content${sic}; written as an XML datetime in UTC without fractions (DID Core §7.3.2.1)`, DID_CORE.metadata);
    } else {
      log.record(rules.unreadable, pointer(name), PRESERVED_TO, `${JSON.stringify(value)} is not a datetime, so metadata gets no ${property}; ${WHY_PRESERVED}`, DID_CORE.metadata);
    }
  }
  if (native.proof !== undefined) {
    if (isMetadataValue(native.proof)) {
      metadata.proof = native.proof;
      log.record(plan.rule['proof-to-metadata'], '/proof', metadataPointer('proof'), `${profile.proofReason}; a proof about the document is not part of it, so it is document metadata, and didbridge does not claim it verified`, DID_CORE.metadata);
    } else {
      log.record(plan.rule['proof-preserved'], '/proof', PRESERVED_TO, `the proof holds values DID Core metadata cannot (§7.3 allows no numbers); ${WHY_PRESERVED}`, DID_CORE.metadata);
    }
  }
  const deactivationValue = profile.deactivationMember === undefined ? undefined : native[profile.deactivationMember];
  if (deactivationValue !== undefined && deactivationValue !== false && !isBlank(deactivationValue)) {
    metadata.deactivated = true;
    log.record(memberRule(plan, profile.deactivationMember!, '-to-deactivated'), pointer(profile.deactivationMember!), metadataPointer('deactivated'), `the document carries ${profile.deactivationMember} ${JSON.stringify(deactivationValue)}: the DID is deactivated, which DID Core §7.3.2.3 reports as deactivated: true`, DID_CORE.metadata);
  }

  // --- members with no W3C place
  const known = plan.known;
  for (const name of names) {
    // Own members only: a native member named "toString" or "constructor" is no member the profile describes.
    const why = Object.hasOwn(profile.nativeOnlyMembers, name) ? profile.nativeOnlyMembers[name] : undefined;
    if (why !== undefined) {
      log.record(memberRule(plan, name, '-preserved'), pointer(name), PRESERVED_TO, `${why}; ${WHY_PRESERVED}`, DID_CORE.extensibility);
    } else if (!known.has(name)) {
      log.record(plan.rule['unknown-member-preserved'], pointer(name), PRESERVED_TO, `${jsonString(name)} is neither a DID Core property nor a did:${profile.method} member didbridge knows; ${WHY_PRESERVED}`, DID_CORE.extensibility);
    }
  }

  // --- the document, in DID Core order
  const didDocument: DIDDocument = { '@context': context, id: did };
  if (controller !== undefined) didDocument.controller = controller;
  if (alsoKnownAs !== undefined) didDocument.alsoKnownAs = alsoKnownAs;
  if (methods.length > 0) didDocument.verificationMethod = methods;
  // In VERIFICATION_RELATIONSHIPS order, by name (see rawRelationships).
  if (relationships[0] !== undefined) didDocument.authentication = relationships[0];
  if (relationships[1] !== undefined) didDocument.assertionMethod = relationships[1];
  if (relationships[2] !== undefined) didDocument.keyAgreement = relationships[2];
  if (relationships[3] !== undefined) didDocument.capabilityInvocation = relationships[3];
  if (relationships[4] !== undefined) didDocument.capabilityDelegation = relationships[4];
  if (services.length > 0) didDocument.service = services;

  let preserved: JsonObject;
  if (detailed) {
    const pieces: PreservedDocument = { method: profile.method, shape: profile.shape, order: names, members: {} };
    const fingerprintOf = counterpartFingerprints(didDocument, metadata, profile);
    for (const name of pieces.order) pieces.members[name] = preservedMember(native[name] as JsonValue, fingerprintOf(name));
    preserved = pieces;
    metadata[PRESERVED_METADATA_MEMBER] = preservedToMetadata(preserved);
  } else {
    preserved = preserveNativeDocument(profile.method, profile.shape, native);
    metadata[PRESERVED_METADATA_MEMBER] = wrapCarriedDocument(profile.method, profile.shape, native, nativeText);
  }
  return {
    didDocument,
    didDocumentMetadata: metadata,
    changes: log.changes,
    preserved,
    native,
    deactivated: metadata.deactivated === true,
  };
}
