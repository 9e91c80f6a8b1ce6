import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import {
  CONTACT_CHANNELS,
  CONTACT_CLAIM_STATUSES,
  CONTACT_PURPOSES,
  ContactChannel,
  ContactClaimStatus,
  ContactPurpose,
} from './contact-policy';

export const BREACH_REASONS = ['DO_NOT_CONTACT', 'CLAIMED_BY_OTHER', 'COOL_OFF'] as const;
export type BreachReason = (typeof BREACH_REASONS)[number];

/** One contact with an employer, by any organisation: the shared contact history. */
@Entity('contact_event')
@Index('ix_contact_event_employer', ['employerId', 'occurredAt'])
@Index('ix_contact_event_user_next', ['userId', 'nextStepAt'])
@Index('ix_contact_event_org_next', ['organisationId', 'nextStepAt'])
@Index('ix_contact_event_occurred', ['occurredAt'])
export class ContactEvent extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  employerId: string;

  @Column({ type: 'char', length: 36, nullable: true })
  contactPersonId: string | null;

  @Column({ type: 'char', length: 36 })
  organisationId: string;

  @ManyToOne(() => Organisation)
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'fk_contact_event_organisation',
  })
  organisation?: Organisation;

  /** null: the system (an automated email on the organisation's behalf). */
  @Column({ type: 'char', length: 36, nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_contact_event_user' })
  user?: User | null;

  @Column({ type: 'enum', enum: CONTACT_CHANNELS })
  channel: ContactChannel;

  @Column({ type: 'enum', enum: CONTACT_PURPOSES })
  purpose: ContactPurpose;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 500, nullable: true })
  outcome: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextStepAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  nextStepDoneAt: Date | null;

  /** The claim this contact used, if any. */
  @Column({ type: 'char', length: 36, nullable: true })
  claimId: string | null;

  /** Logged although the policy refused it at that moment (never rejected after the fact). */
  @Column({ type: 'boolean', default: false })
  policyBreach: boolean;

  @Column({ type: 'enum', enum: BREACH_REASONS, nullable: true })
  breachReason: BreachReason | null;

  /** An automated email's outbox row (the mail pipeline). */
  @Column({ type: 'char', length: 36, nullable: true })
  mailOutboxId: string | null;
}

/** The right to contact an employer in the coming days; at most one active per employer. */
@Entity('contact_claim')
@Index('ix_contact_claim_employer', ['employerId', 'status', 'validUntil'])
@Index('ix_contact_claim_status', ['status', 'validUntil'])
export class ContactClaim extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  employerId: string;

  @Column({ type: 'char', length: 36 })
  organisationId: string;

  @ManyToOne(() => Organisation)
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'fk_contact_claim_organisation',
  })
  organisation?: Organisation;

  @Column({ type: 'char', length: 36 })
  userId: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_contact_claim_user' })
  user?: User;

  @Column({ type: 'enum', enum: CONTACT_PURPOSES })
  purpose: ContactPurpose;

  @Column({ type: 'datetime', precision: 3 })
  validUntil: Date;

  @Column({ type: 'enum', enum: CONTACT_CLAIM_STATUSES, default: 'active' })
  status: ContactClaimStatus;

  /** When it stopped being active (used, released or expired). */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  endedAt: Date | null;
}

/** A refused request to contact: the "double contacts prevented" statistic. */
@Entity('contact_refusal')
@Index('ix_contact_refusal_at', ['createdAt'])
export class ContactRefusal extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  employerId: string;

  @Column({ type: 'char', length: 36 })
  organisationId: string;

  @Column({ type: 'char', length: 36, nullable: true })
  userId: string | null;

  @Column({ type: 'enum', enum: CONTACT_PURPOSES })
  purpose: ContactPurpose;

  @Column({ type: 'enum', enum: BREACH_REASONS })
  reason: BreachReason;

  @Column({ type: 'char', length: 36, nullable: true })
  holderOrganisationId: string | null;
}
