/** The reporters: JSON, JUnit XML and Markdown, byte-identical for identical input. */
import { describe, expect, it } from 'vitest';
import { Baseline } from '../../conformance/baseline.js';
import { CATALOGUE } from '../../conformance/checks/index.js';
import { renderJson } from '../../conformance/reporters/json.js';
import { renderJunit } from '../../conformance/reporters/junit.js';
import { renderMarkdown } from '../../conformance/reporters/markdown.js';
import { shortStatement } from '../../conformance/reporters/text.js';
import { runConformance, type ConformanceReport } from '../../conformance/run.js';
import { documentFixtureTargets, type ConformanceTarget } from '../../conformance/targets.js';
import { findAll, parseXml } from './helpers/xml.js';
import { CONFORMANT_DIR, INVALID_DIR } from './helpers/fixtures.js';

/** Conformant and invalid fixtures, a target that cannot be observed, and a baseline hiding one failure. */
async function mixedRun(): Promise<ConformanceReport> {
  const down: ConformanceTarget = {
    id: 'driver:down',
    kind: 'driver',
    async observe() {
      throw new Error('connect ECONNREFUSED <127.0.0.1> & "friends"');
    },
  };
  const targets = [
    ...(await documentFixtureTargets(CONFORMANT_DIR)),
    ...(await documentFixtureTargets(INVALID_DIR, { kind: 'invalid' })),
    down,
  ];
  return runConformance(targets, {
    baseline: new Baseline([
      { check: 'did-core.vm.jwk-no-private', target: 'invalid:vm.jwk-no-private', reason: 'test key; see <fixtures> & README' },
      { check: 'did-core.id.did-syntax', target: 'w3c-document:minimal', reason: 'no longer fails' },
    ]),
  });
}

/** A report whose details carry characters that XML and Markdown must escape or cannot carry at all. */
async function hostileRun(): Promise<ConformanceReport> {
  const hostile: ConformanceTarget = {
    id: 'test:<hostile & "quoted" | piped>',
    kind: 'test',
    title: 'a title with ]]> and \u0001 and \uD800',
    async observe() {
      return [
        {
          subject: 'document',
          label: 'label with `backticks` and *stars*\nand a newline',
          input: {
            document: { id: 'did:example:a\u0000b</failure><x>', controller: ['did:example:ok', 'not|a|did ]]> \u001B[31m'] },
            representation: 'application/did+json',
          },
        },
      ];
    },
  };
  return runConformance([hostile]);
}

describe('JSON reporter', () => {
  it('serialises the whole report and reads back to it', async () => {
    const report = await mixedRun();
    const text = renderJson(report);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(report);
  });
});

