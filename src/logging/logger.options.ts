import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { maskPersonalNumbersInText } from '../common/identity-numbers';

/** Paths never written to logs: credentials, cookies, personal numbers, restricted notes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'personnummer',
  '*.personnummer',
  'restrictedNote',
  '*.restrictedNote',
  'appSecret',
  'dataKey',
  '*.appSecret',
  '*.dataKey',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return maskPersonalNumbersInText(value);
  }
  if (depth > 6 || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => maskDeep(v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = maskDeep(v, depth + 1);
  }
  return out;
}

/**
 * pino via nestjs-pino: one JSON line per event with the request id. Secrets are removed by
 * path (redact), and anything shaped like a personnummer is masked wherever it appears
 * (URLs, messages, error texts).
 */
export function loggerParams(config: AppConfig, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        genReqId: (req: IncomingMessage, res: ServerResponse) => {
          const existing = (req as IncomingMessage & { id?: string }).id;
          if (existing) {
            return existing;
          }
          const given = req.headers['x-request-id'];
          const id =
            typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given)
              ? given
              : randomUUID();
          res.setHeader('X-Request-Id', id);
          return id;
        },
        customProps: () => ({ role: config.role }),
        serializers: {
          req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
            id: req.id,
            method: req.method,
            url: maskPersonalNumbersInText(req.url).replace(/([?&]_csrf=)[^&]*/g, '$1[redacted]'),
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        formatters: {
          log: (obj: Record<string, unknown>) => maskDeep(obj) as Record<string, unknown>,
        },
        hooks: {
          logMethod(args: unknown[], method: (...a: unknown[]) => void) {
            method.apply(
              this,
              args.map((a) => (typeof a === 'string' ? maskPersonalNumbersInText(a) : a)),
            );
          },
        },
        autoLogging: {
          ignore: (req: IncomingMessage) =>
            req.url === '/health' || (req.url ?? '').startsWith('/static/'),
        },
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
