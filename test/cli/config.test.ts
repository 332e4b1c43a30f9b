/**
 * Configuration: defaults, file < env < flags, validation naming the key, adapter options in both env forms, and the
 * table of variables the README renders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_SETTINGS,
  ConfigError,
  describeConfig,
  environmentVariables,
  loadConfig,
  packageInfo,
} from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'didbridge-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies every default with an empty environment', () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      errorProfile: 'spec',
      logLevel: 'info',
      accessLog: true,
      corsOrigin: '*',
      enabledAdapters: undefined,
      adapters: {},
    });
    expect(c.cache).toEqual({
      enabled: true,
      maxEntries: 10_000,
      maxBytes: 64 * 1024 * 1024,
      defaultTtlSeconds: 300,
      maxTtlSeconds: 3600,
      negativeTtlSeconds: 30,
    });
    expect(c.http.allowAddressClasses).toEqual([]);
  });

  it('layers file < env < flags', () => {
    const path = file('layers.json', { port: 9000, host: '0.0.0.0', logLevel: 'debug', cache: { maxEntries: 5 } });
    const fromFile = loadConfig({ env: { DIDBRIDGE_CONFIG: path } });
    expect(fromFile).toMatchObject({ port: 9000, host: '0.0.0.0', logLevel: 'debug' });
    expect(fromFile.cache.maxEntries).toBe(5);
    const fromEnv = loadConfig({ env: { DIDBRIDGE_CONFIG: path, PORT: '9100', DIDBRIDGE_CACHE_MAX_ENTRIES: '7' } });
    expect(fromEnv.port).toBe(9100);
    expect(fromEnv.cache.maxEntries).toBe(7);
    expect(fromEnv.host).toBe('0.0.0.0');
    const fromFlags = loadConfig({ env: { DIDBRIDGE_CONFIG: path, PORT: '9100' }, overrides: { port: 9200, host: undefined } });
    expect(fromFlags.port).toBe(9200);
    expect(fromFlags.host).toBe('0.0.0.0');
  });

  it('`file` wins over DIDBRIDGE_CONFIG', () => {
    const a = file('a.json', { port: 1111 });
    const b = file('b.json', { port: 2222 });
    expect(loadConfig({ env: { DIDBRIDGE_CONFIG: a }, file: b }).port).toBe(2222);
  });

  it('reads lists, booleans and enums from the environment', () => {
    const c = loadConfig({
      env: {
        DIDBRIDGE_ADAPTERS: 'key, web,,key',
        DIDBRIDGE_CACHE_ENABLED: 'no',
        DIDBRIDGE_ERROR_PROFILE: 'UniResolver',
        DIDBRIDGE_HTTP_ALLOW_ADDRESS_CLASSES: 'loopback,private',
        DIDBRIDGE_CORS_ORIGIN: '',
      },
    });
    expect(c.enabledAdapters).toEqual(['key', 'web']);
    expect(c.cache.enabled).toBe(false);
    expect(c.errorProfile).toBe('uniresolver');
    expect(c.http.allowAddressClasses).toEqual(['loopback', 'private']);
    expect(c.corsOrigin).toBe('');
  });

  it('fails with a message naming the variable, key or flag', () => {
    const env = failure(() => loadConfig({ env: { PORT: '80a' } }));
    expect(env.key).toBe('PORT');
    expect(env.message).toContain('PORT');
    expect(env.code).toBe('INVALID_OPTIONS');
    expect(failure(() => loadConfig({ env: { PORT: '70000' } })).message).toMatch(/0 to 65535/);
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_LOG_LEVEL: 'loud' } })).message).toMatch(/DIDBRIDGE_LOG_LEVEL.*debug, info/);
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_HTTP_ALLOW_ADDRESS_CLASSES: 'everything' } })).key).toBe(
      'DIDBRIDGE_HTTP_ALLOW_ADDRESS_CLASSES',
    );
    const typo = failure(() => loadConfig({ env: {}, file: file('typo.json', { cache: { maxEntires: 3 } }) }));
    expect(typo.key).toBe('cache.maxEntires');
    expect(typo.message).toContain('unknown key "cache.maxEntires"');
    const wrongType = failure(() => loadConfig({ env: {}, file: file('type.json', { port: '8080' }) }));
    expect(wrongType.message).toMatch(/"port" in .*type\.json must be an integer/);
    const flag = failure(() => loadConfig({ env: {}, overrides: { port: -1 } }));
    expect(flag.message).toContain('command-line flag');
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_CACHE_TTL_SECONDS: '600', DIDBRIDGE_CACHE_MAX_TTL_SECONDS: '60' } })).key).toBe(
      'cache.maxTtlSeconds',
    );
  });

  it('reports unreadable and malformed files', () => {
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_CONFIG: join(dir, 'missing.json') } })).message).toContain('cannot read');
    expect(failure(() => loadConfig({ env: {}, file: file('bad.json', '{"port": ') })).message).toContain('not valid JSON');
    expect(failure(() => loadConfig({ env: {}, file: file('array.json', '[]') })).message).toContain('JSON object');
  });

  it('merges adapter options: file, then DIDBRIDGE_ADAPTER_<ID>, then DIDBRIDGE_ADAPTER_<ID>__<OPTION>, then flags', () => {
    const path = file('adapters.json', { adapters: { web: { timeoutMs: 1000, allowHttp: false }, key: { publicKeyFormat: 'Multikey' } } });
    const c = loadConfig({
      env: {
        DIDBRIDGE_CONFIG: path,
        DIDBRIDGE_ADAPTER_WEB__ALLOW_HTTP: 'true',
        DIDBRIDGE_ADAPTER_ETHR: '{"networks":[{"name":"dev","rpcUrl":"http://127.0.0.1:8545"}]}',
        DIDBRIDGE_ADAPTER_ETHR__REGISTRY_ADDRESS: '0xabc',
        DIDBRIDGE_ADAPTER_KEY__PUBLIC_KEY_FORMAT: 'JsonWebKey',
      },
      overrides: { adapters: { web: { timeoutMs: 5 } } },
    });
    expect(c.adapters.web).toEqual({ timeoutMs: 5, allowHttp: true });
    expect(c.adapters.key).toEqual({ publicKeyFormat: 'JsonWebKey' });
    expect(c.adapters.ethr).toEqual({ networks: [{ name: 'dev', rpcUrl: 'http://127.0.0.1:8545' }], registryAddress: '0xabc' });
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_ADAPTER_WEB: 'not json' } })).key).toBe('DIDBRIDGE_ADAPTER_WEB');
    expect(failure(() => loadConfig({ env: { DIDBRIDGE_ADAPTER_WEB: '[1]' } })).message).toContain('must be an object');
  });

  it('describeConfig never includes adapter option values', () => {
    const c = loadConfig({ env: { DIDBRIDGE_ADAPTER_BID__API_KEY: 'sk-123456' } });
    const described = JSON.stringify(describeConfig(c));
    expect(described).not.toContain('sk-123456');
    expect(describeConfig(c).adapterOptionNames).toEqual({ bid: ['apiKey'] });
  });

  it('rejects programmer misuse with TypeError', () => {
    expect(() => loadConfig(undefined as never)).toThrow(TypeError);
    expect(() => loadConfig({ env: null as never })).toThrow(/"env"/);
  });
});

describe('environmentVariables (README table)', () => {
  it('lists every setting with a variable, with defaults and descriptions', () => {
    const vars = environmentVariables();
    const names = vars.map((v) => v.env);
    expect(names).toContain('PORT');
    expect(names).toContain('HOST');
    expect(names).toContain('DIDBRIDGE_CONFIG');
    expect(names).toContain('DIDBRIDGE_ERROR_PROFILE');
    expect(names).toContain('DIDBRIDGE_ADAPTER_<ID>__<OPTION>');
    expect(new Set(names).size).toBe(names.length);
    for (const v of vars) expect(v.description.length, v.env).toBeGreaterThan(10);
    expect(vars.find((v) => v.env === 'PORT')!.default).toBe('8080');
    expect(vars.find((v) => v.env === 'DIDBRIDGE_ERROR_PROFILE')!.description).toContain('spec, uniresolver');
    // Every setting's default passes its own validation.
    for (const s of CONFIG_SETTINGS) expect(s.description, s.key).not.toBe('');
  });
});

describe('packageInfo', () => {
  it('reads the package name and version', () => {
    expect(packageInfo().name).toBe('didbridge');
    expect(packageInfo().version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