describe('JUnit reporter', () => {
  it('writes well-formed XML', async () => {
    const xml = renderJunit(await mixedRun());
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it('stays well-formed with markup, control characters and lone surrogates in the data', async () => {
    const xml = renderJunit(await hostileRun());
    const root = parseXml(xml);
    const suite = findAll(root, 'testsuite')[0]!;
    expect(suite.attributes.name).toBe('test:<hostile & "quoted" | piped>');
    const title = findAll(suite, 'property').find((p) => p.attributes.name === 'title')!;
    expect(title.attributes.value).toBe('a title with ]]> and \\u0001 and \\uD800');
    const idCase = findAll(suite, 'testcase').find((t) => t.attributes.name!.startsWith('did-core.id.did-syntax'))!;
    expect(findAll(idCase, 'failure')[0]!.text).toContain('did:example:a\\u0000b</failure><x>');
  });

  it('has one testcase per check per target, classname the target, name the check id and a short statement', async () => {
    const report = await mixedRun();
    const root = parseXml(renderJunit(report));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(report.targets.map((t) => t.id));
    for (const suite of suites) {
      const cases = findAll(suite, 'testcase').filter((c) => c.attributes.name !== '(observe)');
      expect(cases.map((c) => c.attributes.name!.split(':')[0])).toEqual(CATALOGUE.map((c) => c.id));
      for (const c of cases) expect(c.attributes.classname).toBe(suite.attributes.name);
    }
    const minimal = suites.find((s) => s.attributes.name === 'w3c-document:minimal')!;
    const first = findAll(minimal, 'testcase')[0]!;
    expect(first.attributes.name).toBe(`${CATALOGUE[0]!.id}: ${shortStatement(CATALOGUE[0]!.statement)}`);
  });

  it('writes <failure> with the detail and the section URL for a new MUST failure', async () => {
    const root = parseXml(renderJunit(await mixedRun()));
    const suite = findAll(root, 'testsuite').find((s) => s.attributes.name === 'invalid:vm.multibase')!;
    const failures = findAll(suite, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attributes.type).toBe('MUST');
    expect(failures[0]!.attributes.message).toContain('"H" is not a multibase prefix');
    expect(failures[0]!.text).toContain('at /verificationMethod/0/publicKeyMultibase');
    expect(failures[0]!.text).toContain('https://www.w3.org/TR/did-core/#verification-material');
    expect(suite.attributes.failures).toBe('1');
  });

  it('writes <skipped> for n/a, skip and baselined results, and the SHOULD finding as output of a passing case', async () => {
    const root = parseXml(renderJunit(await mixedRun()));
    const byName = (suiteName: string, check: string) =>
      findAll(findAll(root, 'testsuite').find((s) => s.attributes.name === suiteName)!, 'testcase').find((c) =>
        c.attributes.name!.startsWith(`${check}:`),
      )!;
    const baselined = byName('invalid:vm.jwk-no-private', 'did-core.vm.jwk-no-private');
    expect(findAll(baselined, 'failure')).toHaveLength(0);
    expect(findAll(baselined, 'skipped')[0]!.attributes.message).toBe('baselined: test key; see <fixtures> & README');
    const na = byName('w3c-document:minimal', 'did-core.vm.multibase');
    expect(findAll(na, 'skipped')[0]!.attributes.message).toMatch(/^n\/a: /);
    const should = byName('invalid:document.no-metadata-properties', 'did-core.document.no-metadata-properties');
    expect(findAll(should, 'failure')).toHaveLength(0);
    expect(findAll(should, 'system-out')[0]!.text).toMatch(/^SHOULD not met/);
  });

  it('reports a target that could not be observed as an <error>', async () => {
    const root = parseXml(renderJunit(await mixedRun()));
    const suite = findAll(root, 'testsuite').find((s) => s.attributes.name === 'driver:down')!;
    expect(suite.attributes.errors).toBe('1');
    expect(findAll(suite, 'error')[0]!.attributes.message).toBe('connect ECONNREFUSED <127.0.0.1> & "friends"');
  });

  it('keeps the totals consistent with the suites', async () => {
    const report = await mixedRun();
    const root = parseXml(renderJunit(report));
    const suites = findAll(root, 'testsuite');
    for (const key of ['tests', 'failures', 'errors', 'skipped']) {
      const sum = suites.reduce((n, s) => n + Number(s.attributes[key]), 0);
      expect(Number(root.attributes[key]), key).toBe(sum);
    }
    expect(Number(root.attributes.failures)).toBe(report.summary.newMustFailures.length);
    expect(findAll(root, 'testcase')).toHaveLength(Number(root.attributes.tests));
    expect(findAll(root, 'failure')).toHaveLength(Number(root.attributes.failures));
  });
});

describe('Markdown reporter', () => {
  it('opens with the verdict and a table with one row per target and a total', async () => {
    const report = await mixedRun();
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe(
      `## didbridge conformance: FAIL (${report.summary.newMustFailures.length} new MUST failures, 1 target error)`,
    );
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.slice(0, report.targets.length).map((r) => r.split(' | ')[0])).toEqual(report.targets.map((t) => `| \`${t.id}\`${t.error ? ' (error)' : ''}`));
    const multibase = report.targets.find((t) => t.id === 'invalid:vm.multibase')!.counts;
    expect(md).toContain(
      `| \`invalid:vm.multibase\` | ${multibase.pass} | 1 | 0 | 0 | ${multibase.skip} | ${multibase.na} |`,
    );
    expect(md).toContain(`| **total** | ${report.summary.counts.pass} | ${report.summary.counts.fail} |`);
  });

  it('lists failing MUSTs with links to their sections, and the baselined, stale and warning findings', async () => {
    const md = renderMarkdown(await mixedRun());
    expect(md).toContain('### Failing MUSTs');
    expect(md).toContain(
      '| `invalid:vm.multibase` | [`did-core.vm.multibase`](https://www.w3.org/TR/did-core/#verification-material) |',
    );
    expect(md).toContain('1 failure hidden by the baseline');
    expect(md).toContain('test key; see &lt;fixtures&gt; &amp; README');
    expect(md).toContain('### Baseline entries that no longer fail (remove them)');
    expect(md).toContain('- `w3c-document:minimal` [`did-core.id.did-syntax`]');
    const shouldFixtures = CATALOGUE.filter((c) => c.level === 'SHOULD').length;
    expect(md).toContain(`${shouldFixtures} SHOULD warnings`);
    expect(md).toContain('### Targets that could not be observed');
  });

  it('says PASS and lists nothing else when all is well', async () => {
    const md = renderMarkdown(await runConformance(await documentFixtureTargets(CONFORMANT_DIR)));
    expect(md.split('\n')[0]).toBe('## didbridge conformance: PASS');
    expect(md).not.toContain('### Failing MUSTs');
    expect(md).not.toContain('<details>');
  });

  it('escapes table-breaking and HTML characters from the data', async () => {
    const md = renderMarkdown(await hostileRun());
    const row = md.split('\n').find((l) => l.includes('did-core.controller.did-syntax') && l.includes('not'))!;
    // Every "|" inside a cell is escaped, so the row still has exactly four cells.
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(4);
    expect(row).not.toMatch(/<(?!br>)/);
    expect(md).not.toContain('\n\n\n');
  });
});

describe('determinism', () => {
  it('two runs over the same input give byte-identical JSON, JUnit and Markdown', async () => {
    const [one, two] = [await mixedRun(), await mixedRun()];
    expect(renderJson(two)).toBe(renderJson(one));
    expect(renderJunit(two)).toBe(renderJunit(one));
    expect(renderMarkdown(two)).toBe(renderMarkdown(one));
  });

  it('the order targets are given in does not change the bytes', async () => {
    const targets = await documentFixtureTargets(INVALID_DIR);
    const forward = await runConformance(targets);
    const backward = await runConformance([...targets].reverse());
    expect(renderJunit(backward)).toBe(renderJunit(forward));
    expect(renderJson(backward)).toBe(renderJson(forward));
  });
});

describe('shortStatement', () => {
  it('takes the first sentence that states a requirement and cuts long ones at a word', () => {
    expect(shortStatement('The controller property is OPTIONAL. If present, the value MUST be a string.')).toBe(
      'If present, the value MUST be a string.',
    );
    const long = shortStatement(`The value MUST ${'be very long '.repeat(20)}indeed.`, 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('…')).toBe(true);
    expect(long).toMatch(/^The value MUST be very long/);
  });
});
