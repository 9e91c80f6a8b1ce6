import { randomBytes } from 'node:crypto';

/** Where this process runs queue processors: api = HTTP only, worker = queues only, all = both. */
export type AppRole = 'api' | 'worker' | 'all';
export const APP_ROLES: readonly AppRole[] = ['api', 'worker', 'all'];

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  role: AppRole;
  port: number;
  appUrl: string;
  /** Secret for session cookies and CSRF; generated in development when missing. */
  appSecret: string;
  /** 32-byte key (base64 or hex) for field encryption of personal data. */
  dataKey: string;
  tz: string;
  logLevel: string;
  database: { url: string; name: string; type: 'mariadb' | 'mysql'; poolSize: number };
  redis: { url: string };
  queuePrefix: string;
  mail: MailConfig;
  reminders: { dailyHour: number; scanSeconds: number };
  session: { idleMinutes: number; absoluteHours: number; secureCookie: boolean };
  login: { maxAttempts: number; windowSeconds: number };
  /** Which settings were generated because they were missing (shown as a warning at start). */
  generated: string[];
}

/** The email pipeline (src/mail); see README, "Mail". */
export interface MailConfig {
  smtpUrl: string;
  from: string;
  /** Employer mail goes out on Swedish business days in [startHour, endHour) Stockholm time. */
  sendWindow: { startHour: number; endHour: number };
  /** Due mails to one recipient within this many hours are merged into one digest (0 = never). */
  digestWindowHours: number;
  /** SMTP attempts (transient errors) before a row is marked failed. */
  maxAttempts: number;
  /** A row still `sending` after this long becomes needs_review (never re-sent by itself). */
  sendingTimeoutSeconds: number;
  /** Pooled SMTP connections per worker process. */
  poolSize: number;
  /** Mail jobs handled at once per worker process. */
  concurrency: number;
  /** Backoff after a transient SMTP error: base * 2^(attempt-1), capped. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** How often the sweeper (relay safety net) runs. */
  sweepSeconds: number;
  /** A due row still pending/queued this long after not_before is put on the queue again. */
  staleSeconds: number;
  /** Bull lock of a mail job: a killed worker's job is redelivered after this. */
  jobLockSeconds: number;
  /** Whether an unreachable SMTP server fails /health/ready (else it is only reported). */
  readyRequiresSmtp: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

type SecretName = 'APP_SECRET' | 'DATA_KEY';

/**
 * Reads and validates the environment once. Defaults work on a developer machine with local
 * MariaDB/MySQL, Redis and an SMTP catcher; production must set its secrets explicitly.
 */
export function loadConfig(
  env: Env = process.env,
  generateSecret: (name: string, make: () => string) => string = (_n, make) => make(),
): AppConfig {
  const problems: string[] = [];
  const generated: string[] = [];
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env'];
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, test or production (got "${env.NODE_ENV}")`);
  }
  const production = nodeEnv === 'production';

  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      return def;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const url = (name: string, def: string, protocols: string[]): string => {
    const raw = env[name] || def;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol.replace(/:$/, ''))) {
        problems.push(
          `${name} must start with ${protocols.map((p) => p + '://').join(' or ')} (got "${redactUrl(raw)}")`,
        );
      }
    } catch {
      problems.push(`${name} is not a valid URL (got "${redactUrl(raw)}")`);
    }
    return raw;
  };

  const secret = (name: SecretName, make: () => string, check: (v: string) => string | null) => {
    const raw = env[name];
    if (!raw) {
      if (production) {
        problems.push(`${name} must be set when NODE_ENV=production (see README, "Configuration")`);
        return '';
      }
      generated.push(name);
      return generateSecret(name, make);
    }
    const err = check(raw);
    if (err) {
      problems.push(`${name} ${err}`);
    }
    return raw;
  };

  const role = (env.APP_ROLE ?? 'all') as AppRole;
  if (!APP_ROLES.includes(role)) {
    problems.push(`APP_ROLE must be one of ${APP_ROLES.join(', ')} (got "${env.APP_ROLE}")`);
  }

  const port = int('PORT', 3000, 0, 65535);
  const databaseUrl = url('DATABASE_URL', 'mysql://root@127.0.0.1:3306/praktiknav', [
    'mysql',
    'mariadb',
  ]);
  let dbName = '';
  try {
    dbName = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  } catch {
    // reported above
  }
  if (!/^[A-Za-z0-9_]{1,64}$/.test(dbName)) {
    problems.push(
      'DATABASE_URL must name a database made of letters, digits and _ (e.g. mysql://root@127.0.0.1:3306/praktiknav)',
    );
  }
  const dbType = env.DATABASE_TYPE || 'mariadb';
  if (!['mariadb', 'mysql'].includes(dbType)) {
    problems.push(`DATABASE_TYPE must be mariadb or mysql (got "${dbType}")`);
  }
  const appUrl = url('APP_URL', `http://localhost:${port}`, ['http', 'https']).replace(/\/$/, '');
  const mailFrom = env.MAIL_FROM || 'Praktiknav <no-reply@praktiknav.localhost>';
  if (/[\r\n]/.test(mailFrom)) {
    problems.push('MAIL_FROM must be a single line');
  }
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      return def;
    }
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) {
      return true;
    }
    if (['false', '0', 'no'].includes(raw.toLowerCase())) {
      return false;
    }
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };
  const windowStart = int('MAIL_SEND_WINDOW_START', 8, 0, 23);
  const windowEnd = int('MAIL_SEND_WINDOW_END', 17, 1, 24);
  if (windowStart >= windowEnd) {
    problems.push(
      `MAIL_SEND_WINDOW_START must be before MAIL_SEND_WINDOW_END (got ${windowStart}-${windowEnd})`,
    );
  }
  const retryBase = int('MAIL_RETRY_BASE_SECONDS', 30, 1, 3600);
  const retryMax = int('MAIL_RETRY_MAX_SECONDS', 3600, 1, 86400);
  if (retryMax < retryBase) {
    problems.push('MAIL_RETRY_MAX_SECONDS must be at least MAIL_RETRY_BASE_SECONDS');
  }
  const mail: MailConfig = {
    smtpUrl: url('SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp', 'smtps']),
    from: mailFrom,
    sendWindow: { startHour: windowStart, endHour: windowEnd },
    digestWindowHours: int('MAIL_DIGEST_WINDOW_HOURS', 24, 0, 168),
    maxAttempts: int('MAIL_MAX_ATTEMPTS', 6, 1, 100),
    sendingTimeoutSeconds: int('MAIL_SENDING_TIMEOUT_SECONDS', 120, 1, 86400),
    poolSize: int('MAIL_POOL_SIZE', 5, 1, 100),
    concurrency: int('MAIL_CONCURRENCY', 30, 1, 200),
    retryBaseSeconds: retryBase,
    retryMaxSeconds: retryMax,
    sweepSeconds: int('MAIL_SWEEP_SECONDS', 15, 1, 3600),
    staleSeconds: int('MAIL_STALE_SECONDS', 60, 1, 86400),
    jobLockSeconds: int('MAIL_JOB_LOCK_SECONDS', 30, 1, 600),
    readyRequiresSmtp: bool('MAIL_READY_REQUIRES_SMTP', false),
  };
  if (!/^[^<>\r\n]*<?[^\s<>@]+@[^\s<>@]+>?$/.test(mailFrom.trim())) {
    problems.push('MAIL_FROM must be an address, optionally with a name: Name <address@domain>');
  }
  const queuePrefix = env.QUEUE_PREFIX || 'praktiknav';
  if (!/^[A-Za-z0-9_:.-]{1,64}$/.test(queuePrefix)) {
    problems.push('QUEUE_PREFIX may contain letters, digits and _ : . - only');
  }

  const config: AppConfig = {
    env: nodeEnv,
    role,
    port,
    appUrl,
    appSecret: secret(
      'APP_SECRET',
      () => randomBytes(32).toString('base64url'),
      (v) => (v.length < 32 ? 'must be at least 32 characters' : null),
    ),
    dataKey: secret(
      'DATA_KEY',
      () => randomBytes(32).toString('base64'),
      (v) => (isKey32(v) ? null : 'must be 32 random bytes as base64 (44 chars) or hex (64 chars)'),
    ),
    tz: env.TZ || 'Europe/Stockholm',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    database: {
      url: databaseUrl,
      name: dbName,
      type: dbType as 'mariadb' | 'mysql',
      poolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
    },
    redis: { url: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']) },
    queuePrefix,
    mail,
    reminders: {
      dailyHour: int('REMINDERS_DAILY_HOUR', 7, 0, 23),
      scanSeconds: int('REMINDERS_SCAN_SECONDS', 900, 1, 86400),
    },
    session: {
      idleMinutes: int('SESSION_IDLE_MINUTES', 60, 1, 24 * 60),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7),
      secureCookie: appUrl.startsWith('https://'),
    },
    login: {
      maxAttempts: int('LOGIN_MAX_ATTEMPTS', 10, 1, 1000),
      windowSeconds: int('LOGIN_WINDOW_SECONDS', 300, 1, 86400),
    },
    generated,
  };
  if (!['debug', 'info', 'warn', 'error', 'fatal', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent`);
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

function isKey32(v: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(v)) {
    return true;
  }
  try {
    return Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(v);
  } catch {
    return false;
  }
}

/** Hides the password in a connection URL before it reaches a message or a log. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return raw.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  }
}
