import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { DomainError, FieldError } from '../common/domain-error';
import { IdParam, isId } from '../common/id-param';
import { toProblem } from '../common/problem.filter';
import { ContactPerson } from '../employers/contact-person.entity';
import { ListEmployersQuery } from '../employers/dto/employer.dto';
import { EmployerResponse } from '../employers/dto/employer.response';
import { Employer, EMPLOYER_SECTORS } from '../employers/employer.entity';
import { EmployersService } from '../employers/employers.service';
import { canEdit, fieldErrors as pageFieldErrors, localeOf } from '../web/page-helpers';
import { parseQuery, validateForm } from '../web/form';
import { messages, translate } from '../web/i18n';
import { pager } from '../web/pager';
import {
  ChangeStatusDto,
  CreateSlotDto,
  ListSlotsQuery,
  SlotResponse,
  UpdateSlotDto,
} from './dto/slot.dto';
import { ADAPTATIONS, SWEDISH_LEVELS } from './internship-slot.entity';
import { allowedTransitions, MAX_WEEKS, SLOT_STATUSES, SlotStatus } from './slot-status';
import { SlotMailService } from './slot-mail.service';
import { SlotsService } from './slots.service';

/** The filters of the list page (query names of ListSlotsQuery). */
const LIST_FILTERS = [
  'occupationField',
  'ssyk',
  'municipality',
  'sector',
  'status',
  'availableOn',
  'freeCapacity',
  'adaptations',
  'supervisorTrained',
  'employerId',
] as const;

/** The fields of the slot form that the API DTO knows (employerId is fixed once chosen). */
const SLOT_FIELDS = [
  'title',
  'occupationField',
  'ssyk',
  'tasks',
  'capacity',
  'hoursPerWeek',
  'municipality',
  'address',
  'availableFrom',
  'availableTo',
  'maxWeeks',
  'requirements',
  'adaptations',
  'supervisorId',
] as const;

/** Notices after a redirect (`?created=1`…). */
const FLASHES = ['created', 'saved', 'statusChanged', 'confirmationRequested'] as const;

/** Nested DTO fields as the form names them. */
const FORM_FIELD_NAMES: Record<string, string> = {
  'requirements.drivingLicence': 'drivingLicence',
  'requirements.swedishLevel': 'swedishLevel',
  'requirements.other': 'requirementsOther',
  requirements: 'requirementsOther',
};

/** What the slot form holds, as text (re-rendered as typed when it has errors). */
interface SlotFormValues {
  employerId: string;
  title: string;
  occupationField: string;
  ssyk: string;
  tasks: string;
  capacity: string;
  hoursPerWeek: string;
  municipality: string;
  address: string;
  availableFrom: string;
  availableTo: string;
  maxWeeks: string;
  drivingLicence: boolean;
  swedishLevel: string;
  requirementsOther: string;
  adaptations: string[];
  supervisorId: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
/** Whole numbers typed in a text field; anything else goes to the validator as typed. */
const whole = (v: string): number | string => (/^\s*\d{1,6}\s*$/.test(v) ? Number(v) : v.trim());
/** One task per line; blank lines are ignored. */
const lines = (v: string): string[] =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

function formValues(body: Record<string, unknown>): SlotFormValues {
  return {
    employerId: text(body.employerId).trim(),
    title: text(body.title),
    occupationField: text(body.occupationField),
    ssyk: text(body.ssyk),
    tasks: text(body.tasks),
    capacity: text(body.capacity),
    hoursPerWeek: text(body.hoursPerWeek),
    municipality: text(body.municipality),
    address: text(body.address),
    availableFrom: text(body.availableFrom),
    availableTo: text(body.availableTo),
    maxWeeks: text(body.maxWeeks),
    drivingLicence: body.drivingLicence === 'true',
    swedishLevel: text(body.swedishLevel),
    requirementsOther: text(body.requirementsOther),
    adaptations: list(body.adaptations),
    supervisorId: text(body.supervisorId).trim().toLowerCase(),
  };
}

/** Form text → the API DTO's shape (tasks as lines, numbers, the nested requirements). */
function dtoInput(v: SlotFormValues): Record<string, unknown> {
  return {
    title: v.title,
    occupationField: v.occupationField,
    ssyk: v.ssyk.trim(),
    tasks: lines(v.tasks),
    capacity: whole(v.capacity),
    hoursPerWeek: whole(v.hoursPerWeek),
    municipality: v.municipality.trim(),
    address: v.address,
    availableFrom: v.availableFrom.trim(),
    availableTo: v.availableTo.trim(),
    maxWeeks: whole(v.maxWeeks),
    requirements: {
      drivingLicence: v.drivingLicence,
      swedishLevel: v.swedishLevel,
      other: v.requirementsOther,
    },
    adaptations: v.adaptations,
    supervisorId: v.supervisorId,
  };
}

/** A saved slot as form text (the edit form). */
function valuesOf(s: SlotResponse): SlotFormValues {
  return {
    employerId: s.employerId,
    title: s.title,
    occupationField: s.occupationField,
    ssyk: s.ssyk ?? '',
    tasks: s.tasks.join('\n'),
    capacity: String(s.capacity),
    hoursPerWeek: String(s.hoursPerWeek),
    municipality: s.municipality,
    address: s.address ?? '',
    availableFrom: s.availableFrom,
    availableTo: s.availableTo ?? '',
    maxWeeks: String(s.maxWeeks),
    drivingLicence: !!s.requirements?.drivingLicence,
    swedishLevel: s.requirements?.swedishLevel ?? 'basic',
    requirementsOther: s.requirements?.other ?? '',
    adaptations: [...s.adaptations],
    supervisorId: s.supervisorId,
  };
}

const same = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);

