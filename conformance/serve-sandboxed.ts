/**
 * didbridge's own driver on loopback, backed by the sandbox emulators, for running the conformance suite against a
 * live driver in CI: the same `createDriver` as `didbridge serve`, over the sandboxed deployment of
 * `targets/sandboxed.ts` (each domestic adapter pointed at its emulator, test identifiers the sandbox's DIDs).
 *
 *   npx tsx conformance/serve-sandboxed.ts [--port 0] [--host 127.0.0.1] [--offline] [--ready FILE] [--cases FILE]
 *
 * Writes the driver's URL to `--ready` once it listens (and prints it), and the DIDs whose outcome the sandbox knows
 * (deactivated, unregistered) to `--cases`, in the format `didbridge conformance --cases` reads. Runs until SIGTERM
 * or SIGINT. Adapter options come from the environment, as for `didbridge serve`.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ADAPTER_FACTORIES, SANDBOX_EMULATORS } from '../adapters/index.js';
import { loadConfig } from '../src/config.js';
import { createDriver } from '../src/http/server.js';
import { startSandboxedDeployment } from './targets/sandboxed.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      offline: { type: 'boolean', default: false },
      ready: { type: 'string' },
      cases: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer from 0 to 65535\n');
    return 2;
  }
  const config = loadConfig({ env: process.env });
  const deployment = await startSandboxedDeployment({
    factories: ADAPTER_FACTORIES,
    emulators: SANDBOX_EMULATORS,
    adapterConfig: config.adapters,
    ...(config.enabledAdapters ? { enabled: config.enabledAdapters } : {}),
    offline: values.offline,
  });
  for (const s of deployment.skipped) process.stderr.write(`serve-sandboxed: leaves out adapter "${s.adapter}": ${s.reason}\n`);
  // The driver closes the resolver when it closes.
  const driver = createDriver({ resolver: deployment.resolver, config });
  const address = await driver.listen(port, values.host);
  const url = `http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${address.port}`;
  if (values.cases) {
    const cases: Record<string, { deactivated: string[]; notFound: string[] }> = {};
    for (const [method, known] of deployment.known) {
      cases[method] = { deactivated: [...(known.deactivated ?? [])], notFound: [...(known.notFound ?? [])] };
    }
    await writeFile(values.cases, `${JSON.stringify(cases, null, 2)}\n`, 'utf8');
  }
  if (values.ready) await writeFile(values.ready, `${url}\n`, 'utf8');
  process.stdout.write(`driver ${url} (methods: ${deployment.resolver.methods().join(', ')})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await driver.close();
  await deployment.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`serve-sandboxed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
