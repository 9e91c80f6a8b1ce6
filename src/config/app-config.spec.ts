import { ConfigError, loadConfig, redactUrl } from './app-config';

describe('loadConfig', () => {
  it('works with no environment at all (local defaults)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      role: 'all',
      port: 3000,
      database: {
        url: 'mysql://root@127.0.0.1:3306/praktiknav',
        name: 'praktiknav',
        type: 'mariadb',
      },
      redis: { url: 'redis://127.0.0.1:6379' },
      mail: { smtpUrl: 'smtp://127.0.0.1:1025' },
      tz: 'Europe/Stockholm',
      appUrl: 'http://localhost:3000',
    });
    expect(c.generated).toEqual(['APP_SECRET', 'DATA_KEY']);
    expect(c.appSecret.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(c.dataKey, 'base64')).toHaveLength(32);
  });

  it('uses a given generator for missing secrets in development (kept across restarts)', () => {
    const c = loadConfig({}, (name) => `stable-${name}-`.padEnd(44, 'x'));
    expect(c.appSecret).toBe('stable-APP_SECRET-'.padEnd(44, 'x'));
  });

  it('refuses to start in production without secrets, naming each', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        'APP_SECRET must be set when NODE_ENV=production (see README, "Configuration")',
        'DATA_KEY must be set when NODE_ENV=production (see README, "Configuration")',
      ]);
    }
  });

  it('accepts production with proper secrets and marks cookies Secure behind https', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      APP_SECRET: 'x'.repeat(40),
      DATA_KEY: 'ab'.repeat(32),
      APP_URL: 'https://praktiknav.eslov.se/',
    });
    expect(c.generated).toEqual([]);
    expect(c.session.secureCookie).toBe(true);
    expect(c.appUrl).toBe('https://praktiknav.eslov.se');
  });

  it('reports every invalid value at once, with the variable name', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        PORT: 'eighty',
        APP_ROLE: 'boss',
        DATABASE_URL: 'postgres://x/y',
        DATA_KEY: 'short',
        SESSION_IDLE_MINUTES: '0',
        QUEUE_PREFIX: 'a b',
      });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'PORT',
        'APP_ROLE',
        'DATABASE_URL',
        'DATA_KEY',
        'SESSION_IDLE_MINUTES',
        'QUEUE_PREFIX',
      ]),
    );
  });

  it('never puts a database password into a message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:hunter2@db/x' })).toThrow(
      /app:\*\*\*@/,
    );
    expect(redactUrl('mysql://u:p@h:3306/db')).toBe('mysql://u:***@h:3306/db');
  });

  it('reads the database name from DATABASE_URL and rejects unsafe names', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://root@db:3306/pn_prod' }).database.name).toBe(
      'pn_prod',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@db:3306/x`;drop' })).toThrow(
      /must name a database/,
    );
  });
  describe('mail and reminders', () => {
    it('has working defaults for the mail pipeline', () => {
      const c = loadConfig({});
      expect(c.mail).toEqual({
        smtpUrl: 'smtp://127.0.0.1:1025',
        from: 'Praktiknav <no-reply@praktiknav.localhost>',
        sendWindow: { startHour: 8, endHour: 17 },
        digestWindowHours: 24,
        maxAttempts: 6,
        sendingTimeoutSeconds: 120,
        poolSize: 5,
        concurrency: 30,
        retryBaseSeconds: 30,
        retryMaxSeconds: 3600,
        sweepSeconds: 15,
        staleSeconds: 60,
        jobLockSeconds: 30,
        readyRequiresSmtp: false,
      });
      expect(c.reminders).toEqual({ dailyHour: 7, scanSeconds: 900 });
    });

    it('reads every mail setting from the environment', () => {
      const c = loadConfig({
        MAIL_SEND_WINDOW_START: '7',
        MAIL_SEND_WINDOW_END: '18',
        MAIL_DIGEST_WINDOW_HOURS: '0',
        MAIL_MAX_ATTEMPTS: '3',
        MAIL_SENDING_TIMEOUT_SECONDS: '5',
        MAIL_POOL_SIZE: '2',
        MAIL_CONCURRENCY: '20',
        MAIL_RETRY_BASE_SECONDS: '1',
        MAIL_RETRY_MAX_SECONDS: '4',
        MAIL_SWEEP_SECONDS: '2',
        MAIL_STALE_SECONDS: '3',
        MAIL_JOB_LOCK_SECONDS: '5',
        MAIL_READY_REQUIRES_SMTP: 'true',
        REMINDERS_DAILY_HOUR: '6',
        REMINDERS_SCAN_SECONDS: '60',
        MAIL_FROM: 'Eslövs kommun <praktik@eslov.se>',
      });
      expect(c.mail).toMatchObject({
        sendWindow: { startHour: 7, endHour: 18 },
        digestWindowHours: 0,
        maxAttempts: 3,
        sendingTimeoutSeconds: 5,
        poolSize: 2,
        concurrency: 20,
        retryBaseSeconds: 1,
        retryMaxSeconds: 4,
        sweepSeconds: 2,
        staleSeconds: 3,
        jobLockSeconds: 5,
        readyRequiresSmtp: true,
        from: 'Eslövs kommun <praktik@eslov.se>',
      });
      expect(c.reminders).toEqual({ dailyHour: 6, scanSeconds: 60 });
    });

    it('rejects out-of-range or inconsistent mail settings, naming each variable', () => {
      let problems: string[] = [];
      try {
        loadConfig({
          MAIL_SEND_WINDOW_START: '18',
          MAIL_SEND_WINDOW_END: '8',
          MAIL_MAX_ATTEMPTS: '0',
          MAIL_POOL_SIZE: 'many',
          MAIL_SENDING_TIMEOUT_SECONDS: '-1',
          MAIL_RETRY_BASE_SECONDS: '60',
          MAIL_RETRY_MAX_SECONDS: '10',
          MAIL_READY_REQUIRES_SMTP: 'maybe',
          MAIL_DIGEST_WINDOW_HOURS: '1000',
          REMINDERS_DAILY_HOUR: '24',
          MAIL_FROM: 'not an address',
        });
      } catch (e) {
        problems = (e as ConfigError).problems;
      }
      expect(problems.map((p) => p.split(' ')[0])).toEqual(
        expect.arrayContaining([
          'MAIL_SEND_WINDOW_START',
          'MAIL_MAX_ATTEMPTS',
          'MAIL_POOL_SIZE',
          'MAIL_SENDING_TIMEOUT_SECONDS',
          'MAIL_RETRY_MAX_SECONDS',
          'MAIL_READY_REQUIRES_SMTP',
          'MAIL_DIGEST_WINDOW_HOURS',
          'REMINDERS_DAILY_HOUR',
          'MAIL_FROM',
        ]),
      );
      expect(() => loadConfig({ MAIL_FROM: 'A <a@b.se>\r\nBcc: x@y.se' })).toThrow(/MAIL_FROM/);
    });
  });
});
