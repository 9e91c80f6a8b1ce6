import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { keepRepeatable } from '../mail/repeatable';
import { JobName, QueueName } from '../queue/queue.constants';
import { RemindersService } from './reminders.service';

/** The reminder scans as repeatable jobs on the system queue (workers only). */
@Processor(QueueName.System)
export class RemindersProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RemindersProcessor.name);
  private readonly keepers: { ensure: () => Promise<void>; stop: () => void }[] = [];

  constructor(
    private readonly reminders: RemindersService,
    @InjectQueue(QueueName.System) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.reminders.scanSeconds * 1000;
    for (const name of [JobName.ReminderNextSteps, JobName.ReminderClaimsExpiring]) {
      const keeper = keepRepeatable(this.queue, name, every, this.logger);
      this.keepers.push(keeper);
      await keeper.ensure();
    }
  }

  onApplicationShutdown(): void {
    this.keepers.forEach((k) => k.stop());
  }

  @Process(JobName.ReminderNextSteps)
  nextSteps() {
    return this.reminders.scanNextSteps();
  }

  @Process(JobName.ReminderClaimsExpiring)
  claimsExpiring() {
    return this.reminders.scanClaimsExpiring();
  }
}
