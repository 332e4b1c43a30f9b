/**
 * Decides a public key's type from its bytes, and reports whether the declared verification-method type agrees.
 *
 * Declared types cannot be trusted in domestic documents: WeIdentity v3 labels secp256k1 keys
 * `Ed25519VerificationKey2020` (domestic-methods.md §3.4), and the unregistered names vary in spelling. The bytes
 * settle it in almost every case:
 *
 * - an uncompressed point (`04‖X‖Y`, or WeIdentity's bare 64-byte `X‖Y`) lies on at most one of secp256k1, SM2
 *   and P-256 (being on two curves at once is a ~2⁻²⁵⁶ coincidence), so it identifies its curve;
 * - a compressed point (`02|03‖X`) names only x, and about half of all x values have a point on each curve, so the
 *   bytes alone usually leave two or three candidates; then the context decides (a deployment's crypto mode, a
 *   WeIdentity pseudo-multibase header, a BIF tag, a JWK `crv`), then the declared type, and otherwise inference
 *   fails rather than guess;
 * - 32 bytes are Ed25519 or X25519 (every 32-byte string is an X25519 key; only the context tells), Ed25519 by
 *   default because no domestic method uses X25519 for verification.
 *
 * @see https://www.w3.org/TR/did-core/#verification-material
 * @see ./aliases.ts for the declared-name table
 */
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';
import { lookupVerificationMethodType, type VerificationMethodTypeAlias } from './aliases.js';
import { concatBytes } from './codecs.js';
import { EC_FIELD_BYTES, compressPoint, curvePoint, isOnCurve, type EcKeyType } from './curves.js';
import { isEd25519Point, jacobiSymbol, type KeyType, type PublicKey } from './multikey.js';

/** The curves a 33/65-byte SEC1 point is tested against, in report order. */
const CURVES_256: readonly EcKeyType[] = ['secp256k1', 'SM2', 'P-256'];

/** Every key type, for validating hints. */
const KEY_TYPES: readonly KeyType[] = ['Ed25519', 'X25519', 'secp256k1', 'P-256', 'P-384', 'SM2'];

/** How the input bytes were laid out. */
export type KeyByteForm = 'raw32' | 'sec1-compressed' | 'sec1-uncompressed' | 'xy';

/** Options of `inferKeyType`. */
export interface InferKeyTypeOptions {
  /**
   * The key bytes as found: 32 raw bytes (Ed25519/X25519), a SEC1 point (compressed or uncompressed), or the bare
   * 64-byte `X‖Y` WeIdentity and did:tdid use. Decode text encodings first (see `./codecs.ts`).
   */
  publicKey: Uint8Array;
  /** The verification method's `type`, exactly as declared. */
  declaredType?: string;
  /** The DID method (without `did:`) the document came from; selects method-scoped alias entries. */
  method?: string;
  /**
   * The key type the context establishes independently of the declared name: the deployment's crypto mode
   * (WeIdentity `crypto.type`), a pseudo-multibase header, a BIF key-type tag, a JWK `crv`. Preferred over the
   * declared type when the bytes fit several curves; ignored (and reported) when the bytes contradict it.
   */
  contextKeyType?: KeyType;
  /** DidBridgeError code for keys that fit no type or stay ambiguous (default INVALID_DID_DOCUMENT). */
  errorCode?: ErrorName;
}

/** What `inferKeyType` decided. */
export interface KeyTypeInference {
  /** The key type. */
  type: KeyType;
  /** The declared `type`, as given. */
  declaredType: string | undefined;
  /** The key type the declared name claims (`RSA` for RSA names), undefined for neutral or unknown names. */
  declaredKeyType: KeyType | 'RSA' | undefined;
  /** The declared name claims a different key type than the bytes have. */
  mismatch: boolean;
  /** One sentence on how the type was decided, for change records and CLI output. */
  reason: string;
  /** What decided among the candidates. */
  decidedBy: 'bytes' | 'context' | 'declaredType' | 'default';
  /** Every key type the bytes are valid for. */
  candidates: KeyType[];
  /** How the bytes were laid out. */
  form: KeyByteForm;
  /** The key in the shared shape (EC points compressed), ready for `encodeMultikey` / `publicKeyToJwk`. */
  publicKey: PublicKey;
  /** The alias-table entry of the declared name, when there is one. */
  alias: VerificationMethodTypeAlias | undefined;
}

function hexByte(n: number | undefined): string {
  return `0x${(n ?? 0).toString(16).padStart(2, '0')}`;
}

