/**
 * The outbound HTTP client against a real loopback HTTPS server: limits, timeouts, redirects, transport failures and
 * the SSRF guard. No stubs: every case is a real TLS connection to 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import { createHttpClient, HTTP_DEFAULTS, RefusedAddressError, type UndiciHttpClient } from '../../src/net/http-client.js';
import { resetConnection, startTestServer, type TestServer } from '../helpers/https-server.js';

const MAX_BYTES = 64 * 1024;

/** Awaits a rejection and returns it as a DidBridgeError (failing the test if it is anything else). */
async function failure(promise: Promise<unknown>): Promise<DidBridgeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the request should have failed').toBeInstanceOf(DidBridgeError);
  return err as DidBridgeError;
}

let server: TestServer;
let client: UndiciHttpClient;
const clients: UndiciHttpClient[] = [];

function makeClient(config: Parameters<typeof createHttpClient>[0] = {}): UndiciHttpClient {
  const c = createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allow: ['loopback'] }, ...config });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startTestServer({
    routes: {
      '/json': { headers: { 'x-test': 'yes', 'cache-control': 'max-age=60' }, body: { hello: 'world' } },
      '/echo': (req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body, rawHeaders: req.rawHeaders }));
        });
      },
      '/exact-limit': { body: 'x'.repeat(MAX_BYTES) },
      '/big-declared': { body: 'x'.repeat(MAX_BYTES + 1) },
      '/big-chunked': (_req, res) => {
        // No content-length: the client can only find out by counting. Stop once the client has gone.
        res.writeHead(200, { 'content-type': 'application/json' });
        let sent = 0;
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed && sent < 16 * MAX_BYTES) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      },
      '/never-answers': () => undefined,
      '/stalls-mid-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
      },
      '/loop-a': { status: 302, headers: { location: '/loop-b' } },
      '/loop-b': { status: 302, headers: { location: '/loop-a' } },
      '/to-metadata': { status: 302, headers: { location: 'https://169.254.169.254/latest/meta-data/' } },
      '/to-private-mapped': { status: 307, headers: { location: 'https://[::ffff:10.0.0.1]/did.json' } },
      '/to-plain-http': (_req, res, self) => {
        res.writeHead(301, { location: `http://localhost:${self.port}/json` });
        res.end();
      },
      '/to-other-origin': (_req, res, self) => {
        res.writeHead(302, { location: `https://127.0.0.1:${self.port}/echo` });
        res.end();
      },
      '/to-same-origin': { status: 307, headers: { location: '/echo' } },
      '/see-other': { status: 303, headers: { location: '/echo' } },
      '/multiple-choices': { status: 300, headers: { location: '/json' }, body: 'choose' },
      '/bad-location': { status: 302, headers: { location: 'https://exa mple.com:99999/' } },
      '/to-ftp': { status: 302, headers: { location: 'ftp://example.com/did.json' } },
      '/reset': (_req, res) => resetConnection(res),
      '/reset-mid-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":', () => setTimeout(() => resetConnection(res), 20));
      },
      '/not-json': { headers: { 'content-type': 'text/html' }, body: '<html>hello</html>' },
      '/deep-json': { body: '['.repeat(100) + ']'.repeat(100) },
    },
  });
  // Chained redirects /chain/N → /chain/N-1 → ... → /chain/0 (a document).
  for (let n = 1; n <= 10; n++) server.route(`/chain/${n}`, { status: 302, headers: { location: `/chain/${n - 1}` } });
  server.route('/chain/0', { body: { end: true } });
  client = makeClient({ maxBytes: MAX_BYTES, timeoutMs: 5_000 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

describe('UndiciHttpClient over HTTPS', () => {
  it('returns status, lower-cased headers, body bytes, final URL, text() and json()', async () => {
    const res = await client.request(`${server.origin}/json`, { untrusted: true });
    expect(res.status).toBe(200);
    expect(res.headers['x-test']).toBe('yes');
    expect(res.headers['cache-control']).toBe('max-age=60');
    expect(res.url).toBe(`${server.origin}/json`);
    expect(res.text()).toBe('{"hello":"world"}');
    expect(res.json()).toEqual({ hello: 'world' });
    expect(res.body).toBeInstanceOf(Uint8Array);
  });

  it('sends the caller headers, with a caller User-Agent replacing the default rather than duplicating it', async () => {
    const res = await client.request(`${server.origin}/echo`, { headers: { 'User-Agent': 'probe/1', Accept: 'application/did+json' } });
    const echoed = res.json() as { headers: Record<string, string>; rawHeaders: string[] };
    expect(echoed.headers['user-agent']).toBe('probe/1');
    expect(echoed.headers.accept).toBe('application/did+json');
    expect(echoed.rawHeaders.filter((h) => h.toLowerCase() === 'user-agent')).toHaveLength(1);
  });

  it('sends the default User-Agent', async () => {
    const res = await client.request(`${server.origin}/echo`);
    expect((res.json() as { headers: Record<string, string> }).headers['user-agent']).toBe('didbridge');
  });

  it('refuses a certificate it does not trust (INTERNAL_ERROR, transport)', async () => {
    const strict = createHttpClient({ addressPolicy: { allow: ['loopback'] } });
    clients.push(strict);
    const err = await failure(strict.request(`${server.origin}/json`, { untrusted: true }));
    expect(err.code).toBe('INTERNAL_ERROR');
    expect(err.extensions?.reason).toBe('transport');
  });

  describe('size limit', () => {
    it('accepts a body of exactly maxBytes', async () => {
      const res = await client.request(`${server.origin}/exact-limit`);
      expect(res.body.byteLength).toBe(MAX_BYTES);
    });

    it('refuses a body whose content-length is over maxBytes', async () => {
      const err = await failure(client.request(`${server.origin}/big-declared`));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('too-large');
      expect(err.message).toContain(String(MAX_BYTES));
    });

    it('stops reading a chunked body once it passes maxBytes', async () => {
      const err = await failure(client.request(`${server.origin}/big-chunked`));
      expect(err.extensions?.reason).toBe('too-large');
    });

    it('honours a per-request maxBytes', async () => {
      const err = await failure(client.request(`${server.origin}/json`, { maxBytes: 5 }));
      expect(err.extensions?.reason).toBe('too-large');
    });
  });

  describe('timeouts', () => {
    // Bounds are generous on purpose: the assertion is that the error arrives, not how fast.
    it('gives up on a server that never answers', async () => {
      const quick = makeClient({ timeoutMs: 300 });
      const started = Date.now();
      const err = await failure(quick.request(`${server.origin}/never-answers`, { untrusted: true }));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('timeout');
      expect(err.message).toContain('300 ms');
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('gives up on a body that stalls', async () => {
      const quick = makeClient({ timeoutMs: 300 });
      const err = await failure(quick.request(`${server.origin}/stalls-mid-body`));
      expect(err.extensions?.reason).toBe('timeout');
    });

    it('honours a per-request timeoutMs', async () => {
      const err = await failure(client.request(`${server.origin}/never-answers`, { timeoutMs: 200 }));
      expect(err.extensions?.reason).toBe('timeout');
      expect(err.message).toContain('200 ms');
    });
  });

  describe('redirects', () => {
    it(`follows up to maxRedirects (${HTTP_DEFAULTS.maxRedirects} by default)`, async () => {
      const res = await client.request(`${server.origin}/chain/${HTTP_DEFAULTS.maxRedirects}`);
      expect(res.json()).toEqual({ end: true });
      expect(res.url).toBe(`${server.origin}/chain/0`);
    });

    it('refuses one redirect more than maxRedirects', async () => {
      const err = await failure(client.request(`${server.origin}/chain/${HTTP_DEFAULTS.maxRedirects + 1}`));
      expect(err.extensions?.reason).toBe('too-many-redirects');
    });

    it('ends a redirect loop after maxRedirects hops', async () => {
      const before = server.requests.length;
      const err = await failure(client.request(`${server.origin}/loop-a`, { untrusted: true }));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('too-many-redirects');
      // The first request plus maxRedirects followed hops.
      expect(server.requests.length - before).toBe(HTTP_DEFAULTS.maxRedirects + 1);
    });

    it('honours maxRedirects: 0', async () => {
      const none = makeClient({ maxRedirects: 0 });
      const err = await failure(none.request(`${server.origin}/chain/1`));
      expect(err.extensions?.reason).toBe('too-many-redirects');
    });

    it('refuses a redirect to a cloud metadata address for an untrusted URL', async () => {
      const err = await failure(client.request(`${server.origin}/to-metadata`, { untrusted: true }));
      expect(err).toBeInstanceOf(RefusedAddressError);
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('ssrf-refused');
      expect(err.message).toContain('169.254.169.254');
      expect(err.message).toContain('metadata');
    });

    it('refuses a redirect to an IPv4-mapped private address written in IPv6', async () => {
      const err = await failure(client.request(`${server.origin}/to-private-mapped`, { untrusted: true }));
      expect(err).toBeInstanceOf(RefusedAddressError);
      expect(err.message).toContain('private');
    });

    it('refuses a redirect from https to plain http', async () => {
      const before = server.requests.length;
      const err = await failure(client.request(`${server.origin}/to-plain-http`, { untrusted: true }));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('insecure-redirect');
      expect(server.requests.length - before).toBe(1);
    });

    it('refuses a redirect to a non-HTTP scheme', async () => {
      const err = await failure(client.request(`${server.origin}/to-ftp`));
      expect(err.message).toContain('ftp:');
    });

    it('turns an unparseable Location into an upstream error, not a TypeError', async () => {
      const err = await failure(client.request(`${server.origin}/bad-location`));
      expect(err.extensions?.reason).toBe('bad-redirect');
    });

    it('does not follow 300 Multiple Choices', async () => {
      const res = await client.request(`${server.origin}/multiple-choices`);
      expect(res.status).toBe(300);
      expect(res.text()).toBe('choose');
    });

    it('drops credentials when a redirect leaves the origin, keeps the other headers', async () => {
      const res = await client.request(`${server.origin}/to-other-origin`, {
        headers: { authorization: 'Bearer secret', cookie: 'a=b', accept: 'application/json' },
      });
      const echoed = res.json() as { headers: Record<string, string> };
      expect(res.url).toBe(`https://127.0.0.1:${server.port}/echo`);
      expect(echoed.headers.authorization).toBeUndefined();
      expect(echoed.headers.cookie).toBeUndefined();
      expect(echoed.headers.accept).toBe('application/json');
    });

    it('keeps credentials on a same-origin redirect', async () => {
      const res = await client.request(`${server.origin}/to-same-origin`, { headers: { authorization: 'Bearer secret' } });
      expect((res.json() as { headers: Record<string, string> }).headers.authorization).toBe('Bearer secret');
    });

    it('turns a POST into a bodiless GET on 303 See Other', async () => {
      const res = await client.request(`${server.origin}/see-other`, {
        method: 'POST',
        body: '{"x":1}',
        headers: { 'content-type': 'application/json' },
      });
      const echoed = res.json() as { method: string; body: string; headers: Record<string, string> };
      expect(echoed.method).toBe('GET');
      expect(echoed.body).toBe('');
      expect(echoed.headers['content-type']).toBeUndefined();
    });
  });

  describe('transport failures', () => {
    it('reports a connection reset before any response', async () => {
      const err = await failure(client.request(`${server.origin}/reset`, { untrusted: true }));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('transport');
      expect(err.message).toContain('localhost');
    });

    it('reports a connection reset in the middle of the body', async () => {
      const err = await failure(client.request(`${server.origin}/reset-mid-body`));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.extensions?.reason).toBe('transport');
    });

    it('reports a closed port', async () => {
      const gone = await startTestServer();
      const url = `${gone.origin}/json`;
      await gone.close();
      const err = await failure(client.request(url));
      expect(err.code).toBe('INTERNAL_ERROR');
      expect(err.message).toMatch(/ECONNREFUSED/);
    });
  });

  describe('json()', () => {
    it('throws INTERNAL_ERROR for a body that is not JSON', async () => {
      const res = await client.request(`${server.origin}/not-json`);
      expect(() => res.json()).toThrow(DidBridgeError);
      expect(() => res.json()).toThrow(/not valid JSON/);
    });

    it('applies the configured nesting limit', async () => {
      const res = await client.request(`${server.origin}/deep-json`);
      expect(() => res.json()).toThrow(/deeper than the limit of 64/);
      const lenient = makeClient({ json: { maxDepth: 200 } });
      const again = await lenient.request(`${server.origin}/deep-json`);
      expect(Array.isArray(again.json())).toBe(true);
    });
  });
});

describe('SSRF guard', () => {
  let guarded: UndiciHttpClient;
  beforeAll(() => {
    guarded = createHttpClient({ tls: { ca: server.ca } });
    clients.push(guarded);
  });

  it('refuses `localhost` (a DNS name resolving to loopback) at connect time: nothing reaches the server', async () => {
    const before = server.requests.length;
    const err = await failure(guarded.request(`${server.origin}/json`, { untrusted: true }));
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err.code).toBe('INTERNAL_ERROR');
    expect(err.extensions?.reason).toBe('ssrf-refused');
    expect(err.message).toMatch(/refused to connect to localhost \((127\.0\.0\.1|::1)\): loopback/);
    expect(server.requests.length).toBe(before);
  });

  it.each([
    ['IPv4 literal', (port: number) => `https://127.0.0.1:${port}/json`],
    ['IPv4 literal in short form', (port: number) => `https://127.1:${port}/json`],
    ['IPv4 literal in hex', (port: number) => `https://0x7f000001:${port}/json`],
    ['IPv6 loopback literal', (port: number) => `https://[::1]:${port}/json`],
    ['IPv4-mapped IPv6 literal', (port: number) => `https://[::ffff:127.0.0.1]:${port}/json`],
  ])('refuses an %s before connecting', async (_name, urlFor) => {
    const before = server.requests.length;
    const err = await failure(guarded.request(urlFor(server.port), { untrusted: true }));
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err.message).toContain('loopback');
    expect(server.requests.length).toBe(before);
  });

  it('does not check trusted requests (no `untrusted`)', async () => {
    const res = await guarded.request(`${server.origin}/json`);
    expect(res.status).toBe(200);
    const literal = await guarded.request(`https://127.0.0.1:${server.port}/json`);
    expect(literal.status).toBe(200);
  });

  it('lets allowHosts through whatever they resolve to', async () => {
    const withHost = createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allowHosts: ['localhost'] } });
    clients.push(withHost);
    const res = await withHost.request(`${server.origin}/json`, { untrusted: true });
    expect(res.status).toBe(200);
    // Only the named host: the same server by IP literal stays refused.
    const err = await failure(withHost.request(`https://127.0.0.1:${server.port}/json`, { untrusted: true }));
    expect(err).toBeInstanceOf(RefusedAddressError);
  });

  it('checks every hop of a redirect, not only the first URL', async () => {
    // The first hop is allowed by allowHosts; the redirect target (127.0.0.1) is not.
    const withHost = createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allowHosts: ['localhost'] } });
    clients.push(withHost);
    const err = await failure(withHost.request(`${server.origin}/to-other-origin`, { untrusted: true }));
    expect(err).toBeInstanceOf(RefusedAddressError);
  });
});

describe('programmer errors', () => {
  it('throws TypeError naming the limit for a bad configuration', () => {
    expect(() => createHttpClient({ timeoutMs: -1 })).toThrow(/"timeoutMs"/);
    expect(() => createHttpClient({ maxBytes: Number.NaN })).toThrow(/"maxBytes"/);
    expect(() => createHttpClient({ maxRedirects: -1 })).toThrow(/"maxRedirects"/);
    expect(() => createHttpClient({ connectTimeoutMs: 0 })).toThrow(/"connectTimeoutMs"/);
    expect(() => createHttpClient({ addressPolicy: { allow: ['nope' as 'loopback'] } })).toThrow(TypeError);
  });

  it('throws TypeError naming "url" for a relative or malformed URL', async () => {
    await expect(client.request('/json')).rejects.toThrow(TypeError);
    await expect(client.request('not a url')).rejects.toThrow(/"url"/);
  });

  it('throws TypeError for a bad per-request limit', async () => {
    await expect(client.request(`${server.origin}/json`, { timeoutMs: 0 })).rejects.toThrow(/"init.timeoutMs"/);
  });
});
