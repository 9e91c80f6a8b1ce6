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
