/**
 * Verify: paste, choose or drop a credential or presentation (compact JWT or JSON), POST it to `/1.0/verify`, and
 * show the report check by check: the verdict, the format, the issuer (and whether the bridge translated its DID
 * document), the key the proof was checked with, every check with its outcome and detail, errors and warnings, and
 * for presentations one report per credential. The issuer's DID document is resolved and shown with that key
 * highlighted (its verification method and its entry under the relationship the proof needed).
 *
 * @see ../../../src/credentials/report.ts (the report's shape)
 */
import { describeFailure, resolveIdentifier, verifyCredential } from '../api.js';
import { h, replaceChildren, type Child } from '../dom.js';
import { bindAttribute, i18n, text, type MessageKey } from '../i18n.js';
import { renderJson } from '../json-view.js';

export interface VerifyView {
  element: HTMLElement;
}

/** Largest input read from a file or a drop (the driver's own body limit applies after). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The request body for what the user pasted: `{ jwt }` for a compact JWT (also as a JSON string), `{ presentation }`
 * for a JSON object typed VerifiablePresentation, `{ credential }` for any other object. Throws Error (shown to the
 * user) for anything else.
 */
export function requestBodyFor(input: string): Record<string, unknown> {
  const trimmed = input.trim();
  if (COMPACT_JWS.test(trimmed)) return { jwt: trimmed };
  const parsed: unknown = JSON.parse(trimmed);
  if (typeof parsed === 'string' && COMPACT_JWS.test(parsed.trim())) return { jwt: parsed.trim() };
  if (!isObject(parsed)) throw new Error('expected a JSON object or a compact JWT');
  const types = Array.isArray(parsed.type) ? parsed.type : [parsed.type];
  return types.includes('VerifiablePresentation') ? { presentation: parsed } : { credential: parsed };
}

const OUTCOME_KEYS: Record<string, MessageKey> = {
  pass: 'verify.outcome.pass',
  fail: 'verify.outcome.fail',
  warn: 'verify.outcome.warn',
  skip: 'verify.outcome.skip',
};

/** The DID of a DID URL (`did:x:y#key-1` → `did:x:y`). */
function didOf(url: string): string {
  return url.split(/[#?/]/, 1)[0] ?? url;
}

/** Marks, in a rendered DID document, the verification method `vm` and its references under `relationship`. */
function highlightKey(doc: Record<string, unknown>, nodes: Map<string, HTMLElement>, vm: string, relationship: string | undefined): number {
  const base = typeof doc.id === 'string' ? doc.id : '';
  const absolute = (ref: unknown) => (typeof ref === 'string' && (ref.startsWith('#') || ref.startsWith('?')) ? base + ref : ref);
  let marked = 0;
  const markAt = (pointer: string) => {
    const node = nodes.get(pointer);
    if (node) {
      node.classList.add('key-mark');
      marked++;
    }
  };
  const scan = (member: string) => {
    const list = doc[member];
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      const id = typeof entry === 'string' ? entry : isObject(entry) ? entry.id : undefined;
      if (absolute(id) === vm) markAt(`/${member}/${i}`);
    });
  };
  scan('verificationMethod');
  if (relationship) scan(relationship);
  return marked;
}

function field(label: MessageKey, ...value: Child[]): HTMLElement[] {
  return [h('dt', {}, text(label)), h('dd', {}, ...value)];
}

