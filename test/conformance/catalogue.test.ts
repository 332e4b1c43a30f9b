/** The catalogue as data: well-formed, stable, and honest about where each statement comes from. */
import { describe, expect, it } from 'vitest';
import { aggregateStatus, assertCatalogue, OutcomeCollector, type CheckInfo } from '../../conformance/catalogue.js';
import { CATALOGUE, compareIds } from '../../conformance/checks/index.js';

const valid: CheckInfo = {
  id: 'did-core.example.check',
  section: 'https://www.w3.org/TR/did-core/#x',
  level: 'MUST',
  subject: 'document',
  statement: 'X MUST be Y.',
  source: 'quoted',
};

describe('the catalogue', () => {
  it('passes its own validation (unique well-formed ids, https sections with fragments, explained paraphrases)', () => {
    expect(() => assertCatalogue(CATALOGUE)).not.toThrow();
  });

  it('is sorted by id', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(ids).toEqual([...ids].sort(compareIds));
  });

  it('cites DID Core 1.0 sections for every did-core check', () => {
    for (const check of CATALOGUE.filter((c) => c.id.startsWith('did-core.'))) {
      expect(check.section, check.id).toMatch(/^https:\/\/www\.w3\.org\/TR\/did-core\/#[a-z0-9-]+$/);
    }
  });

  it('quotes statements that carry the keyword of their level', () => {
    for (const check of CATALOGUE.filter((c) => c.source !== 'paraphrased')) {
      expect(check.statement, check.id).toMatch(check.level === 'MUST' ? /\bMUST\b/ : /\bSHOULD\b/);
    }
  });

  it('holds the checks the lead asked for under their stable ids', () => {
    const ids = new Set(CATALOGUE.map((c) => c.id));
    for (const id of [
      'did-core.id.did-syntax',
      'did-core.controller.did-syntax',
      'did-core.also-known-as.uri-set',
      'did-core.vm.jwk-no-private',
      'did-core.vm.single-material',
      'did-core.vm.multibase',
      'did-core.relationship.reference-resolves',
      'did-core.service.id-unique',
      'did-core.jsonld.context-value',
      'did-core.json.types',
      'did-core.metadata.datetime',
      'did-core.metadata.equivalent-id-same-method',
      'did-core.document.no-metadata-properties',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});

describe('assertCatalogue rejects', () => {
  it.each([
    ['an id with upper case', { ...valid, id: 'did-core.Vm' }, /lower-case/],
    ['a section without fragment', { ...valid, section: 'https://www.w3.org/TR/did-core/' }, /fragment/],
    ['a section that is not a URL', { ...valid, section: 'did-core §5' }, /not a URL/],
    ['an empty statement', { ...valid, statement: ' ' }, /empty/],
    ['a paraphrase without a note', { ...valid, source: 'paraphrased' as const }, /note/],
  ])('%s', (_what, check, message) => {
    expect(() => assertCatalogue([check])).toThrow(message);
  });

  it('a repeated id', () => {
    expect(() => assertCatalogue([valid, valid])).toThrow(/twice/);
  });
});

describe('aggregateStatus', () => {
  it.each([
    [['pass', 'fail', 'pass'], 'fail'],
    [['pass', 'skip', 'n/a'], 'pass'],
    [['skip', 'n/a'], 'skip'],
    [['n/a'], 'n/a'],
    [[], 'n/a'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(aggregateStatus(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('OutcomeCollector', () => {
  it('reports n/a with the reason when nothing was recorded', () => {
    expect(new OutcomeCollector().done('nothing to look at')).toEqual([{ status: 'n/a', detail: 'nothing to look at' }]);
  });

  it('keeps outcomes in the order recorded and omits absent fields', () => {
    const out = new OutcomeCollector();
    out.pass('/a');
    out.fail('/b', 'bad');
    out.skip(undefined, 'later');
    expect(out.done('unused')).toEqual([
      { status: 'pass', pointer: '/a' },
      { status: 'fail', detail: 'bad', pointer: '/b' },
      { status: 'skip', detail: 'later' },
    ]);
  });
});
