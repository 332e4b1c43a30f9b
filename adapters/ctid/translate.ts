/**
 * did:ctid documents (Anicert, domestic-methods.md §8) into W3C DID Core and back.
 *
 * The native document (anicert-ctid-did-en.md, "DID Document"): `@context` DID v1, `id`, `versionId` (`"v1"`),
 * `created`, `update` (sic, for `updated`), keys embedded in `authentication[] {id, type: "sm2p256v1",
 * expirationDate, publicKeyHex: "04…"}`, a placeholder `service {id: <the DID>, type: "", serviceEndpoint: ""}`, and
 * the operator's `proof {type: "sm2p256v1", created, creator: "did:ctid:anicert", signatureValue: <DER hex>}`. A
 * deleted (revoked) DID carries `"revoked": "<datetime>"` (§Delete).
 *
 * The profile below tells the shared engine (`../ccp/shared/translate.ts`) what is particular to did:ctid:
 *
 * - the keys embedded in `authentication` are lifted to `verificationMethod` as SM2 `Multikey`s (`sm2-pub` 0x1206,
 *   compressed point; the key type comes from the bytes, which lie on the SM2 curve only), referenced from
 *   `authentication` and from `assertionMethod`, because CTID keys sign the identity credentials issued on the
 *   CTID chain and verifiers accept those only from `assertionMethod` (DID Core §5.3.2);
 * - `expirationDate`, when set, becomes the verification method's `expires` (Controlled Identifiers 1.0 §2.2); an
 *   empty one (as in every published example) means no expiry and is only preserved;
 * - `versionId` → metadata `versionId`; `created`, `update` → metadata `created`, `updated`;
 * - the operator proof → metadata `proof`, never claimed verified: the signed bytes are not published;
 * - the placeholder service (empty type and endpoint) is left out, preserved;
 * - `revoked` → `deactivated: true`.
 *
 * @see ../ccp/shared/translate.ts for the rules and their ids
 */
import type { DocumentRenderer, Translation } from '../../src/adapter.js';
import { type DIDDocument, type DIDDocumentMetadata, type JsonObject } from '../../src/spec.js';
import { envelopeMember, isJsonObject } from '../ccp/shared/json.js';
import { renderLegacyDocument, type LegacyRenderOptions, type LegacyRendering } from '../ccp/shared/render.js';
import { translateLegacyDocument, type LegacyProfile, type LegacyTranslateOptions, type LegacyTranslation } from '../ccp/shared/translate.js';
import { CTID_DID_PATTERN } from './identifier.js';

/** The shape name of did:ctid documents (renderer `shape`, `shape` of preserved data). */
export const CTID_SHAPE = 'ctid';

/** The key type name did:ctid documents use for SM2 keys (the OpenSSL / BouncyCastle curve name). */
export const CTID_KEY_TYPE = 'sm2p256v1';

/** What did:ctid does differently from the other legacy documents (see the module comment). */
export const CTID_PROFILE: LegacyProfile = Object.freeze<LegacyProfile>({
  method: 'ctid',
  shape: CTID_SHAPE,
  keyMembers: [],
  // `updated` before `update`: a document that has both keeps the correctly spelt one.
  metadataMembers: { created: 'created', updated: 'updated', update: 'updated', versionId: 'versionId' },
  nativeOnlyMembers: {},
  repairKeyReferences: false,
  dropPlaceholderServices: true,
  deactivationMember: 'revoked',
  keyExpiryMember: 'expirationDate',
  assertionMethodReason:
    'CTID keys sign the identity credentials issued on the CTID digital identity chain (anicert-ctid-did-en.md, Abstract: ' +
    '"various identity credentials are generated based on Digital identity identifiers")',
  proofReason:
    'the proof is the operator\'s (creator did:ctid:anicert, which is not itself a resolvable did:ctid), an SM2 signature in DER over bytes Anicert does not publish',
  renderKeysInto: 'authentication',
  renderTypeNames: { SM2: CTID_KEY_TYPE, X25519: 'X25519KeyAgreementKey2020' },
  renderMetadata: { created: 'created', updated: 'update', versionId: 'versionId', versionIdAsNumber: false },
  renderOrder: ['@context', 'id', 'versionId', 'created', 'update', 'authentication', 'service', 'proof', 'revoked'],
});

/**
 * Finds the native document in what a caller hands over: the document itself, the read envelope
 * `{code, msg, txid, blockHeight, doc}`, or a create/update request `{did, operate, doc}`.
 */
export function unwrapCtidDocument(input: unknown): JsonObject | undefined {
  if (!isJsonObject(input)) return undefined;
  const doc = envelopeMember(input, 'doc');
  if (isJsonObject(doc)) return doc;
  return input;
}

/**
 * Whether `input` is a did:ctid document (or its envelope): its `id` is a did:ctid DID, or its `authentication`
 * embeds `sm2p256v1` keys.
 */
export function recogniseCtidDocument(input: unknown): boolean {
  const doc = unwrapCtidDocument(input);
  if (!doc) return false;
  if (typeof doc.id === 'string' && CTID_DID_PATTERN.test(doc.id.trim())) return true;
  return Array.isArray(doc.authentication) && doc.authentication.some((k) => isJsonObject(k) && k.type === CTID_KEY_TYPE);
}

/**
 * Translates a did:ctid document (or its envelope) into DID Core.
 * @throws InvalidDidDocumentError when its id is not a DID (or not `options.expectedDid`)
 */
export function translateCtidDocument(input: unknown, options: LegacyTranslateOptions = {}): LegacyTranslation {
  const native = unwrapCtidDocument(input);
  if (!native) throw new TypeError('"input" must be a did:ctid document or read envelope (a JSON object)');
  return translateLegacyDocument(native, CTID_PROFILE, options);
}

/**
 * Renders a W3C document as a did:ctid document (keys embedded in `authentication`); with the
 * `didbridgePreserved` metadata of a translation it restores the original.
 */
export function renderCtidDocument(document: DIDDocument, metadata?: DIDDocumentMetadata, options?: LegacyRenderOptions): LegacyRendering {
  return renderLegacyDocument(document, metadata, CTID_PROFILE, options);
}

/** The did:ctid document renderer (`didbridge translate --to ctid`). */
export const ctidRenderer: DocumentRenderer = {
  shape: CTID_SHAPE,
  render: (document, metadata) => renderCtidDocument(document, metadata),
};

/** `translate` as the MethodAdapter contract has it. */
export function translateCtid(input: unknown): Translation {
  const { didDocument, didDocumentMetadata, changes, preserved } = translateCtidDocument(input);
  return { didDocument, didDocumentMetadata, changes, preserved };
}
