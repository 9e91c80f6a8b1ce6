import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { toProblem } from './problem.filter';
import { ValidationFailed } from './validation';

describe('toProblem', () => {
  it('keeps per-field validation errors', () => {
    const p = toProblem(
      new ValidationFailed([{ field: 'email', message: 'email must be an email' }]),
      '/api/v1/users',
    );
    expect(p).toMatchObject({
      type: 'about:blank',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/api/v1/users',
      errors: [{ field: 'email', message: 'email must be an email' }],
    });
  });

  it('carries a domain error’s code and extra fields, which cannot override the standard ones', () => {
    const p = toProblem(
      DomainError.conflict('SLOT_FULL', 'The slot is full', { allowed: ['paused'], status: 200 }),
    );
    expect(p).toMatchObject({
      status: 409,
      code: 'SLOT_FULL',
      detail: 'The slot is full',
      allowed: ['paused'],
    });
  });

  it('maps Nest HTTP exceptions to their status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'Cannot GET /x',
    });
    expect(toProblem(new ForbiddenException())).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(toProblem(new BadRequestException('Unexpected end of JSON input'))).toMatchObject({
      status: 400,
    });
    expect(toProblem(new ThrottlerException())).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('maps a CSRF failure from middleware to 403', () => {
    const err = Object.assign(new Error('invalid csrf token'), {
      status: 403,
      expose: true,
      code: 'EBADCSRFTOKEN',
    });
    expect(toProblem(err)).toMatchObject({ status: 403, code: 'CSRF_INVALID' });
  });

  it('turns a duplicate-key database error into 409 without SQL', () => {
    const err = new QueryFailedError(
      'INSERT INTO user ...',
      [],
      Object.assign(new Error("Duplicate entry 'a@b.se' for key 'uq_user_email'"), {
        code: 'ER_DUP_ENTRY',
      }),
    );
    const p = toProblem(err);
    expect(p).toMatchObject({ status: 409, code: 'DUPLICATE' });
    expect(JSON.stringify(p)).not.toMatch(/INSERT|uq_user_email|a@b\.se/);
  });

  it('hides everything about unexpected errors', () => {
    const p = toProblem(new Error('ER_BAD_FIELD: SELECT secret FROM x at /src/foo.ts:12'));
    expect(p).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(p)).not.toMatch(/SELECT|foo\.ts|ER_BAD/);
  });
});
