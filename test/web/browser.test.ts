/**
 * The web console in a real browser: Debian's chromium (/usr/bin/chromium, installed by scripts/setup-test-env.sh)
 * driven by playwright-core, which never downloads a browser. The driver runs on loopback as `npm start` runs it
 * (every adapter, the embedded sandbox serving the domestic methods from their emulators), with the console freshly
 * built by scripts/build-web.mjs and POST /1.0/verify registered.
 *
 * Covered: resolving a did:key and a sandbox did:bid (the original beside the W3C document, every change record
 * highlighted on both sides), timing and cache status, verifying credentials (did:key and did:bid issuers, a tampered
 * one), switching language, keyboard-only use, conformance reports (JSON and HTML), a phone-sized screen. Every page
 * must load without console errors (CSP violations included) and without a request to any other origin.
 * Screenshots are kept in reports/web/ (git-ignored) as test artifacts.
 *
 * Without chromium the test fails in CI (process.env.CI) and is skipped locally, saying why.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bidEmulator } from '../../adapters/bid/sandbox.js';
import { renderHtml } from '../../conformance/reporters/html.js';
import type { ConformanceReport } from '../../conformance/run.js';
import { buildWeb } from '../../scripts/build-web.mjs';
import { startRuntime, type Runtime } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config.js';
import { decodeHex } from '../../src/keys/codecs.js';
import { consoleRoutes } from '../../src/http/console-route.js';
import { verifyRoute } from '../../src/http/routes/verify.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { createDid } from '../../src/sandbox/operations.js';
import { buildMatrix } from '../../web/src/conformance-model.js';
import { didKeySigner, signerFor, signJwt, tamperPayload, vc11Payload } from '../helpers/jwt-issuer.js';
import { sampleConformanceReport } from './helpers.js';

/** Debian's chromium; DIDBRIDGE_CHROMIUM points elsewhere (another distribution, or to check the missing-browser path). */
const CHROMIUM = process.env.DIDBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../reports/web/', import.meta.url));
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);

if (!available && !inCi) {
  console.warn(`web/browser.test.ts: ${CHROMIUM} is missing, skipping the browser tests (run scripts/setup-test-env.sh as root to install chromium)`);
}

/** A page of the console, with what it logged and asked for. */
interface ConsolePage {
  page: Page;
  /** Console errors and warnings, uncaught exceptions, CSP violations. */
  problems: string[];
  /** Requests to any origin other than the driver's. */
  foreign: string[];
  close(): Promise<void>;
}

/** An hour either side of now, so the signed credentials are valid whatever the clock says. */
const VALIDITY = () => ({ nbf: new Date(Date.now() - 3_600_000).toISOString(), exp: new Date(Date.now() + 86_400_000).toISOString() });

