/**
 * Servers for the driver benchmark, one per child process so that the load generator never shares their event
 * loop. Started by `bench/driver.ts` as `node bench/driver-servers.mjs <kind> [args]` with an IPC channel.
 *
 * Plain JavaScript on plain `node`, and the didbridge driver imported from the compiled `dist/` (as `npm start` runs
 * it; `bench/driver.ts` builds it first): no TypeScript loader sits in any server's process, so the three shapes
 * run the way they would be deployed and none pays for on-the-fly transpilation.
 *
 * Each server each sends `{ ready: port }` once listening (stdout stays free for logs, which go to /dev/null), and exits
 * on SIGTERM.
 *
 * Kinds:
 * - `didbridge`: the driver as `didbridge serve` builds it, configured from the environment (the benchmark sets
 *   DIDBRIDGE_ADAPTERS=key, and DIDBRIDGE_CACHE_ENABLED=false for the uncached run), from this checkout's `dist/` or
 *   from the build named by DIDBRIDGE_BENCH_DIST (`bench/driver.ts --compare-dist`);
 * - `bare <bodyFile> <contentType>`: node:http answering every request with the given bytes (the ceiling);
 * - `did-resolver`: the common JS driver shape, did-resolver + key-did-resolver behind a minimal node:http handler.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Resolver as DidResolver } from 'did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';

const PREFIX = '/1.0/identifiers/';

async function main() {
  const [kind, ...args] = process.argv.slice(2);
  /** @type {http.Server} */
  let server;
  /** @type {() => Promise<void>} */
  let close;
  if (kind === 'didbridge') {
    // DIDBRIDGE_BENCH_DIST: another build's dist/ (bench/driver.ts --compare-dist), else this checkout's.
    const dist = process.env.DIDBRIDGE_BENCH_DIST ? pathToFileURL(process.env.DIDBRIDGE_BENCH_DIST).href : new URL('../dist', import.meta.url).href;
    const { createResolverFromConfig } = await import(`${dist}/src/cli/runtime.js`);
    const { loadConfig } = await import(`${dist}/src/config.js`);
    const { createDriver } = await import(`${dist}/src/http/server.js`);
    const { createLogger } = await import(`${dist}/src/log.js`);
    const config = loadConfig({ env: process.env });
    // Logs go to stdout as in production (JSON lines at the configured level); the benchmark discards them.
    const logger = createLogger({ level: config.logLevel });
    const resolver = createResolverFromConfig(config);
    const driver = createDriver({ resolver, config, logger });
    server = driver.server;
    close = () => driver.close();
  } else if (kind === 'bare') {
    const [bodyFile, contentType] = args;
    if (!bodyFile || !contentType) throw new TypeError('usage: bare <bodyFile> <contentType>');
    const body = readFileSync(bodyFile);
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
      res.end(body);
    });
    close = () => new Promise((resolve) => server.close(() => resolve(undefined)));
  } else if (kind === 'did-resolver') {
    const resolver = new DidResolver(getKeyResolver());
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      const did = url.startsWith(PREFIX) ? decodeURIComponent(url.slice(PREFIX.length)) : '';
      resolver.resolve(did).then(
        (result) => {
          const error = result.didResolutionMetadata.error;
          const body = JSON.stringify(result);
          const status = !error ? 200 : error === 'notFound' ? 404 : error === 'invalidDid' ? 400 : 500;
          res.writeHead(status, { 'content-type': 'application/did-resolution', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    close = () => new Promise((resolve) => server.close(() => resolve(undefined)));
  } else {
    throw new TypeError(`unknown server kind ${JSON.stringify(kind)}; use didbridge, bare or did-resolver`);
  }
  if (!server.listening) await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  if (process.send) {
    // The benchmark asks for CPU time around each measurement: CPU per request is steadier than req/s on a shared
    // machine.
    process.on('message', (m) => {
      if (m?.cpu) process.send?.({ cpu: process.cpuUsage() });
    });
    process.send({ ready: port });
  }
  else process.stderr.write(`listening on 127.0.0.1:${port}\n`);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
