import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { TokenCheck } from '../auth/action-tokens.service';
import { validateForm } from '../web/form';
import { SupervisorAnswerDto } from './dto/supervisor-answer.dto';
import { InternshipSlot } from './internship-slot.entity';
import { SlotConfirmationService } from './slot-confirmation.service';

/**
 * The page behind the link in a supervisor's email. Mail scanners follow links, so GET only
 * shows; the answer is a POST from the page. No account, no referrer, nothing cached.
 */
@ApiExcludeController()
@Controller('s')
export class SupervisorPageController {
  constructor(private readonly confirmations: SlotConfirmationService) {}

  private headers(res: Response): void {
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
  }

  private gone(res: Response, check: TokenCheck, slot: InternshipSlot | null): void {
    res
      .status(check.ok ? 200 : check.reason === 'unknown' ? 404 : 410)
      .render('supervisor/link-gone', {
        title: 'supervisor.gone.title',
        reason: check.ok ? null : check.reason,
        slot,
      });
  }

  @Get(':token')
  @Public()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    this.headers(res);
    const { check, slot } = await this.confirmations.view(token);
    if (!check.ok || !slot) {
      return this.gone(res, check, slot);
    }
    res.render('supervisor/confirm', {
      title: 'supervisor.confirm.title',
      slot,
      token,
      values: {},
      errors: {},
    });
  }

  @Post(':token')
  @Public()
  async answer(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    this.headers(res);
    const { dto, byField, errors } = await validateForm(SupervisorAnswerDto, body);
    if (errors.length) {
      const { check, slot } = await this.confirmations.view(token);
      if (!check.ok || !slot) {
        return this.gone(res, check, slot);
      }
      return res.status(400).render('supervisor/confirm', {
        title: 'supervisor.confirm.title',
        slot,
        token,
        values: body,
        errors: byField,
      });
    }
    const { check, slot } = await this.confirmations.answer(token, dto);
    if (!check.ok || !slot) {
      return this.gone(res, check, slot);
    }
    res
      .status(200)
      .render('supervisor/thanks', { title: 'supervisor.thanks.title', slot, action: dto.action });
  }
}
