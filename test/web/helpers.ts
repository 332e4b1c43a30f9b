/**
 * Shared by the web console tests: a real conformance report (the library's conformant and invalid fixtures, and a
 * translated document of the conformance tests' toy method), produced by `runConformance` as `didbridge
 * conformance` would.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance, type ConformanceReport } from '../../conformance/run.js';
import { documentFixtureTargets } from '../../conformance/targets.js';
import { fixtureTargets } from '../../conformance/targets/fixtures.js';
import { CONFORMANT_DIR, INVALID_DIR } from '../conformance/helpers/fixtures.js';
import { createToyAdapter, translateToy } from '../conformance/helpers/toy-adapter.js';

/** Runs the conformance suite over fixtures: some targets pass, the invalid ones fail, one document is translated. */
export async function sampleConformanceReport(): Promise<ConformanceReport> {
  const dir = await mkdtemp(join(tmpdir(), 'didbridge-web-report-'));
  try {
    const doc = { id: 'did:toy:abc', key: [{ id: 'did:toy:abc#key-1', type: 'Ed25519', publicKeyHex: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29' }] };
    await mkdir(join(dir, 'toy', 'upstream'), { recursive: true });
    await mkdir(join(dir, 'toy', 'expected'), { recursive: true });
    await writeFile(join(dir, 'toy', 'upstream', '01.json'), JSON.stringify(doc));
    const t = translateToy(doc);
    await writeFile(join(dir, 'toy', 'expected', '01.json'), JSON.stringify({ input: 'upstream/01.json', inputPath: [], didDocument: t.didDocument, didDocumentMetadata: {} }));
    return await runConformance([
      ...(await documentFixtureTargets(CONFORMANT_DIR)),
      ...(await documentFixtureTargets(INVALID_DIR, { kind: 'invalid' })),
      ...(await fixtureTargets(join(dir, 'toy'), { adapters: [createToyAdapter()], root: dir })),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
