import { BullModule, InjectQueue } from '@nestjs/bull';
import { DynamicModule, Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobName, QueueName } from './queue.constants';
import { SystemProcessor } from './system.processor';

class HeartbeatScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.System) private readonly system: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    // A repeatable job fires once per schedule across all instances (same repeat key).
    await this.system.add(
      JobName.Heartbeat,
      {},
      { repeat: { every: 60_000 }, jobId: 'heartbeat', removeOnComplete: 10, removeOnFail: 10 },
    );
  }
}

/**
 * Bull on the app's Redis. Processors are registered only where APP_ROLE is worker or all, so
 * API instances and workers can be scaled apart.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const runsWorkers = config.role !== 'api';
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            redis: c.redis.url,
            prefix: c.queuePrefix,
            defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
          }),
        }),
        BullModule.registerQueue({ name: QueueName.System }),
        // A killed worker's mail job comes back (stalled) after the lock expires; the row, not
        // the job, decides whether anything is sent again.
        BullModule.registerQueue({
          name: QueueName.Mail,
          settings: {
            lockDuration: config.mail.jobLockSeconds * 1000,
            stalledInterval: Math.min(30_000, config.mail.jobLockSeconds * 1000),
            maxStalledCount: 5,
          },
        }),
      ],
      providers: runsWorkers ? [SystemProcessor, HeartbeatScheduler] : [],
      exports: [BullModule],
    };
  }
}
