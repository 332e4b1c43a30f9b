/**
 * The WeIdentity REST service (`weid-http-service`, WeBankBlockchain/WeIdentity-Rest-Service) as a resolution
 * upstream: the `invoke` request, the `HttpResponseData` envelope and its error codes.
 *
 * - Request: `POST {baseUrl}/weid/api/invoke` with
 *   `{"functionArg": {"weId": "<did>"}, "transactionArg": {}, "functionName": "getWeIdDocument" | "getWeIdDocumentJson", "v": "1.0.0"}`
 *   (samples/weid/06-rest-getWeIdDocument-request.json).
 * - Envelope: `{respBody, loopback, errorCode, errorMessage}` (`HttpResponseData.java`); the published docs also
 *   show `ErrorCode` / `ErrorMessage` (samples/weid/04-…), so member names are matched case-insensitively.
 * - `respBody`: v1 services answer the document itself; v3 services answer `{resolutionMetadata, weIdDocument,
 *   weIdDocumentMetadata}` (`getWeIdDocument`) or `{resolutionMetadata: {contentType: "JSON-LD"}, weIdDocumentJson:
 *   "<JSON text>", weIdDocumentMetadata}` (`getWeIdDocumentJson`), with `weIdDocumentMetadata = {created, updated
 *   (epoch s), deactivated, versionId}` (`InvokerWeIdServiceImpl.java`, `ResolveData.java`, `WeIdDocumentMetadata.java`).
 *   Either shape is accepted whichever function was asked for.
 *
 * Error codes (`errorCode` ≠ 0; `respBody` is then null):
 *
 * | code | name (source) | DID Resolution error |
 * |---|---|---|
 * | 100104 | `WEID_DOES_NOT_EXIST`, "the weid does not exist on blockchain." | NOT_FOUND |
 * | 100101 | `WEID_INVALID`, "the weIdentity DID is invalid." | INVALID_DID |
 * | anything else (1000-1006 `HttpReturnCode`, 160xxx SDK/chain failures, …) | | INTERNAL_ERROR, naming the code |
 *
 * Sources for the codes: `WeBankBlockchain/WeIdentity@2c881ff:src/main/java/com/webank/weid/constant/ErrorCode.java`
 * and `WeBankBlockchain/WeIdentity-Blockchain@8faa490:src/main/java/com/webank/weid/blockchain/constant/ErrorCode.java`
 * (the v3 SDK's codes) both define `WEID_INVALID(100101)` and `WEID_DOES_NOT_EXIST(100104)`. The code sometimes cited
 * for "does not exist", 100101, is `WEID_INVALID` there. `HttpReturnCode.java` of the REST service defines 1000-1006.
 */
import type { HttpResponse } from '../../src/adapter.js';
import { DidBridgeError, InvalidDidError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { parseJsonSafe } from '../../src/util/json.js';
import { shortDetail as short } from '../../src/util/text.js';
import { isJsonObject } from './preserved.js';

/** The path of the invoke endpoint below the service's base URL. */
export const WEID_INVOKE_PATH = '/weid/api/invoke';

/** The functions that return a WeIdentity document. */
export const WEID_DOCUMENT_FUNCTIONS = ['getWeIdDocument', 'getWeIdDocumentJson'] as const;
export type WeidDocumentFunction = (typeof WEID_DOCUMENT_FUNCTIONS)[number];

/** The `v` member every invoke request carries. */
export const WEID_INVOKE_VERSION = '1.0.0';

/** WeIdentity SDK and REST-service codes this module gives a meaning to (see the module comment for sources). */
export const WEID_ERROR_CODES = Object.freeze({
  SUCCESS: 0,
  BASE_ERROR: 1000,
  UNKNOWN_ERROR: 1001,
  INPUT_NULL: 1002,
  INPUT_ILLEGAL: 1003,
  UNKNOWN_FUNCTION_NAME: 1004,
  WEID_SDK_ERROR: 1006,
  WEID_INVALID: 100101,
  WEID_DOES_NOT_EXIST: 100104,
});

/** The request body of `POST /weid/api/invoke` for one of the document functions. */
export function invokeRequestBody(weId: string, functionName: WeidDocumentFunction): JsonObject {
  return { functionArg: { weId }, transactionArg: {}, functionName, v: WEID_INVOKE_VERSION };
}

/**
 * Reads a member whatever its case (`errorCode`, `ErrorCode`, `ERRORCODE`). An exact-case match wins; otherwise the
 * first member in document order whose lower-cased name matches.
 */
export function memberIgnoringCase(object: JsonObject, name: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === wanted) return object[key];
  return undefined;
}

