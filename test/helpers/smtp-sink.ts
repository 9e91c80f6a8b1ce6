import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { DataSource, In } from 'typeorm';
import { MailOutbox, MailStatus } from '../../src/mail/mail-outbox.entity';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** From the Message-ID header, e.g. `<0190…@praktiknav.localhost>`. */
  messageId: string | null;
  receivedAt: number;
}

type Stage = 'mail' | 'rcpt' | 'data';
interface FailRule {
  code: number;
  stage: Stage;
  left: number;
}

/**
 * An in-process SMTP server that records every message it accepts (DESIGN §6). It can refuse
 * the next messages with a reply code (`failNext`), be taken down and brought back on the same
 * port (`stop`/`restart`), and answer slowly (`delayMs`) so work is in flight when a test
 * kills a worker.
 */
export class SmtpSink {
  private server: SMTPServer | null = null;
  private readonly received: SinkMessage[] = [];
  private readonly rules: FailRule[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  private down = false;
  /** Milliseconds to wait before answering the end of the message data. */
  delayMs = 0;
  port = 0;

  static async start(port = 0, opts: { delayMs?: number } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.delayMs = opts.delayMs ?? 0;
    await sink.listen(port);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private listen(port: number): Promise<void> {
    this.down = false;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      maxClients: 1000,
      closeTimeout: 1000,
      onMailFrom: (_address, _session, cb) => cb(this.refusal('mail')),
      onRcptTo: (_address, _session, cb) => cb(this.refusal('rcpt')),
      onData: (stream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const err = this.refusal('data');
          const finish = () => {
            if (!err) {
              this.record(session, Buffer.concat(chunks));
            }
            cb(err);
          };
          if (this.delayMs > 0) {
            setTimeout(finish, this.delayMs);
          } else {
            finish();
          }
        });
      },
    });
    this.server = server;
    server.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const addr = server.server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : port;
        resolve();
      });
    });
  }

  private refusal(stage: Stage): Error | null {
    if (this.down) {
      return Object.assign(new Error('Service not available, closing channel'), {
        responseCode: 421,
      });
    }
    const rule = this.rules.find((r) => r.stage === stage && r.left > 0);
    if (!rule) {
      return null;
    }
    rule.left--;
    return Object.assign(new Error(`Refused by the test sink (${rule.code})`), {
      responseCode: rule.code,
    });
  }

  private record(session: SMTPServerSession, raw: Buffer): void {
    const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('utf8');
    const id = /^message-id:\s*(<[^>\r\n]+>)/im.exec(head);
    const from = session.envelope.mailFrom;
    this.received.push({
      from: from ? from.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      raw,
      messageId: id ? id[1] : null,
      receivedAt: Date.now(),
    });
    const ready = this.waiters.filter((w) => this.received.length >= w.n);
    this.waiters = this.waiters.filter((w) => this.received.length < w.n);
    for (const w of ready) {
      w.resolve();
    }
  }

  /** Refuse the next `count` messages with `code` at MAIL FROM, RCPT TO (default) or DATA end. */
  failNext(code: number, opts: { count?: number; stage?: Stage } = {}): void {
    this.rules.push({ code, stage: opts.stage ?? 'rcpt', left: opts.count ?? 1 });
  }

  messages(): SinkMessage[] {
    return [...this.received];
  }

  count(): number {
    return this.received.length;
  }

  /** Message-IDs received more than once. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const m of this.received) {
      const key = m.messageId ?? `(none) ${m.raw.length}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }

  uniqueMessageIds(): Set<string> {
    return new Set(this.received.map((m) => m.messageId ?? ''));
  }

  parse(m: SinkMessage): Promise<ParsedMail> {
    return simpleParser(m.raw);
  }

  clear(): void {
    this.received.length = 0;
    this.rules.length = 0;
  }

  /** Resolves once at least `n` messages arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs = 20_000): Promise<SinkMessage[]> {
    if (this.received.length >= n) {
      return Promise.resolve(this.messages());
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`SMTP sink: ${this.received.length} of ${n} messages after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(this.messages());
      };
      this.waiters.push({ n, resolve: done });
    });
  }

  /**
   * Takes the server down: new connections are refused, and open sessions answer 421 to their
   * next command (nothing is cut in the middle of a message).
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.down = true;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Back up on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.port);
  }
}

// Outbox helpers for the mail tests.

/** Polls the outbox until every given row has one of `statuses`, or fails with what it saw. */
export async function waitForRows(
  db: DataSource,
  ids: string[],
  statuses: MailStatus[],
  timeoutMs = 20_000,
): Promise<MailOutbox[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.getRepository(MailOutbox).find({ where: { id: In(ids) } });
    if (rows.length === ids.length && rows.every((r) => statuses.includes(r.status))) {
      return ids.map((id) => rows.find((r) => r.id === id)!);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `outbox rows not ${statuses.join('/')} after ${timeoutMs} ms: ${rows
          .map((r) => `${r.id.slice(-6)}=${r.status}${r.lastError ? ` (${r.lastError})` : ''}`)
          .join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitForRow(
  db: DataSource,
  id: string,
  statuses: MailStatus[],
  timeoutMs?: number,
): Promise<MailOutbox> {
  return (await waitForRows(db, [id], statuses, timeoutMs))[0];
}

/** Counts outbox rows per status. */
export async function statusCounts(db: DataSource): Promise<Record<string, number>> {
  const rows: { status: string; n: string }[] = await db.query(
    'SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
