// Every entity, listed once: the app, the CLI and the tests load exactly these.
import { AuditEvent } from '../audit/audit-event.entity';
import { ActionToken } from '../auth/action-token.entity';
import { ApiToken } from '../auth/api-token.entity';
import { InternshipSlot } from '../slots/internship-slot.entity';
import { ContactClaim, ContactEvent, ContactRefusal } from '../contacts/contact-event.entity';
import { AppSetting } from '../settings/app-setting.entity';
import { ContactPerson } from '../employers/contact-person.entity';
import { EmployerImport, EmployerImportRow } from '../employers/employer-import.entity';
import {
  Employer,
  EmployerNameKey,
  EmployerNotDuplicate,
  EmployerSearchToken,
} from '../employers/employer.entity';
import { MailOptOut, MailOutbox } from '../mail/mail-outbox.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';

export const ENTITIES = [
  Organisation,
  User,
  ApiToken,
  AuditEvent,
  Employer,
  EmployerNameKey,
  EmployerNotDuplicate,
  EmployerSearchToken,
  ContactPerson,
  EmployerImport,
  EmployerImportRow,
  AppSetting,
  ContactEvent,
  ContactClaim,
  ContactRefusal,
  InternshipSlot,
  ActionToken,
  MailOutbox,
  MailOptOut,
];
