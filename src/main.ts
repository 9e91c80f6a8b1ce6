import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap/configure-app';
import { checkRedis, ensureDatabase, runMigrations, StartupError } from './bootstrap/preflight';
import { ConfigError, loadConfig } from './config/app-config';
import { persistentDevSecret } from './config/dev-secrets';
import { UsersService } from './organisations/users.service';

function fail(message: string): never {
  process.stderr.write(`\nPraktiknav cannot start:\n  ${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, persistentDevSecret);
  } catch (e) {
    if (e instanceof ConfigError) {
      fail(e.message);
    }
    throw e;
  }
  for (const name of config.generated) {
    process.stderr.write(
      `\n*** WARNING: ${name} is not set. Using a generated development value kept in .dev-secrets.json.\n` +
        `*** Set ${name} in the environment before real use (NODE_ENV=production refuses to start without it).\n`,
    );
  }
  try {
    await Promise.all([ensureDatabase(config), checkRedis(config)]);
    await runMigrations(config, (m) => process.stdout.write(`${m}\n`));
  } catch (e) {
    if (e instanceof StartupError) {
      fail(e.message);
    }
    throw e;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  await configureApp(app);
  await app.listen(config.port);
  const logger = app.get(Logger);
  logger.log(`Praktiknav is listening on ${config.appUrl} (role: ${config.role})`);
  if ((await app.get(UsersService).count()) === 0) {
    logger.warn(
      'No users yet. Create the first admin with:\n' +
        '  PRAKTIKNAV_PASSWORD=\'choose-a-long-password\' npm run user:create -- --email you@example.se --name "Your Name" --role admin --organisation "Your organisation"\n' +
        'or load demo data with: npm run seed:demo',
    );
  }
}

main().catch((e) => {
  process.stderr.write(
    `\nPraktiknav failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
