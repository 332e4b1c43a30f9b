/**
 * Input recognition: what `verify()` was given, before any format verifier looks at it. Text is trimmed and, when it
 * is JSON, parsed with the project's limits (depth, no `__proto__`); a compact JWS stays a string. Objects are taken
 * as they are. Nothing here throws for bad input: unreadable input becomes a `PARSING_ERROR` report upstream.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1 (JWS Compact Serialization)
 */
import { toDidBridgeError } from '../errors.js';
import { parseJsonSafe } from '../util/json.js';

/** Base64url segments separated by two dots (RFC 7515 §7.1); the signature segment may be empty (unsecured JWT). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The media-type prefixes of JWT-secured credentials inside `data:` URLs (VC-JOSE-COSE §3.x enveloped forms). */
export const ENVELOPED_JWT_MEDIA_TYPES = ['application/vc+jwt', 'application/vp+jwt', 'application/vc+ld+json+jwt', 'application/vp+ld+json+jwt'];

/** Whether a string is a compact JWS (three base64url segments). Cheap: one regular expression. */
export function isCompactJws(value: unknown): boolean {
  return typeof value === 'string' && value.length < 16 * 1024 * 1024 && COMPACT_JWS.test(value);
}

/** How the input arrived. */
export type PreparedInput =
  | { ok: true; value: unknown; kind: 'jwt' | 'json' | 'object' }
  | { ok: false; detail: string };

/**
 * Normalises raw input: a string is trimmed (a trailing newline from a file is not part of a JWT) and parsed as JSON
 * when it looks like JSON; an object is used as given. Size is checked on the text (or on the JSON serialisation of
 * an object) against `maxInputBytes`.
 */
export function prepareInput(input: unknown, maxInputBytes: number): PreparedInput {
  if (typeof input === 'string') {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: count bytes only when the length alone cannot decide.
    if (input.length > maxInputBytes || (input.length * 3 > maxInputBytes && Buffer.byteLength(input, 'utf8') > maxInputBytes)) {
      return { ok: false, detail: `the input is larger than the limit of ${maxInputBytes} bytes` };
    }
    const text = input.trim();
    if (text === '') return { ok: false, detail: 'the input is empty' };
    if (isCompactJws(text)) return { ok: true, value: text, kind: 'jwt' };
    if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
      try {
        const value = parseJsonSafe(text, {}, 'INVALID_OPTIONS');
        // A JSON string holding a JWT (`"eyJ…"`), as some tools write it.
        if (typeof value === 'string' && isCompactJws(value.trim())) return { ok: true, value: value.trim(), kind: 'jwt' };
        return { ok: true, value, kind: 'json' };
      } catch (err) {
        return { ok: false, detail: `the input is neither a compact JWT nor JSON: ${toDidBridgeError(err).message}` };
      }
    }
    return { ok: false, detail: 'the input is neither a compact JWT (three base64url segments) nor JSON' };
  }
  if (input !== null && typeof input === 'object') {
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
    } catch (err) {
      return { ok: false, detail: `the input object cannot be serialised as JSON: ${toDidBridgeError(err).message}` };
    }
    if (size > maxInputBytes) return { ok: false, detail: `the input is larger than the limit of ${maxInputBytes} bytes` };
    return { ok: true, value: input, kind: 'object' };
  }
  return { ok: false, detail: `the input must be a compact JWT or a JSON credential or presentation, got ${input === null ? 'null' : typeof input}` };
}

/**
 * The JWT inside a wrapper object, when there is one: `EnvelopedVerifiableCredential` / `EnvelopedVerifiablePresentation`
 * (`id: data:application/vc+jwt,<jwt>`, VC Data Model 2.0 §5.12 / VC-JOSE-COSE), the `{ proof: { type: 'JwtProof2020',
 * jwt } }` form did-jwt-vc and Veramo produce when they normalise a JWT credential, or a bare `{ jwt }`.
 */
export function wrappedJwt(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.id === 'string' && o.id.startsWith('data:')) {
    const comma = o.id.indexOf(',');
    const mediaType = o.id.slice(5, comma < 0 ? undefined : comma).split(';')[0]!.trim().toLowerCase();
    if (comma > 0 && ENVELOPED_JWT_MEDIA_TYPES.includes(mediaType)) {
      const body = o.id.slice(comma + 1).trim();
      if (isCompactJws(body)) return body;
    }
    return undefined;
  }
  const proof = o.proof;
  if (proof !== null && typeof proof === 'object' && !Array.isArray(proof)) {
    const p = proof as Record<string, unknown>;
    if (p.type === 'JwtProof2020' && isCompactJws(p.jwt)) return p.jwt as string;
    return undefined;
  }
  const keys = Object.keys(o);
  if (keys.length === 1 && isCompactJws(o.jwt)) return o.jwt as string;
  return undefined;
}
