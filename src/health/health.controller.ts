import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SessionService } from '../auth/session.service';
import { Public } from '../auth/access.decorators';
import { MailHealth } from '../mail/mail-health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly sessions: SessionService,
    private readonly mail: MailHealth,
  ) {}

  /** Liveness: the process answers. No dependencies are checked here on purpose. */
  @Get()
  @Public()
  @ApiOkResponse({ description: '{ status: "ok" }' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: MySQL and Redis answer within a second each; the mail queue's job counts per
   * state and the unsettled outbox; whether the SMTP server accepts a session (reported, and
   * failing readiness only with MAIL_READY_REQUIRES_SMTP=true: mail waits safely in the outbox).
   */
  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: 'All dependencies are up' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; see checks' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('mysql', { timeout: 1000 }),
      async () => {
        const session = this.indicator.check('redis');
        try {
          const pong = await Promise.race([
            this.sessions.ping(),
            new Promise<string>((_, reject) =>
              setTimeout(() => reject(new Error('timeout after 1000 ms')), 1000).unref(),
            ),
          ]);
          return pong === 'PONG'
            ? session.up()
            : session.down({ message: `unexpected answer ${pong}` });
        } catch (e) {
          return session.down({ message: e instanceof Error ? e.message : 'unreachable' });
        }
      },
      async () => {
        const mailQueue = this.indicator.check('mailQueue');
        try {
          return mailQueue.up(await this.mail.queue());
        } catch (e) {
          return mailQueue.down({ message: e instanceof Error ? e.message : 'unavailable' });
        }
      },
      async () => {
        const smtp = this.indicator.check('smtp');
        const { ok, message, required } = await this.mail.smtp();
        if (ok) {
          return smtp.up({ reachable: true });
        }
        const detail = { reachable: false, required, message: message ?? 'unreachable' };
        return required ? smtp.down(detail) : smtp.up(detail);
      },
    ]);
  }
}
