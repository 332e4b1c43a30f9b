/**
 * The did:tdid upstream: the request/response envelope of Tencent Cloud API 3.0 `GetTDidDocument` (product TDID,
 * version 2021-05-19), **without** Tencent Cloud's AK/SK request signing.
 *
 * Why this shape: did:tdid is resolved only through the Tencent Cloud API (domestic-methods.md §6), whose requests
 * must be signed with TC3-HMAC-SHA256 using the caller's SecretId/SecretKey. didbridge neither holds those
 * credentials nor computes the signature, so the real endpoint cannot be called directly and is not emulated. What is
 * implemented is the API's public wire shape, so that a deployment can put a signing proxy (or any service speaking
 * the same envelope) at `baseUrl`:
 *
 * - request: `POST {baseUrl}/` with headers `X-TC-Action: GetTDidDocument`, `X-TC-Version: 2021-05-19`
 *   (and `X-TC-Region` when configured), body `{"Did": "<did>", "DAPId": <app id>}` (DAPId optional);
 * - success: `{"Response": {"Document": "<the DID document as JSON text>", "RequestId": "…"}}`;
 * - failure: HTTP 200 with `{"Response": {"Error": {"Code": "…", "Message": "…"}, "RequestId": "…"}}`, the common error
 *   envelope of Tencent Cloud API 3.0.
 *
 * Source of the shape: the public API page "获取DID标识的文档" (GetTDidDocument),
 * https://cloud.tencent.com/document/product/1439/102967, and the `GetTDidDocumentResponse` model of
 * tencentcloud-sdk-nodejs 4.1.38 (`services/tdid/v20210519/tdid_models.d.ts`).
 *
 * Error codes: which code TDID answers for an unknown DID is not published. `ResourceNotFound` (and its
 * `ResourceNotFound.*` sub-codes) is the Tencent Cloud common code for a missing resource and is mapped to NOT_FOUND;
 * this is an assumption. `AuthFailure.*` (the signature was missing or wrong) and everything else map to
 * INTERNAL_ERROR naming the code.
 */
import type { HttpResponse } from '../../src/adapter.js';
import { DidBridgeError, NotFoundError, UpstreamError } from '../../src/errors.js';
import type { JsonObject } from '../../src/spec.js';
import { parseJsonSafe } from '../../src/util/json.js';
import { shortDetail as short } from '../../src/util/text.js';
import { isJsonObject } from '../weid/preserved.js';
import { readJsonResponse } from '../weid/rest.js';

/** The API action that returns a DID document. */
export const TDID_ACTION = 'GetTDidDocument';
/** The API version of the TDID product. */
export const TDID_API_VERSION = '2021-05-19';

/** The request body of `GetTDidDocument`. */
export function getDocumentRequestBody(did: string, dapId?: number): JsonObject {
  return dapId === undefined ? { Did: did } : { Did: did, DAPId: dapId };
}

/** What a successful call returned. */
export interface TdidDocumentResponse {
  document: JsonObject;
  requestId: string | undefined;
}

/** Maps a Tencent Cloud API error code to a typed error (see the module comment). */
export function tdidErrorFor(code: string, message: string, options: { upstream: string; did: string }): DidBridgeError {
  const said = `${options.upstream} answered error ${code} (${short(message)})`;
  if (code === 'ResourceNotFound' || code.startsWith('ResourceNotFound.')) return new NotFoundError(`${options.did} does not exist: ${said}`);
  if (code.startsWith('AuthFailure')) {
    return new UpstreamError(`${said}; requests to the Tencent Cloud API must be signed (TC3-HMAC-SHA256), which didbridge does not do: put a signing proxy at "baseUrl"`, { extensions: { upstreamErrorCode: code } });
  }
  return new UpstreamError(`resolving ${options.did} failed: ${said}`, { extensions: { upstreamErrorCode: code } });
}

/**
 * Reads a `GetTDidDocument` answer.
 * @throws UpstreamError for a non-2xx status, a body that is not the `{Response: …}` envelope, a `Document` that is not
 *   a JSON object's text; NotFoundError for `ResourceNotFound`
 */
export function readGetDocumentResponse(res: HttpResponse, options: { upstream: string; did: string; maxJsonDepth?: number }): TdidDocumentResponse {
  const { upstream } = options;
  const limits = { maxDepth: options.maxJsonDepth ?? 64 };
  const parsed = readJsonResponse(res, options);
  const response = isJsonObject(parsed) ? parsed.Response : undefined;
  if (!isJsonObject(response)) {
    throw new UpstreamError(`${upstream} answered ${short(parsed)}, not the Tencent Cloud API {"Response": {…}} envelope`);
  }
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  if (response.Error !== undefined) {
    const error = response.Error;
    if (!isJsonObject(error) || typeof error.Code !== 'string') {
      throw new UpstreamError(`${upstream} answered an Error without a Code (${short(error)})`);
    }
    throw tdidErrorFor(error.Code, typeof error.Message === 'string' ? error.Message : '', options);
  }
  if (typeof response.Document !== 'string') {
    throw new UpstreamError(`${upstream} answered success without a Document string (got ${short(response.Document)})`);
  }
  let document: unknown;
  try {
    document = parseJsonSafe(response.Document, limits);
  } catch (cause) {
    throw new UpstreamError(`${upstream} answered a Document that is not JSON (${(cause as Error).message})`, { cause });
  }
  if (!isJsonObject(document)) throw new UpstreamError(`${upstream} answered a Document that is ${short(document)}, not a JSON object`);
  return { document, requestId };
}