/** Renders one report (and the nested ones of a presentation). */
function renderReport(report: Record<string, unknown>, depth: number): HTMLElement {
  const verified = report.verified === true;
  const issuer = isObject(report.issuer) ? report.issuer : undefined;
  const key = isObject(report.key) ? report.key : undefined;
  const checks = Array.isArray(report.checks) ? report.checks.filter(isObject) : [];
  const errors = Array.isArray(report.errors) ? report.errors.filter(isObject) : [];
  const warnings = Array.isArray(report.warnings) ? report.warnings.filter((w): w is string => typeof w === 'string') : [];
  const presentation = isObject(report.presentation) ? report.presentation : undefined;
  const nested = presentation && Array.isArray(presentation.credentials) ? presentation.credentials.filter(isObject) : [];
  const isPresentation = presentation !== undefined;

  const facts: HTMLElement[] = [...field('verify.format', h('code', {}, String(report.format ?? '')))];
  if (issuer && typeof issuer.id === 'string') {
    facts.push(
      ...field(
        isPresentation ? 'verify.holder' : 'verify.issuer',
        h('code', { class: 'issuer-id' }, issuer.id),
        typeof issuer.resolvedMethod === 'string' ? [' · ', text('verify.method', { method: issuer.resolvedMethod })] : null,
        ' · ',
        issuer.translated === true ? text('verify.translated', { count: Number(issuer.changes ?? 0) }) : text('verify.notTranslated'),
      ),
    );
  }
  if (key && typeof key.verificationMethod === 'string') {
    facts.push(
      ...field(
        'verify.key',
        h('code', { class: 'key-id' }, key.verificationMethod),
        h('br', {}),
        text('verify.keyType', { type: String(key.type ?? ''), keyType: String(key.keyType ?? ''), relationship: String(key.relationship ?? '') }),
      ),
    );
  }

  const verdict = h('p', { class: `verdict ${verified ? 'ok' : 'bad'}`, 'data-verified': String(verified) }, text(verified ? 'verify.verified' : 'verify.notVerified'));
  if (depth === 0) verdict.id = 'verify-verdict';

  const checkList = h(
    'ol',
    { class: 'checks' },
    checks.map((c) => {
      const outcome = String(c.outcome ?? '');
      const badge = h('span', { class: `badge o-${outcome.replace(/[^a-z]/g, '')}` });
      const outcomeKey = OUTCOME_KEYS[outcome];
      if (outcomeKey) i18n.bind(badge, outcomeKey);
      else badge.textContent = outcome;
      return h('li', { class: `check o-${outcome.replace(/[^a-z]/g, '')}`, 'data-check': String(c.name ?? '') }, badge, ' ', h('code', { class: 'check-name' }, String(c.name ?? '')), h('p', { class: 'detail' }, String(c.detail ?? '')));
    }),
  );

  const issuerDocument = h('div', { class: 'issuer-document' });
  if (issuer && typeof issuer.id === 'string' && issuer.id.startsWith('did:') && key && typeof key.verificationMethod === 'string') {
    void showIssuerDocument(issuerDocument, didOf(issuer.id), key.verificationMethod, typeof key.relationship === 'string' ? key.relationship : undefined);
  }

  return h(
    'div',
    { class: 'report', 'data-depth': depth },
    verdict,
    h('dl', { class: 'report-facts' }, facts),
    h('h3', {}, text('verify.checks')),
    checkList,
    errors.length > 0
      ? [h('h3', {}, text('verify.errors')), h('ul', { class: 'errors' }, errors.map((e) => h('li', {}, h('code', {}, String(e.code ?? '')), ' ', String(e.message ?? ''))))]
      : null,
    warnings.length > 0 ? [h('h3', {}, text('verify.warnings')), h('ul', { class: 'warnings' }, warnings.map((w) => h('li', {}, w)))] : null,
    issuerDocument,
    nested.map((r, i) => h('details', { class: 'nested', open: true }, h('summary', {}, text('verify.nested', { index: i + 1 })), renderReport(r, depth + 1))),
    report.credential !== undefined
      ? h('details', { class: 'credential' }, h('summary', {}, text('verify.credential')), renderJson(report.credential, { label: 'verify.credential' }).element)
      : null,
  );
}

/** Resolves the issuer and shows its document with the key highlighted. */
async function showIssuerDocument(container: HTMLElement, did: string, vm: string, relationship: string | undefined): Promise<void> {
  try {
    const answer = await resolveIdentifier(did);
    const body = answer.json;
    const doc = isObject(body) && isObject(body.didDocument) ? body.didDocument : undefined;
    if (!doc) {
      replaceChildren(container, h('p', { class: 'note' }, text('verify.issuerDocumentFailed', { error: `HTTP ${answer.status}` })));
      return;
    }
    const view = renderJson(doc, { label: 'verify.issuerDocument' });
    highlightKey(doc, view.nodes, vm, relationship);
    replaceChildren(container, h('h3', {}, text('verify.issuerDocument')), view.element);
  } catch (err) {
    replaceChildren(container, h('p', { class: 'note' }, text('verify.issuerDocumentFailed', { error: describeFailure(err) })));
  }
}