/**
 * Infers the key type from the key bytes, using the context and the declared type only to choose among curves the
 * bytes fit equally well.
 *
 * @throws DidBridgeError(`errorCode`) when the bytes are no valid key of any supported type, or fit several curves
 *   and neither the context nor the declared type picks one of them; TypeError for misuse
 * @example
 * // WeIdentity v3: a secp256k1 key declared as Ed25519VerificationKey2020
 * inferKeyType({ publicKey: xy64, declaredType: 'Ed25519VerificationKey2020', method: 'weid' })
 * // → { type: 'secp256k1', declaredKeyType: 'Ed25519', mismatch: true, decidedBy: 'bytes', … }
 */
export function inferKeyType(options: InferKeyTypeOptions): KeyTypeInference {
  const decided = tryInferKeyType(options);
  if ('problem' in decided) throw new DidBridgeError(decided.code, decided.problem);
  return decided;
}

/** Why {@link tryInferKeyType} decided no type: the message `inferKeyType` throws, and its error code. */
export interface KeyTypeProblem {
  code: ErrorName;
  problem: string;
}

/**
 * {@link inferKeyType} with bytes that fit no type (or stay ambiguous) reported as data (`{ code, problem }`, what
 * `inferKeyType` would throw) rather than thrown: for callers that expect such keys, e.g. a translation that keeps a
 * broken key out of the W3C document and says why, where building and catching errors cost more than the rest.
 * @throws TypeError for misuse; DidBridgeError for the rare point whose compression fails
 */
export function tryInferKeyType(options: InferKeyTypeOptions): KeyTypeInference | KeyTypeProblem {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { publicKey, declaredType, method, contextKeyType } = options;
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('"publicKey" must be a Uint8Array');
  if (declaredType !== undefined && typeof declaredType !== 'string') throw new TypeError('"declaredType" must be a string');
  if (contextKeyType !== undefined && !KEY_TYPES.includes(contextKeyType)) {
    throw new TypeError(`"contextKeyType" must be one of ${KEY_TYPES.join(', ')}, got ${JSON.stringify(contextKeyType)}`);
  }
  const code = options.errorCode ?? 'INVALID_DID_DOCUMENT';

  const alias = declaredType === undefined ? undefined : lookupVerificationMethodType({ name: declaredType, method });
  // What the name says, even where the table knows it lies (that is exactly the mismatch to report).
  const declaredKeyType = alias?.claims;
  // What the name may be trusted for when choosing among candidates.
  const trustedDeclared = alias?.keyType;

  if (publicKey.length === 32) {
    const claimed = contextKeyType ?? trustedDeclared;
    if (claimed !== undefined && claimed !== 'Ed25519' && claimed !== 'X25519') {
      // 32 bytes under an EC name is an x-only key or a private key, not something to re-read as Ed25519. (Decided
      // before classifying: every 32-byte string is at least an X25519 key, so the classification could not fail
      // first, and the Ed25519 point check it makes is the costliest step.)
      return {
        code,
        problem:
          `the key is said to be ${claimed} but has 32 bytes; a ${claimed} public key is a SEC1 point ` +
          '(33 bytes compressed, 65 uncompressed) or a bare 64-byte X‖Y',
      };
    }
  }

  const { form, candidates, sec1 } = classify(publicKey);
  if (candidates.length === 0) {
    return { code, problem: describeNoFit(publicKey, form) };
  }

  if (form === 'raw32') {
    const claimed = contextKeyType ?? trustedDeclared;
    if (claimed === 'Ed25519' && !candidates.includes('Ed25519')) {
      // Reading it as X25519 would turn a corrupt Ed25519 key into a "mismatch" instead of reporting it.
      return { code, problem: 'the 32-byte key is said to be Ed25519 but is not a valid Ed25519 point (RFC 8032 §5.1.3)' };
    }
  }

  let type: KeyType;
  let decidedBy: KeyTypeInference['decidedBy'];
  const notes: string[] = [];
  if (candidates.length === 1) {
    type = candidates[0]!;
    decidedBy = 'bytes';
  } else if (contextKeyType !== undefined && candidates.includes(contextKeyType)) {
    type = contextKeyType;
    decidedBy = 'context';
  } else if (trustedDeclared !== undefined && candidates.includes(trustedDeclared)) {
    type = trustedDeclared;
    decidedBy = 'declaredType';
  } else if (form === 'raw32') {
    type = 'Ed25519';
    decidedBy = 'default';
  } else {
    return {
      code,
      problem:
        `the ${publicKey.length}-byte key is a valid point on ${candidates.join(', ')}; a compressed point does not ` +
        'identify its curve, and neither the context nor the declared type' +
        (declaredType === undefined ? '' : ` (${JSON.stringify(declaredType)})`) +
        ' selects one of them',
    };
  }
  if (contextKeyType !== undefined && contextKeyType !== type) {
    notes.push(`the context says ${contextKeyType}, which the bytes rule out`);
  }

  const mismatch = declaredKeyType !== undefined && declaredKeyType !== type;
  const reason = [
    describeDecision(publicKey, form, candidates, type, decidedBy, declaredType),
    declaredType === undefined
      ? undefined
      : alias === undefined
        ? `declared type ${JSON.stringify(declaredType)} is not in the alias table, so it was not used`
        : mismatch
          ? `declared type ${JSON.stringify(declaredType)} claims ${declaredKeyType}` +
            (alias.method !== undefined ? ` (a known mislabel in did:${alias.method})` : '')
          : declaredKeyType === undefined
            ? `declared type ${JSON.stringify(declaredType)} is key-type neutral`
            : `declared type ${JSON.stringify(declaredType)} agrees`,
    ...notes,
  ]
    .filter((s): s is string => s !== undefined)
    .join('; ');

  const bytes = type === 'Ed25519' || type === 'X25519' ? publicKey : compressValidPoint(type as EcKeyType, sec1!, code);
  return {
    type,
    declaredType,
    declaredKeyType,
    mismatch,
    reason,
    decidedBy,
    candidates,
    form,
    publicKey: { type, bytes },
    alias,
  };
}

