/**
 * Sandbox emulator of the did:cndid upstreams: the TChain resolution service and the did:cndid Universal Resolver
 * driver, which both answer `{status, message, data}` (domestic-methods.md §5;
 * `teleinfo-bif/uni-resolver-driver-did-cndid@8d7770a:document/cn_did.go`).
 *
 * | request | answer |
 * |---|---|
 * | `GET /1.0/identifiers/{did}` (driver) | 200 `{"status":200,"message":"Success","data":<document>}` with the document as the driver serialises it (see below); 451 `{"status":451,"message":"Invalid DID Address"}`; 404 `{"status":404,"message":"Failed to resolve DID, not exist"}` |
 * | `GET /resolve?id={did}` (resolution service) | 200 `{"status":200,"message":"Success","data":<stored document>}`; 404 `{"status":404,"message":"not exist"}`; 451 for an invalid id |
 *
 * Facts from the driver's code: the status is repeated in the body; `Content-Type: application/json`; the document
 * is rebuilt as a Go map (`cleanOptionalDIDResolution`), so its members come out sorted, `alsoKnownAs`, `service` and
 * `proof` are left out when empty, `extension.attributes` is `null` when there are none, and sub-resolver fields
 * (`version`, `serverType`, `protocol`, `port`) are kept only on `DIDSubResolver` services. Assumptions (no published
 * source): the resolution service's bodies for 404 and invalid ids, and that a deactivated DID is served emptied as
 * in did:bid.
 *
 * The base58 alphabet is assumed to be BIF's (unconfirmed, see `index.ts`); created DIDs are derived with
 * `src/keys/derive.ts` under that assumption (marked unconfirmed there too).
 *
 * Seeds: `fixtures/cndid/upstream/` (constructed from a published BID document; see SOURCE.md there).
 */
import { jsonReply, type SandboxResponse, type UpstreamEmulator } from '../../src/sandbox/emulator.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { validateBifDid } from '../bid/identifier.js';
import { MemberIndex, isJsonObject } from '../bid/members.js';
import { BIF_EMULATOR_KEY_TYPES, bifLifecycle, seedBif, type BifSeed } from '../bid/sandbox.js';
import { readCode } from '../bid/services.js';

/** The constructed did:cndid documents the emulator starts with (`fixtures/cndid/upstream/`). */
export const CNDID_SEEDS: readonly BifSeed[] = [
  {
    file: 'fixtures/cndid/upstream/01-constructed-driver-response.json',
    path: ['data'],
    source:
      'constructed: caict-4iot-dev/BID-SDK-JAVA@986eafd isValidProof example re-keyed to did:cndid and shaped as ' +
      'teleinfo-bif/uni-resolver-driver-did-cndid@8d7770a document/types.go serialises it (fixtures/cndid/SOURCE.md)',
  },
];

/** Sorts the members of a JSON object, as Go's encoding/json writes a map. */
function goMap(entries: Array<[string, JsonValue | undefined]>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of entries.filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v!;
  return out;
}

const nonEmpty = (v: JsonValue | undefined) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '');

