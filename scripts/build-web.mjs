#!/usr/bin/env node
/**
 * Builds the web console: bundles web/src/main.ts (with the string tables of web/i18n/) and web/styles/console.css
 * with esbuild into content-hashed files, copies the icon, and writes web/dist/index.html naming them. The driver
 * serves the result at `/` (src/http/console-route.ts). Nothing in the output loads from a CDN or any other origin.
 *
 *   node scripts/build-web.mjs            # → web/dist/
 *   node scripts/build-web.mjs --outdir D # elsewhere (the browser tests build into a temporary directory)
 *
 * Exported as `buildWeb({ outdir })` for the tests. Deterministic: the same sources give the same bytes.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');

/** Browsers the bundle is written for: evergreen releases of the last few years (module scripts, optional chaining). */
const TARGETS = ['chrome100', 'firefox100', 'safari15', 'edge100'];

function hashed(name, bytes) {
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 10).replace(/[^A-Za-z0-9]/g, 'x');
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Builds the console into `outdir` (default web/dist), replacing what was there.
 * @param {{ outdir?: string, minify?: boolean, sourcemap?: boolean }} [options]
 * @returns {Promise<{ outdir: string, files: string[] }>} the directory and the files written (relative names)
 */
export async function buildWeb(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const outdir = resolve(options.outdir ?? join(WEB, 'dist'));
  const minify = options.minify ?? true;
  const sourcemap = options.sourcemap ?? true;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });

  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { console: join(WEB, 'src', 'main.ts'), 'console-style': join(WEB, 'styles', 'console.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: TARGETS,
    minify,
    sourcemap: sourcemap ? 'linked' : false,
    // Sources in the map are named relative to the repository, not to this machine.
    sourceRoot: '',
    entryNames: '[name]-[hash]',
    outdir,
    metafile: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'warning',
  });

  const outputs = Object.entries(result.metafile.outputs).map(([file, meta]) => ({ file: resolve(ROOT, file), meta }));
  const script = outputs.find((o) => o.meta.entryPoint?.endsWith('web/src/main.ts'));
  const style = outputs.find((o) => o.file.endsWith('.css') && !o.file.endsWith('.map'));
  if (!script || !style) throw new Error('build-web: esbuild did not write the console script and style');

  const icon = await readFile(join(WEB, 'favicon.svg'));
  const iconName = hashed('favicon.svg', icon);
  await writeFile(join(outdir, iconName), icon);

  const template = await readFile(join(WEB, 'index.html'), 'utf8');
  const asset = (file) => `console/${escapeAttribute(basename(file))}`;
  const replacements = { '%SCRIPT%': asset(script.file), '%STYLE%': asset(style.file), '%ICON%': `console/${iconName}` };
  let html = template;
  for (const [marker, value] of Object.entries(replacements)) {
    if (!html.includes(marker)) throw new Error(`build-web: web/index.html lacks ${marker}`);
    html = html.split(marker).join(value);
  }
  await writeFile(join(outdir, 'index.html'), html);

  const files = [...outputs.map((o) => relative(outdir, o.file)), iconName, 'index.html'].sort();
  return { outdir, files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 ? process.argv[at + 1] : undefined;
  if (at > 0 && !outdir) {
    console.error('build-web: --outdir needs a directory');
    process.exit(2);
  }
  const started = Date.now();
  buildWeb({ outdir }).then(
    ({ outdir: dir, files }) => console.log(`web console built into ${relative(process.cwd(), dir) || '.'} (${files.length} files) in ${Date.now() - started} ms`),
    (err) => {
      console.error(`build-web: ${err.message}`);
      process.exit(1);
    },
  );
}
