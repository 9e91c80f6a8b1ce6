import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Action prefix, e.g. "user." or "auth.login"' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ example: 'user' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'actorUserId must be an id' })
  actorUserId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date or time (inclusive)' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date, e.g. 2026-11-01' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date or time (exclusive)' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date, e.g. 2026-12-01' })
  to?: string;
}
