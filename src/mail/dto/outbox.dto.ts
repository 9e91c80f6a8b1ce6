import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination';
import { trim } from '../../common/transforms';
import { CONTACT_PURPOSES } from '../../contacts/contact-policy';
import {
  MAIL_CATEGORIES,
  MAIL_LOCALES,
  MAIL_STATUSES,
  MailOutbox,
  MailStatus,
} from '../mail-outbox.entity';

const oneOf = (field: string, values: readonly string[]) => ({
  message: `${field} must be one of: ${values.join(', ')}`,
});

export class ListOutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MAIL_STATUSES })
  @IsOptional()
  @IsIn(MAIL_STATUSES, oneOf('status', MAIL_STATUSES))
  status?: MailStatus;

  @ApiPropertyOptional({ example: 'contact-next-step' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'template must be a template name' })
  template?: string;

  @ApiPropertyOptional({ description: 'The address, or its beginning', example: 'maria.holm@' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  recipient?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'employerId must be an id' })
  employerId?: string;
}

/** One outbox row for admins: what, to whom, where it stands and why. No payload. */
export class OutboxItemResponse {
  @ApiProperty() id: string;
  @ApiProperty() dedupKey: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ nullable: true, type: String }) recipientName: string | null;
  @ApiProperty() template: string;
  @ApiProperty({ enum: MAIL_LOCALES }) locale: string;
  @ApiProperty({ enum: MAIL_CATEGORIES }) category: string;
  @ApiProperty({ enum: CONTACT_PURPOSES }) purpose: string;
  @ApiProperty() onBehalfOfId: string;
  @ApiProperty({ nullable: true, type: String }) employerId: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPersonId: string | null;
  @ApiProperty({ enum: MAIL_STATUSES }) status: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Why it stands where it stands: the suppression reason, the last error or the latest decision',
  })
  reason: string | null;
  @ApiProperty() notBefore: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) suppressedReason: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) messageId: string | null;
  @ApiProperty({ nullable: true, type: String }) smtpResponse: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The digest that carried this row (its own id on the carrier)',
  })
  digestId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(r: MailOutbox): OutboxItemResponse {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: r.id,
      dedupKey: r.dedupKey,
      recipient: r.recipient,
      recipientName: r.recipientName,
      template: r.template,
      locale: r.locale,
      category: r.category,
      purpose: r.purpose,
      onBehalfOfId: r.onBehalfOfId,
      employerId: r.employerId,
      contactPersonId: r.contactPersonId,
      status: r.status,
      reason: outboxReason(r),
      notBefore: r.notBefore.toISOString(),
      attempts: r.attempts,
      lastError: r.lastError,
      suppressedReason: r.suppressedReason,
      decisionNote: r.decisionNote,
      decidedAt: iso(r.decidedAt),
      sentAt: iso(r.sentAt),
      messageId: r.messageId,
      smtpResponse: r.smtpResponse,
      digestId: r.digestId,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

export function outboxReason(r: MailOutbox): string | null {
  switch (r.status) {
    case 'suppressed':
      return r.suppressedReason;
    case 'failed':
    case 'needs_review':
      return r.lastError;
    case 'sent':
      return r.smtpResponse;
    default:
      return r.lastError
        ? `${r.decisionNote ?? ''} Last error: ${r.lastError}`.trim()
        : r.decisionNote;
  }
}

export class OutboxDetailResponse extends OutboxItemResponse {
  @ApiProperty({
    type: [OutboxItemResponse],
    description: 'The other rows of its digest (on the carrier or a member), oldest first',
  })
  digest: OutboxItemResponse[];
}

export class OutboxPage extends PageOf(OutboxItemResponse) {}
