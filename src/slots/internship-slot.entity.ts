import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { ContactPerson } from '../employers/contact-person.entity';
import { Employer } from '../employers/employer.entity';
import { SLOT_STATUSES, SlotStatus } from './slot-status';

export const ADAPTATIONS = [
  'accessible_workplace',
  'low_threshold',
  'flexible_hours',
  'language_support',
  'quiet_workplace',
] as const;
export type Adaptation = (typeof ADAPTATIONS)[number];

export const SWEDISH_LEVELS = ['none', 'basic', 'intermediate', 'fluent'] as const;
export type SwedishLevel = (typeof SWEDISH_LEVELS)[number];

export interface SlotRequirements {
  drivingLicence: boolean;
  swedishLevel: SwedishLevel;
  other: string | null;
}

/** An entry-level internship slot (instegspraktik): simple, clearly defined tasks, at most 26 weeks. */
@Entity('internship_slot')
@Index('ix_internship_slot_status', ['status', 'municipality'])
@Index('ix_internship_slot_employer', ['employerId', 'status'])
@Index('ix_internship_slot_confirmed', ['status', 'lastConfirmedAt'])
export class InternshipSlot extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  employerId: string;

  @ManyToOne(() => Employer)
  @JoinColumn({ name: 'employer_id', foreignKeyConstraintName: 'fk_internship_slot_employer' })
  employer?: Employer;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Yrkesområde (JobTech occupation field), e.g. "Hotell, restaurang, storhushåll". */
  @Index('ix_internship_slot_occupation')
  @Column({ type: 'varchar', length: 100 })
  occupationField: string;

  /** SSYK 2012 unit group (4 digits), optional. */
  @Column({ type: 'char', length: 4, nullable: true })
  ssyk: string | null;

  /** Simple, clearly defined tasks: one short line each. */
  @Column({ type: 'json' })
  tasks: string[];

  /** Concurrent participants. */
  @Column({ type: 'smallint' })
  capacity: number;

  @Column({ type: 'tinyint' })
  hoursPerWeek: number;

  @Column({ type: 'char', length: 4 })
  municipality: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'date' })
  availableFrom: string;

  @Column({ type: 'date', nullable: true })
  availableTo: string | null;

  @Column({ type: 'tinyint' })
  maxWeeks: number;

  @Column({ type: 'json' })
  requirements: SlotRequirements;

  @Column({ type: 'set', enum: ADAPTATIONS, default: '' })
  adaptations: Adaptation[];

  @Column({ type: 'char', length: 36 })
  supervisorId: string;

  @ManyToOne(() => ContactPerson)
  @JoinColumn({ name: 'supervisor_id', foreignKeyConstraintName: 'fk_internship_slot_supervisor' })
  supervisor?: ContactPerson;

  @Column({ type: 'enum', enum: SLOT_STATUSES, default: 'draft' })
  status: SlotStatus;

  /** The recruiter responsible for the slot (gets notices about it). */
  @Column({ type: 'char', length: 36, nullable: true })
  ownerUserId: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastConfirmedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  declineReason: string | null;
}
