/**
 * The checks of resolution results, error objects, dereferencing results, HTTP exchanges and translations, against
 * data: conformant fixtures (what didbridge produces, fixtures/conformant/<subject>.*.json) fail no check, together
 * they give every check a passing outcome, and mutating them in each way a check forbids fails exactly that check.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../conformance/checks/index.js';
import { DEREFERENCING_CHECKS } from '../../conformance/checks/dereferencing.js';
import { HTTP_CHECKS } from '../../conformance/checks/http.js';
import { ERROR_CHECKS, RESOLUTION_CHECKS } from '../../conformance/checks/resolution.js';
import { TRANSLATION_CHECKS } from '../../conformance/checks/translation.js';
import { DID_CORE_DOCUMENT_CHECKS } from '../../conformance/checks/did-core.js';
import { isDocumentFixture, parseFixture, type SubjectFixture } from '../../conformance/fixtures.js';
import { fixtureObservations } from '../../conformance/targets.js';
import { CONFORMANT_DIR, loadConformant } from './helpers/fixtures.js';
import { evaluate, failing } from './helpers/evaluate.js';
import { SUBJECT_MUTATIONS } from './helpers/subject-mutations.js';

const SUBJECT_CHECKS = [...RESOLUTION_CHECKS, ...ERROR_CHECKS, ...DEREFERENCING_CHECKS, ...HTTP_CHECKS, ...TRANSLATION_CHECKS];

function subjectFixture(name: string): SubjectFixture {
  const path = `${CONFORMANT_DIR}${name}.json`;
  const fixture = parseFixture(JSON.parse(readFileSync(path, 'utf8')), path);
  if (isDocumentFixture(fixture)) throw new Error(`${name} is a document fixture`);
  return fixture;
}

describe('the catalogue', () => {
  it('is the DID Core document checks plus the resolution, error, dereferencing, HTTP and translation checks', () => {
    const ids = [...DID_CORE_DOCUMENT_CHECKS, ...SUBJECT_CHECKS].map((c) => c.id).sort();
    expect(CATALOGUE.map((c) => c.id)).toEqual(ids);
  });
});

describe('conformant fixtures of the other subjects (fixtures/conformant/<subject>.*.json)', async () => {
  const fixtures = (await loadConformant()).filter(({ fixture }) => !isDocumentFixture(fixture));

  it('cover resolution, error, dereferencing, http and translation', () => {
    const subjects = new Set(fixtures.map(({ fixture }) => (fixture as SubjectFixture).subject));
    expect([...subjects].sort()).toEqual(['dereferencing', 'error', 'http', 'resolution', 'translation']);
  });

  for (const { name, fixture } of fixtures) {
    it(`${name}: fails no check, MUST or SHOULD (over everything derived from it)`, () => {
      expect(failing(fixtureObservations(fixture, name))).toEqual([]);
    });
  }

  it('together give every check of these subjects a passing outcome', () => {
    const passed = new Set<string>();
    for (const { name, fixture } of fixtures) {
      for (const [id, r] of evaluate(fixtureObservations(fixture, name))) if (r.status === 'pass') passed.add(id);
    }
    expect(SUBJECT_CHECKS.map((c) => c.id).filter((id) => !passed.has(id))).toEqual([]);
  });
});

describe('mutation test: each forbidden mutation fails exactly its check', () => {
  it('has at least one mutation for every check of these subjects', () => {
    const mutated = new Set(SUBJECT_MUTATIONS.map((m) => m.check));
    expect(SUBJECT_CHECKS.map((c) => c.id).filter((id) => !mutated.has(id))).toEqual([]);
  });

  for (const mutation of SUBJECT_MUTATIONS) {
    it(`${mutation.check}: ${mutation.what} (from ${mutation.base})`, () => {
      const base = subjectFixture(mutation.base);
      expect(failing(fixtureObservations(base, mutation.base))).toEqual([]);
      const input = structuredClone(base.input) as never;
      mutation.apply(input);
      const mutated = { ...base, input };
      expect(failing(fixtureObservations(mutated, mutation.base))).toEqual([mutation.check]);
    });
  }
});

describe('what the checks accept', () => {
  const run = (name: string, edit: (input: any) => void) => {
    const base = subjectFixture(name);
    const input = structuredClone(base.input) as any;
    edit(input);
    return evaluate(fixtureObservations({ ...base, input }, name));
  };

  it('reads the error name in any spelling for the outcome checks (legacy keyword, bare token)', () => {
    for (const spelling of ['notFound', 'NOT_FOUND', 'not_found']) {
      const results = run('resolution.not-found', (i) => void (i.result.didResolutionMetadata.error.type = spelling));
      expect(results.get('did-resolution.error.not-found')!.status).toBe('pass');
    }
  });

  it('answers n/a, not fail, for a resolution the target expects nothing of', () => {
    const results = run('resolution.not-found', (i) => void delete i.expectedOutcome);
    expect(results.get('did-resolution.error.not-found')!.status).toBe('n/a');
    expect(results.get('did-resolution.metadata.error-present')!.status).toBe('n/a');
  });

  it('holds the uniresolver profile to the same status table', () => {
    expect(run('http.not-found-uniresolver', () => undefined).get('did-resolution.http.error-status')!.status).toBe('pass');
  });

  it('skips TLS for a driver on loopback, and passes it behind https', () => {
    expect(run('http.result', () => undefined).get('did-resolution.http.tls')!.status).toBe('skip');
    expect(run('http.result-tls', () => undefined).get('did-resolution.http.tls')!.status).toBe('pass');
  });

  it('accepts a 410 whose result carries no error (a deactivated DID is not an error)', () => {
    expect(run('http.deactivated', () => undefined).get('uniresolver.http.error-body')!.status).toBe('pass');
  });

  it('lets a golden file leave out didbridge extension metadata, and compares it when the golden file has it', () => {
    const left = run('translation.legacy-document', (i) => void (i.translation.didDocumentMetadata.didbridgePreserved = { data: '{}' }));
    expect(left.get('didbridge.translation.golden')!.status).toBe('pass');
    const pinned = run('translation.legacy-document', (i) => {
      i.translation.didDocumentMetadata.didbridgePreserved = { data: '{}' };
      i.golden.didDocumentMetadata.didbridgePreserved = { data: '{"a":1}' };
    });
    expect(pinned.get('didbridge.translation.golden')!.status).toBe('fail');
  });

  it('skips the translation checks when no adapter serves the method', () => {
    const results = run('translation.legacy-document', (i) => void delete i.adapter);
    for (const check of TRANSLATION_CHECKS) expect(results.get(check.id)!.status, check.id).toBe('skip');
  });

  it('shows a golden mismatch as a diff with JSON pointers', () => {
    const results = run('translation.legacy-document', (i) => void (i.translation.didDocument.verificationMethod[0].type = 'Ed25519VerificationKey2020'));
    const outcome = results.get('didbridge.translation.golden')!.outcomes.find((o) => o.status === 'fail')!;
    expect(outcome.pointer).toBe('/verificationMethod/0/type');
    expect(outcome.detail).toContain('expected "Multikey", found "Ed25519VerificationKey2020"');
  });
});
