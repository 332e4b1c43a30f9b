/**
 * The console over loopback HTTP: `scripts/build-web.mjs` output served at `/` and `/console/` with the console's
 * Content-Security-Policy, long-lived caching of hashed assets, 503 until built, 404 for anything outside the build,
 * the `console.enabled` switch; and `GET /1.0/original/{did}` against the sandboxed did:bid upstream (the BID
 * resolver emulator speaking its wire format) and did:key.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/cli/runtime.js';
import { CONSOLE_CSP, consoleRoutes } from '../../src/http/console-route.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { buildWeb as build } from '../../scripts/build-web.mjs';

let built: string;
let files: string[];
let runtime: Runtime;
let driver: Driver;
let base: string;

beforeAll(async () => {
  built = await mkdtemp(join(tmpdir(), 'didbridge-web-build-'));
  ({ files } = await build({ outdir: built }));
  // The console is registered by hand against the fresh build; the default registration is tested below.
  const config = loadConfig({ env: {}, overrides: { console: { enabled: false }, enabledAdapters: ['key', 'bid'], sandbox: { mode: 'on' } } });
  runtime = await startRuntime(config);
  driver = createDriver({ resolver: runtime.resolver, config });
  for (const route of consoleRoutes({ root: built })) driver.routes.add(route);
  const address = await driver.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${address.port}`;
}, 60_000);

afterAll(async () => {
  await driver?.close();
  await runtime?.sandbox.close();
  await rm(built, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' });

describe('the build', () => {
  it('writes an index naming hashed assets, with no inline script or style (the CSP allows none)', async () => {
    expect(files).toContain('index.html');
    const html = await readFile(join(built, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="(console\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(3);
    for (const asset of assets) expect(asset).toMatch(/^console\/[a-z-]+-[A-Za-z0-9]{8,}\.(js|css|svg)$/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    // Nothing is loaded from another origin.
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('is deterministic: the same sources give the same files', async () => {
    const again = await mkdtemp(join(tmpdir(), 'didbridge-web-build-'));
    try {
      const second = await build({ outdir: again });
      expect(second.files).toEqual(files);
      for (const f of files) expect(await readFile(join(again, f)), f).toEqual(await readFile(join(built, f)));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('GET /', () => {
  it('serves the page with the console CSP and security headers, not cached without revalidation', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The driver's common headers are there too (CORS per configuration, request id).
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.text()).toBe(await readFile(join(built, 'index.html'), 'utf8'));
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toContain('GET');
  });
});

describe('GET /console/<asset>', () => {
  it('serves every asset the page names, with its type and immutable caching', async () => {
    const html = await (await get('/')).text();
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
    for (const asset of [...html.matchAll(/(?:src|href)="(console\/[^"]+)"/g)].map((m) => m[1]!)) {
      const res = await get(`/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type')).toBe(types[asset.split('.').pop()!]);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(await readFile(join(built, asset.slice('console/'.length))));
    }
  });

  it('serves nothing outside the build: traversal, hidden files, subpaths and unknown types are 404', async () => {
    for (const path of [
      '/console/',
      '/console/..%2Fpackage.json',
      '/console/%2e%2e%2fpackage.json',
      '/console/.gitignore',
      '/console/a/b.js',
      '/console/index.html',
      '/console/missing-0000.js',
      `/console/${'a'.repeat(200)}.js`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('before `npm run build`', () => {
  let bare: Driver;
  let bareBase: string;
  beforeAll(async () => {
    bare = createDriver({ resolver: runtime.resolver, config: loadConfig({ env: {}, overrides: { console: { enabled: false } } }) });
    for (const route of consoleRoutes({ root: join(built, 'not-built') })) bare.routes.add(route);
    bareBase = `http://127.0.0.1:${(await bare.listen(0, '127.0.0.1')).port}`;
  });
  afterAll(async () => {
    // The resolver belongs to the main driver: close the listener only.
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
  });

  it('answers 503 saying to run npm run build: a page for browsers, problem JSON otherwise', async () => {
    const browser = await fetch(`${bareBase}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.status).toBe(503);
    expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(browser.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await browser.text()).toContain('npm run build');
    const api = await fetch(`${bareBase}/`);
    expect(api.status).toBe(503);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
    expect(((await api.json()) as { detail: string }).detail).toContain('npm run build');
    expect((await fetch(`${bareBase}/console/console-x.js`)).status).toBe(503);
    // The driver itself keeps working.
    expect((await fetch(`${bareBase}/1.0/methods`)).status).toBe(200);
  });
});

describe('console.enabled', () => {
  it('registers the console by default and leaves / a 404 when disabled (DIDBRIDGE_CONSOLE=false)', async () => {
    const on = createDriver({ resolver: runtime.resolver, config: loadConfig({ env: {} }) });
    const off = createDriver({ resolver: runtime.resolver, config: loadConfig({ env: { DIDBRIDGE_CONSOLE: 'false' } }) });
    expect(on.routes.find('GET', '/')).toHaveProperty('route');
    expect(on.routes.find('GET', '/console/x.js')).toHaveProperty('route');
    expect(off.routes.find('GET', '/')).toBeUndefined();
    expect(off.routes.find('GET', '/console/x.js')).toBeUndefined();
    // The original record is served either way: it is an API, not part of the page.
    expect(off.routes.find('GET', '/1.0/original/did:key:x')).toHaveProperty('route');
    expect(() => loadConfig({ env: { DIDBRIDGE_CONSOLE: 'maybe' } })).toThrow(/DIDBRIDGE_CONSOLE/);
  });
});

describe('GET /1.0/original/{did}', () => {
  it('answers the upstream record of a sandbox did:bid with the change records of the same translation', async () => {
    const did = runtime.resolver.testIdentifiers().bid![0]!;
    const res = await get(`/1.0/original/${did}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { did: string; original: Record<string, unknown>; didbridgeChanges: Array<{ from: string | null }>; deactivated: boolean };
    expect(body.did).toBe(did);
    expect(body.deactivated).toBe(false);
    // The BID shape, not the W3C one.
    expect(body.original.id).toBe(did);
    expect(Array.isArray(body.original.publicKey)).toBe(true);
    expect(body.original.verificationMethod).toBeUndefined();
    const resolution = (await (await get(`/1.0/identifiers/${did}`, { accept: 'application/did-resolution' })).json()) as { didResolutionMetadata: { didbridgeChanges: unknown[] } };
    expect(body.didbridgeChanges).toEqual(resolution.didResolutionMetadata.didbridgeChanges);
    expect(body.didbridgeChanges.length).toBeGreaterThan(5);
    // Every `from` pointer of the changes lands in the record answered.
    const { getAtPointer } = await import('../../src/translation.js');
    for (const c of body.didbridgeChanges) if (c.from !== null) expect(getAtPointer(body.original, c.from), c.from).not.toBeUndefined();
  });

  it('takes the URL-encoded form and noCache, and answers null for a method that keeps no record (did:key)', async () => {
    const did = runtime.resolver.testIdentifiers().key![0]!;
    const res = await get(`/1.0/original/${encodeURIComponent(did)}?noCache=true`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ did, original: null, didbridgeChanges: [], deactivated: false });
  });

  it('answers resolution errors as problem JSON with the binding status, in the requested error profile', async () => {
    const cases: Array<[string, number, string, Record<string, string>?]> = [
      ['/1.0/original/did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB9', 404, 'https://www.w3.org/ns/did#NOT_FOUND'],
      ['/1.0/original/did:bid:efnVUgqQFfYeu97ABf6sGm3WFtVXHZB9', 404, 'NOT_FOUND', { 'x-error-profile': 'uniresolver' }],
      ['/1.0/original/did:nope:x', 501, 'https://www.w3.org/ns/did#METHOD_NOT_SUPPORTED'],
      ['/1.0/original/not-a-did', 400, 'https://www.w3.org/ns/did#INVALID_DID'],
      ['/1.0/original/', 400, 'https://www.w3.org/ns/did#INVALID_DID'],
      [`/1.0/original/${encodeURIComponent('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#key-1')}`, 400, 'https://www.w3.org/ns/did#INVALID_DID'],
      ['/1.0/original/did%3Akey%3A%E0%A4%A', 400, 'https://www.w3.org/ns/did#INVALID_DID'],
      ['/1.0/original/did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp?versionId=1', 400, 'https://www.w3.org/ns/did#INVALID_OPTIONS'],
      ['/1.0/original/did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp?noCache=maybe', 400, 'https://www.w3.org/ns/did#INVALID_OPTIONS'],
    ];
    for (const [path, status, type, headers] of cases) {
      const res = await get(path, headers);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as { type: string; status: number; detail: string };
      expect(body.type, path).toBe(type);
      expect(body.status).toBe(status);
      expect(body.detail.length).toBeGreaterThan(0);
    }
  });
});
