import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Principal } from '../common/request-context';
import { ContactPerson } from './contact-person.entity';
import { EmployerDuplicatesService } from './employer-duplicates.service';
import { Employer, EmployerNotDuplicate } from './employer.entity';
import { dropNameIndex } from './name-index';

/**
 * Something that belongs to an employer and must follow it in a merge. Modules that own such
 * rows (contact history, claims, slots, placements) register a step in their onModuleInit, so
 * the register never reaches into their tables.
 */
export interface EmployerMergeStep {
  name: string;
  count(m: EntityManager, employerId: string): Promise<number>;
  move(m: EntityManager, fromId: string, toId: string): Promise<number>;
}

/** Fields the survivor takes from the merged employer when it has none of its own. */
const FILL_IN = [
  'industry',
  'sizeClass',
  'municipality',
  'address',
  'website',
  'ownerUserId',
  'preferredChannel',
  'minDaysBetweenContacts',
] as const;

@Injectable()
export class EmployerMergeService {
  private readonly steps: EmployerMergeStep[] = [
    {
      name: 'contactPersons',
      count: (m, id) => m.getRepository(ContactPerson).count({ where: { employerId: id } }),
      move: async (m, from, to) =>
        (
          await m
            .getRepository(ContactPerson)
            .update({ employerId: from }, { employerId: to, isPrimary: false })
        ).affected ?? 0,
    },
  ];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly duplicates: EmployerDuplicatesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  register(step: EmployerMergeStep): void {
    if (!this.steps.some((s) => s.name === step.name)) {
      this.steps.push(step);
    }
  }

