import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobName, QueueName } from '../queue/queue.constants';
import { MailOutbox } from './mail-outbox.entity';
import { mailJobOptions } from './mail.service';

const BATCH = 500;

/**
 * The relay's safety net (DESIGN §3 rule 4), run by a repeatable job on the workers:
 * - a row still `sending` past MAIL_SENDING_TIMEOUT_SECONDS may or may not have reached the
 *   SMTP server: it becomes `needs_review` (with its digest members), never re-sent by itself;
 * - a due row still `pending`/`queued` MAIL_STALE_SECONDS after not_before has no live job
 *   (Redis flushed or restarted, a worker killed before the claim, a dispatch that never
 *   happened): it goes on the queue again as `mail:<id>` — Bull ignores the add if that job
 *   still exists, and the row's state makes a duplicate job harmless.
 */
@Injectable()
export class MailRelay {
  private readonly logger = new Logger(MailRelay.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<{ needsReview: number; requeued: number }> {
    const needsReview = await this.flagStuck();
    const requeued = await this.requeueStale();
    if (needsReview || requeued) {
      this.logger.log(`mail sweep: ${needsReview} needs_review, ${requeued} re-enqueued`);
    }
    return { needsReview, requeued };
  }

  private async flagStuck(): Promise<number> {
    const now = this.clock.now();
    const timeout = this.config.mail.sendingTimeoutSeconds;
    const cutoff = new Date(now.getTime() - timeout * 1000);
    const error = `Still sending after ${timeout} s: the worker may have stopped after the SMTP server accepted the message. Check before resending.`;
    return this.db.transaction('READ COMMITTED', async (m) => {
      const stuck = await m
        .createQueryBuilder(MailOutbox, 'o')
        .select(['o.id', 'o.digestId'])
        .where('o.status = :sending AND o.sending_started_at <= :cutoff', {
          sending: 'sending',
          cutoff,
        })
        .limit(BATCH)
        .setLock('pessimistic_write')
        .getMany();
      if (!stuck.length) {
        return 0;
      }
      const ids = stuck.map((r) => r.id);
      await m
        .getRepository(MailOutbox)
        .update({ id: In(ids), status: 'sending' }, { status: 'needs_review', lastError: error });
      const carriers = stuck.filter((r) => r.digestId === r.id).map((r) => r.id);
      if (carriers.length) {
        await m
          .getRepository(MailOutbox)
          .update(
            { digestId: In(carriers), status: 'queued' },
            { status: 'needs_review', lastError: error },
          );
      }
      return stuck.length;
    });
  }

  private async requeueStale(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.mail.staleSeconds * 1000);
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM mail_outbox
        WHERE status IN ('pending', 'queued') AND not_before <= ?
          AND (digest_id IS NULL OR digest_id = id)
        ORDER BY not_before, id LIMIT ${BATCH}`,
      [cutoff],
    );
    if (!rows.length) {
      return 0;
    }
    await this.queue.addBulk(
      rows.map((r) => ({
        name: JobName.SendMail,
        data: { outboxId: r.id },
        opts: mailJobOptions(`mail:${r.id}`),
      })),
    );
    await this.db
      .getRepository(MailOutbox)
      .update({ id: In(rows.map((r) => r.id)), status: 'pending' }, { status: 'queued' });
    return rows.length;
  }
}
