/**
 * DID Core 1.0 document checks: one check per machine-testable normative statement about a DID document in a given
 * representation and about its DID document metadata.
 *
 * Checks are written to be orthogonal: each tests only its own statement and answers `n/a` (or `skip`) when what it
 * needs is missing or broken in a way another check reports. Removing a verification method's `type` therefore fails
 * `did-core.vm.required-properties` only, not also `did-core.vm.type-string`. The mutation test in
 * `test/conformance` holds every check to this.
 *
 * Statements are quoted from the W3C Recommendation of 19 July 2022 unless `source` says otherwise.
 * @see https://www.w3.org/TR/did-core/
 */
import { bases } from 'multiformats/basics';
import { isDid, isDidUrl, parseDid, parseDidUrl, type ParsedDid } from '../../src/syntax/did-url.js';
import { DID_CORE_CONTEXT_V1, MediaType, VERIFICATION_RELATIONSHIPS, type DocumentMediaType } from '../../src/spec.js';
import { metadataPointer, pointer } from '../../src/translation.js';
import { DID_DATETIME } from '../../src/util/datetime.js';
import {
  OutcomeCollector,
  aggregateStatus,
  applyCheck,
  type Check,
  type CheckOutcome,
  type CheckResult,
  type DocumentUnderTest,
} from '../catalogue.js';
import { normalisationProblem, uriProblem } from './uri.js';

const TR = 'https://www.w3.org/TR/did-core/';

/** The DID v1.1 context, accepted as the first context for the DID 1.1 media type `application/did`. */
const DID_CORE_CONTEXT_V1_1 = 'https://www.w3.org/ns/did/v1.1';

/**
 * JWK members of the "Private" parameter information class in the IANA JSON Web Key Parameters registry
 * (RFC 7517 §8.1.1 registration template; RFC 7518 §6.2.2, §6.3.2 and §6.4.1).
 * @see https://www.iana.org/assignments/jose/jose.xhtml#web-key-parameters
 */
export const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Properties that express the same verification material in different encodings. DID Core defines the first two;
 * the others are registered in DID Specification Registries (mostly deprecated) and still arrive from legacy
 * documents, so a method that adds `publicKeyJwk` next to a `publicKeyHex` is caught too.
 * @see https://www.w3.org/TR/did-spec-registries/#verification-method-properties
 */
export const VERIFICATION_MATERIAL_PROPERTIES = [
  'publicKeyJwk',
  'publicKeyMultibase',
  'publicKeyBase58',
  'publicKeyBase64',
  'publicKeyHex',
  'publicKeyPem',
] as const;

/**
 * Names DID Core (§7.1.3) and DID Resolution define as DID document metadata. Inside a document they are ordinary
 * (unregistered) properties, and consumers will not read them as metadata.
 * @see https://www.w3.org/TR/did-core/#did-document-metadata
 * @see https://w3c.github.io/did-resolution/#did-document-metadata
 */
export const METADATA_PROPERTY_NAMES = [
  'created',
  'updated',
  'deactivated',
  'nextUpdate',
  'versionId',
  'nextVersionId',
  'equivalentId',
  'canonicalId',
  'proof',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Shared reading of the document

type JsonMap = Record<string, unknown>;

/** A map of the data model: a plain JSON object (not an array, not a Date or class instance). */
function isMap(value: unknown): value is JsonMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A stable serialisation (keys sorted) to compare set items by value. A value that contains itself serialises with
 * a marker at the cycle (did-core.json.types reports the cycle), so comparing never recurses forever.
 */
function canonical(value: unknown, stack: unknown[] = []): string {
  if (value !== null && typeof value === 'object') {
    if (stack.includes(value)) return '<cycle>';
    stack.push(value);
    try {
      if (Array.isArray(value)) return `[${value.map((v) => canonical(v, stack)).join(',')}]`;
      if (isMap(value)) {
        return `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(value[k], stack)}`)
          .join(',')}}`;
      }
    } finally {
      stack.pop();
    }
  }
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}

/** Indexes of items that repeat an earlier item (a set "does not contain the same item twice", DID Core §4). */
function repeatedItems(
  items: readonly unknown[],
  key: (item: unknown, index: number) => string = (item) => canonical(item),
): number[] {
  const seen = new Set<string>();
  const repeats: number[] = [];
  items.forEach((item, index) => {
    const k = key(item, index);
    if (seen.has(k)) repeats.push(index);
    else seen.add(k);
  });
  return repeats;
}

/** A value for a message: JSON, shortened; never throws (cycles and bigints have no JSON form). */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = typeName(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isMap(value)) return 'a map';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'non-plain'} object`;
  return `a ${typeof value}`;
}

/** What the checks read from a document: the root map (if it is one) and its DID (if `id` is a valid DID). */
interface DocumentView {
  root: JsonMap | undefined;
  did: ParsedDid | undefined;
  input: DocumentUnderTest;
}

function view(input: DocumentUnderTest): DocumentView {
  const root = isMap(input.document) ? input.document : undefined;
  let did: ParsedDid | undefined;
  if (root && typeof root.id === 'string' && isDid(root.id)) did = parseDid(root.id);
  return { root, did, input };
}

const NOT_A_MAP = 'the document is not a map (see did-core.document.root-map)';

/**
 * Resolves a DID URL that may be relative (DID Core §3.2.2) against the document's DID. Returns the absolute DID URL,
 * or a reason it cannot be made absolute. Only references that start with "#", "?" or "/" are resolved: RFC 3986
 * §5.2 merging of a rootless relative path with a DID (whose path is `method:msid`) does not give what §3.2.2
 * intends, so such references are reported rather than guessed at.
 * @see https://www.w3.org/TR/did-core/#relative-did-urls
 */
function absoluteDidUrl(
  value: string,
  did: ParsedDid | undefined,
): { url: string } | { unresolved: string; relative: boolean } {
  if (value.startsWith('did:')) return { url: value };
  if (value.startsWith('#') || value.startsWith('?') || value.startsWith('/')) {
    if (!did) {
      return { unresolved: 'it is relative and the document id is not a valid DID to resolve it against', relative: true };
    }
    return { url: did.did + value };
  }
  return { unresolved: 'it is neither a DID URL nor a relative DID URL starting with "#", "?" or "/"', relative: false };
}

/**
 * Reports whether a (possibly relative) DID URL value is a DID URL: pass, fail, or skip when it is relative and the
 * document id (which another check reports) gives nothing to resolve it against.
 */
function checkDidUrlValue(value: string, did: ParsedDid | undefined, at: string, out: OutcomeCollector): void {
  const absolute = absoluteDidUrl(value, did);
  if ('unresolved' in absolute) {
    if (absolute.relative) out.skip(at, `${show(value)}: ${absolute.unresolved}`);
    else out.fail(at, `${show(value)} is not a DID URL: ${absolute.unresolved}`);
  } else if (!isDidUrl(absolute.url)) out.fail(at, `${show(absolute.url)} is not a DID URL`);
  else out.pass(at);
}

/** A map found in the document (a verification method or a service), with the pointer to it. */
interface MapAt {
  map: JsonMap;
  at: string;
}

/** Every verification method map: in `verificationMethod` and embedded in the verification relationships. */
function verificationMethods(root: JsonMap): MapAt[] {
  const found: MapAt[] = [];
  for (const property of ['verificationMethod', ...VERIFICATION_RELATIONSHIPS]) {
    const value = root[property];
    if (!Array.isArray(value)) continue;
    value.forEach((entry, index) => {
      if (isMap(entry)) found.push({ map: entry, at: pointer(property, index) });
    });
  }
  return found;
}

/** Every service map in `service`. */
function services(root: JsonMap): MapAt[] {
  const value = root.service;
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, index) => (isMap(entry) ? [{ map: entry, at: pointer('service', index) }] : []));
}

