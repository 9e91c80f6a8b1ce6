import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../organisations/user.entity';

/** A personal API token; only its SHA-256 is stored, the token itself is shown once. */
@Entity('api_token')
export class ApiToken extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_api_token_user' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** First characters of the token, to tell tokens apart in lists. */
  @Column({ type: 'varchar', length: 12 })
  prefix: string;

  @Index('uq_api_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
