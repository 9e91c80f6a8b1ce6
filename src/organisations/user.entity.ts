import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Role, ROLES } from '../auth/roles';
import { BaseEntity } from '../database/base.entity';
import { Organisation } from './organisation.entity';

@Entity('user')
export class User extends BaseEntity {
  /** Stored lower-case; unique. */
  @Index('uq_user_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'set', enum: ROLES })
  roles: Role[];

  @Column({ type: 'char', length: 36 })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_user_organisation' })
  organisation?: Organisation;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'enum', enum: ['sv', 'en'], default: 'sv' })
  locale: 'sv' | 'en';

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastLoginAt: Date | null;
}
