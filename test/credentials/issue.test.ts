/**
 * `didbridge issue` and `issueCredential`: credentials signed with key files of sandbox DIDs (did:bid Ed25519 and SM2,
 * did:weid secp256k1 and SM2, created through the sandbox's emulators and written with `writeKeyFile`) and of a
 * generated did:key key, then verified by `verify()` through the bridge: the cross-border flows of issue #5.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBidAdapter } from '../../adapters/bid/index.js';
import { createBidEmulator } from '../../adapters/bid/sandbox.js';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { createWeidAdapter } from '../../adapters/weid/index.js';
import { weidEmulator } from '../../adapters/weid/sandbox.js';
import { UsageError } from '../../src/cli/runtime.js';
import { dataIntegrityFormatVerifier } from '../../src/credentials/data-integrity/verify.js';
import { didKeyIssuer, issueCredential, IssueInputError, readIssuerKey } from '../../src/credentials/issue.js';
import { jwtFormatVerifier } from '../../src/credentials/jwt.js';
import type { VerificationReport } from '../../src/credentials/report.js';
import { verify, type VerifyCallOptions } from '../../src/credentials/verify.js';
import { weidCredentialFormatVerifier } from '../../src/credentials/weid/verify.js';
import { encodeHex } from '../../src/keys/codecs.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { encodeMultikey } from '../../src/keys/multikey.js';
import { Resolver } from '../../src/resolver.js';
import { createDid, startSandbox, writeKeyFile, type KeyFile, type Sandbox } from '../../src/sandbox/index.js';
import { runIssueCommand } from '../helpers/issue-cli.js';

const NOW = new Date('2025-06-01T00:00:00Z');

function failed(report: VerificationReport): string[] {
  return report.checks.filter((c) => c.outcome === 'fail').map((c) => c.name);
}

describe('didbridge issue', () => {
  let sandbox: Sandbox;
  let resolver: Resolver;
  let dir: string;
  let options: VerifyCallOptions;
  const files: Record<string, string> = {};
  const keyFiles: Record<string, KeyFile> = {};

  const run = (...argv: string[]) => runIssueCommand(() => NOW, ...argv);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'didbridge-issue-'));
    sandbox = await startSandbox({ emulators: [weidEmulator(), createBidEmulator()] });
    for (const [name, mount, keyType] of [
      ['bid-ed25519', 'bid', 'ed25519'],
      ['bid-sm2', 'bid', 'sm2'],
      ['weid-secp256k1', 'weid', 'secp256k1'],
      ['weid-sm2', 'weid', 'sm2'],
    ] as const) {
      const key = await createDid({ emulator: sandbox.emulators.get(mount)!, ctx: sandbox.contextFor(mount), params: { keyType } });
      keyFiles[name] = key;
      files[name] = join(dir, `${name}.key.json`);
      await writeKeyFile({ path: files[name]!, key });
    }
    // `didbridge keys generate --out` files: issued as did:key.
    for (const [name, type] of [['key-ed25519', 'Ed25519'], ['key-p256', 'P-256'], ['key-secp256k1', 'secp256k1']] as const) {
      const pair = generateKeyPair({ type });
      files[name] = join(dir, `${name}.json`);
      await writeFile(
        files[name]!,
        JSON.stringify({
          format: 'didbridge-key/1',
          type,
          publicKeyHex: encodeHex(pair.publicKey),
          publicKeyMultibase: encodeMultikey({ type, bytes: pair.publicKey }),
          privateKeyHex: encodeHex(pair.privateKey),
        }),
        { mode: 0o600 },
      );
    }
    resolver = new Resolver({
      adapters: [createKeyAdapter(), createBidAdapter({ baseUrl: sandbox.baseUrlFor('bid') }), createWeidAdapter({ baseUrl: sandbox.baseUrlFor('weid') })],
    });
    options = { resolver, formats: [jwtFormatVerifier(), dataIntegrityFormatVerifier(), weidCredentialFormatVerifier()], now: NOW };
  });
  afterAll(async () => {
    await resolver?.close();
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const subject = JSON.stringify({ id: 'did:example:holder', degree: 'Bachelor of Engineering' });

  for (const [name, alg] of [
    ['bid-ed25519', 'EdDSA'],
    ['bid-sm2', 'SM2'],
    ['weid-secp256k1', 'ES256K'],
    ['key-ed25519', 'EdDSA'],
    ['key-p256', 'ES256'],
    ['key-secp256k1', 'ES256K'],
  ] as const) {
    it(`a JWT VC signed with the ${name} key file (${alg}) verifies through the bridge`, async () => {
      const { stdout } = await run('issue', '--key', files[name]!, '--format', 'jwt', '--subject', subject, '--valid-until', '2026-01-01T00:00:00Z');
      const jwt = stdout.trim();
      expect(jwt.split('.')).toHaveLength(3);
      expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).alg).toBe(alg);
      const report = await verify(jwt, options);
      expect(failed(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.format).toBe('jwt-vc');
      // The private key never reaches the output.
      const keyFile = JSON.parse(await readFile(files[name]!, 'utf8'));
      expect(stdout).not.toContain(keyFile.privateKeyHex);
    });
  }

  it('a VC Data Model 2.0 JWT (vc+jwt) verifies too', async () => {
    const { stdout } = await run('issue', '--key', files['bid-sm2']!, '--format', 'jwt', '--vc-version', '2.0', '--subject', subject);
    const report = await verify(stdout.trim(), options);
    expect(report.verified).toBe(true);
  });

  for (const [name, suite] of [
    ['key-ed25519', 'eddsa-rdfc-2022'],
    ['key-ed25519', 'Ed25519Signature2020'],
    ['bid-ed25519', 'eddsa-rdfc-2022'],
  ] as const) {
    it(`a Data Integrity credential (${suite}) by the ${name} key file verifies`, async () => {
      const { stdout } = await run('issue', '--key', files[name]!, '--format', 'di', '--suite', suite, '--subject', subject, '--type', 'UniversityDegreeCredential');
      const credential = JSON.parse(stdout);
      expect(credential.type).toEqual(['VerifiableCredential', 'UniversityDegreeCredential']);
      const report = await verify(credential, options);
      expect(failed(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.format).toBe('data-integrity');
    });
  }

  for (const name of ['weid-secp256k1', 'weid-sm2'] as const) {
    it(`a WeIdentity CredentialPojo by the ${name} key file verifies (both types, both layouts where they exist)`, async () => {
      for (const extra of [[], ['--weid-type', 'lite1'], ...(name === 'weid-secp256k1' ? [['--layout', 'vrs']] : [])]) {
        const { stdout } = await run('issue', '--key', files[name]!, '--format', 'weid', '--cpt-id', '2000082', '--subject', subject, ...extra);
        const report = await verify(JSON.parse(stdout), options);
        expect(failed(report)).toEqual([]);
        expect(report.verified).toBe(true);
        expect(report.format).toBe('weid-credential-pojo');
      }
    });
  }

  it('--out writes the credential (exclusively) and --json adds what signed it', async () => {
    const out = join(dir, 'vc.json');
    const { stdout, stderr } = await run('issue', '--key', files['weid-secp256k1']!, '--format', 'jwt', '--subject', subject, '--json', '--out', out);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/wrote a jwt credential by did:weid:/);
    const written = JSON.parse(await readFile(out, 'utf8'));
    expect(written).toMatchObject({ format: 'jwt', issuer: keyFiles['weid-secp256k1']!.did, algorithm: 'ES256K' });
    expect((await verify(written.credential, options)).verified).toBe(true);
    await expect(run('issue', '--key', files['weid-secp256k1']!, '--format', 'jwt', '--subject', subject, '--out', out)).rejects.toThrow(/already exists/);
  });

  it('usage errors: a key that cannot sign the format, a wrong alg, bad JSON, a bad key file', async () => {
    await expect(run('issue', '--key', files['bid-sm2']!, '--format', 'di', '--subject', subject)).rejects.toThrow(/needs an Ed25519 key/);
    await expect(run('issue', '--key', files['bid-ed25519']!, '--format', 'weid', '--subject', subject)).rejects.toThrow(/did:weid/);
    await expect(run('issue', '--key', files['bid-ed25519']!, '--format', 'jwt', '--alg', 'ES256K', '--subject', subject)).rejects.toThrow(/EdDSA, not ES256K/);
    await expect(run('issue', '--key', files['bid-ed25519']!, '--format', 'jwt', '--subject', '{nope')).rejects.toBeInstanceOf(UsageError);
    await expect(run('issue', '--key', files['bid-ed25519']!, '--format', 'xml', '--subject', subject)).rejects.toThrow();
    const mixed = { ...keyFiles['bid-ed25519']!, privateKeyHex: keyFiles['weid-secp256k1']!.privateKeyHex };
    expect(() => readIssuerKey(mixed)).toThrow(IssueInputError);
    expect(() => readIssuerKey({ format: 'other' })).toThrow(/unknown key file format/);
  });

  it('a revoked status entry and an expired validity period are carried into the credential and caught by verify()', async () => {
    const key = didKeyIssuer({ keyType: 'Ed25519', privateKey: generateKeyPair({ type: 'Ed25519' }).privateKey });
    const { credential } = await issueCredential({
      key,
      format: 'di',
      subject: { id: 'did:example:holder' },
      validFrom: new Date('2024-01-01T00:00:00Z'),
      validUntil: new Date('2025-01-01T00:00:00Z'),
      now: NOW,
    });
    const report = await verify(credential as object, options);
    expect(failed(report)).toEqual(['validity-period']);
  });
});
