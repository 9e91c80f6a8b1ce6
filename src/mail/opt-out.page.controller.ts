import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { OptOutService, OptOutView } from './opt-out.service';

/**
 * /u/{token}: the opt-out link of outreach mail. Mail scanners follow links, so a GET only
 * asks; the opt-out is the POST from that page (CSRF-protected like every form).
 */
@ApiExcludeController()
@Controller('u')
export class OptOutPageController {
  constructor(private readonly optOut: OptOutService) {}

  @Get(':token')
  @Public()
  async show(@Param('token') token: string, @Res() res: Response) {
    this.render(res, token, await this.optOut.view(token));
  }

  @Post(':token')
  @Public()
  async confirm(@Param('token') token: string, @Res() res: Response) {
    this.render(res, token, await this.optOut.confirm(token));
  }

  private render(res: Response, token: string, view: OptOutView) {
    // The token is in the URL: it must not leak to another site or stay in a cache.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    res.status(view.state === 'invalid' ? 404 : view.state === 'expired' ? 410 : 200);
    res.render('mail/opt-out', {
      title: 'mail.optOut.title',
      ...view,
      action: view.state === 'confirm' ? `/u/${token}` : null,
    });
  }
}
