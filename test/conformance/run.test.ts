/** The runner: targets in, a deterministic report out; the baseline decides which failures fail the run. */
import { describe, expect, it } from 'vitest';
import { Baseline, parseBaseline, loadBaseline } from '../../conformance/baseline.js';
import type { Check } from '../../conformance/catalogue.js';
import { CATALOGUE, compareIds } from '../../conformance/checks/index.js';
import { runConformance } from '../../conformance/run.js';
import { documentFixtureTargets, type ConformanceTarget } from '../../conformance/targets.js';
import { parseDocumentFixture } from '../../conformance/fixtures.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANT_DIR, INVALID_DIR, loadInvalid } from './helpers/fixtures.js';

/** A target holding one document, for tests. */
function documentTarget(name: string, document: unknown, metadata?: unknown): ConformanceTarget {
  return {
    id: `test:${name}`,
    kind: 'test',
    async observe() {
      return [
        {
          subject: 'document',
          label: name,
          input: metadata === undefined ? { document, representation: 'application/did+json' } : { document, representation: 'application/did+json', metadata },
        },
      ];
    },
  };
}

const GOOD = { id: 'did:example:123' };
const LEAKS_KEY = {
  id: 'did:example:456',
  verificationMethod: [
    {
      id: 'did:example:456#k',
      type: 'JsonWebKey2020',
      controller: 'did:example:456',
      publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'mCPGoPLARZ4kgM37awLYsZzgIy5Z2xY6_FqEUVPZOwA', d: 'AAAA' },
    },
  ],
};
const HAS_CREATED = { id: 'did:example:789', created: '2020-01-01T00:00:00Z' };

