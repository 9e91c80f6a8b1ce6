import { Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Clock } from '../common/clock';
import { SessionService } from '../auth/session.service';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobName, QueueName } from './queue.constants';

/**
 * Workers stamp a heartbeat, so readiness can tell whether any worker is alive (an API-only
 * instance cannot see that otherwise).
 */
@Processor(QueueName.System)
export class SystemProcessor {
  private readonly logger = new Logger(SystemProcessor.name);

  constructor(
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Process(JobName.Heartbeat)
  async heartbeat(_job: Job): Promise<{ at: string }> {
    const at = this.clock.now().toISOString();
    await this.sessions.client.set(`${this.config.queuePrefix}:worker-heartbeat`, at, { EX: 600 });
    this.logger.debug(`heartbeat ${at}`);
    return { at };
  }
}
