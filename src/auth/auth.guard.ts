import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { requestContext } from '../common/request-context';
import { IS_PUBLIC, REQUIRED_ROLES } from './access.decorators';
import { AuthService } from './auth.service';
import { Role } from './roles';

/**
 * Deny by default: a route runs only if it is @Public() or the principal holds one of its
 * @Roles(). A route with neither is refused (and the route walker test fails on it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const roles = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets);

    const principal = await this.auth.resolvePrincipal(req);
    if (principal) {
      req.principal = principal;
      res.locals.principal = principal;
      const ctx = requestContext.get();
      if (ctx) {
        ctx.principal = principal;
      }
    }
    if (isPublic) {
      return true;
    }
    if (!roles?.length) {
      this.logger.error(
        `Route without access declaration refused: ${req.method} ${req.route?.path ?? req.path}`,
      );
      throw new ForbiddenException('This route has no access declaration');
    }
    if (!principal) {
      throw new UnauthorizedException('Sign in first');
    }
    if (!roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(`Requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
