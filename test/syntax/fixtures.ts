/**
 * Loads the DID / DID URL syntax vectors of fixtures/syntax/ (see the `description` of each file).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/syntax/', import.meta.url));

export interface Source {
  repo: string;
  commit: string;
  paths: string[];
}

export interface InvalidVector {
  value: unknown;
  reason: string;
  spec: string;
  origin: string;
  /** did-urls.json only: refused by the parser (`syntax`) or by the DID parameter rules (`did-parameter`). */
  layer?: 'syntax' | 'did-parameter';
}

export interface Disagreement {
  value: string;
  abnf: string;
  didTestSuite: string;
  reason: string;
  /** Our parser's verdict. */
  didbridge: 'valid' | 'invalid';
  /** What dereference() answers, where the parameter rules decide. */
  didbridgeDereference?: string;
}

export interface DidsFixture {
  source: Source;
  valid: Array<{ value: string; origin: string; method: string; methodSpecificId: string }>;
  invalid: InvalidVector[];
  generated: Array<{
    name: string;
    prefix: string;
    repeat: string;
    suffix?: string;
    length: number;
    expect: 'valid' | 'invalid';
    maxLength?: number;
    reason?: string;
  }>;
  disagreements: Disagreement[];
}

export interface DidUrlsFixture {
  source: Source;
  valid: Array<{
    value: string;
    origin: string;
    did: string;
    path: string;
    query?: string;
    fragment?: string;
    params?: Array<[string, string]>;
  }>;
  invalid: InvalidVector[];
  disagreements: Disagreement[];
}

export function loadDids(): DidsFixture {
  return JSON.parse(readFileSync(dir + 'dids.json', 'utf8')) as DidsFixture;
}

export function loadDidUrls(): DidUrlsFixture {
  return JSON.parse(readFileSync(dir + 'did-urls.json', 'utf8')) as DidUrlsFixture;
}

/** Builds a generated vector: prefix, then `repeat` as often as fits in `length` with the suffix, then the suffix. */
export function buildGenerated(g: DidsFixture['generated'][number]): string {
  const suffix = g.suffix ?? '';
  const times = Math.floor((g.length - g.prefix.length - suffix.length) / g.repeat.length);
  return g.prefix + g.repeat.repeat(times) + suffix;
}
