import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '../queue/queue.constants';
import { SlotMailService } from './slot-mail.service';

export const SLOT_RECONFIRM_JOB = 'slot-reconfirm-scan';

/** Hourly: ask supervisors to re-confirm old slots, remind once, pause when nobody answers. */
@Processor(QueueName.System)
export class SlotsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlotsProcessor.name);

  constructor(
    private readonly slotMail: SlotMailService,
    @InjectQueue(QueueName.System) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One repeat key across instances: the scan fires once per hour wherever workers run.
    await this.queue.add(
      SLOT_RECONFIRM_JOB,
      {},
      {
        repeat: { every: 3_600_000 },
        jobId: SLOT_RECONFIRM_JOB,
        removeOnComplete: 10,
        removeOnFail: 50,
      },
    );
  }

  @Process(SLOT_RECONFIRM_JOB)
  async scan(): Promise<{ requested: number; reminded: number; paused: number }> {
    const r = await this.slotMail.scan();
    if (r.requested + r.reminded + r.paused) {
      this.logger.log(
        `slot re-confirmation: ${r.requested} asked, ${r.reminded} reminded, ${r.paused} paused`,
      );
    }
    return r;
  }
}