/** What `classify` found: the layout, the key types the bytes are valid for, and the SEC1 form of EC points. */
interface Classification {
  form: KeyByteForm;
  candidates: KeyType[];
  sec1?: Uint8Array;
}

/**
 * Bounded memo of classifications by key bytes. Deciding a key type means testing the bytes on every curve they could
 * belong to, which costs tens of microseconds per curve, while the same keys come back again and again (a DID
 * translated on every resolution, a document's key listed under several members). Classification is a pure function
 * of the bytes, so a hit returns exactly what testing again would. `maxEntries: 0` turns it off.
 */
export const keyTypeMemo = {
  /** Most classifications kept (least recently stored dropped first). Default 1024 (~200 KiB at most). */
  maxEntries: 1024,
  /** How many classifications are kept now. */
  get size(): number {
    return classifications.size;
  },
  /** Forgets every classification, and everything the other key memos ({@link KeyMemo}) hold. */
  clear(): void {
    classifications.clear();
    for (const memo of keyMemos) memo.clear();
  },
};
const classifications = new Map<string, Classification>();

/** Freezes a value's plain objects and arrays, all the way down (byte arrays cannot be frozen and are left as they are). */
function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) freezeDeep(member);
  return value;
}

/** Every {@link KeyMemo}, so that `keyTypeMemo.clear()` clears them all. */
const keyMemos: Array<KeyMemo<unknown>> = [];

/**
 * A bounded memo of per-key work keyed by the key's encoded text (with whatever else the work depends on, e.g. the
 * declared type), for the adapters' key readers: decoding a domestic key encoding, deciding its type and re-encoding
 * it as a Multikey costs tens to hundreds of microseconds, and the same keys come back on every translation of a
 * DID. Only successful results are stored (and results reported as data), frozen: callers share them, and copy
 * whatever goes into a document. Its size limit is `keyTypeMemo.maxEntries` (oldest stored dropped first), so
 * `keyTypeMemo.maxEntries = 0` turns every key memo off at once (`bench/translate.ts --key-memo 0`).
 */
export class KeyMemo<V> {
  /**
   * Key text → the values stored for it, each with the context it was computed in. Looked up by the key's text itself
   * (whose hash a string computes once) and then by comparing a few short context strings, rather than by a text made
   * for the lookup, which would be built and hashed in full on every call. A key text is nearly always read in one
   * context, so the list is short.
   */
  private readonly entries = new Map<string, Array<KeyMemoSlot<V>>>();
  private count = 0;

  /** @param maxKeyLength longest key text stored (longer keys are computed every time, so a memo stays small) */
  constructor(readonly maxKeyLength = 2048) {
    keyMemos.push(this as KeyMemo<unknown>);
  }

