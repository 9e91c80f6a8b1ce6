import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { isApiRequest } from '../common/problem.filter';
import { DEFAULT_LOCALE, isLocale } from './i18n';

const LANG_COOKIE = 'pn.lang';

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      return decodeURIComponent(v.join('='));
    }
  }
  return undefined;
}

/** Page language: ?lang= switches (and remembers in a cookie); Swedish by default. */
export function localeMiddleware(secure: boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const asked = req.query.lang;
    let locale = readCookie(req, LANG_COOKIE);
    if (isLocale(asked)) {
      locale = asked;
      res.cookie(LANG_COOKIE, asked, {
        maxAge: 365 * 86400_000,
        sameSite: 'lax',
        httpOnly: true,
        secure,
      });
    }
    res.locals.locale = isLocale(locale) ? locale : DEFAULT_LOCALE;
    res.locals.otherLocale = res.locals.locale === 'sv' ? 'en' : 'sv';
    res.locals.path = req.path;
    next();
  };
}

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    if (req.body && typeof req.body._csrf === 'string') {
      return req.body._csrf;
    }
    if (typeof req.headers['x-csrf-token'] === 'string') {
      return req.headers['x-csrf-token'];
    }
    // File uploads (multipart) are streamed, not parsed before this check: the form carries the
    // token in its action URL (redacted from the request log).
    if (
      /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') &&
      typeof req.query._csrf === 'string'
    ) {
      return req.query._csrf;
    }
    return undefined;
  },
});

/**
 * Synchroniser-token CSRF protection for every page form (the API is protected by SameSite=Lax
 * cookies and JSON bodies, and token-authenticated clients carry no cookie at all).
 */
export function csrfMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isApiRequest(req) || req.path.startsWith('/static/')) {
      return next();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (req.accepts('html')) {
        res.locals.csrfToken = generateToken(req);
      }
      return next();
    }
    csrfSynchronisedProtection(req, res, (err?: unknown) => {
      if (err) {
        return next(err);
      }
      res.locals.csrfToken = generateToken(req);
      // The token has done its job; keep it out of DTO validation.
      if (req.body && typeof req.body === 'object') {
        delete req.body._csrf;
      }
      next();
    });
  };
}
