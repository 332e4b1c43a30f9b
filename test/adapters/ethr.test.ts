/**
 * did:ethr against a real chain: ganache 7.9.2 over HTTP on loopback with the ERC-1056 registry deployed, registry
 * transactions sent with ethers 6, resolution through didbridge's Resolver and the ethr adapter.
 */
import http from 'node:http';
import net from 'node:net';
import { ethers } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEthrAdapter } from '../../adapters/ethr/index.js';
import { DidBridgeError, parseErrorName } from '../../src/errors.js';
import { createHttpClient } from '../../src/net/http-client.js';
import { Resolver } from '../../src/resolver.js';
import type { DIDResolutionResult, VerificationMethod } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { normaliseDatetime } from '../../src/util/datetime.js';
import { closedLoopbackPort, startGanacheChain, type GanacheChain } from '../helpers/ganache-chain.js';

const DAY = 86_400;

function codeOf(result: DIDResolutionResult): string | undefined {
  return parseErrorName(result.didResolutionMetadata.error);
}

function detailOf(result: DIDResolutionResult): string {
  return String(result.didResolutionMetadata.error?.detail ?? '');
}

function methodById(result: DIDResolutionResult, id: string): VerificationMethod | undefined {
  return result.didDocument?.verificationMethod?.find((vm) => vm.id === id);
}