/** The metadata map of a document under test, or why metadata checks do not apply. */
function metadataOf(input: DocumentUnderTest): { map: JsonMap } | { reason: string } {
  if (input.metadata === undefined) return { reason: 'the target gives no DID document metadata' };
  if (!isMap(input.metadata)) return { reason: 'the metadata is not a map (see did-core.metadata.structure)' };
  return { map: input.metadata };
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Whether a normalised datetime string names a real instant (DID_DATETIME only checks the shape). */
function isRealDatetime(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString().replace(/\.000Z$/, 'Z') === value;
}

type DocumentCheck = Check<'document'>;

function documentCheck(
  info: Omit<DocumentCheck, 'subject' | 'run'>,
  run: (view: DocumentView, out: OutcomeCollector) => string,
): DocumentCheck {
  return {
    ...info,
    subject: 'document',
    run(input: DocumentUnderTest): CheckOutcome[] {
      const out = new OutcomeCollector();
      const reason = run(view(input), out);
      return out.done(reason);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The document as a whole

const rootMap = documentCheck(
  {
    id: 'did-core.document.root-map',
    section: `${TR}#production`,
    level: 'MUST',
    statement: 'All entries of a DID document MUST be included in the root JSON Object.',
    source: 'quoted',
    note: 'The consumption rules say the same from the other side (§6.2.2): "the root element MUST be a JSON Object".',
  },
  ({ input }, out) => {
    if (isMap(input.document)) out.pass('');
    else out.fail('', `the document is ${typeName(input.document)}, not a JSON object`);
    return '';
  },
);

/** Walks a value and reports every part that is not a JSON type (DID Core §6.2.1 production table). */
function nonJsonValues(value: unknown, at: string, found: Array<{ at: string; why: string }>, stack: Set<unknown>): void {
  if (found.length >= 20) return;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) found.push({ at, why: `${value} is not a JSON number` });
      return;
    case 'undefined':
      found.push({ at, why: 'undefined has no JSON form' });
      return;
    case 'object':
      break;
    default:
      found.push({ at, why: `a ${typeof value} has no JSON form` });
      return;
  }
  if (value === null) return;
  if (stack.has(value)) {
    found.push({ at, why: 'the value contains itself (a cycle)' });
    return;
  }
  if (stack.size >= 256) {
    found.push({ at, why: 'the value nests deeper than 256 levels' });
    return;
  }
  stack.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) found.push({ at: `${at}/${i}`, why: 'a hole in the array has no JSON form' });
      else nonJsonValues(value[i], `${at}/${i}`, found, stack);
    }
  } else if (!isMap(value)) {
    found.push({ at, why: `${typeName(value)} is not a JSON object (JSON.stringify would change or drop it)` });
  } else {
    if (Object.getOwnPropertySymbols(value).length > 0) found.push({ at, why: 'symbol-keyed members have no JSON form' });
    for (const key of Object.keys(value)) nonJsonValues(value[key], at + pointer(key), found, stack);
  }
  stack.delete(value);
}

