/**
 * The verifier core: input recognition, option validation, dispatch to format verifiers, the report invariants
 * (verified only with a passed signature and no failure; an unverified report always carries an error), deadlines
 * and aborts, the status hook and the validity-period arithmetic. Format verifiers here are small in-test strategies
 * so that the core's behaviour is observed directly; the JWT format has its own tests (jwt.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { checkValidityPeriod, clockFrom, skewFrom, type ValidityBound } from '../../src/credentials/clock.js';
import { prepareInput, wrappedJwt } from '../../src/credentials/detect.js';
import type { FormatVerifier, StatusChecker, VerifyContext } from '../../src/credentials/format.js';
import { ReportBuilder, check, finaliseReport, type VerificationReport } from '../../src/credentials/report.js';
import { defaultFormatVerifiers, verify } from '../../src/credentials/verify.js';
import { Resolver } from '../../src/resolver.js';

const resolver = new Resolver({ adapters: [createKeyAdapter()] });
const NOW = new Date('2025-06-01T00:00:00Z');

/** A format verifier for objects `{ kind: 'probe' }` that records the context it got and answers what it is told. */
function probe(answer: (input: Record<string, unknown>, ctx: VerifyContext) => Promise<VerificationReport> | VerificationReport): FormatVerifier & { contexts: VerifyContext[] } {
  const contexts: VerifyContext[] = [];
  return {
    id: 'probe',
    contexts,
    detect: (input) => typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'probe',
    async verify(input, ctx) {
      contexts.push(ctx);
      return answer(input as Record<string, unknown>, ctx);
    },
  };
}

const passing = () => new ReportBuilder('probe').pass('format', 'ok').pass('signature', 'ok').finish();

describe('input recognition', () => {
  it.each([
    ['an empty object', {}, 'UNKNOWN_FORMAT'],
    ['an array', [1, 2], 'UNKNOWN_FORMAT'],
    ['a number', 42, 'PARSING_ERROR'],
    ['null', null, 'PARSING_ERROR'],
    ['an empty string', '   \n', 'PARSING_ERROR'],
    ['text that is neither JWT nor JSON', 'hello there', 'PARSING_ERROR'],
    ['broken JSON', '{"a": ', 'PARSING_ERROR'],
    ['JSON nested too deep', '['.repeat(100) + ']'.repeat(100), 'PARSING_ERROR'],
  ])('%s gives an unknown-format report, never a throw', async (_name, input, code) => {
    const report = await verify(input as never, { resolver });
    expect(report).toMatchObject({ verified: false, format: 'unknown' });
    expect(report.checks).toEqual([expect.objectContaining({ name: 'format', outcome: 'fail' })]);
    expect(report.errors).toEqual([expect.objectContaining({ code, check: 'format' })]);
  });

  it('refuses input over maxInputBytes, text or object', async () => {
    const big = 'x'.repeat(2048);
    for (const input of [`{"a":"${big}"}`, { a: big }]) {
      const report = await verify(input, { resolver, maxInputBytes: 1024 });
      expect(report.errors[0]).toMatchObject({ code: 'PARSING_ERROR', message: expect.stringContaining('1024 bytes') });
    }
  });

  it('trims text and parses JSON; a JSON string holding a JWT is a JWT', () => {
    expect(prepareInput('  {"kind":"probe"}\n', 1000)).toEqual({ ok: true, value: { kind: 'probe' }, kind: 'json' });
    expect(prepareInput('"aaa.bbb.ccc"', 1000)).toEqual({ ok: true, value: 'aaa.bbb.ccc', kind: 'jwt' });
    expect(prepareInput('aaa.bbb.ccc\n', 1000)).toEqual({ ok: true, value: 'aaa.bbb.ccc', kind: 'jwt' });
  });

  it('finds JWTs in enveloped data: URLs and JwtProof2020 wrappers only', () => {
    expect(wrappedJwt({ id: 'data:application/vc+jwt,aaa.bbb.ccc', type: 'EnvelopedVerifiableCredential' })).toBe('aaa.bbb.ccc');
    expect(wrappedJwt({ id: 'data:application/vc+sd-jwt,aaa.bbb.ccc~' })).toBeUndefined();
    expect(wrappedJwt({ id: 'data:application/vc+cose;base64,AAAA' })).toBeUndefined();
    expect(wrappedJwt({ proof: { type: 'JwtProof2020', jwt: 'aaa.bbb.ccc' } })).toBe('aaa.bbb.ccc');
    expect(wrappedJwt({ proof: { type: 'DataIntegrityProof', jwt: 'aaa.bbb.ccc' } })).toBeUndefined();
    expect(wrappedJwt({ jwt: 'aaa.bbb.ccc' })).toBe('aaa.bbb.ccc');
    expect(wrappedJwt({ jwt: 'aaa.bbb.ccc', other: 1 })).toBeUndefined();
  });

  it('the default formats are JWT first (cheapest, least ambiguous detection), then part B\'s', () => {
    expect(defaultFormatVerifiers().map((f) => f.id)).toEqual(['jwt', 'data-integrity', 'weid-credential-pojo']);
  });
});

