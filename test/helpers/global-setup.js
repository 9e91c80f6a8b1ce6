// Once per run: a fresh test database (migrations are applied by the first test app).
const mysql = require('mysql2/promise');
const Redis = require('ioredis');

module.exports = async function globalSetup() {
  require('./test-env.js')();
  const url = new URL(process.env.DATABASE_URL);
  const name = url.pathname.slice(1);
  if (!/^[A-Za-z0-9_]*_test$/.test(name)) {
    throw new Error(`Refusing to reset ${name}: the e2e database name must end in _test`);
  }
  const conn = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci`);
  await conn.end();
  const redis = new Redis(process.env.REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
};
