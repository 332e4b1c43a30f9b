/**
 * Fault injection: make an emulated upstream misbehave on purpose so adapters' tests can check their error mapping
 * against real HTTP (timeouts, 5xx, unparseable and oversized bodies, dropped connections).
 *
 * A fault is scoped to one emulator (`mount`) or all of them, optionally narrowed to requests that mention a DID or hit
 * a path, and fires once, a given number of times, or always. Faults apply to emulator routes only, never to the admin
 * surface, so a test can always clear them.
 */
import type { JsonValue } from '../spec.js';
import { SandboxError } from './errors.js';

/** The kinds of fault. */
export const FAULT_KINDS = [
  /** Wait `delayMs`, then answer normally. */
  'delay',
  /** Answer `status` (default 503) with `body` (default empty), without asking the emulator. */
  'status',
  /** Answer 200 `application/json` with a body that is not JSON (`body`, default {@link GARBAGE_BODY}). */
  'garbage',
  /** Answer 200 `application/json` with `bytes` bytes of (valid) JSON, streamed. */
  'oversized',
  /** Drop the connection with a TCP reset before answering. */
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What {@link FAULT_KINDS} `garbage` sends unless told otherwise: what a misconfigured proxy in front of an API sends. */
export const GARBAGE_BODY = '<html><head><title>502 Bad Gateway</title></head><body>\u0000\u00ff garbage {"errorCode":';

/** A fault to inject. */
export interface FaultSpec {
  kind: FaultKind;
  /** The emulator's mount (its method name unless it sets `mount`); omitted: every emulator. */
  mount?: string;
  /** Only requests that mention this DID (in the decoded path, the query or the body). */
  did?: string;
  /** Only requests to this path below the mount: exact, or a prefix when it ends with `*`. */
  path?: string;
  /** How many matching requests it hits: a positive integer (default 1, "once") or `'always'`. */
  times?: number | 'always';
  /** `delay`: milliseconds to wait. Default 1 000. */
  delayMs?: number;
  /** `status`: the status to answer (400-599). Default 503. */
  status?: number;
  /** `status`, `garbage`: the body text. */
  body?: string;
  /** `status`, `garbage`: the content type. Default `text/plain; charset=utf-8` for `status`, `application/json` for `garbage`. */
  contentType?: string;
  /** `oversized`: body size in bytes. Default 2 MiB + 1 (over the default 1 MiB limit of the project's HTTP client). */
  bytes?: number;
  /** `oversized`: send no `content-length` (chunked), so the client only finds out while reading. Default false. */
  chunked?: boolean;
}

/** A fault as the injector holds it. */
export interface Fault extends FaultSpec {
  id: string;
  times: number | 'always';
  /** How many requests it has hit so far. */
  hits: number;
}

/** Bounds on what a fault may ask for, so a typo cannot hang a test run or fill memory. */
export interface FaultLimits {
  /** Largest `delayMs`. Default 120 000. */
  maxDelayMs?: number;
  /** Largest `bytes`. Default 256 MiB. */
  maxOversizedBytes?: number;
  /** Most faults held at once. Default 1 000. */
  maxFaults?: number;
}

export const FAULT_DEFAULTS = {
  delayMs: 1_000,
  status: 503,
  oversizedBytes: 2 * 1024 * 1024 + 1,
  maxDelayMs: 120_000,
  maxOversizedBytes: 256 * 1024 * 1024,
  maxFaults: 1_000,
} as const;

/** What the injector needs to know about a request to decide whether a fault hits it. */
export interface FaultTarget {
  mount: string;
  /** The path below the mount (raw). */
  path: string;
  /** Decoded path segments, query values and body text: where a DID may be mentioned. */
  texts: readonly string[];
}

const SPEC_MEMBERS = new Set(['kind', 'mount', 'did', 'path', 'times', 'delayMs', 'status', 'body', 'contentType', 'bytes', 'chunked']);

/**
 * Checks a fault spec from untrusted input (an admin request) and returns a clean copy.
 * @throws SandboxError `INVALID_REQUEST`.
 */
export function parseFaultSpec(value: unknown, limits: FaultLimits = {}): FaultSpec {
  return checkSpec(value, limits, (message) => {
    throw new SandboxError('INVALID_REQUEST', message);
  });
}

function checkSpec(value: unknown, limits: FaultLimits, fail: (message: string) => never): FaultSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('a fault must be an object');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!SPEC_MEMBERS.has(key)) fail(`unknown fault member "${key}"`);
  const kind = input.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    fail(`"kind" must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const spec: FaultSpec = { kind: kind as FaultKind };
  const optionalString = (name: 'mount' | 'did' | 'path' | 'body' | 'contentType', max: number) => {
    const v = input[name];
    if (v === undefined) return;
    if (typeof v !== 'string' || v === '' || v.length > max) fail(`"${name}" must be a non-empty string of at most ${max} characters`);
    spec[name] = v as string;
  };
  optionalString('mount', 64);
  optionalString('did', 2048);
  optionalString('path', 2048);
  optionalString('body', 1024 * 1024);
  optionalString('contentType', 256);
  if (spec.path !== undefined && !spec.path.startsWith('/')) fail('"path" must start with "/"');
  const integer = (name: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) fail(`"${name}" must be an integer from ${min} to ${max}`);
    return v as number;
  };
  if (input.times !== undefined) spec.times = input.times === 'always' ? 'always' : integer('times', input.times, 1, 1_000_000);
  const onlyFor = (name: string, kinds: FaultKind[]) => {
    if (input[name] !== undefined && !kinds.includes(spec.kind)) fail(`"${name}" does not apply to a ${spec.kind} fault`);
  };
  onlyFor('delayMs', ['delay']);
  onlyFor('status', ['status']);
  onlyFor('body', ['status', 'garbage']);
  onlyFor('contentType', ['status', 'garbage']);
  onlyFor('bytes', ['oversized']);
  onlyFor('chunked', ['oversized']);
  if (input.delayMs !== undefined) spec.delayMs = integer('delayMs', input.delayMs, 0, limits.maxDelayMs ?? FAULT_DEFAULTS.maxDelayMs);
  if (input.status !== undefined) spec.status = integer('status', input.status, 400, 599);
  if (input.bytes !== undefined) {
    spec.bytes = integer('bytes', input.bytes, 1, limits.maxOversizedBytes ?? FAULT_DEFAULTS.maxOversizedBytes);
  }
  if (input.chunked !== undefined) {
    if (typeof input.chunked !== 'boolean') fail('"chunked" must be a boolean');
    spec.chunked = input.chunked as boolean;
  }
  return spec;
}

/** Whether `text` mentions `did` as a whole DID (not as the prefix of a longer one). */
export function mentionsDid(text: string, did: string): boolean {
  for (let at = text.indexOf(did); at !== -1; at = text.indexOf(did, at + 1)) {
    const next = text.charAt(at + did.length);
    if (next === '' || !/[A-Za-z0-9._:%-]/.test(next)) return true;
  }
  return false;
}

/**
 * Holds the active faults and picks the one that hits a request. Faults are tried in the order they were added; the
 * first that matches fires and is used up by one.
 *
 * @example
 * const id = sandbox.faults.add({ kind: 'status', mount: 'example', status: 502, times: 2 });
 * ...
 * sandbox.faults.remove(id);
 */
export class FaultInjector {
  private readonly faults: Fault[] = [];
  private readonly limits: FaultLimits;
  private nextId = 1;

  constructor(limits: FaultLimits = {}) {
    if (limits === null || typeof limits !== 'object') throw new TypeError('"limits" must be an object');
    for (const name of ['maxDelayMs', 'maxOversizedBytes', 'maxFaults'] as const) {
      const v = limits[name];
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new TypeError(`"limits.${name}" must be a positive integer`);
    }
    this.limits = { ...limits };
  }

  /**
   * Adds a fault; returns its id.
   * @throws TypeError naming the member when the spec is malformed or over the limits.
   */
  add(spec: FaultSpec): string {
    const clean = checkSpec(spec, this.limits, (message) => {
      throw new TypeError(`"spec": ${message}`);
    });
    return this.addChecked(clean);
  }

  /**
   * Adds a fault from untrusted input (an admin request body); returns its id.
   * @throws SandboxError `INVALID_REQUEST` when the input is malformed, over the limits, or the injector is full.
   */
  addFromInput(input: unknown): string {
    return this.addChecked(parseFaultSpec(input, this.limits));
  }

  private addChecked(spec: FaultSpec): string {
    if (this.faults.length >= (this.limits.maxFaults ?? FAULT_DEFAULTS.maxFaults)) {
      throw new SandboxError('INVALID_REQUEST', `too many faults (${this.faults.length}); clear some first`);
    }
    const id = `fault-${this.nextId++}`;
    this.faults.push({ ...spec, id, times: spec.times ?? 1, hits: 0 });
    return id;
  }

  /** Removes a fault; returns whether it existed. */
  remove(id: string): boolean {
    const at = this.faults.findIndex((f) => f.id === id);
    if (at === -1) return false;
    this.faults.splice(at, 1);
    return true;
  }

  /** Removes every fault, or every fault of one mount (faults without a mount are kept then). */
  clear(mount?: string): void {
    for (let i = this.faults.length - 1; i >= 0; i--) {
      if (mount === undefined || this.faults[i]!.mount === mount) this.faults.splice(i, 1);
    }
  }

  /** Copies of the active faults. */
  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Finds the fault that hits a request and uses it up by one; undefined when none does. */
  take(target: FaultTarget): Fault | undefined {
    const at = this.faults.findIndex((f) => matches(f, target));
    if (at === -1) return undefined;
    const fault = this.faults[at]!;
    fault.hits++;
    if (fault.times !== 'always' && fault.hits >= fault.times) this.faults.splice(at, 1);
    return { ...fault };
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (fault.mount !== undefined && fault.mount !== target.mount) return false;
  if (fault.path !== undefined) {
    const hit = fault.path.endsWith('*') ? target.path.startsWith(fault.path.slice(0, -1)) : target.path === fault.path;
    if (!hit) return false;
  }
  if (fault.did !== undefined && !target.texts.some((text) => mentionsDid(text, fault.did!))) return false;
  return true;
}

/** The JSON padding document an `oversized` fault streams: `{"padding":"xxx…"}`, exactly `bytes` long when possible. */
export function oversizedChunks(bytes: number, chunkSize = 64 * 1024): Generator<Buffer> {
  const head = '{"padding":"';
  const tail = '"}';
  return (function* () {
    if (bytes < head.length + tail.length) {
      yield Buffer.alloc(bytes, 0x78);
      return;
    }
    yield Buffer.from(head);
    let left = bytes - head.length - tail.length;
    const block = Buffer.alloc(Math.min(chunkSize, left), 0x78);
    while (left > 0) {
      const n = Math.min(left, block.length);
      yield n === block.length ? block : block.subarray(0, n);
      left -= n;
    }
    yield Buffer.from(tail);
  })();
}

/** The JSON form of a fault (for the admin surface). */
export function faultToJson(fault: Fault): JsonValue {
  return JSON.parse(JSON.stringify(fault)) as JsonValue;
}
