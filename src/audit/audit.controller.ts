import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { AuditService } from './audit.service';
import { AuditEventPage, AuditEventResponse } from './dto/audit-event.response';
import { AuditQuery } from './dto/audit.query';

@ApiTags('audit')
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: AuditEventPage })
  async search(@Query() q: AuditQuery): Promise<AuditEventPage> {
    const page = await this.audit.search(q);
    return { ...page, items: page.items.map((e) => AuditEventResponse.of(e)) };
  }
}
