import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failure the caller can act on. `code` is stable (pages translate it); `extra` is merged
 * into the problem+json body (e.g. duplicate candidates, allowed transitions).
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: HttpStatus,
    message: string,
    public readonly extra: Record<string, unknown> = {},
    public readonly errors?: FieldError[],
  ) {
    super(message);
  }

  static notFound(entity: string, id?: string): DomainError {
    return new DomainError(
      'NOT_FOUND',
      HttpStatus.NOT_FOUND,
      `${entity} not found${id ? `: ${id}` : ''}`,
    );
  }

  static conflict(code: string, message: string, extra: Record<string, unknown> = {}): DomainError {
    return new DomainError(code, HttpStatus.CONFLICT, message, extra);
  }

  static invalid(errors: FieldError[], message = 'The request has invalid fields'): DomainError {
    return new DomainError('VALIDATION_FAILED', HttpStatus.BAD_REQUEST, message, {}, errors);
  }
}
