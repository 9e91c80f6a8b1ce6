import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual, Not } from 'typeorm';
import { nextSendingMoment, SendingWindow, STOCKHOLM } from '../common/business-days';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ContactsService } from '../contacts/contacts.service';
import { ContactPerson } from '../employers/contact-person.entity';
import { Employer } from '../employers/employer.entity';
import { EmployersService } from '../employers/employers.service';
import { Batcher } from './batcher';
import { FINAL_MAIL_STATUSES, MailOutbox } from './mail-outbox.entity';
import { OptOutService } from './opt-out.service';

export type DecideResult =
  | { kind: 'skip'; why: string }
  | { kind: 'later'; at: Date }
  /** Decided earlier (an SMTP retry): the send step claims it. */
  | { kind: 'send' }
  /** Decided now and claimed (`sending`, committed) with the decision: send it. */
  | { kind: 'claimed'; row: MailOutbox; members: MailOutbox[] };

type Verdict =
  | { kind: 'send'; note: string }
  | { kind: 'suppress'; reason: string }
  | { kind: 'postpone'; at: Date; note: string };

/** Statement batching: up to 50 jobs, waiting at most 2 ms for company. */
const BATCH = { maxSize: 50, maxWaitMs: 2 };
/** At most this many emails in one digest (the rest go in the next one). */
const MAX_DIGEST = 50;
/** Another outreach email to the same employer is on its way: look again shortly. */
const IN_FLIGHT_RECHECK_MS = 5 * 60_000;
const IN_REVIEW_RECHECK_MS = 60 * 60_000;

const short = (s: string, n = 500) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/**
 * The decide step (DESIGN §3 rule 3): under row locks, send now, postpone, merge into a digest
 * or suppress — never silently drop. Runs once per email: a row with decided_at set goes
 * straight to the send step, so an SMTP retry never decides again.
 *
 * Locks, always in this order so deciders cannot deadlock each other: the employer row (as
 * for claims: one policy decision at a time per employer), then the recipient's due rows. READ
 * COMMITTED: row locks only, no gap locks — nothing here relies on phantoms being blocked, and
 * gap locks on the recipient index made unrelated recipients deadlock.
 */
