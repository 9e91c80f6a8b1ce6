import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Page, pageOf, PageQuery } from '../common/pagination';
import { Principal, requestContext } from '../common/request-context';
import { newId } from '../database/base.entity';
import { insertRows } from '../database/row-mapper';
import { ContactPerson } from './contact-person.entity';
import { CsvImportError, ImportHeaderInfo, ImportRow, parseEmployerCsv } from './csv-import';
import { normalizeEmployerName, normalizeUnitName, rankCandidates } from './duplicates';
import { EmployerImport, EmployerImportRow, ImportRowStatus } from './employer-import.entity';
import { Employer } from './employer.entity';
import { writeNameIndex } from './name-index';

const BATCH = 500;
/** Batches written at the same time, each in its own transaction. */
const WRITERS = 2;

/** A decided batch: what to record, and the employers it creates (existing for the next batch). */
interface Prepared {
  results: RowResult[];
  toCreate: { row: ImportRow; employer: Employer }[];
}

type RowResult = Pick<
  EmployerImportRow,
  'line' | 'status' | 'name' | 'employerId' | 'duplicateOfLine' | 'reason' | 'errors'
>;

/**
 * CSV import of employers. The file is streamed (never held whole), checked row by row against
 * the register in batches (one indexed query per batch), and — unless it is a dry run — new
 * employers are created batch by batch. Running the same file twice creates nothing the second
 * time: every row then finds the employer it created as a certain or likely duplicate.
 */
