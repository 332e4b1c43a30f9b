/**
 * The sandbox registry's storage: an embedded SQLite database (better-sqlite3) holding, per DID, the native document
 * exactly as the emulated upstream returns it, plus every earlier version so emulators can answer `versionId` and
 * `versionTime` queries.
 *
 * The store knows nothing about any DID method: documents are opaque JSON, per-method fields go in `extra`, and a
 * method name is only a partition key. Emulators (see `emulator.ts`) give the documents their meaning.
 *
 * Times are kept as epoch milliseconds and handed out as ISO 8601 strings with milliseconds
 * (`2024-05-01T08:00:00.000Z`); emulators convert them to whatever their upstream prints (epoch seconds, `Z` without
 * fraction, ...).
 */
import Database from 'better-sqlite3';
import type { JsonObject, JsonValue } from '../spec.js';
import { parseJsonSafe } from '../util/json.js';
import { SandboxError } from './errors.js';

/** Options of {@link SandboxStore}. */
export interface SandboxStoreOptions {
  /** A database file, or `:memory:` (the default) for a store that lives as long as the object. */
  path?: string;
  /** The clock used to date writes that do not pass `at`. Default: the system clock. */
  now?: () => Date;
  /** Largest accepted document, in bytes of its JSON text. Default 1 MiB. */
  maxDocumentBytes?: number;
  /** Largest accepted `extra`, in bytes of its JSON text. Default 64 KiB. */
  maxExtraBytes?: number;
  /** Deepest accepted JSON nesting of a `documentJson`. Default 64. */
  maxJsonDepth?: number;
  /** How long a write waits for another process holding the file's lock, in ms. Default 5 000. */
  busyTimeoutMs?: number;
}

/** The defaults of {@link SandboxStoreOptions}. */
export const STORE_DEFAULTS = {
  path: ':memory:',
  maxDocumentBytes: 1024 * 1024,
  maxExtraBytes: 64 * 1024,
  maxJsonDepth: 64,
  busyTimeoutMs: 5_000,
} as const;

/**
 * One DID as the store holds it, seen at one version (the latest unless `get` was asked for another).
 *
 * `created` is the time of version 1; `updated` is the time of the version shown (equal to `versionTime`).
 */
export interface DidRecord {
  /** The DID method name the record belongs to, e.g. `example`. */
  method: string;
  did: string;
  /** The native document, parsed. */
  document: JsonValue;
  /** The native document's JSON text exactly as stored (what an emulator should send when it must be byte-exact). */
  documentJson: string;
  created: string;
  updated: string;
  /** The version shown (1 for the first write, incremented by every update and by deactivation). */
  versionId: number;
  /** When the version shown was written. */
  versionTime: string;
  /** The newest version the store holds. */
  latestVersionId: number;
  /** The version after the one shown; absent when the latest version is shown. */
  nextVersionId?: number;
  /** When the version after the one shown was written; absent when the latest version is shown. */
  nextUpdate?: string;
  /** Whether the DID was deactivated as of the version shown. */
  deactivated: boolean;
  /** Per-method fields (chain id, transaction hash, block height...) as of the version shown. */
  extra: JsonObject;
  /** Where a seeded document comes from (repository, commit, path, lines); absent for DIDs created in the sandbox. */
  source?: string;
}

/** One entry of a DID's history. */
export interface DidVersion {
  did: string;
  versionId: number;
  versionTime: string;
  document: JsonValue;
  documentJson: string;
  deactivated: boolean;
  extra: JsonObject;
}

/** The document of a write: exactly one of `document` (serialised with JSON.stringify) or `documentJson` (kept as is). */
export interface DocumentInput {
  /** The native document as a JSON value. */
  document?: JsonValue;
  /** The native document as JSON text, stored byte for byte (after checking it parses). */
  documentJson?: string;
}

/** Input of {@link SandboxStore.put}. */
export interface PutInput extends DocumentInput {
  method: string;
  did: string;
  extra?: JsonObject;
  /** Provenance of a seeded document. */
  source?: string;
  /** When the DID was created. Default: the store's clock. */
  at?: Date | string;
  /** What to do when the DID exists: throw `DID_EXISTS` (default) or leave it and return it (seeding is idempotent). */
  ifExists?: 'error' | 'skip';
}

