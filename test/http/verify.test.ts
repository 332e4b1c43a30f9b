/**
 * `POST /1.0/verify` on the real driver (node:http on loopback): the same report `verify()` returns, the request
 * shapes it accepts, 400/405/413/415 for request problems, and what never leaves the process (request bodies in
 * logs, private key members in the echo).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { loadConfig } from '../../src/config.js';
import { createDriver, type Driver } from '../../src/http/server.js';
import { VERIFY_PATH, verifyRoute } from '../../src/http/routes/verify.js';
import { createLogger } from '../../src/log.js';
import { Resolver } from '../../src/resolver.js';
import { didKeySigner, signJwt, tamperPayload, vc11Payload, vp11Payload } from '../helpers/jwt-issuer.js';
import { request } from './request.js';

const issuer = didKeySigner('Ed25519');
const NOW = '2025-06-01T00:00:00Z';
const VALID = vc11Payload({ nbf: '2025-01-01T00:00:00Z', exp: '2026-01-01T00:00:00Z' });
const logLines: string[] = [];
let driver: Driver;
let base: string;

beforeAll(async () => {
  const logger = createLogger({ level: 'debug', stream: { write: (line: string) => logLines.push(line) } as never });
  const config = loadConfig({ env: {}, overrides: { limits: { maxBodyBytes: 16 * 1024 } } as never });
  driver = createDriver({ resolver: new Resolver({ adapters: [createKeyAdapter()] }), config, logger });
  driver.routes.add(verifyRoute());
  const address = await driver.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await driver?.close();
});

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  request(base, VERIFY_PATH, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /1.0/verify', () => {
  it('answers 200 with the report for a JWT, verified or not', async () => {
    const jwt = await signJwt(issuer, VALID);
    const ok = await post({ jwt, options: { now: NOW } });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.json()).toMatchObject({ verified: true, format: 'jwt-vc', issuer: { id: issuer.did }, key: { relationship: 'assertionMethod' } });
    const late = await post({ jwt, options: { now: '2027-01-01T00:00:00Z', skewSeconds: 0 } });
    expect(late.status).toBe(200);
    expect(late.json().errors).toContainEqual(expect.objectContaining({ check: 'validity-period', code: 'EXPIRED' }));
  });

  it('accepts credential / presentation (and the VC-API names), and holds the input to what the member says', async () => {
    const jwt = await signJwt(issuer, VALID);
    const enveloped = { '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' };
    expect((await post({ credential: enveloped, options: { now: NOW } })).json().verified).toBe(true);
    expect((await post({ verifiableCredential: jwt, options: { now: NOW } })).json().verified).toBe(true);
    const vp = await signJwt(issuer, vp11Payload({ credentials: [jwt] }));
    const asPresentation = (await post({ verifiablePresentation: vp, options: { now: NOW } })).json();
    expect(asPresentation).toMatchObject({ verified: true, format: 'jwt-vp' });
    const wrongMember = (await post({ presentation: jwt, options: { now: NOW } })).json();
    expect(wrongMember.verified).toBe(false);
    expect(wrongMember.errors).toContainEqual(expect.objectContaining({ check: 'format', message: expect.stringContaining('a presentation was expected') }));
  });

  it('an unrecognised input is a report (format unknown), not an error status', async () => {
    const r = await post({ credential: { hello: 'world' } });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ verified: false, format: 'unknown' });
  });

  it.each([
    ['not JSON', '{"jwt": ', /not JSON/],
    ['not an object', '[1,2]', /JSON object/],
    ['no input member', { options: {} }, /exactly one of/],
    ['two input members', { jwt: 'a.b.c', credential: {} }, /exactly one of/],
    ['an unknown member', { jwt: 'a.b.c', verbose: true }, /unknown member.*"verbose"/],
    ['jwt not a string', { jwt: { a: 1 } }, /"jwt" must be a compact JWT string/],
    ['options not an object', { jwt: 'a.b.c', options: 'strict' }, /"options" must be a JSON object/],
    ['an unknown option', { jwt: 'a.b.c', options: { skew: 5 } }, /unknown option.*"skew"/],
    ['an option out of range', { jwt: 'a.b.c', options: { skewSeconds: -5 } }, /"skewSeconds"/],
    ['a bad time', { jwt: 'a.b.c', options: { now: 'tomorrow' } }, /"now"/],
  ])('%s → 400 problem', async (_name, body, detail) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.json()).toMatchObject({ status: 400, title: 'Bad Request', detail: expect.stringMatching(detail) });
  });

  it('415 for another content type, 413 over the body limit, 405 for GET', async () => {
    expect((await post({ jwt: 'a.b.c' }, { 'content-type': 'text/plain' })).status).toBe(415);
    const big = await post({ jwt: 'a'.repeat(20 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json().detail).toContain('16384');
    const get = await request(base, VERIFY_PATH);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('never logs request bodies, and removes private key members from the echo', async () => {
    logLines.length = 0;
    const secret = 'c2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFs';
    const jwt = await signJwt(issuer, { ...VALID, cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', d: secret } } });
    const r = await post({ jwt, options: { now: NOW } });
    const text = r.text;
    expect(text).not.toContain(secret);
    expect(r.json().credential.cnf.jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' });
    expect(r.json().warnings).toContainEqual(expect.stringContaining('1 private key member(s)'));
    const tampered = tamperPayload(jwt, (p) => (p.sub = 'did:example:x'));
    await post({ jwt: tampered });
    const logged = logLines.join('\n');
    expect(logged).toContain('"path":"/1.0/verify"');
    expect(logged).toContain('"verified":false');
    expect(logged).not.toContain(jwt.slice(0, 40));
    expect(logged).not.toContain(secret);
  });
});
