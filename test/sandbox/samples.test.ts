import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/sandbox/errors.js';
import { loadSample, parseSourceManifest, provenanceOf } from '../../src/sandbox/samples.js';

// The layout of the published samples' SOURCE.txt manifests (header prose, then one indented block per file).
const MANIFEST = `Example samples: a header line.
Data files only; copied from public specs.

01-doc.json
  repo: https://github.com/owner/spec
  path: doc/en/Spec Document.md
  ref: HEAD  commit: 19496d151b0b62d1f3c85a6799cf04d65bfd402a
  lines: 128-168
  strict JSON: yes
  note: key "delegateSign " has a trailing space.  Verbatim: copied as is.

02-page.json
  source: web page https://example.com/spec/ (no commit)
  strict JSON: yes

03-orphan-entry.json
  note: no repo and no source
`;

describe('sample manifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'didbridge-samples-'));
    writeFileSync(join(dir, 'SOURCE.txt'), MANIFEST);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses one entry per file, with members sharing a line split apart and notes kept whole', () => {
    const entries = parseSourceManifest(MANIFEST);
    expect([...entries.keys()]).toEqual(['01-doc.json', '02-page.json', '03-orphan-entry.json']);
    expect(entries.get('01-doc.json')).toEqual({
      repo: 'https://github.com/owner/spec',
      path: 'doc/en/Spec Document.md',
      ref: 'HEAD',
      commit: '19496d151b0b62d1f3c85a6799cf04d65bfd402a',
      lines: '128-168',
      'strict JSON': 'yes',
      note: 'key "delegateSign " has a trailing space.  Verbatim: copied as is.',
    });
  });

  it('turns an entry into a one-line provenance', () => {
    const entries = parseSourceManifest(MANIFEST);
    expect(provenanceOf(entries.get('01-doc.json')!)).toBe('owner/spec@19496d151b0b:doc/en/Spec Document.md#L128-168');
    expect(provenanceOf(entries.get('02-page.json')!)).toBe('web page https://example.com/spec/ (no commit)');
    expect(provenanceOf(entries.get('03-orphan-entry.json')!)).toBeUndefined();
  });

  it('loads a sample byte for byte, parsed when it is JSON', async () => {
    const text = '{\n  "errorCode": 0,\n  "delegateSign ": 1\n}\n';
    writeFileSync(join(dir, '01-doc.json'), text);
    const sample = await loadSample({ dir, file: '01-doc.json' });
    expect(sample.text).toBe(text);
    expect(sample.json).toEqual({ errorCode: 0, 'delegateSign ': 1 });
    expect(sample.source).toBe('owner/spec@19496d151b0b:doc/en/Spec Document.md#L128-168');
    writeFileSync(join(dir, '02-page.json'), '{ not: json }');
    expect((await loadSample({ dir, file: '02-page.json' })).json).toBeUndefined();
  });

  it('refuses files without provenance, and paths that leave the folder', async () => {
    writeFileSync(join(dir, 'unlisted.json'), '{}');
    writeFileSync(join(dir, '03-orphan-entry.json'), '{}');
    await expect(loadSample({ dir, file: 'unlisted.json' })).rejects.toBeInstanceOf(SandboxError);
    await expect(loadSample({ dir, file: '03-orphan-entry.json' })).rejects.toThrow(/neither repo nor source/);
    await expect(loadSample({ dir, file: '../SOURCE.txt' })).rejects.toThrow(TypeError);
  });
});
