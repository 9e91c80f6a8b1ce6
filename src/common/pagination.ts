import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 25;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

export function pageOf<T>(items: T[], total: number, q: PageQuery): Page<T> {
  return { items, page: q.page, limit: q.limit, total };
}

/** A named OpenAPI page schema for an item DTO: `class UserPage extends PageOf(UserResponse) {}`. */
export function PageOf<T>(item: new () => T) {
  class PageResponse {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty() page: number;
    @ApiProperty() limit: number;
    @ApiProperty() total: number;
  }
  return PageResponse;
}
