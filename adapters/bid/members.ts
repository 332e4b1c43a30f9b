/**
 * Tolerant reading of JSON objects from domestic upstreams.
 *
 * The BID specification's own examples carry member names with stray whitespace (`"delegateSign "`), leading spaces
 * in values (`proof.creator`, `proof.signatureValue`) and duplicated members (domestic-methods.md §4.3); WeIdentity
 * writes the same envelope member in two cases (§3.6). A reader that matched names exactly would reject documents
 * the upstream itself produces, so member names are matched after trimming (and, for envelopes, case-folding),
 * while the name actually found is reported back so translations can record and reverse the repair.
 */
import type { JsonObject, JsonValue } from '../../src/spec.js';
import { canonicalJson } from '../../src/util/json.js';

/** The generic JSON helpers live in the core; re-exported for this adapter family's modules. */
export { canonicalJson, isJsonObject, kindOf } from '../../src/util/json.js';

/** One member found by a tolerant lookup: the name as it was written and its value. */
export interface FoundMember {
  /** The member name exactly as written in the input (possibly with whitespace or another case). */
  name: string;
  value: JsonValue;
}

/** Options of {@link memberIndex}. */
export interface MemberIndexOptions {
  /** Match names case-insensitively too (envelopes; never document members, whose case is significant). */
  ignoreCase?: boolean;
}

/**
 * Indexes an object's members by their trimmed (optionally lower-cased) names. When two names fold to the same key,
 * the one written exactly as the key wins, else the first; the others stay reachable through {@link MemberIndex.all}.
 */
export class MemberIndex {
  private readonly byKey = new Map<string, FoundMember>();
  /** Every member, in input order. */
  readonly all: FoundMember[];
  private readonly ignoreCase: boolean;

  constructor(object: JsonObject, options: MemberIndexOptions = {}) {
    this.ignoreCase = options.ignoreCase ?? false;
    this.all = Object.keys(object).map((name) => ({ name, value: object[name] as JsonValue }));
    for (const member of this.all) {
      const key = this.keyOf(member.name);
      const existing = this.byKey.get(key);
      if (!existing || (existing.name !== key && member.name === key)) this.byKey.set(key, member);
    }
  }

  private keyOf(name: string): string {
    const trimmed = name.trim();
    return this.ignoreCase ? trimmed.toLowerCase() : trimmed;
  }

  /** The member whose folded name is `name`, or undefined. */
  get(name: string): FoundMember | undefined {
    return this.byKey.get(this.keyOf(name));
  }

  /** The value of the member `name`, or undefined. */
  value(name: string): JsonValue | undefined {
    return this.get(name)?.value;
  }

  /** Members that are not the chosen member of any of `names` (unknown members and shadowed duplicates). */
  others(names: readonly string[]): FoundMember[] {
    const chosen = new Set(names.map((n) => this.get(n)).filter((m): m is FoundMember => m !== undefined));
    return this.all.filter((m) => !chosen.has(m));
  }
}

/** Trims a string value; other values are returned unchanged. */
export function trimmed<T>(value: T): T {
  return (typeof value === 'string' ? value.trim() : value) as T;
}

/** Whether two JSON values have the same content (member order ignored, array order significant). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
