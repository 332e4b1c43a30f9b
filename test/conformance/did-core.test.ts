/**
 * The DID Core document checks against data: conformant fixtures pass everything, each invalid fixture fails exactly
 * the check it names, and mutating a conformant document in each way a check forbids fails exactly that check.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../conformance/checks/index.js';
import {
  checkDocument,
  DID_CORE_DOCUMENT_CHECKS,
  JWK_PRIVATE_MEMBERS,
  METADATA_PROPERTY_NAMES,
} from '../../conformance/checks/did-core.js';
import { applyCheck, mustFailures, type Check } from '../../conformance/catalogue.js';
import type { DocumentMediaType } from '../../src/spec.js';
import { fixtureObservations } from '../../conformance/targets.js';
import { failing as failingObservations, evaluate } from './helpers/evaluate.js';
import { conformantFixture, loadConformantDocuments, loadInvalid } from './helpers/fixtures.js';

const DID = 'did:example:123456789abcdefghi';

/** Ids of the checks that fail (any level). */
function failing(document: unknown, representation: DocumentMediaType, metadata?: unknown): string[] {
  return checkDocument(document, metadata === undefined ? { representation } : { representation, metadata })
    .filter((r) => r.status === 'fail')
    .map((r) => r.check);
}

function statusOf(check: string, document: unknown, representation: DocumentMediaType, metadata?: unknown) {
  const result = checkDocument(document, metadata === undefined ? { representation } : { representation, metadata }).find(
    (r) => r.check === check,
  );
  if (!result) throw new Error(`no check ${check}`);
  return result;
}

