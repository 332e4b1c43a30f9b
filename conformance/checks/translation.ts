/**
 * Translation checks, for the domestic methods whose native documents deviate from DID Core: the adapter
 * recognises its method's documents, translates them, records every change with pointers that locate it on both
 * sides, and produces exactly what the fixture's golden file records. The translated document itself goes through
 * the DID Core checks as a `document` observation.
 *
 * These are didbridge's own requirements (the adapter contract of `src/adapter.ts`), each resting on the DID Core
 * statement that makes it necessary; golden files live in `fixtures/<method>/expected/`.
 */
import { getAtPointer } from '../../src/translation.js';
import { OutcomeCollector, type Check, type CheckOutcome, type TranslationUnderTest } from '../catalogue.js';
import { describeDifference, has, isMap, jsonDiff, show, typeName } from './shared.js';

const TR = 'https://www.w3.org/TR/did-core/';

type TranslationCheck = Check<'translation'>;

function translationCheck(
  info: Omit<TranslationCheck, 'subject' | 'run'>,
  run: (input: TranslationUnderTest, out: OutcomeCollector) => string,
): TranslationCheck {
  return {
    ...info,
    subject: 'translation',
    run(input: TranslationUnderTest): CheckOutcome[] {
      const out = new OutcomeCollector();
      if (input.adapter === undefined) {
        out.skip(undefined, `no adapter serves did:${input.method} in this build`);
        return out.done('');
      }
      return out.done(run(input, out));
    },
  };
}

/** Whether the fixture is known to be a native document: it has a golden file, or the adapter recognises it. */
function isNativeDocument(input: TranslationUnderTest): boolean {
  return input.golden !== undefined || input.recognised === true;
}

const recognised = translationCheck(
  {
    id: 'didbridge.translation.recognised',
    section: `${TR}#conformance`,
    level: 'MUST',
    statement: "A method's adapter MUST recognise every native document of its method that a golden file records.",
    source: 'derived',
    note:
      'The adapter contract (src/adapter.ts: recognise) is how `didbridge translate` and the conformance suite find ' +
      'the adapter for a document; a native document it does not recognise cannot be brought to DID Core ' +
      'conformance at all. Upstream files without a golden file (requests, error envelopes) may go unrecognised.',
  },
  (input, out) => {
    if (input.golden === undefined) return 'no golden file declares this a native document';
    if (input.recognised === undefined) return 'the adapter has no recognise()';
    if (input.recognised) out.pass('');
    else out.fail('', `the did:${input.method} adapter does not recognise this document (${input.goldenLabel ?? 'a golden file'} records its translation)`);
    return '';
  },
);

const translates = translationCheck(
  {
    id: 'didbridge.translation.produces',
    section: `${TR}#production-and-consumption`,
    level: 'MUST',
    statement:
      'An adapter MUST translate every native document of its method it recognises into a DID document, its DID ' +
      'document metadata and the list of changes made.',
    source: 'derived',
    note:
      'DID Core §6.1: "A conforming producer MUST take a DID document data model and a representation-specific ' +
      'entries map as input into the production process"; a domestic document becomes that data model only through ' +
      'translation (src/adapter.ts: translate returns { didDocument, didDocumentMetadata, changes }).',
  },
  (input, out) => {
    if (!isNativeDocument(input)) return 'not a native document of this method (no golden file, not recognised)';
    if (!input.canTranslate) {
      out.skip('', `the did:${input.method} adapter has no translate()`);
      return '';
    }
    if (input.error !== undefined) {
      out.fail('', `translate() threw: ${input.error}`);
      return '';
    }
    const t = input.translation;
    if (!t || !isMap(t.didDocument)) out.fail('', `translate() returned no DID document (${typeName(t?.didDocument)})`);
    else if (!isMap(t.didDocumentMetadata)) out.fail('#metadata', `the metadata is ${typeName(t.didDocumentMetadata)}, not a map`);
    else if (!Array.isArray(t.changes)) out.fail('#changes', `changes is ${typeName(t.changes)}, not a list`);
    else out.pass('');
    return '';
  },
);

