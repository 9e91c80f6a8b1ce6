import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export const ACTION_PURPOSES = [
  'confirm_slot',
  'answer_placement',
  'report_deviation',
  'email_opt_out',
] as const;
export type ActionPurpose = (typeof ACTION_PURPOSES)[number];

/**
 * A link in an email that lets someone without an account act once (a supervisor confirming a
 * slot). Only the SHA-256 of the token is stored; the token itself is only in the email.
 */
@Entity('action_token')
@Index('ix_action_token_subject', ['purpose', 'subjectId'])
export class ActionToken extends BaseEntity {
  @Column({ type: 'enum', enum: ACTION_PURPOSES })
  purpose: ActionPurpose;

  @Column({ type: 'char', length: 36 })
  subjectId: string;

  @Index('uq_action_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  usedAt: Date | null;

  /** Who the link was sent to (a contact person), for the audit trail. */
  @Column({ type: 'char', length: 36, nullable: true })
  recipientId: string | null;
}
