import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination';
import { Organisation, ORGANISATION_KINDS, OrganisationKind } from '../organisation.entity';
import { trim, queryBoolean } from '../../common/transforms';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Arbetsförmedlingen Eslöv', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: `kind must be one of: ${ORGANISATION_KINDS.join(', ')}` })
  kind: OrganisationKind;

  @ApiPropertyOptional({ example: '1285', description: 'Kommunkod, 4 digits' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'municipalityCode must be a 4-digit kommunkod, e.g. 1285' })
  municipalityCode?: string;
}

export class ListOrganisationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) organisations' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class OrganisationResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: OrganisationKind;
  @ApiProperty({ nullable: true, type: String }) municipalityCode: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;

  static of(o: Organisation): OrganisationResponse {
    return {
      id: o.id,
      name: o.name,
      kind: o.kind,
      municipalityCode: o.municipalityCode,
      active: o.active,
      createdAt: o.createdAt.toISOString(),
    };
  }
}

export class OrganisationPage extends PageOf(OrganisationResponse) {}