describe('conformant document fixtures (fixtures/conformant)', async () => {
  const fixtures = await loadConformantDocuments();

  it('are there, and each is a W3C document citing an https spec section', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  for (const { name, fixture } of fixtures) {
    it(`${name}: fails no check, MUST or SHOULD`, () => {
      expect(failing(fixture.document, fixture.representation, fixture.metadata)).toEqual([]);
    });
  }

  it('together give every check a passing outcome (no check is only ever n/a)', () => {
    const passed = new Set<string>();
    for (const { fixture } of fixtures) {
      for (const r of checkDocument(fixture.document, { representation: fixture.representation, metadata: fixture.metadata })) {
        if (r.status === 'pass') passed.add(r.check);
      }
    }
    expect(DID_CORE_DOCUMENT_CHECKS.map((c) => c.id).filter((id) => !passed.has(id))).toEqual([]);
  });
});

describe('invalid fixtures (fixtures/invalid), of every subject', async () => {
  const fixtures = await loadInvalid();
  const byId = new Map(CATALOGUE.map((c) => [c.id, c]));

  it('cover every check of the catalogue', () => {
    const broken = new Set(fixtures.map((f) => f.fixture.breaks));
    expect(CATALOGUE.map((c) => c.id).filter((id) => !broken.has(id))).toEqual([]);
  });

  for (const { name, fixture } of fixtures) {
    describe(name, () => {
      it('names a catalogue check and carries its statement and section', () => {
        const check = byId.get(fixture.breaks);
        expect(check, `unknown check ${fixture.breaks}`).toBeDefined();
        expect(fixture.statement).toBe(check!.statement);
        expect(fixture.spec).toBe(check!.section);
      });

      it(`fails ${fixture.breaks} and no other check`, () => {
        expect(failingObservations(fixtureObservations(fixture, name))).toEqual([fixture.breaks]);
      });

      it('points at the offending value', () => {
        const result = evaluate(fixtureObservations(fixture, name)).get(fixture.breaks)!;
        const failed = result.outcomes.filter((o) => o.status === 'fail');
        expect(failed.length).toBeGreaterThan(0);
        for (const o of failed) {
          expect(typeof o.pointer).toBe('string');
          expect(o.detail).toMatch(/\S/);
        }
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Mutation test

type Doc = Record<string, any>;
interface Mutation {
  check: string;
  what: string;
  /** Which conformant document to start from. Default the JSON one with metadata (core-properties). */
  base?: 'core-properties' | 'multikey-jsonld';
  /** Mutates the copies in place, or returns replacements. */
  apply(doc: Doc, metadata: Doc): void | { document?: unknown; metadata?: unknown };
}

const MUTATIONS: Mutation[] = [
  // §6.2.1 the root
  { check: 'did-core.document.root-map', what: 'the document wrapped in an array', apply: (d) => ({ document: [d] }) },
  { check: 'did-core.document.root-map', what: 'the document is its DID string', apply: (d) => ({ document: d.id }) },
  { check: 'did-core.document.root-map', what: 'the document is null', apply: () => ({ document: null }) },
  { check: 'did-core.json.types', what: 'NaN in an extension', apply: (d) => void (d.service[0].priority = NaN) },
  { check: 'did-core.json.types', what: 'an undefined member', apply: (d) => void (d.extension = undefined) },
  { check: 'did-core.json.types', what: 'a Date object', apply: (d) => void (d.extension = { at: new Date(0) }) },
  { check: 'did-core.json.types', what: 'a bigint', apply: (d) => void (d.extension = 10n) },
  { check: 'did-core.json.types', what: 'a function', apply: (d) => void (d.extension = () => 1) },
  {
    check: 'did-core.json.types',
    what: 'a sparse array',
    apply: (d) => {
      const holey = [1, 2, 3];
      delete holey[1];
      d.extension = holey;
    },
  },
  {
    check: 'did-core.json.types',
    what: 'a cycle inside a verification method',
    apply: (d) => {
      const ext: Doc = {};
      ext.self = ext;
      d.verificationMethod[0].extension = ext;
    },
  },
  // §5.1
  { check: 'did-core.id.did-syntax', what: 'id removed', apply: (d) => void delete d.id },
  { check: 'did-core.id.did-syntax', what: 'id is a DID URL, not a DID', apply: (d) => void (d.id = `${DID}#me`) },
  { check: 'did-core.id.did-syntax', what: 'id is a number', apply: (d) => void (d.id = 42) },
  { check: 'did-core.id.did-syntax', what: 'id has an upper-case method', apply: (d) => void (d.id = 'did:EXAMPLE:123') },
  { check: 'did-core.controller.did-syntax', what: 'controller is a URL', apply: (d) => void (d.controller = 'https://example.com') },
  { check: 'did-core.controller.did-syntax', what: 'controller repeats a DID', apply: (d) => void (d.controller = [DID, DID]) },
  { check: 'did-core.controller.did-syntax', what: 'controller is a map', apply: (d) => void (d.controller = { id: DID }) },
  { check: 'did-core.also-known-as.uri-set', what: 'alsoKnownAs is a string', apply: (d) => void (d.alsoKnownAs = 'https://example.com/a') },
  { check: 'did-core.also-known-as.uri-set', what: 'an item without a scheme', apply: (d) => void d.alsoKnownAs.push('example.com/alice') },
  { check: 'did-core.also-known-as.uri-set', what: 'an item with a space', apply: (d) => void d.alsoKnownAs.push('https://example.com/a b') },
  { check: 'did-core.also-known-as.uri-set', what: 'a repeated item', apply: (d) => void d.alsoKnownAs.push(d.alsoKnownAs[0]) },
  // §5.2
  { check: 'did-core.vm.set-of-maps', what: 'a string in verificationMethod', apply: (d) => void d.verificationMethod.push(`${DID}#key-1`) },
  { check: 'did-core.vm.set-of-maps', what: 'a number in verificationMethod', apply: (d) => void d.verificationMethod.push(7) },
  { check: 'did-core.vm.required-properties', what: 'type removed', apply: (d) => void delete d.verificationMethod[0].type },
  { check: 'did-core.vm.required-properties', what: 'controller removed', apply: (d) => void delete d.verificationMethod[2].controller },
  { check: 'did-core.vm.required-properties', what: 'an embedded method without type', apply: (d) => void delete d.authentication[1].type },
  {
    check: 'did-core.vm.required-properties',
    what: 'no verification material at all',
    apply: (d) => void delete d.verificationMethod[1].publicKeyMultibase,
  },
  { check: 'did-core.vm.id-did-url', what: 'a bare key name as id', apply: (d) => void (d.authentication[1].id = 'key-4') },
  { check: 'did-core.vm.id-did-url', what: 'a number as id', apply: (d) => void (d.authentication[1].id = 4) },
  { check: 'did-core.vm.id-did-url', what: 'a space in the fragment', apply: (d) => void (d.authentication[1].id = `${DID}#key 4`) },
  { check: 'did-core.vm.type-string', what: 'type is an array', apply: (d) => void (d.verificationMethod[0].type = ['JsonWebKey2020']) },
  { check: 'did-core.vm.type-string', what: 'type is empty', apply: (d) => void (d.verificationMethod[0].type = '') },
  { check: 'did-core.vm.type-string', what: 'type is a number', apply: (d) => void (d.verificationMethod[0].type = 7) },
  { check: 'did-core.vm.controller-did', what: 'controller is not a DID', apply: (d) => void (d.verificationMethod[0].controller = 'did:example') },
  { check: 'did-core.vm.controller-did', what: 'controller is a set', apply: (d) => void (d.verificationMethod[0].controller = [DID]) },
  {
    check: 'did-core.vm.single-material',
    what: 'publicKeyBase58 next to publicKeyMultibase',
    apply: (d) => void (d.verificationMethod[1].publicKeyBase58 = '52yztGWdwbLCXKDu5gst3mBQQeZMzAUECkR77QWdJVjN'),
  },
  {
    check: 'did-core.vm.single-material',
    what: 'publicKeyMultibase next to publicKeyJwk',
    apply: (d) => void (d.verificationMethod[0].publicKeyMultibase = 'z52yztGWdwbLCXKDu5gst3mBQQeZMzAUECkR77QWdJVjN'),
  },
  {
    check: 'did-core.vm.jwk-map',
    what: 'the JWK serialised as a string',
    apply: (d) => void (d.verificationMethod[0].publicKeyJwk = JSON.stringify(d.verificationMethod[0].publicKeyJwk)),
  },
  { check: 'did-core.vm.jwk-map', what: 'kty removed', apply: (d) => void delete d.verificationMethod[0].publicKeyJwk.kty },
  { check: 'did-core.vm.jwk-map', what: 'the JWK is an array', apply: (d) => void (d.verificationMethod[2].publicKeyJwk = []) },
  ...JWK_PRIVATE_MEMBERS.map(
    (member): Mutation => ({
      check: 'did-core.vm.jwk-no-private',
      what: `the private member "${member}" added`,
      apply: (d) => void (d.verificationMethod[2].publicKeyJwk[member] = 'AAAA'),
    }),
  ),
  { check: 'did-core.vm.multibase', what: 'base58 without prefix', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = 'H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV') },
  { check: 'did-core.vm.multibase', what: 'characters outside base58btc', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = 'z0OIl') },
  { check: 'did-core.vm.multibase', what: 'an empty string', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = '') },
  { check: 'did-core.vm.multibase', what: 'a prefix and nothing else', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = 'z') },
  { check: 'did-core.vm.multibase', what: 'a hex string', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = '0x02b97c30de767f') },
  { check: 'did-core.vm.multibase', what: 'a number', apply: (d) => void (d.verificationMethod[1].publicKeyMultibase = 12345) },
  { check: 'did-core.vm.id-unique', what: 'an embedded method reusing a relative id', apply: (d) => void (d.authentication[1].id = '#key-2') },
  { check: 'did-core.vm.id-unique', what: 'an embedded method reusing an absolute id', apply: (d) => void (d.keyAgreement[0].id = `${DID}#key-1`) },
  // §5.3
  { check: 'did-core.relationship.set', what: 'an empty relationship', apply: (d) => void (d.capabilityInvocation = []) },
  { check: 'did-core.relationship.set', what: 'a relationship that is a string', apply: (d) => void (d.assertionMethod = '#key-1') },
  { check: 'did-core.relationship.set', what: 'a number entry', apply: (d) => void d.capabilityInvocation.push(42) },
  { check: 'did-core.relationship.set', what: 'the same reference relative and absolute', apply: (d) => void d.assertionMethod.push(`${DID}#key-2`) },
  { check: 'did-core.relationship.reference-did-url', what: 'a bare key name', apply: (d) => void (d.assertionMethod[1] = 'key-2') },
  { check: 'did-core.relationship.reference-did-url', what: 'a space in a DID URL', apply: (d) => void (d.assertionMethod[1] = `${DID}#key 2`) },
  { check: 'did-core.relationship.reference-resolves', what: 'a reference to a missing method', apply: (d) => void (d.assertionMethod[1] = '#key-9') },
  { check: 'did-core.relationship.reference-resolves', what: 'an absolute reference to a missing method', apply: (d) => void (d.capabilityInvocation = [`${DID}#gone`]) },
  // §5.4
  { check: 'did-core.service.set-of-maps', what: 'service is a map', apply: (d) => void (d.service = d.service[0]) },
  { check: 'did-core.service.set-of-maps', what: 'a string in service', apply: (d) => void d.service.push('https://example.com/') },
  { check: 'did-core.service.required-properties', what: 'id removed', apply: (d) => void delete d.service[0].id },
  { check: 'did-core.service.required-properties', what: 'type removed', apply: (d) => void delete d.service[1].type },
  { check: 'did-core.service.required-properties', what: 'serviceEndpoint removed', apply: (d) => void delete d.service[2].serviceEndpoint },
  { check: 'did-core.service.id-uri', what: 'a bare name', apply: (d) => void (d.service[1].id = 'didcomm') },
  { check: 'did-core.service.id-uri', what: 'a space in the fragment', apply: (d) => void (d.service[1].id = `${DID}#did comm`) },
  { check: 'did-core.service.id-uri', what: 'a number', apply: (d) => void (d.service[1].id = 5) },
  { check: 'did-core.service.id-unique', what: 'a repeated relative id', apply: (d) => void (d.service[1].id = '#linked-domain') },
  { check: 'did-core.service.id-unique', what: 'relative and absolute forms of one id', apply: (d) => void (d.service[2].id = `${DID}#linked-domain`) },
  { check: 'did-core.service.type', what: 'an empty string', apply: (d) => void (d.service[0].type = '') },
  { check: 'did-core.service.type', what: 'an empty set', apply: (d) => void (d.service[1].type = []) },
  { check: 'did-core.service.type', what: 'a repeated type', apply: (d) => void (d.service[2].type = ['IdentityHub', 'IdentityHub']) },
  { check: 'did-core.service.type', what: 'a number in the set', apply: (d) => void (d.service[2].type = ['IdentityHub', 1]) },
  { check: 'did-core.service.type', what: 'a map', apply: (d) => void (d.service[0].type = { name: 'LinkedDomains' }) },
  { check: 'did-core.service.endpoint-shape', what: 'a number', apply: (d) => void (d.service[0].serviceEndpoint = 42) },
  { check: 'did-core.service.endpoint-shape', what: 'null', apply: (d) => void (d.service[0].serviceEndpoint = null) },
  { check: 'did-core.service.endpoint-shape', what: 'an empty set', apply: (d) => void (d.service[2].serviceEndpoint = []) },
  { check: 'did-core.service.endpoint-shape', what: 'a number in the set', apply: (d) => void d.service[2].serviceEndpoint.push(8080) },
  {
    check: 'did-core.service.endpoint-shape',
    what: 'a repeated item',
    apply: (d) => void d.service[2].serviceEndpoint.push(d.service[2].serviceEndpoint[0]),
  },
  { check: 'did-core.service.endpoint-uri', what: 'a host without scheme', apply: (d) => void (d.service[0].serviceEndpoint = 'bar.example.com') },
  { check: 'did-core.service.endpoint-uri', what: 'a space in the host', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar example.com/') },
  { check: 'did-core.service.endpoint-uri', what: 'an unclosed IP literal', apply: (d) => void (d.service[0].serviceEndpoint = 'https://[::1/') },
  { check: 'did-core.service.endpoint-uri', what: 'a bad item in a set', apply: (d) => void (d.service[2].serviceEndpoint[0] = 'hub.example.com/x') },
  { check: 'did-core.service.endpoint-uri', what: 'a non-numeric port', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar.example.com:https/') },
  { check: 'did-core.service.endpoint-normalized', what: 'an upper-case scheme', apply: (d) => void (d.service[0].serviceEndpoint = 'HTTPS://bar.example.com') },
  { check: 'did-core.service.endpoint-normalized', what: 'an upper-case host', apply: (d) => void (d.service[0].serviceEndpoint = 'https://BAR.example.com') },
  { check: 'did-core.service.endpoint-normalized', what: 'the default port', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar.example.com:443/') },
  { check: 'did-core.service.endpoint-normalized', what: 'a dot-segment', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar.example.com/a/../b') },
  { check: 'did-core.service.endpoint-normalized', what: 'an encoded unreserved character', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar.example.com/%7Euser') },
  { check: 'did-core.service.endpoint-normalized', what: 'lower-case percent-encoding', apply: (d) => void (d.service[0].serviceEndpoint = 'https://bar.example.com/caf%c3%a9') },
  // §6.3.1
  { check: 'did-core.jsonld.context-present', what: '@context removed', base: 'multikey-jsonld', apply: (d) => void delete d['@context'] },
  {
    check: 'did-core.jsonld.context-present',
    what: '@context renamed to context',
    base: 'multikey-jsonld',
    apply: (d) => {
      d.context = d['@context'];
      delete d['@context'];
    },
  },
  { check: 'did-core.jsonld.context-value', what: 'the v1.1 context in a did+ld+json document', base: 'multikey-jsonld', apply: (d) => void (d['@context'] = 'https://www.w3.org/ns/did/v1.1') },
  { check: 'did-core.jsonld.context-value', what: 'the DID context second', base: 'multikey-jsonld', apply: (d) => void d['@context'].reverse() },
  { check: 'did-core.jsonld.context-value', what: 'an empty array', base: 'multikey-jsonld', apply: (d) => void (d['@context'] = []) },
  { check: 'did-core.jsonld.context-value', what: 'a number as a later context', base: 'multikey-jsonld', apply: (d) => void d['@context'].push(42) },
  { check: 'did-core.jsonld.context-value', what: 'a context map alone', base: 'multikey-jsonld', apply: (d) => void (d['@context'] = { '@vocab': 'https://example.com/#' }) },
  { check: 'did-core.jsonld.context-value', what: 'http instead of https', base: 'multikey-jsonld', apply: (d) => void (d['@context'][0] = 'http://www.w3.org/ns/did/v1') },
  // §7.3, §7.1.3
  { check: 'did-core.metadata.structure', what: 'a number', apply: (_d, m) => void (m.ttl = 3600) },
  { check: 'did-core.metadata.structure', what: 'a number inside a map', apply: (_d, m) => void (m.extra = { weight: 1.5 }) },
  { check: 'did-core.metadata.structure', what: 'metadata that is a string', apply: () => ({ metadata: 'created' }) },
  { check: 'did-core.metadata.structure', what: 'metadata that is an array', apply: () => ({ metadata: [] }) },
  { check: 'did-core.metadata.datetime', what: 'milliseconds', apply: (_d, m) => void (m.created = '2019-03-23T06:35:22.000Z') },
  { check: 'did-core.metadata.datetime', what: 'a space instead of T, no zone', apply: (_d, m) => void (m.updated = '2023-08-10 13:40:06') },
  { check: 'did-core.metadata.datetime', what: 'an offset instead of Z', apply: (_d, m) => void (m.created = '2019-03-23T14:35:22+08:00') },
  { check: 'did-core.metadata.datetime', what: 'the 30th of February', apply: (_d, m) => void (m.nextUpdate = '2023-02-30T00:00:00Z') },
  { check: 'did-core.metadata.datetime', what: 'a boolean', apply: (_d, m) => void (m.created = true) },
  { check: 'did-core.metadata.deactivated', what: 'the string "true"', apply: (_d, m) => void (m.deactivated = 'true') },
  { check: 'did-core.metadata.deactivated', what: 'null', apply: (_d, m) => void (m.deactivated = null) },
  { check: 'did-core.metadata.version-id', what: 'non-ASCII', apply: (_d, m) => void (m.versionId = '版本3') },
  { check: 'did-core.metadata.version-id', what: 'null nextVersionId', apply: (_d, m) => void (m.nextVersionId = null) },
  { check: 'did-core.metadata.version-id', what: 'a list', apply: (_d, m) => void (m.versionId = ['3']) },
  { check: 'did-core.metadata.equivalent-id-syntax', what: 'a string', apply: (_d, m) => void (m.equivalentId = 'did:example:ABC') },
  { check: 'did-core.metadata.equivalent-id-syntax', what: 'a non-DID item', apply: (_d, m) => void m.equivalentId.push('urn:uuid:1') },
  { check: 'did-core.metadata.equivalent-id-syntax', what: 'a repeated item', apply: (_d, m) => void m.equivalentId.push(m.equivalentId[0]) },
  { check: 'did-core.metadata.equivalent-id-same-method', what: 'a did:web', apply: (_d, m) => void m.equivalentId.push('did:web:example.com') },
  { check: 'did-core.metadata.canonical-id-syntax', what: 'a set', apply: (_d, m) => void (m.canonicalId = [DID]) },
  { check: 'did-core.metadata.canonical-id-syntax', what: 'a URL', apply: (_d, m) => void (m.canonicalId = 'https://example.com/alice') },
  { check: 'did-core.metadata.canonical-id-same-method', what: 'a did:key', apply: (_d, m) => void (m.canonicalId = 'did:key:z6MkiVF3UWm5H8pfdp4bmFqitrjQEDqDQ3iatmL2wgUeDiWk') },
  ...METADATA_PROPERTY_NAMES.map(
    (name): Mutation => ({
      check: 'did-core.document.no-metadata-properties',
      what: `"${name}" in the document`,
      apply: (d, m) => void (d[name] = structuredClone(m[name] ?? { type: 'DataIntegrityProof' })),
    }),
  ),
];

describe('mutation test: each forbidden mutation of a conformant document fails exactly its check', () => {
  it('has at least one mutation for every DID Core document check (the other subjects: subjects.test.ts)', () => {
    const mutated = new Set(MUTATIONS.map((m) => m.check));
    expect(DID_CORE_DOCUMENT_CHECKS.map((c) => c.id).filter((id) => !mutated.has(id))).toEqual([]);
  });

  for (const mutation of MUTATIONS) {
    it(`${mutation.check}: ${mutation.what}`, () => {
      const fixture = conformantFixture(mutation.base ?? 'core-properties');
      let document = structuredClone(fixture.document) as unknown;
      let metadata = structuredClone(fixture.metadata) as unknown;
      expect(failing(document, fixture.representation, metadata)).toEqual([]);
      const replaced = mutation.apply(document as Doc, (metadata ?? {}) as Doc);
      if (replaced && 'document' in replaced) document = replaced.document;
      if (replaced && 'metadata' in replaced) metadata = replaced.metadata;
      expect(failing(document, fixture.representation, metadata)).toEqual([mutation.check]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Behaviour the fixtures alone do not pin down

describe('what the checks accept', () => {
  const base = () => structuredClone(conformantFixture('core-properties'));

  it('resolves relative DID URLs against the document id, so "#key-2" matches a method with id "<did>#key-2"', () => {
    const f = base();
    const doc = f.document as Doc;
    doc.verificationMethod[1].id = `${DID}#key-2`;
    expect(statusOf('did-core.relationship.reference-resolves', doc, f.representation).status).toBe('pass');
  });

  it('accepts a reference to a method embedded in another relationship', () => {
    const f = base();
    const doc = f.document as Doc;
    doc.capabilityInvocation = ['#key-4'];
    expect(statusOf('did-core.relationship.reference-resolves', doc, f.representation).status).toBe('pass');
  });

  it('skips references into other DIDs\' documents instead of failing them', () => {
    const f = base();
    const result = statusOf('did-core.relationship.reference-resolves', f.document, f.representation);
    const external = result.outcomes.find((o) => o.pointer === '/capabilityDelegation/0');
    expect(external).toMatchObject({ status: 'skip' });
  });

  it('is n/a for optional properties that are absent, and for metadata when the target gives none', () => {
    const minimal = { id: 'did:example:123' };
    const results = checkDocument(minimal, { representation: 'application/did+json' });
    const statuses = Object.fromEntries(results.map((r) => [r.check, r.status]));
    expect(statuses['did-core.id.did-syntax']).toBe('pass');
    expect(statuses['did-core.controller.did-syntax']).toBe('n/a');
    expect(statuses['did-core.vm.jwk-no-private']).toBe('n/a');
    expect(statuses['did-core.service.endpoint-uri']).toBe('n/a');
    expect(statuses['did-core.metadata.structure']).toBe('n/a');
    expect(statuses['did-core.jsonld.context-present']).toBe('n/a');
  });

  it('requires @context only in JSON-LD representations, and accepts the v1.1 context only for application/did', () => {
    const doc = { '@context': 'https://www.w3.org/ns/did/v1.1', id: 'did:example:123' };
    expect(statusOf('did-core.jsonld.context-value', doc, 'application/did').status).toBe('pass');
    expect(statusOf('did-core.jsonld.context-value', doc, 'application/did+ld+json').status).toBe('fail');
    expect(statusOf('did-core.jsonld.context-present', { id: 'did:example:123' }, 'application/did+json').status).toBe('n/a');
    expect(statusOf('did-core.jsonld.context-present', { id: 'did:example:123' }, 'application/did').status).toBe('fail');
  });

  it('accepts IPv6 literals, userinfo, queries and fragments in service endpoints', () => {
    const f = base();
    const doc = f.document as Doc;
    doc.service[2].serviceEndpoint = ['https://user@[2001:db8::1]:8443/inbox?x=1#frag', 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66'];
    expect(failing(doc, f.representation, f.metadata)).toEqual([]);
  });

  it('reports every offending value with its own pointer', () => {
    const f = base();
    const doc = f.document as Doc;
    doc.verificationMethod[0].publicKeyJwk.d = 'AAAA';
    doc.verificationMethod[2].publicKeyJwk.p = 'AAAA';
    const result = statusOf('did-core.vm.jwk-no-private', doc, f.representation);
    expect(result.outcomes.filter((o) => o.status === 'fail').map((o) => o.pointer)).toEqual([
      '/verificationMethod/0/publicKeyJwk/d',
      '/verificationMethod/2/publicKeyJwk/p',
    ]);
  });

  it('mustFailures picks MUST-level failures only (a SHOULD failure does not make a document non-conforming)', () => {
    const f = base();
    const doc = f.document as Doc;
    doc.created = '2019-03-23T06:35:22Z';
    const results = checkDocument(doc, { representation: f.representation });
    expect(results.find((r) => r.check === 'did-core.document.no-metadata-properties')).toMatchObject({ level: 'SHOULD', status: 'fail' });
    expect(mustFailures(results)).toEqual([]);
    doc.verificationMethod[0].publicKeyJwk.d = 'AAAA';
    expect(mustFailures(checkDocument(doc, { representation: f.representation })).map((r) => r.check)).toEqual([
      'did-core.vm.jwk-no-private',
    ]);
  });

  it('never throws on hostile input', () => {
    const inputs: unknown[] = [undefined, 0, 'x', [], Object.create(null), { id: {} }, { verificationMethod: [null, [], 'x'] }];
    const cyclic: Doc = { id: 'did:example:1' };
    cyclic.controller = [cyclic];
    cyclic.alsoKnownAs = [cyclic];
    inputs.push(cyclic);
    for (const input of inputs) {
      for (const r of checkDocument(input, { representation: 'application/did+ld+json', metadata: input })) {
        for (const o of r.outcomes) expect(o.detail ?? '').not.toMatch(/internal error/);
      }
    }
  });

  it('checkDocument requires a representation', () => {
    expect(() => checkDocument({}, {} as never)).toThrow(TypeError);
  });

  it('applyCheck turns a check that throws into a loud failure naming the check', () => {
    const broken: Check<'document'> = {
      id: 'test.broken',
      section: 'https://example.com/#x',
      level: 'MUST',
      subject: 'document',
      statement: 'x MUST y',
      source: 'quoted',
      run: () => {
        throw new Error('boom');
      },
    };
    expect(applyCheck(broken, { document: {}, representation: 'application/did+json' })).toEqual([
      { status: 'fail', detail: 'internal error: check test.broken threw: boom' },
    ]);
  });
});
