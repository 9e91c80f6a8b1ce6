import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiMovedPermanentlyResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { IdParam } from '../common/id-param';
import { CreateContactPersonDto, UpdateContactPersonDto } from './dto/contact-person.dto';
import {
  CreateEmployerDto,
  DuplicateCheckQuery,
  ListEmployersQuery,
  UpdateEmployerDto,
} from './dto/employer.dto';
import {
  ContactPersonResponse,
  CreatedEmployerResponse,
  DuplicateCandidateResponse,
  EmployerDetailResponse,
  EmployerPage,
  EmployerResponse,
} from './dto/employer.response';
import {
  MergeDto,
  MergePreviewResponse,
  MergeResultResponse,
  NotDuplicateDto,
  PossibleDuplicatePairResponse,
  PossibleDuplicatesQuery,
} from './dto/merge.dto';
import { DuplicateCandidate } from './employer-duplicates.service';
import { EmployerMergeService } from './employer-merge.service';
import { EmployersService } from './employers.service';

function candidate(c: DuplicateCandidate): DuplicateCandidateResponse {
  return {
    employer: EmployerResponse.of(c.employer),
    level: c.match.level,
    score: Math.round(c.match.score * 1000) / 1000,
    reason: c.match.reason,
  };
}

@ApiTags('employers')
@Controller('api/v1/employers')
export class EmployersController {
  constructor(
    private readonly employers: EmployersService,
    private readonly merges: EmployerMergeService,
    private readonly clock: Clock,
  ) {}

  @Get('possible-duplicates')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({
    type: [PossibleDuplicatePairResponse],
    description: 'Pairs across the register to review, most certain first',
  })
  async possibleDuplicates(
    @Query() q: PossibleDuplicatesQuery,
  ): Promise<PossibleDuplicatePairResponse[]> {
    return (await this.merges.possiblePairs(q.limit)).map((p) => ({
      a: EmployerResponse.of(p.a),
      b: EmployerResponse.of(p.b),
      level: p.match.level,
      score: Math.round(p.match.score * 1000) / 1000,
      reason: p.match.reason,
    }));
  }

  @Get('duplicate-candidates')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({
    type: [DuplicateCandidateResponse],
    description: 'Existing employers that may be the same, best first',
  })
  async duplicateCandidates(
    @Query() q: DuplicateCheckQuery,
  ): Promise<DuplicateCandidateResponse[]> {
    return (await this.employers.checkDuplicates(q)).map(candidate);
  }

  @Post()
  @Roles('recruiter', 'admin')
  @ApiCreatedResponse({ type: CreatedEmployerResponse })
  @ApiConflictResponse({
    description:
      'A certain or likely duplicate exists; `candidates` lists them with score and reason',
  })
  async create(
    @Body() dto: CreateEmployerDto,
    @Req() req: Request,
  ): Promise<CreatedEmployerResponse> {
    const { employer, possible } = await this.employers.create(dto, req.principal!);
    return {
      ...EmployerResponse.of(employer, { full: true }),
      possibleDuplicates: possible.map(candidate),
    };
  }

  @Get()
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({ type: EmployerPage })
  async list(@Query() q: ListEmployersQuery, @Req() req: Request): Promise<EmployerPage> {
    const page = await this.employers.list(q, req.principal!);
    return { ...page, items: page.items.map((e) => EmployerResponse.of(e)) };
  }

  @Get(':id')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({ type: EmployerDetailResponse })
  @ApiMovedPermanentlyResponse({
    description: 'The employer was merged; Location names the survivor',
  })
  async get(
    @Param('id', IdParam) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EmployerDetailResponse | void> {
    const { employer, contactPersons, redirectedFrom } = await this.employers.get(id);
    if (redirectedFrom) {
      res.redirect(301, `/api/v1/employers/${employer.id}`);
      return;
    }
    return {
      ...EmployerResponse.of(employer, { full: true }),
      contactPersons: contactPersons.map((c) => ContactPersonResponse.of(c)),
    };
  }

  @Patch(':id')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({ type: EmployerResponse })
  async update(
    @Param('id', IdParam) id: string,
    @Body() dto: UpdateEmployerDto,
  ): Promise<EmployerResponse> {
    return EmployerResponse.of(await this.employers.update(id, dto), { full: true });
  }

  @Post(':id/archive')
  @Roles('recruiter', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: EmployerResponse })
  async archive(@Param('id', IdParam) id: string): Promise<EmployerResponse> {
    return EmployerResponse.of(await this.employers.setArchived(id, true, this.clock.now()));
  }

  @Post(':id/unarchive')
  @Roles('recruiter', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: EmployerResponse })
  async unarchive(@Param('id', IdParam) id: string): Promise<EmployerResponse> {
    return EmployerResponse.of(await this.employers.setArchived(id, false, this.clock.now()));
  }

  @Get(':id/merge-preview')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({
    type: MergePreviewResponse,
    description: 'What merging mergedId into this employer would move',
  })
  async mergePreview(
    @Param('id', IdParam) id: string,
    @Query() q: MergeDto,
    @Req() req: Request,
  ): Promise<MergePreviewResponse> {
    const p = await this.merges.preview(id, q.mergedId, req.principal!);
    return {
      ...p,
      survivor: EmployerResponse.of(p.survivor),
      merged: EmployerResponse.of(p.merged),
    };
  }

  @Post(':id/merge')
  @Roles('recruiter', 'admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: MergeResultResponse,
    description: 'Merged: everything of mergedId now belongs to this employer',
  })
  async merge(
    @Param('id', IdParam) id: string,
    @Body() dto: MergeDto,
    @Req() req: Request,
  ): Promise<MergeResultResponse> {
    const r = await this.merges.merge(id, dto.mergedId, req.principal!);
    return { ...r, survivor: EmployerResponse.of(r.survivor, { full: true }) };
  }

  @Post(':id/not-duplicate')
  @Roles('recruiter', 'admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The pair is remembered and never proposed again' })
  async notDuplicate(
    @Param('id', IdParam) id: string,
    @Body() dto: NotDuplicateDto,
    @Req() req: Request,
  ): Promise<void> {
    await this.merges.markNotDuplicate(id, dto.otherId, req.principal!);
  }

  @Post(':id/contact-persons')
  @Roles('recruiter', 'admin')
  @ApiCreatedResponse({ type: ContactPersonResponse })
  async addContactPerson(
    @Param('id', IdParam) id: string,
    @Body() dto: CreateContactPersonDto,
  ): Promise<ContactPersonResponse> {
    return ContactPersonResponse.of(await this.employers.addContactPerson(id, dto));
  }

  @Patch(':id/contact-persons/:personId')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({ type: ContactPersonResponse })
  async updateContactPerson(
    @Param('id', IdParam) id: string,
    @Param('personId', IdParam) personId: string,
    @Body() dto: UpdateContactPersonDto,
  ): Promise<ContactPersonResponse> {
    return ContactPersonResponse.of(await this.employers.updateContactPerson(id, personId, dto));
  }

  @Delete(':id/contact-persons/:personId')
  @Roles('recruiter', 'admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeContactPerson(
    @Param('id', IdParam) id: string,
    @Param('personId', IdParam) personId: string,
  ): Promise<void> {
    await this.employers.removeContactPerson(id, personId);
  }
}
