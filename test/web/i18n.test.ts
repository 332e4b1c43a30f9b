/**
 * The console's string tables (web/i18n/en.json, web/i18n/zh-CN.json): the same keys, the same placeholders, no
 * empty or untranslated strings, every key the code names exists and every key exists because the code names it;
 * and the language choice from browser preferences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from '../../web/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/i18n/zh-CN.json' with { type: 'json' };
import { chooseLanguage, format, LANGUAGES, placeholders } from '../../web/src/i18n.js';

const SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));
const tables: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every string literal in the console's code that looks like a message key (`resolve.button`, `verify.outcome.pass`). */
function keysNamedInCode(): Set<string> {
  const known = new Set(Object.keys(en));
  const named = new Set<string>();
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z]+(?:\.[A-Za-z]+)+)'/g)) {
      if (known.has(m[1]!) || /^(app|tab|resolve|pane|changes|verify|conformance)\./.test(m[1]!)) named.add(m[1]!);
    }
  }
  return named;
}

describe('string tables', () => {
  it('English and Simplified Chinese have exactly the same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(LANGUAGES.map((l) => l.code)).toEqual(['en', 'zh-CN']);
  });

  it('each key has the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('no string is empty, and the Chinese strings are translated (they contain Chinese unless they are symbols or codes)', () => {
    for (const [language, table] of Object.entries(tables)) {
      for (const [key, value] of Object.entries(table)) expect(value.trim(), `${language} ${key}`).not.toBe('');
    }
    const untranslated = Object.entries(zhCN).filter(([key, value]) => !/[\u4e00-\u9fff]/.test(value) && value === (en as Record<string, string>)[key]);
    // Only strings that are the same in every language may stay as they are.
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it('every key the code names exists, and every key is named by the code', () => {
    const named = keysNamedInCode();
    const defined = new Set(Object.keys(en));
    expect([...named].filter((k) => !defined.has(k))).toEqual([]);
    expect([...defined].filter((k) => !named.has(k))).toEqual([]);
  });
});

describe('chooseLanguage', () => {
  it('follows the first Chinese or English browser preference', () => {
    expect(chooseLanguage(['zh-CN', 'en'])).toBe('zh-CN');
    expect(chooseLanguage(['zh-TW'])).toBe('zh-CN');
    expect(chooseLanguage(['zh_Hans_CN'])).toBe('zh-CN');
    expect(chooseLanguage(['fr-FR', 'zh'])).toBe('zh-CN');
    expect(chooseLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(chooseLanguage(['de', 'fr'])).toBe('en');
    expect(chooseLanguage([])).toBe('en');
  });

  it('prefers a stored choice when it is one of the languages', () => {
    expect(chooseLanguage(['en-US'], 'zh-CN')).toBe('zh-CN');
    expect(chooseLanguage(['zh-CN'], 'en')).toBe('en');
    expect(chooseLanguage(['zh-CN'], 'klingon')).toBe('zh-CN');
    expect(chooseLanguage(['zh-CN'], null)).toBe('zh-CN');
  });
});

describe('format', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('HTTP {status} in {ms} ms', { status: 200, ms: 12 })).toBe('HTTP 200 in 12 ms');
    expect(format('{a} and {b}', { a: 'x' })).toBe('x and {b}');
    expect(format('{constructor}', {})).toBe('{constructor}');
    expect(format(zhCN['resolve.timing'], { status: 404, ms: 3 })).toBe('HTTP 404，耗时 3 毫秒');
  });
});
