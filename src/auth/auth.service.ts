import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { TtlCache } from '../common/ttl-cache';
import { DomainError } from '../common/domain-error';
import { Principal, requestContext } from '../common/request-context';
import { User } from '../organisations/user.entity';
import { UsersService } from '../organisations/users.service';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ApiToken } from './api-token.entity';
import { dummyHash, verifyPassword } from './passwords';
import { SessionService } from './session.service';

export const INVALID_LOGIN = 'Invalid email or password';
const TOKEN_PREFIX = 'pn_';
const TOKEN_CACHE_MS = 2000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toPrincipal(u: User, via: Principal['via'], tokenId?: string): Principal {
  return {
    userId: u.id,
    name: u.name,
    email: u.email,
    roles: [...u.roles],
    organisationId: u.organisationId,
    organisationName: u.organisation?.name ?? '',
    via,
    tokenId,
  };
}

/** Sign-in, sessions and personal API tokens. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The principal of a request: a Bearer token if given (and then only it), else the session. */
  async resolvePrincipal(req: Request): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) {
        throw new UnauthorizedException('The Authorization header must be "Bearer <token>"');
      }
      return this.principalFromToken(m[1]);
    }
    const s = req.session;
    if (!s?.userId) {
      return null;
    }
    const now = this.clock.now().getTime();
    const absoluteMs = this.config.session.absoluteHours * 3600_000;
    if (!s.signedInAt || now - s.signedInAt > absoluteMs) {
      await this.endSession(req);
      return null;
    }
    const user = await this.users.findById(s.userId);
    if (!user || !user.active || !user.organisation?.active) {
      await this.endSession(req);
      return null;
    }
    return toPrincipal(user, 'session');
  }

  /**
   * Integrations call in bursts with one token: its principal is reused for TOKEN_CACHE_MS.
   * Revoking in this process takes effect at once; a deactivation or a revocation on another
   * instance within that many milliseconds.
   */
  private readonly tokenCache = new TtlCache<Principal>(TOKEN_CACHE_MS);

  private async principalFromToken(token: string): Promise<Principal> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) {
      throw new UnauthorizedException('Invalid or revoked API token');
    }
    const tokenHash = hashToken(token);
    const cached = this.tokenCache.get(tokenHash);
    if (cached) {
      return cached;
    }
    const principal = await this.loadTokenPrincipal(tokenHash);
    this.tokenCache.set(tokenHash, principal);
    return principal;
  }

  private async loadTokenPrincipal(tokenHash: string): Promise<Principal> {
    // One round trip: the token with its user and the user's organisation.
    const row = await this.tokens.findOne({
      where: { tokenHash, revokedAt: IsNull() },
      relations: { user: { organisation: true } },
    });
    const now = this.clock.now();
    if (!row || (row.expiresAt && row.expiresAt <= now)) {
      throw new UnauthorizedException('Invalid or revoked API token');
    }
    const user = row.user;
    if (!user || !user.active || !user.organisation?.active) {
      throw new UnauthorizedException('Invalid or revoked API token');
    }
    // Coarse last-use tracking: at most one write a minute per token.
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      await this.tokens.update({ id: row.id }, { lastUsedAt: now });
    }
    return toPrincipal(user, 'api_token', row.id);
  }

  /**
   * Checks the password and starts a fresh session (new id, so a planted session id is useless).
   * Unknown user and wrong password answer the same, after the same work.
   */
  async login(req: Request, email: string, password: string): Promise<Principal> {
    const user = await this.users.findByEmail(email);
    const ok = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyPassword(await dummyHash(), password).then(() => false);
    if (!user || !ok || !user.active || !user.organisation?.active) {
      await this.audit.record({
        action: 'auth.login_failed',
        entity: 'user',
        entityId: user?.id ?? null,
        detail: { reason: !user || !ok ? 'bad_credentials' : 'inactive' },
      });
      throw new DomainError('INVALID_LOGIN', 401, INVALID_LOGIN);
    }
    const previous = req.session?.userId;
    if (previous) {
      await this.sessions.forget(previous, req.sessionID);
    }
    await regenerate(req);
    req.session.userId = user.id;
    req.session.signedInAt = this.clock.now().getTime();
    await save(req);
    await this.sessions.remember(user.id, req.sessionID);
    await this.users.touchLogin(user.id, this.clock.now());
    const principal = toPrincipal(user, 'session');
    const ctx = requestContext.get();
    if (ctx) {
      ctx.principal = principal;
    }
    await this.audit.record({ action: 'auth.login', entity: 'user', entityId: user.id });
    return principal;
  }

  async logout(req: Request): Promise<void> {
    if (req.session?.userId) {
      await this.audit.record({
        action: 'auth.logout',
        entity: 'user',
        entityId: req.session.userId,
      });
    }
    await this.endSession(req);
  }

  private async endSession(req: Request): Promise<void> {
    if (!req.session) {
      return;
    }
    const userId = req.session.userId;
    const sid = req.sessionID;
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    if (userId) {
      await this.sessions.forget(userId, sid);
    }
  }

  async createToken(
    principal: Principal,
    name: string,
    expiresInDays?: number,
  ): Promise<{ token: string; row: ApiToken }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return this.db.transaction(async (m) => {
      const row = m.getRepository(ApiToken).create({
        userId: principal.userId,
        name,
        prefix: token.slice(0, 10),
        tokenHash: hashToken(token),
        expiresAt: expiresInDays
          ? new Date(this.clock.now().getTime() + expiresInDays * 86400_000)
          : null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await m.getRepository(ApiToken).save(row);
      await this.audit.record(
        { action: 'api_token.create', entity: 'api_token', entityId: row.id, detail: { name } },
        m,
      );
      return { token, row };
    });
  }

  listTokens(userId: string): Promise<ApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  async revokeToken(principal: Principal, id: string): Promise<ApiToken> {
    return this.db.transaction(async (m) => {
      const row = await m
        .getRepository(ApiToken)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      // Admins may revoke anyone's token; others only their own (and do not learn others' ids).
      if (!row || (row.userId !== principal.userId && !principal.roles.includes('admin'))) {
        throw DomainError.notFound('API token', id);
      }
      if (!row.revokedAt) {
        row.revokedAt = this.clock.now();
        this.tokenCache.delete(row.tokenHash);
        await m.getRepository(ApiToken).save(row);
        await this.audit.record(
          { action: 'api_token.revoke', entity: 'api_token', entityId: row.id },
          m,
        );
      }
      return row;
    });
  }
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(err) : resolve())),
  );
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err) => (err ? reject(err) : resolve())),
  );
}
