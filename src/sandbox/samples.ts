/**
 * Published sample files with their provenance, for emulators' `seed`. Sample folders carry a `SOURCE.txt` manifest
 * listing, per file, where it was copied from:
 *
 *     04-spec-read-response-success.json
 *       repo: https://github.com/owner/name
 *       path: doc/spec.md
 *       ref: HEAD  commit: 19496d151b0b62d1f3c85a6799cf04d65bfd402a
 *       lines: 242-270
 *       strict JSON: yes
 *       note: ...
 *
 * (or a `source:` line for material that is not in a repository). {@link loadSample} reads a file and turns its entry
 * into the one-line `source` the store keeps, so every seeded record says where its document comes from.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '../spec.js';
import { parseJsonSafe } from '../util/json.js';
import { SandboxError } from './errors.js';

/** One manifest entry: the members given for a file (`repo`, `path`, `ref`, `commit`, `lines`, `strict JSON`, `note`, `source`, ...). */
export type SampleEntry = Readonly<Record<string, string>>;

/**
 * Where a second member starts on the same line, as in `ref: HEAD  commit: <sha>`. Only the manifest's own member
 * names count, so a note that happens to contain "  Verbatim: ..." stays one member.
 */
const MEMBER_START = /\s{2,}(?=(?:repo|path|ref|commit|lines|strict JSON|note|source):\s)/;

/** Parses a `SOURCE.txt` manifest into entries by file name. Lines before the first file name (the header) are ignored. */
export function parseSourceManifest(text: string): Map<string, SampleEntry> {
  if (typeof text !== 'string') throw new TypeError('"text" must be a string');
  const entries = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      lastKey = undefined;
      continue;
    }
    if (!/^\s/.test(line)) {
      // A file name line: no spaces inside, an extension. Anything else unindented is header prose.
      if (/^[\w.-]+\.[A-Za-z0-9]+$/.test(line.trim())) {
        current = {};
        entries.set(line.trim(), current);
      } else {
        current = undefined;
      }
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    const parts = line.trim().split(MEMBER_START);
    for (const part of parts) {
      const colon = part.indexOf(':');
      const key = colon > 0 ? part.slice(0, colon).trim() : '';
      if (key !== '' && /^[A-Za-z][A-Za-z ]{0,30}$/.test(key)) {
        current[key] = part.slice(colon + 1).trim();
        lastKey = key;
      } else if (lastKey !== undefined) {
        // A wrapped continuation of the previous member.
        current[lastKey] = `${current[lastKey]} ${part.trim()}`;
      }
    }
  }
  return entries;
}

/**
 * The one-line provenance of an entry: `owner/repo@<commit 12>:<path>#L<lines>` for repository material, else its
 * `source` text.
 */
export function provenanceOf(entry: SampleEntry): string | undefined {
  const repo = entry.repo?.replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
  if (repo) {
    const commit = entry.commit ? `@${entry.commit.slice(0, 12)}` : entry.ref ? `@${entry.ref}` : '';
    const path = entry.path ? `:${entry.path}` : '';
    const lines = entry.lines ? `#L${entry.lines.replace(/\s+/g, '')}` : '';
    return `${repo}${commit}${path}${lines}`;
  }
  return entry.source;
}

/** A sample file with its provenance. */
export interface Sample {
  file: string;
  /** The file's text, byte for byte. */
  text: string;
  /** The parsed JSON, when the file is strict JSON. */
  json?: JsonValue;
  /** The one-line provenance (see {@link provenanceOf}). */
  source: string;
  /** The whole manifest entry. */
  entry: SampleEntry;
}

/** Options of {@link loadSample}. */
export interface LoadSampleOptions {
  /** The sample folder (holding `SOURCE.txt`). */
  dir: string;
  /** The file name inside it. */
  file: string;
}

/**
 * Reads a sample file and its manifest entry.
 * @throws SandboxError `INVALID_DOCUMENT` when the file has no manifest entry (no provenance, no seed) or no usable
 *   source; Node's file errors (`ENOENT`) when a file is missing.
 */
export async function loadSample(options: LoadSampleOptions): Promise<Sample> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (typeof options.dir !== 'string' || options.dir === '') throw new TypeError('"options.dir" must be a non-empty string');
  if (typeof options.file !== 'string' || !/^[\w.-]+$/.test(options.file)) {
    throw new TypeError('"options.file" must be a file name inside "options.dir"');
  }
  const manifest = parseSourceManifest(await readFile(join(options.dir, 'SOURCE.txt'), 'utf8'));
  const entry = manifest.get(options.file);
  if (!entry) throw new SandboxError('INVALID_DOCUMENT', `${options.file} has no entry in ${join(options.dir, 'SOURCE.txt')}`);
  const source = provenanceOf(entry);
  if (!source) throw new SandboxError('INVALID_DOCUMENT', `${options.file} has neither repo nor source in its manifest entry`);
  const text = await readFile(join(options.dir, options.file), 'utf8');
  let json: JsonValue | undefined;
  try {
    json = parseJsonSafe(text) as JsonValue;
  } catch {
    json = undefined;
  }
  return { file: options.file, text, ...(json === undefined ? {} : { json }), source, entry };
}

/**
 * Finds `fixtures/<method>/upstream` (holding a SOURCE.txt) by walking up from this module, so that emulators find
 * their published samples both in the source tree and from the compiled `dist/` (where `fixtures/` stays at the
 * package root). Undefined when it is not there.
 */
export function findUpstreamSamplesDir(method: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'fixtures', method, 'upstream');
    if (existsSync(join(candidate, 'SOURCE.txt'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
