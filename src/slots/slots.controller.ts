import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParam } from '../common/id-param';
import {
  ChangeStatusDto,
  CreateSlotDto,
  ListSlotsQuery,
  SectorCountResponse,
  SlotPage,
  SlotResponse,
  UpdateSlotDto,
} from './dto/slot.dto';
import { SlotMailService } from './slot-mail.service';
import { SlotsService } from './slots.service';

@ApiTags('slots')
@Controller('api/v1/slots')
export class SlotsController {
  constructor(
    private readonly slots: SlotsService,
    private readonly slotMail: SlotMailService,
  ) {}

  @Get('open-by-sector')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({
    type: [SectorCountResponse],
    description: 'Open slots per employer sector against the configured targets',
  })
  openBySector(): Promise<SectorCountResponse[]> {
    return this.slots.openBySector();
  }

  @Post()
  @Roles('recruiter', 'admin')
  @ApiCreatedResponse({ type: SlotResponse, description: 'Created as a draft' })
  async create(@Body() dto: CreateSlotDto, @Req() req: Request): Promise<SlotResponse> {
    const slot = await this.slots.create(dto, req.principal!);
    return SlotResponse.of(await this.slots.get(slot.id));
  }

  @Get()
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({ type: SlotPage })
  async list(@Query() q: ListSlotsQuery): Promise<SlotPage> {
    const page = await this.slots.list(q);
    return { ...page, items: page.items.map((s) => SlotResponse.of(s)) };
  }

  @Get(':id')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiOkResponse({ type: SlotResponse })
  async get(@Param('id', IdParam) id: string): Promise<SlotResponse> {
    return SlotResponse.of(await this.slots.get(id));
  }

  @Patch(':id')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({ type: SlotResponse })
  async update(
    @Param('id', IdParam) id: string,
    @Body() dto: UpdateSlotDto,
  ): Promise<SlotResponse> {
    return SlotResponse.of(await this.slots.update(id, dto));
  }

  @Post(':id/request-confirmation')
  @Roles('recruiter', 'admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: SlotResponse,
    description: 'The supervisor gets an email with a link to confirm, change or decline',
  })
  async requestConfirmation(
    @Param('id', IdParam) id: string,
    @Req() req: Request,
  ): Promise<SlotResponse> {
    return SlotResponse.of(await this.slotMail.requestConfirmation(id, req.principal!));
  }

  @Post(':id/status')
  @Roles('recruiter', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: SlotResponse })
  @ApiConflictResponse({
    description: 'Not allowed from the current status; `allowed` lists the statuses that are',
  })
  async status(
    @Param('id', IdParam) id: string,
    @Body() dto: ChangeStatusDto,
  ): Promise<SlotResponse> {
    return SlotResponse.of(await this.slots.setStatus(id, dto.status));
  }
}
