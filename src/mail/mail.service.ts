import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobOptions, Queue } from 'bull';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { DomainError, FieldError } from '../common/domain-error';
import { isId } from '../common/id-param';
import { isStrictEmail } from '../common/validators';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CONTACT_PURPOSES, ContactPurpose } from '../contacts/contact-policy';
import { newId } from '../database/base.entity';
import { EmployerMergeService } from '../employers/employer-merge.service';
import { JobName, QueueName } from '../queue/queue.constants';
import {
  MAIL_CATEGORIES,
  MAIL_LOCALES,
  MailCategory,
  MailLocale,
  MailOptOut,
  MailOutbox,
} from './mail-outbox.entity';
import { MailTemplates } from './mail-templates';
import { cleanDisplayName } from './message';

/** One email to write to the outbox (DESIGN §3 rule 3). */
export interface EnqueueMail {
  /** Deterministic, from the cause: `slot-reconfirm:{slotId}:{yyyy-mm}`. The same key again is a no-op. */
  dedupKey: string;
  /** One plain address (isStrictEmail); anything else is refused. */
  to: string;
  toName?: string | null;
  /** A folder under templates/mail. */
  template: string;
  locale: MailLocale;
  payload: Record<string, unknown>;
  category: MailCategory;
  /** Recorded on the contact_event of employer mail. Default `other`. */
  purpose?: ContactPurpose;
  employerId?: string | null;
  contactPersonId?: string | null;
  /** The organisation the email is sent for (the contact_event's organisation). */
  onBehalfOf: string;
  /** Not before this instant (default: now). The pipeline may postpone further, never earlier. */
  notBefore?: Date | null;
}

export type Dispatchable = Pick<MailOutbox, 'id' | 'notBefore' | 'status'> | string;

const DEDUP_KEY = /^[A-Za-z0-9:._\-/@]{1,191}$/;
const MAX_PAYLOAD_BYTES = 64 * 1024;
const QUEUE_TIMEOUT_MS = 3000;

