import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import './session.types';

type RedisClient = ReturnType<typeof createClient>;

/**
 * Server-side sessions in Redis, and the index user → session ids that lets an admin's
 * deactivation end every session of that user at once.
 */
@Injectable()
export class SessionService implements OnModuleDestroy {
  readonly client: RedisClient;
  readonly store: RedisStore;
  private readonly prefix: string;
  private connecting: Promise<unknown> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = createClient({
      url: config.redis.url,
      socket: {
        connectTimeout: 5000,
        reconnectStrategy: (retries) => Math.min(retries * 100, 2000),
      },
    });
    this.client.on('error', () => undefined); // reconnects by itself; readiness reports it
    this.prefix = `${config.queuePrefix}:`;
    this.store = new RedisStore({
      client: this.client,
      prefix: `${this.prefix}sess:`,
      ttl: config.session.idleMinutes * 60,
    });
  }

  async connect(): Promise<void> {
    this.connecting ??= this.client.connect();
    await this.connecting;
  }

  /**
   * The session middleware, skipped where no session is read: requests that authenticate with an
   * API token (AuthService ignores the session then; sign-in/out under /api/v1/auth still get
   * one), health probes and static files. Saves creating and signing a session per request.
   */
  middleware(): RequestHandler {
    const handler = this.sessionHandler();
    return (req, res, next) =>
      (/^Bearer\s/i.test(req.headers.authorization ?? '') &&
        !req.path.startsWith('/api/v1/auth/')) ||
      req.path.startsWith('/health') ||
      req.path.startsWith('/static/')
        ? next()
        : handler(req, res, next);
  }

  private sessionHandler(): RequestHandler {
    const { session: s, appSecret } = this.config;
    return session({
      name: 'pn.sid',
      store: this.store,
      secret: appSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true, // idle timeout: every request pushes expiry forward
      proxy: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: s.secureCookie,
        maxAge: s.idleMinutes * 60 * 1000,
        path: '/',
      },
    });
  }

  private userKey(userId: string): string {
    return `${this.prefix}user-sessions:${userId}`;
  }

  async remember(userId: string, sessionId: string): Promise<void> {
    const key = this.userKey(userId);
    await this.client.sAdd(key, sessionId);
    await this.client.expire(key, this.config.session.absoluteHours * 3600);
  }

  async forget(userId: string, sessionId: string): Promise<void> {
    await this.client.sRem(this.userKey(userId), sessionId);
  }

  /** Ends every session of a user (deactivation, password change). */
  async destroyAll(userId: string): Promise<number> {
    const key = this.userKey(userId);
    const ids = await this.client.sMembers(key);
    for (const id of ids) {
      await this.store.destroy(id);
    }
    await this.client.del(key);
    return ids.length;
  }

  async ping(): Promise<string> {
    return this.client.ping();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.isOpen) {
      await this.client.quit().catch(() => undefined);
    }
  }
}
