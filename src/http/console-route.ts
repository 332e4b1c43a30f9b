/**
 * The web console at `/`: the static files `scripts/build-web.mjs` bundles into `web/dist/` (an `index.html` and
 * content-hashed scripts, styles and icon under `/console/`). Nothing is fetched from elsewhere at run time: the page
 * talks to this driver only, through relative URLs, so it also works behind a reverse proxy that mounts the driver
 * under a path.
 *
 * - `GET /` → `index.html` (`no-cache`: it names the current hashed assets);
 * - `GET /console/<file>` → a built asset (`immutable`: its name changes whenever its content does);
 * - when `web/dist` has not been built, both answer 503 saying to run `npm run build` (an HTML page for browsers,
 *   `application/problem+json` otherwise).
 *
 * Every answer of the console carries a strict Content-Security-Policy (scripts, styles, images and connections
 * from this origin only; no inline code, no framing, no forms posting elsewhere) plus `nosniff` and
 * `no-referrer`. The driver's CORS headers are added by the server as for every route.
 *
 * Disabled with `console.enabled: false` (`DIDBRIDGE_CONSOLE=false`): then the routes are not registered and `/`
 * is a 404 like any unknown path.
 *
 * @see ../../web/README.md
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestContext, Route } from './routes.js';

/** Where the built assets are served from. */
export const CONSOLE_ASSETS_PREFIX = '/console/';

/**
 * The policy of the console's own responses. `'self'` only: the bundle has no inline script or style, and the page
 * connects to nothing but this driver.
 * @see https://www.w3.org/TR/CSP3/
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every console answer carries besides its type and caching. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The asset types the build writes, and how they are served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/** Asset names: one path segment, no leading dot, so that nothing outside the build directory can be named. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;
const MAX_ASSET_NAME = 128;

/** Options of {@link consoleRoutes}. */
export interface ConsoleRouteOptions {
  /** The directory of the built console. Default: `web/dist` of the package this module belongs to. */
  root?: string;
}

/** The package's root directory: the nearest ancestor of this module holding a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}

/** The default build directory (`<package>/web/dist`). */
export function defaultConsoleRoot(): string {
  return join(packageRoot(), 'web', 'dist');
}

function wantsHtml(ctx: RequestContext): boolean {
  const accept = ctx.req.headers.accept;
  return typeof accept === 'string' && /\btext\/html\b/i.test(accept);
}

const NOT_BUILT_DETAIL = 'the web console is not built: run `npm run build` (it bundles web/ into web/dist/), then reload';

function sendNotBuilt(ctx: RequestContext): void {
  ctx.logFields.error = 'CONSOLE_NOT_BUILT';
  if (wantsHtml(ctx)) {
    const page =
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>didbridge console not built</title></head><body><h1>The didbridge console is not built</h1>' +
      '<p>Run <code>npm run build</code> (it bundles <code>web/</code> into <code>web/dist/</code>), then reload this page.</p>' +
      '<p lang="zh-CN">控制台尚未构建：请先运行 <code>npm run build</code>，然后刷新本页面。</p>' +
      '<p>The driver API is served meanwhile: <a href="1.0/methods">1.0/methods</a>.</p></body></html>\n';
    ctx.send(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': 60, ...SECURITY_HEADERS }, page);
    return;
  }
  ctx.send(
    503,
    { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': 60, ...SECURITY_HEADERS },
    JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: NOT_BUILT_DETAIL }),
  );
}

function sendNotFound(ctx: RequestContext, name: string): void {
  ctx.send(
    404,
    { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...SECURITY_HEADERS },
    JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `the console has no asset ${JSON.stringify(name.slice(0, 80))}` }),
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a file of the build; undefined when it does not exist. Other errors propagate (the server answers 500). */
async function readBuilt(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw err;
  }
}

/**
 * The console's routes, for `driver.routes.add(...)`. Files are read at each request (the console is not a hot
 * path), so a `npm run build` while the driver runs is picked up at the next reload.
 *
 * @example
 * for (const route of consoleRoutes()) driver.routes.add(route)
 */
export function consoleRoutes(options: ConsoleRouteOptions = {}): Route[] {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root === '')) {
    throw new TypeError('"root" must be a non-empty directory path');
  }
  const root = options.root ?? defaultConsoleRoot();

  const index: Route = {
    methods: ['GET'],
    path: '/',
    description: 'the web console (resolve, compare, verify, conformance reports)',
    async handler(ctx) {
      const html = await readBuilt(join(root, 'index.html'));
      if (html === undefined) {
        sendNotBuilt(ctx);
        return;
      }
      ctx.send(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS }, html);
    },
  };

  const assets: Route = {
    methods: ['GET'],
    path: CONSOLE_ASSETS_PREFIX,
    prefix: true,
    description: 'the web console assets (content-hashed)',
    async handler(ctx) {
      const name = ctx.path.slice(CONSOLE_ASSETS_PREFIX.length);
      const dot = name.lastIndexOf('.');
      const type = dot > 0 ? CONTENT_TYPES[name.slice(dot)] : undefined;
      if (name.length > MAX_ASSET_NAME || !ASSET_NAME.test(name) || type === undefined) {
        sendNotFound(ctx, name);
        return;
      }
      const body = await readBuilt(join(root, name));
      if (body === undefined) {
        if (await isDirectory(root)) sendNotFound(ctx, name);
        else sendNotBuilt(ctx);
        return;
      }
      ctx.send(200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS }, body);
    },
  };

  return [index, assets];
}
