/**
 * One version everywhere the Universal Resolver and operators look: package.json, the chart (version and
 * appVersion), the compose image, and a CHANGELOG section for it; and the open licence the UR requires.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string };

describe('versions and licence', () => {
  it('the chart, the compose image and the package agree', () => {
    const chart = yaml.load(read('deploy/helm/didbridge/Chart.yaml')) as { version: string; appVersion: string };
    expect(chart.appVersion).toBe(pkg.version);
    expect(chart.version).toBe(pkg.version);
    const compose = yaml.load(read('deploy/universal-resolver/docker-compose.yml')) as { services: Record<string, { image?: string }> };
    expect(compose.services['driver-didbridge']!.image).toMatch(new RegExp(`:${pkg.version.replace(/\./g, '\\.')}$`));
  });

  it('CHANGELOG.md has a dated section for the package version, in Keep a Changelog form', () => {
    const changelog = read('CHANGELOG.md');
    const section = new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm');
    expect(changelog).toMatch(section);
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    const body = changelog.slice(changelog.search(section));
    for (const heading of ['### Added', '### Changed', '### Fixed']) expect(body).toContain(heading);
    expect(changelog).toContain(`[${pkg.version}]: `);
  });

  it('is Apache-2.0 licensed (package.json and LICENSE)', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(read('LICENSE')).toMatch(/Apache License\s+Version 2\.0/);
  });
});