/** Input of {@link SandboxStore.update}. Omitted members keep their current value. */
export interface UpdateInput extends DocumentInput {
  extra?: JsonObject;
  /** When the update happened. Default: the store's clock. Must not precede the latest version. */
  at?: Date | string;
}

/** Input of {@link SandboxStore.deactivate}. Omitted members keep their current value. */
export interface DeactivateInput extends DocumentInput {
  extra?: JsonObject;
  /** When the deactivation happened. Default: the store's clock. Must not precede the latest version. */
  at?: Date | string;
}

/** Selects a version in {@link SandboxStore.get}. */
export interface VersionQuery {
  /** A version number, as a number or decimal string. */
  versionId?: number | string;
  /** A point in time: the version current at that instant is returned. */
  versionTime?: Date | string;
}

/** Paging of {@link SandboxStore.list}. */
export interface ListOptions {
  /** Only records of this method. */
  method?: string;
  /** At most this many records. Default 1 000. */
  limit?: number;
  offset?: number;
}

const SCHEMA_VERSION = 1;
/** `PRAGMA application_id` of sandbox store files ("DBSX"), so a foreign SQLite file is refused instead of altered. */
const APPLICATION_ID = 0x44425358;
const METHOD_NAME = /^[a-z0-9]+$/;
const MAX_DID_LENGTH = 2048;

const SCHEMA = `
CREATE TABLE did_record (
  did          TEXT PRIMARY KEY,
  method       TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  latest       INTEGER NOT NULL,
  source       TEXT
) STRICT;
CREATE INDEX did_record_by_method ON did_record (method, created_ms, did);
CREATE TABLE did_version (
  did          TEXT NOT NULL REFERENCES did_record (did) ON DELETE CASCADE,
  version_id   INTEGER NOT NULL,
  time_ms      INTEGER NOT NULL,
  document     TEXT NOT NULL,
  deactivated  INTEGER NOT NULL,
  extra        TEXT NOT NULL,
  PRIMARY KEY (did, version_id)
) STRICT;
CREATE INDEX did_version_by_time ON did_version (did, time_ms);
`;

interface RecordRow {
  did: string;
  method: string;
  created_ms: number;
  latest: number;
  source: string | null;
}
interface VersionRow {
  did: string;
  version_id: number;
  time_ms: number;
  document: string;
  deactivated: number;
  extra: string;
}
type JoinedRow = RecordRow & VersionRow;

function checkPositiveInteger(name: string, value: number | undefined, min = 1): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw new TypeError(`"${name}" must be an integer >= ${min}, got ${String(value)}`);
  }
}