describe('did:ethr adapter on a local ganache chain', () => {
  let chain: GanacheChain;
  let resolver: Resolver;

  /** Sends a registry transaction and returns the block it was mined in and that block's time. */
  async function mined(tx: Promise<ethers.ContractTransactionResponse>): Promise<{ block: number; time: number }> {
    const receipt = await (await tx).wait();
    if (!receipt) throw new Error('transaction was not mined');
    const block = await chain.provider.getBlock(receipt.blockNumber);
    return { block: receipt.blockNumber, time: block!.timestamp };
  }

  const didOf = (address: string) => `did:ethr:dev:${address.toLowerCase()}`;

  beforeAll(async () => {
    chain = await startGanacheChain();
    const adapter = createEthrAdapter({
      networks: [{ name: 'dev', chainId: chain.chainId, rpcUrl: chain.rpcUrl, registry: chain.registry }],
    });
    resolver = new Resolver({ adapters: [adapter], cache: false });
  });

  afterAll(async () => {
    await resolver?.close();
    await chain?.close();
  });

  describe('documents', () => {
    it('resolves an address with no registry events to the default document (controller = the address)', async () => {
      const address = ethers.Wallet.createRandom().address;
      const did = didOf(address);
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      const controller = `${did}#controller`;
      expect(result.didDocument).toMatchObject({
        id: did,
        verificationMethod: [
          {
            id: controller,
            type: 'EcdsaSecp256k1RecoveryMethod2020',
            controller: did,
            blockchainAccountId: `eip155:${chain.chainId}:${address}`,
          },
        ],
        authentication: [controller],
        assertionMethod: [controller],
      });
      expect(result.didDocument?.['@context']).toContain('https://www.w3.org/ns/did/v1');
      expect(result.didDocument?.service).toBeUndefined();
      // No registry event yet: no version to report.
      expect(result.didDocumentMetadata).toEqual({});
      expect(result.didResolutionMetadata).toMatchObject({ network: 'dev', chainId: '0x539' });
    });

    it('resolves the same network by its hex chain id, keeping the DID as the document id', async () => {
      const address = ethers.Wallet.createRandom().address;
      const did = `did:ethr:0x${chain.chainId.toString(16)}:${address}`;
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(result.didDocument?.id).toBe(did);
      expect(methodById(result, `${did}#controller`)?.blockchainAccountId).toBe(`eip155:${chain.chainId}:${address}`);
    });

    it('adds the public key of a public-key DID as #controllerKey', async () => {
      const publicKey = ethers.SigningKey.computePublicKey(ethers.id('didbridge ethr test key'), true);
      const did = `did:ethr:dev:${publicKey}`;
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(methodById(result, `${did}#controller`)?.blockchainAccountId).toBe(
        `eip155:${chain.chainId}:${ethers.computeAddress(publicKey)}`,
      );
      expect(methodById(result, `${did}#controllerKey`)).toEqual({
        id: `${did}#controllerKey`,
        type: 'EcdsaSecp256k1VerificationKey2019',
        controller: did,
        publicKeyHex: publicKey.slice(2),
      });
      expect(result.didDocument?.authentication).toContain(`${did}#controllerKey`);
    });

    it('shows the new owner after changeOwner, with versionId and updated from the block', async () => {
      const [, identity, newOwner] = chain.accounts as [string, string, string];
      const registry = await chain.registryAs(identity);
      const change = await mined(registry.changeOwner!(identity, newOwner));
      const did = didOf(identity);
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(methodById(result, `${did}#controller`)?.blockchainAccountId).toBe(`eip155:${chain.chainId}:${newOwner}`);
      expect(result.didDocumentMetadata.versionId).toBe(String(change.block));
      expect(result.didDocumentMetadata.updated).toBe(normaliseDatetime(change.time));
      expect(result.didDocumentMetadata.nextVersionId).toBeUndefined();

      // DID Core §7.1.2 versionId: the document as of the block before the change, pointing at the next version.
      const before = await resolver.resolve(did, { versionId: String(change.block - 1) });
      expect(before.didResolutionMetadata.error).toBeUndefined();
      expect(methodById(before, `${did}#controller`)?.blockchainAccountId).toBe(`eip155:${chain.chainId}:${identity}`);
      expect(before.didDocumentMetadata.versionId).toBeUndefined();
      expect(before.didDocumentMetadata.nextVersionId).toBe(String(change.block));
      expect(before.didDocumentMetadata.nextUpdate).toBe(normaliseDatetime(change.time));

      // At the change's own block the new owner is in force.
      const at = await resolver.resolve(did, { versionId: String(change.block) });
      expect(methodById(at, `${did}#controller`)?.blockchainAccountId).toBe(`eip155:${chain.chainId}:${newOwner}`);
      expect(at.didDocumentMetadata.versionId).toBe(String(change.block));
    });

    it('shows a veriKey delegate as a new verification method in assertionMethod only', async () => {
      const [, , , identity, delegate] = chain.accounts as [string, string, string, string, string];
      const registry = await chain.registryAs(identity);
      await mined(registry.addDelegate!(identity, ethers.encodeBytes32String('veriKey'), delegate, DAY));
      const did = didOf(identity);
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      const id = `${did}#delegate-1`;
      expect(methodById(result, id)).toEqual({
        id,
        type: 'EcdsaSecp256k1RecoveryMethod2020',
        controller: did,
        blockchainAccountId: `eip155:${chain.chainId}:${delegate}`,
      });
      expect(result.didDocument?.assertionMethod).toContain(id);
      expect(result.didDocument?.authentication).not.toContain(id);
    });

    it('shows a did/pub attribute as a key and a did/svc attribute as a service', async () => {
      const identity = chain.accounts[5]!;
      const registry = await chain.registryAs(identity);
      const key = ethers.SigningKey.computePublicKey(ethers.id('didbridge attribute key'), true);
      await mined(registry.setAttribute!(identity, ethers.encodeBytes32String('did/pub/Secp256k1/veriKey/hex'), key, DAY));
      const endpoint = 'https://hub.example.com/didbridge';
      await mined(
        registry.setAttribute!(identity, ethers.encodeBytes32String('did/svc/HubService'), ethers.toUtf8Bytes(endpoint), DAY),
      );
      const did = didOf(identity);
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(methodById(result, `${did}#delegate-1`)).toEqual({
        id: `${did}#delegate-1`,
        type: 'EcdsaSecp256k1VerificationKey2019',
        controller: did,
        publicKeyHex: key.slice(2),
      });
      expect(result.didDocument?.assertionMethod).toContain(`${did}#delegate-1`);
      expect(result.didDocument?.service).toEqual([{ id: `${did}#service-1`, type: 'HubService', serviceEndpoint: endpoint }]);
    });

    it('reports a DID whose owner became 0x0 as deactivated with no document; the version before still resolves', async () => {
      const identity = chain.accounts[6]!;
      const registry = await chain.registryAs(identity);
      const change = await mined(registry.changeOwner!(identity, ethers.ZeroAddress));
      const did = didOf(identity);
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(result.didDocument).toBeNull();
      expect(result.didDocumentMetadata.deactivated).toBe(true);
      expect(result.didDocumentMetadata.versionId).toBe(String(change.block));

      const before = await resolver.resolve(did, { versionId: String(change.block - 1) });
      expect(before.didDocumentMetadata.deactivated).toBeUndefined();
      expect(before.didDocument?.id).toBe(did);
      expect(before.didDocumentMetadata.nextVersionId).toBe(String(change.block));
    });
  });

  describe('versions', () => {
    it('answers NOT_FOUND for a versionId block the chain has not reached', async () => {
      const head = await chain.provider.getBlockNumber();
      const result = await resolver.resolve(didOf(chain.accounts[7]!), { versionId: String(head + 1000) });
      expect(codeOf(result)).toBe('NOT_FOUND');
      expect(detailOf(result)).toContain(String(head + 1000));
    });

    it('answers INVALID_OPTIONS for a versionId that is not a decimal block number', async () => {
      for (const versionId of ['latest', '0x10', '-1', '1.5', '007']) {
        const result = await resolver.resolve(didOf(chain.accounts[7]!), { versionId });
        expect(codeOf(result), versionId).toBe('INVALID_OPTIONS');
      }
    });

    it('resolves versionTime to the document of the last block mined at or before that time', async () => {
      const identity = chain.accounts[8]!;
      const registry = await chain.registryAs(identity);
      const name = ethers.encodeBytes32String('did/svc/LinkedDomains');
      const first = await mined(registry.setAttribute!(identity, name, ethers.toUtf8Bytes('https://one.example/'), 100 * DAY));
      // Move chain time an hour ahead so that "between the two changes" is an unambiguous instant.
      await chain.rpc('evm_increaseTime', [3600]);
      const second = await mined(registry.setAttribute!(identity, name, ethers.toUtf8Bytes('https://two.example/'), 100 * DAY));
      expect(second.time - first.time).toBeGreaterThanOrEqual(3600);
      const did = didOf(identity);

      const between = normaliseDatetime(first.time + 1800)!;
      const result = await resolver.resolve(did, { versionTime: between });
      expect(result.didResolutionMetadata.error).toBeUndefined();
      expect(result.didDocument?.service?.map((s) => s.serviceEndpoint)).toEqual(['https://one.example/']);
      expect(result.didDocumentMetadata.versionId).toBe(String(first.block));
      expect(result.didDocumentMetadata.nextVersionId).toBe(String(second.block));

      const later = await resolver.resolve(did, { versionTime: normaliseDatetime(second.time)! });
      expect(later.didDocument?.service?.map((s) => s.serviceEndpoint)).toEqual(['https://one.example/', 'https://two.example/']);
      expect(later.didDocumentMetadata.versionId).toBe(String(second.block));
      expect(later.didDocumentMetadata.nextVersionId).toBeUndefined();

      const beforeChain = await resolver.resolve(did, { versionTime: '2001-01-01T00:00:00Z' });
      expect(codeOf(beforeChain)).toBe('NOT_FOUND');
    });
  });

  describe('errors', () => {
    it('answers INVALID_DID for malformed did:ethr identifiers', async () => {
      const address = ethers.getAddress('0xb9c5714089478a327f09197987f16f9e5d936e8a'); // EIP-55 checksummed
      const letter = address.slice(2).search(/[a-fA-F]/) + 2;
      const flip = (c: string) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase());
      const badChecksum = address.slice(0, letter) + flip(address[letter]!) + address.slice(letter + 1);
      const cases = [
        'did:ethr:dev:0x1234',
        `did:ethr:dev:${address.slice(2)}`,
        `did:ethr:dev:${address}00`,
        'did:ethr:dev:0x' + 'g'.repeat(40),
        'did:ethr::' + address,
        // mixed case must be a valid EIP-55 checksum
        `did:ethr:dev:${badChecksum}`,
        // 33 bytes that are not a point on secp256k1
        `did:ethr:dev:0x02${'ff'.repeat(32)}`,
        `did:ethr:dev:0x05${'11'.repeat(32)}`,
      ];
      for (const did of cases) {
        const result = await resolver.resolve(did);
        expect(codeOf(result), did).toBe('INVALID_DID');
      }
    });

    it('answers METHOD_NOT_SUPPORTED naming a network that is not configured', async () => {
      const result = await resolver.resolve(`did:ethr:sepolia:${ethers.Wallet.createRandom().address}`);
      expect(codeOf(result)).toBe('METHOD_NOT_SUPPORTED');
      expect(detailOf(result)).toContain('"sepolia"');
      expect(detailOf(result)).toContain('dev');
      expect(result.didResolutionMetadata.error?.network).toBe('sepolia');
    });

    it('loads without networks and names the missing network (mainnet for a DID without one)', async () => {
      const bare = new Resolver({ adapters: [createEthrAdapter()], cache: false });
      try {
        const result = await bare.resolve(`did:ethr:${ethers.Wallet.createRandom().address}`);
        expect(codeOf(result)).toBe('METHOD_NOT_SUPPORTED');
        expect(detailOf(result)).toContain('"mainnet"');
        expect(detailOf(result)).toContain('no did:ethr networks are configured');
      } finally {
        await bare.close();
      }
    });

    it('answers INTERNAL_ERROR quickly when nothing listens at the RPC endpoint', async () => {
      const port = await closedLoopbackPort();
      const rpcUrl = `http://127.0.0.1:${port}`;
      // With a chain id the network is static; without one, ethers first probes eth_chainId.
      const dead = new Resolver({
        adapters: [
          createEthrAdapter({ networks: [{ name: 'dead', chainId: 1337, rpcUrl }, { name: 'unprobed', rpcUrl }] }),
        ],
        cache: false,
      });
      try {
        for (const network of ['dead', 'unprobed']) {
          const started = performance.now();
          const result = await dead.resolve(`did:ethr:${network}:${ethers.Wallet.createRandom().address}`);
          expect(codeOf(result), network).toBe('INTERNAL_ERROR');
          expect(detailOf(result)).toContain(`"${network}"`);
          expect(detailOf(result)).toContain('ECONNREFUSED');
          expect(performance.now() - started).toBeLessThan(2000);
        }
      } finally {
        await dead.close();
      }
    });

    it('stops when the caller aborts, well before timeoutMs', async () => {
      const hole = net.createServer(() => undefined);
      await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
      const { port } = hole.address() as net.AddressInfo;
      const adapter = createEthrAdapter({
        networks: [{ name: 'hole', chainId: 1, rpcUrl: `http://127.0.0.1:${port}` }],
        timeoutMs: 1000,
      });
      const client = createHttpClient();
      try {
        const did = parseDid(`did:ethr:hole:${ethers.Wallet.createRandom().address}`);
        const started = performance.now();
        const outcome = await adapter
          .resolve(did, {}, { http: client, signal: AbortSignal.timeout(150), now: () => new Date() })
          .then(() => undefined, (err: unknown) => err);
        expect(outcome).toBeInstanceOf(DidBridgeError);
        expect((outcome as DidBridgeError).code).toBe('INTERNAL_ERROR');
        expect((outcome as DidBridgeError).message).toMatch(/aborted/);
        expect(performance.now() - started).toBeLessThan(700);
      } finally {
        // The HttpClient takes no signal, so the abandoned request runs to its own timeout (what was left of the
        // 1 s deadline) before the pool closes.
        await client.close();
        hole.close();
      }
    });

    it('answers INTERNAL_ERROR at timeoutMs when the endpoint accepts but never answers, and hangs up', async () => {
      const sockets: net.Socket[] = [];
      const closedAt: number[] = [];
      const hole = net.createServer((socket) => {
        sockets.push(socket);
        socket.on('close', () => closedAt.push(performance.now()));
      });
      await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
      const { port } = hole.address() as net.AddressInfo;
      const slow = new Resolver({
        adapters: [
          createEthrAdapter({ networks: [{ name: 'slow', chainId: 1337, rpcUrl: `http://127.0.0.1:${port}` }], timeoutMs: 300 }),
        ],
        cache: false,
      });
      try {
        const started = performance.now();
        const result = await slow.resolve(`did:ethr:slow:${ethers.Wallet.createRandom().address}`);
        const elapsed = performance.now() - started;
        expect(codeOf(result)).toBe('INTERNAL_ERROR');
        expect(elapsed).toBeGreaterThanOrEqual(250);
        expect(elapsed).toBeLessThan(1500);
        // The request itself was abandoned, not left open on the node.
        await expect.poll(() => closedAt.length, { timeout: 2000 }).toBe(sockets.length);
        expect(sockets.length).toBeGreaterThan(0);
      } finally {
        await slow.close();
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => hole.close(() => resolve()));
      }
    });

    it('answers INTERNAL_ERROR for an HTTP error from the endpoint without revealing the RPC URL', async () => {
      const secret = 'k3y-7f1d0e9c';
      const failing = http.createServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream broke');
      });
      await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
      const { port } = failing.address() as net.AddressInfo;
      const broken = new Resolver({
        adapters: [createEthrAdapter({ networks: [{ name: 'broken', chainId: 1337, rpcUrl: `http://127.0.0.1:${port}/v3/${secret}` }] })],
        cache: false,
      });
      try {
        const result = await broken.resolve(`did:ethr:broken:${ethers.Wallet.createRandom().address}`);
        expect(codeOf(result)).toBe('INTERNAL_ERROR');
        expect(detailOf(result)).toContain('500');
        expect(JSON.stringify(result)).not.toContain(secret);
      } finally {
        await broken.close();
        await new Promise<void>((resolve) => failing.close(() => resolve()));
      }
    });

    it('answers INTERNAL_ERROR, not NOT_FOUND, when no registry contract is at the configured address', async () => {
      const nowhere = new Resolver({
        adapters: [
          createEthrAdapter({
            networks: [{ name: 'dev', chainId: chain.chainId, rpcUrl: chain.rpcUrl, registry: ethers.Wallet.createRandom().address }],
          }),
        ],
        cache: false,
      });
      try {
        const result = await nowhere.resolve(didOf(chain.accounts[9]!));
        expect(codeOf(result)).toBe('INTERNAL_ERROR');
        expect(detailOf(result)).toContain('registry could not be read');
      } finally {
        await nowhere.close();
      }
    });
  });
});

