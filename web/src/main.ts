/**
 * The didbridge web console: three views (resolve, verify, conformance) as keyboard-operable tabs, a language
 * switch (English / 简体中文), and a footer naming the driver. Served by the driver at `/`
 * (src/http/console-route.ts) and bundled by scripts/build-web.mjs.
 *
 * Deep links: `?did=<DID or DID URL>` resolves at load; `#verify` and `#conformance` open those views.
 */
import { properties } from './api.js';
import { h, replaceChildren } from './dom.js';
import { chooseLanguage, i18n, LANGUAGES, STORAGE_KEY, text, type Language, type MessageKey } from './i18n.js';
import { createConformanceView } from './views/conformance.js';
import { createResolveView } from './views/resolve.js';
import { createVerifyView } from './views/verify.js';

const VIEWS = ['resolve', 'verify', 'conformance'] as const;
type ViewName = (typeof VIEWS)[number];

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

function start(): void {
  const app = document.getElementById('app');
  if (!app) return;
  i18n.set(chooseLanguage(navigator.languages ?? [navigator.language], storedLanguage()));

  const resolveView = createResolveView();
  const views: Record<ViewName, HTMLElement> = {
    resolve: resolveView.element,
    verify: createVerifyView().element,
    conformance: createConformanceView().element,
  };
  const tabKeys: Record<ViewName, MessageKey> = { resolve: 'tab.resolve', verify: 'tab.verify', conformance: 'tab.conformance' };

  const tabs = VIEWS.map((name) => {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': `panel-${name}`, class: 'tab' });
    i18n.bind(tab, tabKeys[name]);
    return tab;
  });
  const panels = VIEWS.map((name) => h('section', { role: 'tabpanel', id: `panel-${name}`, 'aria-labelledby': `tab-${name}`, class: 'panel' }, views[name]));

  const select = (name: ViewName, options: { focus?: boolean; updateHash?: boolean } = {}) => {
    VIEWS.forEach((v, i) => {
      const on = v === name;
      tabs[i]!.setAttribute('aria-selected', String(on));
      // Roving tabindex: Tab reaches the selected tab only; arrow keys move between tabs.
      tabs[i]!.tabIndex = on ? 0 : -1;
      panels[i]!.hidden = !on;
    });
    if (options.focus) tabs[VIEWS.indexOf(name)]!.focus();
    if (options.updateHash !== false) {
      const url = new URL(window.location.href);
      url.hash = name === 'resolve' ? '' : name;
      window.history.replaceState(null, '', url);
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(VIEWS[i]!));
    tab.addEventListener('keydown', (event) => {
      const last = VIEWS.length - 1;
      const next = event.key === 'ArrowRight' ? (i === last ? 0 : i + 1) : event.key === 'ArrowLeft' ? (i === 0 ? last : i - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : undefined;
      if (next === undefined) return;
      event.preventDefault();
      select(VIEWS[next]!, { focus: true });
    });
  });

  const languageSelect = h(
    'select',
    { id: 'language' },
    LANGUAGES.map((l) => h('option', { value: l.code, lang: l.code }, l.label)),
  );
  languageSelect.value = i18n.language;
  languageSelect.addEventListener('change', () => {
    const language = languageSelect.value === 'zh-CN' ? 'zh-CN' : 'en';
    storeLanguage(language);
    i18n.set(language);
  });

  const footer = h('footer', { class: 'footer' });
  // The links are fixed API paths, the same in every language.
  const renderFooter = (version: string) =>
    replaceChildren(
      footer,
      h('span', {}, `didbridge ${version}`.trim()),
      ['1.0/methods', '1.0/testIdentifiers', '1.0/properties', 'health/ready'].map((path) => [' · ', h('a', { href: path }, path)]),
    );
  renderFooter('');
  void properties()
    .then((answer) => {
      const version = answer.json && typeof answer.json === 'object' ? (answer.json as { version?: unknown }).version : undefined;
      if (typeof version === 'string') renderFooter(version);
    })
    .catch(() => undefined);

  const main = h('main', { id: 'main', tabindex: -1 }, panels);
  replaceChildren(
    app,
    h('a', { class: 'skip-link', href: '#main' }, text('app.skip')),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('h1', {}, text('app.title')), h('p', { class: 'tagline' }, text('app.tagline'))),
      h('div', { class: 'language' }, h('label', { for: 'language' }, text('app.language')), languageSelect),
    ),
    h('nav', { class: 'tabs-nav' }, h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'didbridge' }, tabs)),
    main,
    footer,
  );
  const nav = app.querySelector('nav');
  if (nav) i18n.bind(nav, 'app.views', {}, 'aria-label');
  const skip = app.querySelector<HTMLAnchorElement>('.skip-link');
  skip?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  // A file dropped outside the drop targets must not navigate away from the console.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());

  const hash = window.location.hash.slice(1);
  select((VIEWS as readonly string[]).includes(hash) ? (hash as ViewName) : 'resolve', { updateHash: false });
  const did = new URL(window.location.href).searchParams.get('did');
  if (did) void resolveView.resolve(did);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
