/**
 * `didbridge translate` as a user runs it: a separate process (`node --import tsx src/cli/main.ts`), its stdout,
 * stderr and exit codes. Few spawns (each costs seconds on two cores); the service tests cover the translations.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeHex } from '../../src/keys/codecs.js';
import { decodeMultikey } from '../../src/keys/multikey.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BID_FIXTURE = join(ROOT, 'fixtures/bid/upstream/01-spec-bid-document-example.json');
const KEY_DID = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
const SANDBOX_BID = 'did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2';

const work = mkdtempSync(join(tmpdir(), 'didbridge-translate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], stdin?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DIDBRIDGE_ADAPTERS: 'key,bid,weid' };
  for (const name of Object.keys(env)) if (name.startsWith('DIDBRIDGE_') && name !== 'DIDBRIDGE_ADAPTERS') delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'translate', ...args], {
      cwd: ROOT,
      env,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

describe('didbridge translate', { timeout: 120_000 }, () => {
  it('round trip: a BID document to w3c (--json, file) and back to bid (standard input) is the original', async () => {
    const original = JSON.parse(readFileSync(BID_FIXTURE, 'utf8'));
    const w3c = await run([BID_FIXTURE, '--to', 'w3c', '--json']);
    expect(w3c.stderr).toBe('');
    expect(w3c.code).toBe(0);
    const out = JSON.parse(w3c.stdout);
    expect(Object.keys(out).sort()).toStrictEqual(['changes', 'document', 'from', 'metadata', 'to']);
    expect(out.from).toStrictEqual({ shape: 'bid', adapter: 'bid' });
    expect(out.document.verificationMethod.length).toBe(2);
    expect(out.changes.length).toBeGreaterThan(0);
    const file = join(work, 'bid-w3c.json');
    writeFileSync(file, w3c.stdout);
    const back = await run(['-', '--to', 'bid'], readFileSync(file, 'utf8'));
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toStrictEqual(original);
  });

  it('an unknown --to is a usage error (exit 2) naming the shapes', async () => {
    const r = await run([BID_FIXTURE, '--to', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--to "pdf" is not a shape; available: w3c, bid, weid, weid-v1\n/);
  });

  it('a file of no supported shape fails (exit 1) with the error name', async () => {
    const file = join(work, 'not-a-document.json');
    writeFileSync(file, JSON.stringify({ errorCode: 6, message: 'not found' }));
    const r = await run([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: INVALID_DID_DOCUMENT: /);
  });

  it('a did:key --to bid --changes: { document, changes }', async () => {
    const r = await run([KEY_DID, '--to', 'bid', '--changes']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toStrictEqual(['changes', 'document']);
    const key = decodeMultikey(KEY_DID.slice('did:key:'.length));
    expect(out.document.publicKey[0].publicKeyHex).toBe(`b06566${encodeHex(key.bytes)}`);
    expect(out.changes.every((c: { step: string }) => c.step === 'render')).toBe(true);
  });

  it('a sandbox did:bid resolves offline and renders --to weid-v1 (--json says where it came from)', async () => {
    const r = await run([SANDBOX_BID, '--to', 'weid-v1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.from).toStrictEqual({ shape: 'bid', adapter: 'bid' });
    expect(out.to).toBe('weid-v1');
    expect(out.document.id).toBe(SANDBOX_BID);
    expect(out.metadata.didbridgePreserved.shape).toBe('bid');
  });

  it('a DID the sandbox does not know fails with NOT_FOUND (exit 1)', async () => {
    const r = await run(['did:bid:efJgt44mNDewKK1VEN454R17cjso3mSG']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: NOT_FOUND: /m);
  });
});
