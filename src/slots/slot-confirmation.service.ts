import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ActionTokensService, TokenCheck } from '../auth/action-tokens.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { requestContext } from '../common/request-context';
import { SupervisorAnswerDto } from './dto/supervisor-answer.dto';
import { InternshipSlot } from './internship-slot.entity';
import { SlotsService } from './slots.service';

/** The supervisor's side: a slot shown and answered through an emailed link, no account needed. */
@Injectable()
export class SlotConfirmationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotsService,
    private readonly tokens: ActionTokensService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** For the GET page: the slot behind a valid link, or why the link does not work. */
  async view(token: string): Promise<{ check: TokenCheck; slot: InternshipSlot | null }> {
    const check = await this.tokens.check(token, 'confirm_slot');
    const slot = check.token ? await this.slots.get(check.token.subjectId).catch(() => null) : null;
    return { check, slot };
  }

  /**
   * Confirms (possibly with changes) or declines, once. The token is consumed under a row lock
   * in the same transaction as the change, so a double submit acts once.
   */
  async answer(
    token: string,
    dto: SupervisorAnswerDto,
  ): Promise<{ check: TokenCheck; slot: InternshipSlot | null }> {
    return this.db.transaction(async (m) => {
      const check = await this.tokens.consume(m, token, 'confirm_slot');
      if (!check.ok) {
        const slot = check.token
          ? await this.slots.get(check.token.subjectId, m).catch(() => null)
          : null;
        return { check, slot };
      }
      const slot = await m.getRepository(InternshipSlot).findOne({
        where: { id: check.token.subjectId },
        relations: { supervisor: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!slot) {
        throw DomainError.notFound('Slot');
      }
      const ctx = requestContext.get();
      if (ctx) {
        ctx.actor = {
          type: 'supervisor_token',
          label: `Handledare via länk: ${slot.supervisor?.name ?? ''}`.trim(),
        };
      }
      const now = this.clock.now();
      if (dto.action === 'decline') {
        // A declined first confirmation goes back to the recruiter as a draft; a declined
        // re-confirmation pauses the slot.
        const to =
          slot.status === 'awaiting_confirmation' && !slot.lastConfirmedAt ? 'draft' : 'paused';
        slot.declineReason = dto.reason ?? null;
        await m
          .getRepository(InternshipSlot)
          .update({ id: slot.id }, { declineReason: slot.declineReason });
        await this.slots.changeStatus(m, slot, to, 'supervisor', { reason: dto.reason });
        await this.audit.record(
          {
            action: 'slot.supervisor_decline',
            entity: 'internship_slot',
            entityId: slot.id,
            detail: { reason: dto.reason },
          },
          m,
        );
        return { check, slot: await this.slots.get(slot.id, m) };
      }
      const changes: Partial<InternshipSlot> = {};
      if (dto.action === 'confirm_changes') {
        for (const k of ['capacity', 'hoursPerWeek', 'availableFrom', 'availableTo'] as const) {
          if (dto[k] !== undefined && dto[k] !== null) {
            (changes as Record<string, unknown>)[k] = dto[k];
          }
        }
        const from = changes.availableFrom ?? slot.availableFrom;
        const to = changes.availableTo !== undefined ? changes.availableTo : slot.availableTo;
        if (to && to < from) {
          throw DomainError.invalid([
            { field: 'availableTo', message: 'availableTo must be on or after availableFrom' },
          ]);
        }
      }
      await m
        .getRepository(InternshipSlot)
        .update({ id: slot.id }, { ...changes, lastConfirmedAt: now, declineReason: null });
      if (slot.status !== 'open' && slot.status !== 'full') {
        await this.slots.changeStatus(m, slot, 'open', 'supervisor');
      }
      await this.audit.record(
        {
          action:
            dto.action === 'confirm'
              ? 'slot.supervisor_confirm'
              : 'slot.supervisor_confirm_changes',
          entity: 'internship_slot',
          entityId: slot.id,
          detail: { changes },
        },
        m,
      );
      return { check, slot: await this.slots.get(slot.id, m) };
    });
  }
}