function checkObject(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`"${name}" must be an object`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The sandbox's SQLite store. Every statement is prepared once; every write runs in a transaction, so a history row
 * and its record never disagree. One store may be shared by several servers or processes when it is a file (WAL mode,
 * with a busy timeout for writers).
 *
 * @example
 * const store = new SandboxStore();
 * store.put({ method: 'example', did: 'did:example:123', document: { id: 'did:example:123' } });
 * store.update('did:example:123', { document: { id: 'did:example:123', service: [] } });
 * store.get('did:example:123', { versionId: 1 })?.document; // the first document
 */
export class SandboxStore {
  /** The database file, or `:memory:`. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly maxDocumentBytes: number;
  private readonly maxExtraBytes: number;
  private readonly maxJsonDepth: number;
  private readonly statements: ReturnType<SandboxStore['prepare']>;

  constructor(options: SandboxStoreOptions = {}) {
    checkObject('options', options);
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      throw new TypeError('"options.path" must be a non-empty string (a file path or ":memory:")');
    }
    if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('"options.now" must be a function');
    checkPositiveInteger('options.maxDocumentBytes', options.maxDocumentBytes);
    checkPositiveInteger('options.maxExtraBytes', options.maxExtraBytes);
    checkPositiveInteger('options.maxJsonDepth', options.maxJsonDepth);
    checkPositiveInteger('options.busyTimeoutMs', options.busyTimeoutMs, 0);
    this.path = options.path ?? STORE_DEFAULTS.path;
    this.clock = options.now ?? (() => new Date());
    this.maxDocumentBytes = options.maxDocumentBytes ?? STORE_DEFAULTS.maxDocumentBytes;
    this.maxExtraBytes = options.maxExtraBytes ?? STORE_DEFAULTS.maxExtraBytes;
    this.maxJsonDepth = options.maxJsonDepth ?? STORE_DEFAULTS.maxJsonDepth;
    this.db = new Database(this.path, { timeout: options.busyTimeoutMs ?? STORE_DEFAULTS.busyTimeoutMs });
    try {
      this.initialise();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.statements = this.prepare();
  }

  /** Creates the schema in an empty database, or checks that an existing one is a sandbox store of this version. */
  private initialise(): void {
    if (this.path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    const applicationId = this.db.pragma('application_id', { simple: true }) as number;
    const userVersion = this.db.pragma('user_version', { simple: true }) as number;
    if (applicationId === 0 && userVersion === 0) {
      const tables = this.db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number };
      if (tables.n > 0) {
        throw new SandboxError('STORE_SCHEMA', `${this.path} is an SQLite database but not a didbridge sandbox store; refusing to change it`);
      }
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        this.db.pragma(`application_id = ${APPLICATION_ID}`);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      return;
    }
    if (applicationId !== APPLICATION_ID) {
      throw new SandboxError('STORE_SCHEMA', `${this.path} is an SQLite database but not a didbridge sandbox store; refusing to change it`);
    }
    if (userVersion !== SCHEMA_VERSION) {
      throw new SandboxError(
        'STORE_SCHEMA',
        `${this.path} has sandbox schema version ${userVersion}; this build reads version ${SCHEMA_VERSION}. Use a new file.`,
      );
    }
  }

  private prepare() {
    const joined = `SELECT r.did, r.method, r.created_ms, r.latest, r.source,
                           v.version_id, v.time_ms, v.document, v.deactivated, v.extra
                      FROM did_record r JOIN did_version v ON v.did = r.did`;
    return {
      insertRecord: this.db.prepare<[string, string, number, number, string | null]>(
        'INSERT INTO did_record (did, method, created_ms, latest, source) VALUES (?, ?, ?, ?, ?)',
      ),
      setLatest: this.db.prepare<[number, string]>('UPDATE did_record SET latest = ? WHERE did = ?'),
      insertVersion: this.db.prepare<[string, number, number, string, number, string]>(
        'INSERT INTO did_version (did, version_id, time_ms, document, deactivated, extra) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latest: this.db.prepare<[string], JoinedRow>(`${joined} AND v.version_id = r.latest WHERE r.did = ?`),
      byVersion: this.db.prepare<[number, string], JoinedRow>(`${joined} WHERE v.version_id = ? AND r.did = ?`),
      atTime: this.db.prepare<[string, number], JoinedRow>(
        `${joined} WHERE r.did = ? AND v.time_ms <= ? ORDER BY v.version_id DESC LIMIT 1`,
      ),
      versionAfter: this.db.prepare<[string, number], Pick<VersionRow, 'version_id' | 'time_ms'>>(
        'SELECT version_id, time_ms FROM did_version WHERE did = ? AND version_id > ? ORDER BY version_id LIMIT 1',
      ),
      exists: this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM did_record WHERE did = ?'),
      listAll: this.db.prepare<[number, number], JoinedRow>(
        `${joined} AND v.version_id = r.latest ORDER BY r.created_ms, r.did LIMIT ? OFFSET ?`,
      ),
      listMethod: this.db.prepare<[string, number, number], JoinedRow>(
        `${joined} AND v.version_id = r.latest WHERE r.method = ? ORDER BY r.created_ms, r.did LIMIT ? OFFSET ?`,
      ),
      countAll: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM did_record'),
      countMethod: this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM did_record WHERE method = ?'),
      history: this.db.prepare<[string], VersionRow>(
        'SELECT did, version_id, time_ms, document, deactivated, extra FROM did_version WHERE did = ? ORDER BY version_id',
      ),
      clearVersions: this.db.prepare('DELETE FROM did_version'),
      clearRecords: this.db.prepare('DELETE FROM did_record'),
    };
  }

  /**
   * Stores a new DID at version 1.
   * @throws SandboxError `DID_EXISTS` (unless `ifExists: 'skip'`), `INVALID_DID`, `INVALID_DOCUMENT`,
   *   `DOCUMENT_TOO_LARGE`, `INVALID_VERSION` (an unreadable `at`).
   */
  put(input: PutInput): DidRecord {
    checkObject('input', input);
    if (typeof input.method !== 'string') throw new TypeError('"input.method" must be a string');
    if (typeof input.did !== 'string') throw new TypeError('"input.did" must be a string');
    if (input.source !== undefined && typeof input.source !== 'string') throw new TypeError('"input.source" must be a string');
    if (input.ifExists !== undefined && input.ifExists !== 'error' && input.ifExists !== 'skip') {
      throw new TypeError('"input.ifExists" must be "error" or "skip"');
    }
    if (!METHOD_NAME.test(input.method)) {
      throw new SandboxError('INVALID_DID', `method name ${JSON.stringify(input.method.slice(0, 64))} must match ${METHOD_NAME}`);
    }
    checkDid(input.did, input.method);
    const documentJson = this.documentText(input, true) as string;
    const extra = this.extraText(input.extra) ?? '{}';
    const at = this.writeTime(input.at, undefined);
    return this.db.transaction((): DidRecord => {
      if (this.statements.exists.get(input.did)) {
        if (input.ifExists === 'skip') return this.mustGet(input.did);
        throw new SandboxError('DID_EXISTS', `${input.did} already exists`);
      }
      this.statements.insertRecord.run(input.did, input.method, at, 1, input.source ?? null);
      this.statements.insertVersion.run(input.did, 1, at, documentJson, 0, extra);
      return this.mustGet(input.did);
    })();
  }

  /**
   * Writes a new version of a DID. Members left out of `input` keep their current value.
   * @throws SandboxError `DID_NOT_FOUND`, `DID_DEACTIVATED`, `INVALID_DOCUMENT`, `DOCUMENT_TOO_LARGE`, `INVALID_VERSION`.
   */
  update(did: string, input: UpdateInput): DidRecord {
    if (typeof did !== 'string') throw new TypeError('"did" must be a string');
    checkObject('input', input);
    return this.writeVersion(did, input, false);
  }

  /**
   * Marks a DID deactivated, as a new version (its document is kept unless `input` replaces it: some upstreams keep
   * serving the last document with a flag, others serve a tombstone).
   * @throws SandboxError `DID_NOT_FOUND`, `DID_DEACTIVATED`, `INVALID_DOCUMENT`, `DOCUMENT_TOO_LARGE`, `INVALID_VERSION`.
   */
  deactivate(did: string, input: DeactivateInput = {}): DidRecord {
    if (typeof did !== 'string') throw new TypeError('"did" must be a string');
    checkObject('input', input);
    return this.writeVersion(did, input, true);
  }

  private writeVersion(did: string, input: UpdateInput, deactivate: boolean): DidRecord {
    const documentJson = this.documentText(input, false);
    const extra = this.extraText(input.extra);
    return this.db.transaction((): DidRecord => {
      const current = this.statements.latest.get(did);
      if (!current) throw new SandboxError('DID_NOT_FOUND', `${did} does not exist`);
      if (current.deactivated) throw new SandboxError('DID_DEACTIVATED', `${did} is deactivated`);
      const at = this.writeTime(input.at, current.time_ms);
      const versionId = current.version_id + 1;
      this.statements.insertVersion.run(
        did,
        versionId,
        at,
        documentJson ?? current.document,
        deactivate ? 1 : 0,
        extra ?? current.extra,
      );
      this.statements.setLatest.run(versionId, did);
      return this.mustGet(did);
    })();
  }

  /**
   * Reads a DID: the latest version, the version `versionId`, or the version current at `versionTime` (with both,
   * the version must be `versionId` and current at `versionTime`). Returns undefined when the DID is unknown or no
   * version matches; use `has` to tell the two apart.
   * @throws SandboxError `INVALID_VERSION` when `versionId` or `versionTime` cannot be read.
   */
  get(did: string, query: VersionQuery = {}): DidRecord | undefined {
    if (typeof did !== 'string') throw new TypeError('"did" must be a string');
    checkObject('query', query);
    const versionId = query.versionId === undefined ? undefined : parseVersionId(query.versionId);
    const versionTime = query.versionTime === undefined ? undefined : parseTime(query.versionTime, 'versionTime');
    let row: JoinedRow | undefined;
    if (versionTime !== undefined) {
      row = this.statements.atTime.get(did, versionTime);
      if (row && versionId !== undefined && row.version_id !== versionId) row = undefined;
    } else if (versionId !== undefined) {
      row = this.statements.byVersion.get(versionId, did);
    } else {
      row = this.statements.latest.get(did);
    }
    return row ? this.toRecord(row) : undefined;
  }

  /** Whether the store holds the DID (in any state). */
  has(did: string): boolean {
    if (typeof did !== 'string') throw new TypeError('"did" must be a string');
    return this.statements.exists.get(did) !== undefined;
  }

  /** Latest versions of stored DIDs, oldest first, optionally of one method. */
  list(options: ListOptions = {}): DidRecord[] {
    checkObject('options', options);
    if (options.method !== undefined && typeof options.method !== 'string') throw new TypeError('"options.method" must be a string');
    checkPositiveInteger('options.limit', options.limit);
    checkPositiveInteger('options.offset', options.offset, 0);
    const limit = options.limit ?? 1000;
    const offset = options.offset ?? 0;
    const rows =
      options.method === undefined
        ? this.statements.listAll.all(limit, offset)
        : this.statements.listMethod.all(options.method, limit, offset);
    return rows.map((row) => this.toRecord(row));
  }

  /** How many DIDs the store holds, optionally of one method. */
  count(method?: string): number {
    if (method !== undefined && typeof method !== 'string') throw new TypeError('"method" must be a string');
    return (method === undefined ? this.statements.countAll.get() : this.statements.countMethod.get(method))!.n;
  }

  /** Every version of a DID, oldest first; empty when the DID is unknown. */
  history(did: string): DidVersion[] {
    if (typeof did !== 'string') throw new TypeError('"did" must be a string');
    return this.statements.history.all(did).map((row) => ({
      did: row.did,
      versionId: row.version_id,
      versionTime: iso(row.time_ms),
      document: this.parseStored(row.document),
      documentJson: row.document,
      deactivated: row.deactivated === 1,
      extra: this.parseStored(row.extra) as JsonObject,
    }));
  }

  /**
   * Runs `fn` in one transaction (nested calls become savepoints): an emulator writing several DIDs at once (a batch
   * create) either stores all of them or none.
   */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('"fn" must be a function');
    return this.db.transaction(fn)();
  }

  /** Removes every DID and its history (tests use it between cases). */
  clear(): void {
    this.db.transaction(() => {
      this.statements.clearVersions.run();
      this.statements.clearRecords.run();
    })();
  }

  /** The store's clock (the one that dates writes without `at`); emulators use it through their context. */
  now(): Date {
    return this.clock();
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return !this.db.open;
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private mustGet(did: string): DidRecord {
    const row = this.statements.latest.get(did);
    if (!row) throw new SandboxError('DID_NOT_FOUND', `${did} does not exist`);
    return this.toRecord(row);
  }

  private toRecord(row: JoinedRow): DidRecord {
    const record: DidRecord = {
      method: row.method,
      did: row.did,
      document: this.parseStored(row.document),
      documentJson: row.document,
      created: iso(row.created_ms),
      updated: iso(row.time_ms),
      versionId: row.version_id,
      versionTime: iso(row.time_ms),
      latestVersionId: row.latest,
      deactivated: row.deactivated === 1,
      extra: this.parseStored(row.extra) as JsonObject,
    };
    if (row.version_id < row.latest) {
      const next = this.statements.versionAfter.get(row.did, row.version_id);
      if (next) {
        record.nextVersionId = next.version_id;
        record.nextUpdate = iso(next.time_ms);
      }
    }
    if (row.source !== null) record.source = row.source;
    return record;
  }

  /** Stored text was checked on the way in, but a file may have been edited by hand: parse it with the limits anyway. */
  private parseStored(text: string): JsonValue {
    return parseJsonSafe(text, { maxDepth: this.maxJsonDepth }, 'INVALID_DID_DOCUMENT') as JsonValue;
  }

  /** The JSON text of a write's document; undefined when the write keeps the current one. */
  private documentText(input: DocumentInput, required: boolean): string | undefined {
    const hasDocument = input.document !== undefined;
    const hasText = input.documentJson !== undefined;
    if (hasDocument && hasText) throw new TypeError('give "input.document" or "input.documentJson", not both');
    if (!hasDocument && !hasText) {
      if (required) throw new TypeError('"input.document" or "input.documentJson" is required');
      return undefined;
    }
    let text: string;
    if (hasText) {
      if (typeof input.documentJson !== 'string') throw new TypeError('"input.documentJson" must be a string');
      text = input.documentJson;
      this.checkSize(text, this.maxDocumentBytes, 'document');
      try {
        parseJsonSafe(text, { maxDepth: this.maxJsonDepth }, 'INVALID_DID_DOCUMENT');
      } catch (cause) {
        throw new SandboxError('INVALID_DOCUMENT', `documentJson is not usable JSON: ${(cause as Error).message}`, { cause });
      }
    } else {
      text = serialise(input.document, 'document');
      this.checkSize(text, this.maxDocumentBytes, 'document');
    }
    return text;
  }

  private extraText(extra: JsonObject | undefined): string | undefined {
    if (extra === undefined) return undefined;
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
      throw new SandboxError('INVALID_DOCUMENT', 'extra must be a JSON object');
    }
    const text = serialise(extra, 'extra');
    this.checkSize(text, this.maxExtraBytes, 'extra');
    return text;
  }

  private checkSize(text: string, limit: number, what: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limit) throw new SandboxError('DOCUMENT_TOO_LARGE', `${what} is ${bytes} bytes; the limit is ${limit}`);
  }

  /**
   * The time of a write. An explicit `at` before the latest version is refused (it would make `versionTime` lookups
   * ambiguous); the clock's own time is clamped instead, because a clock stepping back is not the caller's fault.
   */
  private writeTime(at: Date | string | undefined, latestMs: number | undefined): number {
    if (at === undefined) {
      const now = this.clock().getTime();
      if (!Number.isFinite(now)) throw new TypeError('"options.now" returned an invalid Date');
      return latestMs === undefined ? now : Math.max(now, latestMs);
    }
    const ms = parseTime(at, 'at');
    if (latestMs !== undefined && ms < latestMs) {
      throw new SandboxError('INVALID_VERSION', `at ${iso(ms)} precedes the latest version (${iso(latestMs)})`);
    }
    return ms;
  }
}

