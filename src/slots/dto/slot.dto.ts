import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination';
import { emptyToNull, queryBoolean, trim } from '../../common/transforms';
import { EMPLOYER_SECTORS, EmployerSector } from '../../employers/employer.entity';
import {
  ADAPTATIONS,
  Adaptation,
  InternshipSlot,
  SWEDISH_LEVELS,
  SwedishLevel,
} from '../internship-slot.entity';
import { MAX_WEEKS, SLOT_STATUSES, SlotStatus } from '../slot-status';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = (name: string, list: readonly string[]) => ({
  message: `${name} must be one of: ${list.join(', ')}`,
});

export class RequirementsDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  drivingLicence: boolean = false;

  @ApiPropertyOptional({ enum: SWEDISH_LEVELS, default: 'basic' })
  @IsOptional()
  @IsIn(SWEDISH_LEVELS, oneOf('swedishLevel', SWEDISH_LEVELS))
  swedishLevel: SwedishLevel = 'basic';

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  other: string | null = null;
}

export class SlotFieldsDto {
  @ApiProperty({ description: 'The employer (or its unit) offering the slot' })
  @Matches(ID, { message: 'employerId must be an employer id' })
  employerId: string;

  @ApiProperty({ example: 'Lagerarbete – plock och pack', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Transport, distribution, lager', description: 'Yrkesområde' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'occupationField must not be empty' })
  @MaxLength(100)
  occupationField: string;

  @ApiPropertyOptional({
    example: '9331',
    description: 'SSYK 2012 unit group (4 digits)',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{4}$/, { message: 'ssyk must be a 4-digit SSYK code, e.g. 9331' })
  ssyk?: string | null;

  @ApiProperty({
    type: [String],
    example: ['Packa beställningar', 'Sortera inleveranser'],
    description: 'Simple, clearly defined tasks; one short line each',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'tasks must list at least one task' })
  @ArrayMaxSize(20, { message: 'tasks may list at most 20 tasks' })
  @IsString({ each: true })
  @IsNotEmpty({ each: true, message: 'each task must be a short line of text' })
  @MaxLength(200, {
    each: true,
    message: 'each task must be at most 200 characters (a short line)',
  })
  tasks: string[];

  @ApiProperty({ minimum: 1, maximum: 50, description: 'Participants at the same time' })
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1, { message: 'capacity must be at least 1' })
  @Max(50)
  capacity: number;

  @ApiProperty({ minimum: 1, maximum: 40 })
  @IsInt()
  @Min(1)
  @Max(40, { message: 'hoursPerWeek must be at most 40' })
  hoursPerWeek: number;

  @ApiProperty({ example: '1285' })
  @Matches(/^\d{4}$/, { message: 'municipality must be a 4-digit kommunkod, e.g. 1285' })
  municipality: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(300)
  address?: string | null;

  @ApiProperty({ example: '2027-01-11' })
  @Matches(DATE, { message: 'availableFrom must be a date, e.g. 2027-01-11' })
  @IsISO8601({ strict: true }, { message: 'availableFrom must be a valid date' })
  availableFrom: string;

  @ApiPropertyOptional({ example: '2027-06-30', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'availableTo must be a date, e.g. 2027-06-30' })
  @IsISO8601({ strict: true }, { message: 'availableTo must be a valid date' })
  availableTo?: string | null;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_WEEKS,
    description: 'Longest placement in weeks (at most 26 = 6 months)',
  })
  @IsInt()
  @Min(1, { message: 'maxWeeks must be at least 1' })
  @Max(MAX_WEEKS, { message: `maxWeeks must be at most ${MAX_WEEKS} weeks (6 months)` })
  maxWeeks: number;

