import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsOrgNumber } from '../../common/validators';
import {
  CONTACT_CHANNELS,
  ContactChannel,
  EMPLOYER_SECTORS,
  EMPLOYER_SEGMENTS,
  EMPLOYER_STATUSES,
  EmployerSector,
  EmployerSegment,
  EmployerStatus,
  SIZE_CLASSES,
  SizeClass,
} from '../employer.entity';
import { trim, emptyToNull, queryBoolean } from '../../common/transforms';

const oneOf = (name: string, list: readonly string[]) => ({
  message: `${name} must be one of: ${list.join(', ')}`,
});

export class EmployerFieldsDto {
  @ApiProperty({ example: 'Bageriet i Eslöv AB', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    example: '556016-0680',
    description:
      'NNNNNN-NNNN, 10 or 12 digits; a sole trader’s personnummer is accepted. Null for a unit without its own number.',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsOrgNumber()
  orgNumber?: string | null;

  @ApiPropertyOptional({ example: 'Kulturförvaltningen', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  unitName?: string | null;

  @ApiProperty({ enum: EMPLOYER_SECTORS })
  @IsIn(EMPLOYER_SECTORS, oneOf('sector', EMPLOYER_SECTORS))
  sector: EmployerSector;

  @ApiPropertyOptional({
    example: '56.100',
    description: 'SNI 2007 code',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{2}(\.?\d{1,3})?$/, { message: 'industry must be an SNI code, e.g. 56.100' })
  industry?: string | null;

  @ApiPropertyOptional({ enum: SIZE_CLASSES, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(SIZE_CLASSES, oneOf('sizeClass', SIZE_CLASSES))
  sizeClass?: SizeClass | null;

  @ApiPropertyOptional({ enum: EMPLOYER_SEGMENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(EMPLOYER_SEGMENTS, {
    each: true,
    message: `each segment must be one of: ${EMPLOYER_SEGMENTS.join(', ')}`,
  })
  segments?: EmployerSegment[];

  @ApiPropertyOptional({
    example: '1285',
    description: 'Kommunkod (4 digits)',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{4}$/, { message: 'municipality must be a 4-digit kommunkod, e.g. 1285' })
  municipality?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(300)
  address?: string | null;

  @ApiPropertyOptional({ example: 'https://bageriet.se', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'website must be a web address starting with https://' },
  )
  @MaxLength(300)
  website?: string | null;

  @ApiPropertyOptional({ enum: EMPLOYER_STATUSES, default: 'prospect' })
  @IsOptional()
  @IsIn(EMPLOYER_STATUSES, oneOf('status', EMPLOYER_STATUSES))
  status?: EmployerStatus;

  @ApiPropertyOptional({
    description: 'Owner: the responsible recruiter (user id)',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'ownerUserId must be a user id' })
  ownerUserId?: string | null;

  @ApiPropertyOptional({
    description: 'Cool-off override in days (null = global default)',
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(365)
  minDaysBetweenContacts?: number | null;

  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(CONTACT_CHANNELS, oneOf('preferredChannel', CONTACT_CHANNELS))
  preferredChannel?: ContactChannel | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Required when status is do_not_contact',
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  doNotContactReason?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2027-06-30',
    description: 'The do-not-contact block lifts by itself at this date',
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsISO8601(
    { strict: true },
    { message: 'doNotContactUntil must be an ISO 8601 date, e.g. 2027-06-30' },
  )
  doNotContactUntil?: string | null;
}

export class CreateEmployerDto extends EmployerFieldsDto {
  @ApiPropertyOptional({
    description: 'Create even though a likely duplicate exists (audited)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  confirmNotDuplicate?: boolean;
}

export class UpdateEmployerDto extends PartialType(EmployerFieldsDto) {}

export class DuplicateCheckQuery {
  @ApiProperty({ example: 'Bageriet i Eslöv' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: '556016-0680' })
  @IsOptional()
  @IsOrgNumber()
  orgNumber?: string;

  @ApiPropertyOptional({ example: '', description: 'Unit or workplace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  unitName?: string;

  @ApiPropertyOptional({ example: '1285' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'municipality must be a 4-digit kommunkod, e.g. 1285' })
  municipality?: string;
}

export const EMPLOYER_SORTS = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
] as const;

export class ListEmployersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Free text: name, org number or unit' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: EMPLOYER_SECTORS })
  @IsOptional()
  @IsIn(EMPLOYER_SECTORS, oneOf('sector', EMPLOYER_SECTORS))
  sector?: EmployerSector;

  @ApiPropertyOptional({ enum: EMPLOYER_SEGMENTS })
  @IsOptional()
  @IsIn(EMPLOYER_SEGMENTS, oneOf('segment', EMPLOYER_SEGMENTS))
  segment?: EmployerSegment;

  @ApiPropertyOptional({ example: '1285' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'municipality must be a 4-digit kommunkod, e.g. 1285' })
  municipality?: string;

  @ApiPropertyOptional({ enum: EMPLOYER_STATUSES })
  @IsOptional()
  @IsIn(EMPLOYER_STATUSES, oneOf('status', EMPLOYER_STATUSES))
  status?: EmployerStatus;

  @ApiPropertyOptional({ description: 'Owner user id, or "me" for my employers' })
  @IsOptional()
  @Matches(/^(me|[0-9a-f-]{36})$/i, { message: 'owner must be a user id or "me"' })
  owner?: string;

  @ApiPropertyOptional({ description: 'Include archived employers', default: false })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'includeArchived must be true or false' })
  includeArchived?: boolean;

  @ApiPropertyOptional({ enum: EMPLOYER_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(EMPLOYER_SORTS, oneOf('sort', EMPLOYER_SORTS))
  sort: (typeof EMPLOYER_SORTS)[number] = 'name';
}