  /**
   * The value stored for a key's text in a context (everything else the work depends on: member name, declared type,
   * method, ...; up to three parts, compared exactly), or undefined (always undefined while the memo is off).
   */
  get(text: string, context: string, context2 = '', context3 = ''): V | undefined {
    if (keyTypeMemo.maxEntries <= 0) return undefined;
    const slots = this.entries.get(text);
    if (slots === undefined) return undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.context === context && slot.context2 === context2 && slot.context3 === context3) return slot.value;
    }
    return undefined;
  }

  /** Stores a value (nothing while the memo is off, or for texts longer than `maxKeyLength`); context as {@link get}. */
  set(text: string, context: string, value: V, context2 = '', context3 = ''): void {
    const max = keyTypeMemo.maxEntries;
    if (max <= 0 || text.length > this.maxKeyLength) return;
    // Oldest key text first out, with every context stored for it.
    while (this.count >= max) {
      const [oldest, slots] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.count -= slots.length;
    }
    let slots = this.entries.get(text);
    if (slots === undefined) {
      slots = [];
      this.entries.set(text, slots);
    }
    // Every caller shares a stored value: frozen, so that no caller can change what the next one gets.
    const frozen = freezeDeep(value);
    for (const slot of slots) {
      if (slot.context === context && slot.context2 === context2 && slot.context3 === context3) {
        slot.value = frozen;
        return;
      }
    }
    slots.push({ context, context2, context3, value: frozen });
    this.count++;
  }

  /** How many values are stored. */
  get size(): number {
    return this.count;
  }

  clear(): void {
    this.entries.clear();
    this.count = 0;
  }
}

/** One value of a {@link KeyMemo} with the context it was computed in. */
interface KeyMemoSlot<V> {
  readonly context: string;
  readonly context2: string;
  readonly context3: string;
  value: V;
}

function classify(bytes: Uint8Array): Classification {
  if (keyTypeMemo.maxEntries <= 0) return classifyBytes(bytes);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  let found = classifications.get(key);
  if (found === undefined) {
    found = classifyBytes(bytes);
    if (found.sec1 === bytes) found.sec1 = bytes.slice(); // keep no reference to the caller's bytes
    while (classifications.size >= keyTypeMemo.maxEntries) classifications.delete(classifications.keys().next().value!);
    classifications.set(key, found);
  }
  // Callers get their own candidate list; the stored one stays as computed.
  return { form: found.form, candidates: [...found.candidates], ...(found.sec1 ? { sec1: found.sec1 } : {}) };
}

function classifyBytes(bytes: Uint8Array): Classification {
  const prefix = bytes[0];
  if (bytes.length === 32) {
    // Every 32-byte string is an X25519 key; only some are Ed25519 points.
    return { form: 'raw32', candidates: isEd25519Point(bytes) ? ['Ed25519', 'X25519'] : ['X25519'] };
  }
  if (bytes.length === 64) {
    const sec1 = concatBytes(Uint8Array.of(0x04), bytes);
    return { form: 'xy', candidates: CURVES_256.filter((t) => onCurve(t, sec1)), sec1 };
  }
  if (bytes.length === 96) {
    const sec1 = concatBytes(Uint8Array.of(0x04), bytes);
    return { form: 'xy', candidates: onCurve('P-384', sec1) ? ['P-384'] : [], sec1 };
  }
  const compressed = prefix === 0x02 || prefix === 0x03;
  const form: KeyByteForm = compressed ? 'sec1-compressed' : 'sec1-uncompressed';
  if ((bytes.length === 33 && compressed) || (bytes.length === 65 && prefix === 0x04)) {
    return { form, candidates: CURVES_256.filter((t) => onCurve(t, bytes)), sec1: bytes };
  }
  if ((bytes.length === EC_FIELD_BYTES['P-384'] + 1 && compressed) || (bytes.length === 97 && prefix === 0x04)) {
    return { form, candidates: onCurve('P-384', bytes) ? ['P-384'] : [], sec1: bytes };
  }
  return { form, candidates: [] };
}

/** y² = x³ + ax + b over F_p, and the field size in bytes, of a short-Weierstrass curve. */
interface CurveEquation {
  p: bigint;
  a: bigint;
  b: bigint;
  size: number;
}

const equations = new Map<EcKeyType, CurveEquation>();

function equationOf(type: EcKeyType): CurveEquation {
  let eq = equations.get(type);
  if (!eq) {
    const { p, a, b } = curvePoint(type).CURVE();
    eq = { p, a, b, size: EC_FIELD_BYTES[type] };
    equations.set(type, eq);
  }
  return eq;
}

function toBigInt(bytes: Uint8Array, start: number, end: number): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex')}`);
}

/**
 * The SEC1 validity of a point, decided without @noble/curves' point decoding where that is cheaper and gives the
 * same answer: an uncompressed point by the curve equation, a compressed one by whether x³ + ax + b is a square
 * (a Jacobi symbol instead of the square root `fromBytes` computes). `undecided` for the cases left to @noble/curves:
 * a compressed x whose y is 0 (then the re-encoded prefix can differ from the input's).
 */