describe('runConformance', () => {
  it('passes the conformant fixtures: one target per file, every check reported for every target', async () => {
    const targets = await documentFixtureTargets(CONFORMANT_DIR);
    const report = await runConformance(targets);
    expect(report.summary.ok).toBe(true);
    expect(report.summary.newMustFailures).toEqual([]);
    expect(report.targets.map((t) => t.id)).toContain('w3c-document:core-properties');
    for (const target of report.targets) {
      expect(target.results.map((r) => r.check)).toEqual(CATALOGUE.map((c) => c.id));
      expect(target.counts.fail + target.counts.warn).toBe(0);
    }
    expect(report.summary.counts.pass).toBeGreaterThan(0);
  });

  it('fails on the invalid fixtures, listing exactly each fixture\'s MUST check as a new failure', async () => {
    const targets = await documentFixtureTargets(INVALID_DIR, { kind: 'invalid' });
    const report = await runConformance(targets);
    const fixtures = await loadInvalid();
    const byId = new Map(CATALOGUE.map((c) => [c.id, c]));
    const expected = fixtures
      .filter((f) => byId.get(f.fixture.breaks)!.level === 'MUST')
      .map((f) => ({ check: f.fixture.breaks, target: `invalid:${f.name}` }))
      .sort((a, b) => compareIds(a.target, b.target));
    expect(report.summary.ok).toBe(false);
    expect(report.summary.newMustFailures).toEqual(expected);
    // The SHOULD fixture is a warning, not a failure.
    const should = report.targets.find((t) => t.id === 'invalid:document.no-metadata-properties')!;
    expect(should.counts).toMatchObject({ fail: 0, warn: 1 });
  });

  it('orders targets and checks by id whatever the input order, and records where each outcome came from', async () => {
    const a = documentTarget('a', GOOD);
    const b = documentTarget('b', LEAKS_KEY);
    const one = await runConformance([b, a]);
    const two = await runConformance([a, b]);
    expect(one).toEqual(two);
    expect(one.targets.map((t) => t.id)).toEqual(['test:a', 'test:b']);
    const leak = one.targets[1]!.results.find((r) => r.check === 'did-core.vm.jwk-no-private')!;
    expect(leak.outcomes.find((o) => o.status === 'fail')).toEqual({
      status: 'fail',
      detail: 'the JWK contains the private member "d": the private key is published',
      pointer: '/verificationMethod/0/publicKeyJwk/d',
      observation: 'b',
    });
  });

  it('writes no timestamp unless asked, then uses the injected clock', async () => {
    const plain = await runConformance([documentTarget('a', GOOD)]);
    expect('generatedAt' in plain).toBe(false);
    const stamped = await runConformance([documentTarget('a', GOOD)], {
      timestamps: true,
      now: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(stamped.generatedAt).toBe('2026-01-02T03:04:05.678Z');
  });

  it('reports checks of a subject the target does not produce as n/a', async () => {
    const resolutionCheck: Check<'resolution'> = {
      id: 'test.resolution.something',
      section: 'https://w3c.github.io/did-resolution/#resolving',
      level: 'MUST',
      subject: 'resolution',
      statement: 'A resolver MUST do something.',
      source: 'quoted',
      run: () => [{ status: 'fail', detail: 'never reached' }],
    };
    const report = await runConformance([documentTarget('a', GOOD)], { catalogue: [resolutionCheck] });
    expect(report.targets[0]!.results).toEqual([
      {
        check: 'test.resolution.something',
        level: 'MUST',
        status: 'n/a',
        outcomes: [{ status: 'n/a', detail: 'the target gives no resolution observation' }],
      },
    ]);
    expect(report.summary.ok).toBe(true);
  });

  it('runs a check once per observation of its subject, keeping n/a outcomes only when it applies to none', async () => {
    const twoDocs: ConformanceTarget = {
      id: 'test:two',
      kind: 'test',
      async observe() {
        return [
          { subject: 'document', label: 'json', input: { document: GOOD, representation: 'application/did+json' } },
          { subject: 'document', label: 'ld', input: { document: GOOD, representation: 'application/did+ld+json' } },
        ];
      },
    };
    const report = await runConformance([twoDocs]);
    const context = report.targets[0]!.results.find((r) => r.check === 'did-core.jsonld.context-present')!;
    expect(context.status).toBe('fail');
    expect(context.outcomes.map((o) => [o.observation, o.status])).toEqual([['ld', 'fail']]);
    const jwk = report.targets[0]!.results.find((r) => r.check === 'did-core.vm.jwk-no-private')!;
    expect(jwk.status).toBe('n/a');
    expect(jwk.outcomes.map((o) => [o.observation, o.status])).toEqual([['json', 'n/a']]);
  });

  it('fails the run when a target cannot be observed, and skips its checks', async () => {
    const down: ConformanceTarget = {
      id: 'driver:down',
      kind: 'driver',
      async observe() {
        throw new Error('connect ECONNREFUSED 127.0.0.1:8080');
      },
    };
    const report = await runConformance([down, documentTarget('a', GOOD)]);
    expect(report.summary.ok).toBe(false);
    expect(report.summary.targetErrors).toEqual(['driver:down']);
    const target = report.targets.find((t) => t.id === 'driver:down')!;
    expect(target.error).toBe('connect ECONNREFUSED 127.0.0.1:8080');
    expect(new Set(target.results.map((r) => r.status))).toEqual(new Set(['skip']));
  });

  it('refuses two targets with the same id', async () => {
    await expect(runConformance([documentTarget('a', GOOD), documentTarget('a', GOOD)])).rejects.toThrow(/two targets/);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runConformance([documentTarget('a', GOOD)], { signal: controller.signal })).rejects.toThrow();
  });
});

describe('baseline', () => {
  const targets = () => [documentTarget('good', GOOD), documentTarget('leak', LEAKS_KEY), documentTarget('created', HAS_CREATED)];

  it('hides a listed MUST failure: the run passes and the report says what was hidden', async () => {
    const baseline = new Baseline([
      { check: 'did-core.vm.jwk-no-private', target: 'test:leak', reason: 'upstream publishes d; issue #12' },
    ]);
    const report = await runConformance(targets(), { baseline });
    expect(report.summary.ok).toBe(true);
    expect(report.summary.newMustFailures).toEqual([]);
    expect(report.baseline.hidden).toEqual([
      { check: 'did-core.vm.jwk-no-private', target: 'test:leak', reason: 'upstream publishes d; issue #12', level: 'MUST' },
    ]);
    const leak = report.targets.find((t) => t.id === 'test:leak')!;
    expect(leak.results.find((r) => r.check === 'did-core.vm.jwk-no-private')).toMatchObject({
      status: 'fail',
      baselined: 'upstream publishes d; issue #12',
    });
    expect(leak.counts).toMatchObject({ fail: 0, baselined: 1 });
  });

  it('does not hide a failure of another check or another target', async () => {
    const baseline = new Baseline([{ check: 'did-core.vm.jwk-no-private', target: 'test:good', reason: 'wrong target' }]);
    const report = await runConformance(targets(), { baseline });
    expect(report.summary.ok).toBe(false);
    expect(report.summary.newMustFailures).toEqual([{ check: 'did-core.vm.jwk-no-private', target: 'test:leak' }]);
  });

  it('reports entries that no longer fail as stale, and entries for targets or checks not run as unused', async () => {
    const baseline = new Baseline([
      { check: 'did-core.vm.jwk-no-private', target: 'test:leak', reason: 'known' },
      { check: 'did-core.id.did-syntax', target: 'test:good', reason: 'fixed since' },
      { check: 'did-core.id.did-syntax', target: 'test:gone', reason: 'target removed' },
      { check: 'did-core.renamed-check', target: 'test:good', reason: 'check renamed' },
    ]);
    const report = await runConformance(targets(), { baseline });
    expect(report.summary.ok).toBe(true);
    expect(report.baseline.stale).toEqual([{ check: 'did-core.id.did-syntax', target: 'test:good', reason: 'fixed since' }]);
    // Sorted by target, then check.
    expect(report.baseline.unused).toEqual([
      { check: 'did-core.id.did-syntax', target: 'test:gone', reason: 'target removed' },
      { check: 'did-core.renamed-check', target: 'test:good', reason: 'check renamed' },
    ]);
    const strict = await runConformance(targets(), { baseline, failOnStaleBaseline: true });
    expect(strict.summary).toMatchObject({ ok: false, staleBaselineFails: true, newMustFailures: [] });
  });

  it('can hide a SHOULD failure too (it then counts as baselined, not as a warning)', async () => {
    const baseline = new Baseline([
      { check: 'did-core.document.no-metadata-properties', target: 'test:created', reason: 'kept for old clients' },
    ]);
    const report = await runConformance(targets(), { baseline });
    const created = report.targets.find((t) => t.id === 'test:created')!;
    expect(created.counts).toMatchObject({ warn: 0, baselined: 1 });
  });

  it('parseBaseline validates the file', () => {
    expect(parseBaseline([{ check: 'a', target: 'b', reason: 'c' }]).find('a', 'b')).toEqual({ check: 'a', target: 'b', reason: 'c' });
    expect(() => parseBaseline({})).toThrow(/array/);
    expect(() => parseBaseline([{ check: 'a', target: 'b' }], 'x.json')).toThrow(/x\.json\[0\]: "reason"/);
    expect(() => parseBaseline([{ check: 'a', target: 'b', reason: 'c', note: 'd' }])).toThrow(/unknown member/);
    expect(() => parseBaseline([null])).toThrow(/an entry is an object/);
    expect(() =>
      parseBaseline([
        { check: 'a', target: 'b', reason: 'c' },
        { check: 'a', target: 'b', reason: 'd' },
      ]),
    ).toThrow(/twice/);
  });

  it('loadBaseline reads a JSON file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'didbridge-baseline-'));
    try {
      const path = join(dir, 'baseline.json');
      await writeFile(path, JSON.stringify([{ check: 'did-core.vm.multibase', target: 'w3c-document:x', reason: 'r' }]));
      expect((await loadBaseline(path)).entries).toHaveLength(1);
      await writeFile(path, '[{');
      await expect(loadBaseline(path)).rejects.toThrow(/not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('document fixture files', () => {
  it('are validated with the file and field named', () => {
    expect(() => parseDocumentFixture([], 'f.json')).toThrow(/f\.json: a fixture is a JSON object/);
    expect(() => parseDocumentFixture({ title: 't', spec: 'https://x/#y', representation: 'application/json', document: {} }, 'f.json')).toThrow(
      /representation/,
    );
    expect(() => parseDocumentFixture({ title: 't', spec: 'https://x/', representation: 'application/did+json', document: {} }, 'f.json')).toThrow(
      /fragment/,
    );
    expect(() => parseDocumentFixture({ title: 't', spec: 'https://x/#y', representation: 'application/did+json' }, 'f.json')).toThrow(
      /"document" is missing/,
    );
  });
});
