/**
 * The CLI as a user runs it, for the CLI tests: a separate process (`node --import tsx src/cli/main.ts`, what `npx
 * tsx` runs, minus the npm wrapper so signals reach it), with its stdout, stderr and exit code. Each spawn compiles
 * the tree through tsx: seconds on a busy 2-core machine, so callers give these tests a generous timeout.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run: the current one with only the did:key adapter (no sandbox, no network), and without
 * settings of this shell that would change what the CLI does (a config file, PORT, HOST, an error profile).
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DIDBRIDGE_ADAPTERS: 'key' };
  for (const name of ['DIDBRIDGE_CONFIG', 'PORT', 'HOST', 'DIDBRIDGE_ERROR_PROFILE']) delete env[name];
  return { ...env, ...extra };
}

/** Starts the CLI with piped stdio. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the CLI to its end, with `stdin` (empty by default) as its standard input. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options.env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
