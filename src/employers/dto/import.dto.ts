import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageOf, PageQuery } from '../../common/pagination';
import { queryBoolean } from '../../common/transforms';
import {
  EmployerImport,
  EmployerImportRow,
  IMPORT_ROW_STATUSES,
  IMPORT_STATUSES,
  ImportRowStatus,
} from '../employer-import.entity';

export class ImportQuery {
  @ApiPropertyOptional({
    description: 'Only report what would happen (default true: a dry run)',
    default: true,
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun: boolean = true;

  @ApiPropertyOptional({ description: 'The file name, for the import list' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

export class ImportRowsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: IMPORT_ROW_STATUSES })
  @IsOptional()
  @IsIn(IMPORT_ROW_STATUSES, {
    message: `status must be one of: ${IMPORT_ROW_STATUSES.join(', ')}`,
  })
  status?: ImportRowStatus;
}

export class ImportResponse {
  @ApiProperty() id: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ enum: IMPORT_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) filename: string | null;
  @ApiProperty() totalRows: number;
  @ApiProperty({ description: 'Rows that are (or would be) new employers' }) newRows: number;
  @ApiProperty() createdRows: number;
  @ApiProperty() duplicateRows: number;
  @ApiProperty() invalidRows: number;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'encoding, delimiter, mapped and unknown columns',
  })
  header: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;

  static of(i: EmployerImport): ImportResponse {
    return {
      id: i.id,
      dryRun: i.dryRun,
      status: i.status,
      filename: i.filename,
      totalRows: i.totalRows,
      newRows: i.newRows,
      createdRows: i.createdRows,
      duplicateRows: i.duplicateRows,
      invalidRows: i.invalidRows,
      header: i.header,
      error: i.error,
      createdAt: i.createdAt.toISOString(),
      finishedAt: i.finishedAt ? i.finishedAt.toISOString() : null,
    };
  }
}

export class ImportRowResponse {
  @ApiProperty() line: number;
  @ApiProperty({ enum: IMPORT_ROW_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Created employer, or the existing one it duplicates',
  })
  employerId: string | null;
  @ApiProperty({ nullable: true, type: Number }) duplicateOfLine: number | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: 'array', items: { type: 'object' } }) errors:
    { field: string; message: string }[] | null;

  static of(r: EmployerImportRow): ImportRowResponse {
    return {
      line: r.line,
      status: r.status,
      name: r.name,
      employerId: r.employerId,
      duplicateOfLine: r.duplicateOfLine,
      reason: r.reason,
      errors: r.errors,
    };
  }
}

export class ImportRowPage extends PageOf(ImportRowResponse) {}
