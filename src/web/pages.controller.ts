import { Body, Controller, Get, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AnyRole, Public, Roles } from '../auth/access.decorators';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/dto/auth.dto';
import { LoginThrottleGuard } from '../auth/login-throttle';
import { Role } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { safeNext, validateForm } from './form';

/** The start page of each role, in this order of precedence. */
export const START_PAGES: [Role, string][] = [
  ['admin', '/admin'],
  ['recruiter', '/recruiter'],
  ['coordinator', '/coordinator'],
  ['supervisor', '/supervisor'],
];

@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @Public()
  home(@Req() req: Request, @Res() res: Response): void {
    const p = req.principal;
    if (!p) {
      return res.redirect(303, '/login');
    }
    const start = START_PAGES.find(([role]) => p.roles.includes(role));
    res.redirect(303, start ? start[1] : '/login');
  }

  @Get('login')
  @Public()
  @Render('login')
  loginPage(@Req() req: Request, @Query('next') next?: string) {
    return { title: 'login.title', next: safeNext(next), signedIn: !!req.principal };
  }

  @Post('login')
  @Public()
  @UseGuards(LoginThrottleGuard)
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const next = safeNext(body.next);
    const { dto, errors } = await validateForm(LoginDto, {
      email: body.email,
      password: body.password,
    });
    const fail = (status: number, messageKey: string) =>
      res.status(status).render('login', {
        title: 'login.title',
        next,
        email: typeof body.email === 'string' ? body.email : '',
        error: messageKey,
      });
    if (errors.length) {
      return fail(400, 'login.missing');
    }
    try {
      await this.auth.login(req, dto.email, dto.password);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'INVALID_LOGIN') {
        return fail(401, 'login.invalid');
      }
      throw e;
    }
    res.redirect(303, next);
  }

  @Post('logout')
  @Public()
  async logout(@Req() req: Request, @Res() res: Response) {
    await this.auth.logout(req);
    res.redirect(303, '/login?signedOut=1');
  }

  @Get('recruiter')
  @Roles('recruiter', 'admin')
  @Render('start-recruiter')
  recruiter() {
    return { title: 'start.recruiter.title' };
  }

  @Get('coordinator')
  @Roles('coordinator', 'admin')
  @Render('start-coordinator')
  coordinator() {
    return { title: 'start.coordinator.title' };
  }

  @Get('supervisor')
  @Roles('supervisor', 'admin')
  @Render('start-supervisor')
  supervisor() {
    return { title: 'start.supervisor.title' };
  }

  @Get('account')
  @AnyRole()
  @Render('account')
  async account(@Req() req: Request) {
    const tokens = await this.auth.listTokens(req.principal!.userId);
    return { title: 'account.title', tokens };
  }
}
