import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination';
import { emptyToNull } from '../../common/transforms';
import {
  CONTACT_CHANNELS,
  CONTACT_PURPOSES,
  ContactChannel,
  ContactPurpose,
} from '../contact-policy';
import { ContactClaim, ContactEvent } from '../contact-event.entity';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = (name: string, list: readonly string[]) => ({
  message: `${name} must be one of: ${list.join(', ')}`,
});

export class LogContactDto {
  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS, oneOf('channel', CONTACT_CHANNELS))
  channel: ContactChannel;

  @ApiProperty({ enum: CONTACT_PURPOSES })
  @IsIn(CONTACT_PURPOSES, oneOf('purpose', CONTACT_PURPOSES))
  purpose: ContactPurpose;

  @ApiPropertyOptional({
    description: 'A contact person of this employer',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(ID, { message: 'contactPersonId must be a contact person id' })
  contactPersonId?: string | null;

  @ApiPropertyOptional({
    description: 'When it happened (default: now; not in the future)',
    example: '2026-11-20T10:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'occurredAt must be an ISO 8601 date and time' })
  occurredAt?: string;

  @ApiPropertyOptional({
    maxLength: 500,
    nullable: true,
    type: String,
    example: 'Positiv, vill ta emot en praktikant i januari',
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  outcome?: string | null;

  @ApiPropertyOptional({ maxLength: 5000, nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(5000)
  note?: string | null;

  @ApiPropertyOptional({
    description: 'Planned next step (date or date-time)',
    nullable: true,
    type: String,
    example: '2026-12-01',
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true }, { message: 'nextStepAt must be an ISO 8601 date, e.g. 2026-12-01' })
  nextStepAt?: string | null;
}

export class ClaimDto {
  @ApiProperty({ enum: CONTACT_PURPOSES })
  @IsIn(CONTACT_PURPOSES, oneOf('purpose', CONTACT_PURPOSES))
  purpose: ContactPurpose;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 14,
    default: 7,
    description: 'Days wanted (at most the configured maximum, 14 by default)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(14, { message: 'days must be at most 14' })
  days?: number;
}

export class PermissionQuery {
  @ApiProperty({ enum: CONTACT_PURPOSES })
  @IsIn(CONTACT_PURPOSES, oneOf('purpose', CONTACT_PURPOSES))
  purpose: ContactPurpose;
}

export class TimelineQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'organisationId must be an organisation id' })
  organisationId?: string;

  @ApiPropertyOptional({ enum: CONTACT_PURPOSES })
  @IsOptional()
  @IsIn(CONTACT_PURPOSES, oneOf('purpose', CONTACT_PURPOSES))
  purpose?: ContactPurpose;

  @ApiPropertyOptional({ enum: CONTACT_CHANNELS })
  @IsOptional()
  @IsIn(CONTACT_CHANNELS, oneOf('channel', CONTACT_CHANNELS))
  channel?: ContactChannel;
}

export class NextStepsQuery {
  @ApiPropertyOptional({ enum: ['me', 'organisation'], default: 'me' })
  @IsOptional()
  @IsIn(['me', 'organisation'], { message: 'scope must be me or organisation' })
  scope: 'me' | 'organisation' = 'me';
}

export class StatisticsQuery {
  @ApiProperty({ example: '2026-01-01', description: 'Start (inclusive)' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date, e.g. 2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-07-01', description: 'End (exclusive)' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date, e.g. 2026-07-01' })
  to: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  top?: number;
}

export class ContactEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() employerId: string;
  @ApiProperty({ nullable: true, type: String }) contactPersonId: string | null;
  @ApiProperty() organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ nullable: true, type: String, description: 'null = an automated email' }) userId:
    string | null;
  @ApiProperty({ nullable: true, type: String }) userName: string | null;
  @ApiProperty({ enum: CONTACT_CHANNELS }) channel: string;
  @ApiProperty({ enum: CONTACT_PURPOSES }) purpose: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String }) nextStepAt: string | null;
  @ApiProperty({ nullable: true, type: String }) nextStepDoneAt: string | null;
  @ApiProperty() policyBreach: boolean;
  @ApiProperty({ nullable: true, type: String }) breachReason: string | null;
  @ApiProperty({ nullable: true, type: String }) claimId: string | null;

  static of(e: ContactEvent): ContactEventResponse {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: e.id,
      employerId: e.employerId,
      contactPersonId: e.contactPersonId,
      organisationId: e.organisationId,
      organisationName: e.organisation?.name ?? '',
      userId: e.userId,
      userName: e.user?.name ?? null,
      channel: e.channel,
      purpose: e.purpose,
      occurredAt: e.occurredAt.toISOString(),
      outcome: e.outcome,
      note: e.note,
      nextStepAt: iso(e.nextStepAt),
      nextStepDoneAt: iso(e.nextStepDoneAt),
      policyBreach: e.policyBreach,
      breachReason: e.breachReason,
      claimId: e.claimId,
    };
  }
}

export class ContactEventPage extends PageOf(ContactEventResponse) {}

export class ClaimResponse {
  @ApiProperty() id: string;
  @ApiProperty() employerId: string;
  @ApiProperty() organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty() userId: string;
  @ApiProperty() userName: string;
  @ApiProperty({ enum: CONTACT_PURPOSES }) purpose: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() validUntil: string;
  @ApiProperty({
    enum: ['active', 'used', 'released', 'expired'],
    description: 'Expiry is applied when read',
  })
  status: string;

  static of(c: ContactClaim, now: Date): ClaimResponse {
    return {
      id: c.id,
      employerId: c.employerId,
      organisationId: c.organisationId,
      organisationName: c.organisation?.name ?? '',
      userId: c.userId,
      userName: c.user?.name ?? '',
      purpose: c.purpose,
      createdAt: c.createdAt.toISOString(),
      validUntil: c.validUntil.toISOString(),
      status: c.status === 'active' && c.validUntil <= now ? 'expired' : c.status,
    };
  }
}

export class HolderResponse {
  @ApiProperty() organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) userName: string | null;
  @ApiProperty() since: string;
  @ApiProperty({ enum: CONTACT_PURPOSES }) purpose: string;
}

export class PermissionResponse {
  @ApiProperty({ enum: ['allowed', 'refused'] }) decision: 'allowed' | 'refused';
  @ApiPropertyOptional({ enum: ['DO_NOT_CONTACT', 'CLAIMED_BY_OTHER', 'COOL_OFF'] })
  reason?: string;
  @ApiPropertyOptional({ enum: ['owner', 'placement_follow_up', 'transactional'] })
  exemption?: string;
  @ApiPropertyOptional({ type: HolderResponse }) holder?: HolderResponse;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'First moment a contact is allowed (null: not until the block is lifted)',
  })
  nextAllowedAt: string | null;
  @ApiProperty({ description: 'A sentence for the banner, in the request language' })
  message: string;
  @ApiProperty({ nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiPropertyOptional({
    type: ClaimResponse,
    description: 'Your organisation’s active claim, if any',
  })
  ownClaim?: ClaimResponse;
}

export class ClaimResultResponse extends PermissionResponse {
  @ApiProperty() granted: boolean;
  @ApiPropertyOptional({ type: ClaimResponse }) claim?: ClaimResponse;
}
