import {
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  EventSubscriber,
  type TransactionCommitEvent,
} from 'typeorm';
import { escapeLike } from '../audit/audit.service';
import { TtlCache } from '../common/ttl-cache';
import { RowMapper } from '../database/row-mapper';
import { User } from '../organisations/user.entity';
import { normalizeEmployerName } from './duplicates';
import { Employer } from './employer.entity';

/** Lists count exactly up to this many matches; past it they say "more than 10,000". */
export const COUNT_CAP = 10_000;

/**
 * The words of a search, as prefixes of indexed words. A genitive "s" is dropped ("Eslövs" finds
 * "Eslövs kommun", whose name is indexed as "eslov kommun"); the prefix still matches "eslovs…".
 */
export function searchWords(q: string): string[] {
  return [...new Set(normalizeEmployerName(q).split(' ').filter(Boolean))].map((w) =>
    (w.length >= 5 && w.endsWith('s') ? w.slice(0, -1) : w).slice(0, 64),
  );
}

/**
 * Two things this process reuses for a few seconds, because recruiters page through and repeat
 * the same searches: the indexed words a prefix expands to, and the (capped) number of matches.
 * Both are forgotten whenever this process changes the search index (searchIndexChanged), so its
 * own users see a change at once. On another instance a new total shows within CACHE_TTL_MS, and
 * a brand-new word is found at once by itself (a prefix nothing started with is never cached) and
 * as the longer form of a cached prefix ("zyx" → "zyxel") within CACHE_TTL_MS. The page itself is
 * always read fresh.
 */
const CACHE_TTL_MS = 30_000;
const MAX_EXPANSIONS = 50;
const expansionCache = new TtlCache<Expansion[]>(CACHE_TTL_MS);
const countCache = new TtlCache<number>(CACHE_TTL_MS);

/** Forgets this process's cached prefix expansions and totals. */
export function forgetCachedSearches(): void {
  expansionCache.clear();
  countCache.clear();
}

const committedListeners = new Set<() => void>();

/** Called after every committed change to the search index (SearchCacheSync tells the others). */
export function onSearchIndexCommitted(listener: () => void): () => void {
  committedListeners.add(listener);
  return () => committedListeners.delete(listener);
}

function committed(): void {
  forgetCachedSearches();
  committedListeners.forEach((l) => l());
}

/**
 * Called whenever this process writes the search index (words, archived flag, merge): the caches
 * are emptied now and again after the transaction commits, so a search that ran in between cannot
 * leave the old state cached; other instances hear of it after the commit.
 */
export function searchIndexChanged(m: EntityManager): void {
  forgetCachedSearches();
  if (m.queryRunner?.isTransactionActive) {
    m.queryRunner.data = { ...m.queryRunner.data, searchIndexChanged: true };
  } else {
    committed();
  }
}

/** Registered with the data source (data-source-options.ts; TypeORM needs the decorator too). */
@EventSubscriber()
export class SearchIndexCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if ((event.queryRunner.data as { searchIndexChanged?: boolean })?.searchIndexChanged) {
      committed();
    }
  }
}

export interface NameSearchInput {
  q: string;
  includeArchived: boolean;
  desc: boolean;
  page: number;
  limit: number;
}

/** An indexed word a search word is a prefix of, with how many index entries it has. */
interface Expansion {
  token: string;
  rows: number;
}

/** Indexed words with at most this many entries are read together, sorted at once. */
const SMALL_TOKEN_ROWS = 50;

/**
 * A plain name search (words only, sorted by name) answered from the search-word index
 * `(token, archived, sort_name, employer_id, sort_unit)` in ONE statement:
 * - the search word with the fewest index entries drives; each indexed word it is a prefix of is
 *   read in name order straight from the index (LIMIT stops after a page, however common the
 *   word: "sverige" has 35,000 rows), the rare ones together;
 * - the other search words are matched against the sort name and unit in the same index entries
 *   (no probe per row);
 * - the page's employers and owners are joined on, with the capped count beside them.
 * Returns null when the search is not a plain name search (the general query handles it).
 */
export class EmployerNameSearch {
  private readonly employers: RowMapper<Employer>;
  private readonly owners: RowMapper<User>;

  constructor(private readonly db: DataSource) {
    this.employers = new RowMapper(db, Employer, 'e');
    this.owners = new RowMapper(db, User, 'o', ['id', 'name']);
  }

