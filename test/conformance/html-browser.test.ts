/**
 * The HTML report in a real browser: Debian's chromium (/usr/bin/chromium, installed by scripts/setup-test-env.sh)
 * driven by playwright-core, which never downloads a browser. The page loads offline without console errors, shows
 * the matrix, opens the drill-down of a cell, and focuses a change record on both sides of a translation. A
 * screenshot is kept in reports/conformance-test/ (git-ignored) as a test artifact.
 *
 * Without chromium the test fails in CI (process.env.CI) and is skipped locally, saying why.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../conformance/reporters/html.js';
import { runConformance } from '../../conformance/run.js';
import { documentFixtureTargets } from '../../conformance/targets.js';
import { fixtureTargets } from '../../conformance/targets/fixtures.js';
import { CONFORMANT_DIR, INVALID_DIR } from './helpers/fixtures.js';
import { createToyAdapter, translateToy } from './helpers/toy-adapter.js';

/** Debian's chromium; DIDBRIDGE_CHROMIUM points elsewhere (another distribution, or to check the missing-browser path). */
const CHROMIUM = process.env.DIDBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../reports/conformance-test/', import.meta.url));
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);

if (!available && !inCi) {
  console.warn(`html-browser.test.ts: ${CHROMIUM} is missing, skipping the browser test (run scripts/setup-test-env.sh as root to install chromium)`);
}

describe('the HTML report in chromium', () => {
  it.runIf(!available && inCi)('has chromium to run in (CI)', () => {
    expect.fail(`${CHROMIUM} is missing: scripts/setup-test-env.sh installs it (apt-get install -y chromium); the HTML report cannot be tested`);
  });

  describe.runIf(available)('with chromium', () => {
    let browser: Browser;
    let page: string;
    let fixtures: string;

    beforeAll(async () => {
      fixtures = await mkdtemp(join(tmpdir(), 'didbridge-html-browser-'));
      const doc = { id: 'did:toy:abc', key: [{ id: 'did:toy:abc#key-1', type: 'Ed25519', publicKeyHex: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29' }] };
      await mkdir(join(fixtures, 'toy', 'upstream'), { recursive: true });
      await mkdir(join(fixtures, 'toy', 'expected'), { recursive: true });
      await writeFile(join(fixtures, 'toy', 'upstream', '01.json'), JSON.stringify(doc));
      const t = translateToy(doc);
      await writeFile(join(fixtures, 'toy', 'expected', '01.json'), JSON.stringify({ input: 'upstream/01.json', inputPath: [], didDocument: t.didDocument, didDocumentMetadata: {} }));
      const report = await runConformance([
        ...(await documentFixtureTargets(CONFORMANT_DIR)),
        ...(await documentFixtureTargets(INVALID_DIR, { kind: 'invalid' })),
        ...(await fixtureTargets(join(fixtures, 'toy'), { adapters: [createToyAdapter()], root: fixtures })),
      ]);
      await mkdir(ARTIFACTS, { recursive: true });
      page = join(ARTIFACTS, 'report.html');
      await writeFile(page, renderHtml(report), 'utf8');
      // Chromium refuses to run as root inside its sandbox; CI runs the tests as root.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await rm(fixtures, { recursive: true, force: true });
    });

    it('loads without console errors or requests, shows the matrix, drills down and focuses a change', async () => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const tab = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await tab.goto(pathToFileURL(page).href);

      const rows = await tab.locator('#matrix tbody tr').count();
      expect(rows).toBeGreaterThanOrEqual(2);
      await expect.poll(() => tab.locator('#matrix').isVisible()).toBe(true);
      await tab.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: false });

      // A failing cell opens the checks of its section, limited to its row.
      const cell = tab.locator('#matrix td.s-fail button').first();
      const section = await cell.getAttribute('data-section');
      await cell.click();
      expect(await tab.locator('#drill-title').textContent()).toContain(section!);
      const visible = tab.locator('details.check:not([hidden])');
      expect(await visible.count()).toBeGreaterThan(0);
      for (const s of await visible.evaluateAll((els) => els.map((e) => e.getAttribute('data-section')))) expect(s).toBe(section);

      // A change record focuses its two sides.
      await tab.evaluate(() => {
        const d = document.querySelector('details.translation') as HTMLDetailsElement;
        d.open = true;
      });
      const change = tab.locator('details.translation tr.change').first();
      const cls = await change.getAttribute('data-change');
      await change.hover();
      const focused = await tab.locator(`details.translation .${cls}.focus`).count();
      expect(focused).toBeGreaterThanOrEqual(2);
      await tab.screenshot({ path: join(ARTIFACTS, 'translation.png'), fullPage: false });

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await context.close();
    });
  });
});
