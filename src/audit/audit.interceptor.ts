import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { requestContext } from '../common/request-context';
import { AuditService } from './audit.service';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every successful state-changing request leaves an audit row. Services that audit inside their
 * own transaction (the usual case) mark the request, and this generic row is then skipped.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const req = context.switchToHttp().getRequest<Request>();
    if (!UNSAFE.has(req.method)) {
      return next.handle();
    }
    return next.handle().pipe(
      switchMap((value) =>
        from(
          (async () => {
            const ctx = requestContext.get();
            if (ctx && !ctx.audited) {
              await this.audit.record({
                action: `http.${req.method.toLowerCase()}`,
                entity: 'route',
                entityId: null,
                detail: {
                  route: `${context.getClass().name}.${context.getHandler().name}`,
                  path: req.route?.path ?? req.path,
                },
              });
            }
            return value;
          })(),
        ),
      ),
    );
  }
}