describe('options', () => {
  it.each([
    [{}, /"resolver"/],
    [{ resolver, skewSeconds: -1 }, /"skewSeconds"/],
    [{ resolver, skewSeconds: 100_000 }, /"skewSeconds"/],
    [{ resolver, now: 'yesterday' }, /"now"/],
    [{ resolver, expect: 'both' }, /"expect"/],
    [{ resolver, subjectBinding: 'strict' }, /"subjectBinding"/],
    [{ resolver, unknownStatus: 'ignore' }, /"unknownStatus"/],
    [{ resolver, formats: {} }, /"formats"/],
    [{ resolver, statusCheckers: [{}] }, /"statusCheckers"/],
    [{ resolver, maxInputBytes: 0 }, /"maxInputBytes"/],
    [{ resolver, timeoutMs: 1.5 }, /"timeoutMs"/],
    [{ resolver, audience: '' }, /"audience"/],
    [{ resolver, crossCheck: 'yes' }, /"crossCheck"/],
  ])('misuse %# throws a TypeError naming the option', async (options, name) => {
    await expect(verify('{}', options as never)).rejects.toThrow(TypeError);
    await expect(verify('{}', options as never)).rejects.toThrow(name);
  });

  it('clock and skew accept their documented forms', () => {
    expect(clockFrom('2025-06-01T02:00:00+02:00')().toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(clockFrom(1748736000)().toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(clockFrom(1748736000123)().toISOString()).toBe('2025-06-01T00:00:00.123Z');
    expect(clockFrom(NOW)().getTime()).toBe(NOW.getTime());
    expect(() => clockFrom(() => 'not a date')()).toThrow(/"now"/);
    expect(skewFrom('60')).toBe(60);
    expect(skewFrom(undefined)).toBe(300);
  });
});

describe('dispatch and report invariants', () => {
  it('the first verifier whose detect is true verifies; a detect that throws is skipped', async () => {
    const throwing: FormatVerifier = { id: 'bad', detect: () => { throw new Error('boom'); }, verify: async () => passing() };
    const p = probe(() => passing());
    const report = await verify({ kind: 'probe' }, { resolver, formats: [throwing, p] });
    expect(report.verified).toBe(true);
    expect(p.contexts).toHaveLength(1);
  });

  it('a verifier that throws or returns nothing gives an INTERNAL_ERROR report naming it', async () => {
    for (const answer of [() => Promise.reject(new Error('kaput')), () => undefined as unknown as VerificationReport]) {
      const report = await verify({ kind: 'probe' }, { resolver, formats: [probe(answer)] });
      expect(report).toMatchObject({ verified: false, format: 'probe' });
      expect(report.errors[0]).toMatchObject({ code: 'INTERNAL_ERROR', check: 'format', message: expect.stringContaining('probe verifier') });
    }
  });

  it('verified needs a passed signature and no failure; warnings do not fail; the verdict is recomputed', async () => {
    const unsigned = await verify({ kind: 'probe' }, { resolver, formats: [probe(() => ({ verified: true, format: 'probe', checks: [check('format', 'pass', 'ok')], errors: [] }))] });
    expect(unsigned.verified).toBe(false);
    expect(unsigned.errors).toEqual([{ code: 'CRYPTOGRAPHIC_SECURITY_ERROR', message: 'no proof was verified', check: 'signature' }]);
    const warned = new ReportBuilder('probe').pass('signature', 'ok').warn('audience', 'not checked').finish();
    expect(warned).toMatchObject({ verified: true, warnings: ['not checked'] });
    const nested = finaliseReport({
      verified: true,
      format: 'probe',
      checks: [check('signature', 'pass', 'ok')],
      errors: [],
      presentation: { credentials: [new ReportBuilder('x').fail('signature', 'bad', 'CRYPTOGRAPHIC_SECURITY_ERROR').finish()] },
    });
    expect(nested.verified).toBe(false);
    expect(nested.errors[0]).toMatchObject({ code: 'CRYPTOGRAPHIC_SECURITY_ERROR', message: 'credential 0 of the presentation is not verified' });
  });

  it('report members come out in a stable order whatever order they were filled in', () => {
    const r = new ReportBuilder('probe');
    r.report.credential = { a: 1 };
    r.pass('signature', 'ok');
    r.report.key = { verificationMethod: 'did:x:y#k', type: 'Multikey', keyType: 'Ed25519', relationship: 'assertionMethod' };
    expect(Object.keys(r.finish())).toEqual(['verified', 'format', 'key', 'checks', 'errors', 'credential']);
  });

  it('the context carries the clock, skew, resolver, options and depth', async () => {
    const p = probe(() => passing());
    await verify({ kind: 'probe' }, { resolver, formats: [p], now: NOW, skewSeconds: 10, audience: 'https://v.example' });
    const ctx = p.contexts[0]!;
    expect(ctx.now().toISOString()).toBe(NOW.toISOString());
    expect(ctx.skewSeconds).toBe(10);
    expect(ctx.resolver).toBe(resolver);
    expect(ctx.http).toBe(resolver.http);
    expect(ctx.depth).toBe(0);
    expect(ctx.options).toMatchObject({ audience: 'https://v.example', expect: 'any', subjectBinding: 'warn', unknownStatus: 'fail' });
    expect(ctx.signal.aborted).toBe(false);
  });

  it('embedded values are verified one level down, and nesting deeper is refused', async () => {
    const depths: number[] = [];
    const nesting = probe(async (_input, ctx) => {
      depths.push(ctx.depth);
      const inner = await ctx.verifyEmbedded({ kind: 'probe' }, { expect: 'credential' });
      return { ...passing(), presentation: { credentials: [inner] } };
    });
    const report = await verify({ kind: 'probe' }, { resolver, formats: [nesting] });
    expect(depths).toEqual([0, 1]);
    const innermost = report.presentation!.credentials[0]!.presentation!.credentials[0]!;
    expect(innermost.errors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(report.verified).toBe(false);
    expect(nesting.contexts[1]!.options.expect).toBe('credential');
  });
});

describe('deadline and abort', () => {
  it('a verification that does not finish in timeoutMs is reported, and its signal aborts', async () => {
    let seen: VerifyContext | undefined;
    const hanging = probe((_input, ctx) => {
      seen = ctx;
      return new Promise<VerificationReport>(() => undefined);
    });
    const started = Date.now();
    const report = await verify({ kind: 'probe' }, { resolver, formats: [hanging], timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.errors[0]).toMatchObject({ code: 'INTERNAL_ERROR', message: 'verification did not finish within 200 ms' });
    expect(seen!.signal.aborted).toBe(true);
  });

  it('the caller can abort', async () => {
    const controller = new AbortController();
    const hanging = probe(() => new Promise<VerificationReport>(() => undefined));
    const pending = verify({ kind: 'probe' }, { resolver, formats: [hanging], signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await pending).errors[0]?.message).toBe('verification was aborted by the caller');
    const already = await verify({ kind: 'probe' }, { resolver, formats: [hanging], signal: AbortSignal.abort() });
    expect(already.errors[0]?.message).toBe('verification was aborted by the caller');
  });
});

describe('status hook (ctx.checkStatus)', () => {
  const run = async (credential: Record<string, unknown>, statusCheckers: StatusChecker[], unknownStatus?: 'warn' | 'fail') => {
    let outcome: Awaited<ReturnType<VerifyContext['checkStatus']>> | undefined;
    const p = probe(async (_input, ctx) => {
      outcome = await ctx.checkStatus(credential);
      return passing();
    });
    await verify({ kind: 'probe' }, { resolver, formats: [p], statusCheckers, ...(unknownStatus ? { unknownStatus } : {}) });
    return outcome!;
  };
  const checker = (type: string, outcome: 'pass' | 'warn' | 'fail' | 'throw'): StatusChecker => ({
    id: `checker-${type}`,
    appliesTo: (entry) => entry.type === type,
    async check() {
      if (outcome === 'throw') throw new Error('list unreachable');
      return { check: check('status', outcome, `${type} ${outcome}`), ...(outcome === 'fail' ? { code: 'REVOKED' } : {}) };
    },
  });

  it('no credentialStatus: skip', async () => {
    expect((await run({}, [])).check).toMatchObject({ outcome: 'skip' });
  });

  it('a malformed credentialStatus fails as MALFORMED_VALUE_ERROR', async () => {
    expect(await run({ credentialStatus: 'revoked?' }, [])).toMatchObject({ check: { outcome: 'fail' }, code: 'MALFORMED_VALUE_ERROR' });
  });

  it('several entries: any failure fails, warnings and passes combine', async () => {
    const checkers = [checker('A', 'pass'), checker('B', 'warn'), checker('C', 'fail')];
    expect((await run({ credentialStatus: [{ type: 'A' }, { type: 'B' }] }, checkers)).check).toMatchObject({ outcome: 'warn', detail: 'A pass; B warn' });
    expect(await run({ credentialStatus: [{ type: 'A' }, { type: 'C' }] }, checkers)).toMatchObject({ check: { outcome: 'fail' }, code: 'REVOKED' });
    expect((await run({ credentialStatus: [{ type: 'A' }, { type: 'A' }] }, checkers)).check).toMatchObject({ outcome: 'pass' });
  });

  it('a checker that throws gives STATUS_UNCHECKED; an unknown entry fails or warns per unknownStatus', async () => {
    expect(await run({ credentialStatus: { type: 'T' } }, [checker('T', 'throw')])).toMatchObject({ check: { outcome: 'fail' }, code: 'STATUS_UNCHECKED' });
    expect(await run({ credentialStatus: { type: 'Z' } }, [])).toMatchObject({ check: { outcome: 'fail' }, code: 'STATUS_UNCHECKED' });
    expect((await run({ credentialStatus: { type: 'Z' } }, [], 'warn')).check).toMatchObject({ outcome: 'warn' });
  });
});

describe('checkValidityPeriod (RFC 7519 §4.1.4-4.1.6 with skew)', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const at = (iso: string) => Date.parse(iso);
  const outcome = (bounds: ValidityBound[], skewSeconds = 60) => checkValidityPeriod({ bounds, now, skewSeconds });

  it('exp: rejected on or after exp + skew, accepted one second before', () => {
    expect(outcome([{ source: 'exp', kind: 'notAfter', at: at('2025-05-31T23:59:00Z') }]).code).toBe('EXPIRED');
    expect(outcome([{ source: 'exp', kind: 'notAfter', at: at('2025-05-31T23:59:01Z') }]).code).toBeUndefined();
  });

  it('nbf and iat: accepted up to now + skew, rejected a second later', () => {
    expect(outcome([{ source: 'nbf', kind: 'notBefore', at: at('2025-06-01T00:01:00Z') }]).code).toBeUndefined();
    expect(outcome([{ source: 'nbf', kind: 'notBefore', at: at('2025-06-01T00:01:01Z') }]).code).toBe('NOT_YET_VALID');
    const iat = outcome([{ source: 'iat', kind: 'issuedAt', at: at('2025-06-01T00:01:01Z') }]);
    expect(iat.code).toBe('NOT_YET_VALID');
    expect(iat.check.detail).toContain('issued in the future');
  });

  it('every bound counts: the tightest decides, and the data lists them all', () => {
    const result = outcome([
      { source: 'nbf', kind: 'notBefore', at: at('2025-01-01T00:00:00Z') },
      { source: 'validUntil', kind: 'notAfter', at: at('2025-03-01T00:00:00Z') },
      { source: 'exp', kind: 'notAfter', at: at('2026-01-01T00:00:00Z') },
    ]);
    expect(result.code).toBe('EXPIRED');
    expect(result.check.detail).toContain('(validUntil)');
    expect(result.check.data).toEqual({
      now: '2025-06-01T00:00:00Z',
      skewSeconds: 60,
      bounds: { nbf: '2025-01-01T00:00:00Z', validUntil: '2025-03-01T00:00:00Z', exp: '2026-01-01T00:00:00Z' },
    });
  });

  it('no bounds: valid, and the detail says no period was stated', () => {
    expect(outcome([]).check).toMatchObject({ outcome: 'pass', detail: expect.stringContaining('no validity period stated') });
  });
});
