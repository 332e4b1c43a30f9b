/**
 * Resolve: a DID or DID URL box, the deployment's test identifiers one click away, and the answer: the W3C
 * document and its metadata beside the original upstream record, every change record highlighted on both sides,
 * the HTTP status, the time the request took, the driver's response-cache state (`X-Cache`) and the resolver's
 * (`servedFromCache`), and a link to the raw JSON.
 */
import { describeFailure, errorName, identifierUrl, isDidUrl, originalRecord, resolveIdentifier, testIdentifiers, type DriverAnswer } from '../api.js';
import { readChanges } from '../changes.js';
import { renderComparison } from '../compare.js';
import { h, replaceChildren, type Child } from '../dom.js';
import { i18n, text } from '../i18n.js';
import { renderJson } from '../json-view.js';

export interface ResolveView {
  element: HTMLElement;
  /** Fills the box with an identifier and resolves it. */
  resolve(identifier: string): Promise<void>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorBox(...children: Child[]): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, ...children);
}

/** The method of a DID (`did:bid:…` → `bid`). */
function methodOf(did: string): string {
  return did.split(':')[1] ?? '';
}

export function createResolveView(): ResolveView {
  const input = h('input', {
    id: 'did-input',
    name: 'did',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'did-hint',
    placeholder: 'did:method:identifier',
  });
  const noCache = h('input', { id: 'no-cache', type: 'checkbox' });
  const button = h('button', { id: 'resolve-button', type: 'submit', class: 'primary' });
  i18n.bind(button, 'resolve.button');
  const status = h('div', { id: 'resolve-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { id: 'resolve-result' });
  const examples = h('div', { id: 'examples-list', class: 'examples-list' }, h('p', { class: 'note' }, text('resolve.examplesLoading')));

  const form = h(
    'form',
    { id: 'resolve-form', class: 'query', novalidate: true },
    h('label', { for: 'did-input' }, text('resolve.label')),
    h('div', { class: 'query-row' }, input, button),
    h('p', { id: 'did-hint', class: 'hint' }, text('resolve.hint')),
    h('div', { class: 'checkbox' }, noCache, h('label', { for: 'no-cache' }, text('resolve.noCache'))),
  );

  // Answers of earlier requests arriving after a newer one was sent are dropped.
  let generation = 0;

  async function run(identifier: string): Promise<void> {
    const current = ++generation;
    const bypass = noCache.checked;
    replaceChildren(result);
    replaceChildren(status, h('span', { class: 'busy' }, text('resolve.loading', { did: identifier })));
    result.setAttribute('aria-busy', 'true');
    try {
      const url = new URL(window.location.href);
      url.searchParams.set('did', identifier);
      window.history.replaceState(null, '', url);
    } catch {
      /* history is a convenience */
    }
    let answer: DriverAnswer;
    try {
      answer = await resolveIdentifier(identifier, { noCache: bypass });
    } catch (err) {
      if (current !== generation) return;
      replaceChildren(status);
      replaceChildren(result, errorBox(text('resolve.networkError', { error: describeFailure(err) })));
      result.removeAttribute('aria-busy');
      return;
    }
    if (current !== generation) return;
    replaceChildren(status, statusLine(identifier, answer, bypass));
    let body: Child;
    try {
      body = await renderAnswer(identifier, answer, bypass);
    } catch (err) {
      body = errorBox(text('resolve.networkError', { error: describeFailure(err) }));
    }
    if (current !== generation) return;
    replaceChildren(result, body);
    result.removeAttribute('aria-busy');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const identifier = input.value.trim();
    if (identifier === '') {
      replaceChildren(status, h('span', { class: 'error-text' }, text('resolve.empty')));
      input.focus();
      return;
    }
    void run(identifier);
  });

  const element = h(
    'div',
    { class: 'view view-resolve' },
    h('h2', {}, text('resolve.heading')),
    form,
    h('section', { id: 'examples', class: 'examples', 'aria-labelledby': 'examples-heading' }, h('h3', { id: 'examples-heading' }, text('resolve.examples')), h('p', { class: 'hint' }, text('resolve.examplesHint')), examples),
    status,
    result,
  );

  void loadExamples(examples, (did) => {
    input.value = did;
    // The list can be long (a screen and more on a phone): bring the answer into view once it is there.
    void run(did).then(() => {
      const top = status.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight * 0.6) status.scrollIntoView({ block: 'start' });
    });
  });

  return {
    element,
    async resolve(identifier: string) {
      input.value = identifier;
      await run(identifier);
    },
  };
}

/** Loads `/1.0/testIdentifiers` into buttons, one group per method. */
async function loadExamples(container: HTMLElement, go: (did: string) => void): Promise<void> {
  let answer: DriverAnswer;
  try {
    answer = await testIdentifiers();
  } catch (err) {
    replaceChildren(container, h('p', { class: 'error-text' }, text('resolve.examplesFailed', { error: describeFailure(err) })));
    return;
  }
  if (answer.status !== 200 || !isObject(answer.json)) {
    replaceChildren(container, h('p', { class: 'error-text' }, text('resolve.examplesFailed', { error: `HTTP ${answer.status}` })));
    return;
  }
  const groups = Object.entries(answer.json).map(([method, dids]) => {
    const list = Array.isArray(dids) ? dids.filter((d): d is string => typeof d === 'string') : [];
    return h(
      'div',
      { class: 'example-group', 'data-method': method },
      h('span', { class: 'example-method' }, `did:${method}`),
      list.length === 0
        ? h('span', { class: 'note' }, text('resolve.examplesNone'))
        : h(
            'ul',
            { class: 'example-items' },
            list.map((did) => h('li', {}, h('button', { type: 'button', class: 'example', title: did, 'data-did': did, onclick: () => go(did) }, did))),
          ),
    );
  });
  replaceChildren(container, groups);
}

