/**
 * The console's two languages, English and Simplified Chinese. Every string lives in one file per language
 * (web/i18n/en.json, web/i18n/zh-CN.json; a test keeps their keys and placeholders equal). The language is taken
 * from the browser's preferences unless the user chose one with the switch (remembered in localStorage), and the
 * `lang` attribute of the page follows it, so that screen readers and fonts pick the right language.
 *
 * Text is bound to elements (`text()`, `bindAttribute()`), so a switch re-translates the page in place: typed input,
 * results and focus stay where they are.
 */
import en from '../i18n/en.json' with { type: 'json' };
import zhCN from '../i18n/zh-CN.json' with { type: 'json' };

export type MessageKey = keyof typeof en;
export type Params = Readonly<Record<string, string | number>>;

/** The languages, in the order of the switch. */
export const LANGUAGES = [
  { code: 'en', label: 'English', strings: en as Readonly<Record<MessageKey, string>> },
  { code: 'zh-CN', label: '简体中文', strings: zhCN as Readonly<Record<MessageKey, string>> },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const STORAGE_KEY = 'didbridge.console.language';

/**
 * The language for a list of browser preferences (`navigator.languages`) and a stored choice: the stored choice when
 * it is one of ours, else the first preference that is Chinese (any `zh` tag: the console has Simplified Chinese
 * only) or English, else English.
 */
export function chooseLanguage(preferences: readonly string[], stored?: string | null): Language {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders; unknown placeholders stay visible, so a missing parameter is noticed. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The placeholders a template uses, sorted (for the test that compares languages). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

type Binding = { element: Element; key: MessageKey; params: Params; attribute?: string };

/** The current language and the bindings that follow it. */
class Translator {
  private current: Language = 'en';
  private bindings = new Set<Binding>();
  private listeners = new Set<(language: Language) => void>();

  get language(): Language {
    return this.current;
  }

  /** The string for a key in the current language. */
  t(key: MessageKey, params: Params = {}): string {
    const table = LANGUAGES.find((l) => l.code === this.current)!.strings;
    return format(table[key] ?? en[key] ?? key, params);
  }

  /** Switches the language, re-translates bound text and sets `<html lang>`. */
  set(language: Language): void {
    this.current = language;
    document.documentElement.lang = language;
    for (const binding of this.bindings) {
      // Elements of replaced results are gone from the page: forget them.
      if (!binding.element.isConnected) this.bindings.delete(binding);
      else this.apply(binding);
    }
    document.title = this.t('app.title');
    for (const listener of this.listeners) listener(language);
  }

  /** Called after every switch. */
  onChange(listener: (language: Language) => void): void {
    this.listeners.add(listener);
  }

  /** Keeps an element's text (or an attribute) translated. */
  bind(element: Element, key: MessageKey, params: Params = {}, attribute?: string): void {
    const binding: Binding = attribute === undefined ? { element, key, params } : { element, key, params, attribute };
    this.apply(binding);
    if (this.bindings.size > 20_000) {
      for (const b of this.bindings) if (!b.element.isConnected) this.bindings.delete(b);
    }
    this.bindings.add(binding);
  }

  private apply(binding: Binding): void {
    const value = this.t(binding.key, binding.params);
    if (binding.attribute === undefined) binding.element.textContent = value;
    else binding.element.setAttribute(binding.attribute, value);
  }
}

export const i18n = new Translator();

/** A `<span>` whose text is a translated string. */
export function text(key: MessageKey, params: Params = {}): HTMLSpanElement {
  const span = document.createElement('span');
  i18n.bind(span, key, params);
  return span;
}

/** Keeps an attribute (`title`, `aria-label`, `placeholder`) translated. */
export function bindAttribute(element: Element, attribute: string, key: MessageKey, params: Params = {}): void {
  i18n.bind(element, key, params, attribute);
}
