/**
 * Request bodies, read with a size limit. A declared `Content-Length` over the limit is refused before reading; a
 * body that grows past it while streaming is cut off. Either way the caller answers 413 and the connection is closed
 * afterwards, so the unread rest of the body is never drained.
 */
import type { IncomingMessage } from 'node:http';
import { DidBridgeError } from '../errors.js';

/** The request body is larger than the limit (HTTP 413). Its code is INVALID_OPTIONS: the body holds options. */
export class BodyTooLargeError extends DidBridgeError {
  readonly limit: number;
  constructor(limit: number, declared?: number) {
    super(
      'INVALID_OPTIONS',
      declared === undefined
        ? `the request body exceeds the limit of ${limit} bytes`
        : `the request body is ${declared} bytes; the limit is ${limit} bytes`,
    );
    this.name = 'BodyTooLargeError';
    this.limit = limit;
  }
}

/** Reads a whole body as UTF-8 text, up to `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(new BodyTooLargeError(maxBytes, declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (err: Error | undefined) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) {
        // Stop reading; the response goes out with `Connection: close` and the socket is not reused.
        req.pause();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, total).toString('utf8'));
      }
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) finish(new BodyTooLargeError(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (err: Error) => finish(new DidBridgeError('INVALID_OPTIONS', `reading the request body failed: ${err.message}`));
    const onAborted = () => finish(new DidBridgeError('INVALID_OPTIONS', 'the client aborted the request body'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
