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
 *
 * Every translated object (the document, each key, each service) gets an index and most lookups only want a value,
 * so the index keeps the names and reads values from the object when asked; a {@link FoundMember} is made for a
 * member only when one is asked for (then always the same object for that member).
 */
export class MemberIndex {
  /** The member names in input order. */
  private readonly names: string[];
  /** The folded name of each member, same positions (the `names` array itself when no name folds to another). */
  private readonly keys: string[];
  /** The FoundMember of each position, made on first request. */
  private readonly found: Array<FoundMember | undefined>;
  private allFound: FoundMember[] | undefined;
  /** Folded name → position of the chosen member; built only for objects with many members (small ones are scanned). */
  private readonly byKey: Map<string, number> | undefined;
  private readonly ignoreCase: boolean;

  constructor(
    private readonly object: JsonObject,
    options: MemberIndexOptions = {},
  ) {
    this.ignoreCase = options.ignoreCase ?? false;
    const names = Object.keys(object);
    const count = names.length;
    this.names = names;
    let keys = names;
    for (let i = 0; i < count; i++) {
      const key = this.keyOf(names[i]!);
      if (key === names[i]) continue;
      if (keys === names) keys = names.slice();
      keys[i] = key;
    }
    this.keys = keys;
    this.found = new Array<FoundMember | undefined>(count);
    // Every translated object gets an index, and almost all have a handful of members: a scan of the folded names
    // is cheaper than building a Map for them. Large objects get the Map, so lookups stay constant-time.
    if (count > SCAN_LIMIT) {
      this.byKey = new Map();
      for (let i = 0; i < count; i++) {
        const key = keys[i]!;
        const existing = this.byKey.get(key);
        if (existing === undefined || (names[existing] !== key && names[i] === key)) this.byKey.set(key, i);
      }
    }
  }

  /** Every member, in input order. */
  get all(): FoundMember[] {
    if (this.allFound === undefined) {
      const all = new Array<FoundMember>(this.names.length);
      for (let i = 0; i < all.length; i++) all[i] = this.memberAt(i);
      this.allFound = all;
    }
    return this.allFound;
  }

  /** How many members the object has. */
  get size(): number {
    return this.names.length;
  }

  /** The name, as written, of the member at `index` of {@link all}. */
  nameAt(index: number): string {
    return this.names[index]!;
  }

  /** The folded name of the member at `index` of {@link all} (its name trimmed, and lower-cased with `ignoreCase`). */
  foldedName(index: number): string {
    return this.keys[index]!;
  }

  private memberAt(index: number): FoundMember {
    let member = this.found[index];
    if (member === undefined) {
      const name = this.names[index]!;
      member = { name, value: this.object[name] as JsonValue };
      this.found[index] = member;
    }
    return member;
  }

  private keyOf(name: string): string {
    // Most names start and end with a printable ASCII character and so have nothing to trim.
    const first = name.charCodeAt(0);
    const last = name.charCodeAt(name.length - 1);
    const trimmed = first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? name : name.trim();
    return this.ignoreCase ? trimmed.toLowerCase() : trimmed;
  }

  /** The position in {@link all} of the member whose folded name is `name`, or -1. */
  position(name: string): number {
    const key = this.keyOf(name);
    if (this.byKey !== undefined) return this.byKey.get(key) ?? -1;
    // The same choice as the Map: the member written exactly as the key, else the first that folds to it.
    let first = -1;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] !== key) continue;
      if (this.names[i] === key) return i;
      if (first < 0) first = i;
    }
    return first;
  }

  /** The member whose folded name is `name`, or undefined. */
  get(name: string): FoundMember | undefined {
    const index = this.position(name);
    return index < 0 ? undefined : this.memberAt(index);
  }

  /** The value of the member `name`, or undefined. */
  value(name: string): JsonValue | undefined {
    const index = this.position(name);
    return index < 0 ? undefined : (this.object[this.names[index]!] as JsonValue);
  }

  /** Members that are not the chosen member of any of `names` (unknown members and shadowed duplicates). */
  others(names: readonly string[]): FoundMember[] {
    // A member is the chosen member of one of `names` when its folded name is one of theirs and it is the member
    // that name finds: one pass over the members instead of a lookup per name (the name lists are long). A member
    // written exactly as its folded name is the one that name finds (member names are unique, and the exact spelling
    // wins), so only the others need a lookup.
    const folded = this.foldedNames(names);
    const out: FoundMember[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (!folded.has(key) || (this.names[i] !== key && this.position(key) !== i)) out.push(this.memberAt(i));
    }
    return out;
  }

  private foldedNames(names: readonly string[]): ReadonlySet<string> {
    // The name lists are mostly module constants: their folded sets are kept (per list and folding).
    const cache = this.ignoreCase ? FOLDED_LOWER : FOLDED;
    let set = cache.get(names);
    if (set === undefined) {
      set = new Set(names.map((n) => this.keyOf(n)));
      if (Object.isFrozen(names)) cache.set(names, set);
    }
    return set;
  }
}

/** Folded-name sets of frozen name lists, for {@link MemberIndex.others}. */
const FOLDED = new WeakMap<readonly string[], ReadonlySet<string>>();
const FOLDED_LOWER = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Objects with at most this many members are looked up by scanning instead of through a Map. */
const SCAN_LIMIT = 16;

/** `JSON.stringify` of a string without the call when nothing needs escaping (the core's; re-exported for this folder). */
export { jsonString } from '../../src/util/json.js';

/** Trims a string value; other values are returned unchanged. */
export function trimmed<T>(value: T): T {
  return (typeof value === 'string' ? value.trim() : value) as T;
}

/** Whether two JSON values have the same content (member order ignored, array order significant). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
