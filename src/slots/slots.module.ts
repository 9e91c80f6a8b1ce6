import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionToken } from '../auth/action-token.entity';
import { ActionTokensService } from '../auth/action-tokens.service';
import { EmployersModule } from '../employers/employers.module';
import { InternshipSlot } from './internship-slot.entity';
import { SlotConfirmationService } from './slot-confirmation.service';
import { SlotsController } from './slots.controller';
import { SlotsPageController } from './slots.page.controller';
import { SlotsService } from './slots.service';
import { SupervisorPageController } from './supervisor.page.controller';

@Module({
  imports: [TypeOrmModule.forFeature([InternshipSlot, ActionToken]), EmployersModule],
  controllers: [SlotsController, SlotsPageController, SupervisorPageController],
  providers: [SlotsService, SlotConfirmationService, ActionTokensService],
  exports: [SlotsService, SlotConfirmationService, ActionTokensService],
})
export class SlotsModule {}
