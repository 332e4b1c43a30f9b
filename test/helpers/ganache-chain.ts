/**
 * A real local EVM chain for did:ethr tests: ganache 7.9.2 as an HTTP JSON-RPC server on 127.0.0.1 (port chosen by
 * the OS), with the ERC-1056 `EthereumDIDRegistry` deployed from the ABI and bytecode ethr-did-resolver ships.
 *
 * Tests drive the registry with ethers 6 over the same HTTP endpoint the adapter reads, so the adapter sees exactly
 * the wire format of a real node.
 */
import ganache from 'ganache';
import { ethers } from 'ethers';
import { EthereumDIDRegistry } from 'ethr-did-resolver';

export interface GanacheChain {
  /** `http://127.0.0.1:<port>` */
  rpcUrl: string;
  /** Address of the deployed EthereumDIDRegistry. */
  registry: string;
  /** The ten deterministic, unlocked ganache accounts (checksummed). */
  accounts: string[];
  chainId: number;
  /** An ethers provider on `rpcUrl`, for the test's own transactions and reads. */
  provider: ethers.JsonRpcProvider;
  /** The registry contract with `account` as the sender of transactions. */
  registryAs(account: string): Promise<ethers.Contract>;
  /** A raw JSON-RPC call (e.g. `evm_increaseTime`). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function startGanacheChain(options: { chainId?: number } = {}): Promise<GanacheChain> {
  const chainId = options.chainId ?? 1337;
  const server = ganache.server({
    logging: { quiet: true },
    wallet: { deterministic: true },
    chain: { chainId },
  });
  await server.listen(0, '127.0.0.1');
  const rpcUrl = `http://127.0.0.1:${server.address().port}`;
  // A static network avoids an eth_chainId probe; fast polling keeps `tx.wait()` from idling on the 4 s default.
  const provider = new ethers.JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 50 });
  try {
    const accounts = ((await provider.send('eth_accounts', [])) as string[]).map((a) => ethers.getAddress(a));
    const deployer = await provider.getSigner(accounts[0]);
    // ethr-did-resolver's d.ts files see the CommonJS ethers types; the artifact is plain JSON either way.
    const factory = new ethers.ContractFactory(EthereumDIDRegistry.abi as any, EthereumDIDRegistry.bytecode, deployer);
    const contract = await factory.deploy();
    await contract.waitForDeployment();
    const registry = await contract.getAddress();
    return {
      rpcUrl,
      registry,
      accounts,
      chainId,
      provider,
      async registryAs(account) {
        const signer = await provider.getSigner(account);
        return new ethers.Contract(registry, EthereumDIDRegistry.abi as any, signer);
      },
      rpc: (method, params = []) => provider.send(method, params),
      async close() {
        provider.destroy();
        await server.close();
      },
    };
  } catch (err) {
    provider.destroy();
    await server.close();
    throw err;
  }
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedLoopbackPort(): Promise<number> {
  const net = await import('node:net');
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
