import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '../queue/queue.constants';
import { ContactsService } from './contacts.service';

export const EXPIRE_CLAIMS_JOB = 'expire-claims';

/** Marks expired claims every five minutes (workers only; reads check expiry themselves). */
@Processor(QueueName.System)
export class ContactsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(ContactsProcessor.name);

  constructor(
    private readonly contacts: ContactsService,
    @InjectQueue(QueueName.System) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add(
      EXPIRE_CLAIMS_JOB,
      {},
      {
        repeat: { every: 5 * 60_000 },
        jobId: EXPIRE_CLAIMS_JOB,
        removeOnComplete: 10,
        removeOnFail: 50,
      },
    );
  }

  @Process(EXPIRE_CLAIMS_JOB)
  async expire(): Promise<{ expired: number }> {
    const expired = await this.contacts.expireClaims();
    if (expired) {
      this.logger.log(`${expired} contact claim(s) expired`);
    }
    return { expired };
  }
}
