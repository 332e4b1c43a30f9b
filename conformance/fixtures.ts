/**
 * Fixture files: W3C DID documents (and, for the checks of other subjects, resolution results, dereferencing results,
 * error objects, HTTP exchanges and translations) as data, each citing the spec section it exemplifies.
 *
 * - `fixtures/conformant/*.json`: `{ title, spec, representation, document, metadata? }`, documents that meet
 *   every MUST of the catalogue;
 * - `fixtures/invalid/*.json`: the same plus `breaks` (a check id) and `statement` (that check's statement), each a
 *   document that fails exactly the check it names; fixtures for checks of another subject give `subject` and
 *   `input` (the `SubjectInputs` value) instead of `representation` and `document`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from '../src/spec.js';
import type { CheckSubject, SubjectInputs } from './catalogue.js';
import { parseJsonSafe } from '../src/util/json.js';

/** A conformant document fixture. */
export interface DocumentFixture {
  /** What the document shows, in one line. */
  title: string;
  /** URL of the spec section (or example) the document follows. */
  spec: string;
  representation: DocumentMediaType;
  document: unknown;
  metadata?: unknown;
}

/** A document fixture that breaks one check. */
export interface InvalidDocumentFixture extends DocumentFixture {
  /** The id of the check the document fails. */
  breaks: string;
  /** The statement of that check, as the catalogue has it (tests keep the two in step). */
  statement: string;
}

/** A fixture with the file it came from. */
export interface LoadedFixture<F extends DocumentFixture | SubjectFixture = DocumentFixture> {
  /** The file name without `.json`. */
  name: string;
  path: string;
  fixture: F;
}

function requireString(value: Record<string, unknown>, key: string, path: string): string {
  const v = value[key];
  if (typeof v !== 'string' || v === '') throw new TypeError(`${path}: "${key}" must be a non-empty string`);
  return v;
}

/** Validates the common fields of a document fixture. Throws TypeError naming the file and the field. */
export function parseDocumentFixture(value: unknown, path: string): DocumentFixture {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${path}: a fixture is a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const title = requireString(record, 'title', path);
  const spec = requireString(record, 'spec', path);
  if (!/^https:\/\/\S+#\S+$/.test(spec)) throw new TypeError(`${path}: "spec" must be an https URL with a fragment`);
  const representation = requireString(record, 'representation', path);
  if (!(DOCUMENT_MEDIA_TYPES as readonly string[]).includes(representation)) {
    throw new TypeError(`${path}: "representation" must be one of ${DOCUMENT_MEDIA_TYPES.join(', ')}`);
  }
  if (!('document' in record)) throw new TypeError(`${path}: "document" is missing`);
  const fixture: DocumentFixture = {
    title,
    spec,
    representation: representation as DocumentMediaType,
    document: record.document,
  };
  if ('metadata' in record) fixture.metadata = record.metadata;
  return fixture;
}

/** A fixture of a subject other than `document`: the observation input as data. */
export interface SubjectFixture<S extends Exclude<CheckSubject, 'document'> = Exclude<CheckSubject, 'document'>> {
  title: string;
  spec: string;
  subject: S;
  input: SubjectInputs[S];
}

/** A fixture of a non-document subject that breaks one check. */
export interface InvalidSubjectFixture extends SubjectFixture {
  breaks: string;
  statement: string;
}

/** Any invalid fixture. */
export type InvalidFixture = InvalidDocumentFixture | InvalidSubjectFixture;

const SUBJECTS: readonly string[] = ['resolution', 'dereferencing', 'error', 'http', 'translation'];

/** Whether a fixture is a document fixture (no `subject`, or `subject: "document"`). */
export function isDocumentFixture(fixture: DocumentFixture | SubjectFixture): fixture is DocumentFixture {
  return !('subject' in fixture) || (fixture as { subject?: unknown }).subject === 'document';
}

/**
 * Validates a fixture of any subject: a document fixture, or `{ title, spec, subject, input }` with `input` a map.
 * Throws TypeError naming the file and the field.
 */
export function parseFixture(value: unknown, path: string): DocumentFixture | SubjectFixture {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${path}: a fixture is a JSON object`);
  }
  const record = value as Record<string, unknown>;
  if (record.subject === undefined || record.subject === 'document') return parseDocumentFixture(value, path);
  const title = requireString(record, 'title', path);
  const spec = requireString(record, 'spec', path);
  if (!/^https:\/\/\S+#\S+$/.test(spec)) throw new TypeError(`${path}: "spec" must be an https URL with a fragment`);
  const subject = requireString(record, 'subject', path);
  if (!SUBJECTS.includes(subject)) throw new TypeError(`${path}: "subject" must be one of document, ${SUBJECTS.join(', ')}`);
  const input = record.input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new TypeError(`${path}: "input" must be an object`);
  return { title, spec, subject: subject as SubjectFixture['subject'], input: input as never };
}

/** Validates an invalid fixture of any subject (the common fields plus `breaks` and `statement`). */
export function parseInvalidFixture(value: unknown, path: string): InvalidFixture {
  const fixture = parseFixture(value, path);
  const record = value as Record<string, unknown>;
  return { ...fixture, breaks: requireString(record, 'breaks', path), statement: requireString(record, 'statement', path) };
}

/** Validates an invalid-document fixture (the common fields plus `breaks` and `statement`). */
export function parseInvalidDocumentFixture(value: unknown, path: string): InvalidDocumentFixture {
  const fixture = parseDocumentFixture(value, path);
  const record = value as Record<string, unknown>;
  return { ...fixture, breaks: requireString(record, 'breaks', path), statement: requireString(record, 'statement', path) };
}

/** Reads every `*.json` file of a directory, sorted by name, through `parse`. */
export async function loadFixtureDirectory<F extends DocumentFixture | SubjectFixture>(
  directory: string,
  parse: (value: unknown, path: string) => F,
): Promise<LoadedFixture<F>[]> {
  const names = (await readdir(directory)).filter((n) => n.endsWith('.json')).sort();
  const loaded: LoadedFixture<F>[] = [];
  for (const file of names) {
    const path = join(directory, file);
    const value = parseJsonSafe(await readFile(path, 'utf8'), {}, 'INVALID_DID_DOCUMENT');
    loaded.push({ name: file.slice(0, -'.json'.length), path, fixture: parse(value, path) });
  }
  return loaded;
}
