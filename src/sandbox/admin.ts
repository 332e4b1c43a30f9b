/**
 * The admin surface under `/_admin`, for tests and the CLI. It is a plain request → response function (the server
 * only routes to it), so it is testable without HTTP.
 *
 * | route | does |
 * |---|---|
 * | `GET /_admin/emulators` | the mounted emulators, their base URLs, key types and operations |
 * | `GET /_admin/dids[?method=&limit=&offset=]` | summaries of the stored DIDs (latest versions) |
 * | `GET /_admin/dids/<did>` | one DID's latest record and full history |
 * | `POST /_admin/<mount>/create` `{keyType, ...}` | creates a DID; answers 201 with the key file JSON (private key included) |
 * | `POST /_admin/<mount>/update` `{did, document?, ...}` | writes a new version |
 * | `POST /_admin/<mount>/deactivate` `{did, ...}` | deactivates |
 * | `GET /_admin/faults` | the active faults |
 * | `POST /_admin/faults` `{kind, mount?, ...}` | adds a fault (global unless `mount`); answers 201 `{id}` |
 * | `POST /_admin/<mount>/faults` `{kind, ...}` | adds a fault to one emulator |
 * | `DELETE /_admin/faults[/<id>]` | removes every fault, or one |
 * | `DELETE /_admin/<mount>/faults` | removes the faults of one emulator |
 *
 * Errors are RFC 9457 objects (`application/problem+json`) with the sandbox `reason`; the status comes from
 * `sandboxErrorStatus`.
 */
import { DidBridgeError, problem } from '../errors.js';
import type { JsonObject, JsonValue } from '../spec.js';
import { SandboxError, sandboxErrorStatus } from './errors.js';
import { jsonReply, type EmulatorContext, type SandboxRequest, type SandboxResponse, type UpstreamEmulator } from './emulator.js';
import { faultToJson, type FaultInjector } from './faults.js';
import { createDid, deactivateDid, updateDid } from './operations.js';
import type { DidRecord, DidVersion, SandboxStore } from './store.js';

/** What the admin surface works on. */
export interface AdminDeps {
  /** Emulators by mount. */
  emulators: ReadonlyMap<string, UpstreamEmulator>;
  store: SandboxStore;
  faults: FaultInjector;
  /** The context handed to the emulator mounted at `mount`. */
  contextFor(mount: string): EmulatorContext;
  /** The base URL of the emulator mounted at `mount`. */
  baseUrlFor(mount: string): string;
}

/** Largest `limit` of `GET /_admin/dids`. */
export const MAX_ADMIN_LIST = 1000;

/** Turns anything thrown into the response the sandbox sends for it (never a stack trace). */
export function errorReply(err: unknown): SandboxResponse {
  let status = 500;
  let body: JsonObject;
  if (err instanceof SandboxError) {
    status = sandboxErrorStatus(err.reason);
    body = err.toProblem() as JsonObject;
  } else if (err instanceof DidBridgeError) {
    status = err.code === 'NOT_FOUND' ? 404 : err.code === 'INTERNAL_ERROR' ? 500 : 400;
    body = err.toProblem() as JsonObject;
  } else {
    body = problem('INTERNAL_ERROR', err instanceof Error ? err.message : String(err), { reason: 'EMULATOR_FAILED' }) as JsonObject;
  }
  return jsonReply(body, { status, headers: { 'content-type': 'application/problem+json' } });
}

function summary(record: DidRecord): JsonObject {
  return {
    method: record.method,
    did: record.did,
    created: record.created,
    updated: record.updated,
    versionId: record.versionId,
    deactivated: record.deactivated,
    ...(record.source === undefined ? {} : { source: record.source }),
  };
}

function withoutText(entry: DidRecord | DidVersion): JsonObject {
  const { documentJson: _text, ...rest } = entry;
  return rest as unknown as JsonObject;
}

function jsonBody(req: SandboxRequest): JsonValue {
  if (req.body === undefined) {
    throw new SandboxError('INVALID_REQUEST', req.text.trim() === '' ? 'a JSON body is required' : 'the body is not JSON');
  }
  return req.body;
}

