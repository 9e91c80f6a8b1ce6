import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ROLES, Role } from '../roles';
import type { Principal } from '../../common/request-context';
import { ApiToken } from '../api-token.entity';

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.praktiknav.se' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}

export class MeResponse {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ enum: ['session', 'api_token'] }) via: 'session' | 'api_token';

  static of(p: Principal): MeResponse {
    return {
      userId: p.userId,
      name: p.name,
      email: p.email,
      roles: p.roles,
      organisationId: p.organisationId,
      organisationName: p.organisationName,
      via: p.via,
    };
  }
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Import script', maxLength: 100 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    description: 'Days until the token expires (none = no expiry)',
    minimum: 1,
    maximum: 730,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}

export class ApiTokenResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters, to recognise the token' }) prefix: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty() createdAt: string;

  static of(t: ApiToken): ApiTokenResponse {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      expiresAt: iso(t.expiresAt),
      lastUsedAt: iso(t.lastUsedAt),
      revokedAt: iso(t.revokedAt),
      createdAt: t.createdAt.toISOString(),
    };
  }
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The token itself. Shown once: store it now.' }) token: string;
}
