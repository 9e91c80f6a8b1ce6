import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { newId } from '../database/base.entity';
import { maskPersonalNumbersInText } from '../common/identity-numbers';
import { requestContext } from '../common/request-context';
import { Page, pageOf } from '../common/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditQuery } from './dto/audit.query';

export interface AuditEntry {
  action: string;
  entity?: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
}

/** The audit and access log. Append-only: nothing here updates or deletes a row. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly repo: Repository<AuditEvent>) {}

  /**
   * Records who did what. Pass the transaction's manager when the change is transactional, so
   * the audit row commits (or rolls back) with it.
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const ctx = requestContext.get();
    const p = ctx?.principal;
    const event: Partial<AuditEvent> = {
      id: newId(),
      actorType:
        ctx?.actor?.type ?? (p ? (p.via === 'api_token' ? 'api_token' : 'user') : 'anonymous'),
      actorUserId: p?.userId ?? null,
      actorOrganisationId: p?.organisationId ?? null,
      actorLabel: ctx?.actor?.label ?? p?.name ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entityId: entry.entityId ?? null,
      ip: ctx?.ip ?? null,
      requestId: ctx?.requestId ?? null,
      detail: entry.detail ? scrub(entry.detail) : null,
    };
    await (manager ? manager.getRepository(AuditEvent) : this.repo).insert(event as any);
    if (ctx) {
      ctx.audited = true;
    }
  }

  async search(q: AuditQuery): Promise<Page<AuditEvent>> {
    const qb = this.repo.createQueryBuilder('a');
    if (q.action) {
      qb.andWhere('a.action LIKE :action', { action: `${escapeLike(q.action)}%` });
    }
    if (q.entity) {
      qb.andWhere('a.entity = :entity', { entity: q.entity });
    }
    if (q.entityId) {
      qb.andWhere('a.entity_id = :entityId', { entityId: q.entityId });
    }
    if (q.actorUserId) {
      qb.andWhere('a.actor_user_id = :actor', { actor: q.actorUserId });
    }
    if (q.from) {
      qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    }
    if (q.to) {
      qb.andWhere('a.at < :to', { to: new Date(q.to) });
    }
    qb.orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC');
    qb.skip((q.page - 1) * q.limit).take(q.limit);
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, q);
  }
}

const SECRET_KEYS = /pass|secret|token|personnummer|authorization|cookie/i;

/** Audit details never keep secrets or personnummer, whatever a caller passes. */
function scrub(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (SECRET_KEYS.test(k)) {
      out[k] = '[redacted]';
    } else if (typeof v === 'string') {
      out[k] = maskPersonalNumbersInText(v);
    } else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      out[k] = scrub(v as Record<string, unknown>);
    } else {
      out[k] = v;
    }
  }
  return out;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