const jsonTypes = documentCheck(
  {
    id: 'did-core.json.types',
    section: `${TR}#production`,
    level: 'MUST',
    statement:
      'The DID document, DID document data structures, and representation-specific entries map MUST be serialized ' +
      'to the JSON representation according to the following production rules',
    source: 'quoted',
    note:
      'The rules map every data-model type to a JSON type; JSON-LD production (§6.3.1) uses the same rules. The check ' +
      'fails values that have no JSON form (undefined, NaN, Infinity, bigint, functions, Dates and other class ' +
      'instances, array holes, cycles), which in-process producers can emit and JSON.stringify silently alters.',
  },
  ({ input }, out) => {
    const found: Array<{ at: string; why: string }> = [];
    nonJsonValues(input.document, '', found, new Set());
    for (const f of found) out.fail(f.at, f.why);
    if (found.length === 0) out.pass('');
    return '';
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §5.1 Identifiers

const idSyntax = documentCheck(
  {
    id: 'did-core.id.did-syntax',
    section: `${TR}#did-subject`,
    level: 'MUST',
    statement:
      'The value of id MUST be a string that conforms to the rules in 3.1 DID Syntax and MUST exist in the root map ' +
      'of the data model for the DID document.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    if (!('id' in root)) out.fail('/id', 'the document has no id');
    else if (typeof root.id !== 'string') out.fail('/id', `id is ${typeName(root.id)}, not a string`);
    else {
      try {
        parseDid(root.id);
        out.pass('/id');
      } catch (err) {
        out.fail('/id', (err as Error).message);
      }
    }
    return '';
  },
);

const controllerSyntax = documentCheck(
  {
    id: 'did-core.controller.did-syntax',
    section: `${TR}#did-controller`,
    level: 'MUST',
    statement:
      'The controller property is OPTIONAL. If present, the value MUST be a string or a set of strings that conform ' +
      'to the rules in 3.1 DID Syntax.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    if (!('controller' in root)) return 'the document has no controller';
    const value = root.controller;
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!items) {
      out.fail('/controller', `controller is ${typeName(value)}, not a string or a set of strings`);
      return '';
    }
    items.forEach((item, index) => {
      const at = typeof value === 'string' ? '/controller' : pointer('controller', index);
      if (!isDid(item)) out.fail(at, `${show(item)} is not a DID`);
      else out.pass(at);
    });
    if (Array.isArray(value)) {
      for (const i of repeatedItems(value)) out.fail(pointer('controller', i), `${show(value[i])} appears twice in a set`);
      if (value.length === 0) out.pass('/controller', 'an empty set of controllers');
    }
    return '';
  },
);

const alsoKnownAs = documentCheck(
  {
    id: 'did-core.also-known-as.uri-set',
    section: `${TR}#also-known-as`,
    level: 'MUST',
    statement:
      'The alsoKnownAs property is OPTIONAL. If present, the value MUST be a set where each item in the set is a URI ' +
      'conforming to [RFC3986].',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    if (!('alsoKnownAs' in root)) return 'the document has no alsoKnownAs';
    const value = root.alsoKnownAs;
    if (!Array.isArray(value)) {
      out.fail('/alsoKnownAs', `alsoKnownAs is ${typeName(value)}, not a set (a JSON array)`);
      return '';
    }
    value.forEach((item, index) => {
      const at = pointer('alsoKnownAs', index);
      if (typeof item !== 'string') out.fail(at, `the item is ${typeName(item)}, not a URI string`);
      else {
        const problem = uriProblem(item);
        if (problem) out.fail(at, `${show(item)} is not a URI: ${problem}`);
        else out.pass(at);
      }
    });
    for (const i of repeatedItems(value)) out.fail(pointer('alsoKnownAs', i), `${show(value[i])} appears twice in a set`);
    if (value.length === 0) out.pass('/alsoKnownAs', 'an empty set');
    return '';
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §5.2 Verification methods

const vmSetOfMaps = documentCheck(
  {
    id: 'did-core.vm.set-of-maps',
    section: `${TR}#verification-methods`,
    level: 'MUST',
    statement:
      'The verificationMethod property is OPTIONAL. If present, the value MUST be a set of verification methods, ' +
      'where each verification method is expressed using a map.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    if (!('verificationMethod' in root)) return 'the document has no verificationMethod';
    const value = root.verificationMethod;
    if (!Array.isArray(value)) {
      out.fail('/verificationMethod', `verificationMethod is ${typeName(value)}, not a set (a JSON array)`);
      return '';
    }
    // Repeated maps are left to did-core.vm.id-unique: two equal maps have equal ids.
    value.forEach((item, index) => {
      const at = pointer('verificationMethod', index);
      if (isMap(item)) out.pass(at);
      else out.fail(at, `the item is ${typeName(item)}, not a map`);
    });
    if (value.length === 0) out.pass('/verificationMethod', 'an empty set');
    return '';
  },
);

const NO_METHODS = 'the document has no verification method maps';

const vmRequired = documentCheck(
  {
    id: 'did-core.vm.required-properties',
    section: `${TR}#verification-methods`,
    level: 'MUST',
    statement:
      'The verification method map MUST include the id, type, controller, and specific verification material ' +
      'properties that are determined by the value of type and are defined in 5.2.1 Verification Material.',
    source: 'quoted',
    note:
      'Which material a type needs is defined by the type, so the check requires id, type and controller and at ' +
      'least one further property that can carry the material; a method with nothing else cannot be used.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      const missing = ['id', 'type', 'controller'].filter((p) => !(p in method));
      if (missing.length > 0) out.fail(at, `the verification method has no ${missing.join(', ')}`);
      else if (Object.keys(method).every((k) => k === 'id' || k === 'type' || k === 'controller')) {
        out.fail(at, 'the verification method has no verification material (for example publicKeyMultibase)');
      } else out.pass(at);
    }
    return NO_METHODS;
  },
);

const vmIdDidUrl = documentCheck(
  {
    id: 'did-core.vm.id-did-url',
    section: `${TR}#verification-methods`,
    level: 'MUST',
    statement:
      'The value of the id property for a verification method MUST be a string that conforms to the rules in Section ' +
      '3.2 DID URL Syntax.',
    source: 'quoted',
    note:
      'Relative DID URLs (§3.2.2: "Relative DID URLs are often used to reference verification methods") are resolved ' +
      'against the document id first.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      if (!('id' in method)) continue;
      const value = method.id;
      if (typeof value !== 'string') {
        out.fail(`${at}/id`, `the id is ${typeName(value)}, not a string`);
        continue;
      }
      checkDidUrlValue(value, did, `${at}/id`, out);
    }
    return NO_METHODS;
  },
);

const vmTypeString = documentCheck(
  {
    id: 'did-core.vm.type-string',
    section: `${TR}#verification-methods`,
    level: 'MUST',
    statement: 'The value of the type property MUST be a string that references exactly one verification method type.',
    source: 'quoted',
    note: 'A string names one type; an array or an empty string cannot.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      if (!('type' in method)) continue;
      if (typeof method.type === 'string' && method.type.trim() !== '') out.pass(`${at}/type`);
      else out.fail(`${at}/type`, `the type is ${typeof method.type === 'string' ? 'an empty string' : typeName(method.type)}`);
    }
    return NO_METHODS;
  },
);

const vmControllerDid = documentCheck(
  {
    id: 'did-core.vm.controller-did',
    section: `${TR}#verification-methods`,
    level: 'MUST',
    statement: 'The value of the controller property MUST be a string that conforms to the rules in 3.1 DID Syntax.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      if (!('controller' in method)) continue;
      if (isDid(method.controller)) out.pass(`${at}/controller`);
      else out.fail(`${at}/controller`, `${show(method.controller)} is not a DID`);
    }
    return NO_METHODS;
  },
);

const vmSingleMaterial = documentCheck(
  {
    id: 'did-core.vm.single-material',
    section: `${TR}#verification-material`,
    level: 'MUST',
    statement:
      'A verification method MUST NOT contain multiple verification material properties for the same material. For ' +
      'example, expressing key material in a verification method using both publicKeyJwk and publicKeyMultibase at ' +
      'the same time is prohibited.',
    source: 'quoted',
    note: `Material properties counted: ${VERIFICATION_MATERIAL_PROPERTIES.join(', ')}.`,
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      const present = VERIFICATION_MATERIAL_PROPERTIES.filter((p) => p in method);
      if (present.length > 1) out.fail(at, `the verification method carries its key as ${present.join(' and ')}`);
      else out.pass(at);
    }
    return NO_METHODS;
  },
);

const vmJwkMap = documentCheck(
  {
    id: 'did-core.vm.jwk-map',
    section: `${TR}#verification-material`,
    level: 'MUST',
    statement:
      'The publicKeyJwk property is OPTIONAL. If present, the value MUST be a map representing a JSON Web Key that ' +
      'conforms to [RFC7517].',
    source: 'quoted',
    note: 'RFC 7517 §4.1: "The "kty" (key type) parameter ... MUST be present in a JWK"; it is a case-sensitive string.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      if (!('publicKeyJwk' in method)) continue;
      const jwk = method.publicKeyJwk;
      const where = `${at}/publicKeyJwk`;
      if (!isMap(jwk)) out.fail(where, `publicKeyJwk is ${typeName(jwk)}, not a map`);
      else if (typeof jwk.kty !== 'string' || jwk.kty === '') out.fail(`${where}/kty`, 'the JWK has no "kty" string (RFC 7517 §4.1)');
      else out.pass(where);
    }
    return 'no verification method has publicKeyJwk';
  },
);

