import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionToken } from '../auth/action-token.entity';
import { ActionTokensService } from '../auth/action-tokens.service';
import type { AppConfig } from '../config/app-config';
import { EmployersModule } from '../employers/employers.module';
import { InternshipSlot } from './internship-slot.entity';
import { SlotConfirmationService } from './slot-confirmation.service';
import { SlotMailService } from './slot-mail.service';
import { SlotsController } from './slots.controller';
import { SlotsPageController } from './slots.page.controller';
import { SlotsProcessor } from './slots.processor';
import { SlotsService } from './slots.service';
import { SupervisorPageController } from './supervisor.page.controller';

@Module({})
export class SlotsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SlotsModule,
      imports: [TypeOrmModule.forFeature([InternshipSlot, ActionToken]), EmployersModule],
      controllers: [SlotsController, SlotsPageController, SupervisorPageController],
      // The re-confirmation scan runs only where this process runs workers.
      providers: [
        SlotsService,
        SlotConfirmationService,
        SlotMailService,
        ActionTokensService,
        ...(config.role !== 'api' ? [SlotsProcessor] : []),
      ],
      exports: [SlotsService, SlotConfirmationService, SlotMailService, ActionTokensService],
    };
  }
}
