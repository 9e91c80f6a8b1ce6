import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactPerson } from './contact-person.entity';
import { EmployerDuplicatesService } from './employer-duplicates.service';
import { EmployerMergeService } from './employer-merge.service';
import { Employer, EmployerNameKey, EmployerNotDuplicate } from './employer.entity';
import { EmployersController } from './employers.controller';
import { EmployersService } from './employers.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Employer, EmployerNameKey, EmployerNotDuplicate, ContactPerson]),
  ],
  controllers: [EmployersController],
  providers: [EmployersService, EmployerDuplicatesService, EmployerMergeService],
  exports: [EmployersService, EmployerDuplicatesService, EmployerMergeService],
})
export class EmployersModule {}
