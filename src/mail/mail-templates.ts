import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contactPurposeLabel, CONTACT_PURPOSES, ContactPurpose } from '../contacts/contact-policy';
import { templatesDir } from '../common/paths';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MAIL_LOCALES, MailCategory, MailLocale } from './mail-outbox.entity';
import { cleanSubject } from './message';

export const LAYOUT = '_layout';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What the layout adds around a body: the opt-out link, on whose behalf. */
export interface LayoutData {
  optOutUrl?: string | null;
  organisationName?: string | null;
  category?: MailCategory;
}

export interface TemplateSample {
  description: { sv: string; en: string };
  category: MailCategory;
  payload: Record<string, unknown>;
}

interface Compiled {
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

export class UnknownTemplateError extends Error {}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ZONE = 'Europe/Stockholm';

/**
 * Email templates from templates/mail/<name>/<locale>/{subject,body.html,body.txt}.hbs and the
 * shared layout in templates/mail/_layout/<locale>/. HTML is escaped by default; text and
 * subject are plain text (the subject is reduced to one clean line afterwards). Rendering is
 * deterministic: the same row renders the same email on every attempt.
 */
@Injectable()
export class MailTemplates {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();
  private readonly samples = new Map<string, TemplateSample>();
  private readonly layouts = new Map<
    MailLocale,
    { text: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate }
  >();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.registerHelpers();
    this.load(templatesDir('mail'));
  }

  /** Template names (folders), the layout excluded. */
  names(): string[] {
    return [...new Set([...this.compiled.keys()].map((k) => k.split('/')[0]))].sort();
  }

  has(name: string): boolean {
    return this.compiled.has(`${name}/sv`) && this.compiled.has(`${name}/en`);
  }

  sample(name: string): TemplateSample {
    const s = this.samples.get(name);
    if (!s) {
      throw new UnknownTemplateError(`No sample for mail template ${name}`);
    }
    return s;
  }

  /** Subject and bodies without the layout (a digest item). */
  renderParts(name: string, locale: MailLocale, payload: Record<string, unknown>): RenderedMail {
    const t = this.compiled.get(`${name}/${locale}`);
    if (!t) {
      throw new UnknownTemplateError(`Unknown mail template ${name} (${locale})`);
    }
    const options = { data: this.data(locale) };
    return {
      subject: cleanSubject(t.subject(payload, options)),
      text: t.text(payload, options).trim(),
      html: t.html(payload, options).trim(),
    };
  }

  /** A whole email: the template inside the shared layout. */
  render(
    name: string,
    locale: MailLocale,
    payload: Record<string, unknown>,
    layout: LayoutData = {},
  ): RenderedMail {
    return this.wrap(this.renderParts(name, locale, payload), locale, layout);
  }

  /** One digest email listing every item (each rendered by its own template, in `locale`). */
  renderDigest(
    locale: MailLocale,
    items: { template: string; payload: Record<string, unknown> }[],
    layout: LayoutData = {},
  ): RenderedMail {
    const parts = items.map((i) => this.renderParts(i.template, locale, i.payload));
    const body = this.renderParts('digest', locale, {
      count: parts.length,
      items: parts.map((p, i) => ({
        number: i + 1,
        subject: p.subject,
        text: p.text,
        // Our own rendered (escaped) HTML: marked safe here, so no template needs {{{ }}}.
        html: new this.hb.SafeString(p.html),
      })),
    });
    return this.wrap(body, locale, layout);
  }

  private wrap(parts: RenderedMail, locale: MailLocale, layout: LayoutData): RenderedMail {
    const l = this.layouts.get(locale)!;
    const options = { data: this.data(locale) };
    const ctx = {
      subject: parts.subject,
      optOutUrl: layout.optOutUrl ?? null,
      organisationName: layout.organisationName ?? null,
      internal: layout.category === 'internal',
    };
    return {
      subject: parts.subject,
      text: `${l.text({ ...ctx, body: parts.text }, options).trim()}\n`,
      html: l.html({ ...ctx, body: new this.hb.SafeString(parts.html) }, options).trim(),
    };
  }

  private data(locale: MailLocale) {
    return { locale, appUrl: this.config.appUrl };
  }

  private load(root: string): void {
    for (const locale of MAIL_LOCALES) {
      const dir = join(root, LAYOUT, locale);
      this.layouts.set(locale, {
        text: this.hb.compile(readFileSync(join(dir, 'layout.txt.hbs'), 'utf8'), {
          noEscape: true,
        }),
        html: this.hb.compile(readFileSync(join(dir, 'layout.html.hbs'), 'utf8')),
      });
    }
    for (const name of readdirSync(root)) {
      if (name === LAYOUT || !statSync(join(root, name)).isDirectory()) {
        continue;
      }
      if (!NAME.test(name)) {
        throw new Error(`Mail template folder name not allowed: ${name}`);
      }
      for (const locale of MAIL_LOCALES) {
        const dir = join(root, name, locale);
        const read = (file: string) => readFileSync(join(dir, file), 'utf8');
        this.compiled.set(`${name}/${locale}`, {
          subject: this.hb.compile(read('subject.hbs'), { noEscape: true }),
          text: this.hb.compile(read('body.txt.hbs'), { noEscape: true }),
          html: this.hb.compile(read('body.html.hbs')),
        });
      }
      const samplePath = join(root, name, 'sample.json');
      if (existsSync(samplePath)) {
        this.samples.set(name, JSON.parse(readFileSync(samplePath, 'utf8')) as TemplateSample);
      }
    }
  }

  private registerHelpers(): void {
    const hb = this.hb;
    const format = (value: unknown, opts: Intl.DateTimeFormatOptions): string => {
      const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
      if (!d || Number.isNaN(d.getTime())) {
        return '';
      }
      return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, ...opts }).format(d);
    };
    const ymd: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
    const hm: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
    hb.registerHelper('date', (d: unknown) => format(d, ymd));
    hb.registerHelper('datetime', (d: unknown) => format(d, { ...ymd, ...hm }));
    hb.registerHelper('time', (d: unknown) => format(d, hm));
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    // Multi-line text (a signature) as lines, each escaped, joined with <br> in the template.
    hb.registerHelper('lines', (text: unknown) =>
      typeof text === 'string' ? text.split(/\r\n|\r|\n/) : [],
    );
    hb.registerHelper('purpose', (p: unknown, options: Handlebars.HelperOptions) => {
      const locale = (options.data as { locale: MailLocale }).locale;
      return typeof p === 'string' && (CONTACT_PURPOSES as readonly string[]).includes(p)
        ? contactPurposeLabel(p as ContactPurpose, locale)
        : '';
    });
    // An app path ("/employers/…") as an absolute link; anything else becomes the start page.
    hb.registerHelper('link', (path: unknown, options: Handlebars.HelperOptions) => {
      const appUrl = (options.data as { appUrl: string }).appUrl;
      return typeof path === 'string' && /^\/[A-Za-z0-9\-._~/%?=&]*$/.test(path)
        ? `${appUrl}${path}`
        : `${appUrl}/`;
    });
    // Only plain http(s) links reach an href (no javascript:, data:, …).
    hb.registerHelper('safeUrl', (url: unknown) =>
      typeof url === 'string' && /^https?:\/\/[^\s<>"'`]+$/.test(url) ? url : '',
    );
  }
}
