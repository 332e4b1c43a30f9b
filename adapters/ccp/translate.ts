/**
 * did:ccp documents (Baidu, domestic-methods.md §7) into W3C DID Core and back.
 *
 * Two native shapes exist:
 *
 * - the **resolved document** the Baidu resolver returns in `content.didDocument`: `@context`
 *   (`https://w3id.org/did/v1`), `id`, `version` (a number), `created`, `updated` (ISO with milliseconds),
 *   `publicKey[] {id: "<did>#key-N", type: "Secp256k1", publicKeyHex: "04…"}`, `authentication`, `recovery`,
 *   `service`, `proof`;
 * - the **Base DID Document** the identifier is hashed from (did.baidu.com/did-spec/): no `id`, keys `#keys-1`
 *   (primary) and `#keys-2` (recovery), and references `#key-1` / `#key-2` that miss them, an inconsistency of the
 *   specification itself. Its `#keys-2` value has 32 bytes, which no secp256k1 point has.
 *
 * The profile below tells the shared engine (`shared/translate.ts`) what is particular to did:ccp:
 *
 * - `recovery` (the recovery key references) has no DID Core counterpart: preserved;
 * - `version` becomes `versionId`; `created`/`updated` become metadata; `proof` goes to metadata unverified (its
 *   signing input is not published);
 * - references `#key-N` ↔ `#keys-N` are repaired when only the swap makes them resolve;
 * - a Base DID Document gets the DID derived from it (see {@link deriveBaseDocumentDid}; the hash input is
 *   unconfirmed, §7/§15);
 * - Baidu's DID solution issues credentials with its DIDs (did.baidu.com/did-spec/ lists VIP, privilege and asset
 *   certifications), so `assertionMethod` lists the authentication keys.
 *
 * @see ./shared/translate.ts for the rules and their ids
 */
import { getHashes, hash } from 'node:crypto';
import type { DocumentRenderer, Translation } from '../../src/adapter.js';
import { base58Bitcoin } from '../../src/keys/codecs.js';
import { deriveCcpIdentifier } from '../../src/keys/derive.js';
import type { DIDDocument, DIDDocumentMetadata, JsonObject } from '../../src/spec.js';
import { CCP_DID_PATTERN } from './identifier.js';
import { envelopeMember, isJsonObject } from './shared/json.js';
import { renderLegacyDocument, type LegacyRenderOptions, type LegacyRendering } from './shared/render.js';
import { translateLegacyDocument, type LegacyProfile, type LegacyTranslateOptions, type LegacyTranslation } from './shared/translate.js';

/** The shape name of did:ccp documents (renderer `shape`, `shape` of preserved data). */
export const CCP_SHAPE = 'ccp';

/** The `@context` Baidu's resolver writes (a pre-DID-Core draft context). */
export const CCP_NATIVE_CONTEXT = 'https://w3id.org/did/v1';

/**
 * The DID of a Base DID Document as didbridge derives it: base58btc(RIPEMD-160(SHA-256(compact JSON text of the
 * document, members in the order given))). Baidu does not publish which bytes it hashes and no Base Document/DID
 * pair is public (§7, §15), so this is self-consistent only (the sandbox creates DIDs the same way).
 * @param text `JSON.stringify(baseDocument)`, when the caller has it already (the translation writes the same text
 *   into the preserved data)
 */
export function deriveBaseDocumentDid(baseDocument: JsonObject, text: string = JSON.stringify(baseDocument)): string {
  // This runs on every translation of a Base DID Document: OpenSSL's SHA-256 and RIPEMD-160 (node:crypto's one-shot
  // hash) cost a fraction of the portable implementations deriveCcpIdentifier uses, and give the same bytes. Builds
  // whose OpenSSL lacks RIPEMD-160 take the portable path. Digests come out as 'binary' (latin1) text, one character
  // per byte, and are turned back into bytes: node:crypto's Buffer output costs more than that (Node 20), and latin1
  // converts both ways faster than hex (2.0 against 2.6 µs for both digests).
  if (!NODE_RIPEMD160) return deriveCcpIdentifier({ baseDocument: text }).did;
  const sha256 = Buffer.from(hash('sha256', text, 'binary'), 'latin1');
  return `did:ccp:${base58Bitcoin.encode(Buffer.from(hash('ripemd160', sha256, 'binary'), 'latin1'))}`;
}

/** Whether node:crypto offers RIPEMD-160 (OpenSSL 3 has it in the default provider since 3.0.7). */
const NODE_RIPEMD160 = getHashes().includes('ripemd160');