  private async load(m: EntityManager, survivorId: string, mergedId: string, lock: boolean) {
    if (survivorId === mergedId) {
      throw DomainError.invalid([
        { field: 'mergedId', message: 'an employer cannot be merged into itself' },
      ]);
    }
    // Lock in id order so two opposite merges cannot deadlock.
    const ids = [survivorId, mergedId].sort();
    const found: Record<string, Employer | null> = {};
    for (const id of ids) {
      found[id] = await m.getRepository(Employer).findOne({
        where: { id },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    }
    const survivor = found[survivorId];
    const merged = found[mergedId];
    if (!survivor) {
      throw DomainError.notFound('Employer', survivorId);
    }
    if (!merged) {
      throw DomainError.notFound('Employer', mergedId);
    }
    if (survivor.mergedIntoId || merged.mergedIntoId) {
      throw DomainError.conflict(
        'EMPLOYER_MERGED',
        'One of the employers has already been merged into another',
        {
          survivorMergedInto: survivor.mergedIntoId,
          mergedMergedInto: merged.mergedIntoId,
        },
      );
    }
    return { survivor, merged };
  }

  private assertAllowed(p: Principal, survivor: Employer, merged: Employer): void {
    const ownsBoth = survivor.ownerUserId === p.userId && merged.ownerUserId === p.userId;
    if (!p.roles.includes('admin') && !ownsBoth) {
      throw new ForbiddenException('Only an admin, or the owner of both employers, may merge them');
    }
  }

  /** What a merge of `mergedId` into `survivorId` would move, without changing anything. */
  async preview(survivorId: string, mergedId: string, p: Principal) {
    const { survivor, merged } = await this.load(this.db.manager, survivorId, mergedId, false);
    const moves: Record<string, number> = {};
    for (const s of this.steps) {
      moves[s.name] = await s.count(this.db.manager, mergedId);
    }
    const fills = FILL_IN.filter((f) => survivor[f] === null && merged[f] !== null);
    let allowed = true;
    try {
      this.assertAllowed(p, survivor, merged);
    } catch {
      allowed = false;
    }
    return { survivor, merged, moves, fillsIn: fills as string[], allowed };
  }

  /** Merges in one transaction; the merged employer becomes a tombstone pointing at the survivor. */
  async merge(survivorId: string, mergedId: string, p: Principal) {
    return this.db.transaction(async (m) => {
      const { survivor, merged } = await this.load(m, survivorId, mergedId, true);
      this.assertAllowed(p, survivor, merged);
      const moved: Record<string, number> = {};
      for (const s of this.steps) {
        moved[s.name] = await s.move(m, mergedId, survivorId);
      }
      const oldOrgNumber = merged.orgNumber;
      // Free the tombstone's unique key (org number + unit) before the survivor may take it.
      await m.getRepository(Employer).update(
        { id: mergedId },
        {
          mergedIntoId: survivorId,
          archivedAt: merged.archivedAt ?? this.clock.now(),
          orgNumber: null,
        },
      );
      const fills: string[] = [];
      for (const f of FILL_IN) {
        if (survivor[f] === null && merged[f] !== null) {
          (survivor as unknown as Record<string, unknown>)[f] = merged[f];
          fills.push(f);
        }
      }
      if (
        !survivor.orgNumber &&
        oldOrgNumber &&
        survivor.normalizedUnitName === merged.normalizedUnitName
      ) {
        survivor.orgNumber = oldOrgNumber;
        survivor.orgNumberIsPersonnummer = merged.orgNumberIsPersonnummer;
        fills.push('orgNumber');
      }
      survivor.segments = [...new Set([...(survivor.segments ?? []), ...(merged.segments ?? [])])];
      await m.getRepository(Employer).save(survivor);
      await dropNameIndex(m, mergedId);
      await m
        .getRepository(EmployerNotDuplicate)
        .delete([{ employerAId: mergedId }, { employerBId: mergedId }]);
      await this.audit.record(
        {
          action: 'employer.merge',
          entity: 'employer',
          entityId: survivorId,
          detail: { mergedId, mergedName: merged.name, moved, filledIn: fills },
        },
        m,
      );
      await this.audit.record(
        {
          action: 'employer.merged_into',
          entity: 'employer',
          entityId: mergedId,
          detail: { survivorId },
        },
        m,
      );
      return { survivor, moved, fillsIn: fills };
    });
  }

  /** Remembers that two employers are not the same, so the pair is never proposed again. */
  async markNotDuplicate(aId: string, bId: string, p: Principal): Promise<void> {
    if (aId === bId) {
      throw DomainError.invalid([
        { field: 'otherId', message: 'an employer is always a duplicate of itself' },
      ]);
    }
    const [employerAId, employerBId] = [aId, bId].sort();
    await this.db.transaction(async (m) => {
      const n = await m
        .getRepository(Employer)
        .count({ where: [{ id: employerAId }, { id: employerBId }] });
      if (n !== 2) {
        throw DomainError.notFound('Employer');
      }
      await m
        .createQueryBuilder()
        .insert()
        .into(EmployerNotDuplicate)
        .values({ employerAId, employerBId, decidedByUserId: p.userId })
        .orIgnore()
        .execute();
      await this.audit.record(
        {
          action: 'employer.not_duplicate',
          entity: 'employer',
          entityId: aId,
          detail: { otherId: bId },
        },
        m,
      );
    });
  }

  /** Pairs across the register worth a look, found through rare shared blocking keys. */
  async possiblePairs(limit = 200) {
    const groups: { key: string; ids: string }[] = await this.db.query(
      `SELECT k.\`key\` AS \`key\`, GROUP_CONCAT(k.employer_id) AS ids
         FROM employer_name_key k
        WHERE k.\`key\` LIKE 'n:%' OR k.\`key\` LIKE 'p:%'
        GROUP BY k.\`key\`
       HAVING COUNT(*) BETWEEN 2 AND 25
        LIMIT 5000`,
    );
    const orgGroups: { ids: string }[] = await this.db.query(
      `SELECT GROUP_CONCAT(id) AS ids FROM employer
        WHERE org_number IS NOT NULL AND merged_into_id IS NULL
        GROUP BY org_number HAVING COUNT(*) BETWEEN 2 AND 25 LIMIT 5000`,
    );
    const pairKeys = new Set<string>();
    for (const g of [...groups, ...orgGroups]) {
      const ids = g.ids.split(',');
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          pairKeys.add([ids[i], ids[j]].sort().join('|'));
        }
      }
    }
    if (pairKeys.size === 0) {
      return [];
    }
    const allIds = [...new Set([...pairKeys].flatMap((k) => k.split('|')))];
    const employers = new Map<string, Employer>();
    for (let i = 0; i < allIds.length; i += 1000) {
      const batch = await this.db
        .getRepository(Employer)
        .createQueryBuilder('e')
        .where('e.id IN (:...ids)', { ids: allIds.slice(i, i + 1000) })
        .andWhere('e.merged_into_id IS NULL')
        .getMany();
      batch.forEach((e) => employers.set(e.id, e));
    }
    const dismissed = new Set(
      (await this.db.getRepository(EmployerNotDuplicate).find()).map(
        (d) => `${d.employerAId}|${d.employerBId}`,
      ),
    );
    const out = [];
    for (const key of pairKeys) {
      if (dismissed.has(key)) {
        continue;
      }
      const [a, b] = key.split('|').map((id) => employers.get(id));
      if (!a || !b) {
        continue;
      }
      const match = this.duplicates.score(a, b);
      if (match) {
        out.push({ a, b, match });
      }
    }
    const rank = { certain: 3, likely: 2, possible: 1 } as const;
    return out
      .sort((x, y) => rank[y.match.level] - rank[x.match.level] || y.match.score - x.match.score)
      .slice(0, limit);
  }
}