const vmJwkNoPrivate = documentCheck(
  {
    id: 'did-core.vm.jwk-no-private',
    section: `${TR}#verification-material`,
    level: 'MUST',
    statement:
      'The map MUST NOT contain "d", or any other members of the private information class as described in ' +
      'Registration Template.',
    source: 'quoted',
    note: `Members of the private class in the IANA JWK parameters registry: ${JWK_PRIVATE_MEMBERS.join(', ')}.`,
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      const jwk = method.publicKeyJwk;
      if (!isMap(jwk)) continue;
      const privateMembers = JWK_PRIVATE_MEMBERS.filter((m) => m in jwk);
      for (const m of privateMembers) {
        out.fail(`${at}/publicKeyJwk/${m}`, `the JWK contains the private member "${m}": the private key is published`);
      }
      if (privateMembers.length === 0) out.pass(`${at}/publicKeyJwk`);
    }
    return 'no verification method has a publicKeyJwk map';
  },
);

/** Multibase decoders by prefix character (multiformats' registry of bases). */
const MULTIBASE_DECODERS = new Map<string, (text: string) => Uint8Array>(
  Object.values(bases).map((codec) => [codec.prefix, (text: string) => codec.decoder.decode(text)]),
);

/** Why `value` is not a multibase string, or undefined when it decodes. */
function multibaseProblem(value: string): string | undefined {
  const prefix = String.fromCodePoint(value.codePointAt(0) ?? 0);
  const decode = value === '' ? undefined : MULTIBASE_DECODERS.get(prefix);
  if (!decode) return value === '' ? 'the string is empty' : `"${prefix}" is not a multibase prefix`;
  try {
    const bytes = decode(value);
    return bytes.length === 0 ? 'it decodes to no bytes' : undefined;
  } catch (err) {
    return `it does not decode as ${[...Object.values(bases)].find((b) => b.prefix === prefix)?.name ?? 'multibase'}: ${(err as Error).message}`;
  }
}

const vmMultibase = documentCheck(
  {
    id: 'did-core.vm.multibase',
    section: `${TR}#verification-material`,
    level: 'MUST',
    statement:
      'The publicKeyMultibase property is OPTIONAL. This feature is non-normative. If present, the value MUST be a ' +
      'string representation of a [MULTIBASE] encoded public key.',
    source: 'quoted',
    note: 'The check decodes the string with the base its prefix names; what the bytes mean is up to the method type.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: method, at } of verificationMethods(root)) {
      if (!('publicKeyMultibase' in method)) continue;
      const value = method.publicKeyMultibase;
      const where = `${at}/publicKeyMultibase`;
      if (typeof value !== 'string') {
        out.fail(where, `publicKeyMultibase is ${typeName(value)}, not a string`);
        continue;
      }
      const problem = multibaseProblem(value);
      if (problem) out.fail(where, `${show(value)} is not multibase: ${problem}`);
      else out.pass(where);
    }
    return 'no verification method has publicKeyMultibase';
  },
);

