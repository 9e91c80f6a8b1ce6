import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactPerson } from './contact-person.entity';
import { EmployerDuplicatesService } from './employer-duplicates.service';
import { EmployerImportController } from './employer-import.controller';
import { EmployerImport, EmployerImportRow } from './employer-import.entity';
import { EmployerImportService } from './employer-import.service';
import { EmployerMergeService } from './employer-merge.service';
import {
  Employer,
  EmployerNameKey,
  EmployerNotDuplicate,
  EmployerSearchToken,
} from './employer.entity';
import { EmployersController } from './employers.controller';
import { EmployersPageController } from './employers.page.controller';
import { EmployersService } from './employers.service';
import { SearchCacheSync } from './search-cache-sync';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Employer,
      EmployerNameKey,
      EmployerSearchToken,
      EmployerNotDuplicate,
      ContactPerson,
      EmployerImport,
      EmployerImportRow,
    ]),
  ],
  // The import controller first: its static paths (export.csv) must win over :id.
  controllers: [EmployerImportController, EmployersController, EmployersPageController],
  providers: [
    EmployersService,
    SearchCacheSync,
    EmployerDuplicatesService,
    EmployerMergeService,
    EmployerImportService,
  ],
  exports: [
    EmployersService,
    EmployerDuplicatesService,
    EmployerMergeService,
    EmployerImportService,
  ],
})
export class EmployersModule {}
