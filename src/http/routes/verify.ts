/**
 * `POST /1.0/verify`: credential and presentation verification over HTTP, answering the same report `verify()`
 * returns (and `didbridge verify` prints).
 *
 * Request: `Content-Type: application/json`, a JSON object with exactly one of
 * - `credential`: a credential (a compact JWT string, or a JSON object: Data Integrity, WeIdentity, enveloped JWT);
 * - `presentation`: a presentation (same forms);
 * - `jwt`: a compact JWT, credential or presentation;
 * - `verifiableCredential` / `verifiablePresentation`: the VC-API names for the first two;
 * and optionally `options`: `{ now, skewSeconds, audience, challenge, domain, subjectBinding, unknownStatus,
 * crossCheck, sm2UserId }` (the names of `VerifyOptions`).
 *
 * Answers: 200 with the report for every verification that ran, verified or not (`verified` says which); 400 for a
 * body that is not such an object or has unknown members or options (a typo must not silently change the policy);
 * 413 over the driver's body limit (`limits.maxBodyBytes`); 415 for another content type. Request bodies are never
 * logged: the access-log line gets the format, the verdict and the first error code only. Private key members that a
 * caller may have put into a credential (JWK `d`, `privateKey…`) are removed from the report's echo of it.
 *
 * Registration (the driver's route table is the extension point): `driver.routes.add(verifyRoute())`.
 *
 * @see ../../credentials/README.md
 * @see https://w3c-ccg.github.io/vc-api/#verify-credential (the VC-API request shape the aliases follow)
 */
import { toDidBridgeError } from '../../errors.js';
import type { FormatVerifier, StatusChecker, VerifyOptions } from '../../credentials/format.js';
import type { VerificationReport } from '../../credentials/report.js';
import { verify } from '../../credentials/verify.js';
import { PRIVATE_JWK_MEMBERS } from '../../keys/jwk.js';
import { parseJsonSafe } from '../../util/json.js';
import { BodyTooLargeError } from '../body.js';
import type { RequestContext, Route } from '../routes.js';

/** The path of the route. */
export const VERIFY_PATH = '/1.0/verify';

/** Body members naming the input, and what each makes the verifier expect. */
const INPUT_MEMBERS: Readonly<Record<string, 'credential' | 'presentation' | 'any'>> = {
  credential: 'credential',
  verifiableCredential: 'credential',
  presentation: 'presentation',
  verifiablePresentation: 'presentation',
  jwt: 'any',
};

/** The options a request may set (the others stay with the deployment). */
const REQUEST_OPTIONS = ['now', 'skewSeconds', 'audience', 'challenge', 'domain', 'subjectBinding', 'unknownStatus', 'crossCheck', 'sm2UserId'] as const;

/** Options of {@link verifyRoute}. */
export interface VerifyRouteOptions {
  /** Format verifiers (default: `verify()`'s defaults). */
  formats?: readonly FormatVerifier[];
  /** Status checkers (default: `verify()`'s defaults). */
  statusCheckers?: readonly StatusChecker[];
  /** Deadline of one verification, ms (default 30 000). */
  timeoutMs?: number;
  /** Most credentials verified inside one presentation (default 50). */
  maxCredentials?: number;
}

/** A request problem: answered with its status, never thrown past the handler. */
class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sendProblem(ctx: RequestContext, status: number, title: string, detail: string): void {
  ctx.sendJson(status, { type: 'about:blank', title, status, detail }, 'application/problem+json');
}

