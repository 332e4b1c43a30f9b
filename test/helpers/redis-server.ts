/**
 * A real `redis-server` for tests, on loopback and a free port, with no persistence (`--save '' --appendonly no`).
 * Tests kill it to prove that the driver degrades, pause it (SIGSTOP) to prove that a hung Redis costs no more than a
 * command timeout, and restart it on the same port to prove recovery.
 *
 * `scripts/setup-test-env.sh` installs the Debian package when it is missing; it does not start by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Whether the server process is running (and not paused). */
  readonly running: boolean;
  /** Kills the server at once (SIGKILL): connections drop, nothing is flushed. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
  /** Stops it answering without closing connections (SIGSTOP), as a hung or swapping server would. */
  pause(): void;
  /** Undoes `pause`. */
  resume(): void;
  /** Sends one command over a fresh connection and returns the raw reply (e.g. `['DBSIZE']` → `:3\r\n`). */
  command(args: string[]): Promise<string>;
  /** Stops the server and removes its working directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Sends a RESP command and resolves with the first complete reply line(s). */
function sendCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis on ${port} did not answer ${args[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // Simple replies (+OK, :3, -ERR) end with the first CRLF; bulk replies ($n) with the data's CRLF.
      const bulk = /^\$(-?\d+)\r\n/.exec(reply);
      const complete = bulk ? Number(bulk[1]) < 0 || reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.includes('\r\n');
      if (complete) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function waitUntilAnswering(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} while starting`);
    try {
      if ((await sendCommand(port, ['PING'], 500)).startsWith('+PONG')) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `redis-server` on 127.0.0.1 and a free port.
 * @throws when `redis-server` is not installed (run `bash scripts/setup-test-env.sh` as root).
 */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'didbridge-redis-'));
  let child: ChildProcess;
  let paused = false;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
      { stdio: 'ignore' },
    );
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) =>
        reject(new Error(`cannot start redis-server (${err.message}); run \`bash scripts/setup-test-env.sh\` as root`)),
      );
    });
    await spawned;
    await waitUntilAnswering(port, child);
  };
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
    });
  await launch();
  const handle: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child.exitCode === null && child.signalCode === null && !paused;
    },
    async kill() {
      if (paused) handle.resume();
      child.kill('SIGKILL');
      await exited();
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) await handle.kill();
      await launch();
    },
    pause() {
      paused = true;
      child.kill('SIGSTOP');
    },
    resume() {
      paused = false;
      child.kill('SIGCONT');
    },
    command: (args) => sendCommand(port, args),
    async stop() {
      if (paused) handle.resume();
      child.kill('SIGTERM');
      await exited();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
