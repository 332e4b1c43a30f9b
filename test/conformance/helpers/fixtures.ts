/** Fixture access for the conformance tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  isDocumentFixture,
  loadFixtureDirectory,
  parseDocumentFixture,
  parseFixture,
  parseInvalidFixture,
  type DocumentFixture,
  type InvalidDocumentFixture,
  type LoadedFixture,
} from '../../../conformance/fixtures.js';

export const CONFORMANT_DIR = fileURLToPath(new URL('../../../fixtures/conformant/', import.meta.url));
export const INVALID_DIR = fileURLToPath(new URL('../../../fixtures/invalid/', import.meta.url));

/** Every conformant fixture, documents and the other subjects. */
export const loadConformant = () => loadFixtureDirectory(CONFORMANT_DIR, parseFixture);
/** Every invalid fixture, documents and the other subjects. */
export const loadInvalid = () => loadFixtureDirectory(INVALID_DIR, parseInvalidFixture);

/** The conformant document fixtures only. */
export async function loadConformantDocuments(): Promise<LoadedFixture<DocumentFixture>[]> {
  return (await loadConformant()).filter((f): f is LoadedFixture<DocumentFixture> => isDocumentFixture(f.fixture));
}

/** The invalid document fixtures only. */
export async function loadInvalidDocuments(): Promise<LoadedFixture<InvalidDocumentFixture>[]> {
  return (await loadInvalid()).filter((f): f is LoadedFixture<InvalidDocumentFixture> => isDocumentFixture(f.fixture));
}

/** A fresh copy of one conformant fixture (tests mutate it). */
export function conformantFixture(name: string): DocumentFixture {
  const path = `${CONFORMANT_DIR}${name}.json`;
  return parseDocumentFixture(JSON.parse(readFileSync(path, 'utf8')), path);
}