  async search(input: NameSearchInput): Promise<{ items: Employer[]; total: number } | null> {
    if (/^[\d\s-]{4,}$/.test(input.q)) {
      return null; // an org number
    }
    const words = searchWords(input.q).slice(0, 5);
    if (words.length === 0) {
      return null;
    }
    const prefixes = words.map((w) => `${escapeLike(w)}%`);
    const ranges = await Promise.all(prefixes.map((p) => this.expand(p)));
    if (ranges.some((r) => r !== null && r.length === 0)) {
      return { items: [], total: 0 }; // a word nothing starts with
    }
    let driver = -1;
    let fewest = Infinity;
    ranges.forEach((r, i) => {
      const rows = r?.reduce((n, x) => n + x.rows, 0) ?? Infinity;
      if (rows < fewest) {
        [driver, fewest] = [i, rows];
      }
    });
    if (driver < 0) {
      return null; // only very short prefixes ("a"): the general query handles it
    }
    const tokens = ranges[driver]!;
    const rest = prefixes.filter((_, i) => i !== driver).map((p) => `% ${p}`);
    const archived = input.includeArchived ? '' : 'AND st.archived = 0';
    const others = rest
      .map(() => "AND CONCAT(' ', st.sort_name, ' ', st.sort_unit) LIKE ?")
      .join(' ');
    const dir = input.desc ? 'DESC' : 'ASC';
    const offset = (input.page - 1) * input.limit;
    const order = `ORDER BY s ${dir}, id ${dir}`;
    const single = tokens.length === 1;

    // One indexed word: (token, employer_id) is the primary key, so no DISTINCT is needed.
    const match = `FROM employer_search_token st WHERE st.token ${single ? '=' : 'LIKE'} ? ${archived} ${others}`;
    const matchParams = [single ? tokens[0].token : prefixes[driver], ...rest];
    const count = `SELECT COUNT(*) AS n FROM (SELECT ${single ? '1' : 'DISTINCT CAST(st.employer_id AS BINARY(36))'} ${match} LIMIT ${COUNT_CAP + 1}) counted`;
    const countKey = `${archived}|${[...prefixes].sort().join('|')}`;
    const cachedTotal = countCache.get(countKey);

    // A page from each common word in name order, and one from the rare ones together, merged.
    const part = (where: string) => ({
      where,
      sql: `SELECT st.employer_id AS id, st.sort_name AS s FROM employer_search_token st WHERE ${where} ${archived} ${others} ${order}`,
    });
    const big = tokens.filter((t) => t.rows > SMALL_TOKEN_ROWS).map((t) => t.token);
    const small = tokens.filter((t) => t.rows <= SMALL_TOKEN_ROWS).map((t) => t.token);
    const parts = [
      ...big.map((token) => ({ ...part('st.token = ?'), params: [token, ...rest] })),
      ...(small.length
        ? [
            {
              ...part('st.token IN (?)'),
              params: [small.length === 1 ? small[0] : small, ...rest],
            },
          ]
        : []),
    ];
    const pageParams = parts.flatMap((x) => x.params);
    const counting = cachedTotal === undefined;
    const joins = `JOIN employer e ON e.id = p.id AND e.merged_into_id IS NULL
      LEFT JOIN \`user\` o ON o.id = e.owner_user_id`;
    let sql: string;
    if (!counting && parts.length === 1) {
      // The common case: the page straight off the index, each entry joined as it is read; the
      // scan stops after the page (no temporary table, no sort).
      sql = `SELECT ${this.employers.select}, ${this.owners.select}
        FROM employer_search_token st ${joins.replace('p.id', 'st.employer_id')}
        WHERE ${parts[0].where} ${archived} ${others}
        ORDER BY st.sort_name ${dir}, st.employer_id ${dir} LIMIT ${offset}, ${input.limit}`;
    } else {
      const page =
        parts.length === 1
          ? `${parts[0].sql} LIMIT ${offset}, ${input.limit}`
          : `SELECT DISTINCT u.id, u.s FROM (${parts.map((x) => `(${x.sql} LIMIT ${offset + input.limit})`).join(' UNION ALL ')}) u ${order} LIMIT ${offset}, ${input.limit}`;
      sql = counting
        ? `SELECT c.n AS total, ${this.employers.select}, ${this.owners.select}
           FROM (${count}) c LEFT JOIN (${page}) p ON 1 = 1 LEFT ${joins}
           ORDER BY p.s ${dir}, p.id ${dir}`
        : `SELECT ${this.employers.select}, ${this.owners.select}
           FROM (${page}) p ${joins}
           ORDER BY p.s ${dir}, p.id ${dir}`;
    }
    const rows: Record<string, unknown>[] = await this.db.query(
      sql,
      counting ? [...matchParams, ...pageParams] : pageParams,
    );
    const items: Employer[] = [];
    for (const row of rows) {
      const e = this.employers.map(row);
      if (e) {
        e.owner = this.owners.map(row);
        items.push(e);
      }
    }
    if (!counting) {
      return { items, total: cachedTotal };
    }
    const total = Number(rows[0]?.total ?? 0);
    countCache.set(countKey, total);
    return { items, total };
  }

  /**
   * The indexed words starting with a prefix (usually one or a few), with their number of entries;
   * null when there are too many (a prefix like "a").
   */
  private async expand(prefix: string): Promise<Expansion[] | null> {
    let found = expansionCache.get(prefix);
    if (found === undefined) {
      // Streams the index in word order and stops after MAX_EXPANSIONS + 1 words.
      found = (
        (await this.db.query(
          `SELECT token, COUNT(*) AS n FROM employer_search_token WHERE token LIKE ? GROUP BY token ORDER BY token LIMIT ${MAX_EXPANSIONS + 1}`,
          [prefix],
        )) as { token: string; n: string }[]
      ).map((r) => ({ token: r.token, rows: Number(r.n) }));
      if (found.length > 0) {
        expansionCache.set(prefix, found); // "nothing starts with it" is never cached: see above
      }
    }
    return found.length > MAX_EXPANSIONS ? null : found;
  }
}
