import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { forgetCachedSearches, onSearchIndexCommitted } from './name-search';

type RedisClient = ReturnType<SearchCacheSync['newClient']>;

/**
 * Keeps the search caches of several app instances (API processes behind a load balancer)
 * coherent: when this instance commits a change to the search index it says so on a Redis
 * channel, and every other instance forgets its cached prefix expansions and totals at once.
 * If Redis is away, the caches still expire after their 30 seconds.
 */
@Injectable()
export class SearchCacheSync implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SearchCacheSync.name);
  private readonly instance = randomUUID();
  private readonly channel: string;
  private publisher: RedisClient | null = null;
  private subscriber: RedisClient | null = null;
  private unlisten: (() => void) | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:search-index-changed`;
  }

  private newClient() {
    const c = createClient({
      url: this.config.redis.url,
      socket: {
        connectTimeout: 5000,
        reconnectStrategy: (retries) => Math.min(retries * 100, 2000),
      },
    });
    c.on('error', () => undefined); // reconnects by itself; readiness reports Redis
    return c;
  }

  async onModuleInit(): Promise<void> {
    const client = this.newClient();
    const subscriber = this.newClient();
    this.publisher = client;
    this.subscriber = subscriber;
    await Promise.all([client.connect(), subscriber.connect()]);
    await subscriber.subscribe(this.channel, (from) => {
      if (from !== this.instance) {
        forgetCachedSearches();
      }
    });
    this.unlisten = onSearchIndexCommitted(() => {
      this.publisher?.publish(this.channel, this.instance).catch((e: unknown) => {
        this.logger.warn(`search cache sync: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
  }

  onModuleDestroy(): void {
    this.unlisten?.();
    // At once, without waiting for a Redis that may be away: nothing here is worth keeping.
    for (const c of [this.subscriber, this.publisher]) {
      if (c?.isOpen) {
        c.destroy();
      }
    }
  }
}
