import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { QueueName } from '../queue/queue.constants';
import { MailTransport } from './mail-transport';

const race = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms).unref(),
    ),
  ]);

/** What /health/ready shows about mail: queue counts per state, the outbox backlog, SMTP. */
@Injectable()
export class MailHealth {
  private smtpCache: { at: number; result: { ok: boolean; message?: string } } | null = null;

  constructor(
    @InjectQueue(QueueName.Mail) private readonly mailQueue: Queue,
    @InjectDataSource() private readonly db: DataSource,
    private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Bull job counts per state and the outbox rows not yet settled, per status. */
  async queue(): Promise<{ jobs: Record<string, number>; outbox: Record<string, number> }> {
    const [jobs, rows] = await Promise.all([
      race(this.mailQueue.getJobCounts(), 1000),
      race(
        this.db.query(
          `SELECT status, COUNT(*) AS n FROM mail_outbox
            WHERE status IN ('pending', 'queued', 'sending', 'needs_review') GROUP BY status`,
        ) as Promise<{ status: string; n: string }[]>,
        1000,
      ),
    ]);
    const outbox: Record<string, number> = { pending: 0, queued: 0, sending: 0, needs_review: 0 };
    for (const r of rows) {
      outbox[r.status] = Number(r.n);
    }
    return { jobs: { ...jobs }, outbox };
  }

  /** Can a session be opened with the SMTP server? Cached for 5 s (probes come often). */
  async smtp(): Promise<{ ok: boolean; message?: string; required: boolean }> {
    const now = Date.now();
    if (!this.smtpCache || now - this.smtpCache.at > 5000) {
      this.smtpCache = { at: now, result: await this.transport.verify(1000) };
    }
    return { ...this.smtpCache.result, required: this.config.mail.readyRequiresSmtp };
  }
}
