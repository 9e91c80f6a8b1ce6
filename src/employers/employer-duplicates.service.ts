import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import {
  blockingKeys,
  DuplicateMatch,
  EmployerLike,
  normalizeEmployerName,
  normalizeUnitName,
  rankCandidates,
  scoreDuplicate,
} from './duplicates';
import { TtlCache } from '../common/ttl-cache';
import { Employer, EmployerNotDuplicate } from './employer.entity';
import { writeNameIndex } from './name-index';

/** Keys held by more employers than this are too common to drive the lookup alone. */
const COMMON_KEY_ROWS = 3000;
/** Key counts are only weights; a minute-old count is good enough. */
const KEY_COUNT_TTL_MS = 60_000;
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
    const [same, blocked] = await Promise.all([
      candidate.orgNumber
        ? m.getRepository(Employer).find({
            where: { orgNumber: candidate.orgNumber, mergedIntoId: IsNull() },
            select: { id: true },
            take: 200,
          })
        : Promise.resolve([] as Employer[]),
      this.blockedIds(
        m,
        normalizeEmployerName(candidate.name),
        normalizeUnitName(candidate.unitName),
      ),
    ]);
    const ids = new Set<string>([...same.map((e) => e.id), ...blocked]);
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

  private async blockedIds(
    m: EntityManager,
    normalizedName: string,
    normalizedUnit: string,
  ): Promise<string[]> {
    const keys = blockingKeys(normalizedName, normalizedUnit);
    if (keys.length === 0) {
      return [];
    }
    const counts = await this.keyCounts(m, keys);
    const usable = counts.filter((c) => Number(c.n) <= COMMON_KEY_ROWS);
    if (usable.length === 0) {
      return [];
    }
    // Rarer keys weigh more; the database sums per employer and returns only the best few.
    const total = Math.max(1, ...counts.map((c) => Number(c.n)));
    const cases = usable.map(() => 'WHEN ? THEN ?').join(' ');
    const params = usable.flatMap((c) => [c.key, Math.log(1 + (total * 10) / Number(c.n))]);
    // Grouping on the id's bytes, not on the utf8mb4 text (4 bytes a character, collation-aware
    // comparisons), makes this three times faster; an id is ASCII, so nothing else changes.
    const rows: { id: Buffer | string }[] = await m.query(
      `SELECT CAST(employer_id AS BINARY(36)) AS id, SUM(CASE \`key\` ${cases} ELSE 0 END) AS s
         FROM employer_name_key WHERE \`key\` IN (?)
        GROUP BY id ORDER BY s DESC LIMIT ${MAX_SCORED}`,
      [...params, usable.map((c) => c.key)],
    );
    return rows.map((r) => (Buffer.isBuffer(r.id) ? r.id.toString('latin1') : r.id));
  }

  /**
   * How many employers hold each key. Cached briefly in memory: these numbers only weigh keys,
   * they move slowly, and reading them is a third of a duplicate check.
   */
  private readonly keyCountCache = new TtlCache<number>(KEY_COUNT_TTL_MS, 200_000);
  private async keyCounts(m: EntityManager, keys: string[]): Promise<{ key: string; n: number }[]> {
    const missing = keys.filter((k) => this.keyCountCache.get(k) === undefined);
    if (missing.length) {
      const rows: { key: string; n: string }[] = await m.query(
        'SELECT `key`, COUNT(*) AS n FROM employer_name_key WHERE `key` IN (?) GROUP BY `key`',
        [missing],
      );
      const found = new Map(rows.map((r) => [r.key, Number(r.n)]));
      for (const k of missing) {
        this.keyCountCache.set(k, found.get(k) ?? 0);
      }
    }
    // A key nobody held a minute ago may be held now: it stays usable (weighed as rare).
    return keys.map((key) => ({ key, n: Math.max(1, this.keyCountCache.get(key) ?? 0) }));
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

  /** Rewrites the blocking keys and search words of one employer, in the caller's transaction. */
  async indexName(
    m: EntityManager,
    employer: Pick<Employer, 'id' | 'normalizedName' | 'normalizedUnitName'>,
  ): Promise<void> {
    await writeNameIndex(m, [employer]);
  }
}
