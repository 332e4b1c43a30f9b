/**
 * deploy/Dockerfile, checked by reading its instructions (no Docker engine runs here): multi-stage, the runtime stage
 * built from production dependencies only, a non-root user, HOST=0.0.0.0, the sandbox off, a HEALTHCHECK on
 * /health/live through node (no curl in the slim image), the CLI's `serve` as the command, and every path it copies
 * from the build context present in the repository and not excluded by its .dockerignore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const root = new URL('../../', import.meta.url);
const text = readFileSync(new URL('deploy/Dockerfile', root), 'utf8');
const ignore = readFileSync(new URL('deploy/Dockerfile.dockerignore', root), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

interface Instruction {
  op: string;
  args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(source: string): Instruction[] {
  const joined = source.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^([A-Z]+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`not an instruction: ${l}`);
      return { op: m[1]!, args: m[2]! };
    });
}

const all = instructions(text);
/** Instructions per stage name. */
const stages = new Map<string, Instruction[]>();
{
  let current: Instruction[] | undefined;
  for (const i of all) {
    if (i.op === 'FROM') {
      const m = /\bAS\s+(\S+)$/i.exec(i.args);
      current = [];
      stages.set(m ? m[1]! : `stage${stages.size}`, current);
    }
    current?.push(i);
  }
}

/**
 * Whether a context path is excluded: the pattern forms used here (`name`, `dir`, `*.ext` from the context root,
 * `**\/name` at any depth); a match on a directory excludes what is below it.
 */
function ignored(path: string): boolean {
  return ignore.some((pattern) => {
    const anyDepth = pattern.startsWith('**/');
    const body = (anyDepth ? pattern.slice(3) : pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
    return new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${body}(?:/.*)?$`).test(path);
  });
}

describe('deploy/Dockerfile', () => {
  it('has a build stage, a production dependencies stage and a runtime stage, in that order, the runtime last', () => {
    expect([...stages.keys()]).toEqual(['build', 'deps', 'runtime']);
    const froms = all.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(froms[2]).toMatch(/NODE_RUNTIME_IMAGE/);
    const defaults = Object.fromEntries(
      all.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]),
    );
    // Node 20 (package.json engines), and a slim runtime on the same Debian release as the build stages.
    expect(defaults.NODE_IMAGE).toBe('node:20-bookworm');
    expect(defaults.NODE_RUNTIME_IMAGE).toBe('node:20-bookworm-slim');
  });

  it('builds with dev dependencies, runs with production dependencies only', () => {
    const build = stages.get('build')!;
    expect(build.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args) && !/--omit=dev/.test(i.args))).toBe(true);
    expect(build.some((i) => i.op === 'RUN' && /npm run build/.test(i.args))).toBe(true);
    const deps = stages.get('deps')!;
    expect(deps.some((i) => i.op === 'RUN' && /\bnpm ci --omit=dev\b/.test(i.args))).toBe(true);
    const runtime = stages.get('runtime')!;
    expect(runtime.some((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args))).toBe(false);
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps --chown=root:root /app/node_modules ./node_modules');
    expect(copies.some((c) => c.startsWith('--from=build') && c.includes('/app/node_modules'))).toBe(false);
  });

  it('runs as a non-root user with HOST=0.0.0.0 and the sandbox off', () => {
    const runtime = stages.get('runtime')!;
    const user = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user).toEqual(['node']);
    const env = runtime.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    const vars = Object.fromEntries([...env.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    expect(vars).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', NODE_ENV: 'production', DIDBRIDGE_SANDBOX: 'off' });
    // Whatever the image sets is a valid configuration.
    const config = loadConfig({ env: vars });
    expect(config.host).toBe('0.0.0.0');
    expect(config.sandbox.mode).toBe('off');
    const expose = runtime.find((i) => i.op === 'EXPOSE');
    expect(expose?.args).toBe(String(config.port));
  });

  it('checks health with node on /health/live, without curl or wget', () => {
    const health = stages.get('runtime')!.find((i) => i.op === 'HEALTHCHECK')!;
    expect(health.args).toMatch(/CMD \["node", "-e", /);
    expect(health.args).toContain('/health/live');
    expect(health.args).not.toMatch(/\b(curl|wget)\b/);
    // The check itself is valid JavaScript.
    const script = JSON.parse(health.args.slice(health.args.indexOf('['))) as string[];
    expect(() => new Function(script[2]!)).not.toThrow();
    for (const i of all) expect(i.args, i.op).not.toMatch(/\b(curl|wget)\b/);
  });

  it('starts `didbridge serve` from the compiled CLI', () => {
    const runtime = stages.get('runtime')!;
    expect(runtime.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["node", "dist/src/cli/main.js"]');
    expect(runtime.find((i) => i.op === 'CMD')?.args).toBe('["serve"]');
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.didbridge).toBe('dist/src/cli/main.js');
  });

  it('copies only paths that exist in the repository and are not excluded from the build context', () => {
    for (const i of all.filter((x) => x.op === 'COPY' && !x.args.includes('--from='))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect(existsSync(new URL(source, root)), source).toBe(true);
        expect(ignored(source), `${source} is excluded by Dockerfile.dockerignore`).toBe(false);
      }
    }
    // What must stay out of the context.
    for (const path of ['node_modules', 'dist', 'test/http/driver.test.ts', '.git', 'adapters/bid/node_modules/x', 'x.tmp.ts']) {
      expect(ignored(path), path).toBe(true);
    }
  });
});
