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
});
