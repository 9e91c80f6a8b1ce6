import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppSetting } from './app-setting.entity';
import { SettingsController } from './settings.controller';
import { SettingsPageController } from './settings.page.controller';
import { SettingsService } from './settings.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AppSetting])],
  controllers: [SettingsController, SettingsPageController],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
