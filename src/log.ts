/**
 * Structured logs: one JSON object per line, filtered by level, written to a stream (stdout by default, which is
 * what container runtimes collect).
 *
 * Two rules keep secrets out of the logs: callers log chosen fields, never whole requests or bodies; and any field
 * whose name looks like a credential (`authorization`, `cookie`, `password`, `token`, `secret`, `apiKey`,
 * `privateKey`, ...) is replaced by `"[redacted]"`, at any depth, before the line is written.
 */
import type { Writable } from 'node:stream';
import { jsonString } from './util/json.js';

/** Levels in increasing severity; `silent` turns logging off. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: Infinity };

/** Field names (compared lower-case, without `-` and `_`) whose values are never written. */
const SECRET_FIELD = /authorization|cookie|password|passwd|secret|token|apikey|privatekey|credential|signature|seed|mnemonic/;

/** Values longer than this are cut, so one hostile input cannot produce a megabyte log line. */
const MAX_STRING = 2048;
/** Objects nested deeper than this are summarised. */
const MAX_DEPTH = 6;

export type LogFields = Record<string, unknown>;

/** A structured logger. */
export interface Logger {
  readonly level: LogLevel;
  /** Whether a line at `level` would be written (lets hot paths skip building fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Minimum level written. Default `info`. */
  level?: LogLevel;
  /** Where lines go. Default `process.stdout`. */
  stream?: Pick<Writable, 'write'>;
  /**
   * Collect the lines of one event-loop turn and write them together (default: true for `process.stdout`, false for
   * a given stream). Writing stdout to a file or a pipe is a system call per write, which under load costs more than
   * building the line; lines still reach the stream before the next turn, and at exit.
   */
  batch?: boolean;
  /** Fields added to every line (e.g. `{ service: 'didbridge' }`). */
  base?: LogFields;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

const secretFieldMemo = new Map<string, boolean>();

function isSecretField(name: string): boolean {
  let secret = secretFieldMemo.get(name);
  if (secret === undefined) {
    secret = SECRET_FIELD.test(name.replace(/[-_]/g, '').toLowerCase());
    // Field names come from code, so the memo stays small; the bound guards against names built from input.
    if (secretFieldMemo.size < 1000) secretFieldMemo.set(name, secret);
  }
  return secret;
}

/** Flushers of batching loggers, run once at process exit (one listener for all of them). */
const flushAtExit = new Set<() => void>();
let exitHookInstalled = false;

/** A stream wrapper that writes the lines of one event-loop turn with one call. */
function batching(stream: Pick<Writable, 'write'>): Pick<Writable, 'write'> {
  let pending: string[] = [];
  let bytes = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    bytes = 0;
    stream.write(text);
  };
  flushAtExit.add(flush);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => flushAtExit.forEach((f) => f()));
  }
  return {
    write(chunk: string) {
      pending.push(chunk);
      bytes += chunk.length;
      if (bytes >= 256 * 1024) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
  } as Pick<Writable, 'write'>;
}

/** Copies a value for logging: secrets redacted, long strings cut, errors reduced to name/code/message. */
function sanitise(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...` : value;
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, ...(code !== undefined ? { code } : {}), message: sanitise(value.message, depth + 1) };
  }
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[object]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => sanitise(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretField(k) ? '[redacted]' : sanitise(v, depth + 1);
  return out;
}

/** `,"key":` per field name, or `,"key":"[redacted]"` for a secret one: one lookup per member on the hot path. */
const memberPrefixMemo = new Map<string, { prefix: string; secret: boolean }>();

function memberPrefix(key: string): { prefix: string; secret: boolean } {
  let entry = memberPrefixMemo.get(key);
  if (entry === undefined) {
    const secret = isSecretField(key);
    entry = { prefix: secret ? `,${JSON.stringify(key)}:"[redacted]"` : `,${JSON.stringify(key)}:`, secret };
    // Field names come from code, so the memo stays small; the bound guards against names built from input.
    if (memberPrefixMemo.size < 1000) memberPrefixMemo.set(key, entry);
  }
  return entry;
}

/** One `,"key":value` member of a line; undefined values are left out, as JSON.stringify does. */
function member(key: string, value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return '';
  const { prefix, secret } = memberPrefix(key);
  if (secret) return prefix;
  if (typeof value === 'string') return prefix + jsonString(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...` : value);
  const clean = typeof value === 'number' || typeof value === 'boolean' || value === null ? value : sanitise(value, 1);
  return prefix + JSON.stringify(clean);
}

/** The default clock. */
const systemClock = (): Date => new Date();
let lastTimeMs = Number.NaN;
let lastTimeText = '';

/**
 * The current time as ISO 8601 text, formatted once per millisecond: under load many lines share a millisecond, and
 * formatting a Date costs more than building the rest of a request line.
 */
function systemTimeText(): string {
  const ms = Date.now();
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastTimeText = new Date(ms).toISOString();
  }
  return lastTimeText;
}

class JsonLogger implements Logger {
  constructor(
    readonly level: LogLevel,
    private readonly stream: Pick<Writable, 'write'>,
    private readonly base: LogFields,
    private readonly now: () => Date,
  ) {}

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return SEVERITY[level] >= SEVERITY[this.level];
  }

  private write(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields | undefined): void {
    if (!this.enabled(level)) return;
    const time = this.now === systemClock ? systemTimeText() : this.now().toISOString();
    let text: string;
    try {
      // Built as text, member by member: this runs once per request, and flat fields (the usual case) need no copy.
      text = `{"time":"${time}","level":"${level}","msg":${JSON.stringify(msg)}`;
      for (const key in this.base) {
        if (fields !== undefined && Object.prototype.hasOwnProperty.call(fields, key)) continue;
        text += member(key, this.base[key]);
      }
      if (fields !== undefined) for (const key in fields) text += member(key, fields[key]);
      text += '}';
    } catch {
      // A throwing toJSON or getter must not take the request down with it.
      text = JSON.stringify({ time, level, msg, logError: 'fields could not be serialised' });
    }
    this.stream.write(text + '\n');
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }
  child(fields: LogFields): Logger {
    return new JsonLogger(this.level, this.stream, { ...this.base, ...fields }, this.now);
  }
}

/**
 * Creates a JSON-lines logger.
 *
 * @example
 * const log = createLogger({ level: 'info', base: { service: 'didbridge' } })
 * log.info('listening', { port: 8080 })
 * // {"time":"2026-01-01T00:00:00.000Z","level":"info","msg":"listening","service":"didbridge","port":8080}
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const level = options.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new TypeError(`"level" must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  }
  const stream = options.stream ?? process.stdout;
  if (typeof stream?.write !== 'function') throw new TypeError('"stream" must have a write() method');
  const batch = options.batch ?? options.stream === undefined;
  return new JsonLogger(level, batch && level !== 'silent' ? batching(stream) : stream, options.base ?? {}, options.now ?? systemClock);
}

/** A logger that writes nothing (library default). */
export const silentLogger: Logger = createLogger({ level: 'silent', stream: { write: () => true } });
