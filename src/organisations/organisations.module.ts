import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationsController, UsersController } from './organisations.controller';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([Organisation, User])],
  controllers: [OrganisationsController, UsersController],
  providers: [OrganisationsService, UsersService],
  exports: [OrganisationsService, UsersService],
})
export class OrganisationsModule {}
