import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import {
  blockingKeys,
  DuplicateMatch,
  EmployerLike,
  normalizeEmployerName,
  rankCandidates,
  scoreDuplicate,
} from './duplicates';
import { Employer, EmployerNameKey, EmployerNotDuplicate } from './employer.entity';

/** Keys held by more employers than this are too common to drive the lookup alone. */
const COMMON_KEY_ROWS = 5000;
/** How many blocked candidates are scored in full. */
const MAX_SCORED = 60;

export interface DuplicateCandidate {
  employer: Employer;
  match: DuplicateMatch;
}

/**
 * Finds existing employers that may be the same as a candidate, without scanning the register:
 * the exact org number (unique index), plus the blocking keys of the name
 * (employer_name_key), weighed by rarity, then scored by duplicates.ts.
 */
@Injectable()
export class EmployerDuplicatesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findCandidates(
    candidate: EmployerLike,
    opts: { excludeIds?: string[]; manager?: EntityManager } = {},
  ): Promise<DuplicateCandidate[]> {
    const m = opts.manager ?? this.db.manager;
    const ids = new Set<string>();
    if (candidate.orgNumber) {
      const same = await m.getRepository(Employer).find({
        where: { orgNumber: candidate.orgNumber, mergedIntoId: IsNull() },
        select: { id: true },
        take: 200,
      });
      same.forEach((e) => ids.add(e.id));
    }
    for (const id of await this.blockedIds(m, normalizeEmployerName(candidate.name))) {
      ids.add(id);
    }
    for (const id of opts.excludeIds ?? []) {
      ids.delete(id);
    }
    if (ids.size === 0) {
      return [];
    }
    const existing = await m.getRepository(Employer).find({
      where: { id: In([...ids]), mergedIntoId: IsNull() },
      relations: { owner: true },
    });
    const ranked = rankCandidates(candidate, existing);
    if (!candidate.id || ranked.length === 0) {
      return ranked.map((r) => ({ employer: r.existing, match: r.match }));
    }
    const dismissed = await this.dismissedWith(
      m,
      candidate.id,
      ranked.map((r) => r.existing.id),
    );
    return ranked
      .filter((r) => !dismissed.has(r.existing.id))
      .map((r) => ({ employer: r.existing, match: r.match }));
  }

  private async blockedIds(m: EntityManager, normalizedName: string): Promise<string[]> {
    const keys = blockingKeys(normalizedName);
    if (keys.length === 0) {
      return [];
    }
    const counts: { key: string; n: string }[] = await m
      .getRepository(EmployerNameKey)
      .createQueryBuilder('k')
      .select('k.key', 'key')
      .addSelect('COUNT(*)', 'n')
      .where('k.key IN (:...keys)', { keys })
      .groupBy('k.key')
      .getRawMany();
    const usable = counts.filter((c) => Number(c.n) <= COMMON_KEY_ROWS);
    if (usable.length === 0) {
      return [];
    }
    const total = Math.max(1, ...counts.map((c) => Number(c.n)));
    const weight = new Map(usable.map((c) => [c.key, Math.log(1 + (total * 10) / Number(c.n))]));
    const rows = await m
      .getRepository(EmployerNameKey)
      .find({ where: { key: In([...weight.keys()]) }, select: { employerId: true, key: true } });
    const score = new Map<string, number>();
    for (const r of rows) {
      score.set(r.employerId, (score.get(r.employerId) ?? 0) + (weight.get(r.key) ?? 0));
    }
    return [...score.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_SCORED)
      .map(([id]) => id);
  }

  private async dismissedWith(
    m: EntityManager,
    id: string,
    others: string[],
  ): Promise<Set<string>> {
    const pairs = others.map((o) =>
      id < o ? { employerAId: id, employerBId: o } : { employerAId: o, employerBId: id },
    );
    const rows = await m.getRepository(EmployerNotDuplicate).find({ where: pairs });
    return new Set(rows.map((r) => (r.employerAId === id ? r.employerBId : r.employerAId)));
  }

  score(a: Employer, b: Employer): DuplicateMatch | null {
    return scoreDuplicate(a, b);
  }

  /** Rewrites the blocking keys of one employer (after create or rename), in the caller's transaction. */
  async indexName(
    m: EntityManager,
    employer: Pick<Employer, 'id' | 'normalizedName'>,
  ): Promise<void> {
    await m.getRepository(EmployerNameKey).delete({ employerId: employer.id });
    const keys = blockingKeys(employer.normalizedName);
    if (keys.length) {
      await m
        .getRepository(EmployerNameKey)
        .insert(keys.map((key) => ({ employerId: employer.id, key })));
    }
  }
}
