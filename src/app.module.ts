import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { loginAccountTracker } from './auth/login-throttle';
import { SessionModule } from './auth/session.module';
import { ProblemFilter } from './common/problem.filter';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { ContactsModule } from './contacts/contacts.module';
import { EmployersModule } from './employers/employers.module';
import { SettingsModule } from './settings/settings.module';
import { SlotsModule } from './slots/slots.module';
import { HealthModule } from './health/health.module';
import { loggerParams } from './logging/logger.options';
import { MailModule } from './mail/mail.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { QueueModule } from './queue/queue.module';
import { RemindersModule } from './reminders/reminders.module';
import { WebModule } from './web/web.module';

export interface AppModuleOptions {
  /** Where logs go (tests capture them to check redaction). Default: stdout. */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    // One instance, imported here and by MailModule (Nest tells dynamic modules apart by reference).
    const contacts = ContactsModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, options.logStream)),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), retryAttempts: 2, retryDelay: 1000 }),
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: 'login-account',
              ttl: config.login.windowSeconds * 1000,
              limit: config.login.maxAttempts,
              getTracker: loginAccountTracker,
            },
            {
              name: 'login-ip',
              ttl: config.login.windowSeconds * 1000,
              limit: config.login.maxAttempts * 10,
            },
          ],
          // Counters in Redis, so the limit holds across instances.
          storage: new ThrottlerStorageRedisService(config.redis.url),
        }),
        QueueModule.forRoot(config),
        SessionModule,
        AuditModule,
        OrganisationsModule,
        AuthModule,
        EmployersModule,
        SettingsModule,
        contacts,
        MailModule.forRoot(config, { contacts }),
        RemindersModule.forRoot(config),
        SlotsModule.forRoot(config),
        HealthModule,
        WebModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    };
  }
}
