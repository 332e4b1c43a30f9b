/**
 * JSON-RPC plumbing for the did:ethr adapter: one ethers provider per resolution, whose HTTP goes through the core's
 * HttpClient (timeouts, response size limit, connection pools closed with the resolver).
 *
 * Why not hand ethr-did-resolver an `rpcUrl` and let it build its provider: that provider uses ethers' own HTTP with a
 * fixed 5-minute timeout and, on timeout, never destroys the socket; a hung node would pile up open requests long
 * after our deadline gave up on them. Here every request is bounded by what is left of the resolution's deadline.
 *
 * Why ethers is loaded with `require` from ethr-did-resolver's location: ethr-did-resolver is CommonJS and uses the
 * CommonJS build of ethers, while an `import` from this ESM project gets the ESM build, a second copy with distinct
 * classes (dependencies.md §2, the dual-package hazard). Building the provider from the very module instance the
 * library uses removes the hazard at run time; one cast at the `getResolver` boundary removes it at type level.
 */
import { createRequire } from 'node:module';
import type { HttpClient } from '../../src/adapter.js';
import { DidBridgeError, UpstreamError, toDidBridgeError } from '../../src/errors.js';
import type { EthrNetwork } from './config.js';

type Ethers = typeof import('ethers');

/** The ethers module instance ethr-did-resolver itself loads. */
export const ethers: Ethers = (() => {
  const fromHere = createRequire(import.meta.url);
  const fromLibrary = createRequire(fromHere.resolve('ethr-did-resolver'));
  return fromLibrary('ethers') as Ethers;
})();

export type EthersProvider = InstanceType<Ethers['JsonRpcProvider']>;

/** One resolution's connection to one network. */
export interface RpcSession {
  provider: EthersProvider;
  /** The first transport failure (timeout, refused connection, HTTP error, oversize answer), if any. */
  transportError(): DidBridgeError | undefined;
  /** Cancels whatever is still in flight and releases the provider. */
  close(): void;
}

export interface RpcSessionOptions {
  network: EthrNetwork;
  http: HttpClient;
  /** Epoch ms after which no request may still be running. */
  deadline: number;
  maxResponseBytes: number;
}

/**
 * Opens a session: a JsonRpcProvider whose fetches run through `http` with the remaining deadline as timeout.
 * With a known chain id the network is static, so no `eth_chainId` round trip is made.
 */
export function openRpcSession(options: RpcSessionOptions): RpcSession {
  const { network, http, deadline, maxResponseBytes } = options;
  let failure: DidBridgeError | undefined;
  const fail = (err: DidBridgeError): never => {
    failure ??= err;
    throw err;
  };
  const request = new ethers.FetchRequest(network.rpcUrl);
  request.timeout = Math.max(1, deadline - Date.now());
  request.getUrlFunc = async (req) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      fail(new UpstreamError(`did:ethr network "${network.label}": the resolution deadline passed`, {
        extensions: { reason: 'timeout' },
      }));
    }
    let res;
    try {
      res = await http.request(req.url, {
        method: 'POST',
        headers: { ...req.headers, 'content-type': 'application/json', accept: 'application/json' },
        body: req.body ? Buffer.from(req.body).toString('utf8') : '',
        timeoutMs: remaining,
        maxBytes: maxResponseBytes,
      });
    } catch (err) {
      const e = toDidBridgeError(err);
      // Name the network, never the URL: RPC URLs often carry an API key in their path.
      return fail(
        new DidBridgeError(e.code, `did:ethr network "${network.label}": ${e.message}`, {
          cause: err,
          extensions: e.extensions,
        }),
      );
    }
    if (res.status < 200 || res.status >= 300) {
      fail(new UpstreamError(`did:ethr network "${network.label}": the JSON-RPC endpoint answered HTTP ${res.status}`, {
        extensions: { reason: 'status', status: res.status },
      }));
    }
    return { statusCode: res.status, statusMessage: '', headers: res.headers, body: res.body };
  };
  const provider =
    network.chainId === undefined
      ? new ethers.JsonRpcProvider(request, undefined, { batchMaxCount: 1 })
      : new ethers.JsonRpcProvider(request, network.chainId, { staticNetwork: true, batchMaxCount: 1 });
  return {
    provider,
    transportError: () => failure,
    close: () => provider.destroy(),
  };
}
