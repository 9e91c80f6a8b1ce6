import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParam } from '../common/id-param';
import {
  ListOutboxQuery,
  OutboxDetailResponse,
  OutboxItemResponse,
  OutboxPage,
} from './dto/outbox.dto';
import { MailAdminService } from './mail-admin.service';

@ApiTags('mail')
@Controller('api/v1/mail/outbox')
export class MailAdminController {
  constructor(private readonly admin: MailAdminService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: OutboxPage, description: 'Outbox rows, newest first' })
  async list(@Query() q: ListOutboxQuery): Promise<OutboxPage> {
    const page = await this.admin.list(q);
    return { ...page, items: page.items.map((r) => OutboxItemResponse.of(r)) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: OutboxDetailResponse })
  async get(@Param('id', IdParam) id: string): Promise<OutboxDetailResponse> {
    const { row, digest } = await this.admin.get(id);
    return { ...OutboxItemResponse.of(row), digest: digest.map((r) => OutboxItemResponse.of(r)) };
  }

  @Post(':id/retry')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: OutboxItemResponse,
    description: 'A failed or needs_review mail (with its digest) is decided and sent again',
  })
  @ApiConflictResponse({ description: 'Not failed or needs_review (MAIL_ACTION_NOT_ALLOWED)' })
  async retry(@Param('id', IdParam) id: string, @Req() req: Request): Promise<OutboxItemResponse> {
    return OutboxItemResponse.of(await this.admin.retry(id, req.principal!));
  }

  @Post(':id/mark-sent')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: OutboxItemResponse,
    description: 'A needs_review mail that did arrive is settled as sent',
  })
  @ApiConflictResponse({ description: 'Not needs_review (MAIL_ACTION_NOT_ALLOWED)' })
  async markSent(
    @Param('id', IdParam) id: string,
    @Req() req: Request,
  ): Promise<OutboxItemResponse> {
    return OutboxItemResponse.of(await this.admin.markSent(id, req.principal!));
  }

  @Post(':id/cancel')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: OutboxItemResponse, description: 'Suppressed with reason CANCELLED' })
  @ApiConflictResponse({
    description:
      'Already claimed or settled (MAIL_ACTION_NOT_ALLOWED), or in a digest (MAIL_IN_DIGEST)',
  })
  async cancel(@Param('id', IdParam) id: string, @Req() req: Request): Promise<OutboxItemResponse> {
    return OutboxItemResponse.of(await this.admin.cancel(id, req.principal!));
  }
}