@Injectable()
export class EmployerImportService {
  private readonly logger = new Logger(EmployerImportService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(p: Principal, dryRun: boolean, filename: string | null): Promise<EmployerImport> {
    const repo = this.db.getRepository(EmployerImport);
    return repo.save(
      repo.create({
        userId: p.userId,
        organisationId: p.organisationId,
        dryRun,
        filename: filename?.slice(0, 255) ?? null,
        status: 'running',
        header: null,
        error: null,
        finishedAt: null,
      }),
    );
  }

  /** Reads the whole source and records every row's outcome; never throws for a bad file. */
  async process(
    imp: EmployerImport,
    source: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  ): Promise<EmployerImport> {
    const lineToEmployer = new Map<number, string>();
    let header: ImportHeaderInfo | null = null;
    let batch: ImportRow[] = [];
    // A pipeline: while batches are written (the database works, on up to WRITERS connections),
    // the next is parsed and checked (the app works). Batches are decided in file order; the
    // employers of batches still being written count as existing for the next one.
    const writing: { batch: Prepared; done: Promise<void> }[] = [];
    const flush = async () => {
      const created = imp.dryRun
        ? []
        : writing.flatMap((w) => w.batch.toCreate.map((c) => c.employer));
      const prepared = await this.prepare(imp, batch, lineToEmployer, created);
      batch = [];
      while (writing.length >= WRITERS) {
        await writing.shift()!.done;
      }
      const done = this.write(imp, prepared);
      done.catch(() => undefined); // awaited when the window is full or at the end
      writing.push({ batch: prepared, done });
    };
    try {
      for await (const row of parseEmployerCsv(source, { onHeader: (h) => (header = h) })) {
        batch.push(row);
        if (batch.length >= BATCH) {
          await flush();
        }
      }
      await flush();
      await Promise.all(writing.map((w) => w.done));
      imp.status = 'done';
    } catch (e) {
      await Promise.allSettled(writing.map((w) => w.done));
      imp.status = 'failed';
      imp.error =
        e instanceof CsvImportError
          ? `${e.message}${e.line ? ` (line ${e.line})` : ''}`
          : 'The import stopped because of an internal error; rows reported so far are kept';
      if (!(e instanceof CsvImportError)) {
        this.logger.error({ err: e instanceof Error ? e.message : e }, 'import failed');
      }
    }
    const h = header as ImportHeaderInfo | null;
    imp.header = h
      ? {
          encoding: h.encoding,
          delimiter: h.delimiter,
          mapped: h.mapped,
          unknown: h.unknown,
          errors: h.errors,
        }
      : null;
    imp.finishedAt = this.clock.now();
    await this.db.getRepository(EmployerImport).save(imp);
    await this.audit.record({
      action: imp.dryRun ? 'employer.import_dry_run' : 'employer.import',
      entity: 'employer_import',
      entityId: imp.id,
      detail: {
        filename: imp.filename,
        total: imp.totalRows,
        created: imp.createdRows,
        duplicates: imp.duplicateRows,
        invalid: imp.invalidRows,
        status: imp.status,
      },
    });
    return imp;
  }

  /** Decides every row of a batch (new, duplicate of what, invalid); writes nothing. */
  private async prepare(
    imp: EmployerImport,
    rows: ImportRow[],
    lineToEmployer: Map<number, string>,
    inFlight: Employer[],
  ): Promise<Prepared> {
    if (rows.length === 0) {
      return { results: [], toCreate: [] };
    }
    const existing = [
      ...new Map(
        [...(await this.existingFor(rows)), ...inFlight].map((e) => [e.id, e] as const),
      ).values(),
    ];
    const byOrg = groupBy(existing, (e) => e.orgNumber);
    const byName = groupBy(existing, (e) => e.normalizedName);
    const results: RowResult[] = [];
    const toCreate: { row: ImportRow; employer: Employer }[] = [];
    for (const row of rows) {
      const base = {
        line: row.line,
        name: row.data?.name ?? row.raw[Object.keys(row.raw)[0]]?.slice(0, 200) ?? null,
        employerId: null,
        duplicateOfLine: null,
        reason: null,
        errors: null,
      };
      if (!row.data) {
        results.push({ ...base, status: 'invalid', errors: row.errors });
        continue;
      }
      const d = row.data;
      const normalizedName = normalizeEmployerName(d.name).slice(0, 200);
      const near = [
        ...new Set([
          ...(d.orgNumber ? (byOrg.get(d.orgNumber) ?? []) : []),
          ...(byName.get(normalizedName) ?? []),
        ]),
      ];
      const match = rankCandidates(
        {
          name: d.name,
          orgNumber: d.orgNumber,
          unitName: d.unitName,
          municipality: d.municipality,
        },
        near,
      ).find((c) => c.match.level !== 'possible');
      if (match) {
        results.push({
          ...base,
          status: 'duplicate',
          employerId: match.existing.id,
          reason: match.match.reason,
        });
        lineToEmployer.set(row.line, match.existing.id);
        continue;
      }
      if (row.duplicateOf) {
        results.push({
          ...base,
          status: 'duplicate',
          employerId: lineToEmployer.get(row.duplicateOf.line) ?? null,
          duplicateOfLine: row.duplicateOf.line,
          reason: row.duplicateOf.reason,
        });
        continue;
      }
      const employer = this.db.getRepository(Employer).create({
        id: newId(),
        name: d.name,
        normalizedName,
        orgNumber: d.orgNumber,
        orgNumberIsPersonnummer: d.orgNumberIsPersonnummer,
        unitName: d.unitName,
        normalizedUnitName: normalizeUnitName(d.unitName).slice(0, 200),
        sector: d.sector,
        industry: d.industry,
        sizeClass: null,
        segments: d.segments,
        municipality: d.municipality,
        address: d.address,
        website: d.website,
        ownerUserId: null,
        status: 'prospect',
        minDaysBetweenContacts: null,
        preferredChannel: null,
        doNotContactReason: null,
        doNotContactUntil: null,
        mergedIntoId: null,
        archivedAt: null,
      });
      lineToEmployer.set(row.line, employer.id);
      toCreate.push({ row, employer });
      results.push({
        ...base,
        status: imp.dryRun ? 'new' : 'created',
        employerId: imp.dryRun ? null : employer.id,
      });
    }
    return { results, toCreate };
  }

  /** Creates a batch's new employers and records its rows and the running totals, in one transaction. */
  private async write(imp: EmployerImport, { results, toCreate }: Prepared): Promise<void> {
    if (results.length === 0) {
      return;
    }
    const count = (st: ImportRowStatus) => results.filter((r) => r.status === st).length;
    const added = {
      totalRows: results.length,
      newRows: count('new') + count('created'),
      createdRows: count('created'),
      duplicateRows: count('duplicate'),
      invalidRows: count('invalid'),
    };
    await this.db.transaction(async (m) => {
      if (!imp.dryRun && toCreate.length) {
        await this.insertEmployers(m, toCreate);
      }
      await insertRows(
        m,
        EmployerImportRow,
        results.map((r) => ({ ...r, importId: imp.id }) as EmployerImportRow),
      );
      // Added, not set: batches may commit in either order.
      await m
        .createQueryBuilder()
        .update(EmployerImport)
        .set({
          totalRows: () => `total_rows + ${added.totalRows}`,
          newRows: () => `new_rows + ${added.newRows}`,
          createdRows: () => `created_rows + ${added.createdRows}`,
          duplicateRows: () => `duplicate_rows + ${added.duplicateRows}`,
          invalidRows: () => `invalid_rows + ${added.invalidRows}`,
        })
        .where('id = :id', { id: imp.id })
        .execute();
    });
    imp.totalRows += added.totalRows;
    imp.newRows += added.newRows;
    imp.createdRows += added.createdRows;
    imp.duplicateRows += added.duplicateRows;
    imp.invalidRows += added.invalidRows;
  }

  /** Register rows a batch may duplicate: same org number, or the same normalised name (two indexed lookups). */
  private async existingFor(rows: ImportRow[]): Promise<Employer[]> {
    const orgs = [...new Set(rows.map((r) => r.data?.orgNumber).filter((v): v is string => !!v))];
    const names = [
      ...new Set(
        rows.filter((r) => r.data).map((r) => normalizeEmployerName(r.data!.name).slice(0, 200)),
      ),
    ];
    const repo = this.db.getRepository(Employer);
    const [byOrg, byName] = await Promise.all([
      orgs.length
        ? repo
            .createQueryBuilder('e')
            .where('e.org_number IN (:...orgs)', { orgs })
            .andWhere('e.merged_into_id IS NULL')
            .getMany()
        : [],
      names.length
        ? repo
            .createQueryBuilder('e')
            .where('e.normalized_name IN (:...names)', { names })
            .andWhere('e.merged_into_id IS NULL')
            .getMany()
        : [],
    ]);
    return [...new Map([...byOrg, ...byName].map((e) => [e.id, e])).values()];
  }

  private async insertEmployers(
    m: EntityManager,
    items: { row: ImportRow; employer: Employer }[],
  ): Promise<void> {
    await insertRows(
      m,
      Employer,
      items.map((i) => i.employer),
    );
    await writeNameIndex(
      m,
      items.map((i) => i.employer),
      { fresh: true },
    );
    const contacts = items
      .filter((i) => i.row.data?.contact && (i.row.data.contact.name || i.row.data.contact.email))
      .map((i) => {
        const c = i.row.data!.contact!;
        return {
          id: newId(),
          employerId: i.employer.id,
          name: c.name ?? c.email ?? '',
          title: null,
          email: c.email,
          phone: c.phone,
          isPrimary: true,
          emailOptOut: false,
        };
      });
    if (contacts.length) {
      await insertRows(m, ContactPerson, contacts as ContactPerson[]);
    }
  }

  async get(id: string, p: Principal): Promise<EmployerImport> {
    const imp = await this.db.getRepository(EmployerImport).findOne({ where: { id } });
    if (!imp || (imp.userId !== p.userId && !p.roles.includes('admin'))) {
      throw DomainError.notFound('Import', id);
    }
    return imp;
  }

  async rows(
    id: string,
    p: Principal,
    q: PageQuery & { status?: ImportRowStatus },
  ): Promise<Page<EmployerImportRow>> {
    await this.get(id, p);
    const [items, total] = await this.db.getRepository(EmployerImportRow).findAndCount({
      where: { importId: id, ...(q.status ? { status: q.status } : {}) },
      order: { line: 'ASC' },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return pageOf(items, total, q);
  }

  /** For imports started from a page: the request context ends before the import does. */
  runInBackground(
    imp: EmployerImport,
    source: AsyncIterable<Buffer> | NodeJS.ReadableStream,
    onDone?: () => void,
  ): void {
    const ctx = requestContext.get();
    void requestContext.run({ ...(ctx ?? { requestId: imp.id, ip: null }) }, async () => {
      try {
        await this.process(imp, source);
      } finally {
        onDone?.();
      }
    });
  }
}

function groupBy<T>(items: T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) {
      out.set(k, [...(out.get(k) ?? []), item]);
    }
  }
  return out;
}
