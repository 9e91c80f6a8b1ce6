import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ListSlotsQuery, SlotResponse } from '../slots/dto/slot.dto';
import { SlotsService } from '../slots/slots.service';
import { ApiExcludeController } from '@nestjs/swagger';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { Roles } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { CONTACT_PURPOSES, ContactPurpose } from '../contacts/contact-policy';
import { ContactsService } from '../contacts/contacts.service';
import { TimelineQuery } from '../contacts/dto/contact.dto';
import { DomainError, FieldError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { normalizeOrgNumber } from '../common/identity-numbers';
import { ListOrganisationsQuery } from '../organisations/dto/organisation.dto';
import { ListUsersQuery } from '../organisations/dto/user.dto';
import { OrganisationsService } from '../organisations/organisations.service';
import { UsersService } from '../organisations/users.service';
import { SettingsService } from '../settings/settings.service';
import { canEdit, fieldErrors, localeOf } from '../web/page-helpers';
import { parseQuery, safeNext, validateForm } from '../web/form';
import { messages, translate } from '../web/i18n';
import { pager } from '../web/pager';
import { ContactPerson } from './contact-person.entity';
import { CsvImportError } from './csv-import';
import { CreateContactPersonDto } from './dto/contact-person.dto';
import {
  CreateEmployerDto,
  EMPLOYER_SORTS,
  ListEmployersQuery,
  UpdateEmployerDto,
} from './dto/employer.dto';
import { ContactPersonResponse, EmployerResponse } from './dto/employer.response';
import { ImportRowsQuery } from './dto/import.dto';
import { MergeDto, NotDuplicateDto, PossibleDuplicatesQuery } from './dto/merge.dto';
import { EmployerDuplicatesService } from './employer-duplicates.service';
import { IMPORT_ROW_STATUSES } from './employer-import.entity';
import { EmployerImportService } from './employer-import.service';
import { EmployerMergeService } from './employer-merge.service';
import {
  CONTACT_CHANNELS,
  Employer,
  EMPLOYER_SECTORS,
  EMPLOYER_SEGMENTS,
  EMPLOYER_STATUSES,
  SIZE_CLASSES,
} from './employer.entity';
import { EmployersService } from './employers.service';

/** Uploads above this are refused (a register of 100 000 employers is about 20 MB). */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The filters of the list page, in the order the export link repeats them. */
const LIST_FILTERS = [
  'q',
  'sector',
  'segment',
  'municipality',
  'status',
  'owner',
  'includeArchived',
  'sort',
] as const;

/** The fields of the employer form (create and edit). */
const FORM_FIELDS = [
  'name',
  'orgNumber',
  'unitName',
  'sector',
  'industry',
  'sizeClass',
  'segments',
  'municipality',
  'address',
  'website',
  'status',
  'ownerUserId',
  'minDaysBetweenContacts',
  'preferredChannel',
  'doNotContactReason',
] as const;

const FLASHES: Record<string, string> = {
  created: 'employers.flash.created',
  saved: 'employers.flash.saved',
  archived: 'employers.flash.archived',
  unarchived: 'employers.flash.unarchived',
  merged: 'employers.flash.merged',
  mergedFrom: 'employers.flash.mergedFrom',
  personAdded: 'employers.flash.personAdded',
  personRemoved: 'employers.flash.personRemoved',
  notDuplicate: 'employers.flash.notDuplicate',
};

type Candidate = {
  id: string;
  name: string;
  unitName: string | null;
  municipality: string | null;
  level: string;
  score: number;
  reason: string;
};

async function query<T extends object>(cls: new () => T, raw: Record<string, unknown>) {
  const { q, errors } = await parseQuery(cls, raw);
  if (errors.length) {
    throw DomainError.invalid(errors);
  }
  return q;
}

/** Translates `<prefix>.<name>`, or shows the name itself for a key not written yet. */
function label(res: Response, prefix: string, name: string): string {
  const key = `${prefix}.${name}`;
  return key in messages('sv') ? translate(localeOf(res), key) : name;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const blankToNull = (v: unknown) => (v === '' ? null : v);

/** Form text → the API DTO's shape (checkboxes, numbers, "none" selects). */
function employerFormValues(body: Record<string, unknown>): Record<string, unknown> {
  const days = body.minDaysBetweenContacts;
  return {
    name: body.name,
    orgNumber: body.orgNumber,
    unitName: body.unitName,
    sector: body.sector,
    industry: body.industry,
    sizeClass: blankToNull(body.sizeClass),
    segments: list(body.segments),
    municipality: body.municipality,
    address: body.address,
    website: body.website,
    status: body.status,
    ownerUserId: blankToNull(body.ownerUserId),
    minDaysBetweenContacts:
      days === '' || days === undefined
        ? null
        : typeof days === 'string' && /^\d{1,4}$/.test(days.trim())
          ? Number(days)
          : days,
    preferredChannel: blankToNull(body.preferredChannel),
    doNotContactReason: body.doNotContactReason,
  };
}

const sameValue = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? [...a].sort().join(',') === [...b].sort().join(',')
    : (a ?? null) === (b ?? null);

/** Only what the form changed, so the audit names the fields that really changed. */
function changedFields(dto: UpdateEmployerDto, e: Employer): UpdateEmployerDto {
  const current = EmployerResponse.of(e, { full: true }) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FORM_FIELDS) {
    const v = (dto as Record<string, unknown>)[k];
    if (v === undefined) {
      continue;
    }
    const same =
      k === 'orgNumber'
        ? (typeof v === 'string' ? (normalizeOrgNumber(v)?.value ?? v) : null) === e.orgNumber
        : sameValue(v, current[k]);
    if (!same) {
      out[k] = v;
    }
  }
  return out as UpdateEmployerDto;
}

/** A contact form (on the employer page) sent back with its errors. */
export interface ContactFormState {
  form: 'claim' | 'log';
  values: Record<string, unknown>;
  errors: FieldError[];
}

/** Notices of the contact section, after a contact form was sent (`?claimed=1`…). */
const CONTACT_FLASHES = [
  'claimed',
  'claimRefused',
  'released',
  'releaseFailed',
  'logged',
  'breach',
] as const;

const percent = (score: number) => Math.round(score * 100);

/**
 * The employer register's pages: list, create (with the duplicate check), employer page with
 * contact persons, edit, merge, possible duplicates, CSV import.
 */
@ApiExcludeController()
@Controller('employers')
export class EmployersPageController {
  constructor(
    private readonly employers: EmployersService,
    private readonly duplicates: EmployerDuplicatesService,
    private readonly merges: EmployerMergeService,
    private readonly imports: EmployerImportService,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
  ) {}

  // Static paths first: Express matches in declaration order, and ':id' would take them.

  @Get()
  @Roles('recruiter', 'coordinator', 'admin')
  async listPage(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { q, errors } = await parseQuery(ListEmployersQuery, raw);
    const page = errors.length
      ? { items: [], page: 1, limit: q.limit, total: 0 }
      : await this.employers.list(q, req.principal!);
    const exportParams = new URLSearchParams();
    for (const k of LIST_FILTERS) {
      const v = q[k];
      if (!errors.length && v !== undefined && v !== '' && v !== false) {
        exportParams.set(k, String(v));
      }
    }
    res.status(errors.length ? 400 : 200).render('employers/list', {
      title: 'employers.title',
      section: 'employers',
      q,
      errors: fieldErrors(res, 'employers.error', errors),
      items: page.items.map((e) => EmployerResponse.of(e)),
      pager: pager(req, page),
      total: page.total,
      exportUrl: `/api/v1/employers/export.csv?${exportParams.toString()}`,
      canEdit: canEdit(req.principal!),
      sectors: EMPLOYER_SECTORS,
      segments: EMPLOYER_SEGMENTS,
      statuses: EMPLOYER_STATUSES,
      sorts: EMPLOYER_SORTS,
      filtered: LIST_FILTERS.some((k) => k !== 'sort' && raw[k] !== undefined && raw[k] !== ''),
    });
  }

  @Get('new')
  @Roles('recruiter', 'admin')
  async newPage(@Res() res: Response) {
    await this.renderForm(res, { mode: 'create', values: { status: 'prospect', segments: [] } });
  }

  @Post()
  @Roles('recruiter', 'admin')
  async create(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const values = {
      ...employerFormValues(body),
      confirmNotDuplicate: body.confirmNotDuplicate === 'true',
    };
    const { dto, errors } = await validateForm(CreateEmployerDto, values);
    if (errors.length) {
      return this.renderForm(res, { mode: 'create', values, errors }, 400);
    }
    try {
      const { employer } = await this.employers.create(dto, req.principal!);
      res.redirect(303, `/employers/${employer.id}?created=1`);
    } catch (e) {
      if (
        e instanceof DomainError &&
        (e.code === 'LIKELY_DUPLICATE' || e.code === 'EMPLOYER_EXISTS')
      ) {
        const candidates = ((e.extra.candidates ?? []) as Candidate[]).map((c) => ({
          ...c,
          percent: percent(c.score),
        }));
        return this.renderForm(
          res,
          {
            mode: 'create',
            values: { ...values, confirmNotDuplicate: false },
            candidates,
            exists: e.code === 'EMPLOYER_EXISTS',
          },
          409,
        );
      }
      if (e instanceof DomainError && e.errors) {
        return this.renderForm(res, { mode: 'create', values, errors: e.errors }, e.status);
      }
      throw e;
    }
  }

  @Get('duplicates')
  @Roles('recruiter', 'admin')
  async duplicatesPage(@Query() raw: Record<string, unknown>, @Res() res: Response) {
    const q = await query(PossibleDuplicatesQuery, { limit: raw.limit });
    const pairs = await this.merges.possiblePairs(q.limit);
    await this.withOwners(pairs.flatMap((p) => [p.a, p.b]));
    res.render('employers/duplicates', {
      title: 'employers.duplicates.title',
      section: 'employers',
      flash: raw.notDuplicate ? FLASHES.notDuplicate : null,
      pairs: pairs.map((p) => ({
        a: EmployerResponse.of(p.a),
        b: EmployerResponse.of(p.b),
        level: p.match.level,
        reason: p.match.reason,
        percent: percent(p.match.score),
      })),
      limit: q.limit,
    });
  }

  @Get('import')
  @Roles('recruiter', 'admin')
  importPage(@Query('dryRun') dryRun: unknown, @Res() res: Response) {
    this.renderUpload(res, { dryRun: dryRun !== 'false' });
  }

  /**
   * A multipart upload (file + dry-run flag), streamed straight into the import: the file is
   * never held whole. The CSRF token travels in the query string, since the middleware cannot
   * read a multipart body.
   */
  @Post('import')
  @Roles('recruiter', 'admin')
  async upload(@Req() req: Request, @Res() res: Response) {
    if (Number(req.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) {
      req.resume();
      return this.renderUpload(res, { dryRun: true, error: 'employers.import.tooLarge' }, 413);
    }
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 20, parts: 30, fileSize: MAX_IMPORT_BYTES },
      });
    } catch {
      req.resume();
      return this.renderUpload(res, { dryRun: true, error: 'employers.import.noFile' }, 400);
    }
    // A client that gives up mid-upload must not leave the import waiting for bytes forever:
    // the file stream then fails, and the import is recorded as failed with this message.
    req.on('close', () => {
      if (!req.complete) {
        bb.destroy(new CsvImportError('malformed_csv', 'the upload was interrupted'));
      }
    });
    // The form sends dryRun=false, then dryRun=true when the box is ticked; a client that
    // sends the file before any flag gets the safe default, a dry run.
    let dryRun: boolean | null = null;
    const finished = new Promise<void>((resolve, reject) => {
      bb.on('close', resolve);
      bb.on('error', reject);
    });
    finished.catch(() => undefined); // awaited below; this only keeps it from being "unhandled"
    const file = await new Promise<{ stream: Readable; filename: string } | null>(
      (resolve, reject) => {
        bb.on('field', (name, value) => {
          if (name === 'dryRun') {
            dryRun = value === 'true';
          }
        });
        bb.on('file', (name, stream, info) => {
          if (name !== 'file' || !info.filename) {
            stream.resume();
            return;
          }
          resolve({ stream, filename: info.filename });
        });
        bb.on('close', () => resolve(null));
        bb.on('error', reject);
        req.pipe(bb);
      },
    ).catch(() => null);
    if (!file) {
      await finished.catch(() => undefined);
      return this.renderUpload(
        res,
        { dryRun: dryRun ?? true, error: 'employers.import.noFile' },
        400,
      );
    }
    const imp = await this.imports.create(req.principal!, dryRun ?? true, file.filename);
    await this.imports.process(imp, limitedSource(file.stream));
    await finished.catch(() => undefined);
    res.redirect(303, `/employers/imports/${imp.id}`);
  }

  @Get('imports/:id')
  @Roles('recruiter', 'admin')
  async importReport(
    @Param('id', IdParam) id: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const imp = await this.imports.get(id, req.principal!);
    const q = await query(ImportRowsQuery, {
      page: raw.page,
      limit: raw.limit,
      status: raw.status,
    });
    const rows = await this.imports.rows(id, req.principal!, q);
    if (imp.status === 'running') {
      // The counts grow batch by batch (500 rows); show them as they come.
      res.setHeader('Refresh', '2');
    }
    const header = imp.header as {
      encoding?: string;
      delimiter?: string;
      mapped?: Record<string, string>;
      unknown?: string[];
    } | null;
    res.render('employers/import-report', {
      title: 'employers.import.reportTitle',
      section: 'employers',
      imp,
      header: header && {
        encoding: header.encoding,
        delimiter: header.delimiter
          ? label(res, 'employers.import.delimiter', DELIMITER_NAMES[header.delimiter] ?? '')
          : null,
        mapped: Object.entries(header.mapped ?? {}).map(([field, column]) => ({
          field: label(res, 'employers.field', field),
          column,
        })),
        unknown: header.unknown ?? [],
      },
      rows: rows.items.map((r) => ({
        ...r,
        errors: (r.errors ?? []).map((e) => ({
          field: label(res, 'employers.field', e.field),
          message: e.message,
        })),
      })),
      pager: pager(req, rows),
      q,
      statuses: IMPORT_ROW_STATUSES,
    });
  }

  @Get(':id')
  @Roles('recruiter', 'coordinator', 'admin')
  async detail(
    @Param('id', IdParam) id: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { employer, redirectedFrom } = await this.employers.get(id);
    if (redirectedFrom) {
      // A merged employer's old address keeps working (bookmarks, links in emails).
      return res.redirect(301, `/employers/${employer.id}?mergedFrom=1`);
    }
    const flash = Object.keys(FLASHES).find((k) => raw[k] !== undefined);
    await this.renderDetail(req, res, id, { flash: flash ? FLASHES[flash] : null });
  }

  @Get(':id/edit')
  @Roles('recruiter', 'admin')
  async editPage(@Param('id', IdParam) id: string, @Res() res: Response) {
    const { employer, redirectedFrom } = await this.employers.get(id);
    if (redirectedFrom) {
      return res.redirect(303, `/employers/${employer.id}/edit`);
    }
    await this.renderForm(res, {
      mode: 'edit',
      employer: EmployerResponse.of(employer, { full: true }),
      values: EmployerResponse.of(employer, { full: true }),
    });
  }

  @Post(':id')
  @Roles('recruiter', 'admin')
  async update(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const { employer, redirectedFrom } = await this.employers.get(id);
    if (redirectedFrom) {
      throw DomainError.conflict('EMPLOYER_MERGED', 'This employer was merged into another', {
        mergedIntoId: employer.id,
      });
    }
    const values = employerFormValues(body);
    const view = EmployerResponse.of(employer, { full: true });
    const { dto, errors } = await validateForm(UpdateEmployerDto, values);
    if (errors.length) {
      return this.renderForm(res, { mode: 'edit', employer: view, values, errors }, 400);
    }
    const changes = changedFields(dto, employer);
    try {
      if (Object.keys(changes).length) {
        await this.employers.update(id, changes);
      }
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        return this.renderForm(
          res,
          { mode: 'edit', employer: view, values, errors: e.errors },
          e.status,
        );
      }
      if (e instanceof QueryFailedError && (e as { code?: string }).code === 'ER_DUP_ENTRY') {
        // Same org number and unit as another employer (the unique index decides).
        const errors = [{ field: 'orgNumber', message: 'taken' }];
        return this.renderForm(
          res,
          { mode: 'edit', employer: view, values, errors, taken: true },
          409,
        );
      }
      throw e;
    }
    res.redirect(303, `/employers/${id}?saved=1`);
  }

  @Post(':id/archive')
  @Roles('recruiter', 'admin')
  async archive(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.employers.setArchived(id, true, this.clock.now());
    res.redirect(303, `/employers/${id}?archived=1`);
  }

  @Post(':id/unarchive')
  @Roles('recruiter', 'admin')
  async unarchive(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.employers.setArchived(id, false, this.clock.now());
    res.redirect(303, `/employers/${id}?unarchived=1`);
  }

  /** Without mergedId: pick the other employer (suggestions, search). With it: the preview. */
  @Get(':id/merge')
  @Roles('recruiter', 'admin')
  async mergePage(
    @Param('id', IdParam) id: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const p = req.principal!;
    if (raw.mergedId === undefined || raw.mergedId === '') {
      const { employer, redirectedFrom } = await this.employers.get(id);
      if (redirectedFrom) {
        return res.redirect(303, `/employers/${employer.id}/merge`);
      }
      const search = typeof raw.q === 'string' ? raw.q.trim().slice(0, 100) : '';
      const found = search
        ? (await this.employers.list(await query(ListEmployersQuery, { q: search, limit: 20 }), p))
            .items
        : [];
      return res.render('employers/merge-pick', {
        title: 'employers.merge.title',
        section: 'employers',
        employer: EmployerResponse.of(employer),
        search,
        searched: !!search,
        suggestions: (await this.candidatesFor(employer)).map((c) => ({
          ...EmployerResponse.of(c.employer),
          reason: c.match.reason,
          percent: percent(c.match.score),
        })),
        results: found.filter((e) => e.id !== employer.id).map((e) => EmployerResponse.of(e)),
      });
    }
    const { mergedId } = await query(MergeDto, { mergedId: raw.mergedId });
    const preview = await this.merges.preview(id, mergedId.toLowerCase(), p);
    await this.withOwners([preview.survivor, preview.merged]);
    const survivor = EmployerResponse.of(preview.survivor);
    const merged = EmployerResponse.of(preview.merged);
    const fills = new Set(preview.fillsIn);
    const row = (field: string, a: unknown, b: unknown) => ({
      label: label(res, 'employers.field', field),
      survivor: a,
      merged: b,
      fills: fills.has(field),
    });
    res.render('employers/merge-preview', {
      title: 'employers.merge.title',
      section: 'employers',
      survivor,
      merged,
      allowed: preview.allowed,
      moves: Object.entries(preview.moves).map(([name, count]) => ({
        label: label(res, 'employers.merge.moves', name),
        count,
      })),
      fillsIn: preview.fillsIn.map((f) => label(res, 'employers.field', f)),
      rows: [
        row('name', survivor.name, merged.name),
        row('unitName', survivor.unitName, merged.unitName),
        row('orgNumber', survivor.orgNumber, merged.orgNumber),
        row(
          'sector',
          label(res, 'employers.sector', survivor.sector),
          label(res, 'employers.sector', merged.sector),
        ),
        row('municipality', survivor.municipality, merged.municipality),
        row('address', survivor.address, merged.address),
        row('website', survivor.website, merged.website),
        row('ownerUserId', survivor.ownerName, merged.ownerName),
        row(
          'status',
          label(res, 'employers.status', survivor.status),
          label(res, 'employers.status', merged.status),
        ),
      ],
    });
  }

  @Post(':id/merge')
  @Roles('recruiter', 'admin')
  async merge(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { dto, errors } = await validateForm(MergeDto, { mergedId: body.mergedId });
    if (errors.length) {
      throw DomainError.invalid(errors);
    }
    const r = await this.merges.merge(id, dto.mergedId.toLowerCase(), req.principal!);
    res.redirect(303, `/employers/${r.survivor.id}?merged=1`);
  }

  @Post(':id/not-duplicate')
  @Roles('recruiter', 'admin')
  async notDuplicate(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { dto, errors } = await validateForm(NotDuplicateDto, { otherId: body.otherId });
    if (errors.length) {
      throw DomainError.invalid(errors);
    }
    await this.merges.markNotDuplicate(id, dto.otherId.toLowerCase(), req.principal!);
    const back = safeNext(body.returnTo);
    const to = back === '/' ? '/employers/duplicates' : back;
    res.redirect(303, `${to}${to.includes('?') ? '&' : '?'}notDuplicate=1`);
  }

  @Post(':id/contact-persons')
  @Roles('recruiter', 'admin')
  async addContactPerson(
    @Param('id', IdParam) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = {
      name: body.name,
      title: body.title,
      email: body.email,
      phone: body.phone,
      isPrimary: body.isPrimary === 'true',
      emailOptOut: body.emailOptOut === 'true',
    };
    const { dto, errors } = await validateForm(CreateContactPersonDto, values);
    if (errors.length) {
      return this.renderDetail(req, res, id, { cpValues: values, cpErrors: errors }, 400);
    }
    await this.employers.addContactPerson(id, dto);
    res.redirect(303, `/employers/${id}?personAdded=1#contact-persons`);
  }

  @Post(':id/contact-persons/:personId/delete')
  @Roles('recruiter', 'admin')
  async removeContactPerson(
    @Param('id', IdParam) id: string,
    @Param('personId', IdParam) personId: string,
    @Res() res: Response,
  ) {
    await this.employers.removeContactPerson(id, personId);
    res.redirect(303, `/employers/${id}?personRemoved=1#contact-persons`);
  }

  // ---------------------------------------------------------------------------------------

  /** Existing employers that may be the same as this one (pairs marked "not duplicates" excluded). */
  private candidatesFor(e: Employer) {
    return this.duplicates.findCandidates(
      {
        id: e.id,
        name: e.name,
        orgNumber: e.orgNumber,
        unitName: e.unitName,
        municipality: e.municipality,
      },
      { excludeIds: [e.id] },
    );
  }

  /**
   * The employer page. Public for the contact pages (ContactsPageController), which show it
   * again with a contact form's errors.
   */
  async renderDetail(
    req: Request,
    res: Response,
    id: string,
    extra: {
      flash?: string | null;
      cpValues?: object;
      cpErrors?: FieldError[];
      contactForm?: ContactFormState;
    },
    status = 200,
  ) {
    const { employer, contactPersons } = await this.employers.get(id);
    const view = EmployerResponse.of(employer, { full: true });
    const candidates = await this.candidatesFor(employer);
    const contact = await this.contactSection(
      req,
      res,
      employer,
      contactPersons,
      extra.contactForm,
    );
    // Slots belong to SlotsModule, which imports this module: resolved from the application.
    const slots = await this.moduleRef
      .get(SlotsService, { strict: false })
      .list(Object.assign(new ListSlotsQuery(), { employerId: employer.id, limit: 50, page: 1 }));
    res.status(contact.filterInvalid && status === 200 ? 400 : status).render('employers/detail', {
      slots: slots.items.map((sl) => SlotResponse.of(sl)),
      title: 'employers.detail.title',
      section: 'employers',
      employer: view,
      archived: !!employer.archivedAt,
      contactPersons: contactPersons.map((c) => ContactPersonResponse.of(c)),
      candidates: candidates.map((c) => ({
        ...EmployerResponse.of(c.employer),
        level: c.match.level,
        reason: c.match.reason,
        percent: percent(c.match.score),
      })),
      canEdit: canEdit(req.principal!),
      flash: extra.flash ?? null,
      cpValues: extra.cpValues ?? {},
      cpErrors: fieldErrors(res, 'employers.cpError', extra.cpErrors ?? []),
      cpOpen: !!extra.cpErrors?.length,
      returnTo: `/employers/${employer.id}`,
      contact,
    });
  }

  // Contacts belong to ContactsModule, which imports this module (not the other way round):
  // resolve its services from the application, like UsersService below.
  private contactsService(): ContactsService {
    return this.moduleRef.get(ContactsService, { strict: false });
  }

  /**
   * The contact section of the employer page: may I contact now (for the chosen purpose), my
   * organisation's claim, the claim and log forms, and the shared contact history.
   */
  private async contactSection(
    req: Request,
    res: Response,
    employer: Employer,
    persons: ContactPerson[],
    form?: ContactFormState,
  ) {
    const p = req.principal!;
    const raw: Record<string, unknown> = req.method === 'GET' ? req.query : {};
    const isPurpose = (v: unknown): v is ContactPurpose =>
      typeof v === 'string' && (CONTACT_PURPOSES as readonly string[]).includes(v);
    const asked = raw.purpose ?? form?.values.purpose;
    const purpose: ContactPurpose = isPurpose(asked) ? asked : 'internship';
    const contacts = this.contactsService();
    const [perm, maxClaimDays] = await Promise.all([
      contacts.permission(employer.id, p, purpose),
      this.moduleRef.get(SettingsService, { strict: false }).get('contact.maxClaimDays'),
    ]);
    const { decision, ownClaim } = perm;
    const refused = decision.decision === 'refused';
    const banner = ownClaim
      ? { tone: 'ok', role: 'status', kind: 'ownClaim', text: null }
      : refused
        ? {
            tone: decision.reason === 'DO_NOT_CONTACT' ? 'error' : 'warning',
            role: 'alert',
            kind: 'refused',
            text: contacts.describe(decision, localeOf(res)),
          }
        : {
            tone: 'ok',
            role: 'status',
            kind: 'allowed',
            text: decision.exemption ? contacts.describe(decision, localeOf(res)) : null,
          };

    // The shared history, newest first, with its own filters (the `purpose` above is the banner's).
    const { q, errors: filterErrors } = await parseQuery(TimelineQuery, {
      organisationId: raw.historyOrganisationId,
      purpose: raw.historyPurpose,
      channel: raw.historyChannel,
      page: raw.page,
      limit: raw.limit ?? 20,
    });
    const page = filterErrors.length
      ? { items: [], page: 1, limit: 20, total: 0 }
      : await contacts.timeline(employer.id, q);
    const organisations = await this.moduleRef
      .get(OrganisationsService, { strict: false })
      .list(await query(ListOrganisationsQuery, { limit: 100 }));
    const personNames = new Map(persons.map((c) => [c.id, c.name]));
    const here = `/employers/${employer.id}`;
    const links = pager(
      req.method === 'GET' ? req : ({ path: here, query: {} } as unknown as Request),
      page,
    );
    const anchored = (url: string | null) => (url ? `${url}#contact-history` : null);

    const flashKey = CONTACT_FLASHES.find((k) => raw[k] !== undefined);
    const breach = typeof raw.breach === 'string' ? raw.breach : null;
    const own = ownClaim
      ? {
          id: ownClaim.id,
          purpose: ownClaim.purpose,
          validUntil: ownClaim.validUntil,
          createdAt: ownClaim.createdAt,
          userName: ownClaim.user?.name ?? '',
        }
      : null;
    const defaultDays = Math.min(7, maxClaimDays);
    const formErrors = (kind: ContactFormState['form']) =>
      form?.form === kind ? fieldErrors(res, 'contacts.error', form.errors) : {};
    return {
      purpose,
      purposes: CONTACT_PURPOSES,
      channels: CONTACT_CHANNELS,
      banner,
      refused,
      ownerName: employer.owner?.name ?? null,
      ownClaim: own,
      canClaim: !refused && !own,
      maxClaimDays,
      claimValues: form?.form === 'claim' ? form.values : { purpose, days: String(defaultDays) },
      claimErrors: formErrors('claim'),
      logValues:
        form?.form === 'log'
          ? form.values
          : { purpose, channel: employer.preferredChannel ?? 'phone' },
      logErrors: formErrors('log'),
      logOpen: form?.form === 'log',
      flash: flashKey
        ? {
            key: `contacts.flash.${flashKey}`,
            tone: flashKey === 'breach' || flashKey === 'claimRefused' ? 'warning' : 'ok',
            // The reason comes from the URL: only a known one is named.
            reason:
              flashKey !== 'breach'
                ? null
                : `contacts.breach.${breach}` in messages('sv')
                  ? `contacts.breach.${breach}`
                  : 'contacts.breach.unknown',
          }
        : null,
      filters: {
        organisationId: q.organisationId ?? raw.historyOrganisationId ?? '',
        purpose: q.purpose ?? raw.historyPurpose ?? '',
        channel: q.channel ?? raw.historyChannel ?? '',
      },
      filtered: ['historyOrganisationId', 'historyPurpose', 'historyChannel'].some(
        (k) => raw[k] !== undefined && raw[k] !== '',
      ),
      filterErrors: fieldErrors(res, 'contacts.error', filterErrors),
      filterInvalid: filterErrors.length > 0,
      organisations: organisations.items.map((o) => ({ id: o.id, name: o.name })),
      timeline: page.items.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt,
        userName: e.user?.name ?? null,
        automated: e.userId === null,
        organisationName: e.organisation?.name ?? '',
        channel: e.channel,
        purpose: e.purpose,
        contactPersonName: e.contactPersonId ? (personNames.get(e.contactPersonId) ?? null) : null,
        outcome: e.outcome,
        note: e.note,
        nextStepAt: e.nextStepAt,
        nextStepDone: !!e.nextStepDoneAt,
        policyBreach: e.policyBreach,
        breachReason: e.breachReason,
      })),
      total: page.total,
      // One page needs no pager (the count above says how many).
      pager:
        links.pages > 1 || page.page > 1
          ? { ...links, prev: anchored(links.prev), next: anchored(links.next) }
          : null,
      clearUrl: `${here}?purpose=${purpose}#contact-history`,
    };
  }

  private async renderForm(
    res: Response,
    ctx: {
      mode: 'create' | 'edit';
      values: object;
      employer?: EmployerResponse;
      errors?: FieldError[];
      candidates?: (Candidate & { percent: number })[];
      exists?: boolean;
      taken?: boolean;
    },
    status = 200,
  ) {
    const values = ctx.values as Record<string, unknown>;
    const owners = await this.ownerChoices(values.ownerUserId, ctx.employer?.ownerName ?? null);
    res.status(status).render('employers/form', {
      title: ctx.mode === 'create' ? 'employers.new' : 'employers.edit.title',
      section: 'employers',
      mode: ctx.mode,
      create: ctx.mode === 'create',
      action: ctx.mode === 'create' ? '/employers' : `/employers/${ctx.employer!.id}`,
      cancel: ctx.mode === 'create' ? '/employers' : `/employers/${ctx.employer!.id}`,
      employer: ctx.employer,
      values,
      errors: fieldErrors(
        res,
        ctx.taken ? 'employers.conflict' : 'employers.error',
        ctx.errors ?? [],
      ),
      candidates: ctx.candidates ?? [],
      exists: !!ctx.exists,
      likely: !!ctx.candidates?.length && !ctx.exists,
      sectors: EMPLOYER_SECTORS,
      segments: EMPLOYER_SEGMENTS,
      statuses: EMPLOYER_STATUSES,
      sizeClasses: SIZE_CLASSES,
      channels: CONTACT_CHANNELS,
      owners,
    });
  }

  // Users belong to OrganisationsModule, which this module does not import: resolve its
  // exported service from the application instead.
  private users(): UsersService {
    return this.moduleRef.get(UsersService, { strict: false });
  }

  /** Loads the owners of employers read without them (merge preview, possible pairs). */
  private async withOwners(list: Employer[]): Promise<void> {
    const ids = [...new Set(list.map((e) => e.ownerUserId).filter((id): id is string => !!id))];
    const users = new Map(
      (await Promise.all(ids.map((id) => this.users().findById(id))))
        .filter((u) => u !== null)
        .map((u) => [u.id, u]),
    );
    for (const e of list) {
      e.owner ??= e.ownerUserId ? (users.get(e.ownerUserId) ?? null) : null;
    }
  }

  /** Active recruiters, plus the current owner whoever it is, for the "ansvarig" select. */
  private async ownerChoices(
    current: unknown,
    currentName: string | null,
  ): Promise<{ id: string; name: string }[]> {
    const page = await this.users().list(
      await query(ListUsersQuery, { role: 'recruiter', active: 'true', limit: 100 }),
    );
    const out = page.items.map((u) => ({ id: u.id, name: u.name }));
    if (typeof current === 'string' && current && !out.some((u) => u.id === current)) {
      out.push({ id: current, name: currentName ?? current });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }

  private renderUpload(
    res: Response,
    ctx: { dryRun: boolean; error?: string },
    status = 200,
  ): void {
    res.status(status).render('employers/import', {
      title: 'employers.import.title',
      section: 'employers',
      dryRun: ctx.dryRun,
      error: ctx.error ?? null,
      maxMb: MAX_IMPORT_BYTES / 1024 / 1024,
    });
  }
}

const DELIMITER_NAMES: Record<string, string> = { ';': 'semicolon', ',': 'comma', '\t': 'tab' };

/** The uploaded file, failing the import (not the request) when it passes the size limit. */
async function* limitedSource(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    yield chunk as Buffer;
  }
  if ((stream as Readable & { truncated?: boolean }).truncated) {
    throw new CsvImportError(
      'malformed_csv',
      `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into smaller files`,
    );
  }
}
