import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role, ROLES } from '../../auth/roles';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { PageOf, PageQuery } from '../../common/pagination';
import { IsStrictEmail } from '../../common/validators';
import { User } from '../user.entity';
import { trim, queryBoolean } from '../../common/transforms';

export class CreateUserDto {
  @ApiProperty({ example: 'anna.svensson@eslov.se' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsStrictEmail()
  email: string;

  @ApiProperty({ example: 'Anna Svensson' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200, writeOnly: true })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['recruiter'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'roles must name at least one role' })
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles: Role[];

  @ApiProperty({ description: 'Id of the organisation the user works for' })
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'organisationId must be an organisation id' })
  organisationId: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv' })
  @IsOptional()
  @IsIn(['sv', 'en'], { message: 'locale must be sv or en' })
  locale?: 'sv' | 'en';
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search in name and email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'organisationId must be an organisation id' })
  organisationId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() organisationId: string;
  @ApiProperty({ nullable: true, type: String }) organisationName: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: ['sv', 'en'] }) locale: 'sv' | 'en';
  @ApiProperty({ nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty() createdAt: string;

  static of(u: User): UserResponse {
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      roles: u.roles,
      organisationId: u.organisationId,
      organisationName: u.organisation?.name ?? null,
      active: u.active,
      locale: u.locale,
      lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
      createdAt: u.createdAt.toISOString(),
    };
  }
}

export class UserPage extends PageOf(UserResponse) {}