/** Bull options for a mail job: ids only, no Bull retries (our backoff), gone when done. */
export function mailJobOptions(jobId: string, delayMs = 0): JobOptions {
  return {
    jobId,
    delay: Math.max(0, Math.round(delayMs)),
    attempts: 1,
    // Removed when done, so the sweeper can put the same `mail:<id>` on the queue again later.
    removeOnComplete: true,
    removeOnFail: true,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/**
 * The one way any module sends email: `enqueue` writes an outbox row in the caller's
 * transaction; `dispatch` puts committed rows on the queue. TypeORM has no after-commit hook
 * for a caller's EntityManager, so the caller dispatches after its commit (or uses
 * `transaction`, which does both); the sweeper (MailRelay) is the safety net for a dispatch
 * that never happened (crash between commit and dispatch, Redis down or flushed).
 */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    private readonly templates: MailTemplates,
    private readonly merges: EmployerMergeService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Mail to a merged employer follows it to the survivor (the policy is then the survivor's).
    this.merges.register({
      name: 'mailOutbox',
      count: (m, id) => m.getRepository(MailOutbox).count({ where: { employerId: id } }),
      move: async (m, from, to) => {
        await m.getRepository(MailOptOut).update({ employerId: from }, { employerId: to });
        return (
          (await m.getRepository(MailOutbox).update({ employerId: from }, { employerId: to }))
            .affected ?? 0
        );
      },
    });
  }

  /**
   * Writes one outbox row in the caller's transaction and returns it. The same dedupKey again
   * returns the existing row and writes nothing. Call `dispatch` after the commit.
   */
  async enqueue(m: EntityManager, input: EnqueueMail): Promise<MailOutbox> {
    const payload = this.validate(input);
    const now = this.clock.now();
    const repo = m.getRepository(MailOutbox);
    const row = repo.create({
      id: newId(),
      dedupKey: input.dedupKey,
      recipient: input.to.toLowerCase(),
      recipientName: cleanDisplayName(input.toName),
      template: input.template,
      locale: input.locale,
      payload,
      category: input.category,
      purpose: input.purpose ?? 'other',
      onBehalfOfId: input.onBehalfOf,
      employerId: input.employerId ?? null,
      contactPersonId: input.contactPersonId ?? null,
      notBefore: input.notBefore && input.notBefore > now ? input.notBefore : now,
      status: 'pending',
      attempts: 0,
      lastError: null,
      suppressedReason: null,
      decisionNote: null,
      decidedAt: null,
      sendingStartedAt: null,
      sentAt: null,
      messageId: null,
      smtpResponse: null,
      digestId: null,
      createdAt: now,
      updatedAt: now,
    });
    // Rows are never deleted, so a plain (non-locking, gap-lock free) read answers the usual
    // repeat without a write.
    const seen = await repo.findOne({ where: { dedupKey: input.dedupKey } });
    if (seen) {
      return seen;
    }
    // A concurrent first write of the same key (two instances running one scan) is not an
    // error: INSERT IGNORE then inserts nothing, and the existing row is the answer.
    const res = await m
      .createQueryBuilder()
      .insert()
      .into(MailOutbox)
      .values(row as QueryDeepPartialEntity<MailOutbox>)
      .orIgnore()
      .updateEntity(false)
      .execute();
    if (Number((res.raw as { affectedRows?: number })?.affectedRows) === 1) {
      return row;
    }
    // A locking read sees the latest committed row, not the transaction's snapshot.
    const existing = await repo.findOne({
      where: { dedupKey: input.dedupKey },
      lock: { mode: 'pessimistic_read' },
    });
    if (existing) {
      return existing;
    }
    // IGNORE also swallows other errors (a foreign key): insert again to raise the real one.
    await repo.insert(row as QueryDeepPartialEntity<MailOutbox>);
    return row;
  }

  /**
   * Runs `work` in a transaction and dispatches every row it enqueued once it committed.
   * Rolled back = nothing enqueued, nothing dispatched.
   */
  async transaction<T>(
    work: (m: EntityManager, enqueue: (input: EnqueueMail) => Promise<MailOutbox>) => Promise<T>,
  ): Promise<T> {
    const rows: MailOutbox[] = [];
    const result = await this.db.transaction((m) =>
      work(m, async (input) => {
        const row = await this.enqueue(m, input);
        rows.push(row);
        return row;
      }),
    );
    await this.dispatch(rows);
    return result;
  }

  /**
   * Puts committed rows on the mail queue (jobId `mail:<id>`, data `{ outboxId }`), delayed
   * until not_before. Never throws: if Redis is slow or down, the sweeper picks the rows up.
   */
  async dispatch(items: readonly Dispatchable[]): Promise<number> {
    if (!items.length) {
      return 0;
    }
    try {
      const ids = items.filter((i): i is string => typeof i === 'string');
      const given = items.filter((i): i is Exclude<Dispatchable, string> => typeof i !== 'string');
      const loaded = ids.length
        ? await this.db.getRepository(MailOutbox).find({
            where: { id: In(ids.filter(isId)) },
            select: { id: true, notBefore: true, status: true },
          })
        : [];
      const due = [...given, ...loaded].filter(
        (r) => r.status === 'pending' || r.status === 'queued',
      );
      if (!due.length) {
        return 0;
      }
      const now = this.clock.now().getTime();
      await withTimeout(
        this.queue.addBulk(
          due.map((r) => ({
            name: JobName.SendMail,
            data: { outboxId: r.id },
            opts: mailJobOptions(`mail:${r.id}`, r.notBefore.getTime() - now),
          })),
        ),
        QUEUE_TIMEOUT_MS,
        'Adding mail jobs',
      );
      await this.db
        .getRepository(MailOutbox)
        .update({ id: In(due.map((r) => r.id)), status: 'pending' }, { status: 'queued' });
      return due.length;
    } catch (e) {
      this.logger.warn(
        `Could not dispatch ${items.length} mail(s) now; the sweeper will: ${(e as Error).message}`,
      );
      return 0;
    }
  }

  /** A delayed job for one row (a postponement or a retry); `tag` keeps the job id unique. */
  async schedule(id: string, at: Date, tag: string): Promise<void> {
    await this.scheduleAfter(id, at.getTime() - this.clock.now().getTime(), tag);
  }

  async scheduleAfter(id: string, delayMs: number, tag: string): Promise<void> {
    try {
      await withTimeout(
        this.queue.add(
          JobName.SendMail,
          { outboxId: id },
          mailJobOptions(`mail:${id}:${tag}`, delayMs),
        ),
        QUEUE_TIMEOUT_MS,
        'Scheduling a mail job',
      );
    } catch (e) {
      this.logger.warn(`Could not schedule mail ${id}; the sweeper will: ${(e as Error).message}`);
    }
  }

  private validate(input: EnqueueMail): Record<string, unknown> {
    const errors: FieldError[] = [];
    const bad = (field: string, message: string) => errors.push({ field, message });
    if (typeof input.dedupKey !== 'string' || !DEDUP_KEY.test(input.dedupKey)) {
      bad('dedupKey', 'dedupKey must be 1–191 characters of A–Z a–z 0–9 : . _ - / @');
    }
    if (!isStrictEmail(input.to)) {
      bad('to', 'to must be a single plain email address');
    }
    if (input.template === 'digest' || !this.templates.has(input.template)) {
      bad(
        'template',
        `template must be one of: ${this.templates
          .names()
          .filter((n) => n !== 'digest')
          .join(', ')}`,
      );
    }
    if (!(MAIL_LOCALES as readonly string[]).includes(input.locale)) {
      bad('locale', 'locale must be sv or en');
    }
    if (!(MAIL_CATEGORIES as readonly string[]).includes(input.category)) {
      bad('category', `category must be one of ${MAIL_CATEGORIES.join(', ')}`);
    }
    if (
      input.purpose !== undefined &&
      !(CONTACT_PURPOSES as readonly string[]).includes(input.purpose)
    ) {
      bad('purpose', `purpose must be one of ${CONTACT_PURPOSES.join(', ')}`);
    }
    if (!isId(input.onBehalfOf)) {
      bad('onBehalfOf', 'onBehalfOf must be an organisation id');
    }
    for (const field of ['employerId', 'contactPersonId'] as const) {
      const v = input[field];
      if (v !== undefined && v !== null && !isId(v)) {
        bad(field, `${field} must be an id`);
      }
    }
    if (input.contactPersonId && !input.employerId) {
      bad('contactPersonId', 'contactPersonId needs employerId');
    }
    if (input.category === 'outreach' && !input.employerId) {
      bad('employerId', 'outreach mail must name the employer');
    }
    if (input.notBefore !== undefined && input.notBefore !== null) {
      if (!(input.notBefore instanceof Date) || Number.isNaN(input.notBefore.getTime())) {
        bad('notBefore', 'notBefore must be a valid Date');
      }
    }
    let payload: Record<string, unknown> = {};
    if (!input.payload || typeof input.payload !== 'object' || Array.isArray(input.payload)) {
      bad('payload', 'payload must be an object');
    } else {
      const json = JSON.stringify(input.payload);
      if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
        bad('payload', `payload must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON`);
      }
      // Plain JSON from here on: Dates become ISO strings, undefined and functions disappear.
      payload = JSON.parse(json) as Record<string, unknown>;
    }
    if (errors.length) {
      throw DomainError.invalid(errors, 'The email cannot be enqueued');
    }
    return payload;
  }
}
