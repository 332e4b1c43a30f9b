/**
 * README.zh-CN.md stays in step with README.md and the code: the same set-up commands, the same CLI usage lines, every
 * supported method, the driver's endpoints, and only environment variables that exist (the full table is in the
 * English README, generated from src/config.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentVariables } from '../../src/config.js';

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');
const zh = read('README.zh-CN.md');
const en = read('README.md');

/** The lines of the first fenced block after a heading. */
function block(readme: string, heading: string): string[] {
  const at = readme.indexOf(`\n## ${heading}\n`);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const start = readme.indexOf('```sh\n', at) + '```sh\n'.length;
  return readme.slice(start, readme.indexOf('```', start)).trim().split('\n');
}

describe('README.zh-CN.md', () => {
  it('gives the same set-up commands', () => {
    for (const command of ['npm ci && npm start', 'npm ci && npm test', 'http://localhost:8080']) {
      expect(en).toContain(command);
      expect(zh).toContain(command);
    }
  });

  it('shows every CLI usage line of the English README', () => {
    const cli = block(en, 'CLI');
    expect(cli.length).toBeGreaterThan(5);
    expect(block(zh, '命令行')).toEqual(cli);
  });

  it('lists every supported method and every driver endpoint of the English README', () => {
    for (const m of en.matchAll(/^\| `(did:[a-z]+)` \|/gm)) expect(zh).toContain(`| \`${m[1]}\` |`);
    // Placeholders are translated (`{did or DID URL}` → `{DID 或 DID URL}`): compare the paths around them.
    const endpoint = (text: string) => text.replace(/\{[^}]*\}/g, '{}');
    const zhEndpoints = [...zh.matchAll(/^\| `((?:GET|POST) [^`]+)`/gm)].map((m) => endpoint(m[1]!));
    const enEndpoints = [...en.matchAll(/^\| `((?:GET|POST) [^`]+)`/gm)].map((m) => endpoint(m[1]!));
    expect(enEndpoints.length).toBeGreaterThan(5);
    for (const e of enEndpoints) expect(zhEndpoints, e).toContain(e);
  });

  it('names only environment variables that exist, and points to the English configuration table', () => {
    const known = new Set(environmentVariables().map((v) => v.env));
    const named = [...zh.matchAll(/`((?:DIDBRIDGE_|PORT\b|HOST\b)[A-Z0-9_]*)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    for (const env of named) {
      const option = /^DIDBRIDGE_ADAPTER_[A-Z0-9]+__[A-Z0-9_]+$/.test(env) ? 'DIDBRIDGE_ADAPTER_<ID>__<OPTION>' : env;
      expect(known.has(option) || env === 'DIDBRIDGE_ADAPTER_<ID>__<OPTION>', env).toBe(true);
    }
    expect(zh).toContain('(README.md#configuration)');
    expect(en).toContain('\n## Configuration\n');
  });
});
