import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Page, pageOf } from '../common/pagination';
import { Principal } from '../common/request-context';
import { ContactPerson } from '../employers/contact-person.entity';
import { EmployerMergeService } from '../employers/employer-merge.service';
import { Employer } from '../employers/employer.entity';
import { EmployersService } from '../employers/employers.service';
import { SettingsService } from '../settings/settings.service';
import { newId } from '../database/base.entity';
import { ContactClaim, ContactEvent, ContactRefusal } from './contact-event.entity';
import {
  ContactCategory,
  ContactDecision,
  ContactPurpose,
  decideContact,
  describeDecision,
  formatContactDate,
} from './contact-policy';
import { ClaimDto, LogContactDto, TimelineQuery } from './dto/contact.dto';

/** How many recent contacts the decision reads: only the latest matters for the cool-off. */
const RECENT_CONTACTS = 5;

export interface Asker {
  organisationId: string;
  userId: string | null;
}

/**
 * The shared contact history and the coordination around it: "may I contact?", claims,
 * logging contacts (flagging breaches, never rejecting them) and next steps.
 */
@Injectable()
export class ContactsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly employers: EmployersService,
    private readonly merges: EmployerMergeService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    for (const [name, entity] of [
      ['contactEvents', ContactEvent],
      ['contactClaims', ContactClaim],
      ['contactRefusals', ContactRefusal],
    ] as const) {
      this.merges.register({
        name,
        count: (m, id) => m.getRepository(entity).count({ where: { employerId: id } }),
        move: async (m, from, to) =>
          (await m.getRepository(entity).update({ employerId: from }, { employerId: to }))
            .affected ?? 0,
      });
    }
  }

  /** The policy decision for an asker, from the employer row and what the database holds now. */
  async decide(
    m: EntityManager,
    employer: Employer,
    asker: Asker,
    purpose: ContactPurpose,
    now: Date,
    flags: { category?: ContactCategory; isActivePlacementFollowUp?: boolean } = {},
  ): Promise<{ decision: ContactDecision; claims: ContactClaim[] }> {
    const [contacts, claims, defaultMin] = await Promise.all([
      m.getRepository(ContactEvent).find({
        where: { employerId: employer.id },
        relations: { organisation: true, user: true },
        order: { occurredAt: 'DESC' },
        take: RECENT_CONTACTS,
      }),
      // Expiry is checked here, at read time: correctness never waits for the expiry job.
      m.getRepository(ContactClaim).find({
        where: { employerId: employer.id, status: 'active', validUntil: MoreThan(now) },
        relations: { organisation: true, user: true },
      }),
      this.settings.get('contact.minDaysBetweenContacts', m),
    ]);
    const decision = decideContact({
      employer: {
        status: employer.status,
        doNotContactReason: employer.doNotContactReason,
        doNotContactUntil: employer.doNotContactUntil,
        minDaysBetweenContacts: employer.minDaysBetweenContacts,
        ownerUserId: employer.ownerUserId,
      },
      defaultMinDaysBetweenContacts: defaultMin,
      contacts: contacts.map((c) => ({
        occurredAt: c.occurredAt,
        organisationId: c.organisationId,
        organisationName: c.organisation?.name ?? '',
        userId: c.userId,
        userName: c.user?.name ?? null,
        purpose: c.purpose,
        channel: c.channel,
        policyBreach: c.policyBreach,
      })),
      claims: claims.map((c) => ({
        id: c.id,
        organisationId: c.organisationId,
        organisationName: c.organisation?.name ?? '',
        userId: c.userId,
        userName: c.user?.name ?? null,
        purpose: c.purpose,
        createdAt: c.createdAt,
        validUntil: c.validUntil,
        status: c.status,
      })),
      asker,
      purpose,
      flags: {
        category: flags.category ?? 'human',
        isActivePlacementFollowUp: flags.isActivePlacementFollowUp ?? false,
      },
      now,
    });
    return { decision, claims };
  }

  describe(decision: ContactDecision, locale: 'sv' | 'en'): string {
    return describeDecision(decision, locale, formatContactDate, this.clock.now());
  }

  /** "May I contact?" without claiming. */
  async permission(employerId: string, p: Principal, purpose: ContactPurpose) {
    const now = this.clock.now();
    const employer = await this.employers.findForContact(this.db.manager, employerId, false);
    const { decision, claims } = await this.decide(
      this.db.manager,
      employer,
      { organisationId: p.organisationId, userId: p.userId },
      purpose,
      now,
    );
    return {
      employer,
      decision,
      ownClaim: claims.find((c) => c.organisationId === p.organisationId) ?? null,
      now,
    };
  }

  /**
   * Grants the right to contact, or refuses naming the holder. The employer row is locked for
   * the decision, so of many concurrent requests exactly one is granted.
   */
  async claim(employerId: string, p: Principal, dto: ClaimDto) {
    const maxDays = await this.settings.get('contact.maxClaimDays');
    const days = dto.days ?? Math.min(7, maxDays);
    if (days > maxDays) {
      throw DomainError.invalid([{ field: 'days', message: `days must be at most ${maxDays}` }]);
    }
    const result = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const employer = await this.employers.findForContact(m, employerId, true);
      const { decision, claims } = await this.decide(
        m,
        employer,
        { organisationId: p.organisationId, userId: p.userId },
        dto.purpose,
        now,
      );
      const own = claims.find((c) => c.organisationId === p.organisationId);
      if (decision.decision === 'refused') {
        await m.getRepository(ContactRefusal).insert({
          id: newId(),
          employerId,
          organisationId: p.organisationId,
          userId: p.userId,
          purpose: dto.purpose,
          reason: decision.reason,
          holderOrganisationId: decision.holder?.organisationId ?? null,
          createdAt: now,
        });
        return { granted: false, decision, claim: null, employer, now };
      }
      if (own) {
        // One active claim per employer: your organisation already holds it.
        return { granted: true, decision, claim: own, employer, now };
      }
      const claim = m.getRepository(ContactClaim).create({
        employerId,
        organisationId: p.organisationId,
        userId: p.userId,
        purpose: dto.purpose,
        validUntil: new Date(now.getTime() + days * 86_400_000),
        status: 'active',
        endedAt: null,
        // Times come from the injected clock, so statistics and expiry agree with it.
        createdAt: now,
      });
      await m.getRepository(ContactClaim).save(claim);
      claim.organisation = {
        id: p.organisationId,
        name: p.organisationName,
      } as ContactClaim['organisation'];
      claim.user = { id: p.userId, name: p.name } as ContactClaim['user'];
      await this.audit.record(
        {
          action: 'contact.claim',
          entity: 'contact_claim',
          entityId: claim.id,
          detail: { employerId, purpose: dto.purpose, days },
        },
        m,
      );
      return { granted: true, decision, claim, employer, now };
    });
    if (!result.granted && result.decision.decision === 'refused') {
      // Audited after the commit: a refusal changes nothing, and the employer row stays locked
      // no longer than the decision needs (50 organisations may be queueing on it).
      await this.audit.record({
        action: 'contact.claim_refused',
        entity: 'employer',
        entityId: employerId,
        detail: {
          reason: result.decision.reason,
          holder: result.decision.holder?.organisationName,
        },
      });
    }
    return result;
  }

  async releaseClaim(claimId: string, p: Principal): Promise<ContactClaim> {
    return this.db.transaction(async (m) => {
      const claim = await m
        .getRepository(ContactClaim)
        .findOne({ where: { id: claimId }, lock: { mode: 'pessimistic_write' } });
      if (!claim || (claim.organisationId !== p.organisationId && !p.roles.includes('admin'))) {
        throw DomainError.notFound('Claim', claimId);
      }
      const now = this.clock.now();
      if (claim.status !== 'active' || claim.validUntil <= now) {
        throw DomainError.conflict('CLAIM_NOT_ACTIVE', 'The claim is no longer active', {
          status: claim.validUntil <= now && claim.status === 'active' ? 'expired' : claim.status,
        });
      }
      claim.status = 'released';
      claim.endedAt = now;
      await m.getRepository(ContactClaim).save(claim);
      await this.audit.record(
        { action: 'contact.claim_release', entity: 'contact_claim', entityId: claimId },
        m,
      );
      return claim;
    });
  }

  /**
   * Logs a contact. The acting user and organisation come from the session, never the body.
   * A contact that breaks the policy is saved all the same and flagged as a breach.
   */
  async logContact(employerId: string, p: Principal, dto: LogContactDto): Promise<ContactEvent> {
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : now;
      if (occurredAt.getTime() > now.getTime() + 5 * 60_000) {
        throw DomainError.invalid([
          { field: 'occurredAt', message: 'occurredAt cannot be in the future' },
        ]);
      }
      const employer = await this.employers.findForContact(m, employerId, true);
      if (dto.contactPersonId) {
        const person = await m
          .getRepository(ContactPerson)
          .findOne({ where: { id: dto.contactPersonId, employerId } });
        if (!person) {
          throw DomainError.invalid([
            {
              field: 'contactPersonId',
              message: 'contactPersonId is not a contact person of this employer',
            },
          ]);
        }
      }
      const { decision, claims } = await this.decide(
        m,
        employer,
        { organisationId: p.organisationId, userId: p.userId },
        dto.purpose,
        occurredAt,
      );
      const own = claims.find((c) => c.organisationId === p.organisationId && c.validUntil > now);
      const breach = !own && decision.decision === 'refused' ? decision.reason : null;
      const event = m.getRepository(ContactEvent).create({
        employerId,
        contactPersonId: dto.contactPersonId ?? null,
        organisationId: p.organisationId,
        userId: p.userId,
        channel: dto.channel,
        purpose: dto.purpose,
        occurredAt,
        outcome: dto.outcome ?? null,
        note: dto.note ?? null,
        nextStepAt: dto.nextStepAt ? new Date(dto.nextStepAt) : null,
        nextStepDoneAt: null,
        claimId: own?.id ?? null,
        policyBreach: breach !== null,
        breachReason: breach,
        mailOutboxId: null,
      });
      await m.getRepository(ContactEvent).save(event);
      if (own) {
        await m
          .getRepository(ContactClaim)
          .update({ id: own.id }, { status: 'used', endedAt: now });
      }
      await this.audit.record(
        {
          action: 'contact.log',
          entity: 'contact_event',
          entityId: event.id,
          detail: { employerId, purpose: dto.purpose, channel: dto.channel, breach },
        },
        m,
      );
      return (await m
        .getRepository(ContactEvent)
        .findOne({ where: { id: event.id }, relations: { organisation: true, user: true } }))!;
    });
  }

  /** A contact made by the system (an automated email), in the caller's transaction. */
  async recordSystemContact(
    m: EntityManager,
    c: {
      employerId: string;
      organisationId: string;
      contactPersonId: string | null;
      purpose: ContactPurpose;
      occurredAt: Date;
      outcome: string;
      mailOutboxId: string;
    },
  ): Promise<ContactEvent> {
    const event = m.getRepository(ContactEvent).create({
      ...c,
      userId: null,
      channel: 'email',
      note: null,
      nextStepAt: null,
      nextStepDoneAt: null,
      claimId: null,
      policyBreach: false,
      breachReason: null,
    });
    return m.getRepository(ContactEvent).save(event);
  }

  async timeline(employerId: string, q: TimelineQuery): Promise<Page<ContactEvent>> {
    await this.employers.findForContact(this.db.manager, employerId, false);
    const [items, total] = await this.db.getRepository(ContactEvent).findAndCount({
      where: {
        employerId,
        ...(q.organisationId ? { organisationId: q.organisationId } : {}),
        ...(q.purpose ? { purpose: q.purpose } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
      },
      relations: { organisation: true, user: true },
      order: { occurredAt: 'DESC', id: 'DESC' },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return pageOf(items, total, q);
  }

  async claimsFor(employerId: string): Promise<ContactClaim[]> {
    return this.db.getRepository(ContactClaim).find({
      where: { employerId },
      relations: { organisation: true, user: true },
      order: { createdAt: 'DESC' },
      take: 20,
    });
  }

  /** Open next steps due by the end of this week (Stockholm), overdue first. */
  async nextSteps(p: Principal, scope: 'me' | 'organisation') {
    const now = this.clock.now();
    const endOfWeek = DateTime.fromJSDate(now, { zone: 'Europe/Stockholm' })
      .endOf('week')
      .toJSDate();
    const rows = await this.db.getRepository(ContactEvent).find({
      where: {
        ...(scope === 'organisation' ? { organisationId: p.organisationId } : { userId: p.userId }),
        nextStepAt: LessThanOrEqual(endOfWeek),
        nextStepDoneAt: IsNull(),
      },
      relations: { organisation: true, user: true },
      order: { nextStepAt: 'ASC' },
      take: 200,
    });
    const names = await this.employerNames(rows.map((r) => r.employerId));
    // Overdue means before today in Stockholm: a step due today is not late yet.
    const startOfToday = DateTime.fromJSDate(now, { zone: 'Europe/Stockholm' })
      .startOf('day')
      .toJSDate();
    return rows.map((r) => ({
      event: r,
      employerName: names.get(r.employerId) ?? '',
      overdue: r.nextStepAt! < startOfToday,
    }));
  }

  private async employerNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) {
      return new Map();
    }
    const rows = await this.db.getRepository(Employer).find({
      where: { id: In([...new Set(ids)]) },
      select: { id: true, name: true, unitName: true },
    });
    return new Map(rows.map((e) => [e.id, e.unitName ? `${e.name}, ${e.unitName}` : e.name]));
  }

  async markNextStepDone(eventId: string, p: Principal): Promise<ContactEvent> {
    return this.db.transaction(async (m) => {
      const e = await m
        .getRepository(ContactEvent)
        .findOne({ where: { id: eventId }, lock: { mode: 'pessimistic_write' } });
      if (!e || e.organisationId !== p.organisationId) {
        throw DomainError.notFound('Contact', eventId);
      }
      if (!e.nextStepAt) {
        throw new DomainError(
          'NO_NEXT_STEP',
          HttpStatus.CONFLICT,
          'This contact has no planned next step',
        );
      }
      e.nextStepDoneAt ??= this.clock.now();
      await m.getRepository(ContactEvent).save(e);
      await this.audit.record(
        { action: 'contact.next_step_done', entity: 'contact_event', entityId: eventId },
        m,
      );
      return e;
    });
  }

  /** Marks claims past their end as expired (the scheduled job; reads never depend on it). */
  async expireClaims(): Promise<number> {
    const now = this.clock.now();
    const res = await this.db
      .createQueryBuilder()
      .update(ContactClaim)
      .set({ status: 'expired', endedAt: () => 'valid_until' })
      .where('status = :active AND valid_until <= :now', { active: 'active', now })
      .execute();
    return res.affected ?? 0;
  }

  /** Contacts, claims, refusals ("double contacts prevented") and breaches in [from, to). */
  async statistics(from: Date, to: Date) {
    const [contacts, claims, refusals] = await Promise.all([
      this.db.query(
        `SELECT c.organisation_id AS organisationId, o.name AS organisationName, c.purpose, c.channel,
                COUNT(*) AS contacts, SUM(c.policy_breach) AS breaches, SUM(c.user_id IS NULL) AS automated
           FROM contact_event c JOIN organisation o ON o.id = c.organisation_id
          WHERE c.occurred_at >= ? AND c.occurred_at < ?
          GROUP BY c.organisation_id, o.name, c.purpose, c.channel
          ORDER BY o.name, c.purpose, c.channel`,
        [from, to],
      ),
      this.db.query(
        `SELECT k.organisation_id AS organisationId, o.name AS organisationName, COUNT(*) AS granted,
                SUM(k.status = 'used') AS used, SUM(k.status = 'released') AS released,
                SUM(k.status = 'expired' OR (k.status = 'active' AND k.valid_until <= ?)) AS expired
           FROM contact_claim k JOIN organisation o ON o.id = k.organisation_id
          WHERE k.created_at >= ? AND k.created_at < ?
          GROUP BY k.organisation_id, o.name ORDER BY o.name`,
        [this.clock.now(), from, to],
      ),
      this.db.query(
        `SELECT r.organisation_id AS organisationId, o.name AS organisationName, r.reason, COUNT(*) AS refused
           FROM contact_refusal r JOIN organisation o ON o.id = r.organisation_id
          WHERE r.created_at >= ? AND r.created_at < ?
          GROUP BY r.organisation_id, o.name, r.reason ORDER BY o.name, r.reason`,
        [from, to],
      ),
    ]);
    const num = (rows: Record<string, unknown>[], keys: string[]) =>
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, keys.includes(k) ? Number(v) : v]),
        ),
      );
    const byContact = num(contacts, ['contacts', 'breaches', 'automated']);
    const byClaims = num(claims, ['granted', 'used', 'released', 'expired']);
    const byRefusal = num(refusals, ['refused']);
    const sum = (rows: Record<string, unknown>[], k: string) =>
      rows.reduce((a, r) => a + Number(r[k] ?? 0), 0);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals: {
        contacts: sum(byContact, 'contacts'),
        breaches: sum(byContact, 'breaches'),
        automatedEmails: sum(byContact, 'automated'),
        claimsGranted: sum(byClaims, 'granted'),
        claimsRefused: sum(byRefusal, 'refused'),
        doubleContactsPrevented: sum(byRefusal, 'refused'),
      },
      contacts: byContact,
      claims: byClaims,
      refusals: byRefusal,
    };
  }
}
