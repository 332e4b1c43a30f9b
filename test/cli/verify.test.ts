/**
 * `didbridge verify` as a user runs it: a separate process reading a file or standard input, its stdout, stderr and
 * exit codes (0 verified, 1 not verified, 2 usage error). Spawns are few (each costs about a second on two cores);
 * the text rendering is checked in process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { renderReportText } from '../../src/cli/commands/verify.js';
import { verify } from '../../src/credentials/verify.js';
import { Resolver } from '../../src/resolver.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { didKeySigner, signJwt, tamperPayload, vc11Payload, vp11Payload } from '../helpers/jwt-issuer.js';

const dir = mkdtempSync(join(tmpdir(), 'didbridge-verify-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], stdin?: string): Promise<CliRun> {
  return runCli(['verify', ...args], { stdin });
}

const issuer = didKeySigner('Ed25519');
const VALID = vc11Payload({ nbf: '2025-01-01T00:00:00Z', exp: '2026-01-01T00:00:00Z' });

describe('didbridge verify', () => {
  it('a valid JWT in a file: exit 0 and the report as JSON (piped); an expired one at --now: exit 1', async () => {
    const file = join(dir, 'vc.jwt');
    writeFileSync(file, `${await signJwt(issuer, VALID)}\n`);
    const ok = await run([file, '--now', '2025-06-01T00:00:00Z']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ verified: true, format: 'jwt-vc', issuer: { id: issuer.did } });
    const late = await run([file, '--now', '2027-01-01T00:00:00Z', '--skew', '0', '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout).errors).toContainEqual(expect.objectContaining({ check: 'validity-period', code: 'EXPIRED' }));
  }, 120_000);

  it('standard input (-): a tampered presentation exits 1 and names the failing check', async () => {
    const vp = await signJwt(issuer, vp11Payload({ credentials: [await signJwt(issuer, VALID)] }));
    const tampered = tamperPayload(vp, (p) => (p.nonce = 'changed'));
    const r = await run(['-', '--now', '2025-06-01T00:00:00Z', '--expect', 'presentation'], tampered);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('jwt-vp');
    expect(report.errors).toContainEqual(expect.objectContaining({ check: 'signature', code: 'CRYPTOGRAPHIC_SECURITY_ERROR' }));
  }, 120_000);

  it('usage errors exit 2: a missing file, a bad --now, an input over --max-bytes', async () => {
    const missing = await run([join(dir, 'nope.jwt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    expect(missing.stdout).toBe('');
    const badNow = await run(['-', '--now', 'tomorrow'], 'x.y.z');
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now');
    const big = await run(['-', '--max-bytes', '16'], 'a'.repeat(64));
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('larger than 16 bytes');
    // Three CLI processes started one after the other through tsx: allow for a loaded CI machine.
  }, 120_000);
});

describe('renderReportText', () => {
  it('prints the verdict, issuer, key, every check and every error, with presentations nested', async () => {
    const resolver = new Resolver({ adapters: [createKeyAdapter()] });
    const expired = await signJwt(issuer, vc11Payload({ exp: '2024-01-01T00:00:00Z' }));
    const report = await verify(await signJwt(issuer, vp11Payload({ credentials: [expired] })), { resolver, now: '2025-06-01T00:00:00Z' });
    const text = renderReportText(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('NOT VERIFIED  jwt-vp');
    expect(lines[1]).toBe(`  holder  ${issuer.did} (did:key)`);
    expect(lines[2]).toBe(`  key     ${issuer.kid} (Multikey, Ed25519, authentication)`);
    expect(text).toMatch(/\n {2}pass {2}signature +EdDSA signature verified/);
    expect(text).toContain('  credential 0:\n    NOT VERIFIED  jwt-vc');
    expect(text).toMatch(/\n {4}\s*FAIL {2}validity-period +expired at 2024-01-01T00:00:00Z \(exp\)/);
    expect(text).toContain('error EXPIRED (validity-period)');
  });
});
