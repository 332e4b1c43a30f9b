/**
 * The console's pure logic, in Node: change records and their pointers (checked against the project's own JSON
 * pointer reader), the conformance report reader and matrix (checked against the HTML reporter's matrix for the same
 * report), and how pasted input becomes a `/1.0/verify` request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../conformance/reporters/html.js';
import type { ConformanceReport } from '../../conformance/run.js';
import { getAtPointer } from '../../src/translation.js';
import { changeMarks, child, pointersOf, readChanges, targetOf } from '../../web/src/changes.js';
import { buildMatrix, cellLabel, drillDown, readReport, REPORT_FORMAT } from '../../web/src/conformance-model.js';
import { requestBodyFor } from '../../web/src/views/verify.js';
import { sampleConformanceReport } from './helpers.js';

describe('change records', () => {
  it('reads records defensively', () => {
    expect(readChanges(undefined)).toEqual([]);
    expect(readChanges([null, 3, 'x', [], { rule: 'r', from: '/a', to: '#metadata/b', reason: 'why', spec: 'https://s' }, { from: 1 }])).toEqual([
      { rule: 'r', from: '/a', to: '#metadata/b', reason: 'why', spec: 'https://s' },
      { rule: '(no rule)', from: null, to: null, reason: '' },
    ]);
  });

  it('splits `to` pointers between the document and its metadata', () => {
    expect(targetOf('/verificationMethod/0')).toEqual({ pane: 'document', pointer: '/verificationMethod/0' });
    expect(targetOf('#metadata/created')).toEqual({ pane: 'metadata', pointer: '/created' });
    expect(targetOf('#metadata')).toEqual({ pane: 'metadata', pointer: '' });
    // Only the exact prefix means metadata: a member named "#metadataX" is a document pointer.
    expect(targetOf('#metadataX/a')).toEqual({ pane: 'document', pointer: '#metadataX/a' });
  });

  it('indexes the changes of each pointer per pane, several changes on one pointer included', () => {
    const marks = changeMarks(
      readChanges([
        { rule: 'a', from: '/authentication', to: '/assertionMethod' },
        { rule: 'b', from: '/authentication', to: '/capabilityInvocation' },
        { rule: 'c', from: '/extension', to: '#metadata/didbridgePreserved' },
        { rule: 'd', from: null, to: '/@context/1' },
        { rule: 'e', from: '/version', to: null },
      ]),
    );
    expect([...marks.original]).toEqual([
      ['/authentication', [0, 1]],
      ['/extension', [2]],
      ['/version', [4]],
    ]);
    expect([...marks.document]).toEqual([
      ['/assertionMethod', [0]],
      ['/capabilityInvocation', [1]],
      ['/@context/1', [3]],
    ]);
    expect([...marks.metadata]).toEqual([['/didbridgePreserved', [2]]]);
  });

  it('names every member and item with a pointer that resolves to it (RFC 6901 escaping included)', () => {
    const doc = { 'a/b': { '~c': [1, { d: null }] }, '': 'empty name', list: [[], {}] };
    const pointers = pointersOf(doc);
    expect(pointers).toContain('/a~1b/~0c/1/d');
    expect(pointers).toContain('/');
    expect(pointers).toHaveLength(10);
    for (const p of pointers) expect(getAtPointer(doc, p), p).not.toBeUndefined();
    expect(child('', 'x/y~')).toBe('/x~1y~0');
  });
});

describe('conformance report', () => {
  let report: ConformanceReport;
  beforeAll(async () => {
    report = await sampleConformanceReport();
  }, 60_000);

  it('reads a report written by the JSON reporter, and refuses other files naming what is wrong', () => {
    expect(readReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(() => readReport([])).toThrow(/JSON object/);
    expect(() => readReport({ format: 'other/1' })).toThrow(/"format" is "other\/1", expected "didbridge-conformance-report\/1"/);
    expect(() => readReport({ ...report, checks: [{ id: 1 }] })).toThrow(/"checks"/);
    expect(() => readReport({ ...report, targets: [{ id: 't', results: [{ check: 'x' }] }] })).toThrow(/results of target "t"/);
    expect(() => readReport({ ...report, summary: { ok: 'yes' } })).toThrow(/"summary"/);
    expect(REPORT_FORMAT).toBe(report.format);
  });

  it('draws the same method × section matrix as the HTML reporter', () => {
    const matrix = buildMatrix(report);
    const html = renderHtml(report);
    // The HTML matrix, cell by cell: row, section, status class and label.
    const htmlCells = [...html.matchAll(/<td class="cell s-([a-z-]+)"><button type="button" data-row="([^"]+)" data-section="([^"]+)"[^>]*>([^<]*)<\/button>/g)].map((m) => ({
      status: m[1] === 'n-a' ? 'n/a' : m[1],
      row: m[2]!.replace(/&amp;/g, '&'),
      section: m[3]!.replace(/&amp;/g, '&'),
      label: m[4],
    }));
    const ours = matrix.rows.flatMap((row) => matrix.sections.map((section) => {
      const cell = matrix.cells.get(row)!.get(section)!;
      return { status: cell.status, row, section, label: cellLabel(cell) };
    }));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours).toEqual(htmlCells);
    // The sample has passing and failing cells, so both kinds are compared.
    expect(ours.some((c) => c.status === 'fail')).toBe(true);
    expect(ours.some((c) => c.status === 'pass')).toBe(true);
  });

  it('drills down into the checks of a cell, limited to its row', () => {
    const matrix = buildMatrix(report);
    const row = matrix.rows.find((r) => [...matrix.cells.get(r)!.values()].some((c) => c.status === 'fail'))!;
    const section = matrix.sections.find((s) => matrix.cells.get(row)!.get(s)!.status === 'fail')!;
    const entries = drillDown(report, row, section);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.status === 'fail')).toBe(true);
    for (const e of entries) {
      for (const r of e.results) expect(r.target.method !== undefined ? `did:${r.target.method}` : `(${r.target.kind})`).toBe(row);
    }
    // Without a cell: every check, every target.
    expect(drillDown(report)).toHaveLength(report.checks.length);
  });
});

describe('verify input', () => {
  const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2ln';
  it('sends a compact JWT as "jwt", also when pasted as a JSON string or with surrounding space', () => {
    expect(requestBodyFor(jwt)).toEqual({ jwt });
    expect(requestBodyFor(`\n  ${jwt}\n`)).toEqual({ jwt });
    expect(requestBodyFor(JSON.stringify(jwt))).toEqual({ jwt });
  });

  it('sends JSON presentations as "presentation" and other objects as "credential"', () => {
    const vp = { '@context': [], type: ['VerifiablePresentation'] };
    const vc = { '@context': [], type: ['VerifiableCredential'] };
    expect(requestBodyFor(JSON.stringify(vp))).toEqual({ presentation: vp });
    expect(requestBodyFor(JSON.stringify({ ...vp, type: 'VerifiablePresentation' }))).toEqual({ presentation: { ...vp, type: 'VerifiablePresentation' } });
    expect(requestBodyFor(JSON.stringify(vc))).toEqual({ credential: vc });
  });

  it('refuses what is neither', () => {
    expect(() => requestBodyFor('not a credential')).toThrow();
    expect(() => requestBodyFor('[1,2]')).toThrow(/JSON object or a compact JWT/);
    expect(() => requestBodyFor('42')).toThrow(/JSON object or a compact JWT/);
  });
});
