import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { DomainError, FieldError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { flattenValidationErrors } from '../common/validation';
import { ContactFormState, EmployersPageController } from '../employers/employers.page.controller';
import { validateForm } from '../web/form';
import { ContactsService } from './contacts.service';
import { ClaimDto, LogContactDto, NextStepsQuery } from './dto/contact.dto';

const CONTACT_ROLES = ['recruiter', 'coordinator', 'admin'] as const;

/** Form text → a number when it is one, so the DTO's @IsInt judges it ("abc" stays wrong). */
const wholeNumber = (v: unknown) =>
  typeof v !== 'string' || v.trim() === '' ? undefined : /^\s*\d{1,6}\s*$/.test(v) ? Number(v) : v;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The contact pages: the claim and log forms of the employer page (which the employer page
 * shows, see EmployersPageController.renderDetail), and the next steps.
 */
@ApiExcludeController()
@Controller()
export class ContactsPageController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** "Boka kontakt": granted → back with a notice; refused → back, the banner says why. */
  @Post('employers/:id/contact-claims')
  @Roles(...CONTACT_ROLES)
  async claim(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = { purpose: text(body.purpose), days: text(body.days) };
    const { dto, errors } = await validateForm(ClaimDto, {
      purpose: values.purpose,
      days: wholeNumber(values.days),
    });
    if (errors.length) {
      return this.showEmployer(req, res, id, { form: 'claim', values, errors }, 400);
    }
    let granted: boolean;
    try {
      ({ granted } = await this.contacts.claim(id, req.principal!, dto));
    } catch (e) {
      // Longer than the configured maximum (an admin setting, not the DTO's 14).
      if (e instanceof DomainError && e.errors) {
        return this.showEmployer(req, res, id, { form: 'claim', values, errors: e.errors }, 400);
      }
      throw e;
    }
    res.redirect(
      303,
      `/employers/${id}?purpose=${dto.purpose}&${granted ? 'claimed' : 'claimRefused'}=1#contact`,
    );
  }

  /** "Släpp bokningen": only your organisation's claim (the service checks). */
  @Post('employers/:id/contact-claims/:claimId/release')
  @Roles(...CONTACT_ROLES)
  async release(
    @Param('id', IdParam) id: string,
    @Param('claimId', IdParam) claimId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    let flash = 'released';
    let employerId = id;
    try {
      // Back to the employer the claim belongs to (the same, unless the form was tampered with).
      ({ employerId } = await this.contacts.releaseClaim(claimId, req.principal!));
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'CLAIM_NOT_ACTIVE')) {
        throw e;
      }
      flash = 'releaseFailed';
    }
    res.redirect(303, `/employers/${employerId}?${flash}=1#contact`);
  }

  /** "Logga kontakt": saved even when it breaks the policy, and then said so. */
  @Post('employers/:id/contacts')
  @Roles(...CONTACT_ROLES)
  async log(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = {
      channel: text(body.channel),
      purpose: text(body.purpose),
      contactPersonId: text(body.contactPersonId),
      outcome: text(body.outcome),
      note: text(body.note),
      nextStepAt: text(body.nextStepAt),
    };
    const { dto, errors } = await validateForm(LogContactDto, { ...values });
    if (errors.length) {
      return this.showEmployer(req, res, id, { form: 'log', values, errors }, 400);
    }
    // The acting user and organisation come from the session (the principal), never the form.
    let event;
    try {
      event = await this.contacts.logContact(id, req.principal!, dto);
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        return this.showEmployer(req, res, id, { form: 'log', values, errors: e.errors }, 400);
      }
      throw e;
    }
    const flash = event.policyBreach ? `breach=${event.breachReason}` : 'logged=1';
    res.redirect(303, `/employers/${id}?purpose=${dto.purpose}&${flash}#contact`);
  }

  @Get('contacts/next-steps')
  @Roles(...CONTACT_ROLES)
  async nextSteps(
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    // No `scope` key at all when none is asked for, so the DTO's default ('me') applies.
    const q = plainToInstance(NextStepsQuery, raw.scope ? { scope: raw.scope } : {});
    const errors = flattenValidationErrors(await validate(q, { whitelist: true }));
    if (errors.length) {
      throw DomainError.invalid(errors);
    }
    const steps = await this.contacts.nextSteps(req.principal!, q.scope);
    res.render('contacts/next-steps', {
      title: q.scope === 'me' ? 'contacts.nextSteps.titleMe' : 'contacts.nextSteps.titleOrg',
      section: 'next-steps',
      scope: q.scope,
      mine: q.scope === 'me',
      flash: raw.done !== undefined ? 'contacts.nextSteps.doneFlash' : null,
      overdueCount: steps.filter((s) => s.overdue).length,
      steps: steps.map((s) => ({
        id: s.event.id,
        employerId: s.event.employerId,
        employerName: s.employerName,
        nextStepAt: s.event.nextStepAt,
        overdue: s.overdue,
        occurredAt: s.event.occurredAt,
        channel: s.event.channel,
        purpose: s.event.purpose,
        outcome: s.event.outcome,
        note: s.event.note,
        userName: s.event.user?.name ?? null,
      })),
    });
  }

  @Post('contacts/:id/next-step-done')
  @Roles(...CONTACT_ROLES)
  async nextStepDone(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.contacts.markNextStepDone(id, req.principal!);
    const scope = body.scope === 'organisation' ? 'organisation' : 'me';
    res.redirect(303, `/contacts/next-steps?scope=${scope}&done=1`);
  }

  /** The employer page again, with a contact form's values and errors. */
  private showEmployer(
    req: Request,
    res: Response,
    id: string,
    form: ContactFormState & { errors: FieldError[] },
    status: number,
  ) {
    const page = this.moduleRef.get(EmployersPageController, { strict: false });
    return page.renderDetail(req, res, id, { contactForm: form }, status);
  }
}
