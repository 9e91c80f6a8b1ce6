import { retryDelayMs } from './backoff';
import { classifySmtpError, describeSmtpError } from './smtp-errors';

describe('classifySmtpError', () => {
  it('fails a 5xx reply at once, whatever the stage', () => {
    for (const command of ['MAIL FROM', 'RCPT TO', 'DATA']) {
      expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command }, false)).toBe(
        'permanent',
      );
    }
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, true)).toBe(
      'permanent',
    );
  });

  it('retries a 4xx (and 503) reply: the server said it did not take the message', () => {
    expect(
      classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, false),
    ).toBe('transient');
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 452, command: 'DATA' }, true)).toBe(
      'transient',
    );
    expect(classifySmtpError({ code: 'EPROTOCOL', responseCode: 503 }, false)).toBe('transient');
    expect(classifySmtpError({ code: 'ECONNECTION', responseCode: 421 }, false)).toBe('transient');
  });

  it('retries connection failures before the message data', () => {
    for (const code of [
      'ESOCKET',
      'ECONNECTION',
      'ETIMEDOUT',
      'EDNS',
      'ETLS',
      'EAUTH',
      undefined,
    ]) {
      expect(classifySmtpError({ code, originalCode: 'ECONNREFUSED' }, false)).toBe('transient');
    }
  });

  it('flags a connection lost after the data started as ambiguous (never re-sent)', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', command: 'CONN' }, true)).toBe('ambiguous');
    expect(classifySmtpError({ code: 'ETIMEDOUT' }, true)).toBe('ambiguous');
  });

  it('fails unusable messages and addresses on our side at once', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', message: 'No recipients defined' }, false)).toBe(
      'permanent',
    );
    expect(classifySmtpError({ code: 'EUNSAFE' }, false)).toBe('permanent');
  });

  it('summarises an error on one line', () => {
    expect(
      describeSmtpError({
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        message: 'Recipient command failed:\r\n 550 no such user',
      }),
    ).toBe('EENVELOPE 550 RCPT TO: Recipient command failed: 550 no such user');
    expect(describeSmtpError({ message: 'x'.repeat(2000) })).toHaveLength(1000);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base, capped at the maximum, with at most 10 % jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 30, 3600, mid))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000,
    ]);
    expect(retryDelayMs(1, 30, 3600, () => 0)).toBe(27_000);
    expect(retryDelayMs(1, 30, 3600, () => 1)).toBe(33_000);
    expect(retryDelayMs(100, 30, 3600, () => 1)).toBe(3_600_000);
  });
});
