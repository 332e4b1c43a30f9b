import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeysCommand, parsePublicKeyArgument } from '../../src/cli/commands/keys.js';
import { UsageError } from '../../src/cli/runtime.js';
import { decodeHex, decompressPoint, deriveDid, encodeHex, encodeMultikey, publicKeyFromPrivateKey } from '../../src/keys/index.js';

const WEID_V3 =
  'zNT4AwSzTb3qwQXaDeE1tg8e8QYhWLMuguH6yR6XmZBnVtJVbidxCZ6dSd17YNi9z7oJgKdWnDzphND1ePa11oQZC7u5WcpDvPLJFWcAHwuYd4A2EeKfnwR1hdpY2PdK28StuVuV2H6jk7CgxitBNu9yRHBrXWanJ7R4FtoTsXf3YJvZUoDnNyRfoy1M19x6dcppge7zUZ2G4dSNcx1cpF6zM';
const WEID_V1_DECIMAL =
  '2905679808560626772263712571437125497429146398815877180317365034921958007199576809718056336050058032599743534507469742764670961100255274766148096681073592';

/** Runs `didbridge keys …` through a yargs instance, as the CLI does, capturing stdout and stderr. */
async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const parser = yargs(argv)
    .command(createKeysCommand({ stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }))
    .strict()
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new UsageError(message);
    });
  await parser.parseAsync();
  return { stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('didbridge keys derive', () => {
  it('derives the did:bid spec example from its raw key (domestic-methods.md §4.2)', async () => {
    const { stdout } = await run('keys', 'derive', '--method', 'bid', '--public-key', 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb');
    expect(stdout.split('\n')[0]).toBe('did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB2');
    expect(stdout).toMatch(/SHA-256/);
  });

  it('reads BIF-encoded hex and prints JSON with --json', async () => {
    const { stdout } = await run('keys', 'derive', '--method', 'bid', '--json', '--public-key',
      'b0656616cef061d0cae2b3e4fa49694cad29b4eb864ec85f1538ccb2edb926b71d276e');
    const result = JSON.parse(stdout);
    expect(result.did).toBe('did:bid:efj3FikDU8c7An3SPUoRtEWf2JDg1Hg9');
    expect(result.steps.map((s: { name: string }) => s.name)).toEqual(['key', 'hash', 'truncate', 'encode', 'assemble']);
    expect(result.unconfirmed).toEqual([]);
  });

  it('reads a WeIdentity decimal key and a v3 pseudo-multibase (§3.3)', async () => {
    const v1 = await run('keys', 'derive', '--method', 'weid', '--chain-id', '101', '--public-key', WEID_V1_DECIMAL);
    expect(v1.stdout.split('\n')[0]).toBe('did:weid:101:0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a');
    const v3 = await run('keys', 'derive', '--method', 'weid', '--chain-id', '0', '--public-key', WEID_V3);
    expect(v3.stdout.split('\n')[0]).toBe('did:weid:0:0x82cf6d7c796126673238eae72d4d81f73596b04a');
  });

  it('derives did:tdid with its router id (§6)', async () => {
    const { stdout } = await run('keys', 'derive', '--method', 'tdid', '--chain-id', 'cb534-15', '--encoding', 'decimal', '--public-key',
      '9140759724994454628181963565667341739731028461151630822625149865018431527829307192022895075113804689383949423804960687290646469426121233393934795192655714');
    expect(stdout.split('\n')[0]).toBe('did:tdid:cb534-15:0x1e7115081c178459be8d3844dd129b2234edc6be');
  });

  it('turns bad input into usage errors naming the option', async () => {
    await expect(run('keys', 'derive', '--method', 'bid', '--public-key', 'xyz')).rejects.toThrow(UsageError);
    await expect(run('keys', 'derive', '--method', 'bid', '--public-key', 'xyz')).rejects.toThrow(/--public-key/);
    await expect(run('keys', 'derive', '--method', 'example', '--public-key', 'ab')).rejects.toThrow(/Choices/);
    await expect(run('keys', 'derive', '--method', 'bid', '--key-type', 'rsa', '--public-key', 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb')).rejects.toThrow(/--key-type/);
    await expect(run('keys', 'derive', '--method', 'weid', '--public-key', 'b9906e1b50e81501369cc777979f8bcf27bd1917d794fa6d5e320b1ccc4f48bb')).rejects.toThrow(/not Ed25519/);
  });
});

describe('didbridge keys inspect', () => {
  it('reports the WeIdentity v3 mislabel with the key in Multikey and JWK form', async () => {
    const { stdout } = await run('keys', 'inspect', '--json', '--method', 'weid', '--declared-type', 'Ed25519VerificationKey2020', '--public-key', WEID_V3);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ type: 'secp256k1', mismatch: true, declaredKeyType: 'Ed25519' });
    expect(report.publicKeyJwk).toMatchObject({ kty: 'EC', crv: 'secp256k1' });
    expect(report.publicKeyMultibase.startsWith('zQ3s')).toBe(true);
    expect(report.encoding).toMatch(/pseudo-multibase/);
  });

  it('prints a human summary by default', async () => {
    const { stdout } = await run('keys', 'inspect', '--public-key', '044e801f22a5bc5c4a672800b78677fcff9a2d05864d772397e4cb3552b0ea0f2dcb367ec741b3c639f8b47b53bbf449036423bfcd4c4dabe74171599af16802a6', '--declared-type', 'sm2p256v1');
    expect(stdout.split('\n')[0]).toBe('SM2');
    expect(stdout).toMatch(/"crv":"SM2"/);
  });
});

describe('didbridge keys generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'didbridge-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the private key only to --out, with mode 0600, and prints only public parts', async () => {
    const out = join(dir, 'sm2.key.json');
    const { stdout, stderr } = await run('keys', 'generate', '--type', 'sm2', '--out', out, '--json');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('didbridge-key/1');
    const printed = JSON.parse(stdout);
    expect(publicKeyFromPrivateKey({ type: 'SM2', privateKey: decodeHex(file.privateKeyHex) }).bytes).toEqual(decodeHex(printed.publicKeyHex));
    expect(printed.publicKeyMultibase).toBe(encodeMultikey({ type: 'SM2', bytes: decodeHex(printed.publicKeyHex) }));
    expect(printed.privateKeyFile).toBe(out);
    expect(stdout + stderr).not.toContain(file.privateKeyHex);
    expect(JSON.stringify(printed)).not.toMatch(/private(Key)?Hex|"d":/);
    expect(stderr).toMatch(/mode 0600/);
  });

  it('never overwrites an existing file', async () => {
    const out = join(dir, 'existing.json');
    writeFileSync(out, 'keep me');
    await expect(run('keys', 'generate', '--type', 'ed25519', '--out', out)).rejects.toThrow(/already exists/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('without --out the private key is discarded, and says so', async () => {
    const { stdout, stderr } = await run('keys', 'generate', '--type', 'p-256');
    expect(stdout).toMatch(/^P-256\n/);
    expect(stderr).toMatch(/private key discarded/);
  });

  it('derives the DID of the new key with --method', async () => {
    const { stdout } = await run('keys', 'generate', '--type', 'secp256k1', '--method', 'weid', '--chain-id', '1', '--json');
    const printed = JSON.parse(stdout);
    const expected = deriveDid({ method: 'weid', publicKey: { type: 'secp256k1', bytes: decodeHex(printed.publicKeyHex) }, chainId: '1' });
    expect(printed.did).toBe(expected.did);
  });

  it('refuses unknown key types', async () => {
    await expect(run('keys', 'generate', '--type', 'rsa')).rejects.toThrow(/Choices/);
  });
});

describe('parsePublicKeyArgument()', () => {
  it('auto: z… is multibase, 140+ digits decimal, anything else hex (raw or BIF)', () => {
    expect(parsePublicKeyArgument(WEID_V3)).toMatchObject({ contextKeyType: 'secp256k1' });
    expect(parsePublicKeyArgument(WEID_V1_DECIMAL).bytes.length).toBe(64);
    const digitsOnlyHex = '1'.repeat(64);
    expect(parsePublicKeyArgument(digitsOnlyHex)).toMatchObject({ encoding: 'hex' });
    expect(encodeHex(parsePublicKeyArgument(digitsOnlyHex).bytes)).toBe(digitsOnlyHex);
    expect(parsePublicKeyArgument('0xb0656616cef061d0cae2b3e4fa49694cad29b4eb864ec85f1538ccb2edb926b71d276e')).toMatchObject({ contextKeyType: 'Ed25519' });
  });

  it('reads Multikeys, with the header naming the type', () => {
    const sm2 = decompressPoint('SM2', decodeHex('02' + 'e0fb23a9e80e2e5b47e17fdce84c07f88dc7cb94d6403af71f3f0c1cac4d00fe'));
    const multikey = encodeMultikey({ type: 'SM2', bytes: sm2 });
    expect(parsePublicKeyArgument(multikey)).toMatchObject({ contextKeyType: 'SM2', encoding: 'Multikey' });
  });

  it('an explicit encoding overrides the guess, and bad values are INVALID_OPTIONS', () => {
    expect(() => parsePublicKeyArgument('1234', 'decimal')).not.toThrow();
    expect(() => parsePublicKeyArgument('zzz', 'multibase')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => parsePublicKeyArgument('12x', 'decimal')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
