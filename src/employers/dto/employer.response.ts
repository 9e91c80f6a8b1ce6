import { ApiProperty } from '@nestjs/swagger';
import { formatOrgNumber, maskOrgNumber } from '../../common/identity-numbers';
import { ContactPerson } from '../contact-person.entity';
import { PageOf } from '../../common/pagination';
import {
  CONTACT_CHANNELS,
  EMPLOYER_SECTORS,
  EMPLOYER_SEGMENTS,
  EMPLOYER_STATUSES,
  Employer,
  SIZE_CLASSES,
} from '../employer.entity';

export class ContactPersonResponse {
  @ApiProperty() id: string;
  @ApiProperty() employerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty() emailOptOut: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Date of handledarutbildning' })
  supervisorTrainedAt: string | null;

  static of(c: ContactPerson): ContactPersonResponse {
    return {
      id: c.id,
      employerId: c.employerId,
      name: c.name,
      title: c.title,
      email: c.email,
      phone: c.phone,
      isPrimary: c.isPrimary,
      emailOptOut: c.emailOptOut,
      supervisorTrainedAt: c.supervisorTrainedAt ?? null,
    };
  }
}

export class EmployerResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'NNNNNN-NNNN; a sole trader’s personnummer is masked in lists',
  })
  orgNumber: string | null;
  @ApiProperty() orgNumberIsPersonnummer: boolean;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ enum: EMPLOYER_SECTORS }) sector: string;
  @ApiProperty({ nullable: true, type: String }) industry: string | null;
  @ApiProperty({ enum: SIZE_CLASSES, nullable: true }) sizeClass: string | null;
  @ApiProperty({ enum: EMPLOYER_SEGMENTS, isArray: true }) segments: string[];
  @ApiProperty({ nullable: true, type: String }) municipality: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) website: string | null;
  @ApiProperty({ enum: EMPLOYER_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ nullable: true, type: Number }) minDaysBetweenContacts: number | null;
  @ApiProperty({ enum: CONTACT_CHANNELS, nullable: true }) preferredChannel: string | null;
  @ApiProperty({ nullable: true, type: String }) doNotContactReason: string | null;
  @ApiProperty({ nullable: true, type: String }) doNotContactUntil: string | null;
  @ApiProperty({ nullable: true, type: String }) archivedAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  /** `full` shows a sole trader's number unmasked (the employer page, for staff); lists never do. */
  static of(e: Employer, opts: { full?: boolean } = {}): EmployerResponse {
    return {
      id: e.id,
      name: e.name,
      orgNumber: e.orgNumber
        ? e.orgNumberIsPersonnummer && !opts.full
          ? maskOrgNumber(e.orgNumber, true)
          : formatOrgNumber(e.orgNumber)
        : null,
      orgNumberIsPersonnummer: e.orgNumberIsPersonnummer,
      unitName: e.unitName,
      sector: e.sector,
      industry: e.industry,
      sizeClass: e.sizeClass,
      segments: [...(e.segments ?? [])],
      municipality: e.municipality,
      address: e.address,
      website: e.website,
      status: e.status,
      ownerUserId: e.ownerUserId,
      ownerName: e.owner?.name ?? null,
      minDaysBetweenContacts: e.minDaysBetweenContacts,
      preferredChannel: e.preferredChannel,
      doNotContactReason: e.doNotContactReason,
      doNotContactUntil: e.doNotContactUntil ? e.doNotContactUntil.toISOString() : null,
      archivedAt: e.archivedAt ? e.archivedAt.toISOString() : null,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }
}

export class DuplicateCandidateResponse {
  @ApiProperty({ type: EmployerResponse }) employer: EmployerResponse;
  @ApiProperty({ enum: ['certain', 'likely', 'possible'] }) level: string;
  @ApiProperty() score: number;
  @ApiProperty({
    enum: ['same_org_number_and_unit', 'same_org_number', 'same_normalized_name', 'similar_name'],
  })
  reason: string;
}

export class EmployerDetailResponse extends EmployerResponse {
  @ApiProperty({ type: [ContactPersonResponse] }) contactPersons: ContactPersonResponse[];
}

export class CreatedEmployerResponse extends EmployerResponse {
  @ApiProperty({
    type: [DuplicateCandidateResponse],
    description: 'Possible (not likely) duplicates to review',
  })
  possibleDuplicates: DuplicateCandidateResponse[];
}

export class EmployerPage extends PageOf(EmployerResponse) {
  @ApiProperty({
    description: 'true when there are more matches than `total` (counting stops at 10,000)',
  })
  totalCapped: boolean;
}
