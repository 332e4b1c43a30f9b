/**
 * Status checkers for `credentialStatus`: Bitstring Status List v1.0 (`BitstringStatusListEntry`, VC Data Model 2.0)
 * and its predecessor StatusList2021 (`StatusList2021Entry`). They plug into the verifier core's `status` check
 * (`StatusChecker`, src/credentials/format.ts).
 *
 * For each entry: fetch the status list credential named by `statusListCredential` through the verifier's HTTP
 * client as an **untrusted** URL (the same limits and SSRF guard as did:web: the URL is chosen by whoever wrote the
 * credential), verify the list credential itself with the same verifier (its proof, its issuer, its validity
 * period), check that its purpose matches the entry's, decode the bitstring and read the entry.
 *
 * | outcome | check | code |
 * |---|---|---|
 * | bit clear (revocation / suspension) | `status` pass | |
 * | bit set, purpose `revocation` | `status` fail | `REVOKED` |
 * | bit set, purpose `suspension` | `status` fail | `SUSPENDED` |
 * | `message` / `refresh` purposes | `status` pass or warn with the value (and its `statusMessage`) | |
 * | list not fetchable, not a list, wrong purpose, list credential does not verify | `status` fail | `STATUS_UNCHECKED` |
 * | index outside the list, list shorter than 131,072 entries | `status` fail | `RANGE_ERROR` |
 * | list credential carries no verifiable proof (unsigned JSON) | `status` warn (the value is still read, and a set bit still fails) | |
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#validate-algorithm
 */
import { toDidBridgeError } from '../../errors.js';
import type { StatusChecker, StatusOutcome, VerifyContext } from '../format.js';
import { isCompactJws } from '../detect.js';
import { decodeCompactJws } from '../jwt.js';
import { check, type VerificationReport } from '../report.js';
import { parseJsonSafe } from '../../util/json.js';
import { DEFAULT_MAX_STATUS_LIST_BITS, MIN_STATUS_LIST_BITS, decodeStatusList, readStatus, StatusListDecodeError, type EncodedListStyle } from './bitstring.js';

/** Options of {@link statusListCheckers}. */
export interface StatusListCheckerOptions {
  /** Largest decoded list, in entries (bits). Default 134,217,728 (16 MiB). */
  maxBits?: number;
  /** Largest status list credential fetched, in bytes. Default: the HTTP client's limit. */
  maxBytes?: number;
  /**
   * How long a fetched and verified list is reused, in seconds (default 300; 0 disables). Verifying a presentation
   * of many credentials from one issuer would otherwise fetch the same list once per credential.
   */
  cacheTtlSeconds?: number;
  /** Most lists kept (default 32). */
  cacheEntries?: number;
  /**
   * Whether the list credential must itself verify (default true). When it carries no proof at all the entry is still
   * read and the check warns; when its proof fails the check fails. Turn off only for lists served over an
   * authenticated channel you trust.
   */
  verifyListCredential?: boolean;
}

interface Flavour {
  id: string;
  entryType: string;
  listCredentialType: string;
  listType: string;
  style: EncodedListStyle;
  spec: string;
}

const BITSTRING: Flavour = {
  id: 'bitstring-status-list',
  entryType: 'BitstringStatusListEntry',
  listCredentialType: 'BitstringStatusListCredential',
  listType: 'BitstringStatusList',
  style: 'multibase',
  spec: 'Bitstring Status List v1.0',
};

const STATUS_LIST_2021: Flavour = {
  id: 'status-list-2021',
  entryType: 'StatusList2021Entry',
  listCredentialType: 'StatusList2021Credential',
  listType: 'StatusList2021',
  style: 'base64',
  spec: 'StatusList2021',
};

interface FetchedList {
  bits: Uint8Array;
  purposes: string[];
  /** The list credential's verification (undefined when not verified by option). */
  report: VerificationReport | undefined;
  /** Whether the list credential had a proof the verifier could check. */
  signed: boolean;
  /** Why it was not verified, when it was not (unsigned, or not verifiable at this nesting depth). */
  unverifiable: string | undefined;
  issuer: string | undefined;
  at: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.id === 'string') return value.id;
  return undefined;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new TypeError(`"${name}" must be a non-negative integer`);
  return value;
}

