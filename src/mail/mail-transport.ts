import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Readable } from 'node:stream';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import {
  MailAddress,
  messageIdHost,
  OutgoingMail,
  parseMailFrom,
  toNodemailerOptions,
  UnsafeMailError,
} from './message';
import {
  classifySmtpError,
  describeSmtpError,
  SmtpErrorLike,
  SmtpFailureKind,
} from './smtp-errors';

export type SendResult =
  { ok: true; response: string } | { ok: false; kind: SmtpFailureKind; error: string };

/** Set by the stream plugin below: the message stream the SMTP connection reads from. */
interface DataTracker {
  stream: Readable | null;
}
const TRACKER = 'praktiknavDataTracker';

/**
 * nodemailer's pooled SMTP transport (created on first use, so API-only instances hold no
 * connections). Tells for each failure whether message data had started to flow, which is
 * what separates a safe retry from an ambiguous one.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private transporter: Transporter | null = null;
  readonly from: MailAddress;
  readonly host: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.from = parseMailFrom(config.mail.from);
    this.host = messageIdHost(this.from.address);
  }

  private pool(): Transporter {
    if (!this.transporter) {
      const t = nodemailer.createTransport({
        url: this.config.mail.smtpUrl,
        pool: true,
        maxConnections: this.config.mail.poolSize,
        maxMessages: 500,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 60_000,
        logger: false,
      });
      // The SMTP connection starts reading the message stream only after the server took the
      // envelope (354 to DATA). Whether it read anything tells a lost connection before the
      // data (retry) from one during or after it (ambiguous). Re-run on every attempt the pool
      // makes, so the latest stream is tracked.
      t.use('stream', (mail, done) => {
        const tracker = (mail.data as Record<string, unknown>)[TRACKER] as DataTracker | undefined;
        if (tracker) {
          mail.message.processFunc((input: Readable) => {
            tracker.stream = input;
            return input;
          });
        }
        done();
      });
      this.transporter = t;
    }
    return this.transporter;
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    let options;
    try {
      options = toNodemailerOptions(mail, this.host);
    } catch (e) {
      if (e instanceof UnsafeMailError) {
        return { ok: false, kind: 'permanent', error: `EUNSAFE: ${e.message}` };
      }
      throw e;
    }
    const tracker: DataTracker = { stream: null };
    try {
      const withTracker = { ...options, [TRACKER]: tracker } as SendMailOptions;
      const info = (await this.pool().sendMail(withTracker)) as { response?: string };
      return { ok: true, response: String(info.response ?? '').slice(0, 500) };
    } catch (e) {
      const err = (e ?? {}) as SmtpErrorLike;
      const dataStarted = tracker.stream?.readableDidRead === true;
      const kind = classifySmtpError(err, dataStarted);
      return {
        ok: false,
        kind,
        error:
          `${describeSmtpError(err)}${dataStarted ? ' (after the message data started)' : ''}`.slice(
            0,
            1000,
          ),
      };
    }
  }

  /** Readiness: can we open a session with the SMTP server (own short-lived connection)? */
  async verify(timeoutMs = 1000): Promise<{ ok: boolean; message?: string }> {
    const probe = nodemailer.createTransport({
      url: this.config.mail.smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
    });
    try {
      await Promise.race([
        probe.verify(),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`timeout after ${timeoutMs} ms`)),
            timeoutMs + 200,
          ).unref(),
        ),
      ]);
      return { ok: true };
    } catch (e) {
      return { ok: false, message: describeSmtpError((e ?? {}) as SmtpErrorLike) };
    } finally {
      probe.close();
    }
  }

  onModuleDestroy(): void {
    if (this.transporter) {
      this.logger.debug('closing the SMTP pool');
      this.transporter.close();
      this.transporter = null;
    }
  }
}
