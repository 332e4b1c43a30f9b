/**
 * `versionTime` for did:ethr: the document as of a moment is the document as of the last block mined at or before
 * that moment. ethr-did-resolver only understands block numbers (`?versionId=<block>`), so the block is found here
 * by binary search over block timestamps, which consensus keeps non-decreasing.
 *
 * Cost: about log2(head) `eth_getBlockByNumber` calls (≈ 25 on Ethereum mainnet), all under the resolution deadline.
 *
 * @see https://www.w3.org/TR/did-core/#did-parameters (versionTime)
 */
import { NotFoundError, UpstreamError } from '../../src/errors.js';
import type { EthersProvider } from './rpc.js';

async function blockTime(provider: EthersProvider, height: number): Promise<number> {
  const block = await provider.getBlock(height);
  if (!block) throw new UpstreamError(`the JSON-RPC endpoint has no block ${height} although its head is past it`);
  return block.timestamp;
}

/**
 * Returns the number of the last block whose timestamp is at or before `atSeconds` (Unix seconds).
 * Throws NOT_FOUND when the chain's first block is later than that: no version of any document existed then.
 */
export async function lastBlockAtOrBefore(provider: EthersProvider, atSeconds: number): Promise<number> {
  const head = await provider.getBlockNumber();
  if ((await blockTime(provider, head)) <= atSeconds) return head;
  if ((await blockTime(provider, 0)) > atSeconds) {
    throw new NotFoundError(`no block of this network was mined at or before ${new Date(atSeconds * 1000).toISOString()}`);
  }
  // Invariant: time(low) <= atSeconds < time(high).
  let low = 0;
  let high = head;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if ((await blockTime(provider, middle)) <= atSeconds) low = middle;
    else high = middle;
  }
  return low;
}
