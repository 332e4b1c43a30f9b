/**
 * The targets: fixture directories (translated domestic documents with golden files, W3C documents), the library
 * in-process (with and without the sandbox), and a live driver over HTTP, each run through the whole catalogue.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodAdapter } from '../../src/adapter.js';
import { createDriver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import { runConformance, type ConformanceReport } from '../../conformance/run.js';
import { driverTargets } from '../../conformance/targets/driver.js';
import { fixtureTargets } from '../../conformance/targets/fixtures.js';
import { libraryTargets } from '../../conformance/targets/library.js';
import { startSandboxedDeployment } from '../../conformance/targets/sandboxed.js';
import { createTestAdapter, DEFAULT_TEST_RECORDS } from '../helpers/test-adapter.js';
import { toyEmulator, TOY_SEED_DID } from '../sandbox/toy-emulator.js';
import { createToyAdapter, translateToy } from './helpers/toy-adapter.js';

function failures(report: ConformanceReport): Array<[string, string]> {
  return report.targets.flatMap((t) => t.results.filter((r) => r.status === 'fail').map((r): [string, string] => [t.id, r.check]));
}

function result(report: ConformanceReport, target: string, check: string) {
  const r = report.targets.find((t) => t.id === target)?.results.find((x) => x.check === check);
  if (!r) throw new Error(`no result for ${check} on ${target}`);
  return r;
}

const TOY_DOC = {
  id: 'did:toy:abc123',
  key: [{ id: 'did:toy:abc123#key-1', type: 'Ed25519', publicKeyHex: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29' }],
  label: 'published sample',
};

describe('fixture targets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'didbridge-fixture-targets-'));
    await mkdir(join(dir, 'toy', 'upstream'), { recursive: true });
    await mkdir(join(dir, 'toy', 'expected'), { recursive: true });
    await mkdir(join(dir, 'toy', 'invalid'), { recursive: true });
    await mkdir(join(dir, 'w3c'), { recursive: true });
    await mkdir(join(dir, 'invalid'), { recursive: true });
    await writeFile(join(dir, 'toy', 'upstream', '01-read-response.json'), JSON.stringify({ code: 0, msg: 'ok', data: { document: TOY_DOC } }));
    await writeFile(join(dir, 'toy', 'upstream', '02-not-found.json'), JSON.stringify({ code: 1404, msg: 'not found' }));
    await writeFile(join(dir, 'toy', 'upstream', '03-bare-document.json'), JSON.stringify(TOY_DOC));
    const t = translateToy(TOY_DOC);
    await writeFile(
      join(dir, 'toy', 'expected', '01-read-response.json'),
      JSON.stringify({
        title: 'toy read response',
        input: 'upstream/01-read-response.json',
        inputPath: ['data', 'document'],
        didDocument: t.didDocument,
        didDocumentMetadata: {},
        rules: ['toy.authentication-added', 'toy.key-to-Multikey', 'toy.label-dropped'],
      }),
    );
    await writeFile(join(dir, 'w3c', 'plain.json'), JSON.stringify({ id: 'did:example:123' }));
    await writeFile(
      join(dir, 'w3c', 'vectors.json'),
      JSON.stringify({ 'did:example:1': { didDocument: { '@context': 'https://www.w3.org/ns/did/v1', id: 'did:example:1' } } }),
    );
    await writeFile(join(dir, 'w3c', 'notes.json'), JSON.stringify({ comment: 'not a document' }));
    await writeFile(join(dir, 'invalid', 'broken.json'), JSON.stringify({ id: 'not a did' }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const adapters = () => [createToyAdapter()];

  it('finds method directories and loose W3C documents, leaves out invalid/ and files that are not documents', async () => {
    const targets = await fixtureTargets(dir, { adapters: adapters(), root: dir });
    expect(targets.map((t) => t.id).sort()).toEqual([
      'translated-fixture:toy/01-read-response',
      'translated-fixture:toy/02-not-found',
      'translated-fixture:toy/03-bare-document',
      'w3c-document:w3c/plain',
      'w3c-document:w3c/vectors',
    ]);
    expect(targets.find((t) => t.id === 'translated-fixture:toy/01-read-response')!.method).toBe('toy');
  });

  it('translates each native document, checks the result and compares it with its golden file', async () => {
    const report = await runConformance(await fixtureTargets(dir, { adapters: adapters(), root: dir }));
    expect(failures(report)).toEqual([]);
    expect(result(report, 'translated-fixture:toy/01-read-response', 'didbridge.translation.golden').status).toBe('pass');
    expect(result(report, 'translated-fixture:toy/01-read-response', 'did-core.vm.multibase').status).toBe('pass');
    // Recognised without a golden file: translated and checked, the golden comparison skipped.
    expect(result(report, 'translated-fixture:toy/03-bare-document', 'didbridge.translation.produces').status).toBe('pass');
    expect(result(report, 'translated-fixture:toy/03-bare-document', 'didbridge.translation.golden').status).toBe('skip');
    // An error envelope is not a native document.
    expect(result(report, 'translated-fixture:toy/02-not-found', 'didbridge.translation.produces').status).toBe('n/a');
    const views = report.targets.find((t) => t.id === 'translated-fixture:toy/01-read-response')!.translations!;
    expect(views).toHaveLength(1);
    expect(views[0]!.original).toEqual(TOY_DOC);
    expect(views[0]!.label).toBe('toy/upstream/01-read-response.json at /data/document (golden toy/expected/01-read-response.json)');
  });

  it('fails the golden comparison with a diff when the translation changes', async () => {
    const changed: MethodAdapter = {
      ...createToyAdapter(),
      translate: (input) => {
        const t = translateToy(input);
        (t.didDocument.verificationMethod![0] as Record<string, unknown>).type = 'Ed25519VerificationKey2020';
        return t;
      },
    };
    const report = await runConformance(await fixtureTargets(join(dir, 'toy'), { adapters: [changed], root: dir }));
    const golden = result(report, 'translated-fixture:toy/01-read-response', 'didbridge.translation.golden');
    expect(golden.status).toBe('fail');
    expect(golden.outcomes.find((o) => o.status === 'fail')).toMatchObject({
      pointer: '/verificationMethod/0/type',
      detail: 'differs from toy/expected/01-read-response.json: /verificationMethod/0/type: expected "Multikey", found "Ed25519VerificationKey2020"',
    });
    expect(report.summary.newMustFailures).toContainEqual({ check: 'didbridge.translation.golden', target: 'translated-fixture:toy/01-read-response' });
  });

  it('compares [rule, from, to] triples as a multiset, follows JSON text in inputPath, finds the document inside an envelope', async () => {
    const other = await mkdtemp(join(tmpdir(), 'didbridge-fixture-formats-'));
    try {
      await mkdir(join(other, 'toy', 'upstream'), { recursive: true });
      await mkdir(join(other, 'toy', 'expected'), { recursive: true });
      // A recorded HTTP exchange whose body is JSON text of the upstream envelope.
      await writeFile(join(other, 'toy', 'upstream', 'recorded.json'), JSON.stringify({ status: 200, body: JSON.stringify({ code: 0, data: { document: TOY_DOC } }) }));
      const t = translateToy(TOY_DOC);
      const triples = t.changes.map((c) => [c.rule, c.from, c.to]).reverse();
      await writeFile(
        join(other, 'toy', 'expected', 'recorded.json'),
        JSON.stringify({ input: 'upstream/recorded.json', inputPath: ['body'], didDocument: t.didDocument, didDocumentMetadata: {}, changes: triples }),
      );
      // An adapter that takes the whole envelope and records changes against the document inside it.
      const unwrapping: MethodAdapter = {
        ...createToyAdapter(),
        recognise: (input) => typeof input === 'object' && input !== null && 'data' in input,
        translate: (input) => translateToy((input as { data: { document: unknown } }).data.document),
      };
      const report = await runConformance(await fixtureTargets(join(other, 'toy'), { adapters: [unwrapping], root: other }));
      expect(failures(report)).toEqual([]);
      const target = report.targets[0]!;
      expect(target.translations![0]!.label).toBe('toy/upstream/recorded.json at /body/data/document (golden toy/expected/recorded.json)');
      expect(target.translations![0]!.original).toEqual(TOY_DOC);
      expect(result(report, target.id, 'didbridge.translation.change-pointers').status).toBe('pass');

      // One triple the translation does not make fails the golden comparison.
      await writeFile(
        join(other, 'toy', 'expected', 'recorded.json'),
        JSON.stringify({ input: 'upstream/recorded.json', inputPath: ['body'], didDocument: t.didDocument, changes: [...triples, ['toy.extra', null, '/x']] }),
      );
      const again = await runConformance(await fixtureTargets(join(other, 'toy'), { adapters: [unwrapping], root: other }));
      const golden = result(again, again.targets[0]!.id, 'didbridge.translation.golden');
      expect(golden.status).toBe('fail');
      expect(golden.outcomes.find((o) => o.status === 'fail')!.detail).toContain('changes [rule, from, to] not made: ["toy.extra",null,"/x"]');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('skips the translation checks of a method this build has no adapter for', async () => {
    const report = await runConformance(await fixtureTargets(join(dir, 'toy'), { adapters: [], root: dir }));
    expect(report.summary.ok).toBe(true);
    expect(result(report, 'translated-fixture:toy/01-read-response', 'didbridge.translation.golden').status).toBe('skip');
  });

  it('reports a golden file whose upstream file is missing as a target error', async () => {
    const other = await mkdtemp(join(tmpdir(), 'didbridge-fixture-orphan-'));
    try {
      await mkdir(join(other, 'toy', 'expected'), { recursive: true });
      await writeFile(join(other, 'toy', 'expected', 'x.json'), JSON.stringify({ input: 'upstream/nope.json', inputPath: [], didDocument: { id: 'did:toy:x' } }));
      const report = await runConformance(await fixtureTargets(join(other, 'toy'), { adapters: adapters(), root: other }));
      expect(report.summary.targetErrors).toEqual(['translated-fixture:toy/nope']);
      expect(report.targets[0]!.error).toContain('toy/expected/x.json names upstream/nope.json, which cannot be read');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a golden file that climbs out of the method directory, and a path that is not a directory', async () => {
    const other = await mkdtemp(join(tmpdir(), 'didbridge-fixture-bad-'));
    try {
      await mkdir(join(other, 'toy', 'expected'), { recursive: true });
      await writeFile(join(other, 'toy', 'expected', 'x.json'), JSON.stringify({ input: '../../etc/passwd.json', inputPath: [], didDocument: { id: 'did:toy:x' } }));
      await expect(fixtureTargets(join(other, 'toy'), { adapters: adapters() })).rejects.toThrow(/inside the method directory/);
      await expect(fixtureTargets(join(other, 'nothing-here'), { adapters: adapters() })).rejects.toThrow(/is not a directory/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('library target', () => {
  it('passes over a conformant resolver, with resolution, dereferencing, error and document observations', async () => {
    const resolver = new Resolver({ adapters: [createTestAdapter()], cache: false });
    const known = new Map([['test', { resolvable: ['did:test:alice', 'did:test:bob'], deactivated: ['did:test:gone'], notFound: ['did:test:nobody'] }]]);
    const report = await runConformance(libraryTargets({ resolver, known }));
    expect(failures(report)).toEqual([]);
    expect(report.targets.map((t) => t.id)).toEqual(['library:resolver', 'library:test']);
    for (const check of [
      'uniresolver.test-identifiers.resolve',
      'did-resolution.error.not-found',
      'did-resolution.error.invalid-did',
      'did-resolution.error.invalid-options',
      'did-resolution.error.representation-not-supported',
      'did-resolution.deactivated.metadata',
      'did-resolution.dereferencing.fragment',
      'did-resolution.dereferencing.uri-list',
      'did-resolution.dereferencing.service-selection',
      'did-resolution.dereferencing.content-metadata-document',
      'did-resolution.dereferencing.invalid-did-url',
      'did-resolution.error.type-url',
      'did-core.vm.multibase',
    ]) {
      expect(result(report, 'library:test', check).status, check).toBe('pass');
    }
    expect(result(report, 'library:resolver', 'did-resolution.error.method-not-supported').status).toBe('pass');
    await resolver.close();
  });

  it('names the checks a misbehaving adapter fails', async () => {
    const base = createTestAdapter();
    const wrong: MethodAdapter = {
      ...base,
      async resolve(did, options, context) {
        const r = await base.resolve(did, options, context);
        return {
          ...r,
          didDocument: r.didDocument ? { ...r.didDocument, id: 'did:test:someone-else' } : null,
          resolutionMetadata: { durationMs: 3 } as never,
        };
      },
    };
    const resolver = new Resolver({ adapters: [wrong], cache: false });
    const report = await runConformance(libraryTargets({ resolver, known: new Map([['test', { resolvable: ['did:test:alice'] }]]) }));
    const failed = new Set(failures(report).map(([, check]) => check));
    expect(failed.has('did-resolution.result.document-id')).toBe(true);
    expect(failed.has('did-core.resolution.metadata-structure')).toBe(true);
    expect(report.summary.ok).toBe(false);
  });
});

describe('sandboxed deployment', () => {
  it('points the adapter at its emulator, knows created, seeded, deactivated and unregistered DIDs, and passes', async () => {
    const deployment = await startSandboxedDeployment({
      factories: { toy: createToyAdapter, test: () => createTestAdapter() },
      emulators: [toyEmulator()],
      offline: true,
    });
    try {
      // did:test has no emulator and needs no network only if it says so; it does not (cacheable), so offline drops it.
      expect(deployment.skipped).toEqual([{ adapter: 'test', reason: 'needs its upstream (no sandbox emulator) and the run is offline' }]);
      expect([...deployment.sandboxed]).toEqual(['toy']);
      const known = deployment.known.get('toy')!;
      expect(known.resolvable).toContain(TOY_SEED_DID);
      expect(known.resolvable).toHaveLength(2);
      expect(known.deactivated).toHaveLength(1);
      expect(known.notFound).toHaveLength(1);
      // Its test identifiers are the sandbox's DIDs, not the ones of its configuration.
      expect(deployment.resolver.testIdentifiers().toy).toEqual(known.resolvable);
      const report = await runConformance(libraryTargets({ resolver: deployment.resolver, known: deployment.known }));
      expect(failures(report)).toEqual([]);
      expect(result(report, 'library:toy', 'did-resolution.deactivated.metadata').status).toBe('pass');
      expect(result(report, 'library:toy', 'did-resolution.error.not-found').status).toBe('pass');
      // Labels name created DIDs by role, so two runs give the same labels.
      const labels = report.targets.find((t) => t.id === 'library:toy')!.results.flatMap((r) => r.outcomes.map((o) => o.observation ?? ''));
      expect(labels.some((l) => l.includes('did:toy:<created 1>'))).toBe(true);
    } finally {
      await deployment.close();
    }
  });

  it('refuses unknown adapter ids', async () => {
    await expect(startSandboxedDeployment({ factories: {}, emulators: [], enabled: ['nope'] })).rejects.toThrow(/unknown adapter "nope"/);
  });
});

/** A driver that gets the HTTP binding wrong in the ways a reviewer would look for first. */
function brokenDriver(): Server {
  return createServer((req, res) => {
    const url = req.url ?? '';
    const json = (status: number, type: string, body: unknown) => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    if (url === '/1.0/methods') return json(200, 'application/json', ['broken']);
    if (url === '/1.0/testIdentifiers') return json(200, 'application/json', { broken: ['did:broken:alice'] });
    if (url === '/1.0/traits') return json(200, 'application/json', { broken: { updatable: 'no' } });
    if (url === '/1.0/properties') return json(200, 'application/json', {});
    const id = decodeURIComponent(url.replace('/1.0/identifiers/', '').split('?')[0]!);
    if (id === 'did:broken:alice') {
      // The document without @context, whatever was asked.
      const doc = { id, verificationMethod: [] };
      if ((req.headers.accept ?? '').includes('did-resolution')) {
        return json(200, 'application/did-resolution', { didResolutionMetadata: { contentType: 'application/did+ld+json' }, didDocument: doc, didDocumentMetadata: {} });
      }
      return json(200, 'application/did+ld+json', doc);
    }
    // Every error: 200, with a bare token type even in the spec profile.
    return json(200, 'application/did-resolution', {
      didResolutionMetadata: { error: { type: 'NOT_FOUND', title: 'Not found' } },
      didDocument: null,
      didDocumentMetadata: {},
    });
  });
}

