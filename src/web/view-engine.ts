import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../common/paths';
import { isLocale, Locale, translate } from './i18n';

/** Handlebars pages from templates/pages, with i18n and small formatting helpers. */
export function configureViews(app: NestExpressApplication): void {
  const instance = hbs.create();
  // Registered synchronously (hbs' own registerPartials is async and renames "a-b" to "a_b").
  const partials = templatesDir('pages', 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    instance.registerPartial(
      file.replace(/\.hbs$/, ''),
      readFileSync(join(partials, file), 'utf8'),
    );
  }
  instance.registerHelper('t', function (this: unknown, key: string, ...rest: unknown[]) {
    const options = rest.pop() as { data: { root: { locale?: Locale } } };
    const locale = options.data.root.locale;
    return translate(isLocale(locale) ? locale : 'sv', key, rest);
  });
  instance.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  instance.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  instance.registerHelper(
    'includes',
    (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v),
  );
  instance.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : '',
  );
  instance.registerHelper('date', (d: unknown) => formatDateTime(d, false));
  instance.registerHelper('datetime', (d: unknown) => formatDateTime(d, true));
  app.engine('hbs', instance.__express);
  app.setBaseViewsDir(templatesDir('pages'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
}

export function formatDateTime(d: unknown, withTime: boolean): string {
  const date = d instanceof Date ? d : typeof d === 'string' ? new Date(d) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return '';
  }
  // Swedish format (ISO-like) in Stockholm time.
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date);
}