/** Status, timing, cache states and the raw link. */
function statusLine(identifier: string, answer: DriverAnswer, bypass: boolean): HTMLElement {
  const xCache = answer.headers.get('x-cache');
  const cacheState = xCache === 'hit' ? 'resolve.responseCache.hit' : xCache === 'miss' ? 'resolve.responseCache.miss' : 'resolve.responseCache.none';
  const meta = isObject(answer.json) && isObject(answer.json.didResolutionMetadata) ? answer.json.didResolutionMetadata : undefined;
  const served = meta?.servedFromCache;
  const stateText = h('span', {});
  i18n.bind(stateText, cacheState);
  const resolverState = h('span', {});
  if (typeof served === 'boolean') i18n.bind(resolverState, served ? 'resolve.resolverCache.yes' : 'resolve.resolverCache.no');
  // Browsers download `application/did-resolution` rather than show it: the link says so by saving a .json file; the
  // answer as received is also shown in the page (below the result), and the link's URL is the driver's, for curl.
  const fileName = `${identifier.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.json`;
  const raw = h('a', { href: identifierUrl(identifier, { noCache: bypass }), download: fileName, id: 'raw-link' }, text('resolve.raw'));
  return h(
    'div',
    { class: 'facts' },
    h('span', { class: `fact http-${Math.floor(answer.status / 100)}xx`, id: 'resolve-timing', 'data-status': answer.status, 'data-ms': answer.ms }, text('resolve.timing', { status: answer.status, ms: answer.ms })),
    h('span', { class: 'fact', id: 'resolve-cache', 'data-x-cache': xCache ?? 'none' }, text('resolve.responseCache', { state: '' }), stateText),
    typeof served === 'boolean' ? h('span', { class: 'fact', id: 'resolver-cache', 'data-served-from-cache': String(served) }, text('resolve.resolverCache', { state: '' }), resolverState) : null,
    h('span', { class: 'fact' }, raw),
  );
}

/** Renders what the driver answered. */
async function renderAnswer(identifier: string, answer: DriverAnswer, bypass: boolean): Promise<Child> {
  const rawResponse = h('details', { class: 'raw-response' }, h('summary', {}, text('resolve.rawResponse')), h('pre', { class: 'json', tabindex: 0 }, answer.text));
  if (answer.redirected) return h('p', { class: 'note' }, text('resolve.redirect'));
  const body = answer.json;
  if (!isObject(body)) return [errorBox(text('resolve.error', { name: `HTTP ${answer.status}` })), rawResponse];

  if (isDidUrl(identifier)) {
    const meta = isObject(body.dereferencingMetadata) ? body.dereferencingMetadata : {};
    const error = meta.error;
    return [
      error ? errorBox(text('resolve.error', { name: errorName(error) ?? 'error' }), h('p', {}, String((error as { detail?: unknown }).detail ?? ''))) : null,
      h('section', { class: 'pane pane-dereferencing' }, h('h3', {}, text('pane.dereferencing')), renderJson(body, { label: 'pane.dereferencing' }).element),
      rawResponse,
    ];
  }

  const meta = isObject(body.didResolutionMetadata) ? body.didResolutionMetadata : {};
  if (meta.error) {
    const detail = (meta.error as { detail?: unknown }).detail;
    return [
      errorBox(h('strong', {}, text('resolve.error', { name: errorName(meta.error) ?? 'error' })), typeof detail === 'string' ? h('p', {}, detail) : null),
      h('section', { class: 'pane' }, h('h3', {}, text('pane.resolutionMetadata')), renderJson(meta, { label: 'pane.resolutionMetadata' }).element),
    ];
  }

  const changes = readChanges(meta.didbridgeChanges);
  const { didbridgeChanges: _omitted, ...resolutionMetadata } = meta;
  const documentMetadata = isObject(body.didDocumentMetadata) ? body.didDocumentMetadata : {};
  const notes: Child[] = [];
  if (documentMetadata.deactivated === true) notes.push(h('p', { class: 'note' }, text('resolve.deactivated')));

  let original: unknown;
  let noOriginal: Child = text('pane.noOriginal', { method: methodOf(identifier) });
  try {
    const record = await originalRecord(identifier, { noCache: bypass });
    if (record.status === 200 && isObject(record.json)) {
      original = record.json.original === null ? undefined : record.json.original;
      if (JSON.stringify(record.json.didbridgeChanges ?? []) !== JSON.stringify(meta.didbridgeChanges ?? [])) {
        notes.push(h('p', { class: 'note warning' }, text('pane.originalStale')));
      }
    } else {
      const detail = isObject(record.json) && typeof record.json.detail === 'string' ? record.json.detail : `HTTP ${record.status}`;
      noOriginal = h('span', { class: 'error-text' }, text('pane.originalFailed', { error: detail }));
    }
  } catch (err) {
    noOriginal = h('span', { class: 'error-text' }, text('pane.originalFailed', { error: describeFailure(err) }));
  }

  return [
    ...notes,
    renderComparison({
      original,
      noOriginal,
      didDocument: body.didDocument ?? null,
      didDocumentMetadata: documentMetadata,
      resolutionMetadata,
      changes,
    }),
    h('p', { class: 'note' }, text('app.serverLanguage')),
    rawResponse,
  ];
}

