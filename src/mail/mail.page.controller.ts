import { Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { flattenValidationErrors } from '../common/validation';
import { pager } from '../web/pager';
import { ListOutboxQuery, outboxReason } from './dto/outbox.dto';
import { MailAdminService } from './mail-admin.service';
import { MAIL_LOCALES, MAIL_STATUSES, MailLocale, MailOutbox } from './mail-outbox.entity';
import { MailTemplates, RenderedMail } from './mail-templates';

const ACTIONS = { retry: 'retry', 'mark-sent': 'markSent', cancel: 'cancel' } as const;

function view(r: MailOutbox) {
  return {
    ...r,
    reason: outboxReason(r),
    canRetry: r.status === 'failed' || r.status === 'needs_review',
    canMarkSent: r.status === 'needs_review',
    canCancel: (r.status === 'pending' || r.status === 'queued') && !r.digestId,
  };
}

/** Admin pages: the outbox (failed and doubtful mail first of all) and template previews. */
@ApiExcludeController()
@Controller('admin')
export class MailPagesController {
  constructor(
    private readonly admin: MailAdminService,
    private readonly templates: MailTemplates,
  ) {}

  @Get('outbox')
  @Roles('admin')
  @Render('mail/outbox')
  async outbox(@Query() raw: Record<string, unknown>, @Req() req: Request) {
    const clean = Object.fromEntries(
      Object.entries(raw).filter(([k, v]) => v !== undefined && v !== '' && k !== 'lang'),
    );
    const q = plainToInstance(ListOutboxQuery, clean);
    const errors = await validate(q, { whitelist: true, forbidNonWhitelisted: false });
    if (errors.length) {
      throw DomainError.invalid(flattenValidationErrors(errors));
    }
    const page = await this.admin.list(q);
    return {
      title: 'mail.outbox.title',
      page: { ...page, items: page.items.map(view) },
      q,
      statuses: MAIL_STATUSES,
      templates: this.templates.names(),
      pager: pager(req, page),
    };
  }

  @Get('outbox/:id')
  @Roles('admin')
  @Render('mail/outbox-detail')
  async detail(@Param('id', IdParam) id: string, @Query('done') done?: string) {
    const { row, digest } = await this.admin.get(id);
    return {
      title: 'mail.outbox.detailTitle',
      row: view(row),
      digest: digest.map(view),
      done: typeof done === 'string' && /^[a-z-]{1,20}$/.test(done) ? done : null,
    };
  }

  @Post('outbox/:id/:action')
  @Roles('admin')
  async act(
    @Param('id', IdParam) id: string,
    @Param('action') action: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const method = ACTIONS[action as keyof typeof ACTIONS];
    if (!method) {
      throw DomainError.notFound('Action', action);
    }
    await this.admin[method](id, req.principal!);
    res.redirect(303, `/admin/outbox/${id}?done=${action}`);
  }

  @Get('mail/templates')
  @Roles('admin')
  @Render('mail/templates')
  list(@Res({ passthrough: true }) res: Response) {
    const locale: MailLocale = res.locals.locale === 'en' ? 'en' : 'sv';
    return {
      title: 'mail.templates.title',
      templates: this.templates.names().map((name) => {
        const s = this.templates.sample(name);
        return { name, category: s.category, description: s.description[locale] };
      }),
    };
  }

  @Get('mail/templates/:name')
  @Roles('admin')
  @Render('mail/template-preview')
  preview(@Param('name') name: string) {
    this.known(name);
    return {
      title: 'mail.templates.previewTitle',
      name,
      category: this.templates.sample(name).category,
      previews: MAIL_LOCALES.map((locale) => ({ locale, ...this.render(name, locale) })),
    };
  }

  /** The HTML body on its own, sandboxed: no scripts, no requests, only inline styles. */
  @Get('mail/templates/:name/:locale/html')
  @Roles('admin')
  html(@Param('name') name: string, @Param('locale') locale: string, @Res() res: Response) {
    this.known(name);
    if (!(MAIL_LOCALES as readonly string[]).includes(locale)) {
      throw DomainError.notFound('Locale', locale);
    }
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    );
    res.type('html').send(this.render(name, locale as MailLocale).html);
  }

  private known(name: string): void {
    if (!this.templates.names().includes(name)) {
      throw DomainError.notFound('Mail template', name);
    }
  }

  private render(name: string, locale: MailLocale): RenderedMail {
    const sample = this.templates.sample(name);
    const layout = {
      category: sample.category,
      organisationName: 'Arbetsmarknadsenheten Eslöv',
      optOutUrl: sample.category === 'outreach' ? 'https://praktiknav.example/u/example' : null,
    };
    return name === 'digest'
      ? this.templates.renderDigest(
          locale,
          sample.payload.items as { template: string; payload: Record<string, unknown> }[],
          layout,
        )
      : this.templates.render(name, locale, sample.payload, layout);
  }
}