/** The document as the did:cndid driver re-serialises it (`cleanOptionalDIDResolution` and helpers). */
export function cndidDriverView(document: JsonValue): JsonValue {
  if (!isJsonObject(document)) return document;
  const m = new MemberIndex(document);
  const extension = m.value('extension');
  const e = isJsonObject(extension) ? new MemberIndex(extension) : undefined;
  const attributes = e?.value('attributes');
  const cleanedAttributes = Array.isArray(attributes) && attributes.length > 0
    ? attributes.filter(isJsonObject).map((a) => {
        const x = new MemberIndex(a);
        return goMap([
          ['key', x.value('key') ?? ''],
          ['desc', nonEmpty(x.value('desc')) ? x.value('desc') : undefined],
          ['encrypt', readCode(x.value('encrypt')) ? x.value('encrypt') : undefined],
          ['format', nonEmpty(x.value('format')) ? x.value('format') : undefined],
          ['value', nonEmpty(x.value('value')) ? x.value('value') : undefined],
        ]);
      })
    : null;
  const delegateSign = e?.value('delegateSign');
  const service = m.value('service');
  const proof = m.value('proof');
  const proofMembers = isJsonObject(proof) ? new MemberIndex(proof) : undefined;
  return goMap([
    ['context', m.value('context') ?? m.value('@context') ?? null],
    ['version', m.value('version') ?? ''],
    ['id', m.value('id') ?? ''],
    ['publicKey', m.value('publicKey') ?? null],
    ['authentication', m.value('authentication') ?? null],
    [
      'extension',
      goMap([
        ['ttl', e?.value('ttl') ?? 0],
        ['type', e?.value('type') ?? 0],
        ['attributes', cleanedAttributes],
        ['recovery', nonEmpty(e?.value('recovery')) ? e!.value('recovery') : undefined],
        ['delegateSign', isJsonObject(delegateSign) && (nonEmpty(delegateSign.signer) || nonEmpty(delegateSign.signatureValue)) ? delegateSign : undefined],
        ['verifiableCredentials', nonEmpty(e?.value('verifiableCredentials')) ? e!.value('verifiableCredentials') : undefined],
      ]),
    ],
    ['created', m.value('created') ?? ''],
    ['updated', m.value('updated') ?? ''],
    ['alsoKnownAs', nonEmpty(m.value('alsoKnownAs')) ? m.value('alsoKnownAs') : undefined],
    [
      'service',
      Array.isArray(service) && service.length > 0
        ? service.filter(isJsonObject).map((s) => {
            const x = new MemberIndex(s);
            const sub = x.value('type') === 'DIDSubResolver';
            return goMap([
              ['id', x.value('id') ?? ''],
              ['type', x.value('type') ?? ''],
              ['serviceEndpoint', x.value('serviceEndpoint') ?? ''],
              ['version', sub ? (x.value('version') ?? '') : undefined],
              ['serverType', sub ? (x.value('serverType') ?? 0) : undefined],
              ['protocol', sub ? (x.value('protocol') ?? 0) : undefined],
              ['port', sub ? (x.value('port') ?? 0) : undefined],
            ]);
          })
        : undefined,
    ],
    ['proof', proofMembers && nonEmpty(proofMembers.value('creator')) && nonEmpty(proofMembers.value('signatureValue')) ? proof : undefined],
  ]);
}

function envelope(status: number, message: string, data?: JsonValue): SandboxResponse {
  return jsonReply(data === undefined ? { status, message } : { status, message, data }, { status, headers: { 'content-type': 'application/json' } });
}

/** Options of {@link createCndidEmulator}. */
export interface CndidEmulatorOptions {
  /** Mount name (default `cndid`). */
  mount?: string;
}

/** Creates the did:cndid upstream emulator (see the module comment). */
export function createCndidEmulator(options: CndidEmulatorOptions = {}): UpstreamEmulator {
  const lifecycle = bifLifecycle('cndid');
  const valid = (did: string) => {
    try {
      validateBifDid(did, 'cndid');
      return true;
    } catch {
      return false;
    }
  };
  return {
    method: 'cndid',
    ...(options.mount ? { mount: options.mount } : {}),
    description: 'did:cndid driver (GET /1.0/identifiers/{did}) and TChain resolution service (GET /resolve?id=), {status, message, data}',
    keyTypes: Object.keys(BIF_EMULATOR_KEY_TYPES),
    handle(req, ctx) {
      if (req.method !== 'GET') return undefined;
      const [a, b, c, ...rest] = req.segments;
      if (a === '1.0' && b === 'identifiers' && c !== undefined && rest.length === 0) {
        if (!valid(c)) return envelope(451, 'Invalid DID Address');
        const record = ctx.store.get(c);
        if (!record || record.method !== 'cndid') return envelope(404, 'Failed to resolve DID, not exist');
        return envelope(200, 'Success', cndidDriverView(record.document));
      }
      if (a === 'resolve' && b === undefined) {
        const id = req.query.id;
        if (id === undefined || id === '') return envelope(400, 'ID is required');
        if (!valid(id)) return envelope(451, 'Invalid DID Address');
        const record = ctx.store.get(id);
        if (!record || record.method !== 'cndid') return envelope(404, 'not exist');
        return envelope(200, 'Success', record.document);
      }
      return undefined;
    },
    seed: (ctx) => seedBif(ctx, 'cndid', CNDID_SEEDS),
    create: lifecycle.create,
    update: lifecycle.update,
    deactivate: lifecycle.deactivate,
  };
}

/** The did:cndid emulator, mounted at `cndid`. */
export const cndidEmulator: UpstreamEmulator = createCndidEmulator();