describe('driver target', () => {
  it('passes against didbridge\'s own driver, in both error profiles', async () => {
    // The records without a numeric cacheTtlSeconds in their resolution metadata (DID Core §7.3 allows no numbers in
    // metadata: did-core.resolution.metadata-structure fails those, as it should).
    const { alice, bob, gone } = DEFAULT_TEST_RECORDS;
    const driver = createDriver({ resolver: new Resolver({ adapters: [createTestAdapter({ records: { alice: alice!, bob: bob!, gone: gone! } })], cache: false }) });
    const { port } = await driver.listen(0, '127.0.0.1');
    try {
      const known = new Map([['test', { resolvable: [], deactivated: ['did:test:gone'], notFound: ['did:test:nobody'] }]]);
      const report = await runConformance(await driverTargets({ url: `http://127.0.0.1:${port}/1.0/identifiers/`, known }));
      expect(failures(report)).toEqual([]);
      expect(report.targets.map((t) => t.id)).toEqual(['driver:resolver', 'driver:test']);
      for (const check of [
        'did-resolution.http.error-status',
        'did-resolution.http.deactivated-status',
        'did-resolution.http.success-status',
        'did-resolution.http.uri-list-redirect',
        'did-resolution.http.content-type',
        'did-resolution.http.document-body',
        'uniresolver.error.bare-token',
        'did-resolution.error.type-url',
        'uniresolver.http.error-body',
      ]) {
        expect(result(report, 'driver:test', check).status, check).toBe('pass');
      }
      for (const check of ['uniresolver.methods', 'uniresolver.test-identifiers', 'uniresolver.traits', 'uniresolver.properties']) {
        expect(result(report, 'driver:resolver', check).status, check).toBe('pass');
      }
      // Labels carry no port: reports of two runs compare.
      expect(JSON.stringify(report)).not.toContain(String(port));
    } finally {
      await driver.close();
    }
  });

  it('names the failing checks of a broken driver', async () => {
    const server = brokenDriver();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const report = await runConformance(await driverTargets({ url: `http://127.0.0.1:${port}`, profiles: ['spec'] }));
      const failed = new Set(failures(report).map(([, check]) => check));
      for (const check of [
        'did-resolution.http.error-status',
        'did-resolution.error.type-url',
        'did-core.jsonld.context-present',
        'did-resolution.error.invalid-did',
        'uniresolver.traits',
        'uniresolver.http.cors',
      ]) {
        expect(failed.has(check), check).toBe(true);
      }
      expect(report.summary.ok).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('reports an unreachable driver as a target error, not a pass', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const report = await runConformance(await driverTargets({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 }));
    expect(report.summary.targetErrors).toEqual(['driver:resolver']);
    expect(report.summary.ok).toBe(false);
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(driverTargets({ url: 'ftp://example.com' })).rejects.toThrow(TypeError);
    await expect(driverTargets({ url: 'http://127.0.0.1:1', profiles: ['legacy' as never] })).rejects.toThrow(/profiles/);
  });
});
