import { EntityManager, In } from 'typeorm';
import { blockingKeys } from './duplicates';
import { Employer, EmployerNameKey, EmployerSearchToken } from './employer.entity';
import { searchIndexChanged } from './name-search';

/** The words a search matches by prefix: those of the normalised name and unit. */
export function searchTokens(normalizedName: string, normalizedUnitName: string): string[] {
  return [
    ...new Set(
      `${normalizedName} ${normalizedUnitName}`
        .split(' ')
        .filter((t) => t.length > 0)
        .map((t) => t.slice(0, 64)),
    ),
  ];
}

type Indexable = Pick<Employer, 'id' | 'normalizedName' | 'normalizedUnitName'> & {
  archivedAt?: Date | null;
};

/**
 * (Re)writes the duplicate-blocking keys and the search words of employers, in the caller's
 * transaction. Bulk: one delete and a few multi-row inserts for any number of employers.
 */
export async function writeNameIndex(
  m: EntityManager,
  employers: Indexable[],
  opts: { fresh?: boolean } = {},
): Promise<void> {
  if (employers.length === 0) {
    return;
  }
  const ids = employers.map((e) => e.id);
  if (!opts.fresh) {
    await m.getRepository(EmployerNameKey).delete({ employerId: In(ids) });
    await m.getRepository(EmployerSearchToken).delete({ employerId: In(ids) });
  }
  const keys = employers.flatMap((e) =>
    blockingKeys(e.normalizedName, e.normalizedUnitName).map((key) => ({ employerId: e.id, key })),
  );
  const tokens = employers.flatMap((e) =>
    searchTokens(e.normalizedName, e.normalizedUnitName).map((token) => ({
      employerId: e.id,
      token,
      sortName: e.normalizedName,
      sortUnit: e.normalizedUnitName,
      archived: !!e.archivedAt,
    })),
  );
  // Plain multi-row INSERTs (mysql2 expands `VALUES ?`): TypeORM's insert builder spends more
  // time on thousands of named parameters than the database spends on the rows.
  for (let i = 0; i < keys.length; i += 5000) {
    await m.query('INSERT IGNORE INTO employer_name_key (employer_id, `key`) VALUES ?', [
      keys.slice(i, i + 5000).map((k) => [k.employerId, k.key]),
    ]);
  }
  for (let i = 0; i < tokens.length; i += 5000) {
    await m.query(
      'INSERT IGNORE INTO employer_search_token (employer_id, token, sort_name, sort_unit, archived) VALUES ?',
      [
        tokens
          .slice(i, i + 5000)
          .map((t) => [t.employerId, t.token, t.sortName, t.sortUnit, t.archived ? 1 : 0]),
      ],
    );
  }
  searchIndexChanged(m);
}

/** Removes an employer from duplicate checks and search (a merged tombstone). */
export async function dropNameIndex(m: EntityManager, employerId: string): Promise<void> {
  await m.getRepository(EmployerNameKey).delete({ employerId });
  await m.getRepository(EmployerSearchToken).delete({ employerId });
  searchIndexChanged(m);
}

/** Keeps the search index's archived flag in step with the employer. */
export async function setSearchArchived(
  m: EntityManager,
  employerId: string,
  archived: boolean,
): Promise<void> {
  await m.getRepository(EmployerSearchToken).update({ employerId }, { archived });
  searchIndexChanged(m);
}
