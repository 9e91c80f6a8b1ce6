import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldError } from './domain-error';
import { requestContext } from './request-context';
import { ValidationFailed } from './validation';

/** RFC 9457 problem details, as every API error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
  requestId?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  410: 'GONE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'UNAVAILABLE',
};

/** Turns any thrown value into a problem; never leaks stack traces, SQL or internals. */
export function toProblem(exception: unknown, instance?: string): Problem {
  const requestId = requestContext.get()?.requestId;
  const base = (status: number, detail: string, code?: string): Problem => ({
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code: code ?? CODES[status] ?? 'ERROR',
    requestId,
  });

  if (exception instanceof ValidationFailed) {
    return {
      ...base(400, 'The request has invalid fields', 'VALIDATION_FAILED'),
      errors: exception.errors,
    };
  }
  if (exception instanceof DomainError) {
    const p = { ...exception.extra, ...base(exception.status, exception.message, exception.code) };
    if (exception.errors) {
      p.errors = exception.errors;
    }
    return p;
  }
  if (exception instanceof ThrottlerException) {
    return base(429, 'Too many attempts. Wait a few minutes and try again.');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let detail = exception.message;
    if (typeof response === 'object' && response && 'message' in response) {
      const m = (response as { message: unknown }).message;
      detail = Array.isArray(m) ? m.join('; ') : String(m);
    }
    const p = base(status, status >= 500 ? 'Something went wrong on our side.' : detail);
    // Readiness failures carry which dependency is down (terminus puts it in `details`).
    if (typeof response === 'object' && response && 'details' in response) {
      p.detail = 'A dependency is not available';
      p.checks = (response as { details: unknown }).details;
    }
    return p;
  }
  if (isClientHttpError(exception)) {
    // Errors from express middleware (body parser, CSRF) arrive as http-errors objects.
    const status = exception.status;
    const type = exception.type ?? '';
    if (exception.code === 'EBADCSRFTOKEN' || /csrf/i.test(exception.message)) {
      return base(
        403,
        'The form has expired or was not sent from this site. Reload the page and try again.',
        'CSRF_INVALID',
      );
    }
    const detail =
      type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : type === 'entity.too.large'
          ? 'The request body is too large'
          : type.startsWith('entity.') ||
              type.startsWith('charset.') ||
              type.startsWith('encoding.')
            ? 'The request body could not be read'
            : exception.message;
    return base(status, detail);
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception as QueryFailedError & { code?: string }).code;
    if (code === 'ER_DUP_ENTRY') {
      return base(409, 'A record with the same unique values already exists', 'DUPLICATE');
    }
    if (
      code === 'ER_DATA_TOO_LONG' ||
      code === 'ER_TRUNCATED_WRONG_VALUE' ||
      code === 'WARN_DATA_TRUNCATED'
    ) {
      return base(400, 'A value is too long or has the wrong format', 'BAD_REQUEST');
    }
  }
  return base(500, 'Something went wrong on our side. The error has been logged.');
}

function isClientHttpError(
  e: unknown,
): e is { status: number; type?: string; code?: string; message: string } {
  if (typeof e !== 'object' || e === null) {
    return false;
  }
  const status = (e as { status?: unknown }).status;
  return (
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    (e as { expose?: unknown }).expose !== false
  );
}

export function isApiRequest(req: Request): boolean {
  const path = req.path ?? req.url;
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/health');
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = toProblem(exception, req.originalUrl?.split('?')[0]);
    if (problem.status >= 500) {
      this.logger.error(
        {
          err:
            exception instanceof Error
              ? { name: exception.name, message: exception.message, stack: exception.stack }
              : exception,
        },
        'Unhandled error',
      );
    }
    if (res.headersSent) {
      return;
    }
    if (isApiRequest(req) || !req.accepts('html')) {
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    // Pages: an anonymous visitor is sent to the login page; other errors get a friendly page.
    if (problem.status === HttpStatus.UNAUTHORIZED && req.method === 'GET') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(problem.status);
    res.render('error', { title: problem.title, problem, status: problem.status }, (err, html) => {
      if (err) {
        res.type('text/plain').send(`${problem.status} ${problem.title}`);
      } else {
        res.send(html);
      }
    });
  }
}
