import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsStrictEmail } from '../../common/validators';
import { trim, emptyToNull } from '../../common/transforms';

export class CreateContactPersonDto {
  @ApiProperty({ example: 'Maria Holm' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Enhetschef', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  title?: string | null;

  @ApiPropertyOptional({ example: 'maria.holm@eslov.se', nullable: true, type: String })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' ? (value.trim() === '' ? null : value.trim().toLowerCase()) : value,
  )
  @ValidateIf((_, v) => v !== null)
  @IsStrictEmail()
  email?: string | null;

  @ApiPropertyOptional({ example: '0413-620 00', nullable: true, type: String })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\+?[0-9 ()-]{5,40}$/, {
    message: 'phone may contain digits, spaces, ( ) - and a leading +',
  })
  phone?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'The person does not want emails from Praktiknav',
  })
  @IsOptional()
  @IsBoolean()
  emailOptOut?: boolean;

  @ApiPropertyOptional({
    description: 'Date of handledarutbildning (supervisor training)',
    example: '2026-03-15',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true }, { message: 'supervisorTrainedAt must be a date, e.g. 2026-03-15' })
  supervisorTrainedAt?: string | null;
}

export class UpdateContactPersonDto extends PartialType(CreateContactPersonDto) {}