const vmIdUnique = documentCheck(
  {
    id: 'did-core.vm.id-unique',
    section: `${TR}#referring-to-verification-methods`,
    level: 'MUST',
    statement: 'Verification method ids MUST be unique within a DID document.',
    source: 'derived',
    note:
      'DID Core states uniqueness as a MUST for services only. For verification methods it follows from §5.2.2: a ' +
      'reference is followed "by dereferencing the URL and searching the resulting resource for a verification ' +
      'method map with an id property whose value matches the URL", which selects nothing definite when two maps ' +
      'share the id. Ids are compared after resolving relative DID URLs.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    const firstAt = new Map<string, string>();
    for (const { map: method, at } of verificationMethods(root)) {
      if (typeof method.id !== 'string') continue;
      const absolute = absoluteDidUrl(method.id, did);
      const key = 'url' in absolute ? absolute.url : method.id;
      const earlier = firstAt.get(key);
      if (earlier !== undefined) out.fail(`${at}/id`, `the id ${show(key)} is already used at ${earlier}`);
      else {
        firstAt.set(key, at);
        out.pass(`${at}/id`);
      }
    }
    return NO_METHODS;
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §5.3 Verification relationships

const NO_RELATIONSHIPS = 'the document has no verification relationships';

const relationshipSet = documentCheck(
  {
    id: 'did-core.relationship.set',
    section: `${TR}#verification-relationships`,
    level: 'MUST',
    statement:
      'The authentication property is OPTIONAL. If present, the associated value MUST be a set of one or more ' +
      'verification methods. Each verification method MAY be embedded or referenced.',
    source: 'quoted',
    note:
      '§5.3.1 is quoted; §5.3.2 to §5.3.5 say the same of assertionMethod, keyAgreement, capabilityInvocation and ' +
      'capabilityDelegation. An entry is embedded (a map) or referenced (a string); a set repeats no entry.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    for (const relationship of VERIFICATION_RELATIONSHIPS) {
      if (!(relationship in root)) continue;
      const value = root[relationship];
      const at = pointer(relationship);
      if (!Array.isArray(value)) {
        out.fail(at, `${relationship} is ${typeName(value)}, not a set (a JSON array)`);
        continue;
      }
      if (value.length === 0) {
        out.fail(at, `${relationship} is empty; the set holds one or more verification methods`);
        continue;
      }
      const bad = value.flatMap((entry, i) => (typeof entry === 'string' || isMap(entry) ? [] : [i]));
      for (const i of bad) out.fail(pointer(relationship, i), `the entry is ${typeName(value[i])}, neither a reference nor a map`);
      // A repeated reference makes the value a list, not a set. References are compared in absolute form ("#key-1"
      // and "did:x:y#key-1" are the same item); repeated embedded maps are left to did-core.vm.id-unique.
      const key = (entry: unknown, index: number) => {
        if (typeof entry !== 'string') return `map ${index}`;
        const absolute = absoluteDidUrl(entry, did);
        return JSON.stringify('url' in absolute ? absolute.url : entry);
      };
      const repeats = repeatedItems(value, key);
      for (const i of repeats) out.fail(pointer(relationship, i), `${show(value[i])} appears twice in ${relationship}`);
      if (bad.length === 0 && repeats.length === 0) out.pass(at);
    }
    return NO_RELATIONSHIPS;
  },
);

/** Every string entry of the verification relationships, with its pointer. */
function references(root: JsonMap): Array<{ value: string; at: string }> {
  const found: Array<{ value: string; at: string }> = [];
  for (const relationship of VERIFICATION_RELATIONSHIPS) {
    const value = root[relationship];
    if (!Array.isArray(value)) continue;
    value.forEach((entry, index) => {
      if (typeof entry === 'string') found.push({ value: entry, at: pointer(relationship, index) });
    });
  }
  return found;
}

const NO_REFERENCES = 'no verification relationship refers to a method by reference';

const referenceDidUrl = documentCheck(
  {
    id: 'did-core.relationship.reference-did-url',
    section: `${TR}#core-properties`,
    level: 'MUST',
    statement:
      'A verification relationship entry that refers to a verification method by reference MUST be a string that ' +
      'conforms to the rules in 3.2 DID URL Syntax.',
    source: 'paraphrased',
    note:
      'The value constraint of the authentication, assertionMethod, keyAgreement, capabilityInvocation and ' +
      'capabilityDelegation rows of the table in §5: "A set of either Verification Method maps that conform to the ' +
      'rules in Verification Method properties) or strings that conform to the rules in 3.2 DID URL Syntax." The ' +
      'table is informative and links to the normative definitions (§5.3.1 to §5.3.5: each verification method "MAY ' +
      'be embedded or referenced"). Relative DID URLs (§3.2.2) are resolved against the document id first.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { value, at } of references(root)) checkDidUrlValue(value, did, at, out);
    return NO_REFERENCES;
  },
);

const referenceResolves = documentCheck(
  {
    id: 'did-core.relationship.reference-resolves',
    section: `${TR}#referring-to-verification-methods`,
    level: 'MUST',
    statement:
      'A verification method referenced by a DID URL of the document\'s own DID MUST be present in the document.',
    source: 'derived',
    note:
      '§5.2.2: a referenced method\'s "properties will need to be retrieved from elsewhere in the DID document or from ' +
      'another DID document ... by dereferencing the URL and searching the resulting resource for a verification ' +
      'method map with an id property whose value matches the URL"; §5.3: "If a referenced verification method is not ' +
      'in the latest DID Document used to dereference it, then that verification method is considered invalid or ' +
      'revoked." A reference to the document\'s own DID that matches no method can therefore never be used. ' +
      'References to other DIDs are skipped: following them needs resolution.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    const refs = references(root);
    if (refs.length === 0) return NO_REFERENCES;
    if (!did) {
      for (const { at } of refs) out.skip(at, 'the document id is not a valid DID, so "own DID" is unknown');
      return '';
    }
    const ids = new Set<string>();
    for (const { map: method } of verificationMethods(root)) {
      if (typeof method.id !== 'string') continue;
      const absolute = absoluteDidUrl(method.id, did);
      if ('url' in absolute) ids.add(absolute.url);
    }
    for (const { value, at } of refs) {
      const absolute = absoluteDidUrl(value, did);
      if ('unresolved' in absolute || !isDidUrl(absolute.url)) continue; // reported by reference-did-url
      if (parseDidUrl(absolute.url).did !== did.did) {
        out.skip(at, `${show(value)} refers to another DID's document`);
      } else if (ids.has(absolute.url)) out.pass(at);
      else out.fail(at, `${show(value)} matches no verification method id in the document`);
    }
    return NO_REFERENCES;
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §5.4 Services

const NO_SERVICES = 'the document has no service maps';

const serviceSetOfMaps = documentCheck(
  {
    id: 'did-core.service.set-of-maps',
    section: `${TR}#services`,
    level: 'MUST',
    statement:
      'The service property is OPTIONAL. If present, the associated value MUST be a set of services, where each ' +
      'service is described by a map.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    if (!('service' in root)) return 'the document has no service';
    const value = root.service;
    if (!Array.isArray(value)) {
      out.fail('/service', `service is ${typeName(value)}, not a set (a JSON array)`);
      return '';
    }
    // Repeated maps are left to did-core.service.id-unique: two equal maps have equal ids.
    value.forEach((item, index) => {
      if (isMap(item)) out.pass(pointer('service', index));
      else out.fail(pointer('service', index), `the item is ${typeName(item)}, not a map`);
    });
    if (value.length === 0) out.pass('/service', 'an empty set');
    return '';
  },
);

const serviceRequired = documentCheck(
  {
    id: 'did-core.service.required-properties',
    section: `${TR}#services`,
    level: 'MUST',
    statement: 'Each service map MUST contain id, type, and serviceEndpoint properties.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: service, at } of services(root)) {
      const missing = ['id', 'type', 'serviceEndpoint'].filter((p) => !(p in service));
      if (missing.length > 0) out.fail(at, `the service has no ${missing.join(', ')}`);
      else out.pass(at);
    }
    return NO_SERVICES;
  },
);

const serviceIdUri = documentCheck(
  {
    id: 'did-core.service.id-uri',
    section: `${TR}#services`,
    level: 'MUST',
    statement: 'The value of the id property MUST be a URI conforming to [RFC3986].',
    source: 'quoted',
    note: 'Relative DID URLs (§3.2.2: they "reference verification methods and services") are resolved against the document id first.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: service, at } of services(root)) {
      if (!('id' in service)) continue;
      const where = `${at}/id`;
      if (typeof service.id !== 'string') {
        out.fail(where, `the id is ${typeName(service.id)}, not a string`);
        continue;
      }
      const absolute = absoluteDidUrl(service.id, did);
      if ('unresolved' in absolute && absolute.relative) {
        out.skip(where, `${show(service.id)}: ${absolute.unresolved}`);
        continue;
      }
      // Not a DID URL is fine here: a service id may be any URI.
      const problem = uriProblem('url' in absolute ? absolute.url : service.id);
      if (problem) out.fail(where, `${show(service.id)} is not a URI: ${problem}`);
      else out.pass(where);
    }
    return NO_SERVICES;
  },
);

const serviceIdUnique = documentCheck(
  {
    id: 'did-core.service.id-unique',
    section: `${TR}#services`,
    level: 'MUST',
    statement: 'A conforming producer MUST NOT produce multiple service entries with the same id.',
    source: 'quoted',
    note: 'Ids are compared after resolving relative DID URLs, so "#hub" and "<did>#hub" are the same id.',
  },
  ({ root, did }, out) => {
    if (!root) return NOT_A_MAP;
    const firstAt = new Map<string, string>();
    for (const { map: service, at } of services(root)) {
      if (typeof service.id !== 'string') continue;
      const absolute = absoluteDidUrl(service.id, did);
      const key = 'url' in absolute ? absolute.url : service.id;
      const earlier = firstAt.get(key);
      if (earlier !== undefined) out.fail(`${at}/id`, `the id ${show(key)} is already used at ${earlier}`);
      else {
        firstAt.set(key, at);
        out.pass(`${at}/id`);
      }
    }
    return NO_SERVICES;
  },
);

const serviceType = documentCheck(
  {
    id: 'did-core.service.type',
    section: `${TR}#services`,
    level: 'MUST',
    statement: 'The value of the type property MUST be a string or a set of strings.',
    source: 'quoted',
    note: 'Empty strings and empty sets are failed: they name no type.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: service, at } of services(root)) {
      if (!('type' in service)) continue;
      const value = service.type;
      const where = `${at}/type`;
      if (typeof value === 'string') {
        if (value.trim() === '') out.fail(where, 'the type is an empty string');
        else out.pass(where);
      } else if (Array.isArray(value)) {
        const bad = value.flatMap((t, i) => (typeof t === 'string' && t.trim() !== '' ? [] : [i]));
        const repeats = repeatedItems(value);
        for (const i of bad) out.fail(`${where}/${i}`, `the type ${show(value[i])} is not a non-empty string`);
        for (const i of repeats) out.fail(`${where}/${i}`, `${show(value[i])} appears twice in a set`);
        if (value.length === 0) out.fail(where, 'the type is an empty set');
        else if (bad.length === 0 && repeats.length === 0) out.pass(where);
      } else out.fail(where, `the type is ${typeName(value)}, not a string or a set of strings`);
    }
    return NO_SERVICES;
  },
);