/** Reads and checks the body: one input member, and only known options. */
function readRequest(text: string): { input: unknown; expect: 'credential' | 'presentation' | 'any'; options: Partial<VerifyOptions> } {
  let body: unknown;
  try {
    body = parseJsonSafe(text, {}, 'INVALID_OPTIONS');
  } catch (err) {
    throw new RequestProblem(400, 'Bad Request', `the body is not JSON: ${toDidBridgeError(err).message}`);
  }
  if (!isObject(body)) throw new RequestProblem(400, 'Bad Request', 'the body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => k !== 'options' && !Object.prototype.hasOwnProperty.call(INPUT_MEMBERS, k));
  if (unknown.length > 0) {
    throw new RequestProblem(400, 'Bad Request', `unknown member(s) ${unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; expected one of ${Object.keys(INPUT_MEMBERS).join(', ')}, and options`);
  }
  const given = Object.keys(body).filter((k) => k !== 'options');
  if (given.length !== 1) {
    throw new RequestProblem(400, 'Bad Request', `give exactly one of ${Object.keys(INPUT_MEMBERS).join(', ')}${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`);
  }
  const member = given[0]!;
  const input = body[member];
  if (member === 'jwt' ? typeof input !== 'string' : typeof input !== 'string' && !isObject(input)) {
    throw new RequestProblem(400, 'Bad Request', member === 'jwt' ? '"jwt" must be a compact JWT string' : `"${member}" must be a JSON object or a compact JWT string`);
  }
  const rawOptions = body.options ?? {};
  if (!isObject(rawOptions)) throw new RequestProblem(400, 'Bad Request', '"options" must be a JSON object');
  const unknownOptions = Object.keys(rawOptions).filter((k) => !(REQUEST_OPTIONS as readonly string[]).includes(k));
  if (unknownOptions.length > 0) {
    throw new RequestProblem(400, 'Bad Request', `unknown option(s) ${unknownOptions.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}; known: ${REQUEST_OPTIONS.join(', ')}`);
  }
  return { input, expect: INPUT_MEMBERS[member]!, options: rawOptions as Partial<VerifyOptions> };
}

const PRIVATE_MEMBER_NAMES = /^(privateKey|secretKey|seed)/i;

/**
 * Removes private key material from a value echoed back (JWK private members of objects with `kty`, members named
 * `privateKey…` / `secretKey…` / `seed…`). Returns how many members were removed. Bounded by depth.
 */
function redactPrivateKeys(value: unknown, depth = 0): number {
  if (depth > 64 || value === null || typeof value !== 'object') return 0;
  let removed = 0;
  if (Array.isArray(value)) {
    for (const item of value) removed += redactPrivateKeys(item, depth + 1);
    return removed;
  }
  const record = value as Record<string, unknown>;
  const isJwk = typeof record.kty === 'string';
  for (const key of Object.keys(record)) {
    if ((isJwk && PRIVATE_JWK_MEMBERS.includes(key)) || PRIVATE_MEMBER_NAMES.test(key)) {
      delete record[key];
      removed++;
    } else {
      removed += redactPrivateKeys(record[key], depth + 1);
    }
  }
  return removed;
}

function redactReport(report: VerificationReport): void {
  const removed = redactPrivateKeys(report.credential) + (report.presentation?.credentials ?? []).reduce((n, r) => n + redactPrivateKeys(r.credential), 0);
  if (removed > 0) {
    (report.warnings ??= []).push(`${removed} private key member(s) found in the input were removed from this answer; private keys do not belong in credentials`);
  }
}

/**
 * The route, for `driver.routes.add(verifyRoute())`.
 *
 * @example
 * const driver = createDriver({ resolver, config })
 * driver.routes.add(verifyRoute())
 */
export function verifyRoute(options: VerifyRouteOptions = {}): Route {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { formats, statusCheckers, timeoutMs, maxCredentials } = options;
  return {
    methods: ['POST'],
    path: VERIFY_PATH,
    description: 'verify a credential or presentation (JWT, Data Integrity, WeIdentity); answers the report',
    async handler(ctx) {
      const contentType = String(ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (contentType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(contentType)) {
        sendProblem(ctx, 415, 'Unsupported Media Type', 'send the request as application/json');
        return;
      }
      let text: string;
      try {
        text = await ctx.readBody();
      } catch (err) {
        if (err instanceof BodyTooLargeError) sendProblem(ctx, 413, 'Content Too Large', err.message);
        else sendProblem(ctx, 400, 'Bad Request', toDidBridgeError(err).message);
        return;
      }
      let request;
      try {
        request = readRequest(text);
      } catch (err) {
        if (!(err instanceof RequestProblem)) throw err;
        ctx.logFields.error = 'BAD_REQUEST';
        sendProblem(ctx, err.status, err.title, err.message);
        return;
      }
      // The verification stops when the client goes away; nobody would read the answer.
      const abort = new AbortController();
      const onClose = () => {
        if (!ctx.res.writableEnded) abort.abort();
      };
      ctx.res.once('close', onClose);
      let report: VerificationReport;
      try {
        report = await verify(request.input as string | object, {
          ...request.options,
          resolver: ctx.resolver,
          expect: request.expect,
          maxInputBytes: Math.max(1, ctx.config.limits.maxBodyBytes),
          signal: abort.signal,
          ...(formats ? { formats } : {}),
          ...(statusCheckers ? { statusCheckers } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          ...(maxCredentials !== undefined ? { maxCredentials } : {}),
        });
      } catch (err) {
        // verify() throws only TypeError, for option values of the wrong type or range: the caller's mistake.
        if (err instanceof TypeError) {
          ctx.logFields.error = 'BAD_REQUEST';
          sendProblem(ctx, 400, 'Bad Request', `options: ${err.message}`);
          return;
        }
        throw err;
      } finally {
        ctx.res.off('close', onClose);
      }
      redactReport(report);
      ctx.logFields.format = report.format;
      ctx.logFields.verified = report.verified;
      if (report.errors[0]) ctx.logFields.error = report.errors[0].code;
      ctx.sendJson(200, report);
    },
  };
}
