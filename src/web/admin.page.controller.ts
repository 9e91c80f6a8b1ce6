import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { AnyRole, Roles } from '../auth/access.decorators';
import { AuthService } from '../auth/auth.service';
import { CreateApiTokenDto } from '../auth/dto/auth.dto';
import { ROLES } from '../auth/roles';
import { AuditService } from '../audit/audit.service';
import { AuditQuery } from '../audit/dto/audit.query';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { flattenValidationErrors } from '../common/validation';
import {
  CreateOrganisationDto,
  ListOrganisationsQuery,
} from '../organisations/dto/organisation.dto';
import { CreateUserDto, ListUsersQuery } from '../organisations/dto/user.dto';
import { ORGANISATION_KINDS } from '../organisations/organisation.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { UsersService } from '../organisations/users.service';
import { validateForm } from './form';
import { pager } from './pager';

async function query<T extends object>(cls: new () => T, raw: Record<string, unknown>): Promise<T> {
  // Empty form fields mean "no filter"; undefined must not override the DTO's defaults.
  const clean = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const q = plainToInstance(cls, clean);
  const errors = await validate(q, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length) {
    throw DomainError.invalid(flattenValidationErrors(errors));
  }
  return q;
}

@ApiExcludeController()
@Controller()
export class AdminPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  @Get('admin')
  @Roles('admin')
  @Render('start-admin')
  async start() {
    const [users, orgs] = await Promise.all([
      this.users.list(await query(ListUsersQuery, { limit: 1 })),
      this.organisations.list(await query(ListOrganisationsQuery, { limit: 1 })),
    ]);
    return { title: 'start.admin.title', userCount: users.total, organisationCount: orgs.total };
  }

  @Get('admin/users')
  @Roles('admin')
  @Render('admin-users')
  async usersPage(@Query() raw: Record<string, unknown>, @Req() req: Request) {
    const q = await query(ListUsersQuery, raw);
    const page = await this.users.list(q);
    return {
      title: 'users.title',
      page,
      q,
      pager: pager(req, page),
      roles: ROLES,
      flash: raw.created ? 'users.created' : raw.deactivated ? 'users.deactivatedNotice' : null,
    };
  }

  @Get('admin/users/new')
  @Roles('admin')
  async newUserPage(@Res() res: Response) {
    await this.renderUserForm(res, {}, {});
  }

  @Post('admin/users')
  @Roles('admin')
  async createUser(@Body() body: Record<string, unknown>, @Res() res: Response) {
    const roles = Array.isArray(body.roles) ? body.roles : body.roles ? [body.roles] : [];
    const { dto, byField, errors } = await validateForm(CreateUserDto, { ...body, roles });
    if (errors.length) {
      return this.renderUserForm(res, { ...body, roles }, byField, 400);
    }
    try {
      await this.users.create(dto);
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        return this.renderUserForm(
          res,
          { ...body, roles },
          Object.fromEntries(e.errors.map((x) => [x.field, x.message])),
          e.status,
        );
      }
      throw e;
    }
    res.redirect(303, '/admin/users?created=1');
  }

  private async renderUserForm(
    res: Response,
    values: Record<string, unknown>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const orgs = await this.organisations.list(
      await query(ListOrganisationsQuery, { limit: 100, active: 'true' }),
    );
    res.status(status).render('admin-user-new', {
      title: 'users.new',
      values,
      errors,
      organisations: orgs.items,
      roles: ROLES,
    });
  }

  @Post('admin/users/:id/deactivate')
  @Roles('admin')
  async deactivateUser(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.users.setActive(id, false);
    res.redirect(303, '/admin/users?deactivated=1');
  }

  @Post('admin/users/:id/activate')
  @Roles('admin')
  async activateUser(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.users.setActive(id, true);
    res.redirect(303, '/admin/users');
  }

  @Get('admin/organisations')
  @Roles('admin')
  async organisationsPage(
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.renderOrganisations(req, res, raw, {}, {});
  }

  private async renderOrganisations(
    req: Request,
    res: Response,
    raw: Record<string, unknown>,
    values: Record<string, unknown>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const q = await query(ListOrganisationsQuery, { page: raw.page, limit: raw.limit });
    const page = await this.organisations.list(q);
    res.status(status).render('admin-organisations', {
      title: 'organisations.title',
      page,
      pager: pager(req, page),
      kinds: ORGANISATION_KINDS,
      values,
      errors,
    });
  }

  @Post('admin/organisations')
  @Roles('admin')
  async createOrganisation(
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const clean = { ...body, municipalityCode: body.municipalityCode || undefined };
    const { dto, byField, errors } = await validateForm(CreateOrganisationDto, clean);
    if (errors.length) {
      return this.renderOrganisations(req, res, {}, body, byField, 400);
    }
    try {
      await this.organisations.create(dto);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'ORGANISATION_NAME_TAKEN') {
        return this.renderOrganisations(req, res, {}, body, { name: e.message }, 409);
      }
      throw e;
    }
    res.redirect(303, '/admin/organisations');
  }

  @Post('admin/organisations/:id/deactivate')
  @Roles('admin')
  async deactivateOrganisation(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.organisations.setActive(id, false);
    res.redirect(303, '/admin/organisations');
  }

  @Post('admin/organisations/:id/activate')
  @Roles('admin')
  async activateOrganisation(@Param('id', IdParam) id: string, @Res() res: Response) {
    await this.organisations.setActive(id, true);
    res.redirect(303, '/admin/organisations');
  }

  @Get('admin/audit')
  @Roles('admin')
  @Render('admin-audit')
  async auditPage(@Query() raw: Record<string, unknown>, @Req() req: Request) {
    const q = await query(AuditQuery, raw);
    const page = await this.audit.search(q);
    return { title: 'audit.title', page, q, pager: pager(req, page) };
  }

  @Post('account/tokens')
  @AnyRole()
  async createToken(
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const { dto, byField, errors } = await validateForm(CreateApiTokenDto, { name: body.name });
    const tokens = () => this.auth.listTokens(req.principal!.userId);
    if (errors.length) {
      return res
        .status(400)
        .render('account', { title: 'account.title', tokens: await tokens(), errors: byField });
    }
    const { token } = await this.auth.createToken(req.principal!, dto.name);
    res.render('account', { title: 'account.title', tokens: await tokens(), newToken: token });
  }

  @Post('account/tokens/:id/revoke')
  @AnyRole()
  async revokeToken(@Param('id', IdParam) id: string, @Req() req: Request, @Res() res: Response) {
    await this.auth.revokeToken(req.principal!, id);
    res.redirect(303, '/account');
  }
}