@Injectable()
export class MailDecider {
  private readonly window: SendingWindow;
  // Concurrent jobs share one statement for the two steps every internal mail takes.
  private readonly peeks = new Batcher((ids: string[]) => this.peekMany(ids), BATCH);
  private readonly claims = new Batcher((ids: string[]) => this.claimMany(ids), BATCH);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly employers: EmployersService,
    private readonly contacts: ContactsService,
    private readonly optOut: OptOutService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.window = { ...config.mail.sendWindow, tz: STOCKHOLM };
  }

  /**
   * `beforeClaim` runs right before the claim would commit (the processor waits there for a
   * free SMTP slot, so few rows sit claimed but unsent if the worker dies).
   */
  async decide(
    id: string,
    beforeClaim: () => Promise<void> = async () => undefined,
  ): Promise<DecideResult> {
    let now = this.clock.now();
    const peeked = await this.peeks.load(id);
    if (!peeked) {
      return { kind: 'skip', why: 'no such row' };
    }
    const { row: peek, hasOthers } = peeked;
    const gate = this.gate(peek, now);
    if (gate) {
      return gate;
    }
    if (peek.decidedAt) {
      return { kind: 'send' };
    }
    await beforeClaim();
    now = this.clock.now(); // the wait for a slot may have taken a while
    if (peek.category === 'internal' && !hasOthers) {
      return this.decideAlone(peek);
    }
    return this.db.transaction('READ COMMITTED', async (m) => {
      let employer: Employer | null = null;
      let employerProblem: string | null = null;
      if (peek.employerId) {
        try {
          employer = await this.employers.findForContact(m, peek.employerId, true);
        } catch (e) {
          if (!(e instanceof DomainError)) {
            throw e;
          }
          employerProblem =
            e.code === 'EMPLOYER_MERGED'
              ? 'EMPLOYER_MERGED: the employer was merged into another'
              : 'EMPLOYER_NOT_FOUND: the employer no longer exists';
        }
      }
      const group = await this.lockDueGroup(m, peek.recipient, now);
      let row = group.find((r) => r.id === id) ?? null;
      if (!row) {
        // Changed since the peek, or beyond the group's limit: decide it alone.
        row = await m
          .getRepository(MailOutbox)
          .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row) {
          return { kind: 'skip', why: 'no such row' };
        }
        const again = this.gate(row, now);
        if (again) {
          return again;
        }
        if (row.decidedAt) {
          return { kind: 'send' };
        }
        group.length = 0;
      }
      const verdict = await this.judge(m, row, employer, employerProblem, now);
      const repo = m.getRepository(MailOutbox);
      if (verdict.kind === 'suppress') {
        await repo.update(
          { id: row.id },
          {
            status: 'suppressed',
            suppressedReason: short(verdict.reason),
            decisionNote: short(verdict.reason),
          },
        );
        return { kind: 'skip', why: verdict.reason };
      }
      if (verdict.kind === 'postpone') {
        await repo.update(
          { id: row.id },
          { status: 'queued', notBefore: verdict.at, decisionNote: short(verdict.note) },
        );
        return { kind: 'later', at: verdict.at };
      }

      // Send: first gather the recipient's other due mail into one digest.
      const members: MailOutbox[] = [];
      if (this.config.mail.digestWindowHours > 0) {
        for (const c of group) {
          if (members.length >= MAX_DIGEST - 1) {
            break;
          }
          if (c.id === row.id || c.employerId !== row.employerId) {
            continue;
          }
          const v = await this.judge(m, c, employer, employerProblem, now);
          if (v.kind === 'send') {
            members.push(c);
          }
        }
      }
      const digestId = members.length ? row.id : null;
      const note = short(
        members.length ? `Digest of ${members.length + 1} emails. ${verdict.note}` : verdict.note,
      );
      // The claim (→ sending) commits with the decision: the row is locked, so it is ours.
      const claim = {
        status: 'sending' as const,
        decidedAt: now,
        sendingStartedAt: now,
        attempts: row.attempts + 1,
        digestId,
        decisionNote: note,
      };
      await repo.update({ id: row.id }, claim);
      if (members.length) {
        await repo.update(
          { id: In(members.map((r) => r.id)) },
          {
            status: 'queued',
            decidedAt: now,
            digestId: row.id,
            decisionNote: `Merged into digest ${row.id}`,
          },
        );
      }
      const outreach = [row, ...members].find(
        (r) => r.category === 'outreach' && r.contactPersonId && r.employerId,
      );
      if (outreach) {
        await this.optOut.ensure(m, row.id, outreach.contactPersonId!, outreach.employerId!);
      }
      return {
        kind: 'claimed',
        row: Object.assign(row, claim),
        members: members.map((r) =>
          Object.assign(r, { status: 'queued' as const, decidedAt: now, digestId: row.id }),
        ),
      };
    });
  }

  /**
   * Internal mail with nothing to merge has nothing to decide: one conditional UPDATE both
   * decides and claims it (its row lock is the decision's lock). If another decider merged or
   * took the row meanwhile, nothing changes and the job skips.
   */
  private async decideAlone(row: MailOutbox): Promise<DecideResult> {
    const claim = await this.claims.load(row.id);
    if (!claim) {
      return { kind: 'skip', why: 'decided by someone else' };
    }
    Object.assign(row, {
      status: 'sending',
      decidedAt: claim.at,
      sendingStartedAt: claim.at,
      attempts: row.attempts + 1,
      decisionNote: claim.note,
    });
    return { kind: 'claimed', row, members: [] };
  }

  /**
   * One conditional UPDATE for a batch of internal rows. When it changed fewer rows than asked,
   * the batch's own marker in decision_note tells which ones are ours.
   */
  private async claimMany(ids: string[]): Promise<({ at: Date; note: string } | null)[]> {
    const unique = [...new Set(ids)];
    const at = this.clock.now();
    const note = `Internal mail: no contact policy, any time. (claim ${randomUUID()})`;
    const res = (await this.db.query(
      `UPDATE mail_outbox
          SET status = 'sending', decided_at = ?, sending_started_at = ?,
              attempts = attempts + 1, decision_note = ?
        WHERE id IN (?) AND status IN ('pending', 'queued') AND decided_at IS NULL
          AND digest_id IS NULL AND not_before <= ?`,
      [at, at, note, unique, at],
    )) as { affectedRows?: number };
    const affected = Number(res?.affectedRows ?? 0);
    let ours: Set<string>;
    if (affected === unique.length) {
      ours = new Set(unique);
    } else if (affected === 0) {
      ours = new Set();
    } else {
      const rows: { id: string }[] = await this.db.query(
        `SELECT id FROM mail_outbox WHERE id IN (?) AND status = 'sending' AND decision_note = ?`,
        [unique, note],
      );
      ours = new Set(rows.map((r) => r.id));
    }
    // The same id twice in one batch (two jobs for one row): only the first caller sends.
    const given = new Set<string>();
    return ids.map((id) => {
      if (!ours.has(id) || given.has(id)) {
        return null;
      }
      given.add(id);
      return { at, note };
    });
  }

  /**
   * The rows, and for each whether other undecided mail to the same recipient is due within
   * the digest window — one statement for a batch of jobs.
   */
  private async peekMany(
    ids: string[],
  ): Promise<({ row: MailOutbox; hasOthers: boolean } | null)[]> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.config.mail.digestWindowHours * 3_600_000);
    const raw: Record<string, unknown>[] = await this.db.query(
      `SELECT o.*, ${
        this.config.mail.digestWindowHours > 0
          ? `EXISTS (SELECT 1 FROM mail_outbox x
                      WHERE x.recipient = o.recipient AND x.status IN ('pending', 'queued')
                        AND x.digest_id IS NULL AND x.decided_at IS NULL
                        AND x.not_before <= ? AND x.id <> o.id)`
          : '0 AND ?'
      } AS has_others
         FROM mail_outbox o WHERE o.id IN (?)`,
      [horizon, [...new Set(ids)]],
    );
    const meta = this.db.getMetadata(MailOutbox);
    const byId = new Map(raw.map((r) => [String(r.id), r]));
    return ids.map((id) => {
      const r = byId.get(id);
      if (!r) {
        return null;
      }
      // A fresh entity per caller: the decide step writes to it.
      const row = new MailOutbox();
      for (const column of meta.columns) {
        column.setEntityValue(
          row,
          this.db.driver.prepareHydratedValue(r[column.databaseName], column),
        );
      }
      return { row, hasOthers: Number(r.has_others) === 1 };
    });
  }

  /** Rows that are not (or not yet) this step's business. */
  private gate(row: MailOutbox, now: Date): DecideResult | null {
    if (row.status === 'sending' || FINAL_MAIL_STATUSES.includes(row.status)) {
      return { kind: 'skip', why: `already ${row.status}` };
    }
    if (row.digestId && row.digestId !== row.id) {
      return { kind: 'skip', why: `carried by digest ${row.digestId}` };
    }
    if (row.notBefore.getTime() > now.getTime()) {
      return { kind: 'later', at: row.notBefore };
    }
    return null;
  }

  /**
   * The recipient's undecided rows due within the digest window, locked. One statement with a
   * fixed shape, so concurrent deciders lock in the same (index) order and wait, not deadlock.
   */
  private lockDueGroup(m: EntityManager, recipient: string, now: Date): Promise<MailOutbox[]> {
    const horizon = new Date(now.getTime() + this.config.mail.digestWindowHours * 3_600_000);
    return m.getRepository(MailOutbox).find({
      where: {
        recipient,
        status: In(['pending', 'queued']),
        digestId: IsNull(),
        decidedAt: IsNull(),
        notBefore: LessThanOrEqual(horizon),
      },
      order: { notBefore: 'ASC', id: 'ASC' },
      take: 200,
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** What to do with one row now (pure reads, no writes). */
  private async judge(
    m: EntityManager,
    row: MailOutbox,
    employer: Employer | null,
    employerProblem: string | null,
    now: Date,
  ): Promise<Verdict> {
    if (row.category === 'internal') {
      return { kind: 'send', note: 'Internal mail: no contact policy, any time.' };
    }
    if (row.employerId) {
      if (employerProblem || !employer) {
        return { kind: 'suppress', reason: employerProblem ?? 'EMPLOYER_NOT_FOUND' };
      }
      if (row.contactPersonId) {
        const person = await m.getRepository(ContactPerson).findOne({
          where: { id: row.contactPersonId },
          select: { id: true, employerId: true, emailOptOut: true },
        });
        if (!person || person.employerId !== row.employerId) {
          return { kind: 'suppress', reason: 'CONTACT_PERSON_REMOVED: the contact person is gone' };
        }
        // Opt-out ends unsolicited mail; messages the employer asked for (transactional) still go.
        if (person.emailOptOut && row.category === 'outreach') {
          return {
            kind: 'suppress',
            reason: 'OPTED_OUT: the contact person opted out of outreach email',
          };
        }
      }
      const { decision } = await this.contacts.decide(
        m,
        employer,
        { organisationId: row.onBehalfOfId, userId: null },
        row.purpose,
        now,
        { category: row.category === 'transactional' ? 'transactional' : 'outreach' },
      );
      if (decision.decision === 'refused') {
        if (decision.reason === 'DO_NOT_CONTACT' || decision.nextAllowedAt === null) {
          return { kind: 'suppress', reason: `${decision.reason}: ${decision.message}` };
        }
        return {
          kind: 'postpone',
          at: nextSendingMoment(decision.nextAllowedAt, this.window),
          note: `${decision.reason}: ${decision.message}`,
        };
      }
      if (row.category === 'outreach') {
        // Decided but not yet recorded as a contact: without this, two outreach emails decided
        // seconds apart would both pass the cool-off.
        const other = await m.getRepository(MailOutbox).findOne({
          where: {
            employerId: row.employerId,
            category: 'outreach',
            status: In(['queued', 'sending', 'needs_review']),
            decidedAt: Not(IsNull()),
            id: Not(row.id),
          },
          select: { id: true, status: true },
        });
        if (other) {
          const wait =
            other.status === 'needs_review' ? IN_REVIEW_RECHECK_MS : IN_FLIGHT_RECHECK_MS;
          return {
            kind: 'postpone',
            at: new Date(now.getTime() + wait),
            note: `IN_FLIGHT: outreach email ${other.id} to this employer is ${other.status}; deciding again later`,
          };
        }
      }
    }
    const at = nextSendingMoment(now, this.window);
    if (at.getTime() > now.getTime()) {
      return {
        kind: 'postpone',
        at,
        note: `OUTSIDE_WINDOW: first sending moment ${at.toISOString()}`,
      };
    }
    return {
      kind: 'send',
      note:
        row.employerId && row.category === 'transactional'
          ? 'Allowed (transactional: exempt from the cool-off).'
          : 'Allowed by the contact policy.',
    };
  }
}