/** What a successful document call returned. */
export interface WeidDocumentResponse {
  /** The native document (parsed, also when the service sent it as JSON text). */
  document: JsonObject;
  /** v3 `weIdDocumentMetadata`, when the service sent one. */
  metadata: JsonObject | undefined;
  /** The whole envelope as received. */
  envelope: JsonObject;
}

/** Options of {@link readDocumentResponse}. */
export interface ReadDocumentResponseOptions {
  /** Names the upstream in error details, e.g. `the WeIdentity REST service at 10.0.0.5:6001 (chain 101)`. */
  upstream: string;
  /** The DID asked for (for messages). */
  did: string;
  /** JSON nesting limit for the envelope and an embedded `weIdDocumentJson`. Default 64. */
  maxJsonDepth?: number;
}

function codeOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?[0-9]{1,12}$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Maps a non-zero WeIdentity `errorCode` to a typed error.
 * @see WEID_ERROR_CODES
 */
export function weidErrorFor(code: number, message: string, options: { upstream: string; did: string }): DidBridgeError {
  const said = `${options.upstream} answered errorCode ${code} (${short(message)})`;
  if (code === WEID_ERROR_CODES.WEID_DOES_NOT_EXIST) return new NotFoundError(`${options.did} does not exist: ${said}`);
  if (code === WEID_ERROR_CODES.WEID_INVALID) return new InvalidDidError(`${options.did} is not valid for this WeIdentity deployment: ${said}`);
  return new UpstreamError(`resolving ${options.did} failed: ${said}`, { extensions: { upstreamErrorCode: code } });
}

/**
 * Reads the answer to a document call: checks the HTTP status and the envelope, maps error codes, and unwraps the
 * v1 or v3 `respBody`.
 *
 * @throws UpstreamError (INTERNAL_ERROR) for a non-2xx status, a body that is not a JSON envelope, a missing
 *   `errorCode`, a success without a usable document; NotFoundError / InvalidDidError for the mapped error codes
 */
export function readDocumentResponse(res: HttpResponse, options: ReadDocumentResponseOptions): WeidDocumentResponse {
  return readEnvelope(readJsonResponse(res, options), options);
}

/**
 * Reads the JSON body of a 2xx answer (the WeIdentity REST service and the TDID API envelope alike).
 * @param options `upstream` names the service in error details; `maxJsonDepth` bounds the parse (default 64)
 * @throws UpstreamError (INTERNAL_ERROR) for a non-2xx status (with the start of the body) or a body that is not JSON
 */
export function readJsonResponse(res: HttpResponse, options: { upstream: string; maxJsonDepth?: number }): unknown {
  const { upstream } = options;
  if (res.status < 200 || res.status > 299) {
    let hint = '';
    try {
      const body = res.text().trim();
      if (body !== '') hint = `: ${short(body)}`;
    } catch {
      /* no readable body */
    }
    throw new UpstreamError(`${upstream} answered HTTP ${res.status}${hint}`, { extensions: { upstreamStatus: res.status } });
  }
  try {
    return parseJsonSafe(res.text(), { maxDepth: options.maxJsonDepth ?? 64 });
  } catch (cause) {
    throw new UpstreamError(`${upstream} answered something that is not JSON (${(cause as Error).message})`, { cause });
  }
}

/**
 * Reads a parsed `HttpResponseData` envelope: maps error codes and unwraps the v1 or v3 `respBody`.
 * @throws as {@link readDocumentResponse}
 */