function serialise(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new SandboxError('INVALID_DOCUMENT', `${what} cannot be serialised as JSON: ${(cause as Error).message}`, { cause });
  }
  if (text === undefined) throw new SandboxError('INVALID_DOCUMENT', `${what} is not a JSON value`);
  return text;
}

function checkDid(did: string, method: string): void {
  const prefix = `did:${method}:`;
  if (did.length > MAX_DID_LENGTH) {
    throw new SandboxError('INVALID_DID', `DID is ${did.length} characters; the limit is ${MAX_DID_LENGTH}`);
  }
  // Only the generic shape: each method's emulator owns its identifier rules.
  if (!did.startsWith(prefix) || did.length === prefix.length || hasForbiddenCharacter(did)) {
    throw new SandboxError('INVALID_DID', `${JSON.stringify(did.slice(0, 200))} is not a DID of method "${method}"`);
  }
}

/** Whitespace, control characters, and the DID URL delimiters `#` and `?` never belong in a stored DID. */
function hasForbiddenCharacter(did: string): boolean {
  for (let i = 0; i < did.length; i++) {
    const c = did.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x23 || c === 0x3f || /\s/.test(did.charAt(i))) return true;
  }
  return false;
}

function parseVersionId(value: number | string): number {
  const n = typeof value === 'number' ? value : /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new SandboxError('INVALID_VERSION', `versionId ${JSON.stringify(String(value).slice(0, 64))} is not a version number`);
  }
  return n;
}

function parseTime(value: Date | string, name: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new SandboxError('INVALID_VERSION', `${name} ${JSON.stringify(String(value).slice(0, 64))} is not a datetime`);
  }
  return ms;
}
