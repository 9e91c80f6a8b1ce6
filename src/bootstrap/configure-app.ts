import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { SessionService } from '../auth/session.service';
import { requestContext } from '../common/request-context';
import { createValidationPipe } from '../common/validation';
import { templatesDir } from '../common/paths';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { csrfMiddleware, localeMiddleware } from '../web/page-middleware';
import { configureViews } from '../web/view-engine';

const STRICT_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  upgradeInsecureRequests: null,
};

/**
 * Everything main.ts does to the app besides listening, shared with the e2e tests so they run
 * the same pipes, filters, sessions and headers.
 */
export async function configureApp(app: NestExpressApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Pages carry a fresh CSRF token and API lists change under the client: an ETag (a hash of
  // every response body) would never match, so it is not computed. Static files keep theirs.
  app.set('etag', false);
  app.enableShutdownHooks();

  // Request id and context first, so every later step (logs, audit) sees them.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id =
      typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    (req as Request & { id: string }).id = id;
    res.setHeader('X-Request-Id', id);
    requestContext.run({ requestId: id, ip: req.ip ?? null }, next);
  });

  // Swagger UI needs inline styles and its own script; the rest of the app gets the strict policy.
  const strict = helmet({
    contentSecurityPolicy: { directives: STRICT_CSP },
    referrerPolicy: { policy: 'same-origin' },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        ...STRICT_CSP,
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') ? docs : strict)(req, res, next),
  );

  app.useStaticAssets(templatesDir('static'), {
    prefix: '/static/',
    maxAge: config.env === 'production' ? '1d' : 0,
  });
  // Body parsers before CSRF, so the form's token is readable (the app is created with bodyParser: false).
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: true, limit: '1mb' });
  const sessions = app.get(SessionService);
  await sessions.connect();
  app.use(sessions.middleware());
  app.use(localeMiddleware(config.session.secureCookie));
  app.use(csrfMiddleware());
  configureViews(app);
  app.useGlobalPipes(createValidationPipe());

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Praktiknav API')
      .setDescription(
        'Shared employer register, coordinated employer contact, internship slots and matching. ' +
          'Errors are application/problem+json (RFC 9457). Authenticate with the session cookie or `Authorization: Bearer <token>`.',
      )
      .setVersion('1')
      .addCookieAuth('pn.sid', { type: 'apiKey', in: 'cookie' }, 'session')
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'api-token')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
}