const serviceEndpointShape = documentCheck(
  {
    id: 'did-core.service.endpoint-shape',
    section: `${TR}#services`,
    level: 'MUST',
    statement:
      'The value of the serviceEndpoint property MUST be a string, a map, or a set composed of one or more strings ' +
      'and/or maps.',
    source: 'quoted',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { map: service, at } of services(root)) {
      if (!('serviceEndpoint' in service)) continue;
      const value = service.serviceEndpoint;
      const where = `${at}/serviceEndpoint`;
      if (typeof value === 'string' || isMap(value)) out.pass(where);
      else if (Array.isArray(value)) {
        if (value.length === 0) {
          out.fail(where, 'the serviceEndpoint set is empty; it holds one or more strings and/or maps');
          continue;
        }
        const bad = value.flatMap((e, i) => (typeof e === 'string' || isMap(e) ? [] : [i]));
        const repeats = repeatedItems(value);
        for (const i of bad) out.fail(`${where}/${i}`, `the item is ${typeName(value[i])}, not a string or a map`);
        for (const i of repeats) out.fail(`${where}/${i}`, `${show(value[i])} appears twice in a set`);
        if (bad.length === 0 && repeats.length === 0) out.pass(where);
      } else out.fail(where, `the serviceEndpoint is ${typeName(value)}, not a string, a map or a set`);
    }
    return NO_SERVICES;
  },
);

/** Every string of a serviceEndpoint (the value itself, or the string items of a set), with pointers. */
function endpointStrings(root: JsonMap): Array<{ value: string; at: string }> {
  const found: Array<{ value: string; at: string }> = [];
  for (const { map: service, at } of services(root)) {
    const value = service.serviceEndpoint;
    if (typeof value === 'string') found.push({ value, at: `${at}/serviceEndpoint` });
    else if (Array.isArray(value)) {
      value.forEach((e, i) => {
        if (typeof e === 'string') found.push({ value: e, at: `${at}/serviceEndpoint/${i}` });
      });
    }
  }
  return found;
}

const NO_ENDPOINT_STRINGS = 'no serviceEndpoint is a string or has string items';

const serviceEndpointUri = documentCheck(
  {
    id: 'did-core.service.endpoint-uri',
    section: `${TR}#services`,
    level: 'MUST',
    statement: 'All string values MUST be valid URIs conforming to [RFC3986]',
    source: 'quoted',
    note: 'The first half of the sentence; normalisation is did-core.service.endpoint-normalized.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { value, at } of endpointStrings(root)) {
      const problem = uriProblem(value);
      if (problem) out.fail(at, `${show(value)} is not a URI: ${problem}`);
      else out.pass(at);
    }
    return NO_ENDPOINT_STRINGS;
  },
);

