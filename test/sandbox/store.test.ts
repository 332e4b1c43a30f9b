import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/sandbox/errors.js';
import { SandboxStore } from '../../src/sandbox/store.js';

const DID = 'did:toy:abc';

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => (now = Date.parse(iso)),
  };
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SandboxError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('SandboxStore', () => {
  let store: SandboxStore;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(() => {
    clock = manualClock('2024-01-01T00:00:00.000Z');
    store = new SandboxStore({ now: clock.now });
  });
  afterEach(() => store.close());

  describe('put and get', () => {
    it('stores a document and reads it back as version 1 with its metadata', () => {
      const record = store.put({ method: 'toy', did: DID, document: { id: DID, n: 1 }, extra: { chain: 'c1' } });
      expect(record).toEqual({
        method: 'toy',
        did: DID,
        document: { id: DID, n: 1 },
        documentJson: '{"id":"did:toy:abc","n":1}',
        created: '2024-01-01T00:00:00.000Z',
        updated: '2024-01-01T00:00:00.000Z',
        versionId: 1,
        versionTime: '2024-01-01T00:00:00.000Z',
        latestVersionId: 1,
        deactivated: false,
        extra: { chain: 'c1' },
      });
      expect(store.get(DID)).toEqual(record);
      expect(store.has(DID)).toBe(true);
      expect(store.get('did:toy:other')).toBeUndefined();
      expect(store.has('did:toy:other')).toBe(false);
    });

    it('keeps documentJson byte for byte (formatting, member order, odd member names)', () => {
      const text = '{\n  "id" : "did:toy:abc",\n  "delegateSign ": {"b": 2, "a": 1}\n}';
      const record = store.put({ method: 'toy', did: DID, documentJson: text });
      expect(record.documentJson).toBe(text);
      expect(record.document).toEqual({ id: DID, 'delegateSign ': { b: 2, a: 1 } });
    });

    it('records provenance and an explicit creation time', () => {
      const record = store.put({ method: 'toy', did: DID, document: {}, source: 'repo@abc:path#L1-2', at: '2021-05-10T06:23:38Z' });
      expect(record.source).toBe('repo@abc:path#L1-2');
      expect(record.created).toBe('2021-05-10T06:23:38.000Z');
    });

    it('refuses a second put of the same DID, unless asked to skip', () => {
      store.put({ method: 'toy', did: DID, document: { v: 1 } });
      expect(reasonOf(() => store.put({ method: 'toy', did: DID, document: { v: 2 } }))).toBe('DID_EXISTS');
      const skipped = store.put({ method: 'toy', did: DID, document: { v: 2 }, ifExists: 'skip' });
      expect(skipped.document).toEqual({ v: 1 });
      expect(store.history(DID)).toHaveLength(1);
    });

    it('refuses DIDs that do not belong to the method or are not DIDs', () => {
      expect(reasonOf(() => store.put({ method: 'toy', did: 'did:other:abc', document: {} }))).toBe('INVALID_DID');
      expect(reasonOf(() => store.put({ method: 'toy', did: 'did:toy:', document: {} }))).toBe('INVALID_DID');
      expect(reasonOf(() => store.put({ method: 'toy', did: 'did:toy:a b', document: {} }))).toBe('INVALID_DID');
      expect(reasonOf(() => store.put({ method: 'toy', did: 'did:toy:a#key-1', document: {} }))).toBe('INVALID_DID');
      expect(reasonOf(() => store.put({ method: 'Toy', did: 'did:Toy:a', document: {} }))).toBe('INVALID_DID');
      expect(reasonOf(() => store.put({ method: 'toy', did: `did:toy:${'a'.repeat(3000)}`, document: {} }))).toBe('INVALID_DID');
      expect(store.count()).toBe(0);
    });

    it('refuses documents that are not JSON, too deep or too large', () => {
      const small = new SandboxStore({ maxDocumentBytes: 100, maxJsonDepth: 3 });
      try {
        expect(reasonOf(() => small.put({ method: 'toy', did: DID, documentJson: '{"id": ' }))).toBe('INVALID_DOCUMENT');
        expect(reasonOf(() => small.put({ method: 'toy', did: DID, documentJson: '[[[[1]]]]' }))).toBe('INVALID_DOCUMENT');
        expect(reasonOf(() => small.put({ method: 'toy', did: DID, document: { pad: 'x'.repeat(200) } }))).toBe('DOCUMENT_TOO_LARGE');
        expect(reasonOf(() => small.put({ method: 'toy', did: DID, document: { n: 10n } as never }))).toBe('INVALID_DOCUMENT');
        expect(reasonOf(() => small.put({ method: 'toy', did: DID, document: {}, extra: [] as never }))).toBe('INVALID_DOCUMENT');
        expect(small.count()).toBe(0);
      } finally {
        small.close();
      }
    });

    it('throws TypeError naming the parameter on misuse', () => {
      expect(() => store.put({ method: 'toy', did: DID } as never)).toThrow(/"input.document" or "input.documentJson"/);
      expect(() => store.put({ method: 'toy', did: DID, document: {}, documentJson: '{}' })).toThrow(TypeError);
      expect(() => store.put({ method: 'toy', did: 42 } as never)).toThrow(/"input.did"/);
      expect(() => store.get(undefined as never)).toThrow(/"did"/);
      expect(() => store.list({ limit: 0 })).toThrow(/"options.limit"/);
      expect(() => new SandboxStore({ maxDocumentBytes: -1 })).toThrow(/"options.maxDocumentBytes"/);
    });
  });

  describe('history, versionId and versionTime', () => {
    beforeEach(() => {
      store.put({ method: 'toy', did: DID, document: { v: 1 } });
      clock.set('2024-02-01T00:00:00.000Z');
      store.update(DID, { document: { v: 2 }, extra: { tx: '0x02' } });
      clock.set('2024-03-01T00:00:00.000Z');
      store.update(DID, { document: { v: 3 } });
    });

    it('keeps every version, oldest first', () => {
      const history = store.history(DID);
      expect(history.map((v) => [v.versionId, v.versionTime, v.document, v.extra])).toEqual([
        [1, '2024-01-01T00:00:00.000Z', { v: 1 }, {}],
        [2, '2024-02-01T00:00:00.000Z', { v: 2 }, { tx: '0x02' }],
        // extra is carried forward when an update does not replace it
        [3, '2024-03-01T00:00:00.000Z', { v: 3 }, { tx: '0x02' }],
      ]);
      expect(store.history('did:toy:none')).toEqual([]);
    });

    it('serves the latest version with created from version 1 and updated from the latest', () => {
      const latest = store.get(DID)!;
      expect(latest).toMatchObject({ versionId: 3, latestVersionId: 3, document: { v: 3 } });
      expect(latest.created).toBe('2024-01-01T00:00:00.000Z');
      expect(latest.updated).toBe('2024-03-01T00:00:00.000Z');
      expect(latest.nextVersionId).toBeUndefined();
    });

    it('finds a version by versionId (number or decimal string) with the next version in metadata', () => {
      const v1 = store.get(DID, { versionId: 1 })!;
      expect(v1).toMatchObject({ versionId: 1, document: { v: 1 }, nextVersionId: 2, nextUpdate: '2024-02-01T00:00:00.000Z' });
      expect(v1.updated).toBe('2024-01-01T00:00:00.000Z');
      expect(store.get(DID, { versionId: '2' })!.document).toEqual({ v: 2 });
      expect(store.get(DID, { versionId: 4 })).toBeUndefined();
    });

    it('finds the version current at versionTime', () => {
      expect(store.get(DID, { versionTime: '2024-01-15T00:00:00Z' })!.versionId).toBe(1);
      expect(store.get(DID, { versionTime: '2024-02-01T00:00:00Z' })!.versionId).toBe(2);
      expect(store.get(DID, { versionTime: new Date('2024-02-29T23:59:59Z') })!.versionId).toBe(2);
      expect(store.get(DID, { versionTime: '2030-01-01T00:00:00Z' })!.versionId).toBe(3);
      expect(store.get(DID, { versionTime: '2023-12-31T23:59:59Z' })).toBeUndefined();
    });

    it('with versionId and versionTime, answers only when they agree', () => {
      expect(store.get(DID, { versionId: 2, versionTime: '2024-02-15T00:00:00Z' })!.versionId).toBe(2);
      expect(store.get(DID, { versionId: 1, versionTime: '2024-02-15T00:00:00Z' })).toBeUndefined();
    });

    it('refuses unreadable versions with INVALID_VERSION', () => {
      expect(reasonOf(() => store.get(DID, { versionId: 'abc' }))).toBe('INVALID_VERSION');
      expect(reasonOf(() => store.get(DID, { versionId: 0 }))).toBe('INVALID_VERSION');
      expect(reasonOf(() => store.get(DID, { versionId: 1.5 }))).toBe('INVALID_VERSION');
      expect(reasonOf(() => store.get(DID, { versionTime: 'yesterday' }))).toBe('INVALID_VERSION');
    });

    it('refuses an explicit write time before the latest version, and clamps a clock that steps back', () => {
      expect(reasonOf(() => store.update(DID, { document: { v: 4 }, at: '2024-02-15T00:00:00Z' }))).toBe('INVALID_VERSION');
      clock.set('2023-06-01T00:00:00.000Z');
      const record = store.update(DID, { document: { v: 4 } });
      expect(record.versionTime).toBe('2024-03-01T00:00:00.000Z');
      expect(store.get(DID, { versionTime: '2024-03-01T00:00:00Z' })!.versionId).toBe(4);
    });

    it('refuses to update an unknown DID', () => {
      expect(reasonOf(() => store.update('did:toy:none', { document: {} }))).toBe('DID_NOT_FOUND');
    });
  });

  describe('deactivation', () => {
    beforeEach(() => {
      store.put({ method: 'toy', did: DID, document: { v: 1 } });
      clock.set('2024-02-01T00:00:00.000Z');
    });

    it('writes a new deactivated version and keeps the document unless replaced', () => {
      const record = store.deactivate(DID);
      expect(record).toMatchObject({ versionId: 2, deactivated: true, document: { v: 1 }, updated: '2024-02-01T00:00:00.000Z' });
      expect(store.get(DID, { versionId: 1 })!.deactivated).toBe(false);
      expect(store.get(DID, { versionTime: '2024-01-15T00:00:00Z' })!.deactivated).toBe(false);
      expect(store.history(DID).map((v) => v.deactivated)).toEqual([false, true]);
    });

    it('can replace the document with a tombstone', () => {
      expect(store.deactivate(DID, { document: { id: DID, tombstone: true } }).document).toEqual({ id: DID, tombstone: true });
    });

    it('refuses updates and a second deactivation afterwards', () => {
      store.deactivate(DID);
      expect(reasonOf(() => store.update(DID, { document: { v: 2 } }))).toBe('DID_DEACTIVATED');
      expect(reasonOf(() => store.deactivate(DID))).toBe('DID_DEACTIVATED');
      expect(store.history(DID)).toHaveLength(2);
    });

    it('refuses to deactivate an unknown DID', () => {
      expect(reasonOf(() => store.deactivate('did:toy:none'))).toBe('DID_NOT_FOUND');
    });
  });

  describe('list, count, transactions, clear', () => {
    it('lists latest versions per method, oldest first, with paging', () => {
      store.put({ method: 'toy', did: 'did:toy:1', document: { n: 1 } });
      clock.set('2024-01-02T00:00:00.000Z');
      store.put({ method: 'other', did: 'did:other:1', document: {} });
      clock.set('2024-01-03T00:00:00.000Z');
      store.put({ method: 'toy', did: 'did:toy:2', document: {} });
      store.update('did:toy:1', { document: { n: 2 } });
      expect(store.list({ method: 'toy' }).map((r) => [r.did, r.versionId])).toEqual([
        ['did:toy:1', 2],
        ['did:toy:2', 1],
      ]);
      expect(store.list().map((r) => r.did)).toEqual(['did:toy:1', 'did:other:1', 'did:toy:2']);
      expect(store.list({ limit: 1, offset: 1 }).map((r) => r.did)).toEqual(['did:other:1']);
      expect(store.count()).toBe(3);
      expect(store.count('toy')).toBe(2);
      expect(store.count('none')).toBe(0);
    });

    it('rolls back every write of a failed transaction', () => {
      expect(() =>
        store.transaction(() => {
          store.put({ method: 'toy', did: 'did:toy:1', document: {} });
          store.put({ method: 'toy', did: 'did:toy:1', document: {} });
        }),
      ).toThrow(SandboxError);
      expect(store.count()).toBe(0);
    });

    it('clears everything', () => {
      store.put({ method: 'toy', did: DID, document: {} });
      store.update(DID, { document: { v: 2 } });
      store.clear();
      expect(store.count()).toBe(0);
      expect(store.history(DID)).toEqual([]);
    });
  });

  describe('file stores', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'didbridge-store-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('persists records and history across reopening', () => {
      const path = join(dir, 'sandbox.db');
      const first = new SandboxStore({ path });
      first.put({ method: 'toy', did: DID, document: { v: 1 } });
      first.update(DID, { document: { v: 2 } });
      first.close();
      expect(first.closed).toBe(true);
      const second = new SandboxStore({ path });
      try {
        expect(second.get(DID)!.document).toEqual({ v: 2 });
        expect(second.get(DID, { versionId: 1 })!.document).toEqual({ v: 1 });
      } finally {
        second.close();
      }
    });

    it('refuses an SQLite file that is not a sandbox store, and leaves it alone', () => {
      const path = join(dir, 'foreign.db');
      const foreign = new Database(path);
      foreign.exec('CREATE TABLE mine (x INTEGER)');
      foreign.close();
      expect(reasonOf(() => new SandboxStore({ path }))).toBe('STORE_SCHEMA');
      const check = new Database(path);
      expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all()).toEqual([{ name: 'mine' }]);
      check.close();
    });

    it('refuses a sandbox store of another schema version', () => {
      const path = join(dir, 'future.db');
      new SandboxStore({ path }).close();
      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
      expect(reasonOf(() => new SandboxStore({ path }))).toBe('STORE_SCHEMA');
    });
  });
});
