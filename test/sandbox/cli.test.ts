import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yargs from 'yargs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandboxCommand, type SandboxCommandIo } from '../../src/cli/commands/sandbox.js';
import { SandboxError } from '../../src/sandbox/errors.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { SandboxStore } from '../../src/sandbox/store.js';
import { TOY_SEED_DID, toyEmulator } from './toy-emulator.js';

interface Captured {
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: Omit<SandboxCommandIo, 'stdout' | 'stderr'> = {}, captured: Captured = { stdout: '', stderr: '' }) {
  const command = makeSandboxCommand([toyEmulator()], {
    ...io,
    stdout: (t) => (captured.stdout += t),
    stderr: (t) => (captured.stderr += t),
  });
  await yargs().command(command).strict().exitProcess(false).fail(false).parseAsync(argv);
  return captured;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the command to fail');
}

/** Proves the key file's private key belongs to its public key by signing with one and verifying with the other. */
function keysMatch(key: { publicKeyHex: string; privateKeyHex: string }): boolean {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(key.privateKeyHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key.publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  const message = Buffer.from('sandbox key check');
  return verify(null, message, publicKey, sign(null, message, privateKey));
}

describe('didbridge sandbox (CLI command)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'didbridge-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('create', () => {
    it('with --db: stores the DID, writes a 0600 key file, prints the DID and never the private key', async () => {
      const db = join(dir, 'sandbox.db');
      const out = join(dir, 'alice.key.json');
      const io = await run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', db, '--out', out]);
      const key = JSON.parse(readFileSync(out, 'utf8'));
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(key).toEqual({
        format: 'didbridge-sandbox-key/1',
        method: 'toy',
        did: expect.stringMatching(/^did:toy:[0-9a-f]{40}$/),
        verificationMethodId: `${key.did}#key-1`,
        keyType: 'ed25519',
        publicKeyHex: expect.stringMatching(/^[0-9a-f]{64}$/),
        privateKeyHex: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(keysMatch(key)).toBe(true);
      expect(io.stdout).toBe(`${key.did}\n`);
      expect(io.stderr).toContain(out);
      expect(io.stderr).toContain('0600');
      expect(io.stdout + io.stderr).not.toContain(key.privateKeyHex);
      const store = new SandboxStore({ path: db });
      try {
        const record = store.get(key.did)!;
        expect(record.document).toMatchObject({ key: [{ publicKeyHex: key.publicKeyHex }] });
        expect(JSON.stringify(record)).not.toContain(key.privateKeyHex);
      } finally {
        store.close();
      }
    });

    it('sets mode 0600 whatever the umask', async () => {
      const previous = process.umask(0o277);
      try {
        const out = join(dir, 'k.json');
        await run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', join(dir, 's.db'), '--out', out]);
        expect(statSync(out).mode & 0o777).toBe(0o600);
      } finally {
        process.umask(previous);
      }
    });

    it('with --url: creates on the running sandbox through its admin surface; --json prints no private key', async () => {
      const sandbox = await startSandbox({ emulators: [toyEmulator()] });
      try {
        const out = join(dir, 'remote.key.json');
        const io = await run([
          'sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--url', `${sandbox.url}/`, '--out', out, '--json',
          '--param', 'label=remote',
        ]);
        const key = JSON.parse(readFileSync(out, 'utf8'));
        expect(statSync(out).mode & 0o777).toBe(0o600);
        expect(keysMatch(key)).toBe(true);
        expect(JSON.parse(io.stdout)).toEqual({
          did: key.did,
          verificationMethodId: key.verificationMethodId,
          keyType: 'ed25519',
          publicKeyHex: key.publicKeyHex,
          keyFile: out,
        });
        expect(io.stdout + io.stderr).not.toContain(key.privateKeyHex);
        expect(sandbox.store.get(key.did)!.document).toMatchObject({ label: 'remote' });
      } finally {
        await sandbox.close();
      }
    });

    it('with --url: reports the sandbox refusal with its reason', async () => {
      const sandbox = await startSandbox({ emulators: [toyEmulator()] });
      try {
        const err = await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'rsa', '--url', sandbox.url, '--out', join(dir, 'x.json')]));
        expect(err).toBeInstanceOf(SandboxError);
        expect((err as SandboxError).reason).toBe('UNSUPPORTED_KEY_TYPE');
        const unknown = await failure(run(['sandbox', 'create', '--method', 'nope', '--key', 'ed25519', '--url', sandbox.url]));
        expect((unknown as SandboxError).reason).toBe('UNKNOWN_EMULATOR');
      } finally {
        await sandbox.close();
      }
    });

    it('with --url of nothing listening: ADMIN_UNAVAILABLE', async () => {
      const sandbox = await startSandbox({ emulators: [toyEmulator()] });
      const url = sandbox.url;
      await sandbox.close();
      const err = await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--url', url]));
      expect((err as SandboxError).reason).toBe('ADMIN_UNAVAILABLE');
    });

    it('refuses to overwrite a key file (before creating anything) unless --force', async () => {
      const db = join(dir, 'sandbox.db');
      const out = join(dir, 'taken.json');
      writeFileSync(out, 'precious');
      const err = await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', db, '--out', out]));
      expect((err as SandboxError).reason).toBe('KEY_FILE_EXISTS');
      expect(readFileSync(out, 'utf8')).toBe('precious');
      const store = new SandboxStore({ path: db });
      expect(store.count()).toBe(0);
      store.close();
      await run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', db, '--out', out, '--force']);
      expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('didbridge-sandbox-key/1');
      expect(statSync(out).mode & 0o777).toBe(0o600);
    });

    it('names the key file after the DID when --out is left out', async () => {
      const previous = process.cwd();
      process.chdir(dir);
      try {
        const io = await run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', 'sandbox.db']);
        const did = io.stdout.trim();
        const file = join(dir, `${did.replace(/:/g, '_')}.key.json`);
        expect(JSON.parse(readFileSync(file, 'utf8')).did).toBe(did);
      } finally {
        process.chdir(previous);
      }
    });

    it('refuses unknown methods and key types, bad params, and a missing store', async () => {
      const db = join(dir, 'sandbox.db');
      expect(((await failure(run(['sandbox', 'create', '--method', 'nope', '--key', 'ed25519', '--db', db]))) as SandboxError).reason).toBe(
        'UNKNOWN_EMULATOR',
      );
      expect(((await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'rsa', '--db', db]))) as SandboxError).reason).toBe(
        'UNSUPPORTED_KEY_TYPE',
      );
      const badParam = await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', db, '--param', 'keyType=x']));
      expect((badParam as SandboxError).reason).toBe('INVALID_REQUEST');
      expect((await failure(run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519']))).message).toMatch(/--url .* or --db/);
      expect((await failure(run(['sandbox', 'create', '--key', 'ed25519', '--db', db]))).message).toMatch(/method/);
      const store = new SandboxStore({ path: db });
      expect(store.count()).toBe(0);
      store.close();
    });
  });

  describe('serve', () => {
    it('runs seeded on a store file until stopped, serving DIDs that create --db adds meanwhile', async () => {
      const db = join(dir, 'shared.db');
      const stop = new AbortController();
      const captured: Captured = { stdout: '', stderr: '' };
      const serving = run(['sandbox', '--db', db, '--port', '0'], { signal: stop.signal }, captured);
      let failed: unknown;
      serving.catch((err: unknown) => (failed = err));
      while (!captured.stdout.includes('admin surface')) {
        if (failed) throw failed;
        await new Promise((r) => setTimeout(r, 20));
      }
      const url = /listening on (http:\/\/\S+)/.exec(captured.stdout)![1]!;
      expect(captured.stdout).toContain(`${url}/toy  toy upstream for tests`);
      expect((await (await fetch(`${url}/toy/v1/did/${TOY_SEED_DID}`)).json()).code).toBe(0);

      const created = await run(['sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', db, '--out', join(dir, 'k.json')]);
      const did = created.stdout.trim();
      expect((await (await fetch(`${url}/toy/v1/did/${did}`)).json()).code).toBe(0);
      expect(captured.stderr).toMatch(/GET \/toy\/v1\/did\/\S+ 200/);

      stop.abort();
      await serving;
      expect(captured.stdout).toContain('sandbox stopped');
      await expect(fetch(`${url}/_admin/emulators`)).rejects.toThrow();
    });
  });

  describe('as a process', () => {
    it('prints the DID on stdout and nothing secret on either stream', async () => {
      const out = join(dir, 'proc.key.json');
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/sandbox/cli-entry.ts', 'sandbox', 'create', '--method', 'toy', '--key', 'ed25519', '--db', join(dir, 'p.db'), '--out', out],
        { cwd: join(import.meta.dirname, '../..'), timeout: 60_000 },
      );
      const key = JSON.parse(readFileSync(out, 'utf8'));
      expect(stdout).toBe(`${key.did}\n`);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(stdout + stderr).not.toContain(key.privateKeyHex);
      expect(stdout + stderr).not.toContain(Buffer.from(key.privateKeyHex, 'hex').toString('base64'));
    });
  });
});
