import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService, escapeLike } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Page, pageOf } from '../common/pagination';
import { Principal } from '../common/request-context';
import { ContactsService } from '../contacts/contacts.service';
import { ListOutboxQuery } from './dto/outbox.dto';
import { MailOutbox, MailStatus } from './mail-outbox.entity';
import { MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { messageIdFor } from './message';

/** What admins do with the outbox: look, resend failed or doubtful mail, settle, cancel. */
@Injectable()
export class MailAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: MailService,
    private readonly transport: MailTransport,
    private readonly contacts: ContactsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(q: ListOutboxQuery): Promise<Page<MailOutbox>> {
    const qb = this.db.getRepository(MailOutbox).createQueryBuilder('o');
    if (q.status) {
      qb.andWhere('o.status = :status', { status: q.status });
    }
    if (q.template) {
      qb.andWhere('o.template = :template', { template: q.template });
    }
    if (q.recipient) {
      qb.andWhere('o.recipient LIKE :recipient', {
        recipient: `${escapeLike(q.recipient.toLowerCase())}%`,
      });
    }
    if (q.employerId) {
      qb.andWhere('o.employer_id = :employerId', { employerId: q.employerId.toLowerCase() });
    }
    qb.orderBy('o.created_at', 'DESC').addOrderBy('o.id', 'DESC');
    qb.skip((q.page - 1) * q.limit).take(q.limit);
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<{ row: MailOutbox; digest: MailOutbox[] }> {
    const row = await this.db.getRepository(MailOutbox).findOne({ where: { id } });
    if (!row) {
      throw DomainError.notFound('Outbox mail', id);
    }
    const digest = row.digestId
      ? (
          await this.db.getRepository(MailOutbox).find({
            where: { digestId: row.digestId },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        ).filter((r) => r.id !== row.id)
      : [];
    return { row, digest };
  }

  /** The row and its digest (carrier and members), locked; they share one fate. */
  private async lockGroup(m: EntityManager, id: string): Promise<MailOutbox[]> {
    const row = await m
      .getRepository(MailOutbox)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) {
      throw DomainError.notFound('Outbox mail', id);
    }
    if (!row.digestId) {
      return [row];
    }
    return m.getRepository(MailOutbox).find({
      where: { digestId: row.digestId },
      order: { createdAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private notAllowed(action: string, row: MailOutbox, allowed: MailStatus[]): DomainError {
    return new DomainError(
      'MAIL_ACTION_NOT_ALLOWED',
      HttpStatus.CONFLICT,
      `Cannot ${action} a mail that is ${row.status} (allowed: ${allowed.join(', ')})`,
      { status: row.status, allowed },
    );
  }

  /**
   * Sends a failed or needs_review mail again: it (and its digest) is decided afresh, so the
   * contact policy and the window apply as for new mail. For needs_review the admin has checked
   * that it did not arrive (the Message-ID stays the same, so a receiver can still tell).
   */
  async retry(id: string, p: Principal): Promise<MailOutbox> {
    const allowed: MailStatus[] = ['failed', 'needs_review'];
    const group = await this.db.transaction(async (m) => {
      const rows = await this.lockGroup(m, id);
      const row = rows.find((r) => r.id === id)!;
      if (!allowed.includes(row.status)) {
        throw this.notAllowed('retry', row, allowed);
      }
      const now = this.clock.now();
      for (const r of rows) {
        await m.getRepository(MailOutbox).update(
          { id: r.id },
          {
            status: 'pending',
            digestId: null,
            decidedAt: null,
            sendingStartedAt: null,
            attempts: 0,
            notBefore: now,
            lastError: null,
            decisionNote: `Retried by ${p.name} after: ${r.lastError ?? r.status}`.slice(0, 500),
          },
        );
      }
      await this.audit.record(
        {
          action: 'mail.retry',
          entity: 'mail_outbox',
          entityId: id,
          detail: { previousStatus: row.status, rows: rows.length },
        },
        m,
      );
      return rows.map((r) => r.id);
    });
    await this.mail.dispatch(group);
    return (await this.get(id)).row;
  }

  /** Settles a needs_review mail the admin found delivered: sent, and a contact as usual. */
  async markSent(id: string, p: Principal): Promise<MailOutbox> {
    const allowed: MailStatus[] = ['needs_review'];
    await this.db.transaction(async (m) => {
      const rows = await this.lockGroup(m, id);
      const row = rows.find((r) => r.id === id)!;
      if (!allowed.includes(row.status)) {
        throw this.notAllowed('mark as sent', row, allowed);
      }
      const now = this.clock.now();
      const carrierId = row.digestId ?? row.id;
      for (const r of rows) {
        await m.getRepository(MailOutbox).update(
          { id: r.id, status: 'needs_review' },
          {
            status: 'sent',
            sentAt: r.sendingStartedAt ?? now,
            messageId: messageIdFor(carrierId, this.transport.host),
            smtpResponse: `Marked as sent by ${p.name}`.slice(0, 500),
          },
        );
        if (r.employerId && r.category !== 'internal') {
          await this.contacts.recordSystemContact(m, {
            employerId: r.employerId,
            organisationId: r.onBehalfOfId,
            contactPersonId: r.contactPersonId,
            purpose: r.purpose,
            occurredAt: r.sendingStartedAt ?? now,
            outcome: `Email sent (confirmed by an administrator): ${r.template}`,
            mailOutboxId: r.id,
          });
        }
      }
      await this.audit.record(
        {
          action: 'mail.mark_sent',
          entity: 'mail_outbox',
          entityId: id,
          detail: { rows: rows.length },
        },
        m,
      );
    });
    return (await this.get(id)).row;
  }

  /** Cancels a mail that has not been claimed for sending (not one carried by a digest). */
  async cancel(id: string, p: Principal): Promise<MailOutbox> {
    const allowed: MailStatus[] = ['pending', 'queued'];
    await this.db.transaction(async (m) => {
      const row = await m
        .getRepository(MailOutbox)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) {
        throw DomainError.notFound('Outbox mail', id);
      }
      if (!allowed.includes(row.status)) {
        throw this.notAllowed('cancel', row, allowed);
      }
      if (row.digestId) {
        throw new DomainError(
          'MAIL_IN_DIGEST',
          HttpStatus.CONFLICT,
          'This mail is part of a digest that is about to be sent; it can no longer be cancelled alone',
          { digestId: row.digestId },
        );
      }
      await m
        .getRepository(MailOutbox)
        .update(
          { id, status: In(allowed) },
          { status: 'suppressed', suppressedReason: `CANCELLED: by ${p.name}`.slice(0, 500) },
        );
      await this.audit.record(
        {
          action: 'mail.cancel',
          entity: 'mail_outbox',
          entityId: id,
          detail: { previousStatus: row.status },
        },
        m,
      );
    });
    return (await this.get(id)).row;
  }
}