/** A failure of this entry, with the code the report uses. */
class EntryProblem extends Error {
  constructor(
    message: string,
    readonly code: 'STATUS_UNCHECKED' | 'RANGE_ERROR' | 'MALFORMED_VALUE_ERROR' | 'LIMIT_EXCEEDED',
  ) {
    super(message);
  }
}

/** The list credential in a fetched body: JSON (a VC) or a compact JWT (its payload's `vc`, or the payload itself). */
function parseListBody(body: string): { input: unknown; credential: Record<string, unknown> } {
  const text = body.trim();
  if (isCompactJws(text)) {
    const decoded = decodeCompactJws(text);
    if ('detail' in decoded) throw new EntryProblem(`the status list credential is not a readable JWT: ${decoded.detail}`, 'STATUS_UNCHECKED');
    const vcClaim = decoded.payload.vc;
    return { input: text, credential: isObject(vcClaim) ? vcClaim : decoded.payload };
  }
  let json: unknown;
  try {
    json = parseJsonSafe(text, {}, 'INTERNAL_ERROR');
  } catch (err) {
    throw new EntryProblem(`the status list credential is neither JSON nor a JWT: ${toDidBridgeError(err).message}`, 'STATUS_UNCHECKED');
  }
  if (!isObject(json)) throw new EntryProblem('the status list credential is not a JSON object', 'STATUS_UNCHECKED');
  return { input: json, credential: json };
}

