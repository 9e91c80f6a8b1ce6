import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request } from 'express';
import { AnyRole, Roles } from '../auth/access.decorators';
import { SettingsService } from './settings.service';

export class SettingsResponse {
  @ApiProperty({
    description: 'Global cool-off: minimum days between two contacts with an employer',
  })
  minDaysBetweenContacts: number;
  @ApiProperty({ description: 'Longest contact claim (days)' })
  maxClaimDays: number;
}

export class UpdateSettingsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  minDaysBetweenContacts?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 14 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(14)
  maxClaimDays?: number;
}

@ApiTags('settings')
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: SettingsResponse })
  async get(): Promise<SettingsResponse> {
    const s = await this.settings.all();
    return {
      minDaysBetweenContacts: s['contact.minDaysBetweenContacts'],
      maxClaimDays: s['contact.maxClaimDays'],
    };
  }

  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: SettingsResponse })
  async update(@Body() dto: UpdateSettingsDto, @Req() req: Request): Promise<SettingsResponse> {
    const s = await this.settings.update(
      {
        'contact.minDaysBetweenContacts': dto.minDaysBetweenContacts,
        'contact.maxClaimDays': dto.maxClaimDays,
      },
      req.principal!.userId,
    );
    return {
      minDaysBetweenContacts: s['contact.minDaysBetweenContacts'],
      maxClaimDays: s['contact.maxClaimDays'],
    };
  }
}
