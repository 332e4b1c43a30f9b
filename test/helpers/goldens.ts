/**
 * The golden translations of a method's fixtures (`fixtures/<method>/expected/*.json`): each names an upstream file
 * and the path to the native document inside it, and holds the hand-reviewed W3C document, its metadata and the rules
 * the change record must name. Shared by the adapters' tests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { DIDDocument, JsonObject } from '../../src/spec.js';

export interface Golden {
  title?: string;
  /** The upstream file, relative to the method's fixture folder. */
  input: string;
  /** Members and indexes leading from that file's JSON to the native document. */
  inputPath: Array<string | number>;
  didDocument: DIDDocument;
  didDocumentMetadata: JsonObject;
  rules: string[];
}

/** Readers of one method's fixture folder. */
export function methodFixtures(method: string) {
  const folder = new URL(`../../fixtures/${method}/`, import.meta.url);
  const readText = (path: string) => readFileSync(new URL(path, folder), 'utf8');
  const readJson = (path: string) => JSON.parse(readText(path)) as unknown;
  /** Every golden, by file name, in name order. */
  const goldens: Array<[string, Golden]> = readdirSync(new URL('expected/', folder))
    .sort()
    .map((name) => [name, readJson(`expected/${name}`) as Golden]);
  /** The native document a golden translates. */
  const inputOf = (golden: Golden): unknown => {
    let value = readJson(golden.input) as never;
    for (const step of golden.inputPath) value = value[step];
    return value;
  };
  return { folder, readText, readJson, goldens, inputOf };
}