function createChecker(flavour: Flavour, options: StatusListCheckerOptions): StatusChecker {
  const maxBits = positiveInteger(options.maxBits, 'maxBits', DEFAULT_MAX_STATUS_LIST_BITS);
  const ttlMs = positiveInteger(options.cacheTtlSeconds, 'cacheTtlSeconds', 300) * 1000;
  const cacheEntries = positiveInteger(options.cacheEntries, 'cacheEntries', 32);
  const maxBytes = options.maxBytes === undefined ? undefined : positiveInteger(options.maxBytes, 'maxBytes', 0);
  if (options.verifyListCredential !== undefined && typeof options.verifyListCredential !== 'boolean') {
    throw new TypeError('"verifyListCredential" must be a boolean');
  }
  const verifyList = options.verifyListCredential !== false;
  const cache = new Map<string, FetchedList>();

  async function fetchList(url: string, ctx: VerifyContext): Promise<FetchedList> {
    const now = ctx.now().getTime();
    const cached = cache.get(url);
    if (cached && ttlMs > 0 && now - cached.at < ttlMs) return cached;
    let response;
    try {
      response = await ctx.http.request(url, {
        untrusted: true,
        signal: ctx.signal,
        headers: { accept: 'application/vc+ld+json, application/vc+jwt, application/vc, application/ld+json, application/json;q=0.9, */*;q=0.1' },
        ...(maxBytes !== undefined ? { maxBytes } : {}),
      });
    } catch (err) {
      throw new EntryProblem(`the status list ${url.slice(0, 200)} could not be fetched: ${toDidBridgeError(err).message}`, 'STATUS_UNCHECKED');
    }
    if (response.status !== 200) {
      throw new EntryProblem(`fetching the status list ${url.slice(0, 200)} answered HTTP ${response.status}`, 'STATUS_UNCHECKED');
    }
    const { input, credential } = parseListBody(response.text());
    if (!typesOf(credential.type).includes(flavour.listCredentialType)) {
      throw new EntryProblem(`${url.slice(0, 200)} is not a ${flavour.listCredentialType} (its type is ${JSON.stringify(credential.type ?? null).slice(0, 100)})`, 'STATUS_UNCHECKED');
    }
    const subject = credential.credentialSubject;
    if (!isObject(subject) || !typesOf(subject.type).includes(flavour.listType)) {
      throw new EntryProblem(`the status list credential's credentialSubject is not a ${flavour.listType}`, 'STATUS_UNCHECKED');
    }
    let bits: Uint8Array;
    try {
      bits = decodeStatusList({ encodedList: subject.encodedList, style: flavour.style, maxBits });
    } catch (err) {
      if (err instanceof StatusListDecodeError) throw new EntryProblem(`the status list cannot be decoded: ${err.message}`, err.verificationCode);
      throw err;
    }
    if (bits.length * 8 < MIN_STATUS_LIST_BITS) {
      throw new EntryProblem(
        `the status list has ${bits.length * 8} entries, fewer than the ${MIN_STATUS_LIST_BITS} ${flavour.spec} requires for herd privacy (STATUS_LIST_LENGTH_ERROR)`,
        'RANGE_ERROR',
      );
    }
    let report: VerificationReport | undefined;
    let signed = false;
    let unverifiable: string | undefined;
    if (verifyList) {
      report = await ctx.verifyEmbedded(input, { expect: 'credential' });
      signed = report.format !== 'unknown';
      if (!signed) {
        const code = report.errors[0]?.code;
        // `unknown` with UNKNOWN_FORMAT: no verifier recognised a proof (unsigned JSON). Anything else (the embedding
        // depth limit inside a presentation, an oversized list credential) means it could not be checked at all.
        unverifiable = code === 'UNKNOWN_FORMAT' ? 'the status list credential carries no proof this verifier can check' : `the status list credential could not be verified here (${code ?? 'unknown'}: ${report.errors[0]?.message ?? ''})`;
      }
    }
    const fetched: FetchedList = { bits, purposes: typesOf(subject.statusPurpose), report, signed, unverifiable, issuer: idOf(credential.issuer), at: now };
    if (ttlMs > 0 && cacheEntries > 0) {
      if (cache.size >= cacheEntries) cache.delete(cache.keys().next().value as string);
      cache.set(url, fetched);
    }
    return fetched;
  }

  async function checkEntry(entry: Record<string, unknown>, credential: Record<string, unknown>, ctx: VerifyContext): Promise<StatusOutcome> {
    const purpose = entry.statusPurpose;
    const url = entry.statusListCredential;
    const rawIndex = entry.statusListIndex;
    const index = typeof rawIndex === 'string' && /^\d{1,15}$/.test(rawIndex) ? Number(rawIndex) : typeof rawIndex === 'number' ? rawIndex : NaN;
    const size = entry.statusSize === undefined ? 1 : typeof entry.statusSize === 'number' ? entry.statusSize : NaN;
    if (typeof purpose !== 'string' || purpose === '') throw new EntryProblem(`the ${flavour.entryType} has no statusPurpose`, 'MALFORMED_VALUE_ERROR');
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
      throw new EntryProblem(`the ${flavour.entryType}'s statusListCredential must be an http(s) URL`, 'MALFORMED_VALUE_ERROR');
    }
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new EntryProblem(`the ${flavour.entryType}'s statusListIndex ${JSON.stringify(rawIndex ?? null).slice(0, 40)} is not a non-negative integer`, 'MALFORMED_VALUE_ERROR');
    }
    if (!Number.isInteger(size) || size < 1 || size > 8 || ((purpose === 'revocation' || purpose === 'suspension') && size !== 1)) {
      throw new EntryProblem(`statusSize ${String(entry.statusSize)} is not valid for purpose ${purpose} (1 for revocation and suspension, at most 8)`, 'MALFORMED_VALUE_ERROR');
    }
    const list = await fetchList(url, ctx);
    const base: Record<string, unknown> = { type: flavour.entryType, statusPurpose: purpose, statusListCredential: url, statusListIndex: index };
    if (list.report && list.signed && !list.report.verified) {
      const why = list.report.errors[0];
      throw new EntryProblem(
        `the status list credential ${url.slice(0, 200)} does not verify (${why ? `${why.check ?? 'check'}: ${why.message}` : 'not verified'}), so its bits cannot be trusted`,
        'STATUS_UNCHECKED',
      );
    }
    if (!list.purposes.includes(purpose)) {
      throw new EntryProblem(`the status list is for ${list.purposes.join(', ') || 'no purpose'}, not ${purpose} (STATUS_VERIFICATION_ERROR)`, 'STATUS_UNCHECKED');
    }
    let value: number;
    try {
      value = readStatus(list.bits, index, size);
    } catch (err) {
      throw new EntryProblem(`${(err as Error).message} (RANGE_ERROR)`, 'RANGE_ERROR');
    }
    const credentialIssuer = idOf(credential.issuer);
    const facts: string[] = [];
    if (!list.signed && list.report) facts.push(list.unverifiable ?? 'the status list credential was not verified');
    if (!list.report) facts.push('the status list credential was not verified (verifyListCredential: false)');
    if (list.issuer !== undefined && credentialIssuer !== undefined && list.issuer !== credentialIssuer) {
      facts.push(`the list was issued by ${list.issuer.slice(0, 200)}, not by the credential's issuer`);
    }
    const data = { ...base, value, listVerified: list.report?.verified ?? false, listIssuer: list.issuer };
    const where = `entry ${index} of ${url.slice(0, 200)} (${flavour.spec}, ${purpose})`;
    if ((purpose === 'revocation' || purpose === 'suspension') && value === 1) {
      return {
        check: check('status', 'fail', `${purpose === 'revocation' ? 'revoked' : 'suspended'}: ${where} is set${facts.length ? `; ${facts.join('; ')}` : ''}`, data),
        code: purpose === 'revocation' ? 'REVOKED' : 'SUSPENDED',
      };
    }
    let detail = `${where} is ${value}`;
    if (purpose === 'revocation') detail = `not revoked: ${detail}`;
    else if (purpose === 'suspension') detail = `not suspended: ${detail}`;
    else if (Array.isArray(entry.statusMessage)) {
      const hex = `0x${value.toString(16)}`;
      const message = entry.statusMessage.find((m) => isObject(m) && (m.status === hex || m.status === `0x${value.toString(16).padStart(2, '0')}`));
      if (isObject(message) && typeof message.message === 'string') detail += ` ("${message.message.slice(0, 200)}")`;
    }
    if (facts.length > 0) return { check: check('status', 'warn', `${detail}; ${facts.join('; ')}`, data) };
    return { check: check('status', 'pass', detail, data) };
  }

  return {
    id: flavour.id,
    appliesTo: (entry) => isObject(entry) && typesOf(entry.type).includes(flavour.entryType),
    async check(entry, credential, ctx) {
      try {
        return await checkEntry(entry, credential, ctx);
      } catch (err) {
        if (err instanceof EntryProblem) {
          return { check: check('status', 'fail', err.message, { type: flavour.entryType }), code: err.code };
        }
        return {
          check: check('status', 'fail', `the ${flavour.spec} check failed: ${toDidBridgeError(err).message}`, { type: flavour.entryType }),
          code: 'STATUS_UNCHECKED',
        };
      }
    },
  };
}

/** The Bitstring Status List checker (`BitstringStatusListEntry`, encodedList multibase base64url). */
export function bitstringStatusListChecker(options: StatusListCheckerOptions = {}): StatusChecker {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return createChecker(BITSTRING, options);
}

/** The StatusList2021 checker (`StatusList2021Entry`, encodedList base64 / base64url). */
export function statusList2021Checker(options: StatusListCheckerOptions = {}): StatusChecker {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return createChecker(STATUS_LIST_2021, options);
}

/**
 * Both status checkers, for `verify()`'s `statusCheckers` (and `defaultStatusCheckers()` in verify.ts).
 *
 * @example
 * await verify(credential, { resolver, statusCheckers: statusListCheckers() })
 */
export function statusListCheckers(options: StatusListCheckerOptions = {}): StatusChecker[] {
  return [bitstringStatusListChecker(options), statusList2021Checker(options)];
}
