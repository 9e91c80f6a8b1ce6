import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, escapeLike } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, FieldError } from '../common/domain-error';
import { Page, pageOf } from '../common/pagination';
import { Principal } from '../common/request-context';
import { ContactPerson } from '../employers/contact-person.entity';
import { EmployerMergeService } from '../employers/employer-merge.service';
import { EmployersService } from '../employers/employers.service';
import { SettingsService } from '../settings/settings.service';
import { CreateSlotDto, ListSlotsQuery, UpdateSlotDto } from './dto/slot.dto';
import { InternshipSlot } from './internship-slot.entity';
import { allowedTransitions, canTransition, SlotStatus, SlotTransitionCause } from './slot-status';

/** Internship slots: create, edit, lifecycle, search, and the open-slot counts against targets. */
@Injectable()
export class SlotsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly employers: EmployersService,
    private readonly merges: EmployerMergeService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.merges.register({
      name: 'slots',
      count: (m, id) => m.getRepository(InternshipSlot).count({ where: { employerId: id } }),
      move: async (m, from, to) =>
        (await m.getRepository(InternshipSlot).update({ employerId: from }, { employerId: to }))
          .affected ?? 0,
    });
  }

  private checkDates(from: string | undefined, to: string | null | undefined): FieldError[] {
    return from && to && to < from
      ? [{ field: 'availableTo', message: 'availableTo must be on or after availableFrom' }]
      : [];
  }

  private async assertSupervisor(
    m: EntityManager,
    employerId: string,
    supervisorId: string,
  ): Promise<void> {
    const person = await m
      .getRepository(ContactPerson)
      .findOne({ where: { id: supervisorId, employerId } });
    if (!person) {
      throw DomainError.invalid([
        {
          field: 'supervisorId',
          message: 'supervisorId must be a contact person of this employer',
        },
      ]);
    }
  }

  async create(dto: CreateSlotDto, p: Principal): Promise<InternshipSlot> {
    const dateErrors = this.checkDates(dto.availableFrom, dto.availableTo);
    if (dateErrors.length) {
      throw DomainError.invalid(dateErrors);
    }
    return this.db.transaction(async (m) => {
      await this.employers.findForContact(m, dto.employerId, false);
      await this.assertSupervisor(m, dto.employerId, dto.supervisorId);
      const slot = m.getRepository(InternshipSlot).create({
        ...dto,
        ssyk: dto.ssyk ?? null,
        address: dto.address ?? null,
        availableTo: dto.availableTo ?? null,
        requirements: {
          drivingLicence: false,
          swedishLevel: 'basic',
          other: null,
          ...(dto.requirements ?? {}),
        },
        adaptations: dto.adaptations ?? [],
        status: 'draft',
        ownerUserId: p.userId,
        lastConfirmedAt: null,
        declineReason: null,
      });
      await m.getRepository(InternshipSlot).save(slot);
      await this.audit.record(
        {
          action: 'slot.create',
          entity: 'internship_slot',
          entityId: slot.id,
          detail: { employerId: dto.employerId, title: dto.title },
        },
        m,
      );
      return slot;
    });
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<InternshipSlot> {
    const slot = await m
      .getRepository(InternshipSlot)
      .findOne({ where: { id }, relations: { employer: true, supervisor: true } });
    if (!slot) {
      throw DomainError.notFound('Slot', id);
    }
    return slot;
  }

  async update(id: string, dto: UpdateSlotDto): Promise<InternshipSlot> {
    return this.db.transaction(async (m) => {
      const slot = await m
        .getRepository(InternshipSlot)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!slot) {
        throw DomainError.notFound('Slot', id);
      }
      if (slot.status === 'closed') {
        throw DomainError.conflict('SLOT_CLOSED', 'A closed slot cannot be changed');
      }
      const dateErrors = this.checkDates(
        dto.availableFrom ?? slot.availableFrom,
        dto.availableTo !== undefined ? dto.availableTo : slot.availableTo,
      );
      if (dateErrors.length) {
        throw DomainError.invalid(dateErrors);
      }
      if (dto.employerId && dto.employerId !== slot.employerId) {
        throw DomainError.invalid([
          {
            field: 'employerId',
            message: 'a slot cannot move to another employer; close it and create a new one',
          },
        ]);
      }
      if (dto.supervisorId) {
        await this.assertSupervisor(m, slot.employerId, dto.supervisorId);
      }
      Object.assign(
        slot,
        dto,
        dto.requirements ? { requirements: { ...slot.requirements, ...dto.requirements } } : {},
      );
      await m.getRepository(InternshipSlot).save(slot);
      await this.audit.record(
        {
          action: 'slot.update',
          entity: 'internship_slot',
          entityId: id,
          detail: { fields: Object.keys(dto) },
        },
        m,
      );
      return this.get(id, m);
    });
  }

  /** The one place a status changes; illegal moves answer 409 listing the allowed ones. */
  async changeStatus(
    m: EntityManager,
    slot: InternshipSlot,
    to: SlotStatus,
    cause: SlotTransitionCause,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    if (slot.status === to) {
      return;
    }
    if (!canTransition(slot.status, to, cause)) {
      throw DomainError.conflict(
        'ILLEGAL_TRANSITION',
        `A slot cannot go from ${slot.status} to ${to}`,
        {
          from: slot.status,
          to,
          allowed: allowedTransitions(slot.status, cause),
        },
      );
    }
    const from = slot.status;
    slot.status = to;
    await m.getRepository(InternshipSlot).update({ id: slot.id }, { status: to });
    await this.audit.record(
      {
        action: 'slot.status',
        entity: 'internship_slot',
        entityId: slot.id,
        detail: { from, to, cause, ...detail },
      },
      m,
    );
  }

  async setStatus(id: string, to: SlotStatus): Promise<InternshipSlot> {
    return this.db.transaction(async (m) => {
      const slot = await m
        .getRepository(InternshipSlot)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!slot) {
        throw DomainError.notFound('Slot', id);
      }
      await this.changeStatus(m, slot, to, 'user');
      return this.get(id, m);
    });
  }

  async list(q: ListSlotsQuery): Promise<Page<InternshipSlot>> {
    const qb = this.db
      .getRepository(InternshipSlot)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.employer', 'e')
      .innerJoinAndSelect('s.supervisor', 'sup');
    if (q.occupationField) {
      qb.andWhere('s.occupation_field LIKE :of', { of: `${escapeLike(q.occupationField)}%` });
    }
    if (q.ssyk) {
      qb.andWhere('s.ssyk LIKE :ssyk', { ssyk: `${q.ssyk}%` });
    }
    if (q.municipality) {
      qb.andWhere('s.municipality = :mun', { mun: q.municipality });
    }
    if (q.sector) {
      qb.andWhere('e.sector = :sector', { sector: q.sector });
    }
    if (q.status) {
      qb.andWhere('s.status = :status', { status: q.status });
    }
    if (q.employerId) {
      qb.andWhere('s.employer_id = :emp', { emp: q.employerId });
    }
    if (q.availableOn) {
      qb.andWhere('s.available_from <= :on AND (s.available_to IS NULL OR s.available_to >= :on)', {
        on: q.availableOn,
      });
    }
    if (q.freeCapacity) {
      // Until placements exist, an open slot has all its places free; full slots have none.
      qb.andWhere(`s.status = 'open'`);
    }
    (q.adaptations ?? []).forEach((a, i) =>
      qb.andWhere(`FIND_IN_SET(:a${i}, s.adaptations) > 0`, { [`a${i}`]: a }),
    );
    if (q.supervisorTrained !== undefined) {
      qb.andWhere(
        q.supervisorTrained
          ? 'sup.supervisor_trained_at IS NOT NULL'
          : 'sup.supervisor_trained_at IS NULL',
      );
    }
    qb.orderBy('s.available_from', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .offset((q.page - 1) * q.limit)
      .limit(q.limit);
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }

  /** Open slots per employer sector, against the configured targets ("31 of 40"). */
  async openBySector(): Promise<{ sector: string; open: number; target: number | null }[]> {
    const rows: { sector: string; n: string }[] = await this.db.query(
      `SELECT e.sector AS sector, COUNT(*) AS n FROM internship_slot s JOIN employer e ON e.id = s.employer_id
        WHERE s.status IN ('open', 'full') GROUP BY e.sector`,
    );
    const targets = await this.settings.get('slots.targets');
    const sectors = new Set([...rows.map((r) => r.sector), ...Object.keys(targets)]);
    return [...sectors].sort().map((sector) => ({
      sector,
      open: Number(rows.find((r) => r.sector === sector)?.n ?? 0),
      target: targets[sector] ?? null,
    }));
  }
}
