import { Transform } from 'class-transformer';
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
import { emptyToNull } from '../../common/transforms';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim())
    ? Number(value)
    : value === ''
      ? undefined
      : value;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The supervisor's answer, posted from the page behind the emailed link (a form, not JSON). */
export class SupervisorAnswerDto {
  @IsIn(['confirm', 'confirm_changes', 'decline'], {
    message: 'action must be confirm, confirm_changes or decline',
  })
  action: 'confirm' | 'confirm_changes' | 'decline';

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1, { message: 'capacity must be at least 1' })
  @Max(50)
  capacity?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'hoursPerWeek must be a whole number' })
  @Min(1)
  @Max(40, { message: 'hoursPerWeek must be at most 40' })
  hoursPerWeek?: number;

  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'availableFrom must be a date, e.g. 2027-01-11' })
  @IsISO8601({ strict: true }, { message: 'availableFrom must be a valid date' })
  availableFrom?: string | null;

  @IsOptional()
  @Transform(emptyToNull)
  @ValidateIf((_, v) => v !== null)
  @Matches(DATE, { message: 'availableTo must be a date, e.g. 2027-06-30' })
  @IsISO8601({ strict: true }, { message: 'availableTo must be a valid date' })
  availableTo?: string | null;

  @Transform(emptyToNull)
  @ValidateIf((o, v) => (v !== null && v !== undefined) || o.action === 'decline')
  @IsString({ message: 'reason is needed when declining' })
  @MaxLength(500)
  reason?: string | null;
}
