import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ACTOR_TYPES = [
  'user',
  'api_token',
  'supervisor_token',
  'system',
  'anonymous',
] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * Append-only: the app inserts and reads, never updates or deletes (so no updated_at).
 * Ids are time-ordered (uuidv7), so ordering by id is ordering by time.
 */
@Entity('audit_event')
@Index('ix_audit_event_entity', ['entity', 'entityId', 'at'])
@Index('ix_audit_event_actor', ['actorUserId', 'at'])
@Index('ix_audit_event_action', ['action', 'at'])
export class AuditEvent {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Index('ix_audit_event_at')
  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  at: Date;

  @Column({ type: 'enum', enum: ACTOR_TYPES })
  actorType: ActorType;

  @Column({ type: 'char', length: 36, nullable: true })
  actorUserId: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  actorOrganisationId: string | null;

  /** Human-readable actor at the time (name, or 'supervisor via link'). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  actorLabel: string | null;

  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  entity: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  entityId: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'json', nullable: true })
  detail: Record<string, unknown> | null;
}