/** Only what the form changed, so the audit names the fields that really changed. */
function changedFields(dto: UpdateSlotDto, current: SlotResponse): UpdateSlotDto {
  const out: Record<string, unknown> = {};
  for (const k of SLOT_FIELDS) {
    const v = (dto as Record<string, unknown>)[k];
    if (v === undefined) {
      continue;
    }
    let unchanged: boolean;
    if (k === 'requirements') {
      const r = dto.requirements!;
      const c = current.requirements;
      unchanged =
        same(r.drivingLicence, c?.drivingLicence ?? false) &&
        same(r.swedishLevel, c?.swedishLevel ?? 'basic') &&
        same(r.other, c?.other);
    } else if (k === 'tasks') {
      unchanged = (v as string[]).join('\n') === current.tasks.join('\n');
    } else if (k === 'adaptations') {
      unchanged = [...(v as string[])].sort().join() === [...current.adaptations].sort().join();
    } else {
      unchanged = same(v, current[k]);
    }
    if (!unchanged) {
      out[k] = v;
    }
  }
  return out as UpdateSlotDto;
}

/** A contact person as a choice of supervisor (handledare), with the training date. */
const supervisorChoice = (c: ContactPerson) => ({
  id: c.id,
  name: c.name,
  title: c.title,
  supervisorTrainedAt: c.supervisorTrainedAt ?? null,
});

/**
 * The internship slots' pages (praktikplatser): list with filters and the open slots per sector
 * against the targets, create (choosing the employer first), slot page with its status buttons,
 * edit.
 */
@ApiExcludeController()
@Controller('slots')
export class SlotsPageController {
  constructor(
    private readonly slots: SlotsService,
    private readonly employers: EmployersService,
    private readonly slotMail: SlotMailService,
  ) {}

  // Static paths first: Express matches in declaration order, and ':id' would take them.

  @Get()
  @Roles('recruiter', 'coordinator', 'admin')
  async listPage(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    // Checkboxes arrive repeated (adaptations=a&adaptations=b); pager links carry them joined.
    const adaptations = list(raw.adaptations).flatMap((a) => a.split(',').filter(Boolean));
    const { q, errors } = await parseQuery(ListSlotsQuery, {
      ...Object.fromEntries(LIST_FILTERS.map((k) => [k, raw[k]])),
      adaptations: adaptations.length ? adaptations : undefined,
      page: raw.page,
      limit: raw.limit,
    });
    const [page, sectors] = await Promise.all([
      errors.length
        ? Promise.resolve({ items: [], page: 1, limit: 25, total: 0 })
        : this.slots.list(q),
      this.slots.openBySector(),
    ]);
    // The pager keeps the filters; it only repeats plain text values.
    const kept: Record<string, string> = {};
    for (const k of [...LIST_FILTERS, 'limit']) {
      const v = raw[k];
      if (typeof v === 'string' && v !== '') {
        kept[k] = v;
      }
    }
    if (adaptations.length) {
      kept.adaptations = adaptations.join(',');
    }
    const filters = {
      occupationField: text(raw.occupationField),
      ssyk: text(raw.ssyk),
      municipality: text(raw.municipality),
      sector: text(raw.sector),
      status: text(raw.status),
      availableOn: text(raw.availableOn),
      freeCapacity: raw.freeCapacity === 'true',
      adaptations,
      supervisorTrained: text(raw.supervisorTrained),
      employerId: isId(raw.employerId) ? raw.employerId : '',
    };
    res.status(errors.length ? 400 : 200).render('slots/list', {
      title: 'slots.title',
      section: 'slots',
      q: filters,
      errors: fieldErrors(res, 'slots.filterError', errors),
      items: page.items.map((s) => SlotResponse.of(s)),
      pager: pager({ path: req.path, query: kept } as unknown as Request, page),
      total: page.total,
      sectorCards: sectors.map((s) => ({
        ...s,
        href: `/slots?sector=${encodeURIComponent(s.sector)}`,
      })),
      canEdit: canEdit(req.principal!),
      sectors: EMPLOYER_SECTORS,
      statuses: SLOT_STATUSES,
      adaptationChoices: ADAPTATIONS,
      filtered: LIST_FILTERS.some((k) => raw[k] !== undefined && raw[k] !== ''),
    });
  }

