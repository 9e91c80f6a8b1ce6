import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParam } from '../common/id-param';
import { Clock } from '../common/clock';
import { Employer } from '../employers/employer.entity';
import { ContactClaim } from './contact-event.entity';
import { ContactDecision } from './contact-policy';
import { ContactsService } from './contacts.service';
import {
  ClaimDto,
  ClaimResponse,
  ClaimResultResponse,
  ContactEventPage,
  ContactEventResponse,
  LogContactDto,
  NextStepsQuery,
  PermissionQuery,
  PermissionResponse,
  StatisticsQuery,
  TimelineQuery,
} from './dto/contact.dto';

class NextStepResponse {
  @ApiProperty({ type: ContactEventResponse }) contact: ContactEventResponse;
  @ApiProperty() employerName: string;
  @ApiProperty() overdue: boolean;
}

const CONTACT_ROLES = ['recruiter', 'coordinator', 'admin'] as const;

/** The page language decides the banner's language (cookie), else Swedish. */
function localeOf(res: Response): 'sv' | 'en' {
  return res.locals.locale === 'en' ? 'en' : 'sv';
}

@ApiTags('contacts')
@Controller('api/v1')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly clock: Clock,
  ) {}

  private permissionBody(
    employer: Employer,
    decision: ContactDecision,
    ownClaim: ContactClaim | null,
    now: Date,
    res: Response,
  ): PermissionResponse {
    const body: PermissionResponse = {
      decision: decision.decision,
      nextAllowedAt:
        decision.decision === 'refused'
          ? decision.nextAllowedAt
            ? decision.nextAllowedAt.toISOString()
            : null
          : now.toISOString(),
      message: this.contacts.describe(decision, localeOf(res)),
      ownerUserId: employer.ownerUserId,
      ownerName: employer.owner?.name ?? null,
    };
    if (decision.decision === 'refused') {
      body.reason = decision.reason;
      if (decision.holder) {
        body.holder = { ...decision.holder, since: decision.holder.since.toISOString() };
      }
    } else if (decision.exemption) {
      body.exemption = decision.exemption;
    }
    if (ownClaim) {
      body.ownClaim = ClaimResponse.of(ownClaim, now);
    }
    return body;
  }

  @Get('employers/:id/contact-permission')
  @Roles(...CONTACT_ROLES)
  @ApiOkResponse({
    type: PermissionResponse,
    description: 'May I contact this employer now? (does not claim)',
  })
  async permission(
    @Param('id', IdParam) id: string,
    @Query() q: PermissionQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PermissionResponse> {
    const r = await this.contacts.permission(id, req.principal!, q.purpose);
    return this.permissionBody(r.employer, r.decision, r.ownClaim, r.now, res);
  }

  @Post('employers/:id/contact-claims')
  @Roles(...CONTACT_ROLES)
  @ApiCreatedResponse({
    type: ClaimResultResponse,
    description: 'granted: true with the claim, or granted: false with the reason and holder',
  })
  async claim(
    @Param('id', IdParam) id: string,
    @Body() dto: ClaimDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ClaimResultResponse> {
    const r = await this.contacts.claim(id, req.principal!, dto);
    if (!r.granted) {
      res.status(409);
    }
    return {
      ...this.permissionBody(r.employer, r.decision, r.granted ? r.claim : null, r.now, res),
      granted: r.granted,
      ...(r.claim ? { claim: ClaimResponse.of(r.claim, r.now) } : {}),
    };
  }

  @Get('employers/:id/contact-claims')
  @Roles(...CONTACT_ROLES)
  @ApiOkResponse({
    type: [ClaimResponse],
    description: 'Recent claims on this employer (expiry applied when read)',
  })
  async claims(@Param('id', IdParam) id: string): Promise<ClaimResponse[]> {
    const now = this.clock.now();
    return (await this.contacts.claimsFor(id)).map((c) => ClaimResponse.of(c, now));
  }

  @Post('contact-claims/:id/release')
  @Roles(...CONTACT_ROLES)
  @HttpCode(200)
  @ApiOkResponse({ type: ClaimResponse })
  async release(@Param('id', IdParam) id: string, @Req() req: Request): Promise<ClaimResponse> {
    return ClaimResponse.of(await this.contacts.releaseClaim(id, req.principal!), this.clock.now());
  }

  @Post('employers/:id/contacts')
  @Roles(...CONTACT_ROLES)
  @ApiCreatedResponse({
    type: ContactEventResponse,
    description: 'Logged; policyBreach tells whether it broke the contact policy',
  })
  async log(
    @Param('id', IdParam) id: string,
    @Body() dto: LogContactDto,
    @Req() req: Request,
  ): Promise<ContactEventResponse> {
    return ContactEventResponse.of(await this.contacts.logContact(id, req.principal!, dto));
  }

  @Get('employers/:id/contacts')
  @Roles(...CONTACT_ROLES)
  @ApiOkResponse({
    type: ContactEventPage,
    description: 'The shared contact history, newest first',
  })
  async timeline(
    @Param('id', IdParam) id: string,
    @Query() q: TimelineQuery,
  ): Promise<ContactEventPage> {
    const page = await this.contacts.timeline(id, q);
    return { ...page, items: page.items.map((e) => ContactEventResponse.of(e)) };
  }

  @Get('contacts/next-steps')
  @Roles(...CONTACT_ROLES)
  @ApiOkResponse({
    type: [NextStepResponse],
    description: 'Open next steps due this week or overdue',
  })
  async nextSteps(@Query() q: NextStepsQuery, @Req() req: Request): Promise<NextStepResponse[]> {
    return (await this.contacts.nextSteps(req.principal!, q.scope)).map((s) => ({
      contact: ContactEventResponse.of(s.event),
      employerName: s.employerName,
      overdue: s.overdue,
    }));
  }

  @Post('contacts/:id/next-step-done')
  @Roles(...CONTACT_ROLES)
  @HttpCode(200)
  @ApiOkResponse({ type: ContactEventResponse })
  async nextStepDone(
    @Param('id', IdParam) id: string,
    @Req() req: Request,
  ): Promise<ContactEventResponse> {
    return ContactEventResponse.of(await this.contacts.markNextStepDone(id, req.principal!));
  }

  @Get('contacts/statistics')
  @Roles('admin', 'recruiter', 'coordinator')
  @ApiOkResponse({
    description:
      'Contacts per organisation/purpose/channel, claims granted/refused, double contacts prevented, breaches',
  })
  async statistics(@Query() q: StatisticsQuery) {
    return this.contacts.statistics(new Date(q.from), new Date(q.to));
  }
}
