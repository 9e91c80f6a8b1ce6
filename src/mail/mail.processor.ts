import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { isId } from '../common/id-param';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobName, QueueName } from '../queue/queue.constants';
import { Semaphore } from './batcher';
import { DecideResult, MailDecider } from './mail-decider';
import { MailRelay } from './mail-relay';
import { MailSender, SendOutcome } from './mail-sender';
import { MailService } from './mail.service';
import { keepRepeatable } from './repeatable';

/** MariaDB/MySQL lock conflicts: decide again in a moment instead of waiting for the sweeper. */
const RETRYABLE_DB_ERRORS = new Set([1205, 1213]);

/**
 * The mail worker (APP_ROLE worker or all): one job per outbox row, decide then send, plus the
 * sweeper as a repeatable job. Handlers are registered by hand so the concurrency comes from
 * the configuration (MAIL_CONCURRENCY).
 */
@Injectable()
export class MailProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private sweeper: { ensure: () => Promise<void>; stop: () => void } | null = null;
  private readonly inProgress = new Set<string>();
  /**
   * Jobs decide at MAIL_CONCURRENCY (statements are batched across them), but only two per
   * pooled SMTP connection hold a claim: a killed worker leaves at most that many rows
   * ambiguous (needs_review).
   */
  private readonly smtpSlots: Semaphore;

  constructor(
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
    private readonly decider: MailDecider,
    private readonly sender: MailSender,
    private readonly relay: MailRelay,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.smtpSlots = new Semaphore(config.mail.poolSize * 4);
  }

  async onApplicationBootstrap(): Promise<void> {
    const onStop = (e: Error) => this.logger.error(`mail worker stopped: ${e.message}`);
    this.queue
      .process(JobName.SendMail, this.config.mail.concurrency, (job: Job) => this.handle(job))
      .catch(onStop);
    this.queue.process(JobName.SweepMail, 1, () => this.relay.sweep()).catch(onStop);
    this.sweeper = keepRepeatable(
      this.queue,
      JobName.SweepMail,
      this.config.mail.sweepSeconds * 1000,
      this.logger,
    );
    await this.sweeper.ensure();
  }

  onApplicationShutdown(): void {
    this.sweeper?.stop();
  }

  async handle(job: Job<{ outboxId?: unknown }>): Promise<DecideResult | SendOutcome> {
    const id = job.data?.outboxId;
    if (!isId(id)) {
      return { kind: 'skip', why: 'bad job data' };
    }
    // Two jobs for one row in this process (a postponement and a sweep): one is enough here;
    // across processes the row's conditional updates decide.
    if (this.inProgress.has(id)) {
      return { kind: 'skip', why: 'already being handled by this worker' };
    }
    this.inProgress.add(id);
    try {
      return await this.run(id);
    } catch (e) {
      const errno = (e as { driverError?: { errno?: number } }).driverError?.errno;
      if (errno !== undefined && RETRYABLE_DB_ERRORS.has(errno)) {
        await this.mail.scheduleAfter(id, 250 + Math.random() * 750, `redo-${Date.now()}`);
        return { kind: 'skip', why: 'lock conflict; decided again shortly' };
      }
      throw e;
    } finally {
      this.inProgress.delete(id);
    }
  }

  private async run(id: string): Promise<DecideResult | SendOutcome> {
    let release: (() => void) | null = null;
    try {
      return await this.steps(id, async () => {
        release ??= await this.smtpSlots.acquire();
      });
    } finally {
      (release as (() => void) | null)?.();
    }
  }

  private async steps(id: string, slot: () => Promise<void>): Promise<DecideResult | SendOutcome> {
    const decided = await this.decider.decide(id, slot);
    if (decided.kind === 'later') {
      await this.mail.schedule(id, decided.at, `at-${decided.at.getTime()}`);
      return decided;
    }
    if (decided.kind === 'skip') {
      return decided;
    }
    // A row decided on an earlier attempt is claimed on its own (queued → sending).
    if (decided.kind === 'send') {
      await slot();
      if (!(await this.sender.claim(id))) {
        return { kind: 'skip', why: 'claimed by someone else' };
      }
    }
    const sent = await this.sender.send(id, decided.kind === 'claimed' ? decided : undefined);
    if (sent.kind === 'retry') {
      await this.mail.schedule(id, sent.at, `retry-${sent.attempt}`);
    }
    return sent;
  }
}
