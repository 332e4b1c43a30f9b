/**
 * Cross-border end to end: a did:bid issuer created in the sandbox (the BID resolver emulator speaking the real wire
 * format over loopback) issues JWT VCs signed with Ed25519 (EdDSA) and SM2 (alg SM2); the verifier resolves the issuer
 * through the bid adapter, so the key comes from the translated W3C document, and the report says so. Each tampered,
 * expired, not-yet-valid, wrong-key, unknown-issuer, deactivated and unsupported-algorithm variant fails with the
 * right check named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBidAdapter } from '../../adapters/bid/index.js';
import { bidEmulator } from '../../adapters/bid/sandbox.js';
import { verify } from '../../src/credentials/verify.js';
import type { VerificationReport } from '../../src/credentials/report.js';
import { decodeHex } from '../../src/keys/codecs.js';
import { generateKeyPair, type GeneratableKeyType } from '../../src/keys/generate.js';
import { Resolver } from '../../src/resolver.js';
import { createDid, deactivateDid } from '../../src/sandbox/operations.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import type { KeyFile } from '../../src/sandbox/key-file.js';
import { signJwt, signerFor, tamperHeader, tamperPayload, vc11Payload, vp11Payload, type TestSigner } from '../helpers/jwt-issuer.js';

const NOW = '2025-06-01T00:00:00Z';
const VALID = { nbf: '2025-01-01T00:00:00Z', exp: '2026-01-01T00:00:00Z' };

let sandbox: Sandbox;
let resolver: Resolver;
const issuers = new Map<string, { key: KeyFile; signer: TestSigner }>();

async function sandboxIssuer(keyType: 'ed25519' | 'sm2'): Promise<{ key: KeyFile; signer: TestSigner }> {
  const key = await createDid({ emulator: bidEmulator, ctx: sandbox.contextFor('bid'), params: { keyType } });
  const type: GeneratableKeyType = keyType === 'ed25519' ? 'Ed25519' : 'SM2';
  return { key, signer: signerFor({ did: key.did, kid: key.verificationMethodId, keyType: type, privateKey: decodeHex(key.privateKeyHex) }) };
}

beforeAll(async () => {
  sandbox = await startSandbox({ emulators: [bidEmulator], seed: false });
  resolver = new Resolver({ adapters: [createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid'), timeoutMs: 5_000 })] });
  for (const keyType of ['ed25519', 'sm2'] as const) issuers.set(keyType, await sandboxIssuer(keyType));
});

afterAll(async () => {
  await resolver?.close();
  await sandbox?.close();
});

const run = (input: string, options: Record<string, unknown> = {}) => verify(input, { resolver, now: NOW, ...options });

function expectFailure(report: VerificationReport, name: string, code: string) {
  expect(report.verified).toBe(false);
  expect(report.checks.filter((c) => c.name === name).map((c) => c.outcome)).toContain('fail');
  expect(report.errors).toContainEqual(expect.objectContaining({ check: name, code }));
}

describe.each([
  ['ed25519', 'EdDSA', 'Ed25519'],
  ['sm2', 'SM2', 'SM2'],
] as const)('a did:bid issuer with an %s key (alg %s)', (keyType, alg, curve) => {
  const issuer = () => issuers.get(keyType)!;

  it('issues a JWT VC that verifies; the key comes from the translated W3C document', async () => {
    const { signer, key } = issuer();
    expect(key.did).toMatch(keyType === 'ed25519' ? /^did:bid:ef/ : /^did:bid:zf/);
    const report = await run(await signJwt(signer, vc11Payload({ ...VALID, subject: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' })));
    expect(report.verified).toBe(true);
    expect(report.issuer).toMatchObject({ id: key.did, resolvedMethod: 'bid', translated: true });
    expect(report.issuer?.changes).toBeGreaterThan(0);
    expect(report.key).toEqual({ verificationMethod: key.verificationMethodId, type: 'Multikey', keyType: curve, relationship: 'assertionMethod' });
    const resolution = report.checks.find((c) => c.name === 'issuer-resolution')!;
    expect(resolution.detail).toContain('translated to DID Core by the bridge');
    expect(report.checks.find((c) => c.name === 'signature')?.data).toMatchObject({ algorithm: alg });
  });

  it('a presentation signed by the did:bid holder verifies (authentication key)', async () => {
    const { signer } = issuer();
    const vc = await signJwt(signer, vc11Payload({ ...VALID, subject: signer.did }));
    const report = await run(await signJwt(signer, vp11Payload({ credentials: [vc] })));
    expect(report.verified).toBe(true);
    expect(report.key?.relationship).toBe('authentication');
  });

  it('tampered → signature', async () => {
    const jwt = tamperPayload(await signJwt(issuer().signer, vc11Payload(VALID)), (p) => (p.sub = 'did:example:mallory'));
    expectFailure(await run(jwt), 'signature', 'CRYPTOGRAPHIC_SECURITY_ERROR');
  });

  it('expired and not yet valid → validity-period', async () => {
    expectFailure(await run(await signJwt(issuer().signer, vc11Payload({ exp: '2024-01-01T00:00:00Z' }))), 'validity-period', 'EXPIRED');
    expectFailure(await run(await signJwt(issuer().signer, vc11Payload({ nbf: '2027-01-01T00:00:00Z' }))), 'validity-period', 'NOT_YET_VALID');
  });

  it('signed by a key that is not the issuer\'s → signature', async () => {
    const stranger = generateKeyPair({ type: curve });
    const forged = await signJwt({ ...issuer().signer, privateKey: stranger.privateKey }, vc11Payload(VALID));
    expectFailure(await run(forged), 'signature', 'CRYPTOGRAPHIC_SECURITY_ERROR');
  });

  it('an unsupported algorithm → signature (FEATURE_NOT_SUPPORTED)', async () => {
    const jwt = tamperHeader(await signJwt(issuer().signer, vc11Payload(VALID)), (h) => (h.alg = keyType === 'sm2' ? 'SM' : 'Ed448'));
    expectFailure(await run(jwt), 'signature', 'FEATURE_NOT_SUPPORTED');
  });
});

describe('did:bid issuer failures', () => {
  it('an issuer the BID resolver does not know → issuer-resolution (NOT_FOUND)', async () => {
    const { signer } = issuers.get('ed25519')!;
    // A well-formed did:bid (derived from the spec's example key, domestic-methods.md §4.2) that the sandbox never created.
    const unknown = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';
    const report = await run(await signJwt({ ...signer, did: unknown, kid: `${unknown}#key-1` }, vc11Payload(VALID)));
    expectFailure(report, 'issuer-resolution', 'NOT_FOUND');
    expect(report.checks.find((c) => c.name === 'signature')?.outcome).toBe('skip');
  });

  it('a deactivated issuer → issuer-resolution (DID_DEACTIVATED)', async () => {
    const { key, signer } = await sandboxIssuer('ed25519');
    const jwt = await signJwt(signer, vc11Payload(VALID));
    expect((await run(jwt)).verified).toBe(true);
    await deactivateDid({ emulator: bidEmulator, ctx: sandbox.contextFor('bid'), params: { did: key.did } });
    const report = await verify(jwt, { resolver: new Resolver({ adapters: [createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid') })] }), now: NOW });
    expectFailure(report, 'issuer-resolution', 'DID_DEACTIVATED');
  });

  it('an upstream answering 502 → issuer-resolution (INTERNAL_ERROR), never a throw', async () => {
    const { signer } = await sandboxIssuer('sm2');
    sandbox.faults.add({ kind: 'status', mount: 'bid', status: 502, times: 'always' });
    try {
      const report = await run(await signJwt(signer, vc11Payload(VALID)));
      expectFailure(report, 'issuer-resolution', 'INTERNAL_ERROR');
    } finally {
      sandbox.faults.clear();
    }
  });
});
