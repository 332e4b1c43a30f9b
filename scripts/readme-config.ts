/**
 * Renders the configuration reference (every environment variable, its config-file key, default and meaning) from
 * `src/config.ts` into README.md between the `config-table` markers, so the README can never drift from the code.
 * `npx tsx scripts/readme-config.ts` rewrites the README; `test/docs/readme-config.test.ts` fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { environmentVariables } from '../src/config.js';

export const START = '<!-- config-table:start -->';
export const END = '<!-- config-table:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The Markdown table for the current settings. */
export function renderConfigTable(): string {
  const rows = environmentVariables().map(
    (v) => `| \`${v.env}\` | ${v.key ? `\`${v.key}\`` : ''} | ${v.default === '' ? '' : `\`${cell(v.default)}\``} | ${cell(v.description)} |`,
  );
  return ['| environment variable | config file key | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** README text with the table between the markers replaced. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} / ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
  console.log('README.md configuration table updated');
}
