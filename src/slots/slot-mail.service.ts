import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThan, LessThanOrEqual, Or } from 'typeorm';
import { ActionToken } from '../auth/action-token.entity';
import { ActionTokensService } from '../auth/action-tokens.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Principal } from '../common/request-context';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EnqueueMail, MailService } from '../mail/mail.service';
import { MailOutbox } from '../mail/mail-outbox.entity';
import { User } from '../organisations/user.entity';
import { SettingsService } from '../settings/settings.service';
import { InternshipSlot } from './internship-slot.entity';
import { SlotsService } from './slots.service';

type Kind = 'request' | 'reconfirm' | 'reminder';
const DAY = 86_400_000;

/**
 * The emails around a slot: the supervisor's confirmation link (asked by a recruiter), the
 * periodic re-confirmation, one reminder, and the pause with a notice to the owner when nobody
 * answers. Every email goes through the outbox (policy, window, digest: a supervisor of three
 * slots gets one email), with a deterministic dedupKey so a scan that runs twice sends nothing twice.
 */
@Injectable()
export class SlotMailService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotsService,
    private readonly tokens: ActionTokensService,
    private readonly mail: MailService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A recruiter asks the supervisor to confirm (a draft or paused slot, or an open one again). */
  async requestConfirmation(slotId: string, p: Principal): Promise<InternshipSlot> {
    await this.mail.transaction(async (m, enqueue) => {
      const slot = await this.lockedSlot(m, slotId);
      if (slot.status === 'closed' || slot.status === 'full') {
        throw DomainError.conflict(
          'ILLEGAL_TRANSITION',
          `A ${slot.status} slot cannot be sent for confirmation`,
          { from: slot.status, allowed: [] },
        );
      }
      if (slot.status !== 'open') {
        await this.slots.changeStatus(m, slot, 'awaiting_confirmation', 'user');
      }
      await this.send(m, enqueue, slot, 'request', p.organisationId);
    });
    return this.slots.get(slotId);
  }

  private async lockedSlot(m: EntityManager, id: string): Promise<InternshipSlot> {
    const slot = await m.getRepository(InternshipSlot).findOne({
      where: { id },
      relations: { supervisor: true, employer: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (!slot) {
      throw DomainError.notFound('Slot', id);
    }
    if (!slot.supervisor?.email) {
      throw DomainError.invalid([
        {
          field: 'supervisorId',
          message: 'the supervisor has no email address; add one to the contact person first',
        },
      ]);
    }
    return slot;
  }

  private async send(
    m: EntityManager,
    enqueue: (input: EnqueueMail) => Promise<MailOutbox>,
    slot: InternshipSlot,
    kind: Kind,
    onBehalfOf: string,
  ): Promise<void> {
    const days = await this.settings.get('slots.linkValidDays', m);
    const { token, row } = await this.tokens.issue(
      m,
      'confirm_slot',
      slot.id,
      days,
      slot.supervisorId,
    );
    const url = `${this.config.appUrl}/s/${token}`;
    const place = slot.employer?.unitName
      ? `${slot.employer.name}, ${slot.employer.unitName}`
      : (slot.employer?.name ?? '');
    const month = this.clock.now().toISOString().slice(0, 7);
    const dedupKey =
      kind === 'reconfirm'
        ? `slot-reconfirm:${slot.id}:${month}`
        : `slot-${kind}:${slot.id}:${row.id}`;
    const first = (slot.supervisor!.name ?? '').split(' ')[0];
    await enqueue({
      dedupKey,
      to: slot.supervisor!.email!,
      toName: slot.supervisor!.name,
      template: 'notice',
      locale: 'sv',
      category: 'transactional',
      purpose: 'internship',
      employerId: slot.employerId,
      contactPersonId: slot.supervisorId,
      onBehalfOf,
      payload: {
        subject:
          kind === 'reminder'
            ? `Påminnelse: bekräfta praktikplatsen ${slot.title}`
            : `Bekräfta praktikplatsen ${slot.title} hos ${place}`,
        greeting: `Hej ${first},`,
        heading:
          kind === 'request'
            ? 'Stämmer uppgifterna om praktikplatsen?'
            : 'Finns praktikplatsen kvar?',
        paragraphs: [
          `Du är handledare för praktikplatsen ${slot.title} hos ${place}: ${slot.capacity} ${slot.capacity === 1 ? 'plats' : 'platser'}, ${slot.hoursPerWeek} timmar i veckan från ${slot.availableFrom}.`,
          'Bekräfta att uppgifterna stämmer, ändra dem, eller tacka nej. Det tar en minut och du behöver inget konto.',
          `Länken gäller i ${days} dagar och kan användas en gång.`,
        ],
        action: { label: 'Bekräfta eller ändra', url },
        signature: 'Vänliga hälsningar\nPraktiknav',
      },
    });
    await this.audit.record(
      {
        action: `slot.confirmation_${kind}`,
        entity: 'internship_slot',
        entityId: slot.id,
        detail: { tokenId: row.id },
      },
      m,
    );
  }

  /**
   * The periodic scan: open slots not confirmed for `slots.reconfirmAfterDays` get a
   * re-confirmation; a link that expired unanswered gets one reminder; when the reminder also
   * expires, the slot is paused and its owner told. Safe to run twice and on several instances
   * (row locks, dedupKeys, and each step looks at what the last one left).
   */
  async scan(): Promise<{ requested: number; reminded: number; paused: number }> {
    const now = this.clock.now();
    const after = await this.settings.get('slots.reconfirmAfterDays');
    const cutoff = new Date(now.getTime() - after * DAY);
    const due = await this.db.getRepository(InternshipSlot).find({
      where: { status: In(['open', 'full']), lastConfirmedAt: Or(IsNull(), LessThan(cutoff)) },
      select: { id: true },
      take: 500,
    });
    const result = { requested: 0, reminded: 0, paused: 0 };
    for (const { id } of due) {
      const step = await this.step(id, now, cutoff);
      if (step) {
        result[step]++;
      }
    }
    return result;
  }

  private async step(
    slotId: string,
    now: Date,
    cutoff: Date,
  ): Promise<'requested' | 'reminded' | 'paused' | null> {
    return this.mail.transaction(async (m, enqueue) => {
      const slot = await m.getRepository(InternshipSlot).findOne({
        where: { id: slotId },
        relations: { supervisor: true, employer: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (
        !slot ||
        !['open', 'full'].includes(slot.status) ||
        (slot.lastConfirmedAt && slot.lastConfirmedAt >= cutoff) ||
        !slot.supervisor?.email
      ) {
        return null;
      }
      // Links sent since the slot was last confirmed (or, if never, since the cutoff).
      const since =
        slot.lastConfirmedAt && slot.lastConfirmedAt > cutoff ? slot.lastConfirmedAt : cutoff;
      const links = await m.getRepository(ActionToken).find({
        where: { purpose: 'confirm_slot', subjectId: slot.id, createdAt: LessThanOrEqual(now) },
        order: { createdAt: 'ASC' },
      });
      const recent = links.filter((l) => l.createdAt >= since);
      if (recent.some((l) => !l.usedAt && l.expiresAt > now)) {
        return null; // a link is out and still valid: wait for the answer
      }
      const onBehalfOf = await this.ownerOrganisation(m, slot);
      if (recent.length === 0) {
        await this.send(m, enqueue, slot, 'reconfirm', onBehalfOf);
        return 'requested';
      }
      if (recent.length === 1) {
        await this.send(m, enqueue, slot, 'reminder', onBehalfOf);
        return 'reminded';
      }
      await this.slots.changeStatus(m, slot, 'paused', 'system', {
        reason: 'no answer to re-confirmation',
      });
      if (slot.ownerUserId) {
        const owner = await m.getRepository(User).findOne({ where: { id: slot.ownerUserId } });
        if (owner?.active) {
          await enqueue({
            dedupKey: `slot-paused:${slot.id}:${recent[recent.length - 1].id}`,
            to: owner.email,
            toName: owner.name,
            template: 'notice',
            locale: owner.locale,
            category: 'internal',
            onBehalfOf,
            payload: {
              subject: `Praktikplatsen ${slot.title} är pausad`,
              greeting: `Hej ${owner.name.split(' ')[0]},`,
              heading: 'Handledaren har inte bekräftat praktikplatsen',
              paragraphs: [
                `${slot.supervisor?.name ?? 'Handledaren'} har inte svarat på två förfrågningar om att bekräfta praktikplatsen ${slot.title} hos ${slot.employer?.name ?? ''}, så den är pausad och visas inte som ledig.`,
                'Kontakta arbetsplatsen och skicka en ny förfrågan när du vet att platsen finns kvar.',
              ],
              action: {
                label: 'Öppna praktikplatsen',
                url: `${this.config.appUrl}/slots/${slot.id}`,
              },
            },
          });
        }
      }
      return 'paused';
    });
  }

  private async ownerOrganisation(m: EntityManager, slot: InternshipSlot): Promise<string> {
    const owner = slot.ownerUserId
      ? await m.getRepository(User).findOne({ where: { id: slot.ownerUserId } })
      : null;
    if (owner) {
      return owner.organisationId;
    }
    const any = await m.getRepository(User).findOne({ where: {}, order: { createdAt: 'ASC' } });
    return any!.organisationId;
  }
}
