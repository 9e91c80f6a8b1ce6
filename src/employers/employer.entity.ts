import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../organisations/user.entity';

export const EMPLOYER_SECTORS = [
  'private',
  'municipal_department',
  'municipal_company',
  'region',
  'state',
  'social_enterprise',
  'association',
] as const;
export type EmployerSector = (typeof EMPLOYER_SECTORS)[number];

export const EMPLOYER_SEGMENTS = [
  'shortage_occupation',
  'welfare_trainee_jobs',
  'small_business',
  'social_enterprise',
  'iop_partner',
] as const;
export type EmployerSegment = (typeof EMPLOYER_SEGMENTS)[number];

export const EMPLOYER_STATUSES = ['prospect', 'active', 'paused', 'do_not_contact'] as const;
export type EmployerStatus = (typeof EMPLOYER_STATUSES)[number];

export const SIZE_CLASSES = ['0', '1-9', '10-49', '50-249', '250+'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

export const CONTACT_CHANNELS = ['phone', 'email', 'visit', 'meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/**
 * One employer (or one unit of it) in the shared register. A municipal department shares the
 * municipality's org number, so uniqueness is (org_number, normalized_unit_name).
 */
@Entity('employer')
@Index('uq_employer_org_unit', ['orgNumber', 'normalizedUnitName'], { unique: true })
@Index('ix_employer_municipality_status', ['municipality', 'status'])
@Index('ix_employer_sector_name', ['sector', 'normalizedName'])
@Index('ix_employer_created_at', ['createdAt'])
@Index('ix_employer_updated_at', ['updatedAt'])
export class Employer extends BaseEntity {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Folded for comparison and prefix search (see duplicates.ts). */
  @Index('ix_employer_normalized_name')
  @Column({ type: 'varchar', length: 200 })
  normalizedName: string;

  /** 10 digits; null only for a unit without a number of its own. */
  @Column({ type: 'char', length: 10, nullable: true })
  orgNumber: string | null;

  /** A sole trader's org number is a personnummer: personal data, masked in lists and logs. */
  @Column({ type: 'boolean', default: false })
  orgNumberIsPersonnummer: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  unitName: string | null;

  /** '' when there is no unit, so the unique index treats "no unit" as one value. */
  @Column({ type: 'varchar', length: 200, default: '' })
  normalizedUnitName: string;

  @Column({ type: 'enum', enum: EMPLOYER_SECTORS })
  sector: EmployerSector;

  /** SNI 2007 code, e.g. 56.100. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  industry: string | null;

  @Column({ type: 'enum', enum: SIZE_CLASSES, nullable: true })
  sizeClass: SizeClass | null;

  @Column({ type: 'set', enum: EMPLOYER_SEGMENTS, default: '' })
  segments: EmployerSegment[];

  /** Kommunkod (4 digits). */
  @Column({ type: 'char', length: 4, nullable: true })
  municipality: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  website: string | null;

  @Index('ix_employer_owner')
  @Column({ type: 'char', length: 36, nullable: true })
  ownerUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_user_id', foreignKeyConstraintName: 'fk_employer_owner' })
  owner?: User | null;

  @Column({ type: 'enum', enum: EMPLOYER_STATUSES, default: 'prospect' })
  status: EmployerStatus;

  /** Per-employer cool-off override (days); null = the global default. */
  @Column({ type: 'smallint', nullable: true })
  minDaysBetweenContacts: number | null;

  @Column({ type: 'enum', enum: CONTACT_CHANNELS, nullable: true })
  preferredChannel: ContactChannel | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  doNotContactReason: string | null;

  /** The do-not-contact block lifts by itself after this moment (null = until lifted). */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  doNotContactUntil: Date | null;

  /** Tombstone: this employer was merged into another; old ids resolve to the survivor. */
  @Index('ix_employer_merged_into')
  @Column({ type: 'char', length: 36, nullable: true })
  mergedIntoId: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  archivedAt: Date | null;
}

/** Blocking keys for duplicate candidates (duplicates.ts `blockingKeys`), one row per key. */
@Entity('employer_name_key')
@Index('ix_employer_name_key_key', ['key', 'employerId'])
export class EmployerNameKey {
  @Column({ type: 'char', length: 36, primary: true })
  employerId: string;

  @Column({ type: 'varchar', length: 64, primary: true })
  key: string;
}

/** A pair a person reviewed and decided is not a duplicate: never proposed again. */
@Entity('employer_not_duplicate')
export class EmployerNotDuplicate {
  /** The smaller id of the pair. */
  @Column({ type: 'char', length: 36, primary: true })
  employerAId: string;

  @Column({ type: 'char', length: 36, primary: true })
  employerBId: string;

  @Column({ type: 'char', length: 36, nullable: true })
  decidedByUserId: string | null;

  @Column({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}

/**
 * Every word of an employer's name and unit, for index-driven prefix search ("bygg" →
 * Byggmästarna). The sort name, unit and archived flag ride along so a plain name search is
 * answered from this index alone, already in name order, without touching the employer rows: the
 * other words of a search ("nilsson bygg") are matched against sort name + unit inside the index.
 */
@Entity('employer_search_token')
@Index('ix_employer_search_words', ['token', 'archived', 'sortName', 'employerId', 'sortUnit'])
export class EmployerSearchToken {
  @Column({ type: 'char', length: 36, primary: true })
  employerId: string;

  @Column({ type: 'varchar', length: 64, primary: true })
  token: string;

  /** The employer's normalized_name (the list's default sort). */
  @Column({ type: 'varchar', length: 200, default: '' })
  sortName: string;

  /** The employer's normalized_unit_name ('' when none). */
  @Column({ type: 'varchar', length: 200, default: '' })
  sortUnit: string;

  @Column({ type: 'boolean', default: false })
  archived: boolean;
}
