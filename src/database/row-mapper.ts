import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/**
 * Reads entities from the rows of a hand-written query (for the few hot paths where building the
 * query with TypeORM costs more than running it). The select list and the conversion come from
 * the entity's own metadata and TypeORM's driver, exactly as TypeORM hydrates them itself, so a
 * new column needs no change here.
 */
export class RowMapper<T extends ObjectLiteral> {
  /** The select list for the entity's columns. */
  readonly select: string;
  private readonly metadata: EntityMetadata;
  private readonly columns: { key: string; column: ColumnMetadata }[];
  private readonly primaryKey: string;

  /**
   * @param alias the table's alias in the query
   * @param only  just these properties (and the primary key), selected as `alias__column`; without
   *              it every column, selected as `alias.*` (keep it to one such table per query)
   */
  constructor(
    private readonly db: DataSource,
    target: EntityTarget<T>,
    alias: string,
    only?: (keyof T & string)[],
  ) {
    this.metadata = db.getMetadata(target);
    this.columns = this.metadata.columns
      .filter((c) => !c.isVirtual && c.isSelect)
      .filter((c) => !only || c.isPrimary || only.includes(c.propertyName as keyof T & string))
      .map((column) => ({
        key: only ? `${alias}__${column.databaseName}` : column.databaseName,
        column,
      }));
    this.select = only
      ? this.columns
          .map(({ key, column }) => `${alias}.\`${column.databaseName}\` AS \`${key}\``)
          .join(', ')
      : `${alias}.*`;
    const primary = this.metadata.primaryColumns[0].databaseName;
    this.primaryKey = only ? `${alias}__${primary}` : primary;
  }

  /** The entity in the row, or null when the row has none (an outer join that found nothing). */
  map(row: Record<string, unknown>): T | null {
    if (row[this.primaryKey] === null || row[this.primaryKey] === undefined) {
      return null;
    }
    const entity = this.metadata.create() as T;
    for (const { key, column } of this.columns) {
      column.setEntityValue(entity, this.db.driver.prepareHydratedValue(row[key], column));
    }
    return entity;
  }
}

/**
 * Inserts many entities in one plain multi-row INSERT (mysql2 expands `VALUES ?`), for bulk paths
 * such as the CSV import: TypeORM's insert builder spends more time on thousands of named
 * parameters than the database spends on the rows. Values are converted by TypeORM's driver
 * (transformers, JSON, dates) as in its own inserts; a column left undefined in every row gets its
 * database default. No entity listeners run, so ids must be set by the caller.
 */
export async function insertRows<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
  opts: { ignore?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const metadata = m.connection.getMetadata(target);
  const driver = m.connection.driver;
  const candidates = metadata.columns.filter((c) => !c.isVirtual && !c.isGenerated);
  const columns = candidates.filter((c) => rows.some((r) => c.getEntityValue(r) !== undefined));
  const missing = columns.filter((c) => rows.some((r) => c.getEntityValue(r) === undefined));
  if (missing.length > 0) {
    throw new Error(
      `insertRows(${metadata.tableName}): ${missing.map((c) => c.propertyName).join(', ')} set in some rows only`,
    );
  }
  const values = rows.map((r) =>
    columns.map((c) => driver.preparePersistentValue(c.getEntityValue(r), c) as unknown),
  );
  await m.query(
    `INSERT ${opts.ignore ? 'IGNORE ' : ''}INTO \`${metadata.tableName}\` (${columns
      .map((c) => `\`${c.databaseName}\``)
      .join(', ')}) VALUES ?`,
    [values],
  );
}
