/**
 * Generates the files a Universal Resolver deployment needs to mount didbridge, from the adapter registry
 * (`ADAPTER_FACTORIES` and `SANDBOX_BINDINGS` in adapters/index.ts), so that they can never drift from what the
 * build serves:
 *
 * - `deploy/universal-resolver/application.yml`: one `uniresolver.drivers` entry per DID method: `pattern` (the
 *   adapter's `identifierPattern` as a Java regex with one capture group, as the UR's `DriverConfigs` expects), `url`
 *   (a Spring placeholder with the driver's address as default), `propertiesEndpoint`, `supportsOptions`,
 *   `supportsDereference`, `testIdentifiers` and `traits`;
 * - `deploy/universal-resolver/docker-compose.yml`: the driver service (the image pinned to the package version,
 *   the `uniresolver` error profile, the sandbox off, one variable per upstream option of each adapter) and the
 *   `uni-resolver-web` variables that let the URLs be overridden at run time.
 *
 *   npx tsx scripts/gen-uniresolver.ts          # rewrites both files
 *   npx tsx scripts/gen-uniresolver.ts --check  # exits 1 when the committed files are stale
 *
 * `test/deploy/uniresolver.test.ts` fails when the committed files differ from what this renders.
 *
 * @see https://github.com/decentralized-identity/universal-resolver/blob/main/docs/driver-development.md
 * @see /work/shared/docs/resolver-contract.md §3.1 (the four files a driver registration edits)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADAPTER_FACTORIES, SANDBOX_BINDINGS } from '../adapters/index.js';
import type { MethodAdapter } from '../src/adapter.js';
import { packageInfo } from '../src/config.js';
import type { MethodTraits } from '../src/spec.js';

/** The public image (the UR accepts only public images pinned to a version). */
export const IMAGE_REPOSITORY = 'ghcr.io/didbridge/didbridge';
/** The compose service, and the host name the UR reaches the driver at. */
export const SERVICE_NAME = 'driver-didbridge';
/** Host port in the UR's compose file (drivers take the next free one; 8160 was free at UR commit a234941). */
export const HOST_PORT = 8160;
export const CONTAINER_PORT = 8080;

export const APPLICATION_YML = 'deploy/universal-resolver/application.yml';
export const DOCKER_COMPOSE_YML = 'deploy/universal-resolver/docker-compose.yml';

/** One method as the UR files describe it. */
export interface UniresolverDriverEntry {
  method: string;
  adapterId: string;
  pattern: string;
  testIdentifiers: string[];
  traits: MethodTraits;
}

/**
 * Rewrites a JavaScript pattern as the Java regex the UR matches DIDs with: anchored, the whole DID in capture group
 * 1 and no other capture group (the UR concatenates every group into the string it sends the driver, so an inner
 * group would send part of the DID twice). Inner capturing and named groups become non-capturing.
 *
 * Only constructs that mean the same in both engines are accepted; anything else throws, so that a pattern the UR
 * would read differently never reaches application.yml.
 *
 * @example
 * toJavaPattern(/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/) // '^(did:key:z[1-9A-HJ-NP-Za-km-z]+)$'
 */
