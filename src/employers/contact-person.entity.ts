import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Employer } from './employer.entity';

/** A person at the employer. Emails are validated strictly before they are stored. */
@Entity('contact_person')
@Index('ix_contact_person_employer', ['employerId', 'isPrimary'])
export class ContactPerson extends BaseEntity {
  @Column({ type: 'char', length: 36 })
  employerId: string;

  @ManyToOne(() => Employer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employer_id', foreignKeyConstraintName: 'fk_contact_person_employer' })
  employer?: Employer;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  @Index('ix_contact_person_email')
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'boolean', default: false })
  emailOptOut: boolean;

  /** When this person completed handledarutbildning (supervisor training), if ever. */
  @Column({ type: 'date', nullable: true })
  supervisorTrainedAt: string | null;
}
