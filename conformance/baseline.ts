/**
 * The baseline: known deviations, as a JSON array of `{ check, target, reason }`. A failing check listed here does not
 * fail the run; the report still shows it (as hidden by the baseline), and lists entries that no longer fail so the
 * baseline shrinks as methods are fixed. This is the per-method expected-failure ledger of peers.md §7.
 */
import { readFile } from 'node:fs/promises';
import { parseJsonSafe } from '../src/util/json.js';

/** One known deviation. */
export interface BaselineEntry {
  /** Check id, e.g. `did-core.vm.jwk-no-private`. */
  check: string;
  /** Target id, e.g. `translated-fixture:bid-sample`. */
  target: string;
  /** Why it is accepted for now (an issue link, an upstream limitation). */
  reason: string;
}

/** Looks entries up by check and target. */
export class Baseline {
  readonly entries: readonly BaselineEntry[];
  private readonly byKey: Map<string, BaselineEntry>;

  constructor(entries: readonly BaselineEntry[] = []) {
    this.byKey = new Map();
    for (const entry of entries) {
      const key = Baseline.key(entry.check, entry.target);
      if (this.byKey.has(key)) {
        throw new TypeError(`baseline lists check "${entry.check}" for target "${entry.target}" twice`);
      }
      this.byKey.set(key, entry);
    }
    this.entries = [...entries];
  }

  /** The entry for a check and target, if any. */
  find(check: string, target: string): BaselineEntry | undefined {
    return this.byKey.get(Baseline.key(check, target));
  }

  private static key(check: string, target: string): string {
    return `${check}\u0000${target}`;
  }
}

/**
 * Validates baseline JSON (`[{ check, target, reason }]`). Throws TypeError naming `source` and the entry index.
 */
export function parseBaseline(value: unknown, source = 'baseline'): Baseline {
  if (!Array.isArray(value)) throw new TypeError(`${source}: a baseline is a JSON array of { check, target, reason }`);
  const entries = value.map((item: unknown, index): BaselineEntry => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new TypeError(`${source}[${index}]: an entry is an object { check, target, reason }`);
    }
    const record = item as Record<string, unknown>;
    for (const key of ['check', 'target', 'reason']) {
      if (typeof record[key] !== 'string' || (record[key] as string).trim() === '') {
        throw new TypeError(`${source}[${index}]: "${key}" must be a non-empty string`);
      }
    }
    const extra = Object.keys(record).filter((k) => k !== 'check' && k !== 'target' && k !== 'reason');
    if (extra.length > 0) throw new TypeError(`${source}[${index}]: unknown member(s) ${extra.join(', ')}`);
    return { check: record.check as string, target: record.target as string, reason: record.reason as string };
  });
  return new Baseline(entries);
}

/** Reads and validates a baseline file. */
export async function loadBaseline(path: string): Promise<Baseline> {
  return parseBaseline(parseJsonSafe(await readFile(path, 'utf8'), {}, 'INVALID_OPTIONS'), path);
}
