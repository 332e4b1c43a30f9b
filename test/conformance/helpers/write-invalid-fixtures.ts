/**
 * Writes `fixtures/invalid/<check id without its spec prefix>.json` for every check of the non-document subjects,
 * from the first mutation of that check in subject-mutations.ts: the conformant fixture it starts from, mutated, with
 * `breaks` and `statement` naming the check. (The document checks' invalid fixtures were written by hand.)
 *
 *   npx tsx test/conformance/helpers/write-invalid-fixtures.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../../../conformance/checks/index.js';
import { SUBJECT_MUTATIONS } from './subject-mutations.js';

const ROOT = new URL('../../../fixtures/', import.meta.url);
const written = new Set<string>();
for (const mutation of SUBJECT_MUTATIONS) {
  if (written.has(mutation.check)) continue;
  written.add(mutation.check);
  const check = CATALOGUE.find((c) => c.id === mutation.check);
  if (!check) throw new Error(`no check ${mutation.check}`);
  const base = JSON.parse(readFileSync(fileURLToPath(new URL(`conformant/${mutation.base}.json`, ROOT)), 'utf8'));
  mutation.apply(base.input);
  const fixture = {
    title: `${base.title}, mutated: ${mutation.what}`,
    breaks: check.id,
    statement: check.statement,
    spec: check.section,
    subject: base.subject,
    input: base.input,
  };
  const name = check.id.replace(/^did-core\./, '');
  writeFileSync(fileURLToPath(new URL(`invalid/${name}.json`, ROOT)), `${JSON.stringify(fixture, null, 2)}\n`);
}
console.log(`wrote ${written.size} invalid fixtures`);
