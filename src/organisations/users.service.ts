import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import { AuditService, escapeLike } from '../audit/audit.service';
import { hashPassword } from '../auth/passwords';
import { SessionService } from '../auth/session.service';
import { DomainError } from '../common/domain-error';
import { Page, pageOf } from '../common/pagination';
import { CreateUserDto, ListUsersQuery } from './dto/user.dto';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/** Staff accounts. Passwords are argon2id hashes; deactivation ends every session at once. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly repo: Repository<User>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
  ) {}

  async create(dto: CreateUserDto): Promise<User> {
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (m) => {
      const org = await m
        .getRepository(Organisation)
        .findOne({ where: { id: dto.organisationId } });
      if (!org) {
        throw DomainError.invalid([
          {
            field: 'organisationId',
            message: 'organisationId does not name an existing organisation',
          },
        ]);
      }
      if (!org.active) {
        throw DomainError.invalid([
          { field: 'organisationId', message: 'the organisation is deactivated' },
        ]);
      }
      const email = dto.email.toLowerCase();
      if (await m.getRepository(User).exists({ where: { email } })) {
        throw new DomainError(
          'EMAIL_TAKEN',
          HttpStatus.CONFLICT,
          'A user with this email already exists',
          {},
          [{ field: 'email', message: 'a user with this email already exists' }],
        );
      }
      const user = m.getRepository(User).create({
        email,
        name: dto.name,
        passwordHash,
        roles: [...dto.roles],
        organisationId: org.id,
        active: true,
        locale: dto.locale ?? 'sv',
        lastLoginAt: null,
      });
      await m.getRepository(User).save(user);
      user.organisation = org;
      await this.audit.record(
        {
          action: 'user.create',
          entity: 'user',
          entityId: user.id,
          detail: { email, roles: dto.roles, organisationId: org.id },
        },
        m,
      );
      return user;
    });
  }

  async list(q: ListUsersQuery): Promise<Page<User>> {
    const qb = this.repo.createQueryBuilder('u').leftJoinAndSelect('u.organisation', 'o');
    if (q.q) {
      const like = `%${escapeLike(q.q.toLowerCase())}%`;
      qb.andWhere(
        new Brackets((w) =>
          w.where('u.email LIKE :like', { like }).orWhere('u.name LIKE :like', { like }),
        ),
      );
    }
    if (q.organisationId) {
      qb.andWhere('u.organisation_id = :org', { org: q.organisationId });
    }
    if (q.role) {
      qb.andWhere('FIND_IN_SET(:role, u.roles) > 0', { role: q.role });
    }
    if (q.active !== undefined) {
      qb.andWhere('u.active = :active', { active: q.active });
    }
    qb.orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit);
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<User> {
    const u = await this.repo.findOne({ where: { id }, relations: { organisation: true } });
    if (!u) {
      throw DomainError.notFound('User', id);
    }
    return u;
  }

  async setActive(id: string, active: boolean): Promise<User> {
    const user = await this.db.transaction(async (m) => {
      const u = await m
        .getRepository(User)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!u) {
        throw DomainError.notFound('User', id);
      }
      u.active = active;
      await m.getRepository(User).save(u);
      await this.audit.record(
        { action: active ? 'user.activate' : 'user.deactivate', entity: 'user', entityId: id },
        m,
      );
      return u;
    });
    if (!active) {
      await this.sessions.destroyAll(id);
    }
    return this.get(user.id);
  }

  /** For sign-in: the user by email with the organisation, active or not. */
  findByEmail(email: string): Promise<User | null> {
    return this.repo.findOne({
      where: { email: email.trim().toLowerCase() },
      relations: { organisation: true },
    });
  }

  findById(id: string): Promise<User | null> {
    return this.repo.findOne({ where: { id }, relations: { organisation: true } });
  }

  async touchLogin(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { lastLoginAt: at });
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
