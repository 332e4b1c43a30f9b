/** Fixture access for the conformance tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadFixtureDirectory, parseDocumentFixture, parseInvalidDocumentFixture } from '../../../conformance/fixtures.js';
import type { DocumentFixture } from '../../../conformance/fixtures.js';

export const CONFORMANT_DIR = fileURLToPath(new URL('../../../fixtures/conformant/', import.meta.url));
export const INVALID_DIR = fileURLToPath(new URL('../../../fixtures/invalid/', import.meta.url));

export const loadConformant = () => loadFixtureDirectory(CONFORMANT_DIR, parseDocumentFixture);
export const loadInvalid = () => loadFixtureDirectory(INVALID_DIR, parseInvalidDocumentFixture);

/** A fresh copy of one conformant fixture (tests mutate it). */
export function conformantFixture(name: string): DocumentFixture {
  const path = `${CONFORMANT_DIR}${name}.json`;
  return parseDocumentFixture(JSON.parse(readFileSync(path, 'utf8')), path);
}