export function readEnvelope(parsed: unknown, options: ReadDocumentResponseOptions): WeidDocumentResponse {
  const { upstream, did } = options;
  if (!isJsonObject(parsed)) {
    throw new UpstreamError(`${upstream} answered ${Array.isArray(parsed) ? 'an array' : short(parsed)}, not the {respBody, errorCode, errorMessage} envelope`);
  }
  const envelope = parsed;
  const rawCode = memberIgnoringCase(envelope, 'errorCode');
  const code = codeOf(rawCode);
  if (code === undefined) {
    throw new UpstreamError(`${upstream} answered an envelope without a numeric errorCode (got ${short(rawCode)})`);
  }
  const message = memberIgnoringCase(envelope, 'errorMessage');
  if (code !== WEID_ERROR_CODES.SUCCESS) throw weidErrorFor(code, typeof message === 'string' ? message : '', { upstream, did });
  const { document, metadata } = unwrapRespBody(memberIgnoringCase(envelope, 'respBody'), options);
  return { document, metadata, envelope };
}

/** Whether a respBody is the v3 wrapper `{resolutionMetadata, weIdDocument | weIdDocumentJson, weIdDocumentMetadata}`. */
export function isV3RespBody(body: unknown): body is JsonObject {
  return isJsonObject(body) && (memberIgnoringCase(body, 'weIdDocument') !== undefined || memberIgnoringCase(body, 'weIdDocumentJson') !== undefined);
}

/**
 * Unwraps a successful `respBody`: the v1 document itself (or its JSON text), or the v3 wrapper.
 * @throws UpstreamError when it holds no usable document; NotFoundError for a v3 `resolutionMetadata.error` "notFound"
 */
export function unwrapRespBody(respBody: JsonValue | undefined, options: ReadDocumentResponseOptions): { document: JsonObject; metadata: JsonObject | undefined } {
  const { upstream, did } = options;
  const limits = { maxDepth: options.maxJsonDepth ?? 64 };
  let body = respBody;
  if (typeof body === 'string') {
    try {
      body = parseJsonSafe(body, limits) as JsonValue;
    } catch (cause) {
      throw new UpstreamError(`${upstream} answered success with a respBody that is neither a document nor JSON text (${short(body)})`, { cause });
    }
  }
  if (!isJsonObject(body)) {
    throw new UpstreamError(`${upstream} answered success (errorCode 0) without a document (respBody is ${short(body)})`);
  }
  if (!isV3RespBody(body)) return { document: body, metadata: undefined };

  const wrapped = memberIgnoringCase(body, 'weIdDocument');
  const wrappedJson = memberIgnoringCase(body, 'weIdDocumentJson');
  const resolutionMetadata = memberIgnoringCase(body, 'resolutionMetadata');
  if (isJsonObject(resolutionMetadata)) {
    const error = memberIgnoringCase(resolutionMetadata, 'error');
    if (error !== undefined && error !== null && error !== '') {
      if (typeof error === 'string' && /^not[ _-]?found$/i.test(error)) {
        throw new NotFoundError(`${did} does not exist: ${upstream} reported resolutionMetadata.error ${short(error)}`);
      }
      throw new UpstreamError(`${upstream} reported resolutionMetadata.error ${short(error)}`);
    }
  }
  let document: unknown = wrapped ?? null;
  if (wrapped === undefined || wrapped === null) {
    if (typeof wrappedJson !== 'string') {
      throw new UpstreamError(`${upstream} answered weIdDocumentJson as ${short(wrappedJson)}, not JSON text`);
    }
    try {
      document = parseJsonSafe(wrappedJson, limits);
    } catch (cause) {
      throw new UpstreamError(`${upstream} answered a weIdDocumentJson that is not JSON (${(cause as Error).message})`, { cause });
    }
  }
  if (!isJsonObject(document)) {
    throw new UpstreamError(`${upstream} answered success without a document (weIdDocument is ${short(document)})`);
  }
  const metadata = memberIgnoringCase(body, 'weIdDocumentMetadata');
  if (metadata !== undefined && metadata !== null && !isJsonObject(metadata)) {
    throw new UpstreamError(`${upstream} answered weIdDocumentMetadata as ${short(metadata)}, not a map`);
  }
  return { document, metadata: metadata ?? undefined };
}
