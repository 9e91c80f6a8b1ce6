import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { isStrictEmail } from '../common/validators';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MailService } from '../mail/mail.service';
import {
  claimExpiringDedupKey,
  isPastDailyHour,
  nextStepsDedupKey,
  stockholmDay,
} from './reminder-schedule';

interface NextStepRow {
  eventId: string;
  userId: string;
  email: string;
  userName: string;
  locale: 'sv' | 'en';
  organisationId: string;
  employerId: string;
  employerName: string;
  unitName: string | null;
  purpose: string;
  nextStepAt: Date;
  note: string | null;
}

interface ClaimRow {
  claimId: string;
  validUntil: Date;
  purpose: string;
  organisationId: string;
  employerId: string;
  employerName: string;
  unitName: string | null;
  email: string;
  userName: string;
  locale: 'sv' | 'en';
}

/** Users per transaction when writing reminder rows. */
const BATCH = 50;
const MAX_ROWS = 10_000;

const employerLabel = (name: string, unit: string | null) => (unit ? `${name}, ${unit}` : name);

/**
 * Scheduled scans that write reminder emails to the outbox. Every row has a deterministic
 * dedupKey, so a scan that runs twice, or on several instances at once, writes each reminder
 * once. The pipeline does the rest (internal mail: no policy, no window).
 *
 * The scans read contact_event and contact_claim with plain SQL: ContactsService has no query
 * for "due today across users" yet (TODO: move these two reads there).
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One email per user with open next steps due today (Stockholm), from the daily hour on. */
  async scanNextSteps(): Promise<{ users: number; written: number }> {
    const now = this.clock.now();
    if (!isPastDailyHour(now, this.config.reminders.dailyHour)) {
      return { users: 0, written: 0 };
    }
    const day = stockholmDay(now);
    const rows: NextStepRow[] = await this.db.query(
      `SELECT ce.id AS eventId, u.id AS userId, u.email, u.name AS userName, u.locale,
              u.organisation_id AS organisationId, e.id AS employerId, e.name AS employerName,
              e.unit_name AS unitName, ce.purpose, ce.next_step_at AS nextStepAt, ce.note
         FROM contact_event ce
         JOIN \`user\` u ON u.id = ce.user_id AND u.active = 1
         JOIN employer e ON e.id = ce.employer_id AND e.merged_into_id IS NULL
        WHERE ce.next_step_at >= ? AND ce.next_step_at < ? AND ce.next_step_done_at IS NULL
        ORDER BY u.id, ce.next_step_at, ce.id
        LIMIT ${MAX_ROWS}`,
      [day.start, day.end],
    );
    const byUser = new Map<string, NextStepRow[]>();
    for (const r of rows) {
      byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    }
    let written = 0;
    const users = [...byUser.values()].filter((steps) => isStrictEmail(steps[0].email));
    for (let i = 0; i < users.length; i += BATCH) {
      written += await this.mail.transaction(async (_m, enqueue) => {
        let n = 0;
        for (const steps of users.slice(i, i + BATCH)) {
          const u = steps[0];
          const row = await enqueue({
            dedupKey: nextStepsDedupKey(u.userId, day.date),
            to: u.email,
            toName: u.userName,
            template: 'contact-next-step',
            locale: u.locale === 'en' ? 'en' : 'sv',
            category: 'internal',
            onBehalfOf: u.organisationId,
            payload: {
              userName: u.userName,
              date: day.start.toISOString(),
              count: steps.length,
              items: steps.slice(0, 50).map((s) => ({
                employerName: employerLabel(s.employerName, s.unitName),
                purpose: s.purpose,
                nextStepAt: new Date(s.nextStepAt).toISOString(),
                note: s.note ? s.note.slice(0, 300) : null,
                url: `/employers/${s.employerId}`,
              })),
            },
          });
          n += row.createdAt.getTime() === now.getTime() ? 1 : 0;
        }
        return n;
      });
    }
    if (written) {
      this.logger.log(`next-step reminders for ${day.date}: ${written} written`);
    }
    return { users: users.length, written };
  }

  /** One email per active claim ending within the next 24 hours, to the user who holds it. */
  async scanClaimsExpiring(): Promise<{ claims: number; written: number }> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + 24 * 3_600_000);
    const rows: ClaimRow[] = await this.db.query(
      `SELECT k.id AS claimId, k.valid_until AS validUntil, k.purpose,
              k.organisation_id AS organisationId, e.id AS employerId, e.name AS employerName,
              e.unit_name AS unitName, u.email, u.name AS userName, u.locale
         FROM contact_claim k
         JOIN \`user\` u ON u.id = k.user_id AND u.active = 1
         JOIN employer e ON e.id = k.employer_id
        WHERE k.status = 'active' AND k.valid_until > ? AND k.valid_until <= ?
        ORDER BY k.valid_until, k.id
        LIMIT ${MAX_ROWS}`,
      [now, until],
    );
    const claims = rows.filter((r) => isStrictEmail(r.email));
    let written = 0;
    for (let i = 0; i < claims.length; i += BATCH) {
      written += await this.mail.transaction(async (_m, enqueue) => {
        let n = 0;
        for (const k of claims.slice(i, i + BATCH)) {
          const validUntil = new Date(k.validUntil);
          const row = await enqueue({
            dedupKey: claimExpiringDedupKey(k.claimId, validUntil),
            to: k.email,
            toName: k.userName,
            template: 'claim-expiring',
            locale: k.locale === 'en' ? 'en' : 'sv',
            category: 'internal',
            onBehalfOf: k.organisationId,
            payload: {
              userName: k.userName,
              employerName: employerLabel(k.employerName, k.unitName),
              purpose: k.purpose,
              validUntil: validUntil.toISOString(),
              url: `/employers/${k.employerId}`,
            },
          });
          n += row.createdAt.getTime() === now.getTime() ? 1 : 0;
        }
        return n;
      });
    }
    return { claims: claims.length, written };
  }
}
