import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentVariables } from '../../src/config.js';
import { withConfigTable } from '../../scripts/readme-config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README configuration reference', () => {
  it('is the table rendered from src/config.ts (run `npx tsx scripts/readme-config.ts` after changing settings)', () => {
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('names every environment variable the configuration reads', () => {
    for (const v of environmentVariables()) expect(readme).toContain(`\`${v.env}\``);
  });
});
