import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { RemindersProcessor } from './reminders.processor';
import { RemindersService } from './reminders.service';

/** Scheduled scans that write reminder emails (MailModule is global). */
@Module({})
export class RemindersModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RemindersModule,
      // Repeatable scans only where this process runs workers (APP_ROLE worker or all).
      providers: [RemindersService, ...(config.role !== 'api' ? [RemindersProcessor] : [])],
      exports: [RemindersService],
    };
  }
}
