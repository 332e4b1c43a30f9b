/**
 * The HTML report as text: self-contained (nothing loaded from anywhere), deterministic, escaped, with the matrix,
 * the drill-down per check and the translation views with their change records marked on both sides. The same page
 * in a real browser is html-browser.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../conformance/checks/index.js';
import { escapeHtml, jsonHtml, renderHtml, sectionName } from '../../conformance/reporters/html.js';
import { runConformance, type ConformanceReport } from '../../conformance/run.js';
import { documentFixtureTargets, type ConformanceTarget } from '../../conformance/targets.js';
import { CONFORMANT_DIR, INVALID_DIR } from './helpers/fixtures.js';

async function mixedReport(): Promise<ConformanceReport> {
  const hostile: ConformanceTarget = {
    id: 'hostile:<script>alert(1)</script>',
    kind: 'hostile',
    method: 'x"><img src=x onerror=alert(1)>',
    async observe() {
      return [{ subject: 'document', label: '</pre><script>alert(2)</script>', input: { document: { id: 'not a did <b>' }, representation: 'application/did+json' } }];
    },
  };
  return runConformance([...(await documentFixtureTargets(CONFORMANT_DIR)), ...(await documentFixtureTargets(INVALID_DIR, { kind: 'invalid' })), hostile]);
}

describe('HTML report', () => {
  it('is one self-contained page: no external script, style, image or font, a CSP that forbids loading anything', async () => {
    const html = renderHtml(await mixedReport());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    // The only URLs are links to spec sections.
    for (const m of html.matchAll(/href="([^"]+)"/g)) expect(m[1]).toMatch(/^https:\/\//);
  });

  it('escapes everything that comes from targets and documents', async () => {
    const html = renderHtml(await mixedReport());
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('hostile:&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('has a method × section matrix and a drill-down for every check', async () => {
    const report = await mixedReport();
    const html = renderHtml(report);
    const sections = new Set(report.checks.map((c) => sectionName(c.section)));
    const header = html.slice(html.indexOf('<table id="matrix">'), html.indexOf('</thead>', html.indexOf('<table id="matrix">')));
    expect(header.match(/<th class="sec"/g)).toHaveLength(sections.size);
    expect(html).toContain('<th class="row">(invalid)</th>');
    for (const check of CATALOGUE) expect(html).toContain(`id="check-${check.id.replace(/[^A-Za-z0-9_-]+/g, '-')}"`);
    // A failing MUST shows red in its cell.
    expect(html).toMatch(/<td class="cell s-fail"><button type="button" data-row="\(invalid\)" data-section="did-core#verification-material"/);
  });

  it('gives the same bytes for the same report', async () => {
    expect(renderHtml(await mixedReport())).toBe(renderHtml(await mixedReport()));
  });

  it('marks each change record on both sides of a translation', async () => {
    const target: ConformanceTarget = {
      id: 'translated-fixture:toy/x',
      kind: 'translated-fixture',
      method: 'toy',
      async observe() {
        return [
          {
            subject: 'translation',
            label: 'toy/upstream/x.json',
            input: {
              method: 'toy',
              adapter: 'toy',
              canTranslate: true,
              recognised: true,
              original: { id: 'did:toy:1', key: [{ id: 'did:toy:1#k', publicKeyHex: 'ab' }], created: '2020-01-01T00:00:00.5Z' },
              translation: {
                didDocument: { id: 'did:toy:1', verificationMethod: [{ id: 'did:toy:1#k', type: 'Multikey', controller: 'did:toy:1', publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' }] },
                didDocumentMetadata: { created: '2020-01-01T00:00:00Z' },
                changes: [
                  { rule: 'toy.key', from: '/key', to: '/verificationMethod', reason: 'renamed' },
                  { rule: 'toy.created', from: '/created', to: '#metadata/created', reason: 'metadata' },
                ],
              },
            },
          },
        ];
      },
    };
    const html = renderHtml(await runConformance([target]));
    expect(html).toContain('<span data-p="/key" class="jv chg-from c0" title="toy.key">');
    expect(html).toContain('<span data-p="/verificationMethod" class="jv chg-to c0" title="toy.key">');
    expect(html).toContain('<span data-p="/created" class="jv chg-from c1" title="toy.created">');
    expect(html).toContain('<span data-p="#metadata/created" class="jv chg-to c1" title="toy.created">');
    expect(html).toContain('<tr class="change" data-change="c1">');
  });
});

describe('jsonHtml', () => {
  it('wraps every member and item with its JSON pointer (RFC 6901 escaping)', () => {
    const html = jsonHtml({ 'a/b': [1, { '~': null }] }, '', new Map());
    expect(html).toContain('data-p="/a~1b"');
    expect(html).toContain('data-p="/a~1b/0"');
    expect(html).toContain('data-p="/a~1b/1/~0"');
  });

  it('escapes strings', () => {
    expect(jsonHtml('<b>&', '', new Map())).toBe(`<span class="js">${escapeHtml('"<b>&"')}</span>`);
  });
});