export function createVerifyView(): VerifyView {
  const textarea = h('textarea', { id: 'credential-input', rows: 8, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'credential-hint' });
  const file = h('input', { id: 'credential-file', type: 'file', accept: '.jwt,.json,.txt,.jsonld,application/json,text/plain' });
  const audience = h('input', { id: 'verify-audience', type: 'text', autocomplete: 'off' });
  const challenge = h('input', { id: 'verify-challenge', type: 'text', autocomplete: 'off' });
  const button = h('button', { id: 'verify-button', type: 'submit', class: 'primary' });
  i18n.bind(button, 'verify.button');
  const status = h('div', { id: 'verify-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { id: 'verify-result' });

  const readFile = async (f: File) => {
    if (f.size > MAX_INPUT_BYTES) {
      replaceChildren(status, h('span', { class: 'error-text' }, text('verify.tooLarge', { bytes: f.size, limit: MAX_INPUT_BYTES })));
      return;
    }
    textarea.value = await f.text();
    replaceChildren(status, text('verify.dropped', { name: f.name, bytes: f.size }));
  };
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void readFile(f);
  });
  textarea.addEventListener('dragover', (event) => {
    event.preventDefault();
    textarea.classList.add('dragging');
  });
  textarea.addEventListener('dragleave', () => textarea.classList.remove('dragging'));
  textarea.addEventListener('drop', (event) => {
    textarea.classList.remove('dragging');
    const f = event.dataTransfer?.files?.[0];
    if (f) {
      event.preventDefault();
      void readFile(f);
    }
  });

  let generation = 0;
  const form = h(
    'form',
    { id: 'verify-form', class: 'query', novalidate: true },
    h('label', { for: 'credential-input' }, text('verify.label')),
    textarea,
    h('p', { id: 'credential-hint', class: 'hint' }, text('verify.hint')),
    h('div', { class: 'file-row' }, h('label', { for: 'credential-file' }, text('verify.file')), file),
    h(
      'details',
      { class: 'options' },
      h('summary', {}, text('verify.options')),
      h('div', { class: 'field' }, h('label', { for: 'verify-audience' }, text('verify.audience')), audience),
      h('div', { class: 'field' }, h('label', { for: 'verify-challenge' }, text('verify.challenge')), challenge),
    ),
    h('div', { class: 'actions' }, button),
  );
  bindAttribute(textarea, 'placeholder', 'verify.hint');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const current = ++generation;
    replaceChildren(result);
    if (textarea.value.trim() === '') {
      replaceChildren(status, h('span', { class: 'error-text' }, text('verify.empty')));
      textarea.focus();
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = requestBodyFor(textarea.value);
    } catch (err) {
      replaceChildren(status, h('span', { class: 'error-text' }, text('verify.badInput', { error: describeFailure(err) })));
      return;
    }
    const options: Record<string, string> = {};
    if (audience.value.trim() !== '') options.audience = audience.value.trim();
    if (challenge.value.trim() !== '') options.challenge = challenge.value.trim();
    if (Object.keys(options).length > 0) body.options = options;
    replaceChildren(status, h('span', { class: 'busy' }, text('verify.loading')));
    result.setAttribute('aria-busy', 'true');
    try {
      const answer = await verifyCredential(body);
      if (current !== generation) return;
      replaceChildren(status, text('resolve.timing', { status: answer.status, ms: answer.ms }));
      if (answer.status === 404 || answer.status === 405) {
        replaceChildren(result, h('div', { class: 'error', role: 'alert' }, text('verify.unavailable')));
      } else if (answer.status !== 200 || !isObject(answer.json)) {
        const detail = isObject(answer.json) && typeof answer.json.detail === 'string' ? answer.json.detail : answer.text.slice(0, 300);
        replaceChildren(result, h('div', { class: 'error', role: 'alert' }, text('verify.requestFailed', { status: answer.status, detail })));
      } else {
        replaceChildren(result, renderReport(answer.json, 0), h('p', { class: 'note' }, text('app.serverLanguage')));
      }
    } catch (err) {
      if (current !== generation) return;
      replaceChildren(status);
      replaceChildren(result, h('div', { class: 'error', role: 'alert' }, text('resolve.networkError', { error: describeFailure(err) })));
    } finally {
      if (current === generation) result.removeAttribute('aria-busy');
    }
  });

  return { element: h('div', { class: 'view view-verify' }, h('h2', {}, text('verify.heading')), form, status, result) };
}