describe('the web console in chromium', () => {
  it.runIf(!available && inCi)('has chromium to run in (CI)', () => {
    expect.fail(`${CHROMIUM} is missing: scripts/setup-test-env.sh installs it (apt-get install -y chromium); the web console cannot be tested`);
  });

  describe.runIf(available)('with chromium', () => {
    let built: string;
    let runtime: Runtime;
    let driver: Driver;
    let base: string;
    let browser: Browser;
    let ids: Record<string, string[]>;

    beforeAll(async () => {
      built = await mkdtemp(join(tmpdir(), 'didbridge-web-browser-'));
      await buildWeb({ outdir: built });
      // As `npm start` runs: every adapter, domestic methods served by the embedded sandbox. The console is added
      // by hand so that it serves the build above rather than web/dist.
      const config = loadConfig({ env: {}, overrides: { console: { enabled: false } } });
      runtime = await startRuntime(config);
      driver = createDriver({ resolver: runtime.resolver, config });
      for (const route of consoleRoutes({ root: built })) driver.routes.add(route);
      if (!driver.routes.find('POST', '/1.0/verify')) driver.routes.add(verifyRoute());
      base = `http://127.0.0.1:${(await driver.listen(0, '127.0.0.1')).port}`;
      ids = runtime.resolver.testIdentifiers();
      await mkdir(ARTIFACTS, { recursive: true });
      // Chromium refuses to run as root inside its sandbox; CI runs the tests as root.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await driver?.close();
      await runtime?.sandbox.close();
      if (built) await rm(built, { recursive: true, force: true });
    });

    async function open(options: BrowserContextOptions & { path?: string } = {}): Promise<ConsolePage> {
      const { path = '/', ...contextOptions } = options;
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US', ...contextOptions });
      const page = await context.newPage();
      const problems: string[] = [];
      const foreign: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${String(e)}`));
      page.on('request', (r) => {
        if (!r.url().startsWith(`${base}/`)) foreign.push(r.url());
      });
      await page.goto(`${base}${path}`);
      // The views are built at load (hidden ones included).
      await page.waitForSelector('#resolve-button', { state: 'attached' });
      return { page, problems, foreign, close: () => context.close() };
    }

    /** Resolution result from the driver itself, to compare the page with. */
    async function resolution(did: string): Promise<{ didResolutionMetadata: { didbridgeChanges?: Array<{ from: string | null; to: string | null }> } }> {
      const res = await fetch(`${base}/1.0/identifiers/${encodeURIComponent(did)}`, { headers: { accept: 'application/did-resolution' } });
      return (await res.json()) as never;
    }

    /**
     * Text whose contrast with its background is below WCAG 2.2 AA (4.5:1, or 3:1 for large text): every visible
     * element with text of its own, against the first opaque background among it and its ancestors.
     * @see https://www.w3.org/TR/WCAG22/#contrast-minimum
     */
    function lowContrast(page: Page): Promise<string[]> {
      return page.evaluate(() => {
        const rgba = (css: string) => {
          const parts = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '0,0,0,0').split(',').map((x) => parseFloat(x));
          return { r: parts[0]!, g: parts[1]!, b: parts[2]!, a: parts.length > 3 ? parts[3]! : 1 };
        };
        const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
          const [R, G, B] = [r, g, b].map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
        };
        const background = (el: Element) => {
          for (let e: Element | null = el; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c.a >= 0.99) return c;
          }
          return { r: 255, g: 255, b: 255, a: 1 };
        };
        const out: string[] = [];
        for (const el of Array.from(document.querySelectorAll('body *'))) {
          if (!(el instanceof HTMLElement) || el.closest('.visually-hidden, option, script, style')) continue;
          const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
          if (!ownText || el.getClientRects().length === 0) continue;
          const style = getComputedStyle(el);
          if (style.visibility === 'hidden') continue;
          const fg = luminance(rgba(style.color));
          const bg = luminance(background(el));
          const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
          const size = parseFloat(style.fontSize);
          const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
        }
        return out;
      });
    }

    function expectClean(p: ConsolePage): void {
      expect(p.problems).toEqual([]);
      expect(p.foreign).toEqual([]);
    }

    it('resolves a did:key from its test-identifier button: the W3C document, timing, cache status and the raw JSON', async () => {
      const p = await open();
      const { page } = p;
      const did = ids.key![0]!;
      // Every method of the deployment is listed, with its identifiers one click away.
      for (const method of runtime.resolver.methods()) expect(await page.locator(`.example-group[data-method="${method}"]`).count(), method).toBe(1);
      expect(await page.locator('button.example').count()).toBe(Object.values(ids).flat().length);

      await page.click(`button.example[data-did="${did}"]`);
      await page.waitForSelector('#resolve-result .comparison');
      expect(await page.inputValue('#did-input')).toBe(did);
      expect(await page.getAttribute('#resolve-timing', 'data-status')).toBe('200');
      expect(Number(await page.getAttribute('#resolve-timing', 'data-ms'))).toBeGreaterThanOrEqual(0);
      expect(await page.textContent('#resolve-timing')).toMatch(/^HTTP 200 in \d+ ms$/);
      expect(await page.textContent('.pane-document pre')).toContain(`"id": "${did}"`);
      // did:key derives its document: nothing upstream to compare, no changes.
      expect(await page.locator('.pane-original pre').count()).toBe(0);
      expect(await page.textContent('.pane-original')).toContain('did:key keeps no native record');
      expect(await page.locator('li.change').count()).toBe(0);

      // The raw link is the driver's own answer, saved as a file (browsers do not display application/did-resolution).
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#raw-link')]);
      expect(download.suggestedFilename()).toMatch(/^did_key_z6Mk[A-Za-z0-9]+\.json$/);
      const raw = await page.getAttribute('#raw-link', 'href');
      const rawAnswer = await fetch(new URL(raw!, `${base}/`));
      expect(rawAnswer.status).toBe(200);
      expect(((await rawAnswer.json()) as { didDocument: { id: string } }).didDocument.id).toBe(did);

      // Asked again, the driver replays its stored answer: the page says so.
      const first = await page.getAttribute('#resolve-cache', 'data-x-cache');
      await page.click('#resolve-button');
      await expect.poll(() => page.getAttribute('#resolve-cache', 'data-x-cache')).toBe('hit');
      expect(['miss', 'hit']).toContain(first);
      expect(await page.textContent('#resolve-cache')).toContain('hit (replayed)');
      // Bypassing the caches: the driver neither replays nor stores.
      await page.check('#no-cache');
      await page.click('#resolve-button');
      await expect.poll(() => page.getAttribute('#resolve-cache', 'data-x-cache')).toBe('none');
      await expect.poll(() => page.getAttribute('#resolver-cache', 'data-served-from-cache')).toBe('false');
      await page.screenshot({ path: join(ARTIFACTS, 'resolve-did-key.png'), fullPage: true });
      expectClean(p);
      await p.close();
    });

    it('resolves a sandbox did:bid: the original upstream record beside the W3C document, every change highlighted on both sides', async () => {
      const p = await open();
      const { page } = p;
      const did = ids.bid![0]!;
      await page.fill('#did-input', did);
      await page.press('#did-input', 'Enter');
      await page.waitForSelector('#resolve-result .comparison .pane-original pre');
      const changes = (await resolution(did)).didResolutionMetadata.didbridgeChanges!;
      expect(changes.length).toBeGreaterThan(5);

      // The original is the BID record (publicKey), the W3C side has verificationMethod.
      expect(await page.textContent('.pane-original pre')).toContain('"publicKey"');
      expect(await page.textContent('.pane-document pre')).toContain('"verificationMethod"');
      // One entry per change record, and every change is highlighted where its pointers land.
      expect(await page.locator('li.change').count()).toBe(changes.length);
      expect(await page.locator('li.change.chg-missing').count()).toBe(0);
      const highlighted = await page.locator('.comparison .chg').evaluateAll((els) => [...new Set(els.flatMap((e) => (e.getAttribute('data-change') ?? '').split(' ').filter(Boolean)))]);
      expect(highlighted.sort()).toEqual(changes.map((_c, i) => `c${i}`).sort());
      for (const [i, c] of changes.entries()) {
        if (c.from !== null) expect(await page.locator(`.pane-original .chg-from[data-change~="c${i}"]`).count(), `change ${i} from ${c.from}`).toBeGreaterThan(0);
        if (c.to !== null) {
          const pane = c.to.startsWith('#metadata') ? '.pane-metadata' : '.pane-document';
          expect(await page.locator(`${pane} .chg-to[data-change~="c${i}"]`).count(), `change ${i} to ${c.to}`).toBeGreaterThan(0);
        }
      }
      // Selecting a change focuses both of its ends; selecting it again clears the focus.
      const index = changes.findIndex((c) => c.from !== null && c.to !== null);
      const select = page.locator(`li.change[data-change="c${index}"] button.change-select`);
      await select.click();
      expect(await select.getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('.pane-original .focus').count()).toBeGreaterThan(0);
      expect(await page.locator('.pane-document .focus, .pane-metadata .focus').count()).toBeGreaterThan(0);
      expect(await lowContrast(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'resolve-did-bid.png'), fullPage: true });
      await select.click();
      expect(await page.locator('.comparison .focus').count()).toBe(0);

      // A deep link resolves at load.
      const linked = await open({ path: `/?did=${encodeURIComponent(did)}` });
      await linked.page.waitForSelector('#resolve-result .comparison');
      expect(await linked.page.locator('li.change').count()).toBe(changes.length);
      expectClean(linked);
      await linked.close();
      expectClean(p);
      await p.close();
    });

    it('shows resolution errors with their DID Resolution name', async () => {
      const p = await open();
      await p.page.fill('#did-input', 'did:nope:123');
      await p.page.click('#resolve-button');
      await p.page.waitForSelector('#resolve-result .error');
      expect(await p.page.textContent('#resolve-result .error')).toContain('METHOD_NOT_SUPPORTED');
      expect(await p.page.getAttribute('#resolve-timing', 'data-status')).toBe('501');
      // The 501 is the resolution's answer, not a page problem: only the browser's own network log line may appear.
      expect(p.problems.filter((m) => !m.includes('501'))).toEqual([]);
      expect(p.foreign).toEqual([]);
      await p.close();
    });

    it('verifies credentials check by check, with the issuer key highlighted: did:key, tampered, and a did:bid issuer through the bridge', async () => {
      const p = await open({ path: '/#verify' });
      const { page } = p;
      expect(await page.isVisible('#credential-input')).toBe(true);

      const signer = didKeySigner('Ed25519');
      const jwt = await signJwt(signer, vc11Payload({ ...VALIDITY(), subject: 'did:example:holder' }));
      await page.fill('#credential-input', jwt);
      await page.click('#verify-button');
      await page.waitForSelector('#verify-verdict');
      expect(await page.getAttribute('#verify-verdict', 'data-verified')).toBe('true');
      expect(await page.textContent('#verify-verdict')).toBe('Verified');
      expect(await page.getAttribute('li.check[data-check="signature"] .badge', 'class')).toContain('o-pass');
      expect(await page.locator('li.check').count()).toBeGreaterThanOrEqual(4);
      expect(await page.textContent('.report-facts .key-id')).toBe(signer.kid);
      // The issuer's document is resolved and the key the proof was checked with is highlighted in it.
      await page.waitForSelector('.issuer-document .key-mark');
      const marks = await page.locator('.issuer-document .key-mark').allTextContents();
      expect(marks.length).toBeGreaterThanOrEqual(2);
      for (const text of marks) expect(text).toContain(signer.kid.split('#')[1]!);
      await page.screenshot({ path: join(ARTIFACTS, 'verify-did-key.png'), fullPage: true });

      // A tampered credential fails at the signature, and the page says which check.
      const tampered = tamperPayload(jwt, (payload) => {
        ((payload.vc as Record<string, unknown>).credentialSubject as Record<string, unknown>).degree = 'forged';
      });
      await page.fill('#credential-input', tampered);
      await page.click('#verify-button');
      await expect.poll(() => page.getAttribute('#verify-verdict', 'data-verified')).toBe('false');
      expect(await page.getAttribute('li.check[data-check="signature"] .badge', 'class')).toContain('o-fail');
      expect(await page.textContent('ul.errors')).toContain('CRYPTOGRAPHIC_SECURITY_ERROR');

      // Cross-border: a did:bid issuer created in the sandbox; its key comes from the translated W3C document.
      const key = await createDid({ emulator: bidEmulator, ctx: runtime.sandbox.sandbox!.contextFor('bid'), params: { keyType: 'ed25519' } });
      const bidSigner = signerFor({ did: key.did, kid: key.verificationMethodId, keyType: 'Ed25519', privateKey: decodeHex(key.privateKeyHex) });
      await page.fill('#credential-input', await signJwt(bidSigner, vc11Payload({ ...VALIDITY(), subject: 'did:example:holder' })));
      await page.click('#verify-button');
      await expect.poll(() => page.getAttribute('#verify-verdict', 'data-verified')).toBe('true');
      expect(await page.textContent('.report-facts')).toContain('DID document translated by the bridge');
      expect(await page.textContent('.report-facts .issuer-id')).toBe(key.did);
      await page.waitForSelector('.issuer-document .key-mark');
      expect(await page.locator('.issuer-document .key-mark').first().textContent()).toContain(key.verificationMethodId.split('#')[1]!);
      expect(await lowContrast(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'verify-did-bid.png'), fullPage: true });

      // A file dropped on the box is read into it (and then verified like pasted text).
      await page.fill('#credential-input', '');
      await page.evaluate((text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], 'credential.jwt', { type: 'text/plain' }));
        document.querySelector('#credential-input')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, jwt);
      await expect.poll(() => page.inputValue('#credential-input')).toBe(jwt);
      expect(await page.textContent('#verify-status')).toBe(`Read credential.jwt (${jwt.length} bytes).`);
      await page.click('#verify-button');
      await expect.poll(() => page.textContent('.report-facts .issuer-id')).toBe(signer.did);
      expect(await page.getAttribute('#verify-verdict', 'data-verified')).toBe('true');

      // Input that is neither JWT nor JSON is refused before any request.
      await page.fill('#credential-input', 'hello');
      await page.click('#verify-button');
      expect(await page.textContent('#verify-status')).toContain('neither a compact JWT nor JSON');
      expectClean(p);
      await p.close();
    });

    it('speaks the browser language (简体中文), switches with the selector, remembers the choice and sets lang', async () => {
      const zh = await open({ locale: 'zh-CN' });
      expect(await zh.page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await zh.page.textContent('#resolve-button')).toBe('解析');
      expect(await zh.page.textContent('#tab-verify')).toBe('验证');
      expect(await zh.page.title()).toBe('didbridge 控制台');
      expect(await lowContrast(zh.page)).toEqual([]);
      await zh.page.screenshot({ path: join(ARTIFACTS, 'zh-CN.png'), fullPage: false });
      await zh.close();

      const p = await open();
      const { page } = p;
      expect(await page.textContent('#resolve-button')).toBe('Resolve');
      // Results follow the switch too: resolve first, then switch.
      await page.fill('#did-input', ids.bid![0]!);
      await page.click('#resolve-button');
      await page.waitForSelector('.changes h3');
      expect(await page.textContent('.changes h3')).toMatch(/^Changes made by the translation/);
      await page.selectOption('#language', 'zh-CN');
      expect(await page.textContent('#resolve-button')).toBe('解析');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.textContent('.changes h3')).toMatch(/^转换所做的修改/);
      expect(await page.textContent('#resolve-timing')).toMatch(/^HTTP 200，耗时 \d+ 毫秒$/);
      await page.screenshot({ path: join(ARTIFACTS, 'zh-CN-resolve.png'), fullPage: false });
      // Remembered across reloads, whatever the browser prefers.
      await page.reload();
      await page.waitForSelector('#resolve-button');
      expect(await page.textContent('#resolve-button')).toBe('解析');
      expect(await page.inputValue('#language')).toBe('zh-CN');
      await page.selectOption('#language', 'en');
      expect(await page.textContent('#resolve-button')).toBe('Resolve');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expectClean(p);
      await p.close();
    });

    it('works from the keyboard alone: Tab reaches the box and the resolve button, Enter resolves, arrows switch views', async () => {
      const p = await open();
      const { page } = p;
      const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName || '');
      const stops: string[] = [];
      await page.keyboard.press('Tab');
      stops.push(await focused());
      expect(stops[0]).toBe('skip-link');
      for (let i = 0; i < 10 && stops[stops.length - 1] !== 'did-input'; i++) {
        await page.keyboard.press('Tab');
        stops.push(await focused());
      }
      expect(stops).toEqual(['skip-link', 'language', 'tab-resolve', 'did-input']);
      await page.keyboard.type(ids.key![1]!);
      for (let i = 0; i < 5 && (await focused()) !== 'resolve-button'; i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe('resolve-button');
      // The focus is visible.
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#resolve-result .comparison');
      expect(await page.textContent('.pane-document pre')).toContain(ids.key![1]!);

      // Every form control has a label.
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, textarea')).filter((el) => (el as HTMLInputElement).labels?.length === 0).map((el) => el.id),
      );
      expect(unlabelled).toEqual([]);

      // Views are tabs: arrows move and select, the selected view's panel is shown.
      await page.focus('#tab-resolve');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('tab-verify');
      expect(await page.getAttribute('#tab-verify', 'aria-selected')).toBe('true');
      expect(await page.isVisible('#panel-verify')).toBe(true);
      expect(await page.isVisible('#panel-resolve')).toBe(false);
      await page.keyboard.press('End');
      expect(await focused()).toBe('tab-conformance');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('tab-resolve');
      expectClean(p);
      await p.close();
    });

    it('opens conformance reports: the JSON report as a matrix with drill-down and translations, the HTML report without its scripts', async () => {
      const report: ConformanceReport = await sampleConformanceReport();
      const matrix = buildMatrix(report);
      const p = await open({ path: '/#conformance' });
      const { page } = p;
      await page.setInputFiles('#report-file', { name: 'conformance.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(report)) });
      await page.waitForSelector('#matrix');
      expect(await page.textContent('#conformance-verdict')).toBe(report.summary.ok ? 'PASS' : 'FAIL');
      expect(await page.locator('#matrix td.cell button').count()).toBe(matrix.rows.length * matrix.sections.length);
      // Every check is listed until a cell is chosen; a failing cell narrows the list to its checks and row.
      expect(await page.locator('#drill-body details.check').count()).toBe(report.checks.length);
      const cell = page.locator('#matrix td.s-fail button').first();
      const [row, section] = [await cell.getAttribute('data-row'), await cell.getAttribute('data-section')];
      await cell.click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('drill-title');
      expect(await page.textContent('#drill-title')).toBe(`Checks of ${row} × ${section}`);
      const shown = await page.locator('#drill-body details.check').count();
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(report.checks.length);
      expect(await page.locator('#drill-body tbody tr').allTextContents()).not.toHaveLength(0);
      // Translated documents open into the side-by-side view.
      const translations = report.targets.flatMap((t) => t.translations ?? []);
      expect(translations.length).toBeGreaterThan(0);
      expect(await page.locator('details.translation').count()).toBe(translations.length);
      await page.locator('details.translation summary').first().click();
      await page.waitForSelector('details.translation .comparison');
      expect(await page.locator('details.translation li.change').count()).toBe((translations[0]!.changes as unknown[]).length);
      expect(await lowContrast(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'conformance-json.png'), fullPage: false });

      // The HTML report: shown without its scripts or styles, with the console's navigation.
      await page.setInputFiles('#report-file', { name: 'conformance.html', mimeType: 'text/html', buffer: Buffer.from(renderHtml(report)) });
      await page.waitForSelector('.html-report');
      expect(await page.locator('.html-report script, .html-report style').count()).toBe(0);
      expect(await page.locator('.html-report [onclick], .html-report [style]').count()).toBe(0);
      const htmlCell = page.locator('.html-report #report-matrix td.s-fail button').first();
      const htmlSection = await htmlCell.getAttribute('data-section');
      await htmlCell.click();
      const sections = await page.locator('.html-report details.check:not([hidden])').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
      expect(sections.length).toBeGreaterThan(0);
      for (const s of sections) expect(s).toBe(htmlSection);
      expect(await lowContrast(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'conformance-html.png'), fullPage: false });

      // Anything else is refused with a reason.
      await page.setInputFiles('#report-file', { name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') });
      await expect.poll(() => page.textContent('#conformance-status')).toContain('not a didbridge conformance report');
      expectClean(p);
      await p.close();
    }, 60_000);

    it('fits a phone-sized screen: one column, nothing wider than the screen', async () => {
      const p = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const { page } = p;
      await page.fill('#did-input', ids.bid![0]!);
      await page.click('#resolve-button');
      await page.waitForSelector('#resolve-result .comparison .pane-original pre');
      const layout = await page.evaluate(() => {
        const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          width: window.innerWidth,
          original: box('.pane-original').left,
          document: box('.pane-document').left,
          documentTop: box('.pane-document').top,
          originalBottom: box('.pane-original').bottom,
          button: box('#resolve-button').width,
        };
      });
      // A mobile browser widens its layout viewport to fit content that overflows: compare with the device width.
      expect(layout.width).toBe(390);
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
      expect(layout.document).toBe(layout.original);
      expect(layout.documentTop).toBeGreaterThanOrEqual(layout.originalBottom);
      // Touch targets: the resolve button spans the column.
      expect(layout.button).toBeGreaterThan(300);
      await page.screenshot({ path: join(ARTIFACTS, 'phone-resolve.png'), fullPage: false });
      await page.click('#tab-verify');
      expect(await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])).toEqual([390, 390]);
      expectClean(p);
      await p.close();
    });
  });
});
