/**
 * The Universal Resolver files: the committed deploy/universal-resolver/*.yml are exactly what
 * scripts/gen-uniresolver.ts renders from the adapter registry, and what it renders is what the UR reads: a
 * `uniresolver.drivers` list whose patterns (Java regexes with the whole DID in the one capture group) accept each
 * method's DIDs and only those, a compose service whose image is pinned to the package version.
 *
 * @see /work/shared/docs/resolver-contract.md §3.1
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { ADAPTER_FACTORIES } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import {
  APPLICATION_YML,
  DOCKER_COMPOSE_YML,
  IMAGE_REPOSITORY,
  renderApplicationYml,
  renderDockerCompose,
  SERVICE_NAME,
  toJavaPattern,
  uniresolverEntries,
} from '../../scripts/gen-uniresolver.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string };

/** Capture groups of a pattern (the UR concatenates them all). */
function groupCount(pattern: string): number {
  return new RegExp(`${pattern}|`).exec('')!.length - 1;
}

describe('Universal Resolver files', () => {
  it('the committed files are the generated ones (run `npx tsx scripts/gen-uniresolver.ts` after changing adapters)', () => {
    expect(read(APPLICATION_YML)).toBe(renderApplicationYml());
    expect(read(DOCKER_COMPOSE_YML)).toBe(renderDockerCompose());
  });

  it('application.yml lists every method of the registry, with the UR keys', () => {
    const parsed = yaml.load(read(APPLICATION_YML)) as { uniresolver: { drivers: Array<Record<string, any>> } };
    const drivers = parsed.uniresolver.drivers;
    const methods = Object.values(ADAPTER_FACTORIES).flatMap((f) => [...f(undefined).methods]);
    expect(drivers).toHaveLength(methods.length);
    for (const [i, method] of methods.entries()) {
      const d = drivers[i]!;
      expect(Object.keys(d).sort()).toEqual(['pattern', 'propertiesEndpoint', 'supportsDereference', 'supportsOptions', 'testIdentifiers', 'traits', 'url']);
      expect(d.pattern).toMatch(new RegExp(`^\\^\\(did:${method}:`));
      expect(d.url).toBe(`\${uniresolver_web_driver_url_did_${method}:http://${SERVICE_NAME}:8080/}`);
      expect(d.propertiesEndpoint).toBe('true');
      expect(d.supportsOptions).toBe('true');
      expect(Object.keys(d.traits).sort()).toEqual(['deactivatable', 'enumerable', 'historyAvailable', 'humanReadable', 'updatable']);
      expect(Array.isArray(d.testIdentifiers)).toBe(true);
    }
  });

  it('each pattern has exactly one capture group holding the whole DID, and accepts its own test identifiers only', () => {
    const entries = uniresolverEntries();
    for (const e of entries) {
      expect(groupCount(e.pattern), e.method).toBe(1);
      const re = new RegExp(e.pattern);
      for (const did of e.testIdentifiers) {
        expect(re.exec(did)?.[1], did).toBe(did);
      }
      for (const other of entries.filter((o) => o.method !== e.method)) {
        for (const did of other.testIdentifiers) expect(re.test(did), `${e.method} pattern vs ${did}`).toBe(false);
      }
      expect(re.test(`x${e.testIdentifiers[0] ?? `did:${e.method}:abc`}`)).toBe(false);
    }
    // Some methods ship test identifiers; the UR's status job resolves them.
    expect(entries.some((e) => e.testIdentifiers.length > 0)).toBe(true);
  });

  it('docker-compose.yml: the image pinned to the package version, the UR error profile, no sandbox, a loadable configuration', () => {
    const compose = yaml.load(read(DOCKER_COMPOSE_YML)) as { services: Record<string, any> };
    const service = compose.services[SERVICE_NAME];
    expect(service.image).toBe(`${IMAGE_REPOSITORY}:${pkg.version}`);
    expect(service.image).not.toMatch(/:latest$/);
    expect(service.ports).toEqual(['8160:8080']);
    const env = service.environment as Record<string, string>;
    // Compose substitutes ${x:-} with an empty string when unset: the driver must start with that.
    const substituted = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[^}]*:-([^}]*)\}/g, '$1')]));
    const config = loadConfig({ env: substituted });
    expect(config.errorProfile).toBe('uniresolver');
    expect(config.sandbox.mode).toBe('off');
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8080);
    expect(config.redis.url).toBe('');
    const web = compose.services['uni-resolver-web'].environment as Record<string, null>;
    expect(Object.keys(web)).toEqual(uniresolverEntries().map((e) => `uniresolver_web_driver_url_did_${e.method}`));
  });
});

describe('toJavaPattern', () => {
  it('wraps the DID in one group and makes inner groups non-capturing', () => {
    expect(toJavaPattern(/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/)).toBe('^(did:key:z[1-9A-HJ-NP-Za-km-z]+)$');
    expect(toJavaPattern(/^did:x:(a|b)(?:c)(?<tail>d)$/)).toBe('^(did:x:(?:a|b)(?:c)(?:d))$');
    expect(toJavaPattern(/^did:x:[()]\(y\)$/)).toBe('^(did:x:[()]\\(y\\))$');
    expect(toJavaPattern(/^did:x:(?<=a)b$/)).toBe('^(did:x:(?<=a)b)$');
    expect(toJavaPattern(/^did:x:[a-z]+$/i)).toBe('(?i)^(did:x:[a-z]+)$');
  });

  it('refuses what Java would read differently', () => {
    expect(() => toJavaPattern(/did:x:a/)).toThrow(/not anchored/);
    expect(() => toJavaPattern(/^did:x:[^]$/)).toThrow(/read differently/);
    expect(() => toJavaPattern(/^did:x:[a[b]$/)).toThrow(/inside a class/);
    expect(() => toJavaPattern(/^did:x:(a)\1$/)).toThrow(/back-references/);
    expect(() => toJavaPattern(/^did:x:\u{1F600}$/u)).toThrow(/flags "u"/);
    expect(() => toJavaPattern(/^did:x:a$|^did:y:b$/)).toThrow(/anchors inside/);
    expect(() => toJavaPattern('^a$' as never)).toThrow(TypeError);
  });
});
