/**
 * Opens an HTML conformance report (conformance/reporters/html.ts) inside the console. The report is a page of its
 * own with inline script and style, which the console's Content-Security-Policy would block anyway; rather than
 * loosening the policy, the report's body is parsed (DOMParser: nothing runs, nothing loads), cleaned of anything
 * active (scripts, styles, frames, forms, event-handler and style attributes, non-http links), its ids are prefixed so
 * they cannot collide with the console's, and the console adds the report's behaviour itself: a matrix cell opens the
 * drill-down of its checks, and selecting a change record focuses both ends of it.
 */
import { h } from './dom.js';

/** The id prefix given to the report's elements. */
export const ID_PREFIX = 'report-';

/** Elements that can run code, load resources, submit data or restyle the console: dropped with their content. */
const DROPPED = 'script, style, link, meta, base, iframe, frame, frameset, object, embed, applet, form, template, noscript, svg, math, img, video, audio, source, picture, canvas';

/** Whether a parsed document is a didbridge conformance report. */
function isReport(doc: Document): boolean {
  return doc.querySelector('table#matrix') !== null && /didbridge conformance/i.test(doc.title);
}

/** Removes what could act, keeps text and structure. */
function sanitise(root: Element): void {
  for (const el of root.querySelectorAll(DROPPED)) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const attribute of [...el.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'src' || name === 'srcset' || name === 'srcdoc' || name === 'formaction' || name === 'action') {
        el.removeAttribute(attribute.name);
      } else if (name === 'href') {
        const value = attribute.value.trim();
        if (!/^(https?:\/\/|#)/i.test(value)) el.removeAttribute(attribute.name);
        else if (value.startsWith('#')) el.setAttribute('href', `#${ID_PREFIX}${value.slice(1)}`);
        else {
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer');
        }
      } else if (name === 'id' || name === 'for' || name === 'aria-controls' || name === 'aria-labelledby' || name === 'aria-describedby') {
        el.setAttribute(attribute.name, attribute.value.split(/\s+/).filter(Boolean).map((id) => ID_PREFIX + id).join(' '));
      }
    }
    if (el.tagName === 'BUTTON') el.setAttribute('type', 'button');
  }
}

/** Heading levels inside the console: the report's page title and sections sit under the view's own h2. */
const HEADING_LEVELS: Readonly<Record<string, string>> = { H1: 'h3', H2: 'h3', H3: 'h4', H4: 'h5', H5: 'h6' };

function demoteHeadings(root: Element): void {
  for (const heading of [...root.querySelectorAll('h1, h2, h3, h4, h5')]) {
    const replacement = heading.ownerDocument.createElement(HEADING_LEVELS[heading.tagName]!);
    for (const attribute of [...heading.attributes]) replacement.setAttribute(attribute.name, attribute.value);
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
}

/** Adds the report's behaviour: matrix → drill-down, show all, change focus. */
function wire(container: HTMLElement): void {
  const byId = (id: string) => container.querySelector<HTMLElement>(`#${ID_PREFIX}${id}`);
  const title = byId('drill-title');
  const drill = byId('drill');
  if (drill) drill.tabIndex = -1;
  const show = (row: string | null, section: string | null) => {
    let any = false;
    for (const details of container.querySelectorAll<HTMLDetailsElement>('details.check')) {
      const match = details.getAttribute('data-section') === section;
      details.hidden = !match;
      if (!match) continue;
      any = true;
      details.open = true;
      for (const tr of details.querySelectorAll('tbody tr')) tr.classList.toggle('hidden', tr.getAttribute('data-row') !== row);
    }
    if (title) title.textContent = any ? `${row} × ${section}` : '—';
    drill?.focus();
    drill?.scrollIntoView({ block: 'start' });
  };
  for (const button of container.querySelectorAll<HTMLButtonElement>('#' + ID_PREFIX + 'matrix button')) {
    button.addEventListener('click', () => show(button.getAttribute('data-row'), button.getAttribute('data-section')));
  }
  byId('show-all')?.addEventListener('click', () => {
    for (const details of container.querySelectorAll<HTMLDetailsElement>('details.check')) {
      details.hidden = false;
      for (const tr of details.querySelectorAll('tbody tr')) tr.classList.remove('hidden');
    }
    if (title) title.textContent = '';
  });
  for (const translation of container.querySelectorAll('details.translation')) {
    for (const tr of translation.querySelectorAll<HTMLTableRowElement>('tr.change')) {
      const cls = tr.getAttribute('data-change');
      if (!cls || !/^c\d+$/.test(cls)) continue;
      // Rows become keyboard-reachable: Tab to a change, Enter or Space to focus both of its ends.
      tr.tabIndex = 0;
      const toggle = () => {
        const on = !tr.classList.contains('focus');
        for (const el of translation.querySelectorAll('.focus')) el.classList.remove('focus');
        if (!on) return;
        tr.classList.add('focus');
        for (const el of translation.querySelectorAll(`.${cls}`)) el.classList.add('focus');
      };
      tr.addEventListener('click', toggle);
      tr.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          toggle();
        }
      });
    }
  }
}

/**
 * Parses an HTML report into a cleaned, wired element. Throws Error when the text is not a didbridge conformance
 * report.
 */
export function importHtmlReport(html: string): HTMLElement {
  // Chromium checks the page's CSP while parsing style elements, even in an inert document: they are cut from the
  // text first (the sanitiser removes anything else of the kind after parsing).
  const doc = new DOMParser().parseFromString(html.replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, ''), 'text/html');
  if (!isReport(doc)) throw new Error('no didbridge conformance matrix in this HTML file');
  sanitise(doc.body);
  demoteHeadings(doc.body);
  const container = h('div', { class: 'html-report' });
  for (const node of [...doc.body.childNodes]) container.appendChild(document.importNode(node, true));
  wire(container);
  return container;
}
