import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { FieldError } from '../common/domain-error';
import { validateForm } from '../web/form';
import { isLocale, messages, translate } from '../web/i18n';
import { UpdateSettingsDto } from './settings.controller';
import { SettingsService } from './settings.service';

/** Form text → a number when it is one; anything else (blank included) stays text and fails @IsInt. */
const wholeNumber = (v: unknown) =>
  typeof v === 'string' && /^\s*\d{1,6}\s*$/.test(v) ? Number(v) : (v ?? '');

/** The admin's settings page: the global karenstid and the longest contact claim. */
@ApiExcludeController()
@Controller('admin/settings')
export class SettingsPageController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Roles('admin')
  async page(@Query() raw: Record<string, unknown>, @Res() res: Response) {
    const s = await this.settings.all();
    this.render(
      res,
      {
        minDaysBetweenContacts: String(s['contact.minDaysBetweenContacts']),
        maxClaimDays: String(s['contact.maxClaimDays']),
      },
      [],
      raw.saved !== undefined,
    );
  }

  @Post()
  @Roles('admin')
  async save(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const values = {
      minDaysBetweenContacts: body.minDaysBetweenContacts,
      maxClaimDays: body.maxClaimDays,
    };
    const { dto, errors } = await validateForm(UpdateSettingsDto, {
      minDaysBetweenContacts: wholeNumber(values.minDaysBetweenContacts),
      maxClaimDays: wholeNumber(values.maxClaimDays),
    });
    if (errors.length) {
      return this.render(res, values, errors, false, 400);
    }
    await this.settings.update(
      {
        'contact.minDaysBetweenContacts': dto.minDaysBetweenContacts,
        'contact.maxClaimDays': dto.maxClaimDays,
      },
      req.principal!.userId,
    );
    res.redirect(303, '/admin/settings?saved=1');
  }

  private render(
    res: Response,
    values: Record<string, unknown>,
    errors: FieldError[],
    saved: boolean,
    status = 200,
  ) {
    const locale = isLocale(res.locals.locale) ? res.locals.locale : 'sv';
    const byField: Record<string, string> = {};
    for (const e of errors) {
      const key = `settings.error.${e.field}`;
      byField[e.field] ??= key in messages('sv') ? translate(locale, key) : e.message;
    }
    res.status(status).render('settings/index', {
      title: 'settings.title',
      section: 'settings',
      values,
      errors: byField,
      flash: saved ? 'settings.saved' : null,
    });
  }
}
