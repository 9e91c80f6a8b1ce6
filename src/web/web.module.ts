import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AdminPagesController } from './admin.page.controller';
import { PagesController } from './pages.controller';

@Module({
  imports: [AuthModule, OrganisationsModule],
  controllers: [PagesController, AdminPagesController],
})
export class WebModule {}
