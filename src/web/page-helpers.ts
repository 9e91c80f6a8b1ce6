import type { Response } from 'express';
import { FieldError } from '../common/domain-error';
import { Principal } from '../common/request-context';
import { isLocale, Locale, messages, translate } from './i18n';

/** The language of the page being rendered (set by the locale middleware); Swedish otherwise. */
export function localeOf(res: Response): Locale {
  const l: unknown = res.locals.locale;
  return isLocale(l) ? l : 'sv';
}

/**
 * Field errors in the page's language (`<prefix>.<field>`), the DTO's message when no text is
 * written for that field. `rename` maps DTO fields to the form's field names.
 */
export function fieldErrors(
  res: Response,
  prefix: string,
  errors: FieldError[],
  rename: Record<string, string> = {},
): Record<string, string> {
  const locale = localeOf(res);
  const out: Record<string, string> = {};
  for (const e of errors) {
    const field = rename[e.field] ?? e.field;
    const key = `${prefix}.${field}`;
    out[field] ??= key in messages('sv') ? translate(locale, key) : e.message;
  }
  return out;
}

/** Who may change the register and its slots (coordinators read). */
export const canEdit = (p: Principal) => p.roles.includes('recruiter') || p.roles.includes('admin');
