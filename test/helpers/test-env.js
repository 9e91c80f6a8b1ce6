// The environment every e2e test (and its global setup) runs with. Overridable from outside.
const defaults = {
  NODE_ENV: 'test',
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/praktiknav_test',
  REDIS_URL: 'redis://127.0.0.1:6379/1',
  QUEUE_PREFIX: 'pn-test',
  SMTP_URL: 'smtp://127.0.0.1:2526',
  APP_URL: 'http://127.0.0.1:3000',
  APP_SECRET: 'test-secret-test-secret-test-secret-0123',
  DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  LOGIN_MAX_ATTEMPTS: '5',
  LOG_LEVEL: 'warn',
};
module.exports = function applyTestEnv() {
  for (const [k, v] of Object.entries(defaults)) {
    if (process.env[`TEST_${k}`]) {
      process.env[k] = process.env[`TEST_${k}`];
    } else {
      process.env[k] = v;
    }
  }
};
