/**
 * The SSRF guard on every URL a DID or a credential controls, with host names mapped to addresses by a test lookup
 * (the guard sees exactly what name resolution returns): a name resolving to a private address is refused before any
 * connection; a name that re-resolves to an internal address for a new connection (DNS rebinding) is refused then;
 * status list URLs taken from credentials go through the same guard; trusted upstreams are not restricted.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { didKeyIssuer, issueCredential } from '../../src/credentials/issue.js';
import { verify } from '../../src/credentials/verify.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { DidBridgeError } from '../../src/errors.js';
import { createHttpClient, RefusedAddressError, type HostLookup, type UndiciHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import { testLookup } from './harness.js';

let server: http.Server;
let port: number;
let requests: string[] = [];
let connections = 0;
const sockets = new Set<Socket>();
const clients: UndiciHttpClient[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    // Close after each answer, so the next request needs a new connection (and a new lookup).
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end('{"ok":true}');
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

function client(lookup: HostLookup, allowLoopback = false): UndiciHttpClient {
  const c = createHttpClient({ lookup, addressPolicy: { allow: allowLoopback ? ['loopback'] : [] }, timeoutMs: 2_000 });
  clients.push(c);
  return c;
}

async function refusal(promise: Promise<unknown>): Promise<DidBridgeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RefusedAddressError);
  return err as DidBridgeError;
}

describe('names resolving to internal addresses', () => {
  it.each([
    ['private 10/8', '10.0.0.1', 'private'],
    ['private 192.168/16', '192.168.1.20', 'private'],
    ['cloud metadata', '169.254.169.254', 'metadata'],
    ['loopback', '127.0.0.1', 'loopback'],
    ['IPv6 unique local', 'fd12:3456::1', 'private'],
    ['IPv4-mapped private', '::ffff:10.0.0.1', 'private'],
  ])('refuses a name resolving to %s before connecting', async (_label, address, cls) => {
    const before = connections;
    const c = client(testLookup({ 'inside.test': address }));
    const err = await refusal(c.request(`http://inside.test:${port}/x`, { untrusted: true }));
    expect(err.message).toContain(`inside.test (${address})`);
    expect(err.message).toContain(`${cls} addresses are not allowed`);
    expect(connections).toBe(before);
  });

  it('refuses when any of the addresses is internal (nothing reaches the allowed one)', async () => {
    const before = connections;
    const c = client(testLookup({ 'both.test': ['127.0.0.1', '10.9.9.9'] }), true);
    await refusal(c.request(`http://both.test:${port}/x`, { untrusted: true }));
    expect(connections).toBe(before);
  });

  it('checks the address of every new connection: a name that rebinds to an internal address is refused then', async () => {
    let calls = 0;
    // The first resolution answers loopback (allowed in this test), the next an internal address.
    const rebinding: HostLookup = async () => [{ address: calls++ === 0 ? '127.0.0.1' : '10.0.0.7', family: 4 }];
    const c = client(rebinding, true);
    const first = await c.request(`http://rebind.test:${port}/first`, { untrusted: true });
    expect(first.status).toBe(200);
    requests = [];
    const err = await refusal(c.request(`http://rebind.test:${port}/second`, { untrusted: true }));
    expect(err.message).toContain('10.0.0.7');
    expect(requests).toEqual([]);
    expect(calls).toBe(2);
  });

  it('does not restrict trusted (configured) upstreams, which the operator chose', async () => {
    const c = client(testLookup({ 'configured.test': '127.0.0.1' }));
    const res = await c.request(`http://configured.test:${port}/trusted`);
    expect(res.status).toBe(200);
  });

  it('a lookup failure is a transport error, not a crash', async () => {
    const c = client(testLookup({}));
    const err = await c.request(`http://unknown.test:${port}/`, { untrusted: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DidBridgeError);
    expect((err as DidBridgeError).extensions?.reason).toBe('transport');
    expect((err as DidBridgeError).message).toMatch(/ENOTFOUND/);
  });
});

describe('status list URLs taken from credentials', () => {
  async function credentialWithStatus(listUrl: string): Promise<string> {
    const key = didKeyIssuer({ keyType: 'Ed25519', privateKey: generateKeyPair({ type: 'Ed25519' }).privateKey });
    const { credential } = await issueCredential({
      key,
      format: 'jwt',
      subject: { id: 'did:example:holder' },
      credentialStatus: {
        id: `${listUrl}#7`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: listUrl,
      },
    });
    return credential as string;
  }

  it('are fetched through the guard: a list host resolving to an internal address is refused, nothing is sent', async () => {
    const http = client(testLookup({ 'status.test': '10.0.0.1', 'status-loopback.test': '127.0.0.1' }));
    const resolver = new Resolver({ adapters: [createKeyAdapter()], http });
    requests = [];
    for (const host of ['status.test', 'status-loopback.test']) {
      const report = await verify(await credentialWithStatus(`http://${host}:${port}/lists/1`), { resolver });
      const status = report.checks.find((c) => c.name === 'status');
      expect(status?.outcome, host).toBe('fail');
      expect(status?.detail, host).toMatch(/could not be fetched: refused to connect/);
      // The signature itself was fine: only the status could not be checked.
      expect(report.checks.find((c) => c.name === 'signature')?.outcome).toBe('pass');
    }
    expect(requests).toEqual([]);
  });

  it('with loopback allowed (as tests must), the same list URL is fetched: the guard, not the URL, refused it', async () => {
    const http = client(testLookup({ 'status-loopback.test': '127.0.0.1' }), true);
    const resolver = new Resolver({ adapters: [createKeyAdapter()], http });
    requests = [];
    const report = await verify(await credentialWithStatus(`http://status-loopback.test:${port}/lists/2`), { resolver });
    expect(requests).toEqual(['/lists/2']);
    // What the server answered is not a status list credential, so the check fails for that reason instead.
    expect(report.checks.find((c) => c.name === 'status')?.detail).not.toMatch(/refused to connect/);
  });
});
