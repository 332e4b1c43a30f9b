/**
 * JSON rendered as indented text in which every member and array item is its own element, indexed by its JSON
 * pointer, so that change records and keys can be highlighted where they point. Built with text nodes only.
 */
import { child, MAX_DEPTH } from './changes.js';
import { h } from './dom.js';
import { bindAttribute, type MessageKey } from './i18n.js';

/** A rendered JSON value and the element of each pointer in it. */
export interface JsonView {
  /** A focusable, scrollable `<pre>` (keyboard users can scroll it). */
  element: HTMLPreElement;
  /** Pointer → the element spanning that member or item (`''` → the whole value). */
  nodes: Map<string, HTMLElement>;
}

/** Longest string shown in full; longer ones are cut, with the whole value in the tooltip. */
const MAX_STRING = 2000;

function scalar(value: unknown): HTMLElement {
  if (typeof value === 'string') {
    const text = JSON.stringify(value);
    const shown = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…"` : text;
    return h('span', { class: 'json-string', title: text.length > MAX_STRING ? value.slice(0, 10_000) : undefined }, shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return h('span', { class: 'json-literal' }, String(value));
  if (value === null) return h('span', { class: 'json-literal' }, 'null');
  return h('span', { class: 'json-literal' }, value === undefined ? 'undefined' : String(value));
}

/**
 * Renders a value. `base` prefixes every pointer (`'#metadata'` would make `/created` `#metadata/created`; the
 * console keeps panes separate and passes `''`).
 *
 * @example
 * const { element, nodes } = renderJson(doc, { label: 'pane.document' })
 * nodes.get('/verificationMethod/0')?.classList.add('mark')
 */
export function renderJson(value: unknown, options: { label: MessageKey; base?: string }): JsonView {
  const nodes = new Map<string, HTMLElement>();
  const render = (v: unknown, pointer: string, indent: string, depth: number): HTMLElement => {
    const wrapper = h('span', { class: 'jv' });
    nodes.set(pointer, wrapper);
    if (depth >= MAX_DEPTH && v !== null && typeof v === 'object') {
      wrapper.append('…');
      return wrapper;
    }
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        wrapper.append('[]');
        return wrapper;
      }
      wrapper.append('[\n');
      v.forEach((item, i) => {
        wrapper.append(inner, render(item, child(pointer, i), inner, depth + 1), i < v.length - 1 ? ',\n' : '\n');
      });
      wrapper.append(`${indent}]`);
      return wrapper;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) {
        wrapper.append('{}');
        return wrapper;
      }
      wrapper.append('{\n');
      entries.forEach(([k, item], i) => {
        const member = render(item, child(pointer, k), inner, depth + 1);
        // The member's element spans its name too, so a highlight shows which member changed.
        member.prepend(h('span', { class: 'json-key' }, JSON.stringify(k)), ': ');
        wrapper.append(inner, member, i < entries.length - 1 ? ',\n' : '\n');
      });
      wrapper.append(`${indent}}`);
      return wrapper;
    }
    wrapper.append(scalar(v));
    return wrapper;
  };
  const root = render(value, options.base ?? '', '', 0);
  const element = h('pre', { class: 'json', tabindex: 0, role: 'region' }, root);
  bindAttribute(element, 'aria-label', options.label);
  return { element, nodes };
}