export function toJavaPattern(pattern: RegExp): string {
  if (!(pattern instanceof RegExp)) throw new TypeError('"pattern" must be a RegExp');
  const unsupportedFlags = pattern.flags.replace(/[gi]/g, '');
  if (unsupportedFlags !== '') throw new Error(`/${pattern.source}/${pattern.flags}: flags "${unsupportedFlags}" have no Java equivalent here`);
  let source = pattern.source;
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) {
    throw new Error(`/${source}/ is not anchored at both ends; the UR needs whole-DID patterns`);
  }
  source = source.slice(1, -1);
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Error(`/${pattern.source}/ ends with a backslash`);
      // \u{...} and \p{...} need the u flag in JavaScript and read differently in Java; \k<name> names a group.
      if (next === 'u' && source[i + 2] === '{') throw new Error(`/${pattern.source}/: \\u{...} has no Java equivalent`);
      if (next === 'k' || next === 'p' || next === 'P') throw new Error(`/${pattern.source}/: \\${next} is not supported`);
      if (/[1-9]/.test(next) && !inClass) throw new Error(`/${pattern.source}/: back-references would change group numbers`);
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      // Java reads `[` and `&&` inside a class as nesting and intersection; JavaScript reads them literally.
      else if (c === '[' || (c === '&' && source[i + 1] === '&')) throw new Error(`/${pattern.source}/: "${c}" inside a class reads differently in Java`);
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // `[]` and `[^]` are an empty class and "any character" in JavaScript, but open a class containing `]` in Java.
      const rest = source.slice(i + 1);
      if (rest.startsWith(']') || rest.startsWith('^]')) throw new Error(`/${pattern.source}/: [] and [^] read differently in Java`);
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') {
        out += '(?:';
        continue;
      }
      // (?<name>...) is a named capturing group; (?<= and (?<! are look-behinds and stay.
      if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
        const close = source.indexOf('>', i);
        out += '(?:';
        i = close;
        continue;
      }
      out += c;
      continue;
    }
    if (c === '$' || c === '^') throw new Error(`/${pattern.source}/: anchors inside the pattern are not supported`);
    out += c;
  }
  const caseInsensitive = pattern.flags.includes('i') ? '(?i)' : '';
  return `${caseInsensitive}^(${out})$`;
}

/** Every method the registry serves, with what the UR files say about it. Adapters are built with no options. */
export function uniresolverEntries(): UniresolverDriverEntry[] {
  const entries: UniresolverDriverEntry[] = [];
  for (const [adapterId, factory] of Object.entries(ADAPTER_FACTORIES)) {
    let adapter: MethodAdapter;
    try {
      adapter = factory(undefined);
    } catch (err) {
      throw new Error(`adapter "${adapterId}" cannot be built without options, so its UR entry cannot be generated: ${(err as Error).message}`);
    }
    const pattern = toJavaPattern(adapter.identifierPattern);
    for (const method of adapter.methods) {
      entries.push({
        method,
        adapterId,
        pattern,
        testIdentifiers: adapter.testIdentifiers().filter((d) => d.startsWith(`did:${method}:`)),
        traits: { ...adapter.traits },
      });
    }
  }
  return entries;
}

/** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
function q(value: string): string {
  return JSON.stringify(value);
}

/** The option name in the environment form the configuration reads: `baseUrl` → `BASE_URL`. */
function envOption(option: string): string {
  return option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The UR's variable naming convention for a driver's settings: `uniresolver_driver_did_<method>_<name>`. */
function urVariable(method: string, option: string): string {
  return `uniresolver_driver_did_${method}_${option}`;
}

const HEADER = (what: string) =>
  [
    `# ${what}`,
    `# Generated by scripts/gen-uniresolver.ts from the adapter registry (adapters/index.ts) for didbridge ${packageInfo().version}.`,
    '# Do not edit: run `npx tsx scripts/gen-uniresolver.ts` (test/deploy/uniresolver.test.ts checks it is current).',
  ].join('\n');

/** The `uniresolver.drivers` entries, as the UR's uni-resolver-web/src/main/resources/application.yml lists them. */
export function renderApplicationYml(entries: readonly UniresolverDriverEntry[] = uniresolverEntries()): string {
  const lines = [
    HEADER('Universal Resolver driver entries for didbridge: merge these items into uniresolver.drivers.'),
    '# One didbridge service serves every method below. Methods the UR already has a driver for (did:key, did:web,',
    '# did:ethr) are listed too; keep whichever entry you want to answer, since the UR uses the first matching pattern.',
    'uniresolver:',
    '  drivers:',
  ];
  for (const e of entries) {
    lines.push(
      `    - pattern: ${q(e.pattern)}`,
      `      url: \${uniresolver_web_driver_url_did_${e.method}:http://${SERVICE_NAME}:${CONTAINER_PORT}/}`,
      '      propertiesEndpoint: "true"',
      '      supportsOptions: "true"',
      '      supportsDereference: "true"',
    );
    if (e.testIdentifiers.length === 0) lines.push('      testIdentifiers: []');
    else {
      lines.push('      testIdentifiers:');
      for (const did of e.testIdentifiers) lines.push(`        - ${q(did)}`);
    }
    lines.push('      traits:');
    for (const [name, value] of Object.entries(e.traits)) lines.push(`        ${name}: ${value === true ? 'true' : 'false'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The compose service of the driver plus the `uni-resolver-web` variables, as the UR's docker-compose.yml has them. */
export function renderDockerCompose(entries: readonly UniresolverDriverEntry[] = uniresolverEntries()): string {
  const version = packageInfo().version;
  const methodsByAdapter = new Map<string, string[]>();
  for (const e of entries) methodsByAdapter.set(e.adapterId, [...(methodsByAdapter.get(e.adapterId) ?? []), e.method]);
  const upstreamVariables: string[] = [];
  for (const binding of SANDBOX_BINDINGS) {
    const method = methodsByAdapter.get(binding.adapterId)?.[0];
    if (method === undefined) continue;
    for (const option of binding.upstreamOptions) {
      const name = `DIDBRIDGE_ADAPTER_${binding.adapterId.toUpperCase()}__${envOption(option)}`;
      upstreamVariables.push(`      # ${name}: \${${urVariable(method, option)}}`);
    }
  }
  const lines = [
    HEADER('Universal Resolver docker-compose entries for didbridge: merge into the UR docker-compose.yml.'),
    '# Upstream settings come from the UR .env (uniresolver_driver_did_<method>_<option>, the UR naming convention).',
    '# The sandbox registry is off: a public resolver must never answer from emulators.',
    'services:',
    `  ${SERVICE_NAME}:`,
    `    image: ${IMAGE_REPOSITORY}:${version}`,
    '    environment:',
    '      HOST: "0.0.0.0"',
    `      PORT: "${CONTAINER_PORT}"`,
    '      DIDBRIDGE_ERROR_PROFILE: uniresolver',
    '      DIDBRIDGE_SANDBOX: "off"',
    '      DIDBRIDGE_CONSOLE: "false"',
    '      DIDBRIDGE_REDIS_URL: ${uniresolver_driver_didbridge_redis_url:-}',
    "      # Upstreams: uncomment the ones you configure in .env. An adapter option set to an empty string is an",
    "      # error at start-up, so a variable must be either absent or set; absent means the adapter's public default.",
    ...upstreamVariables,
    '    ports:',
    `      - "${HOST_PORT}:${CONTAINER_PORT}"`,
    '  uni-resolver-web:',
    '    environment:',
    ...entries.map((e) => `      uniresolver_web_driver_url_did_${e.method}:`),
  ];
  return `${lines.join('\n')}\n`;
}

function repoPath(relative: string): URL {
  return new URL(`../${relative}`, import.meta.url);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = uniresolverEntries();
  const files: Array<[string, string]> = [
    [APPLICATION_YML, renderApplicationYml(entries)],
    [DOCKER_COMPOSE_YML, renderDockerCompose(entries)],
  ];
  if (process.argv.includes('--check')) {
    const stale = files.filter(([path, text]) => {
      try {
        return readFileSync(repoPath(path), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    for (const [path] of stale) console.error(`${path} is stale: run npx tsx scripts/gen-uniresolver.ts`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [path, text] of files) writeFileSync(repoPath(path), text);
  console.log(`wrote ${files.map(([p]) => p).join(', ')} (${entries.length} methods)`);
}
