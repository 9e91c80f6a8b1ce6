import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { ContactPerson } from '../employers/contact-person.entity';
import { EmployersModule } from '../employers/employers.module';
import { MailAdminController } from './mail-admin.controller';
import { MailAdminService } from './mail-admin.service';
import { MailDecider } from './mail-decider';
import { MailHealth } from './mail-health';
import { MailOptOut, MailOutbox } from './mail-outbox.entity';
import { MailRelay } from './mail-relay';
import { MailSender } from './mail-sender';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { MailProcessor } from './mail.processor';
import { MailPagesController } from './mail.page.controller';
import { MailService } from './mail.service';
import { OptOutPageController } from './opt-out.page.controller';
import { OptOutService } from './opt-out.service';

/**
 * The email pipeline: outbox, relay, decide/send worker, templates, opt-out, admin. Global, so
 * any module can inject MailService. `contacts` is the very ContactsModule instance AppModule
 * imports (the same object, so Nest does not build a second one with a second processor).
 */
@Global()
@Module({})
export class MailModule {
  static forRoot(config: AppConfig, deps: { contacts: DynamicModule }): DynamicModule {
    return {
      module: MailModule,
      imports: [
        TypeOrmModule.forFeature([MailOutbox, MailOptOut, ContactPerson]),
        deps.contacts,
        EmployersModule,
      ],
      controllers: [MailAdminController, MailPagesController, OptOutPageController],
      providers: [
        MailService,
        MailTemplates,
        MailTransport,
        MailDecider,
        MailSender,
        MailRelay,
        OptOutService,
        MailAdminService,
        MailHealth,
        // Queue processors only where this process runs workers (APP_ROLE worker or all).
        ...(config.role !== 'api' ? [MailProcessor] : []),
      ],
      exports: [MailService, MailTransport, MailTemplates, MailRelay, MailHealth],
    };
  }
}
