/**
 * Change records (`didResolutionMetadata.didbridgeChanges`) as the console shows them: each has a JSON pointer
 * `from` into the original upstream record and `to` into the W3C result, where `#metadata/...` points into the DID
 * document metadata (src/translation.ts). Pure functions, no DOM: the tests run them in Node.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901 (JSON Pointer)
 */

/** A change record read defensively (a driver or report file may hold anything). */
export interface ChangeView {
  rule: string;
  from: string | null;
  to: string | null;
  reason: string;
  spec?: string;
}

/** Where a `to` pointer lands: the document, or the document metadata. */
export interface Target {
  pane: 'document' | 'metadata';
  /** The pointer inside that pane's JSON (`''` is the whole value). */
  pointer: string;
}

/** The prefix of `to` pointers into the document metadata. */
export const METADATA_PREFIX = '#metadata';

/** Reads change records from unknown JSON; entries that are not objects are dropped. */
export function readChanges(value: unknown): ChangeView[] {
  if (!Array.isArray(value)) return [];
  const out: ChangeView[] = [];
  for (const c of value) {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) continue;
    const r = c as Record<string, unknown>;
    out.push({
      rule: typeof r.rule === 'string' ? r.rule : '(no rule)',
      from: typeof r.from === 'string' ? r.from : null,
      to: typeof r.to === 'string' ? r.to : null,
      reason: typeof r.reason === 'string' ? r.reason : '',
      ...(typeof r.spec === 'string' ? { spec: r.spec } : {}),
    });
  }
  return out;
}

/** Splits a `to` pointer into its pane and the pointer inside it. */
export function targetOf(to: string): Target {
  if (to === METADATA_PREFIX || to.startsWith(`${METADATA_PREFIX}/`)) return { pane: 'metadata', pointer: to.slice(METADATA_PREFIX.length) };
  return { pane: 'document', pointer: to };
}

/** Escapes one reference token (RFC 6901 §3). */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The pointer of a child: `child('/a', 'b/c')` → `/a/b~1c`. */
export function child(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(token)}`;
}

/**
 * Which changes mark which pointers, per pane: `{ original: Map<pointer, change indexes>, document: …, metadata: … }`.
 * A change with a null `from` (something added) marks nothing in the original; a null `to` (something dropped)
 * marks nothing in the result.
 */
export function changeMarks(changes: readonly ChangeView[]): Record<'original' | 'document' | 'metadata', Map<string, number[]>> {
  const marks = { original: new Map<string, number[]>(), document: new Map<string, number[]>(), metadata: new Map<string, number[]>() };
  const add = (map: Map<string, number[]>, pointer: string, index: number) => map.set(pointer, [...(map.get(pointer) ?? []), index]);
  changes.forEach((c, i) => {
    if (c.from !== null) add(marks.original, c.from, i);
    if (c.to !== null) {
      const { pane, pointer } = targetOf(c.to);
      add(marks[pane], pointer, i);
    }
  });
  return marks;
}

/**
 * The JSON pointers of every member and item of a value, in document order (what the JSON view can highlight).
 * Bounded by depth, as the view is.
 */
export function pointersOf(value: unknown, base = '', depth = 0, out: string[] = []): string[] {
  out.push(base);
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) value.forEach((v, i) => pointersOf(v, child(base, i), depth + 1, out));
  else for (const [k, v] of Object.entries(value)) pointersOf(v, child(base, k), depth + 1, out);
  return out;
}

/** The deepest nesting the JSON view renders. */
export const MAX_DEPTH = 64;
