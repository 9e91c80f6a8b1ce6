import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_ROW_STATUSES = ['new', 'created', 'duplicate', 'invalid'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

/** One CSV import (dry run or real), with running counts the import page shows as progress. */
@Entity('employer_import')
@Index('ix_employer_import_user', ['userId', 'createdAt'])
export class EmployerImport extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'char', length: 36 })
  organisationId: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  filename: string | null;

  @Column({ type: 'boolean' })
  dryRun: boolean;

  @Column({ type: 'enum', enum: IMPORT_STATUSES, default: 'running' })
  status: ImportStatus;

  @Column({ type: 'int', default: 0 })
  totalRows: number;

  @Column({ type: 'int', default: 0 })
  newRows: number;

  @Column({ type: 'int', default: 0 })
  createdRows: number;

  @Column({ type: 'int', default: 0 })
  duplicateRows: number;

  @Column({ type: 'int', default: 0 })
  invalidRows: number;

  /** Encoding, delimiter, mapped and unknown columns. */
  @Column({ type: 'json', nullable: true })
  header: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;
}

/** The outcome of one row of an import. */
@Entity('employer_import_row')
@Index('ix_employer_import_row_status', ['importId', 'status', 'line'])
export class EmployerImportRow {
  @PrimaryColumn({ type: 'char', length: 36 })
  importId: string;

  @PrimaryColumn({ type: 'int' })
  line: number;

  @Column({ type: 'enum', enum: IMPORT_ROW_STATUSES })
  status: ImportRowStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  /** The employer created by this row, or the existing one it duplicates. */
  @Column({ type: 'char', length: 36, nullable: true })
  employerId: string | null;

  /** An earlier line of the same file this row repeats. */
  @Column({ type: 'int', nullable: true })
  duplicateOfLine: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason: string | null;

  @Column({ type: 'json', nullable: true })
  errors: { field: string; message: string }[] | null;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
