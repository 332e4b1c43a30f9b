/** conformance/main.ts as CI calls it: exit codes, report files (explicit paths) and the baseline flag. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../conformance/run.js';
import { parseXml } from './helpers/xml.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'conformance/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'didbridge-conformance-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('conformance CLI', () => {
  it('exits 0 on the conformant fixtures and writes the three reports', async () => {
    const out = (name: string) => join(dir, name);
    const res = cli('--fixtures', 'fixtures/conformant', '--json', out('r.json'), '--junit', out('r.xml'), '--markdown', out('r.md'));
    // stderr carries only the quiet progress lines (one per target: not a terminal).
    for (const line of res.stderr.trim().split('\n')) expect(line).toMatch(/^conformance \[\d+\/\d+\] w3c-document:\S+: \d+ pass, 0 fail, 0 warn, 0 baselined$/);
    expect(res.code).toBe(0);
    const report = JSON.parse(await readFile(out('r.json'), 'utf8')) as ConformanceReport;
    expect(report.summary.ok).toBe(true);
    const xml = await readFile(out('r.xml'), 'utf8');
    expect(() => parseXml(xml)).not.toThrow();
    const md = await readFile(out('r.md'), 'utf8');
    expect(md.startsWith('## didbridge conformance: PASS')).toBe(true);
    expect(res.stdout).toBe(md);
  });

  it('exits 1 on new MUST failures, 0 once the baseline lists them, 1 again with a stale entry and --fail-on-stale-baseline', async () => {
    const json = join(dir, 'invalid.json');
    expect(cli('--fixtures', 'fixtures/invalid', '--json', json).code).toBe(1);
    const report = JSON.parse(await readFile(json, 'utf8')) as ConformanceReport;
    const baseline = report.summary.newMustFailures.map((f) => ({ ...f, reason: 'fixture that breaks this check on purpose' }));
    const baselinePath = join(dir, 'baseline.json');
    await writeFile(baselinePath, JSON.stringify(baseline));
    expect(cli('--fixtures', 'fixtures/invalid', '--baseline', baselinePath).code).toBe(0);
    baseline.push({ check: 'did-core.vm.multibase', target: 'w3c-document:minimal', reason: 'stale' });
    await writeFile(baselinePath, JSON.stringify(baseline));
    const both = ['--fixtures', 'fixtures/invalid', '--fixtures', 'fixtures/conformant', '--baseline', baselinePath];
    expect(cli(...both).code).toBe(0);
    const strict = cli(...both, '--fail-on-stale-baseline');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('FAIL (1 stale baseline entry)');
  });

  it('exits 2 on usage errors', () => {
    expect(cli().code).toBe(2);
    expect(cli('--fixtures', 'fixtures/conformant', '--no-such-flag').code).toBe(2);
  });
});
