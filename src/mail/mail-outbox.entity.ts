import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CONTACT_PURPOSES, ContactPurpose } from '../contacts/contact-policy';
import { BaseEntity } from '../database/base.entity';
import { Organisation } from '../organisations/organisation.entity';

/**
 * pending: written, not (yet) on the queue, or waiting for not_before;
 * queued: handed to Bull (or waiting for its delayed job);
 * sending: claimed by a worker, SMTP in progress (committed before any SMTP traffic);
 * sent / suppressed (with reason) / failed (with error) / needs_review (ambiguous): final.
 */
export const MAIL_STATUSES = [
  'pending',
  'queued',
  'sending',
  'sent',
  'suppressed',
  'failed',
  'needs_review',
] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
export const FINAL_MAIL_STATUSES: readonly MailStatus[] = [
  'sent',
  'suppressed',
  'failed',
  'needs_review',
];

/**
 * transactional: something the employer is waiting for (exempt from the cool-off);
 * outreach: unsolicited contact (cool-off, opt-out link); internal: to our own users (no
 * contact policy, no sending window).
 */
export const MAIL_CATEGORIES = ['transactional', 'outreach', 'internal'] as const;
export type MailCategory = (typeof MAIL_CATEGORIES)[number];

export const MAIL_LOCALES = ['sv', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** One automated email: the truth about it, whatever Redis holds (DESIGN §2, §3 rules 3–4). */
@Entity('mail_outbox')
@Index('uq_mail_outbox_dedup_key', ['dedupKey'], { unique: true })
@Index('ix_mail_outbox_status_not_before', ['status', 'notBefore'])
@Index('ix_mail_outbox_recipient', ['recipient', 'status', 'notBefore'])
@Index('ix_mail_outbox_employer', ['employerId', 'status'])
@Index('ix_mail_outbox_digest', ['digestId'])
@Index('ix_mail_outbox_created', ['createdAt'])
@Index('ix_mail_outbox_template', ['template', 'createdAt'])
export class MailOutbox extends BaseEntity {
  /** Deterministic key from the cause (`slot-reconfirm:{slotId}:{yyyy-mm}`): a second write is a no-op. */
  @Column({ type: 'varchar', length: 191 })
  dedupKey: string;

  /** A plain address (isStrictEmail), stored lower-case. */
  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  /** Display name, already cleaned of control characters. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  recipientName: string | null;

  /** A folder under templates/mail. */
  @Column({ type: 'varchar', length: 64 })
  template: string;

  @Column({ type: 'enum', enum: MAIL_LOCALES, default: 'sv' })
  locale: MailLocale;

  /** What the template shows; never headers. */
  @Column({ type: 'json' })
  payload: Record<string, unknown>;

  @Column({ type: 'enum', enum: MAIL_CATEGORIES })
  category: MailCategory;

  /** The purpose recorded on the contact_event (employer mail). */
  @Column({ type: 'enum', enum: CONTACT_PURPOSES, default: 'other' })
  purpose: ContactPurpose;

  /** The organisation on whose behalf it is sent (the contact_event's organisation). */
  @Column({ type: 'char', length: 36 })
  onBehalfOfId: string;

  @ManyToOne(() => Organisation)
  @JoinColumn({
    name: 'on_behalf_of_id',
    foreignKeyConstraintName: 'fk_mail_outbox_on_behalf_of',
  })
  onBehalfOf?: Organisation;

  @Column({ type: 'char', length: 36, nullable: true })
  employerId: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  contactPersonId: string | null;

  /** Not sent before this instant (postponements move it). */
  @Column({ type: 'datetime', precision: 3 })
  notBefore: Date;

  @Column({ type: 'enum', enum: MAIL_STATUSES, default: 'pending' })
  status: MailStatus;

  /** SMTP attempts so far (counted at the claim). */
  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  /** Code and sentence, e.g. `DO_NOT_CONTACT: …`, `OPTED_OUT`, `CANCELLED`. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  suppressedReason: string | null;

  /** The latest decision in words (why it was postponed, merged, sent). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  decisionNote: string | null;

  /** Set once the decide step said "send": a retry of the SMTP step never decides again. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  decidedAt: Date | null;

  /** When the current claim (queued → sending) was committed. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  sendingStartedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  /** `<outboxId@host>` of the email that carried this row (the digest's for a merged row). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  messageId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  smtpResponse: string | null;

  /**
   * The digest that carried this row: the carrier's id (on the carrier itself too). Null for a
   * row sent on its own. A member ends with the carrier's status.
   */
  @Column({ type: 'char', length: 36, nullable: true })
  digestId: string | null;
}

/** An opt-out link of an outreach email. Only the hash is stored; the token is in the email. */
@Entity('mail_opt_out')
@Index('uq_mail_opt_out_token_hash', ['tokenHash'], { unique: true })
@Index('ix_mail_opt_out_contact_person', ['contactPersonId'])
export class MailOptOut extends BaseEntity {
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'char', length: 36 })
  contactPersonId: string;

  @Column({ type: 'char', length: 36 })
  employerId: string;

  /** The outbox row (or digest carrier) whose email carries the link. */
  @Column({ type: 'char', length: 36 })
  outboxId: string;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  usedAt: Date | null;
}
