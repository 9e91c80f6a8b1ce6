import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, hkdfSync } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { sha256Hex } from '../common/field-crypto';
import { requestContext } from '../common/request-context';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { newId } from '../database/base.entity';
import { ContactPerson } from '../employers/contact-person.entity';
import { Employer } from '../employers/employer.entity';
import { MailOptOut, MailOutbox } from './mail-outbox.entity';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const VALID_DAYS = 365;

export type OptOutState = 'confirm' | 'done' | 'expired' | 'invalid';

export interface OptOutView {
  state: OptOutState;
  employerName?: string;
  /** Masked (m•••@eslov.se): the page is reachable by anyone holding the link. */
  maskedEmail?: string;
}

function mask(email: string | null): string | undefined {
  if (!email) {
    return undefined;
  }
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

/**
 * Opt-out links in outreach mail (/u/{token}). The token is an HMAC of the outbox id under a
 * key derived from APP_SECRET (256 bits): the same on every attempt of the same email, never
 * stored — only its SHA-256 is, with the contact person it stands for.
 *
 * Opting out sets contact_person.email_opt_out with a direct update: the employers module has
 * no method for it yet (EmployersService was being changed by another issue); it is one column
 * and is audited here. TODO: move to EmployersService.setEmailOptOut when that lands.
 */
@Injectable()
export class OptOutService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.appSecret, 'praktiknav', 'praktiknav/mail-opt-out/v1', 32),
    );
  }

  tokenFor(outboxId: string): string {
    return createHmac('sha256', this.key).update(outboxId, 'utf8').digest('base64url');
  }

  urlFor(outboxId: string): string {
    return `${this.config.appUrl}/u/${this.tokenFor(outboxId)}`;
  }

  /** Records the link of an email (idempotent: the token is deterministic), in the decide transaction. */
  async ensure(m: EntityManager, outboxId: string, contactPersonId: string, employerId: string) {
    const now = this.clock.now();
    await m
      .createQueryBuilder()
      .insert()
      .into(MailOptOut)
      .values({
        id: newId(),
        tokenHash: sha256Hex(this.tokenFor(outboxId)),
        contactPersonId,
        employerId,
        outboxId,
        expiresAt: new Date(now.getTime() + VALID_DAYS * 86_400_000),
        usedAt: null,
      })
      .orIgnore()
      .execute();
  }

  async view(token: string): Promise<OptOutView> {
    const found = await this.find(this.db.manager, token, false);
    if (!found) {
      return { state: 'invalid' };
    }
    const { record, person, employer } = found;
    const base = {
      employerName: employer
        ? employer.unitName
          ? `${employer.name}, ${employer.unitName}`
          : employer.name
        : undefined,
      maskedEmail: mask(person.email),
    };
    if (record.usedAt || person.emailOptOut) {
      return { ...base, state: 'done' };
    }
    if (record.expiresAt <= this.clock.now()) {
      return { ...base, state: 'expired' };
    }
    return { ...base, state: 'confirm' };
  }

  /** The POST from the page: opts the contact person out (idempotent) and suppresses waiting outreach. */
  async confirm(token: string): Promise<OptOutView> {
    await this.db.transaction(async (m) => {
      const found = await this.find(m, token, true);
      if (!found) {
        return;
      }
      const { record, person } = found;
      const now = this.clock.now();
      if (!record.usedAt && !person.emailOptOut && record.expiresAt <= now) {
        return;
      }
      if (!person.emailOptOut) {
        await m.getRepository(ContactPerson).update({ id: person.id }, { emailOptOut: true });
      }
      if (!record.usedAt) {
        await m.getRepository(MailOptOut).update({ id: record.id }, { usedAt: now });
      }
      // Waiting outreach to this person ends here rather than at its send time.
      await m.getRepository(MailOutbox).update(
        {
          contactPersonId: person.id,
          category: 'outreach',
          status: In(['pending', 'queued']),
          digestId: IsNull(),
        },
        { status: 'suppressed', suppressedReason: 'OPTED_OUT: the contact person opted out' },
      );
      const ctx = requestContext.get();
      if (ctx) {
        ctx.actor = { type: 'anonymous', label: 'opt-out link' };
      }
      await this.audit.record(
        {
          action: 'mail.opt_out',
          entity: 'contact_person',
          entityId: person.id,
          detail: { employerId: record.employerId, outboxId: record.outboxId },
        },
        m,
      );
    });
    // Whether it just happened, had happened before, or the link is unknown or expired: the
    // view tells.
    return this.view(token);
  }

  private async find(m: EntityManager, token: string, lock: boolean) {
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      return null;
    }
    const record = await m.getRepository(MailOptOut).findOne({
      where: { tokenHash: sha256Hex(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!record) {
      return null;
    }
    const person = await m.getRepository(ContactPerson).findOne({
      where: { id: record.contactPersonId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!person) {
      return null;
    }
    const employer = await m.getRepository(Employer).findOne({
      where: { id: record.employerId },
      select: { id: true, name: true, unitName: true },
    });
    return { record, person, employer };
  }
}