  @ApiPropertyOptional({ type: RequirementsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequirementsDto)
  requirements?: RequirementsDto;

  @ApiPropertyOptional({ enum: ADAPTATIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ADAPTATIONS, {
    each: true,
    message: `each adaptation must be one of: ${ADAPTATIONS.join(', ')}`,
  })
  adaptations?: Adaptation[];

  @ApiProperty({ description: 'The supervisor (handledare): a contact person of this employer' })
  @Matches(ID, { message: 'supervisorId must be a contact person id' })
  supervisorId: string;
}

export class CreateSlotDto extends SlotFieldsDto {}
export class UpdateSlotDto extends PartialType(SlotFieldsDto) {}

export class ChangeStatusDto {
  @ApiProperty({ enum: SLOT_STATUSES })
  @IsIn(SLOT_STATUSES, oneOf('status', SLOT_STATUSES))
  status: SlotStatus;
}

export class ListSlotsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) occupationField?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'ssyk must be 1–4 digits' })
  ssyk?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'municipality must be a 4-digit kommunkod' })
  municipality?: string;
  @ApiPropertyOptional({ enum: EMPLOYER_SECTORS })
  @IsOptional()
  @IsIn(EMPLOYER_SECTORS, oneOf('sector', EMPLOYER_SECTORS))
  sector?: EmployerSector;
  @ApiPropertyOptional({ enum: SLOT_STATUSES })
  @IsOptional()
  @IsIn(SLOT_STATUSES, oneOf('status', SLOT_STATUSES))
  status?: SlotStatus;
  @ApiPropertyOptional({ example: '2027-02-01', description: 'Available on this date' })
  @IsOptional()
  @Matches(DATE, { message: 'availableOn must be a date, e.g. 2027-02-01' })
  availableOn?: string;
  @ApiPropertyOptional({ description: 'Only slots with a free place now' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'freeCapacity must be true or false' })
  freeCapacity?: boolean;
  @ApiPropertyOptional({ enum: ADAPTATIONS, description: 'Comma-separated; all must be offered' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @IsIn(ADAPTATIONS, {
    each: true,
    message: `adaptations must be among: ${ADAPTATIONS.join(', ')}`,
  })
  adaptations?: Adaptation[];
  @ApiPropertyOptional({ description: 'true: supervisor has handledarutbildning; false: has not' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'supervisorTrained must be true or false' })
  supervisorTrained?: boolean;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'employerId must be an employer id' })
  employerId?: string;
}

export class SlotResponse {
  @ApiProperty() id: string;
  @ApiProperty() employerId: string;
  @ApiProperty() employerName: string;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ enum: EMPLOYER_SECTORS }) sector: string;
  @ApiProperty() title: string;
  @ApiProperty() occupationField: string;
  @ApiProperty({ nullable: true, type: String }) ssyk: string | null;
  @ApiProperty({ type: [String] }) tasks: string[];
  @ApiProperty() capacity: number;
  @ApiProperty() hoursPerWeek: number;
  @ApiProperty() municipality: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty() availableFrom: string;
  @ApiProperty({ nullable: true, type: String }) availableTo: string | null;
  @ApiProperty() maxWeeks: number;
  @ApiProperty({ type: RequirementsDto }) requirements: RequirementsDto;
  @ApiProperty({ enum: ADAPTATIONS, isArray: true }) adaptations: string[];
  @ApiProperty() supervisorId: string;
  @ApiProperty() supervisorName: string;
  @ApiProperty({ nullable: true, type: String }) supervisorTrainedAt: string | null;
  @ApiProperty({ enum: SLOT_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) lastConfirmedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) declineReason: string | null;
  @ApiProperty() createdAt: string;

  static of(s: InternshipSlot): SlotResponse {
    return {
      id: s.id,
      employerId: s.employerId,
      employerName: s.employer?.name ?? '',
      unitName: s.employer?.unitName ?? null,
      sector: s.employer?.sector ?? 'private',
      title: s.title,
      occupationField: s.occupationField,
      ssyk: s.ssyk,
      tasks: s.tasks,
      capacity: s.capacity,
      hoursPerWeek: s.hoursPerWeek,
      municipality: s.municipality,
      address: s.address,
      availableFrom: s.availableFrom,
      availableTo: s.availableTo,
      maxWeeks: s.maxWeeks,
      requirements: s.requirements,
      adaptations: [...(s.adaptations ?? [])],
      supervisorId: s.supervisorId,
      supervisorName: s.supervisor?.name ?? '',
      supervisorTrainedAt: s.supervisor?.supervisorTrainedAt ?? null,
      status: s.status,
      ownerUserId: s.ownerUserId,
      lastConfirmedAt: s.lastConfirmedAt ? s.lastConfirmedAt.toISOString() : null,
      declineReason: s.declineReason,
      createdAt: s.createdAt.toISOString(),
    };
  }
}

export class SlotPage extends PageOf(SlotResponse) {}

export class SectorCountResponse {
  @ApiProperty({ enum: EMPLOYER_SECTORS }) sector: string;
  @ApiProperty() open: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The configured target, if any' })
  target: number | null;
}
