import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContactsService } from '../contacts/contacts.service';
import { Organisation } from '../organisations/organisation.entity';
import { retryDelayMs } from './backoff';
import { Batcher } from './batcher';
import { MailOutbox, MailStatus } from './mail-outbox.entity';
import { MailTemplates, RenderedMail } from './mail-templates';
import { MailTransport } from './mail-transport';
import { messageIdFor } from './message';
import { OptOutService } from './opt-out.service';

export type SendOutcome =
  | { kind: 'skip' }
  | { kind: 'sent' }
  | { kind: 'retry'; at: Date; attempt: number }
  | { kind: 'failed' | 'needs_review'; error: string };

/**
 * The send step: claim, render, SMTP, record. Never decides: what goes out (and with which
 * digest members) was fixed by the decide step.
 */
@Injectable()
export class MailSender {
  private readonly logger = new Logger(MailSender.name);
  private readonly orgNames = new Map<string, { name: string | null; until: number }>();
  private readonly sent = new Batcher(
    (items: { id: string; response: string }[]) => this.markManySent(items),
    { maxSize: 50, maxWaitMs: 2 },
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly templates: MailTemplates,
    private readonly transport: MailTransport,
    private readonly contacts: ContactsService,
    private readonly optOut: OptOutService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * queued → sending as one committed conditional update, before any SMTP traffic. False:
   * someone else has it (or it is not ready): skip.
   */
  async claim(id: string): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.db
      .createQueryBuilder()
      .update(MailOutbox)
      .set({ status: 'sending', sendingStartedAt: now, attempts: () => 'attempts + 1' })
      .where(
        'id = :id AND status IN (:...open) AND decided_at IS NOT NULL AND not_before <= :now',
        { id, open: ['pending', 'queued'], now },
      )
      .execute();
    return res.affected === 1;
  }