describe('did:ethr adapter configuration', () => {
  it('throws TypeError naming the parameter on misuse', () => {
    expect(() => createEthrAdapter({ networks: 'dev' as never })).toThrow(/"networks"/);
    expect(() => createEthrAdapter({ networks: [{ name: 'dev', rpcUrl: 'ftp://x' }] })).toThrow(/"networks\[0\]\.rpcUrl"/);
    expect(() => createEthrAdapter({ networks: [{ rpcUrl: 'http://127.0.0.1:1' }] })).toThrow(/"networks\[0\]" needs a "name" or a "chainId"/);
    expect(() => createEthrAdapter({ networks: [{ name: 'dev', chainId: -1, rpcUrl: 'http://127.0.0.1:1' }] })).toThrow(
      /"networks\[0\]\.chainId"/,
    );
    expect(() => createEthrAdapter({ networks: [{ name: 'dev', rpcUrl: 'http://127.0.0.1:1', registry: '0x12' }] })).toThrow(
      /"networks\[0\]\.registry"/,
    );
    expect(() => createEthrAdapter({ timeoutMs: 0 })).toThrow(/"timeoutMs"/);
    expect(() => createEthrAdapter({ testIdentifiers: ['did:web:example.com'] })).toThrow(/"testIdentifiers"/);
    expect(() =>
      createEthrAdapter({
        networks: [
          { name: 'a', chainId: 5, rpcUrl: 'http://127.0.0.1:1' },
          { name: 'b', chainId: '0x5', rpcUrl: 'http://127.0.0.1:2' },
        ],
      }),
    ).toThrow(/"0x5"/);
  });

  it('serves one test identifier per configured network and declares its capabilities', () => {
    const adapter = createEthrAdapter({
      networks: [
        { name: 'sepolia', rpcUrl: 'http://127.0.0.1:1' },
        { chainId: 1337, rpcUrl: 'http://127.0.0.1:2' },
      ],
    });
    expect(adapter.testIdentifiers()).toEqual([
      'did:ethr:sepolia:0xb9c5714089478a327f09197987f16f9e5d936e8a',
      'did:ethr:0x539:0xb9c5714089478a327f09197987f16f9e5d936e8a',
    ]);
    for (const did of adapter.testIdentifiers()) expect(adapter.identifierPattern.test(did)).toBe(true);
    expect(adapter.capabilities).toMatchObject({ versionId: true, versionTime: true });
    expect(adapter.traits).toMatchObject({ updatable: true, deactivatable: true, historyAvailable: true });
  });
});