/** Whether a change-record pointer is well formed: '' or '/…' (RFC 6901), or `#metadata` + one. */
function pointerTarget(pointer: string, document: unknown, metadata: unknown): { found: boolean } | { malformed: string } {
  if (pointer.startsWith('#metadata')) {
    const rest = pointer.slice('#metadata'.length);
    if (rest !== '' && !rest.startsWith('/')) return { malformed: 'a #metadata pointer continues with "/"' };
    return { found: getAtPointer(metadata, rest) !== undefined };
  }
  if (pointer !== '' && !pointer.startsWith('/')) return { malformed: 'a JSON pointer is empty or starts with "/"' };
  return { found: getAtPointer(document, pointer) !== undefined };
}

const changePointers = translationCheck(
  {
    id: 'didbridge.translation.change-pointers',
    section: 'https://www.rfc-editor.org/rfc/rfc6901#section-4',
    level: 'MUST',
    statement:
      'Each change record MUST name its rule and reason, and its from and to pointers (when not null) MUST identify a ' +
      'value in the native document and in the translated document (or, for #metadata/…, its metadata).',
    source: 'derived',
    note:
      'RFC 6901 §4: "If a referenced member name is not unique in an object, or if a reference token … does not ' +
      'identify a value, … evaluation … fails"; the change record is what shows a method author and a reviewer what ' +
      'translation changed (the HTML report highlights both sides by these pointers), so a pointer that resolves to ' +
      'nothing hides the change.',
  },
  (input, out) => {
    const t = input.translation;
    if (!t || !Array.isArray(t.changes)) return 'there is no change list (see didbridge.translation.produces)';
    t.changes.forEach((change: unknown, i: number) => {
      const at = `#changes/${i}`;
      if (!isMap(change)) {
        out.fail(at, `change ${i} is ${typeName(change)}, not a change record`);
        return;
      }
      const problems: string[] = [];
      if (typeof change.rule !== 'string' || change.rule === '') problems.push('no rule');
      if (typeof change.reason !== 'string' || change.reason.trim() === '') problems.push('no reason');
      for (const side of ['from', 'to'] as const) {
        if (!has(change, side)) {
          problems.push(`no "${side}" (null when there is nothing on that side)`);
          continue;
        }
        const value = change[side];
        if (value === null) continue;
        if (typeof value !== 'string') {
          problems.push(`"${side}" is ${typeName(value)}`);
          continue;
        }
        const target =
          side === 'from'
            ? value.startsWith('#metadata')
              ? { malformed: 'a "from" pointer points into the native document, not #metadata' }
              : pointerTarget(value, input.original, undefined)
            : pointerTarget(value, t.didDocument, t.didDocumentMetadata);
        if ('malformed' in target) problems.push(`"${side}" ${show(value)}: ${target.malformed}`);
        else if (!target.found) {
          problems.push(`"${side}" ${show(value)} identifies nothing in the ${side === 'from' ? 'native' : 'translated'} document`);
        }
      }
      if (problems.length === 0) out.pass(at);
      else out.fail(at, `${typeof change.rule === 'string' ? change.rule : `change ${i}`}: ${problems.join('; ')}`);
    });
    return 'the translation made no change';
  },
);

/** Members of the metadata a golden file may leave out: didbridge extension data (preserved originals, fingerprints). */
function isDidbridgeExtension(name: string): boolean {
  return name.startsWith('didbridge');
}

