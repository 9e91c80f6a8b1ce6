import { readdirSync, readFileSync } from 'node:fs';
import { templatesDir } from '../common/paths';

export const LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'sv';

type Messages = Record<string, string>;
const cache = new Map<Locale, Messages>();

/** UI texts live in templates/i18n/<locale>.json (flat keys), never in templates. */
export function messages(locale: Locale): Messages {
  let m = cache.get(locale);
  if (!m) {
    // sv.json plus any sv.<area>.json (features keep their texts in their own file).
    const files = readdirSync(templatesDir('i18n')).filter(
      (f) => f === `${locale}.json` || (f.startsWith(`${locale}.`) && f.endsWith('.json')),
    );
    m = {};
    for (const f of files.sort()) {
      Object.assign(m, JSON.parse(readFileSync(templatesDir('i18n', f), 'utf8')) as Messages);
    }
    cache.set(locale, m);
  }
  return m;
}

/** Translates a key, filling {0}, {1}… Falls back to Swedish, then to the key itself. */
export function translate(locale: Locale, key: string, args: unknown[] = []): string {
  const own = (m: Messages) => (Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined);
  const text = own(messages(locale)) ?? own(messages(DEFAULT_LOCALE)) ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}
