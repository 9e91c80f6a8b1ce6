import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { EmployersModule } from '../employers/employers.module';
import { ContactClaim, ContactEvent, ContactRefusal } from './contact-event.entity';
import { ContactsController } from './contacts.controller';
import { ContactsPageController } from './contacts.page.controller';
import { ContactsProcessor } from './contacts.processor';
import { ContactsService } from './contacts.service';

@Module({})
export class ContactsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ContactsModule,
      imports: [
        TypeOrmModule.forFeature([ContactEvent, ContactClaim, ContactRefusal]),
        EmployersModule,
      ],
      controllers: [ContactsController, ContactsPageController],
      // Queue processors only where this process runs workers (APP_ROLE worker or all).
      providers: [ContactsService, ...(config.role !== 'api' ? [ContactsProcessor] : [])],
      exports: [ContactsService],
    };
  }
}