  /** Without employerId: choose the employer (search). With it: the slot form. */
  @Get('new')
  @Roles('recruiter', 'admin')
  async newPage(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    if (raw.employerId === undefined || raw.employerId === '') {
      return this.renderPick(req, res, text(raw.employerQuery));
    }
    if (!isId(raw.employerId)) {
      return this.renderPick(req, res, '', 'slots.error.employerId', 400);
    }
    const { employer, contactPersons } = await this.employers.get(raw.employerId.toLowerCase());
    const values: SlotFormValues = {
      ...formValues({}),
      employerId: employer.id,
      capacity: '1',
      municipality: employer.municipality ?? '',
      address: employer.address ?? '',
      swedishLevel: 'basic',
      supervisorId: contactPersons.length === 1 ? contactPersons[0].id : '',
    };
    this.renderForm(res, { mode: 'create', employer, persons: contactPersons, values });
  }

  @Post()
  @Roles('recruiter', 'admin')
  async create(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const values = formValues(body ?? {});
    if (!isId(values.employerId)) {
      return this.renderPick(req, res, '', 'slots.error.employerId', 400);
    }
    // A merged employer resolves to the one it was merged into.
    const { employer, contactPersons } = await this.employers.get(values.employerId.toLowerCase());
    values.employerId = employer.id;
    const ctx = { mode: 'create' as const, employer, persons: contactPersons, values };
    const { dto, errors } = await validateForm(CreateSlotDto, {
      employerId: employer.id,
      ...dtoInput(values),
    });
    if (errors.length) {
      return this.renderForm(res, { ...ctx, errors }, 400);
    }
    try {
      const slot = await this.slots.create(dto, req.principal!);
      res.redirect(303, `/slots/${slot.id}?created=1`);
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        return this.renderForm(res, { ...ctx, errors: e.errors }, e.status);
      }
      throw e;
    }
  }

  @Get(':id')
  @Roles('recruiter', 'coordinator', 'admin')
  async detail(
    @Param('id', IdParam) id: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const slot = await this.slots.get(id);
    const view = SlotResponse.of(slot);
    const editor = canEdit(req.principal!);
    const locale = localeOf(res);
    const flashKey = FLASHES.find((k) => raw[k] !== undefined);
    const flash =
      flashKey === 'statusChanged'
        ? translate(locale, 'slots.flash.statusChanged', [
            translate(locale, `slot.status.${view.status}`),
          ])
        : flashKey
          ? translate(locale, `slots.flash.${flashKey}`)
          : null;
    res.render('slots/detail', {
      title: 'slots.detail.title',
      section: 'slots',
      slot: view,
      supervisor: slot.supervisor ?? null,
      flash,
      canEdit: editor,
      editable: editor && slot.status !== 'closed',
      transitions: editor ? allowedTransitions(slot.status, 'user') : [],
    });
  }

  @Get(':id/edit')
  @Roles('recruiter', 'admin')
  async editPage(@Param('id', IdParam) id: string, @Req() req: Request, @Res() res: Response) {
    const slot = await this.slots.get(id);
    if (slot.status === 'closed') {
      return this.conflictPage(req, res, closedError());
    }
    const { contactPersons } = await this.employers.get(slot.employerId);
    const view = SlotResponse.of(slot);
    this.renderForm(res, {
      mode: 'edit',
      employer: slot.employer!,
      persons: contactPersons,
      slot: view,
      values: valuesOf(view),
    });
  }

  @Post(':id')
  @Roles('recruiter', 'admin')
  async update(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const slot = await this.slots.get(id);
    if (slot.status === 'closed') {
      return this.conflictPage(req, res, closedError());
    }
    const { contactPersons } = await this.employers.get(slot.employerId);
    const view = SlotResponse.of(slot);
    const values = { ...formValues(body ?? {}), employerId: slot.employerId };
    const ctx = {
      mode: 'edit' as const,
      employer: slot.employer!,
      persons: contactPersons,
      slot: view,
      values,
    };
    const { dto, errors } = await validateForm(UpdateSlotDto, dtoInput(values));
    if (errors.length) {
      return this.renderForm(res, { ...ctx, errors }, 400);
    }
    const changes = changedFields(dto, view);
    try {
      if (Object.keys(changes).length) {
        await this.slots.update(id, changes);
      }
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        return this.renderForm(res, { ...ctx, errors: e.errors }, e.status);
      }
      if (e instanceof DomainError && e.status === 409) {
        return this.conflictPage(req, res, e);
      }
      throw e;
    }
    res.redirect(303, `/slots/${id}?saved=1`);
  }

  /** One button per allowed status; an illegal one (a stale page, a crafted post) is a 409. */
  @Post(':id/status')
  @Roles('recruiter', 'admin')
  async changeStatus(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { dto, errors } = await validateForm(ChangeStatusDto, { status: body?.status });
    if (errors.length) {
      throw DomainError.invalid(errors);
    }
    try {
      await this.slots.setStatus(id, dto.status);
    } catch (e) {
      if (e instanceof DomainError && e.status === 409) {
        return this.conflictPage(req, res, e);
      }
      throw e;
    }
    res.redirect(303, `/slots/${id}?statusChanged=1`);
  }

  @Post(':id/request-confirmation')
  @Roles('recruiter', 'admin')
  async requestConfirmation(
    @Param('id', IdParam) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      await this.slotMail.requestConfirmation(id, req.principal!);
    } catch (e) {
      if (e instanceof DomainError && e.status === 409) {
        return this.conflictPage(req, res, e);
      }
      throw e;
    }
    res.redirect(303, `/slots/${id}?confirmationRequested=1`);
  }

  // ---------------------------------------------------------------------------------------

  /** The error page for a conflict, explained in the page's language. */
  private conflictPage(req: Request, res: Response, e: DomainError): void {
    const locale = localeOf(res);
    const status = (s: unknown) => translate(locale, `slot.status.${String(s)}`);
    let detail = e.message;
    if (e.code === 'ILLEGAL_TRANSITION') {
      const allowed = (e.extra.allowed ?? []) as SlotStatus[];
      detail = translate(locale, 'slots.conflict.ILLEGAL_TRANSITION', [
        status(e.extra.from),
        status(e.extra.to),
      ]);
      detail +=
        ' ' +
        (allowed.length
          ? translate(locale, 'slots.conflict.allowed', [allowed.map(status).join(', ')])
          : translate(locale, 'slots.conflict.noneAllowed'));
    } else if (`slots.conflict.${e.code}` in messages('sv')) {
      detail = translate(locale, `slots.conflict.${e.code}`);
    }
    const problem = { ...toProblem(e, req.originalUrl?.split('?')[0]), detail };
    res.status(problem.status).render('error', {
      title: problem.title,
      problem,
      status: problem.status,
    });
  }

  /** Step one of a new slot: search the register and pick the employer. */
  private async renderPick(
    req: Request,
    res: Response,
    search: string,
    error: string | null = null,
    status = 200,
  ): Promise<void> {
    const term = search.trim().slice(0, 100);
    const { q, errors } = await parseQuery(ListEmployersQuery, { q: term, limit: 20 });
    const found =
      term && !errors.length ? (await this.employers.list(q, req.principal!)).items : [];
    res.status(status).render('slots/pick-employer', {
      title: 'slots.new',
      section: 'slots',
      search: term,
      searched: !!term,
      error,
      results: found.map((e) => EmployerResponse.of(e)),
    });
  }

  private renderForm(
    res: Response,
    ctx: {
      mode: 'create' | 'edit';
      employer: Employer;
      persons: ContactPerson[];
      values: SlotFormValues;
      slot?: SlotResponse;
      errors?: FieldError[];
    },
    status = 200,
  ): void {
    const create = ctx.mode === 'create';
    res.status(status).render('slots/form', {
      title: create ? 'slots.new' : 'slots.edit.title',
      section: 'slots',
      create,
      action: create ? '/slots' : `/slots/${ctx.slot!.id}`,
      cancel: create ? '/slots' : `/slots/${ctx.slot!.id}`,
      slot: ctx.slot,
      employer: { id: ctx.employer.id, name: ctx.employer.name, unitName: ctx.employer.unitName },
      persons: ctx.persons.map(supervisorChoice),
      values: ctx.values,
      errors: fieldErrors(res, 'slots.error', ctx.errors ?? []),
      hasErrors: !!ctx.errors?.length,
      adaptationChoices: ADAPTATIONS,
      swedishLevels: SWEDISH_LEVELS,
      maxWeeks: MAX_WEEKS,
    });
  }
}

function closedError(): DomainError {
  return DomainError.conflict('SLOT_CLOSED', 'A closed slot cannot be changed');
}

/** Field errors of the slot form, under the form's own field names. */
function fieldErrors(res: Response, prefix: string, errors: FieldError[]): Record<string, string> {
  return pageFieldErrors(res, prefix, errors, FORM_FIELD_NAMES);
}