/** What did:ccp does differently from the other legacy documents (see the module comment). */
export const CCP_PROFILE: LegacyProfile = Object.freeze<LegacyProfile>({
  method: 'ccp',
  shape: CCP_SHAPE,
  keyMembers: ['publicKey'],
  metadataMembers: { created: 'created', updated: 'updated', version: 'versionId' },
  nativeOnlyMembers: {
    recovery:
      'recovery lists the keys that may replace the primary key (did.baidu.com/did-spec/: "#keys-2 为备私钥对应的公钥"); DID Core has no recovery relationship',
  },
  repairKeyReferences: true,
  dropPlaceholderServices: false,
  assertionMethodReason:
    'Baidu\'s DID solution issues credentials to and with its DIDs (did.baidu.com/did-spec/: VIP, privilege and asset certifications)',
  proofReason: 'the proof signs the document with the DID\'s key over bytes Baidu does not publish',
  deriveMissingId: (native: JsonObject, nativeText: string) => ({
    did: deriveBaseDocumentDid(native, nativeText),
    reason:
      'a Base DID Document has no id: its DID is base58btc(RIPEMD-160(SHA-256(document))) (did.baidu.com/did-spec/); the ' +
      'hashed bytes are not published, so didbridge hashes the compact JSON text (self-consistent, unconfirmed: domestic-methods.md §7, §15)',
  }),
  renderKeysInto: 'publicKey',
  renderTypeNames: { secp256k1: 'Secp256k1', X25519: 'X25519KeyAgreementKey2020' },
  renderMetadata: { created: 'created', updated: 'updated', versionId: 'version', versionIdAsNumber: true },
  renderOrder: ['@context', 'id', 'version', 'created', 'updated', 'publicKey', 'authentication', 'recovery', 'service', 'proof'],
});

/**
 * Finds the native document in what a caller hands over: the document itself, the resolve envelope
 * `{code, message, requestID, content: {didDocument}}`, or `{didDocument}`. Returns undefined when there is none.
 */
export function unwrapCcpDocument(input: unknown): JsonObject | undefined {
  if (!isJsonObject(input)) return undefined;
  const content = envelopeMember(input, 'content');
  if (isJsonObject(content) && isJsonObject(envelopeMember(content, 'didDocument'))) return envelopeMember(content, 'didDocument') as JsonObject;
  const wrapped = envelopeMember(input, 'didDocument');
  if (isJsonObject(wrapped)) return wrapped;
  return input;
}

/**
 * Whether `input` is a did:ccp document (or its resolve envelope): its `id` is a did:ccp DID, or it is a Base DID
 * Document (no `id`, `publicKey[]` with `publicKeyHex`, and `recovery`).
 */
export function recogniseCcpDocument(input: unknown): boolean {
  const doc = unwrapCcpDocument(input);
  if (!doc) return false;
  if (typeof doc.id === 'string') return CCP_DID_PATTERN.test(doc.id.trim());
  return (
    doc.id === undefined &&
    Array.isArray(doc.publicKey) &&
    doc.publicKey.length > 0 &&
    doc.publicKey.every((k) => isJsonObject(k) && typeof k.publicKeyHex === 'string') &&
    doc.recovery !== undefined
  );
}

/**
 * Translates a did:ccp document (or its resolve envelope) into DID Core.
 * @throws InvalidDidDocumentError when there is no document object or its id is not a DID (or not `expectedDid`)
 */
export function translateCcpDocument(input: unknown, options: LegacyTranslateOptions = {}): LegacyTranslation {
  const native = unwrapCcpDocument(input);
  if (!native) throw new TypeError('"input" must be a did:ccp document or resolve envelope (a JSON object)');
  return translateLegacyDocument(native, CCP_PROFILE, options);
}

/**
 * Renders a W3C document as a did:ccp document; with the `didbridgePreserved` metadata of a translation it restores
 * the original (see `shared/render.ts`).
 */
export function renderCcpDocument(document: DIDDocument, metadata?: DIDDocumentMetadata, options?: LegacyRenderOptions): LegacyRendering {
  return renderLegacyDocument(document, metadata, CCP_PROFILE, options);
}

/** The did:ccp document renderer (`didbridge translate --to ccp`). */
export const ccpRenderer: DocumentRenderer = {
  shape: CCP_SHAPE,
  render: (document, metadata) => renderCcpDocument(document, metadata),
};

/** `translate` as the MethodAdapter contract has it. */
export function translateCcp(input: unknown): Translation {
  const { didDocument, didDocumentMetadata, changes, preserved } = translateCcpDocument(input);
  return { didDocument, didDocumentMetadata, changes, preserved };
}