const golden = translationCheck(
  {
    id: 'didbridge.translation.golden',
    section: `${TR}#conformance`,
    level: 'MUST',
    statement:
      "A native document's translation MUST equal its golden file: the DID document, the DID document metadata and " +
      'the set of rules applied.',
    source: 'derived',
    note:
      'A regression oracle rather than a spec statement: golden files in fixtures/<method>/expected/ are reviewed ' +
      'translations of published samples, so any change to what a method produces shows here with a diff. Metadata ' +
      'members named didbridge* (preserved originals with fingerprints) are compared only when the golden file has ' +
      'them; rules are compared as a sorted set; changes (whole and in order, or as a multiset of [rule, from, to] ' +
      'triples) and preserved are compared when the golden file pins them.',
  },
  (input, out) => {
    const g = input.golden;
    if (g === undefined) {
      if (input.recognised === true) out.skip('', `no golden file for this did:${input.method} document yet`);
      return 'no golden file (not a native document of this method)';
    }
    const t = input.translation;
    if (!t) return 'there is no translation (see didbridge.translation.produces)';
    const label = input.goldenLabel ?? 'the golden file';
    let differences = 0;
    const report = (pointer: string, why: string) => {
      differences++;
      if (differences <= 12) out.fail(pointer, `differs from ${label}: ${why}`);
    };
    for (const d of jsonDiff(g.didDocument, t.didDocument, 12)) report(d.pointer, describeDifference(d));
    if (g.didDocumentMetadata !== undefined) {
      let actual = t.didDocumentMetadata;
      if (isMap(actual) && isMap(g.didDocumentMetadata)) {
        const expected = g.didDocumentMetadata;
        actual = Object.fromEntries(Object.entries(actual).filter(([k]) => !isDidbridgeExtension(k) || has(expected, k)));
      }
      for (const d of jsonDiff(g.didDocumentMetadata, actual, 12, '#metadata')) report(d.pointer, describeDifference(d));
    }
    if (g.rules !== undefined && Array.isArray(t.changes)) {
      const rules = [...new Set(t.changes.map((c: unknown) => (isMap(c) ? c.rule : undefined)).filter((r): r is string => typeof r === 'string'))].sort();
      const expected = [...new Set(g.rules)].sort();
      const missing = expected.filter((r) => !rules.includes(r));
      const extra = rules.filter((r) => !expected.includes(r));
      if (missing.length > 0) report('#changes', `rules not applied: ${missing.join(', ')}`);
      if (extra.length > 0) report('#changes', `rules applied that the golden file does not list: ${extra.join(', ')}`);
    }
    if (g.changes !== undefined && Array.isArray(t.changes)) {
      // Golden files pin changes whole (compared in order), or as [rule, from, to] triples (compared as a multiset:
      // what each change does and where, not the order the translator found them in).
      const triples = Array.isArray(g.changes) && g.changes.length > 0 && g.changes.every((c) => Array.isArray(c));
      if (triples) {
        const key = (c: unknown) => JSON.stringify(c);
        const actual = t.changes.map((c: unknown) => key(isMap(c) ? [c.rule, c.from ?? null, c.to ?? null] : c));
        const expected = (g.changes as unknown[]).map(key);
        const remaining = [...actual];
        const missing: string[] = [];
        for (const e of expected) {
          const i = remaining.indexOf(e);
          if (i < 0) missing.push(e);
          else remaining.splice(i, 1);
        }
        if (missing.length > 0) report('#changes', `changes [rule, from, to] not made: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
        if (remaining.length > 0) report('#changes', `changes the golden file does not list: ${remaining.slice(0, 5).join(', ')}${remaining.length > 5 ? ', …' : ''}`);
      } else {
        for (const d of jsonDiff(g.changes, t.changes, 12, '#changes')) report(d.pointer, describeDifference(d));
      }
    }
    if (g.preserved !== undefined) {
      for (const d of jsonDiff(g.preserved, t.preserved, 12, '#preserved')) report(d.pointer, describeDifference(d));
    }
    if (differences > 12) out.fail('', `and ${differences - 12} more differences`);
    if (differences === 0) out.pass('');
    return '';
  },
);

/** The translation checks, in catalogue order. */
export const TRANSLATION_CHECKS: readonly TranslationCheck[] = [recognised, translates, changePointers, golden];