function quickPointCheck(type: EcKeyType, bytes: Uint8Array): 'valid' | 'invalid' | 'undecided' {
  const { p, a, b, size } = equationOf(type);
  const prefix = bytes[0];
  if (bytes.length === size + 1 && (prefix === 0x02 || prefix === 0x03)) {
    const x = toBigInt(bytes, 1, size + 1);
    if (x >= p) return 'invalid';
    const y2 = (((x * x) % p) * x + a * x + b) % p;
    if (y2 === 0n) return 'undecided';
    return jacobiSymbol(y2, p) === 1 ? 'valid' : 'invalid';
  }
  if (bytes.length === 2 * size + 1 && prefix === 0x04) {
    const x = toBigInt(bytes, 1, size + 1);
    const y = toBigInt(bytes, size + 1, 2 * size + 1);
    // (0, 0) would be the point at infinity, which is no public key (and fails the equation, b ≠ 0, anyway).
    if (x >= p || y >= p || (x === 0n && y === 0n)) return 'invalid';
    return (y * y) % p === (((x * x) % p) * x + a * x + b) % p ? 'valid' : 'invalid';
  }
  return 'invalid';
}

/** Whether `bytes` is a valid SEC1 point on `type` (the answer of `isOnCurve`, mostly without decoding the point). */
function onCurve(type: EcKeyType, bytes: Uint8Array): boolean {
  const quick = quickPointCheck(type, bytes);
  return quick === 'undecided' ? isOnCurve(type, bytes) : quick === 'valid';
}

/**
 * The compressed form of a point `classify` found valid on `type` (so not checked again): the input itself when it
 * is compressed, else `02|03 ‖ x` by the parity of y. A compressed x whose y is 0 goes through `compressPoint`, which
 * writes the prefix @noble/curves writes for it.
 */
function compressValidPoint(type: EcKeyType, sec1: Uint8Array, code: ErrorName): Uint8Array {
  const { p, a, b, size } = equationOf(type);
  if (sec1.length === size + 1) {
    const x = toBigInt(sec1, 1, size + 1);
    return (((x * x) % p) * x + a * x + b) % p === 0n ? compressPoint(type, sec1, code) : sec1.slice();
  }
  const out = new Uint8Array(size + 1);
  out[0] = (sec1[2 * size]! & 1) === 1 ? 0x03 : 0x02;
  out.set(sec1.subarray(1, size + 1), 1);
  return out;
}

function describeNoFit(bytes: Uint8Array, form: KeyByteForm): string {
  if (form === 'raw32') return 'the 32-byte key is not valid for any supported key type';
  const known = [32, 33, 49, 64, 65, 96, 97];
  if (!known.includes(bytes.length)) {
    return `a public key is 32 bytes (Ed25519/X25519), a SEC1 point (33/65 bytes, 49/97 for P-384) or a bare X‖Y ` +
      `(64/96 bytes); got ${bytes.length} bytes`;
  }
  if (form !== 'xy' && ![0x02, 0x03, 0x04].includes(bytes[0]!)) {
    return `a ${bytes.length}-byte SEC1 point starts with 0x02, 0x03 or 0x04; got ${hexByte(bytes[0])}`;
  }
  return `the ${bytes.length}-byte key is not a point on secp256k1, SM2, P-256 or P-384`;
}

function describeDecision(
  bytes: Uint8Array,
  form: KeyByteForm,
  candidates: KeyType[],
  type: KeyType,
  decidedBy: KeyTypeInference['decidedBy'],
  declaredType: string | undefined,
): string {
  const shape =
    form === 'raw32'
      ? '32-byte raw key'
      : form === 'xy'
        ? `${bytes.length}-byte X‖Y`
        : `${bytes.length}-byte ${form === 'sec1-compressed' ? 'compressed' : 'uncompressed'} SEC1 point`;
  switch (decidedBy) {
    case 'bytes':
      return form === 'raw32'
        ? `the ${shape} is not an Ed25519 point, so it can only be X25519`
        : `the ${shape} is a point on ${type} only`;
    case 'context':
      return `the ${shape} fits ${candidates.join(', ')}; the context selects ${type}`;
    case 'declaredType':
      return `the ${shape} fits ${candidates.join(', ')}; the declared type ${JSON.stringify(declaredType)} selects ${type}`;
    case 'default':
      return `the ${shape} is an Ed25519 point (it would also be a valid X25519 key); Ed25519 by default`;
  }
}
