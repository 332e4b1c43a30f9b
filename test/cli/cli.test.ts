/**
 * The CLI as a user runs it: a separate process (`node --import tsx src/cli/main.ts`, what `npx tsx` runs, minus
 * the npm wrapper so signals reach it), its stdout, stderr and exit codes. Kept few: each spawn costs about a
 * second on two cores.
 */
import { describe, expect, it } from 'vitest';
import { KEY_TEST_IDENTIFIERS } from '../../adapters/key/index.js';
import { cliEnv, runCli, spawnCli, type CliRun } from '../helpers/cli.js';
import { request } from '../http/request.js';

const DID = KEY_TEST_IDENTIFIERS[0]!;

function run(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return runCli(args, { env });
}

// Each test spawns the CLI through tsx, which compiles the whole tree on start: seconds per spawn on a busy 2-core
// machine, so these tests get a generous timeout (they still fail on a hang).
describe('didbridge CLI', { timeout: 120_000 }, () => {
  it('methods --json prints the methods as a JSON array (exit 0)', async () => {
    const r = await run(['methods', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['key']);
  });

  it('resolve prints the whole result as JSON when piped (exit 0), and the bare document with --accept', async () => {
    const r = await run(['resolve', DID]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.didDocument.id).toBe(DID);
    expect(result.didResolutionMetadata.contentType).toBe('application/did');
    const bare = await run(['resolve', DID, '--accept', 'application/did+json', '--json']);
    expect(bare.code).toBe(0);
    const doc = JSON.parse(bare.stdout);
    expect(doc.id).toBe(DID);
    expect(doc).not.toHaveProperty('@context');
  });

  it('a resolution error exits 1 and prints the error name; --profile picks the error type form', async () => {
    const r = await run(['resolve', 'did:key:nope', '--profile', 'uniresolver', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: INVALID_DID: /);
    expect(JSON.parse(r.stdout).didResolutionMetadata.error.type).toBe('INVALID_DID');
    const unsupported = await run(['resolve', 'did:nope:123', '--json']);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain('METHOD_NOT_SUPPORTED');
    expect(JSON.parse(unsupported.stdout).didResolutionMetadata.error.type).toBe('https://www.w3.org/ns/did#METHOD_NOT_SUPPORTED');
  });

  it('usage errors exit 2: missing argument, unknown option, bad choice, invalid configuration', async () => {
    const runs = await Promise.all([
      run(['resolve']),
      run(['methods', '--bogus']),
      run(['resolve', DID, '--profile', 'loud']),
      run(['methods'], cliEnv({ DIDBRIDGE_ADAPTERS: 'key,nosuch' })),
      run(['methods'], cliEnv({ DIDBRIDGE_CACHE_MAX_ENTRIES: 'many' })),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(2);
    expect(runs[0]!.stderr).toContain('Not enough non-option arguments');
    expect(runs[1]!.stderr).toContain('bogus');
    expect(runs[3]!.stderr).toContain('unknown adapter "nosuch"');
    expect(runs[4]!.stderr).toContain('DIDBRIDGE_CACHE_MAX_ENTRIES');
  });

  it('serve answers on the port given, logs JSON lines, and exits 0 on SIGTERM', async () => {
    const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1']);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening" line: ${stdout}`)), 90_000);
        child.stdout.on('data', () => {
          const line = stdout.split('\n').find((l) => l.includes('"listening"'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line).port as number);
          }
        });
      });
      const r = await request(`http://127.0.0.1:${port}`, `/1.0/identifiers/${DID}`, { headers: { 'x-request-id': 'cli-serve' } });
      expect(r.status).toBe(200);
      expect(r.json().didDocument.id).toBe(DID);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.find((l) => l.requestId === 'cli-serve')).toMatchObject({ msg: 'request', status: 200 });
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'shutting down', 'stopped']));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
