import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService, escapeLike } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { normalizeOrgNumber } from '../common/identity-numbers';
import { Page, pageOf } from '../common/pagination';
import { Principal } from '../common/request-context';
import { User } from '../organisations/user.entity';
import { ContactPerson } from './contact-person.entity';
import { CreateContactPersonDto, UpdateContactPersonDto } from './dto/contact-person.dto';
import { CreateEmployerDto, ListEmployersQuery, UpdateEmployerDto } from './dto/employer.dto';
import { ExportRow } from './csv-export';
import { normalizeEmployerName, normalizeUnitName } from './duplicates';
import { setSearchArchived } from './name-index';
import { COUNT_CAP, EmployerNameSearch, searchWords } from './name-search';
import { DuplicateCandidate, EmployerDuplicatesService } from './employer-duplicates.service';
import { Employer } from './employer.entity';

const SORT_COLUMNS: Record<string, string> = {
  name: 'e.normalized_name',
  createdAt: 'e.created_at',
  updatedAt: 'e.updated_at',
};

/** The shared employer register: create with duplicate check, read (tombstones resolve), update, list. */
@Injectable()
export class EmployersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly duplicates: EmployerDuplicatesService,
    private readonly audit: AuditService,
  ) {
    this.names = new EmployerNameSearch(db);
  }

  private readonly names: EmployerNameSearch;

  private orgNumber(input: string | null | undefined): {
    value: string | null;
    isPersonnummer: boolean;
  } {
    if (!input) {
      return { value: null, isPersonnummer: false };
    }
    const n = normalizeOrgNumber(input);
    if (!n) {
      throw DomainError.invalid([
        {
          field: 'orgNumber',
          message: 'orgNumber must be a valid Swedish organisation number (NNNNNN-NNNN)',
        },
      ]);
    }
    return { value: n.value, isPersonnummer: n.isPersonnummer };
  }

  async checkDuplicates(q: {
    name: string;
    orgNumber?: string | null;
    unitName?: string | null;
    municipality?: string | null;
  }): Promise<DuplicateCandidate[]> {
    const org = this.orgNumber(q.orgNumber);
    return this.duplicates.findCandidates({
      name: q.name,
      orgNumber: org.value,
      unitName: q.unitName ?? null,
      municipality: q.municipality ?? null,
    });
  }

  /**
   * Creates an employer after the duplicate check. Certain duplicates (same org number and unit)
   * are always refused; likely ones unless the caller confirms (audited); possible ones are
   * returned alongside for review.
   */
  async create(
    dto: CreateEmployerDto,
    principal: Principal,
  ): Promise<{ employer: Employer; possible: DuplicateCandidate[] }> {
    const org = this.orgNumber(dto.orgNumber);
    if (dto.status === 'do_not_contact' && !dto.doNotContactReason) {
      throw DomainError.invalid([
        {
          field: 'doNotContactReason',
          message: 'doNotContactReason is required when status is do_not_contact',
        },
      ]);
    }
    return this.db.transaction(async (m) => {
      await this.assertOwner(m, dto.ownerUserId);
      const candidates = await this.duplicates.findCandidates(
        {
          name: dto.name,
          orgNumber: org.value,
          unitName: dto.unitName ?? null,
          municipality: dto.municipality ?? null,
        },
        { manager: m },
      );
      const certain = candidates.filter((c) => c.match.level === 'certain');
      const likely = candidates.filter((c) => c.match.level === 'likely');
      if (certain.length || (likely.length && !dto.confirmNotDuplicate)) {
        throw new DomainError(
          certain.length ? 'EMPLOYER_EXISTS' : 'LIKELY_DUPLICATE',
          HttpStatus.CONFLICT,
          certain.length
            ? 'An employer with this organisation number and unit already exists'
            : 'A likely duplicate exists. Merge with it, or resend with confirmNotDuplicate: true',
          {
            candidates: candidates
              .filter((c) => c.match.level !== 'possible')
              .map((c) => candidateJson(c)),
          },
        );
      }
      const e = m.getRepository(Employer).create({
        ...this.fields(dto),
        orgNumber: org.value,
        orgNumberIsPersonnummer: org.isPersonnummer,
        status: dto.status ?? 'prospect',
        mergedIntoId: null,
        archivedAt: null,
      });
      await m.getRepository(Employer).save(e);
      await this.duplicates.indexName(m, e);
      await this.audit.record(
        {
          action: 'employer.create',
          entity: 'employer',
          entityId: e.id,
          detail: {
            name: e.name,
            ...(likely.length ? { confirmedNotDuplicateOf: likely.map((c) => c.employer.id) } : {}),
          },
        },
        m,
      );
      if (dto.ownerUserId) {
        await this.audit.record(
          {
            action: 'employer.owner_change',
            entity: 'employer',
            entityId: e.id,
            detail: { from: null, to: dto.ownerUserId },
          },
          m,
        );
      }
      void principal; // the acting user is recorded by the audit row (request context)
      return { employer: e, possible: candidates.filter((c) => c.match.level === 'possible') };
    });
  }

  private fields(dto: Partial<CreateEmployerDto>): Partial<Employer> {
    const out: Partial<Employer> = {};
    if (dto.name !== undefined) {
      out.name = dto.name;
      out.normalizedName = normalizeEmployerName(dto.name).slice(0, 200);
    }
    if (dto.unitName !== undefined) {
      out.unitName = dto.unitName ?? null;
      out.normalizedUnitName = normalizeUnitName(dto.unitName).slice(0, 200);
    }
    const plain = [
      'sector',
      'industry',
      'sizeClass',
      'segments',
      'municipality',
      'address',
      'website',
      'status',
      'ownerUserId',
      'minDaysBetweenContacts',
      'preferredChannel',
      'doNotContactReason',
    ] as const;
    for (const k of plain) {
      if (dto[k] !== undefined) {
        (out as Record<string, unknown>)[k] = dto[k];
      }
    }
    if (dto.doNotContactUntil !== undefined) {
      out.doNotContactUntil = dto.doNotContactUntil ? new Date(dto.doNotContactUntil) : null;
    }
    return out;
  }

  private async assertOwner(
    m: EntityManager,
    ownerUserId: string | null | undefined,
  ): Promise<void> {
    if (!ownerUserId) {
      return;
    }
    const owner = await m.getRepository(User).findOne({ where: { id: ownerUserId } });
    if (!owner || !owner.active || !owner.roles.some((r) => r === 'recruiter' || r === 'admin')) {
      throw DomainError.invalid([
        { field: 'ownerUserId', message: 'ownerUserId must be an active recruiter' },
      ]);
    }
  }

  /** The employer, or the survivor it was merged into (`redirectedFrom` set). */
  async get(
    id: string,
  ): Promise<{ employer: Employer; contactPersons: ContactPerson[]; redirectedFrom?: string }> {
    const repo = this.db.getRepository(Employer);
    let e = await repo.findOne({ where: { id }, relations: { owner: true } });
    let redirectedFrom: string | undefined;
    for (let hops = 0; e?.mergedIntoId && hops < 10; hops++) {
      redirectedFrom ??= id;
      e = await repo.findOne({ where: { id: e.mergedIntoId }, relations: { owner: true } });
    }
    if (!e) {
      throw DomainError.notFound('Employer', id);
    }
    const contactPersons = await this.db
      .getRepository(ContactPerson)
      .find({ where: { employerId: e.id }, order: { isPrimary: 'DESC', name: 'ASC' } });
    return { employer: e, contactPersons, redirectedFrom };
  }

  /**
   * The employer row for a contact decision, locked FOR UPDATE in the caller's transaction when
   * asked: every claim and contact on one employer then queues on this row, so concurrent
   * requests are decided one after another (exactly one claim wins).
   */
  async findForContact(m: EntityManager, id: string, lock: boolean): Promise<Employer> {
    const e = await m.getRepository(Employer).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!e) {
      throw DomainError.notFound('Employer', id);
    }
    if (e.mergedIntoId) {
      throw DomainError.conflict(
        'EMPLOYER_MERGED',
        'This employer was merged into another; use the survivor',
        { mergedIntoId: e.mergedIntoId },
      );
    }
    if (e.ownerUserId) {
      e.owner = await m.getRepository(User).findOne({ where: { id: e.ownerUserId } });
    }
    return e;
  }

  async update(id: string, dto: UpdateEmployerDto): Promise<Employer> {
    return this.db.transaction(async (m) => {
      const e = await m
        .getRepository(Employer)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!e || e.mergedIntoId) {
        throw e
          ? DomainError.conflict('EMPLOYER_MERGED', 'This employer was merged into another', {
              mergedIntoId: e.mergedIntoId,
            })
          : DomainError.notFound('Employer', id);
      }
      if (dto.ownerUserId !== undefined && dto.ownerUserId !== e.ownerUserId) {
        await this.assertOwner(m, dto.ownerUserId);
        await this.audit.record(
          {
            action: 'employer.owner_change',
            entity: 'employer',
            entityId: id,
            detail: { from: e.ownerUserId, to: dto.ownerUserId },
          },
          m,
        );
      }
      const status = dto.status ?? e.status;
      const reason =
        dto.doNotContactReason !== undefined ? dto.doNotContactReason : e.doNotContactReason;
      if (status === 'do_not_contact' && !reason) {
        throw DomainError.invalid([
          {
            field: 'doNotContactReason',
            message: 'doNotContactReason is required when status is do_not_contact',
          },
        ]);
      }
      const changes = this.fields(dto);
      if (dto.orgNumber !== undefined) {
        const org = this.orgNumber(dto.orgNumber);
        changes.orgNumber = org.value;
        changes.orgNumberIsPersonnummer = org.isPersonnummer;
      }
      Object.assign(e, changes);
      await m.getRepository(Employer).save(e);
      if (changes.normalizedName !== undefined || changes.normalizedUnitName !== undefined) {
        await this.duplicates.indexName(m, e);
      }
      await this.audit.record(
        {
          action: 'employer.update',
          entity: 'employer',
          entityId: id,
          detail: { fields: Object.keys(dto) },
        },
        m,
      );
      return (await m
        .getRepository(Employer)
        .findOne({ where: { id }, relations: { owner: true } }))!;
    });
  }

  async setArchived(id: string, archived: boolean, at: Date): Promise<Employer> {
    return this.db.transaction(async (m) => {
      const e = await m
        .getRepository(Employer)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!e) {
        throw DomainError.notFound('Employer', id);
      }
      e.archivedAt = archived ? (e.archivedAt ?? at) : null;
      await m.getRepository(Employer).save(e);
      await setSearchArchived(m, id, archived);
      await this.audit.record(
        {
          action: archived ? 'employer.archive' : 'employer.unarchive',
          entity: 'employer',
          entityId: id,
        },
        m,
      );
      return e;
    });
  }

  async list(
    q: ListEmployersQuery,
    principal: Principal,
  ): Promise<Page<Employer> & { totalCapped: boolean }> {
    const fast = await this.nameSearch(q);
    if (fast) {
      return fast;
    }
    const filtered = this.listQuery(q, principal);
    const desc = q.sort.startsWith('-');
    const [total, items] = await Promise.all([
      this.cappedCount(filtered),
      filtered
        .clone()
        .leftJoinAndSelect('e.owner', 'owner')
        .orderBy(SORT_COLUMNS[q.sort.replace(/^-/, '')], desc ? 'DESC' : 'ASC')
        .addOrderBy('e.id', 'ASC')
        // many-to-one join: plain LIMIT/OFFSET is exact (skip/take would add a DISTINCT pass)
        .offset((q.page - 1) * q.limit)
        .limit(q.limit)
        .getMany(),
    ]);
    return { ...pageOf(items, Math.min(total, COUNT_CAP), q), totalCapped: total > COUNT_CAP };
  }

  /** A plain name search (words only, sorted by name, no other filters): see EmployerNameSearch. */
  private async nameSearch(
    q: ListEmployersQuery,
  ): Promise<(Page<Employer> & { totalCapped: boolean }) | null> {
    const plain =
      !q.sector &&
      !q.segment &&
      !q.municipality &&
      !q.status &&
      !q.owner &&
      (q.sort === 'name' || q.sort === '-name');
    if (!plain || !q.q) {
      return null;
    }
    const found = await this.names.search({
      q: q.q,
      includeArchived: !!q.includeArchived,
      desc: q.sort === '-name',
      page: q.page,
      limit: q.limit,
    });
    return found
      ? {
          ...pageOf(found.items, Math.min(found.total, COUNT_CAP), q),
          totalCapped: found.total > COUNT_CAP,
        }
      : null;
  }

  /**
   * Counting every match of a common word ("sverige": 35,000 rows) on each keystroke is the most
   * expensive part of a search; past COUNT_CAP the lists say "more than 10,000" instead.
   */
  private async cappedCount(qb: SelectQueryBuilder<Employer>): Promise<number> {
    const [sql, params] = qb
      .clone()
      .select('1')
      .limit(COUNT_CAP + 1)
      .getQueryAndParameters();
    const rows: { n: string }[] = await this.db.query(
      `SELECT COUNT(*) AS n FROM (${sql}) counted`,
      params,
    );
    return Number(rows[0].n);
  }

  /** Every employer the filters select, in batches (for CSV export), with its primary contact. */
  async *exportRows(q: ListEmployersQuery, principal: Principal): AsyncGenerator<ExportRow> {
    let after = '';
    for (;;) {
      const batch = await this.listQuery(q, principal)
        .leftJoinAndSelect('e.owner', 'owner')
        .andWhere('e.id > :after', { after })
        .orderBy('e.id', 'ASC')
        .limit(1000)
        .getMany();
      if (batch.length === 0) {
        return;
      }
      const contacts = await this.db
        .getRepository(ContactPerson)
        .createQueryBuilder('c')
        .where('c.employer_id IN (:...ids)', { ids: batch.map((e) => e.id) })
        .orderBy('c.is_primary', 'DESC')
        .addOrderBy('c.created_at', 'ASC')
        .getMany();
      const first = new Map<string, ContactPerson>();
      contacts.forEach((c) => first.has(c.employerId) || first.set(c.employerId, c));
      for (const e of batch) {
        const c = first.get(e.id);
        yield { ...e, contact: c ? { name: c.name, email: c.email, phone: c.phone } : null };
      }
      after = batch[batch.length - 1].id;
    }
  }

  private listQuery(q: ListEmployersQuery, principal: Principal) {
    const qb = this.db
      .getRepository(Employer)
      .createQueryBuilder('e')
      .where('e.merged_into_id IS NULL');
    if (!q.includeArchived) {
      qb.andWhere('e.archived_at IS NULL');
    }
    if (q.q) {
      const digits = q.q.replace(/[\s-]/g, '');
      if (/^\d{4,12}$/.test(digits)) {
        const org = digits.length === 12 ? digits.slice(2) : digits;
        qb.andWhere('e.org_number LIKE :org', { org: `${escapeLike(org)}%` });
      } else {
        // Every word must start a word of the name or unit. EXISTS lets MariaDB either walk the name
        // index in sort order probing the tokens (common words) or materialise the matches (rare ones).
        const tokens = searchWords(q.q).slice(0, 5);
        tokens.forEach((t, i) =>
          qb.andWhere(
            `EXISTS (SELECT 1 FROM employer_search_token st${i} WHERE st${i}.employer_id = e.id AND st${i}.token LIKE :t${i})`,
            {
              [`t${i}`]: `${escapeLike(t.slice(0, 64))}%`,
            },
          ),
        );
      }
    }
    for (const [field, column] of [
      ['sector', 'sector'],
      ['municipality', 'municipality'],
      ['status', 'status'],
    ] as const) {
      if (q[field]) {
        qb.andWhere(`e.${column} = :${field}`, { [field]: q[field] });
      }
    }
    if (q.segment) {
      qb.andWhere('FIND_IN_SET(:segment, e.segments) > 0', { segment: q.segment });
    }
    if (q.owner) {
      qb.andWhere('e.owner_user_id = :owner', {
        owner: q.owner === 'me' ? principal.userId : q.owner,
      });
    }
    return qb;
  }

  async addContactPerson(employerId: string, dto: CreateContactPersonDto): Promise<ContactPerson> {
    return this.db.transaction(async (m) => {
      const e = await m
        .getRepository(Employer)
        .findOne({ where: { id: employerId }, lock: { mode: 'pessimistic_write' } });
      if (!e || e.mergedIntoId) {
        throw DomainError.notFound('Employer', employerId);
      }
      if (dto.isPrimary) {
        await m.getRepository(ContactPerson).update({ employerId }, { isPrimary: false });
      }
      const c = m.getRepository(ContactPerson).create({
        employerId,
        title: null,
        email: null,
        phone: null,
        isPrimary: false,
        emailOptOut: false,
        ...dto,
      });
      await m.getRepository(ContactPerson).save(c);
      await this.audit.record(
        {
          action: 'contact_person.create',
          entity: 'contact_person',
          entityId: c.id,
          detail: { employerId },
        },
        m,
      );
      return c;
    });
  }

  async updateContactPerson(
    employerId: string,
    id: string,
    dto: UpdateContactPersonDto,
  ): Promise<ContactPerson> {
    return this.db.transaction(async (m) => {
      const c = await m
        .getRepository(ContactPerson)
        .findOne({ where: { id, employerId }, lock: { mode: 'pessimistic_write' } });
      if (!c) {
        throw DomainError.notFound('Contact person', id);
      }
      if (dto.isPrimary) {
        await m.getRepository(ContactPerson).update({ employerId }, { isPrimary: false });
      }
      Object.assign(c, dto);
      await m.getRepository(ContactPerson).save(c);
      await this.audit.record(
        {
          action: 'contact_person.update',
          entity: 'contact_person',
          entityId: id,
          detail: { fields: Object.keys(dto) },
        },
        m,
      );
      return c;
    });
  }

  async removeContactPerson(employerId: string, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const res = await m.getRepository(ContactPerson).delete({ id, employerId });
      if (!res.affected) {
        throw DomainError.notFound('Contact person', id);
      }
      await this.audit.record(
        {
          action: 'contact_person.delete',
          entity: 'contact_person',
          entityId: id,
          detail: { employerId },
        },
        m,
      );
    });
  }
}

export function candidateJson(c: DuplicateCandidate) {
  return {
    id: c.employer.id,
    name: c.employer.name,
    unitName: c.employer.unitName,
    municipality: c.employer.municipality,
    level: c.match.level,
    score: Math.round(c.match.score * 1000) / 1000,
    reason: c.match.reason,
  };
}
