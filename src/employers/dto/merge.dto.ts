import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EmployerResponse } from './employer.response';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MergeDto {
  @ApiProperty({ description: 'The employer to merge into this one (it becomes a tombstone)' })
  @Matches(ID, { message: 'mergedId must be an employer id' })
  mergedId: string;
}

export class NotDuplicateDto {
  @ApiProperty({ description: 'The other employer of the pair' })
  @Matches(ID, { message: 'otherId must be an employer id' })
  otherId: string;
}

export class PossibleDuplicatesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

export class MergePreviewResponse {
  @ApiProperty({ type: EmployerResponse }) survivor: EmployerResponse;
  @ApiProperty({ type: EmployerResponse }) merged: EmployerResponse;
  @ApiProperty({ description: 'What would move, by kind', example: { contactPersons: 2 } })
  moves: Record<string, number>;
  @ApiProperty({
    type: [String],
    description: 'Empty fields of the survivor filled from the merged employer',
  })
  fillsIn: string[];
  @ApiProperty({ description: 'Whether you may perform this merge' }) allowed: boolean;
}

export class MergeResultResponse {
  @ApiProperty({ type: EmployerResponse }) survivor: EmployerResponse;
  @ApiProperty({ example: { contactPersons: 2 } }) moved: Record<string, number>;
  @ApiProperty({ type: [String] }) fillsIn: string[];
}

export class PossibleDuplicatePairResponse {
  @ApiProperty({ type: EmployerResponse }) a: EmployerResponse;
  @ApiProperty({ type: EmployerResponse }) b: EmployerResponse;
  @ApiProperty({ enum: ['certain', 'likely', 'possible'] }) level: string;
  @ApiProperty() score: number;
  @ApiProperty() reason: string;
}