function intQuery(req: SandboxRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new SandboxError('INVALID_REQUEST', `"${name}" must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * Answers one admin request. `req.path` and `req.segments` are relative to `/_admin`.
 * Never throws: failures become problem responses.
 */
export async function handleAdmin(req: SandboxRequest, deps: AdminDeps): Promise<SandboxResponse> {
  try {
    return await route(req, deps);
  } catch (err) {
    return errorReply(err);
  }
}

async function route(req: SandboxRequest, deps: AdminDeps): Promise<SandboxResponse> {
  const [first, second, third, ...more] = req.segments;
  const verb = req.method;
  const noRoute = () => new SandboxError('NO_ROUTE', `no admin route ${verb} /_admin${req.path}`);
  if (first === undefined) throw noRoute();

  if (first === 'emulators' && second === undefined && verb === 'GET') {
    return jsonReply({
      emulators: [...deps.emulators].map(([mount, emulator]) => ({
        mount,
        method: emulator.method,
        ...(emulator.description === undefined ? {} : { description: emulator.description }),
        baseUrl: deps.baseUrlFor(mount),
        keyTypes: [...emulator.keyTypes],
        createParams: { ...(emulator.createParams ?? {}) },
        update: emulator.update !== undefined,
        deactivate: emulator.deactivate !== undefined,
      })),
    });
  }

  if (first === 'dids' && verb === 'GET') {
    if (second === undefined) {
      const method = req.query.method;
      const limit = intQuery(req, 'limit', 100, 1, MAX_ADMIN_LIST);
      const offset = intQuery(req, 'offset', 0, 0, 1_000_000_000);
      const records = deps.store.list({ ...(method === undefined ? {} : { method }), limit, offset });
      return jsonReply({ count: deps.store.count(method), dids: records.map(summary) });
    }
    if (third !== undefined) throw noRoute();
    const record = deps.store.get(second);
    if (!record) throw new SandboxError('DID_NOT_FOUND', `${second} is not in this sandbox`);
    return jsonReply({ record: withoutText(record), history: deps.store.history(second).map(withoutText) });
  }

  if (first === 'faults') {
    if (second === undefined && verb === 'GET') return jsonReply({ faults: deps.faults.list().map(faultToJson) });
    if (second === undefined && verb === 'POST') {
      const spec = jsonBody(req);
      const mount = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? spec.mount : undefined;
      if (typeof mount === 'string' && !deps.emulators.has(mount)) {
        throw new SandboxError('UNKNOWN_EMULATOR', `no emulator is mounted at /${mount}`);
      }
      return jsonReply({ id: deps.faults.addFromInput(spec) }, { status: 201 });
    }
    if (second === undefined && verb === 'DELETE') {
      deps.faults.clear();
      return { status: 204 };
    }
    if (second !== undefined && third === undefined && verb === 'DELETE') {
      if (!deps.faults.remove(second)) throw new SandboxError('NO_ROUTE', `no fault ${second}`);
      return { status: 204 };
    }
    throw noRoute();
  }

  // Per-emulator routes: /_admin/<mount>/<operation>
  if (second === undefined || third !== undefined || more.length > 0) throw noRoute();
  const emulator = deps.emulators.get(first);
  if (!emulator) throw new SandboxError('UNKNOWN_EMULATOR', `no emulator is mounted at /${first}`);
  const ctx = deps.contextFor(first);
  if (second === 'faults' && verb === 'POST') {
    const spec = jsonBody(req);
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new SandboxError('INVALID_REQUEST', 'a fault must be an object');
    if (spec.mount !== undefined && spec.mount !== first) {
      throw new SandboxError('INVALID_REQUEST', `"mount" ${JSON.stringify(spec.mount)} contradicts the route's /${first}`);
    }
    return jsonReply({ id: deps.faults.addFromInput({ ...spec, mount: first }) }, { status: 201 });
  }
  if (second === 'faults' && verb === 'DELETE') {
    deps.faults.clear(first);
    return { status: 204 };
  }
  if (verb !== 'POST') throw noRoute();
  switch (second) {
    case 'create': {
      const key = await createDid({ emulator, ctx, params: jsonBody(req) });
      return jsonReply({ ...key, mount: first }, { status: 201 });
    }
    case 'update':
      return jsonReply({ record: withoutText(await updateDid({ emulator, ctx, params: jsonBody(req) })) });
    case 'deactivate':
      return jsonReply({ record: withoutText(await deactivateDid({ emulator, ctx, params: jsonBody(req) })) });
    default:
      throw noRoute();
  }
}
