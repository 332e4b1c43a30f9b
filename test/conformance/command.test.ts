/**
 * `didbridge conformance` as a user runs it (a real process running src/cli/main.ts): green against didbridge's own
 * driver started here, exit 1 against a deliberately broken driver naming the failing checks, exit 2 on usage
 * errors, the report files, and `conformance export did-test-suite`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver, type Driver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import type { ConformanceReport } from '../../conformance/run.js';
import { createTestAdapter, DEFAULT_TEST_RECORDS } from '../helpers/test-adapter.js';
import { parseXml } from './helpers/xml.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = 'src/cli/main.ts';

/** Runs the CLI without blocking this process (the drivers under test live here). */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let driver: Driver;
let driverUrl: string;
let broken: Server;
let brokenUrl: string;

/**
 * A driver that breaks the binding in the ways the brief names: 200 on errors, bare-token error types in the spec
 * profile, documents without @context, and no full body on a 404.
 */
function brokenDriver(): Server {
  return createServer((req, res) => {
    const url = req.url ?? '';
    const json = (status: number, type: string, body: unknown) => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    if (url === '/1.0/methods') return json(200, 'application/json', ['broken']);
    if (url === '/1.0/testIdentifiers') return json(200, 'application/json', { broken: ['did:broken:alice'] });
    if (url === '/1.0/traits') return json(200, 'application/json', { broken: { updatable: true, deactivatable: true, enumerable: false, historyAvailable: false, humanReadable: false } });
    if (url === '/1.0/properties') return json(200, 'application/json', {});
    const id = decodeURIComponent(url.replace('/1.0/identifiers/', '').split('?')[0]!);
    if (id === 'did:broken:alice') {
      const doc = { id };
      if ((req.headers.accept ?? '').includes('did-resolution')) {
        return json(200, 'application/did-resolution', { didResolutionMetadata: { contentType: 'application/did+ld+json' }, didDocument: doc, didDocumentMetadata: {} });
      }
      return json(200, 'application/did+ld+json', doc);
    }
    if (id.startsWith('did:broken:')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('no such DID');
    }
    return json(200, 'application/did-resolution', {
      didResolutionMetadata: { error: { type: 'INVALID_DID', title: 'Invalid DID' } },
      didDocument: null,
      didDocumentMetadata: {},
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'didbridge-conformance-command-'));
  const { alice, bob, gone } = DEFAULT_TEST_RECORDS;
  driver = createDriver({ resolver: new Resolver({ adapters: [createTestAdapter({ records: { alice: alice!, bob: bob!, gone: gone! } })], cache: false }) });
  driverUrl = `http://127.0.0.1:${(await driver.listen(0, '127.0.0.1')).port}`;
  broken = brokenDriver();
  await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await driver.close();
  await new Promise((r) => broken.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('didbridge conformance --driver', () => {
  it('runs green against our own driver and writes JUnit and HTML', async () => {
    const cases = join(dir, 'cases.json');
    await writeFile(cases, JSON.stringify({ test: { deactivated: ['did:test:gone'], notFound: ['did:test:nobody'] } }));
    const out = join(dir, 'green');
    const res = await cli('conformance', '--driver', driverUrl, '--cases', cases, '--report', 'junit,html', '--out', out);
    expect(res.stderr).not.toMatch(/ERROR/);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^didbridge conformance: PASS \(\d+ checks, 2 targets;/);
    expect((await readdir(out)).sort()).toEqual(['conformance.html', 'conformance.xml']);
    const xml = parseXml(await readFile(join(out, 'conformance.xml'), 'utf8'));
    expect(xml.name).toBe('testsuites');
    expect(xml.attributes.failures).toBe('0');
    // One testcase per check per target, each naming its check (and so its section through the catalogue).
    const suite = xml.children.find((c) => c.attributes.name === 'driver:test')!;
    expect(suite.children.filter((c) => c.name === 'testcase').map((c) => c.attributes.name!.split(':')[0])).toContain('did-resolution.http.error-status');
    const html = await readFile(join(out, 'conformance.html'), 'utf8');
    expect(html).toContain('<table id="matrix">');
    expect(html).toContain('did:test');
  });

  it('fails (exit 1) against a broken driver, naming the failing checks', async () => {
    const out = join(dir, 'broken');
    const res = await cli('conformance', '--driver', brokenUrl, '--profile', 'spec', '--report', 'json', '--out', out);
    expect(res.code).toBe(1);
    expect(res.stdout.split('\n')[0]).toMatch(/^didbridge conformance: FAIL/);
    for (const check of [
      'did-resolution.http.error-status',
      'did-resolution.error.type-url',
      'did-core.jsonld.context-present',
      'uniresolver.http.error-body',
    ]) {
      expect(res.stdout).toContain(`FAIL ${check} on driver:`);
    }
    const report = JSON.parse(await readFile(join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.summary.ok).toBe(false);
  });

  it('prints one quiet line per target when stderr is not a terminal', async () => {
    const res = await cli('conformance', '--driver', driverUrl, '--profile', 'spec');
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^conformance \[1\/2\] driver:resolver: \d+ pass, 0 fail, 0 warn, 0 baselined$/);
    expect(res.stderr).not.toContain('\r');
  });

  it('fails when the driver cannot be reached', async () => {
    const res = await cli('conformance', '--driver', 'http://127.0.0.1:1');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('target error driver:resolver');
  });
});

describe('didbridge conformance with fixtures, the library and a baseline', () => {
  it('passes the conformant fixtures and the library (did:key, offline)', async () => {
    const res = await cli('conformance', '--fixtures', 'fixtures/conformant', '--library', '--offline', '--methods', 'key', '--report', 'md', '--out', join(dir, 'lib'));
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const md = await readFile(join(dir, 'lib', 'conformance.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## didbridge conformance: PASS');
    expect(md).toContain('`library:key`');
  });

  it('exits 1 on the invalid fixtures, 0 once a baseline lists them', async () => {
    const out = join(dir, 'invalid');
    const first = await cli('conformance', '--fixtures', 'fixtures/invalid', '--report', 'json', '--out', out);
    expect(first.code).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
    const baseline = join(dir, 'baseline.json');
    await writeFile(baseline, JSON.stringify(report.summary.newMustFailures.map((f) => ({ ...f, reason: 'fails on purpose' }))));
    const second = await cli('conformance', '--fixtures', 'fixtures/invalid', '--baseline', baseline);
    expect(second.code).toBe(0);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['conformance'], /name at least one target/],
    [['conformance', '--library', '--report', 'pdf'], /unknown report format "pdf"/],
    [['conformance', '--driver', driverPlaceholder(), '--profile', 'legacy'], /unknown error profile "legacy"/],
    [['conformance', '--driver', 'ftp://example.com'], /--driver/],
    [['conformance', '--fixtures', 'no/such/dir'], /is not a directory/],
    [['conformance', '--library', '--baseline', 'no/such/baseline.json'], /--baseline/],
    [['conformance', '--library', '--methods', 'Key'], /not a DID method name/],
    [['conformance', '--no-such-flag'], /Unknown argument/],
    [['conformance', 'export', 'did-test-suite'], /out/],
  ])('%j', async (args, message) => {
    const res = await cli(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});

function driverPlaceholder(): string {
  return 'http://127.0.0.1:1';
}

describe('didbridge conformance export did-test-suite', () => {
  it('writes the method, resolver and dereferencer files, the jest config and setup', async () => {
    const out = join(dir, 'dts');
    const res = await cli('conformance', 'export', 'did-test-suite', '--out', out, '--offline', '--methods', 'key');
    expect(res.code, res.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'dereferencer-key-didbridge.json',
      'did-key-didbridge.json',
      'dts-config.cjs',
      'dts-setup.cjs',
      'resolver-key-didbridge.json',
    ]);
    expect(res.stdout).toContain('DTS_CONFIG=');
  });
});