const serviceEndpointNormalized = documentCheck(
  {
    id: 'did-core.service.endpoint-normalized',
    section: `${TR}#services`,
    level: 'MUST',
    statement:
      'All string values MUST be valid URIs conforming to [RFC3986] and normalized according to the Normalization and ' +
      'Comparison rules in RFC3986 and to any normalization rules in its applicable URI scheme specification.',
    source: 'quoted',
    note:
      'Tested: RFC 3986 §6.2.2 (lower-case scheme and host, upper-case percent-encoding, no encoded unreserved ' +
      'characters, no dot-segments) and the default-port rule of §6.2.3. Strings that are not URIs are left to ' +
      'did-core.service.endpoint-uri.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    for (const { value, at } of endpointStrings(root)) {
      if (uriProblem(value)) continue;
      const problem = normalisationProblem(value);
      if (problem) out.fail(at, `${show(value)} is not normalised: ${problem}`);
      else out.pass(at);
    }
    return NO_ENDPOINT_STRINGS;
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §6.3 JSON-LD production

const JSON_LD_TYPES: readonly string[] = [MediaType.DidLdJson, MediaType.Did];

function notJsonLd(representation: string): string {
  return `the representation is ${representation}; @context is a representation-specific entry of JSON-LD`;
}

const contextPresent = documentCheck(
  {
    id: 'did-core.jsonld.context-present',
    section: `${TR}#production-0`,
    level: 'MUST',
    statement:
      'In addition to using the JSON representation production rules, JSON-LD production MUST include the ' +
      'representation-specific @context entry.',
    source: 'quoted',
    note: 'Applies to application/did+ld+json and to application/did, whose DID 1.1 production rules are the same.',
  },
  ({ root, input }, out) => {
    if (!JSON_LD_TYPES.includes(input.representation)) return notJsonLd(input.representation);
    if (!root) return NOT_A_MAP;
    if ('@context' in root) out.pass('/@context');
    else out.fail('/@context', `the ${input.representation} document has no @context`);
    return '';
  },
);

const contextValue = documentCheck(
  {
    id: 'did-core.jsonld.context-value',
    section: `${TR}#production-0`,
    level: 'MUST',
    statement:
      'The serialized value of @context MUST be the JSON String https://www.w3.org/ns/did/v1, or a JSON Array where ' +
      'the first item is the JSON String https://www.w3.org/ns/did/v1 and the subsequent items are serialized ' +
      'according to the JSON representation production rules.',
    source: 'quoted',
    note:
      'Later items are contexts: §6.3 says @context "is either a string or a list containing any combination of ' +
      'strings and/or ordered maps". For application/did (DID 1.1) https://www.w3.org/ns/did/v1.1 is accepted as ' +
      'the first item too.',
  },
  ({ root, input }, out) => {
    if (!JSON_LD_TYPES.includes(input.representation)) return notJsonLd(input.representation);
    if (!root) return NOT_A_MAP;
    if (!('@context' in root)) return 'the document has no @context (see did-core.jsonld.context-present)';
    const firsts = input.representation === MediaType.Did ? [DID_CORE_CONTEXT_V1, DID_CORE_CONTEXT_V1_1] : [DID_CORE_CONTEXT_V1];
    const expected = firsts.join(' or ');
    const value = root['@context'];
    if (typeof value === 'string') {
      if (firsts.includes(value)) out.pass('/@context');
      else out.fail('/@context', `@context is ${show(value)}, not ${expected}`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) out.fail('/@context', `@context is an empty array; its first item must be ${expected}`);
      else if (!firsts.includes(value[0] as string)) {
        const at = firsts.findIndex((f) => value.includes(f));
        out.fail('/@context/0', `the first context is ${show(value[0])}, not ${expected}${at >= 0 ? ' (it is present, but not first)' : ''}`);
      } else {
        const bad = value.flatMap((c, i) => (i > 0 && typeof c !== 'string' && !isMap(c) ? [i] : []));
        for (const i of bad) out.fail(pointer('@context', i), `the context is ${typeName(value[i])}, not a string or a map`);
        if (bad.length === 0) out.pass('/@context');
      }
    } else out.fail('/@context', `@context is ${typeName(value)}, not a string or an array`);
    return '';
  },
);

// ---------------------------------------------------------------------------------------------------------------
// §7.1.3 DID document metadata, §7.3 metadata structure

const NO_METADATA_PROPERTY = (name: string) => `the metadata has no ${name}`;

/** Walks metadata and reports values that are not string, map, list, set, boolean or null. */
function nonMetadataValues(value: unknown, at: string, found: Array<{ at: string; why: string }>, depth: number): void {
  if (found.length >= 20) return;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (depth > 64) {
    found.push({ at, why: 'the value nests deeper than 64 levels' });
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => nonMetadataValues(v, `${at}/${i}`, found, depth + 1));
  else if (isMap(value)) for (const k of Object.keys(value)) nonMetadataValues(value[k], at + pointer(k), found, depth + 1);
  else {
    const hint = typeof value === 'number' ? ' (numbers are not among the metadata types; use a string)' : '';
    found.push({ at, why: `the value is ${typeName(value)}${hint}` });
  }
}

const metadataStructure = documentCheck(
  {
    id: 'did-core.metadata.structure',
    section: `${TR}#metadata-structure`,
    level: 'MUST',
    statement:
      'The structure used to communicate this metadata MUST be a map of properties. Each property name MUST be a ' +
      'string. Each property value MUST be a string, map, list, set, boolean, or null. The values within any complex ' +
      'data structures such as maps and lists MUST be one of these data types as well.',
    source: 'quoted',
  },
  ({ input }, out) => {
    if (input.metadata === undefined) return 'the target gives no DID document metadata';
    if (!isMap(input.metadata)) {
      out.fail('#metadata', `the metadata is ${typeName(input.metadata)}, not a map`);
      return '';
    }
    const found: Array<{ at: string; why: string }> = [];
    nonMetadataValues(input.metadata, '', found, 0);
    for (const f of found) out.fail(`#metadata${f.at}`, f.why);
    if (found.length === 0) out.pass('#metadata');
    return '';
  },
);

const metadataDatetime = documentCheck(
  {
    id: 'did-core.metadata.datetime',
    section: `${TR}#did-document-metadata`,
    level: 'MUST',
    statement:
      'The value of the property MUST be a string formatted as an XML Datetime normalized to UTC 00:00:00 and without ' +
      'sub-second decimal precision. For example: 2020-12-20T19:17:47Z.',
    source: 'quoted',
    note: 'Said of created; updated and nextUpdate "MUST follow the same formatting rules as the created property".',
  },
  ({ input }, out) => {
    const metadata = metadataOf(input);
    if ('reason' in metadata) return metadata.reason;
    for (const name of ['created', 'updated', 'nextUpdate']) {
      if (!(name in metadata.map)) continue;
      const value = metadata.map[name];
      const at = metadataPointer(name);
      if (typeof value !== 'string') out.fail(at, `${name} is ${typeName(value)}, not a datetime string`);
      else if (!DID_DATETIME.test(value)) out.fail(at, `${name} ${show(value)} is not of the form YYYY-MM-DDTHH:MM:SSZ`);
      else if (!isRealDatetime(value)) out.fail(at, `${name} ${show(value)} is not a real date and time`);
      else out.pass(at);
    }
    return 'the metadata has no created, updated or nextUpdate';
  },
);

const metadataDeactivated = documentCheck(
  {
    id: 'did-core.metadata.deactivated',
    section: `${TR}#did-document-metadata`,
    level: 'MUST',
    statement:
      'If a DID has been deactivated, DID document metadata MUST include this property with the boolean value true. ' +
      'If a DID has not been deactivated, this property is OPTIONAL, but if included, MUST have the boolean value false.',
    source: 'quoted',
    note: 'Whether the DID is deactivated is not visible in a document, so the check holds the value to a boolean.',
  },
  ({ input }, out) => {
    const metadata = metadataOf(input);
    if ('reason' in metadata) return metadata.reason;
    if (!('deactivated' in metadata.map)) return NO_METADATA_PROPERTY('deactivated');
    const value = metadata.map.deactivated;
    if (typeof value === 'boolean') out.pass(metadataPointer('deactivated'));
    else out.fail(metadataPointer('deactivated'), `deactivated is ${show(value)} (${typeName(value)}), not a boolean`);
    return '';
  },
);

const metadataVersionId = documentCheck(
  {
    id: 'did-core.metadata.version-id',
    section: `${TR}#did-document-metadata`,
    level: 'MUST',
    statement: 'The value of the property MUST be an ASCII string.',
    source: 'quoted',
    note: 'Said of versionId and of nextVersionId.',
  },
  ({ input }, out) => {
    const metadata = metadataOf(input);
    if ('reason' in metadata) return metadata.reason;
    for (const name of ['versionId', 'nextVersionId']) {
      if (!(name in metadata.map)) continue;
      const value = metadata.map[name];
      const at = metadataPointer(name);
      if (typeof value !== 'string') out.fail(at, `${name} is ${typeName(value)}, not a string`);
      else if (!isAscii(value)) out.fail(at, `${name} ${show(value)} has non-ASCII characters`);
      else out.pass(at);
    }
    return 'the metadata has no versionId or nextVersionId';
  },
);

const equivalentIdSyntax = documentCheck(
  {
    id: 'did-core.metadata.equivalent-id-syntax',
    section: `${TR}#did-document-metadata`,
    level: 'MUST',
    statement:
      'DID document metadata MAY include an equivalentId property. If present, the value MUST be a set where each item ' +
      'is a string that conforms to the rules in Section 3.1 DID Syntax.',
    source: 'quoted',
  },
  ({ input }, out) => {
    const metadata = metadataOf(input);
    if ('reason' in metadata) return metadata.reason;
    if (!('equivalentId' in metadata.map)) return NO_METADATA_PROPERTY('equivalentId');
    const value = metadata.map.equivalentId;
    if (!Array.isArray(value)) {
      out.fail(metadataPointer('equivalentId'), `equivalentId is ${typeName(value)}, not a set (a JSON array)`);
      return '';
    }
    value.forEach((item, i) => {
      if (isDid(item)) out.pass(metadataPointer('equivalentId', i));
      else out.fail(metadataPointer('equivalentId', i), `${show(item)} is not a DID`);
    });
    for (const i of repeatedItems(value)) out.fail(metadataPointer('equivalentId', i), `${show(value[i])} appears twice in a set`);
    if (value.length === 0) out.pass(metadataPointer('equivalentId'), 'an empty set');
    return '';
  },
);

function sameMethodCheck(
  id: string,
  name: 'equivalentId' | 'canonicalId',
  statement: string,
): DocumentCheck {
  return documentCheck(
    {
      id,
      section: `${TR}#did-document-metadata`,
      level: 'MUST',
      statement,
      source: 'quoted',
      note:
        'Machine-testable part: the method name equals that of the document id. Cross-method links (for example a ' +
        'domestic DID and a did:web) belong in alsoKnownAs.',
    },
    ({ did, input }, out) => {
      const metadata = metadataOf(input);
      if ('reason' in metadata) return metadata.reason;
      if (!(name in metadata.map)) return NO_METADATA_PROPERTY(name);
      const value = metadata.map[name];
      const items: Array<{ item: unknown; at: string }> =
        name === 'canonicalId'
          ? [{ item: value, at: metadataPointer(name) }]
          : Array.isArray(value)
            ? value.map((item, i) => ({ item, at: metadataPointer(name, i) }))
            : [];
      for (const { item, at } of items) {
        if (!isDid(item)) continue; // reported by the syntax check
        if (!did) {
          out.skip(at, 'the document id is not a valid DID, so its method is unknown');
          continue;
        }
        const method = parseDid(item).method;
        if (method === did.method) out.pass(at);
        else out.fail(at, `${show(item)} is a did:${method} DID; the document is did:${did.method}`);
      }
      return `${name} holds no DID`;
    },
  );
}

const equivalentIdSameMethod = sameMethodCheck(
  'did-core.metadata.equivalent-id-same-method',
  'equivalentId',
  'Each equivalentId DID value MUST be produced by, and a form of, the same DID method as the id property value.',
);

const canonicalIdSyntax = documentCheck(
  {
    id: 'did-core.metadata.canonical-id-syntax',
    section: `${TR}#did-document-metadata`,
    level: 'MUST',
    statement:
      'DID document metadata MAY include a canonicalId property. If present, the value MUST be a string that conforms ' +
      'to the rules in Section 3.1 DID Syntax.',
    source: 'quoted',
  },
  ({ input }, out) => {
    const metadata = metadataOf(input);
    if ('reason' in metadata) return metadata.reason;
    if (!('canonicalId' in metadata.map)) return NO_METADATA_PROPERTY('canonicalId');
    const value = metadata.map.canonicalId;
    if (isDid(value)) out.pass(metadataPointer('canonicalId'));
    else out.fail(metadataPointer('canonicalId'), `${show(value)} is not a DID`);
    return '';
  },
);

const canonicalIdSameMethod = sameMethodCheck(
  'did-core.metadata.canonical-id-same-method',
  'canonicalId',
  'A canonicalId value MUST be produced by, and a form of, the same DID method as the id property value.',
);

const metadataInDocument = documentCheck(
  {
    id: 'did-core.document.no-metadata-properties',
    section: `${TR}#did-document-metadata`,
    level: 'SHOULD',
    statement:
      'Properties that DID Core defines as DID document metadata (created, updated, deactivated, nextUpdate, ' +
      'versionId, nextVersionId, equivalentId, canonicalId; proof in DID Resolution) SHOULD be expressed in ' +
      'didDocumentMetadata, not as properties of the DID document.',
    source: 'derived',
    note:
      'DID Core §7.1.3 defines these names as properties of DID document metadata ("DID document metadata SHOULD ' +
      'include a created property to indicate the timestamp of the Create operation"), and §7.1 says ' +
      'didDocumentMetadata "contains metadata about the DID document contained in the didDocument property". No MUST ' +
      'forbids a document property of the same name, but there it is an unregistered extension that consumers do not ' +
      'read as metadata, and a stale created/updated is published as if it described the subject; hence SHOULD.',
  },
  ({ root }, out) => {
    if (!root) return NOT_A_MAP;
    const found = METADATA_PROPERTY_NAMES.filter((name) => name in root);
    for (const name of found) {
      out.fail(pointer(name), `"${name}" is DID document metadata; move it to didDocumentMetadata`);
    }
    if (found.length === 0) out.pass('');
    return '';
  },
);

/**
 * The DID Core 1.0 document checks, in catalogue order.
 * @see https://www.w3.org/TR/did-core/
 */
export const DID_CORE_DOCUMENT_CHECKS: readonly Check<'document'>[] = [
  rootMap,
  jsonTypes,
  idSyntax,
  controllerSyntax,
  alsoKnownAs,
  vmSetOfMaps,
  vmRequired,
  vmIdDidUrl,
  vmTypeString,
  vmControllerDid,
  vmSingleMaterial,
  vmJwkMap,
  vmJwkNoPrivate,
  vmMultibase,
  vmIdUnique,
  relationshipSet,
  referenceDidUrl,
  referenceResolves,
  serviceSetOfMaps,
  serviceRequired,
  serviceIdUri,
  serviceIdUnique,
  serviceType,
  serviceEndpointShape,
  serviceEndpointUri,
  serviceEndpointNormalized,
  contextPresent,
  contextValue,
  metadataStructure,
  metadataDatetime,
  metadataDeactivated,
  metadataVersionId,
  equivalentIdSyntax,
  equivalentIdSameMethod,
  canonicalIdSyntax,
  canonicalIdSameMethod,
  metadataInDocument,
];

/** Options of `checkDocument`. */
export interface CheckDocumentOptions {
  /** The representation the document is in (selects the JSON-LD checks). */
  representation: DocumentMediaType;
  /** The DID document metadata, when there is one; metadata checks are `n/a` without it. */
  metadata?: unknown;
}

/**
 * Runs every DID Core document check on one document and returns one result per check, in catalogue order.
 *
 * @example
 * const results = checkDocument(translation.didDocument, {
 *   representation: 'application/did+ld+json',
 *   metadata: translation.didDocumentMetadata,
 * });
 * expect(mustFailures(results)).toEqual([]);
 * @see https://www.w3.org/TR/did-core/#conformance
 */
export function checkDocument(document: unknown, options: CheckDocumentOptions): CheckResult[] {
  if (!options || typeof options.representation !== 'string') {
    throw new TypeError('checkDocument: "options.representation" is required (a DID document media type)');
  }
  const input: DocumentUnderTest = { document, representation: options.representation };
  if (options.metadata !== undefined) input.metadata = options.metadata;
  return DID_CORE_DOCUMENT_CHECKS.map((check) => {
    const outcomes = applyCheck(check, input);
    return {
      check: check.id,
      level: check.level,
      section: check.section,
      statement: check.statement,
      status: aggregateStatus(outcomes),
      outcomes,
    };
  });
}
