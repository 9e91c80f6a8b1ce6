import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionService } from '../auth/session.service';
import { DomainError } from '../common/domain-error';
import { Page, pageOf } from '../common/pagination';
import { CreateOrganisationDto, ListOrganisationsQuery } from './dto/organisation.dto';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/** Organisations: the actors of the local agreement. */
@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(Organisation) private readonly repo: Repository<Organisation>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
  ) {}

  async create(dto: CreateOrganisationDto): Promise<Organisation> {
    return this.db.transaction(async (m) => {
      const exists = await m.getRepository(Organisation).findOne({ where: { name: dto.name } });
      if (exists) {
        throw new DomainError(
          'ORGANISATION_NAME_TAKEN',
          HttpStatus.CONFLICT,
          `An organisation named "${dto.name}" already exists`,
          {
            existingId: exists.id,
          },
        );
      }
      const org = m.getRepository(Organisation).create({
        name: dto.name,
        kind: dto.kind,
        municipalityCode: dto.municipalityCode ?? null,
        active: true,
      });
      await m.getRepository(Organisation).save(org);
      await this.audit.record(
        {
          action: 'organisation.create',
          entity: 'organisation',
          entityId: org.id,
          detail: { name: org.name },
        },
        m,
      );
      return org;
    });
  }

  async list(q: ListOrganisationsQuery): Promise<Page<Organisation>> {
    const where = q.active === undefined ? {} : { active: q.active };
    const [items, total] = await this.repo.findAndCount({
      where,
      order: { name: 'ASC' },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<Organisation> {
    const org = await this.repo.findOne({ where: { id } });
    if (!org) {
      throw DomainError.notFound('Organisation', id);
    }
    return org;
  }

  /** Deactivating an organisation signs out all its users; they cannot sign in until reactivated. */
  async setActive(id: string, active: boolean): Promise<Organisation> {
    const org = await this.db.transaction(async (m) => {
      const o = await m
        .getRepository(Organisation)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!o) {
        throw DomainError.notFound('Organisation', id);
      }
      o.active = active;
      await m.getRepository(Organisation).save(o);
      await this.audit.record(
        {
          action: active ? 'organisation.activate' : 'organisation.deactivate',
          entity: 'organisation',
          entityId: id,
        },
        m,
      );
      return o;
    });
    if (!active) {
      const users = await this.db
        .getRepository(User)
        .find({ where: { organisationId: id }, select: { id: true } });
      for (const u of users) {
        await this.sessions.destroyAll(u.id);
      }
    }
    return org;
  }

  findByName(name: string): Promise<Organisation | null> {
    return this.repo.findOne({ where: { name } });
  }
}
