import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError } from '../common/domain-error';
import { flattenValidationErrors } from '../common/validation';

/** Validates a page form with the same DTO as the API; returns field errors to re-render. */
export async function validateForm<T extends object>(
  cls: ClassConstructor<T>,
  body: Record<string, unknown>,
): Promise<{ dto: T; errors: FieldError[]; byField: Record<string, string> }> {
  const dto = plainToInstance(cls, body ?? {});
  const errors = flattenValidationErrors(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: false }),
  );
  const byField: Record<string, string> = {};
  for (const e of errors) {
    byField[e.field] ??= e.message;
  }
  return { dto, errors, byField };
}

/** Only local paths are followed after sign-in (no open redirects). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) &&
    !next.startsWith('/login')
    ? next
    : '/';
}

/** Parses and validates a page's query; field errors are returned for the page to show inline. */
export async function parseQuery<T extends object>(
  cls: new () => T,
  raw: Record<string, unknown>,
): Promise<{ q: T; errors: FieldError[] }> {
  // Empty form fields mean "no filter"; undefined must not override the DTO's defaults.
  const clean = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const q = plainToInstance(cls, clean);
  const errors = flattenValidationErrors(
    await validate(q, { whitelist: true, forbidNonWhitelisted: false }),
  );
  return { q, errors };
}
