import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../database/base.entity';

export const ORGANISATION_KINDS = [
  'employment_service',
  'municipality',
  'region',
  'civil_society',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** An actor in the local agreement (Arbetsförmedlingen, a municipal unit, a partner). */
@Entity('organisation')
export class Organisation extends BaseEntity {
  @Index('uq_organisation_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: ORGANISATION_KINDS })
  kind: OrganisationKind;

  /** Kommunkod (4 digits) of the municipality the organisation works in. */
  @Column({ type: 'char', length: 4, nullable: true })
  municipalityCode: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