  /**
   * Sends a row this worker has claimed. `claimed` is what the decide step already holds (the
   * row and its digest members), so the common case reads nothing again.
   */
  async send(
    id: string,
    claimed?: { row: MailOutbox; members: MailOutbox[] },
  ): Promise<SendOutcome> {
    const repo = this.db.getRepository(MailOutbox);
    const row = claimed?.row ?? (await repo.findOne({ where: { id } }));
    if (!row || row.status !== 'sending') {
      return { kind: 'skip' };
    }
    const members =
      claimed?.members ??
      (row.digestId === row.id
        ? await repo.find({
            where: { digestId: row.id, id: Not(row.id) },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        : []);
    let mail: RenderedMail;
    try {
      mail = await this.render(row, members);
    } catch (e) {
      const error = `TEMPLATE: ${(e as Error).message}`.slice(0, 1000);
      await this.finish(row, members, 'failed', error);
      return { kind: 'failed', error };
    }
    const result = await this.transport.send({
      outboxId: row.id,
      from: this.transport.from,
      to: { address: row.recipient, name: row.recipientName },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      listUnsubscribeUrl: this.hasOptOut(row, members) ? this.optOut.urlFor(row.id) : null,
      autoSubmitted: row.category === 'internal',
    });
    if (result.ok) {
      await this.persist(() => this.markSent(row, members, result.response, mail.subject));
      return { kind: 'sent' };
    }
    if (result.kind === 'transient' && row.attempts < this.config.mail.maxAttempts) {
      const delay = retryDelayMs(
        row.attempts,
        this.config.mail.retryBaseSeconds,
        this.config.mail.retryMaxSeconds,
      );
      const at = new Date(this.clock.now().getTime() + delay);
      await this.persist(() =>
        this.db
          .getRepository(MailOutbox)
          .update(
            { id: row.id, status: 'sending' },
            { status: 'queued', notBefore: at, lastError: result.error },
          ),
      );
      return { kind: 'retry', at, attempt: row.attempts };
    }
    const status = result.kind === 'ambiguous' ? 'needs_review' : 'failed';
    const error =
      result.kind === 'transient'
        ? `${result.error} (gave up after ${row.attempts} attempts)`
        : result.error;
    await this.persist(() => this.finish(row, members, status, error));
    return { kind: status, error };
  }

  private hasOptOut(row: MailOutbox, members: MailOutbox[]): boolean {
    return [row, ...members].some((r) => r.category === 'outreach' && !!r.contactPersonId);
  }

  /** Organisation names for the footer, cached for a few minutes (they hardly ever change). */
  private async organisationName(id: string): Promise<string | null> {
    const hit = this.orgNames.get(id);
    if (hit && hit.until > Date.now()) {
      return hit.name;
    }
    const org = await this.db
      .getRepository(Organisation)
      .findOne({ where: { id }, select: { id: true, name: true } });
    if (this.orgNames.size > 1000) {
      this.orgNames.clear();
    }
    this.orgNames.set(id, { name: org?.name ?? null, until: Date.now() + 5 * 60_000 });
    return org?.name ?? null;
  }

  private async render(row: MailOutbox, members: MailOutbox[]): Promise<RenderedMail> {
    const internal = [row, ...members].every((r) => r.category === 'internal');
    const layout = {
      category: internal ? ('internal' as const) : row.category,
      // Internal mail does not name the organisation; no need to look it up.
      organisationName: internal ? null : await this.organisationName(row.onBehalfOfId),
      optOutUrl: this.hasOptOut(row, members) ? this.optOut.urlFor(row.id) : null,
    };
    return members.length
      ? this.templates.renderDigest(
          row.locale,
          [row, ...members].map((r) => ({ template: r.template, payload: r.payload })),
          layout,
        )
      : this.templates.render(row.template, row.locale, row.payload, layout);
  }

  /** sent, with the server's answer; each employer mail becomes a contact_event. */
  private async markSent(
    row: MailOutbox,
    members: MailOutbox[],
    response: string,
    subject: string,
  ) {
    const now = this.clock.now();
    const messageId = messageIdFor(row.id, this.transport.host);
    const sent = {
      status: 'sent' as const,
      sentAt: now,
      messageId,
      smtpResponse: response,
      lastError: null,
    };
    const contacts = [row, ...members].filter((r) => r.employerId && r.category !== 'internal');
    if (!members.length && !contacts.length) {
      // One row, no contact to record: batched with other jobs' rows into one statement.
      await this.sent.load({ id: row.id, response });
      return;
    }
    await this.db.transaction('READ COMMITTED', async (m) => {
      const repo = m.getRepository(MailOutbox);
      // needs_review too: the sweeper may have given up on a slow send that did succeed.
      const carrier = await repo.update(
        { id: row.id, status: In(['sending', 'needs_review']) },
        sent,
      );
      if (carrier.affected !== 1) {
        return; // someone (an admin) settled it meanwhile; record nothing twice
      }
      if (members.length) {
        await repo.update(
          { id: In(members.map((r) => r.id)), status: In(['queued', 'needs_review']) },
          sent,
        );
      }
      for (const r of contacts) {
        await this.contacts.recordSystemContact(m, {
          employerId: r.employerId!,
          organisationId: r.onBehalfOfId,
          contactPersonId: r.contactPersonId,
          purpose: r.purpose,
          occurredAt: now,
          outcome: `Email sent: ${subject}`.slice(0, 500),
          mailOutboxId: r.id,
        });
      }
    });
  }

  /** sent for a batch of single rows without a contact to record, in one statement. */
  private async markManySent(items: { id: string; response: string }[]): Promise<void[]> {
    const now = this.clock.now();
    const cases = items.map(() => 'WHEN ? THEN ?').join(' ');
    await this.db.query(
      `UPDATE mail_outbox
          SET status = 'sent', sent_at = ?, message_id = CONCAT('<', id, '@', ?, '>'),
              smtp_response = CASE id ${cases} ELSE smtp_response END, last_error = NULL
        WHERE id IN (?) AND status IN ('sending', 'needs_review')`,
      [
        now,
        this.transport.host,
        ...items.flatMap((i) => [i.id, i.response]),
        items.map((i) => i.id),
      ],
    );
    return items.map(() => undefined);
  }

  private async finish(row: MailOutbox, members: MailOutbox[], status: MailStatus, error: string) {
    await this.db.transaction('READ COMMITTED', async (m) => {
      const repo = m.getRepository(MailOutbox);
      await repo.update({ id: row.id, status: 'sending' }, { status, lastError: error });
      if (members.length) {
        await repo.update(
          { id: In(members.map((r) => r.id)), status: 'queued' },
          { status, lastError: `${error} (digest ${row.id})`.slice(0, 1000) },
        );
      }
    });
  }

  /**
   * After SMTP the outcome must reach the database: a few quick retries on a database hiccup.
   * If it still fails the row stays `sending` and the sweeper makes it needs_review.
   */
  private async persist(write: () => Promise<unknown>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await write();
        return;
      } catch (e) {
        if (i >= 4) {
          this.logger.error(`Could not record a mail outcome: ${(e as Error).message}`);
          throw e;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** i));
      }
    }
  }
}
